import Dispatch
import PhysioKit
import Synchronization

/// Feeds bytes to a sink the way the transport does: when the sink answers `.paused`, waits for its resumer
/// and offers the same bytes again. Counts the pauses. (A test may block its thread; the product never does.)
struct PausingFeeder {
    private(set) var pauses = 0

    mutating func feed(
        _ bytes: UnsafeRawBufferPointer, into receive: (UnsafeRawBufferPointer, TransferResumer) throws -> BodyIntake
    ) throws {
        while true {
            let resumed = DispatchSemaphore(value: 0)
            if try receive(bytes, TransferResumer { resumed.signal() }) == .taken { return }
            pauses += 1
            resumed.wait()
        }
    }
}

/// Counts resumer calls and lets a test await the first.
final class ResumeCounter: Sendable {
    private let calls = Synchronization.Mutex(0)
    private let first = DispatchSemaphore(value: 0)

    var count: Int { calls.withLock { $0 } }

    func add() {
        let isFirst = calls.withLock { count -> Bool in
            count += 1
            return count == 1
        }
        if isFirst { first.signal() }
    }

    /// Waits on a GCD thread, never on the test's cooperative thread.
    func waitForFirst() async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [first] in
                first.wait()
                continuation.resume()
            }
        }
    }
}
