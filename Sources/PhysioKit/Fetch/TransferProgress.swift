import Synchronization

/// Counters the transfer thread bumps and the progress display samples (a few times a second).
public final class TransferProgress: Sendable {
    private let bytes = Atomic<Int64>(0)
    private let files = Atomic<Int>(0)
    private let active = Atomic<Int>(0)
    private let totals = Mutex<(files: Int, knownBytes: Int64, unknown: Int, estimate: Int64?)>((0, 0, 0, nil))

    public init() {}

    func add(bytes count: Int64) { bytes.add(count, ordering: .relaxed) }
    func fileStarted() { active.add(1, ordering: .relaxed) }
    func fileEnded(completed: Bool) {
        active.subtract(1, ordering: .relaxed)
        if completed { files.add(1, ordering: .relaxed) }
    }
    /// A run's totals, on top of what earlier runs sharing this progress (a sync's datasets) already did, so
    /// done never runs past total.
    func setTotals(files: Int, knownBytes: Int64, filesOfUnknownSize: Int, estimatedUnknownBytes: Int64? = nil) {
        let filesBefore = self.files.load(ordering: .relaxed)
        let bytesBefore = bytes.load(ordering: .relaxed)
        totals.withLock {
            $0 = (filesBefore + files, bytesBefore + knownBytes, filesOfUnknownSize, filesOfUnknownSize > 0 ? estimatedUnknownBytes : nil)
        }
    }

    public struct Snapshot: Sendable {
        public var bytesDone: Int64
        /// Bytes still to transfer for the files whose size is known; the whole total when
        /// `filesOfUnknownSize` is 0.
        public var knownBytesTotal: Int64
        public var filesOfUnknownSize: Int
        /// What the files of unknown size probably hold together, from the project page's total less every
        /// known size; `nil` when there is no such estimate. Shown as approximate, never as exact.
        public var estimatedUnknownBytes: Int64?
        public var filesDone: Int
        public var filesTotal: Int
        public var activeFiles: Int
    }

    public var snapshot: Snapshot {
        let (fileTotal, knownBytes, unknown, estimate) = totals.withLock { $0 }
        return Snapshot(
            bytesDone: bytes.load(ordering: .relaxed), knownBytesTotal: knownBytes, filesOfUnknownSize: unknown,
            estimatedUnknownBytes: estimate,
            filesDone: files.load(ordering: .relaxed), filesTotal: fileTotal,
            activeFiles: active.load(ordering: .relaxed))
    }
}
