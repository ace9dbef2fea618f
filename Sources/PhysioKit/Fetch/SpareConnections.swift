import Synchronization

/// Connections allowed beyond one per file (the per-host cap minus `-j`), lent to split large files.
final class SpareConnections: Sendable {
    private let available: Mutex<Int>

    init(_ count: Int) {
        available = Mutex(max(0, count))
    }

    /// Takes up to `wanted` spare connections without waiting; returns how many were taken.
    func borrow(upTo wanted: Int) -> Int {
        available.withLock { available in
            let taken = min(max(0, wanted), available)
            available -= taken
            return taken
        }
    }

    func giveBack(_ count: Int) {
        guard count > 0 else { return }
        available.withLock { $0 += count }
    }
}
