import Synchronization

/// Counts connections per client address and enforces the connection-cap fault: excess connections are
/// refused (closed) or held until a slot frees up.
final class ConnectionGate: Sendable {
    enum Admission {
        case admitted
        case refused
        case waiting(id: Int)
    }

    private struct Waiter {
        let id: Int
        let wake: @Sendable () -> Void
    }

    private struct State {
        var active: [String: Int] = [:]
        var waiting: [String: [Waiter]] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let counters: SimulatorCounters
    private let cap: @Sendable () -> FaultPlan.ConnectionCap?

    init(counters: SimulatorCounters, cap: @escaping @Sendable () -> FaultPlan.ConnectionCap?) {
        self.counters = counters
        self.cap = cap
    }

    /// A new connection from `client`; `wake` runs (on any thread) when a waiting connection is admitted.
    func arrive(client: String, wake: @escaping @Sendable () -> Void) -> Admission {
        let limit = cap()
        let admission: Admission = state.withLock { state in
            let active = state.active[client, default: 0]
            guard let limit, active >= limit.maximumPerClient else {
                state.active[client] = active + 1
                return .admitted
            }
            if limit.excess == .close { return .refused }
            state.nextID += 1
            state.waiting[client, default: []].append(Waiter(id: state.nextID, wake: wake))
            return .waiting(id: state.nextID)
        }
        switch admission {
        case .admitted: counters.connectionOpened()
        case .refused: counters.connectionRefused()
        case .waiting: break
        }
        return admission
    }

    /// An admitted connection closed: free its slot and admit the next waiter of the same client.
    func leave(client: String) {
        counters.connectionClosed()
        let limit = cap()
        let next: Waiter? = state.withLock { state in
            state.active[client, default: 1] -= 1
            guard var queue = state.waiting[client], !queue.isEmpty else { return nil }
            if let limit, state.active[client, default: 0] >= limit.maximumPerClient { return nil }
            let first = queue.removeFirst()
            state.waiting[client] = queue
            state.active[client, default: 0] += 1
            return first
        }
        if let next {
            counters.connectionOpened()
            next.wake()
        }
    }

    /// A waiting connection closed before it was admitted.
    func abandon(client: String, id: Int) {
        state.withLock { $0.waiting[client]?.removeAll { $0.id == id } }
    }
}
