import Synchronization

/// Bounds concurrent transfers to one host and adapts: halves on 429/503/timeouts (the server is saying
/// "slower"), then creeps back up one slot per run of successes, never above the user's `-j`.
///
/// A lock, not an actor: acquiring a free slot must not cost a hop to another executor and back for
/// every one of tens of thousands of small files.
final class AdaptiveLimiter: Sendable {
    private struct State {
        var limit: Int
        var active = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var successesSinceChange = 0
    }

    private let ceiling: Int
    private let state: Mutex<State>

    init(limit: Int) {
        ceiling = max(1, limit)
        state = Mutex(State(limit: max(1, limit)))
    }

    var limit: Int { state.withLock { $0.limit } }

    func acquire() async {
        let acquired = state.withLock { state -> Bool in
            guard state.active < state.limit else { return false }
            state.active += 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                // A slot may have freed between the first check and now.
                if state.active < state.limit {
                    state.active += 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.active <= state.limit, !state.waiters.isEmpty {
                // Hand the slot straight to the next waiter.
                return state.waiters.removeFirst()
            }
            state.active -= 1
            return nil
        }
        next?.resume()
    }

    /// Returns the new limit when it changed.
    func serverAskedToSlowDown() -> Int? {
        state.withLock { state in
            state.successesSinceChange = 0
            guard state.limit > 1 else { return nil }
            state.limit = max(1, state.limit / 2)
            return state.limit
        }
    }

    func succeeded() -> Int? {
        let (raised, woken) = state.withLock { state -> (Int?, CheckedContinuation<Void, Never>?) in
            state.successesSinceChange += 1
            guard state.limit < ceiling, state.successesSinceChange >= 4 * state.limit else { return (nil, nil) }
            state.successesSinceChange = 0
            state.limit += 1
            if state.active < state.limit, !state.waiters.isEmpty {
                state.active += 1
                return (state.limit, state.waiters.removeFirst())
            }
            return (state.limit, nil)
        }
        woken?.resume()
        return raised
    }
}
