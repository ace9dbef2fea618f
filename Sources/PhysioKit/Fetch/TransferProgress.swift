import Synchronization

/// Counters the transfer thread bumps and the progress display samples (a few times a second).
public final class TransferProgress: Sendable {
    private let bytes = Atomic<Int64>(0)
    private let files = Atomic<Int>(0)
    private let active = Atomic<Int>(0)
    private let totals = Mutex<(files: Int, knownBytes: Int64, unknown: Int)>((0, 0, 0))

    public init() {}

    func add(bytes count: Int64) { bytes.add(count, ordering: .relaxed) }
    func fileStarted() { active.add(1, ordering: .relaxed) }
    func fileEnded(completed: Bool) {
        active.subtract(1, ordering: .relaxed)
        if completed { files.add(1, ordering: .relaxed) }
    }
    func setTotals(files: Int, knownBytes: Int64, filesOfUnknownSize: Int) {
        totals.withLock { $0 = (files, knownBytes, filesOfUnknownSize) }
    }

    public struct Snapshot: Sendable {
        public var bytesDone: Int64
        /// Bytes still to transfer for the files whose size is known; the whole total when
        /// `filesOfUnknownSize` is 0.
        public var knownBytesTotal: Int64
        public var filesOfUnknownSize: Int
        public var filesDone: Int
        public var filesTotal: Int
        public var activeFiles: Int
    }

    public var snapshot: Snapshot {
        let (fileTotal, knownBytes, unknown) = totals.withLock { $0 }
        return Snapshot(
            bytesDone: bytes.load(ordering: .relaxed), knownBytesTotal: knownBytes, filesOfUnknownSize: unknown,
            filesDone: files.load(ordering: .relaxed), filesTotal: fileTotal,
            activeFiles: active.load(ordering: .relaxed))
    }
}
