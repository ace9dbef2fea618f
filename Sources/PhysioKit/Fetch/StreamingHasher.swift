import Dispatch

/// SHA-256 over a stream of chunks, either inline or on its own queue.
///
/// Large files hash on a serial queue so hashing overlaps the network and disk work on the transfer thread
/// (a single thread doing both would roughly halve throughput on a fast link). The queue holds at most
/// `maximumQueuedChunks` copies, which bounds memory; past that the feeder waits, which is backpressure.
final class StreamingHasher: @unchecked Sendable {
    private static let maximumQueuedChunks = 32

    private let hasher: SHA256Hasher
    private let queue: DispatchQueue?
    private let slots: DispatchSemaphore?

    /// `prefix` carries the state of bytes already hashed (a resumed partial file).
    init(continuing prefix: SHA256Hasher = SHA256Hasher(), pipelined: Bool) {
        hasher = prefix
        if pipelined {
            queue = DispatchQueue(label: "physio.hash")
            slots = DispatchSemaphore(value: Self.maximumQueuedChunks)
        } else {
            queue = nil
            slots = nil
        }
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let queue, let slots else {
            hasher.update(bytes)
            return
        }
        let copy = [UInt8](bytes)
        slots.wait()
        queue.async { [self] in
            hasher.update(copy)
            slots.signal()
        }
    }

    func finalize() -> SHA256Digest {
        guard let queue else { return hasher.finalize() }
        return queue.sync { [self] in hasher.finalize() }
    }
}
