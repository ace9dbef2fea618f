import Synchronization

/// Receives a response as it streams. Called on the transport's own thread, in order, never concurrently.
///
/// Throwing from either method aborts the transfer; the transport then rethrows that error. A sink never
/// blocks that thread, which serves every transfer: when it cannot take more bytes (disk or hashing behind),
/// `receiveBody` answers `.paused` without taking any of them, keeps the `TransferResumer`, and calls it once
/// it has room; the transport then offers the same bytes again.
public protocol ResponseSink: AnyObject, Sendable {
    func receiveHead(_ head: HTTPResponseHead) throws
    func receiveBody(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws -> BodyIntake
}

/// What a sink did with a piece of body.
public enum BodyIntake: Sendable {
    /// Every byte was taken.
    case taken
    /// None was taken; the sink calls the resumer when it can take them.
    case paused
}

/// Restarts a paused transfer; safe to call from any thread, more than once, and after the transfer ended.
public final class TransferResumer: Sendable {
    private let action: @Sendable () -> Void

    public init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    public func resume() {
        action()
    }
}

/// Keeps the body in memory, refusing more than `limit` bytes so a hostile server cannot exhaust memory.
public final class CollectingSink: ResponseSink {
    public struct BodyTooLarge: Error, Sendable {}

    private let state = Mutex<[UInt8]>([])
    private let limit: Int

    public init(limit: Int = 16 << 20) {
        self.limit = limit
    }

    public func receiveHead(_ head: HTTPResponseHead) throws {
        // Sized from Content-Length when it fits the limit: a 43 MB list then takes 43 MB, not the 64 MB an
        // array grown by doubling ends at.
        let expected = head.contentLength.map { Int(clamping: $0) }.flatMap { $0 <= limit ? $0 : nil } ?? 0
        state.withLock { body in
            body.removeAll(keepingCapacity: true)
            body.reserveCapacity(expected)
        }
    }

    public func receiveBody(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws -> BodyIntake {
        try state.withLock { body in
            guard body.count + bytes.count <= limit else { throw BodyTooLarge() }
            body.append(contentsOf: bytes)
        }
        return .taken
    }

    public var body: [UInt8] { state.withLock { $0 } }
}
