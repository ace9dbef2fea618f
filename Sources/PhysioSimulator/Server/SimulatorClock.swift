import Foundation
import Synchronization

/// The simulated site's time: the wall clock plus however far a test moved it on, so a session can expire
/// (or a training lapse) without the test waiting for it.
final class SimulatorClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}
