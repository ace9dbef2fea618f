import Synchronization

/// Receives a response as it streams. Called on the transport's own thread, in order, never concurrently.
///
/// Throwing from either method aborts the transfer; the transport then rethrows that error.
/// Implementations must return quickly-ish: every transfer shares the transport thread.
public protocol ResponseSink: AnyObject, Sendable {
    func receiveHead(_ head: HTTPResponseHead) throws
    func receiveBody(_ bytes: UnsafeRawBufferPointer) throws
}

/// Keeps the body in memory, refusing more than `limit` bytes so a hostile server cannot exhaust memory.
public final class CollectingSink: ResponseSink {
    public struct BodyTooLarge: Error, Sendable {
        public let limit: Int
    }

    private let state = Mutex<[UInt8]>([])
    private let limit: Int

    public init(limit: Int = 16 << 20) {
        self.limit = limit
    }

    public func receiveHead(_ head: HTTPResponseHead) throws {
        state.withLock { $0.removeAll(keepingCapacity: true) }
    }

    public func receiveBody(_ bytes: UnsafeRawBufferPointer) throws {
        try state.withLock { body in
            guard body.count + bytes.count <= limit else { throw BodyTooLarge(limit: limit) }
            body.append(contentsOf: bytes)
        }
    }

    public var body: [UInt8] { state.withLock { $0 } }
}
