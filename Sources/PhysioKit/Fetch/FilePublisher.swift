import FoundationEssentials

/// Creates verified small files in place (`FileSystem.publish`) on a thread of its own, so the transfer
/// thread, where a fetch's workers run, goes on to the next file instead of creating this one.
///
/// Creating a file (an O_TMPFILE, its write and its link) was 38% of the transfer thread's time in a fetch
/// of 75,000 small files, and that thread is what such a fetch waits on; here it runs on the other core.
/// Handing a file over costs no thread hop back: the publisher reports each stored file through `stored`
/// itself. Nor does it cost a wake-up each: after a batch the publisher naps `napNanoseconds` and takes what
/// came meanwhile, and is woken early only for a full batch (a wake-up a file was 97,000 context switches
/// in those 75,000 files). A file's record reaches the run only once the file exists, so a checkpoint's sync
/// still covers every record it writes.
final class FilePublisher: @unchecked Sendable {
    struct Item {
        var body: [UInt8]
        var path: String
        /// Complete but for the identity, which the created file gives.
        var record: FileRecord
        var bytesTransferred: Int64
        /// The local copy the file replaces, kept just before (`PreviousCopies`).
        var keep: PreviousCopies.Keep? = nil
    }

    /// Bodies held at most, queued or being written: a caller handing over more waits until there is room
    /// (it blocks the transfer thread then, as a disk that slow must hold the network back anyway). 1,000
    /// files of 2 KiB; at 8 MiB, a fetch of 400,000 files on a slow disk peaked at 99 MiB.
    static let queuedBytesLimit = 2 << 20
    /// Files that wake a napping publisher; at 14,000 small files a second a nap gathers about 28.
    static let batch = 32
    static let napNanoseconds = 2_000_000

    private let lock = BlockingLock()
    // Guarded by `lock`.
    private var queue: [Item] = []
    private var queuedBytes = 0
    private enum Activity {
        case working
        /// Waiting at most a nap: only a full batch wakes it.
        case napping
        /// Waiting until woken.
        case asleep
    }
    private var activity = Activity.working
    private var closed = false
    private var failure: PhysioError?
    /// Callers of `submit` waiting for room: each file written then wakes them.
    private var waitingForRoom = 0

    private let directories: DirectoryCache
    private let previous: PreviousCopies?
    private let stored: @Sendable (FileRecord, Int64) -> Void

    /// `stored` runs on the publisher's thread for each file created, in the order handed over; `previous`
    /// keeps the local copies that items with a `keep` replace.
    init(directories: DirectoryCache, previous: PreviousCopies? = nil, stored: @escaping @Sendable (FileRecord, Int64) -> Void) {
        self.directories = directories
        self.previous = previous
        self.stored = stored
        DedicatedThread.start { [self] in run() }
    }

    /// Queues a verified file; throws the failure of an earlier file, which ends the run as a failed
    /// `FileSystem.publish` on the caller's own thread would have.
    func submit(_ item: Item) throws(PhysioError) {
        try lock.withLock { () throws(PhysioError) in
            while failure == nil, queuedBytes >= Self.queuedBytesLimit {
                waitingForRoom += 1
                // A napping publisher takes the queue now.
                if activity != .working { lock.signalChange() }
                lock.waitForChange()
                waitingForRoom -= 1
            }
            if let failure { throw failure }
            queue.append(item)
            queuedBytes += item.body.count
            if activity == .asleep || (activity == .napping && queue.count >= Self.batch) { lock.signalChange() }
        }
    }

    /// Reports a file the caller put in place itself (a large file renamed from its `.part`): the same
    /// `stored` every created file goes through, on the caller's thread.
    func report(_ record: FileRecord, bytesTransferred: Int64) {
        stored(record, bytesTransferred)
    }

    /// Throws the failure of a file handed over earlier: a worker checks before each file, so a run of
    /// large files stops at once too, not at its next small file.
    func check() throws(PhysioError) {
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Waits until every file handed over is created (or one failed), then ends the thread. After a
    /// failure, the files queued behind the failed one are not created.
    func finish() async throws(PhysioError) {
        let failure = await BlockingIO.run { [self] () -> PhysioError? in
            lock.withLock {
                closed = true
                lock.signalChange()
                while activity == .working || !queue.isEmpty, self.failure == nil { lock.waitForChange() }
                return self.failure
            }
        }
        if let failure { throw failure }
    }

    private func run() {
        while true {
            let batch = lock.withLock { () -> [Item]? in
                // Wakes a caller waiting for room or for the end.
                activity = .napping
                lock.signalChange()
                if queue.count < Self.batch, !closed { lock.waitForChange(nanoseconds: Self.napNanoseconds) }
                while queue.isEmpty, !closed, failure == nil {
                    activity = .asleep
                    lock.waitForChange()
                }
                guard !queue.isEmpty, failure == nil else { return nil }
                activity = .working
                defer { queue = [] }
                return queue
            }
            guard let batch else { return }
            for item in batch {
                do throws(PhysioError) {
                    try directories.ensureParent(ofPath: item.path)
                    if let keep = item.keep { try previous?.preserve(keep) }
                    var record = item.record
                    record.identity = try FileSystem.publish(item.body, atPath: item.path)
                    stored(record, item.bytesTransferred)
                    lock.withLock {
                        queuedBytes -= item.body.count
                        if waitingForRoom > 0 { lock.signalChange() }
                    }
                } catch {
                    lock.withLock {
                        failure = error
                        activity = .asleep
                        lock.signalChange()
                    }
                    return
                }
            }
        }
    }
}
