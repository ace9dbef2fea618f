import Dispatch
import Synchronization

/// SHA-256 over a stream of chunks, either inline or on a queue of its own.
///
/// Large files hash on a serial queue (served by the blocking-work executor) so hashing overlaps the network
/// and disk work on the transfer thread; a single thread doing both would roughly halve throughput on a fast
/// link. At most `maximumQueuedChunks` copies wait, which bounds memory: past that `reserve` says no and the
/// transfer pauses until the queue drains (backpressure without blocking the transfer thread).
final class StreamingHasher: @unchecked Sendable {
    private static let maximumQueuedChunks = 32

    private struct Backlog {
        var queued = 0
        var waiting: TransferResumer?
    }

    private let hasher: SHA256Hasher
    let queue: DispatchQueue?
    private let backlog = Mutex(Backlog())

    /// `prefix` carries the state of bytes already hashed (a resumed partial file).
    init(continuing prefix: SHA256Hasher = SHA256Hasher(), pipelined: Bool) {
        hasher = prefix
        queue = pipelined ? BlockingIO.serialQueue(label: "physio.hash") : nil
    }

    /// Whether one more chunk may be queued now; if not, `resumer` is called once one may.
    func reserve(or resumer: TransferResumer) -> Bool {
        guard queue != nil else { return true }
        return backlog.withLock { backlog in
            guard backlog.queued >= Self.maximumQueuedChunks else { return true }
            backlog.waiting = resumer
            return false
        }
    }

    /// Hashes `bytes`, inline or queued; after a `reserve` that said yes.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let queue else {
            hasher.update(bytes)
            return
        }
        let copy = [UInt8](bytes)
        backlog.withLock { $0.queued += 1 }
        queue.async { [self] in
            hasher.update(copy)
            let waiting = backlog.withLock { backlog -> TransferResumer? in
                backlog.queued -= 1
                defer { backlog.waiting = nil }
                return backlog.waiting
            }
            waiting?.resume()
        }
    }

    /// The digest, once every queued chunk is hashed.
    func finalize() async -> SHA256Digest {
        guard let queue else { return hasher.finalize() }
        return await withCheckedContinuation { continuation in
            queue.async { [self] in continuation.resume(returning: hasher.finalize()) }
        }
    }
}
