/// Bounds concurrent transfers to one host and adapts: halves on 429/503/timeouts (the server is saying
/// "slower"), then creeps back up one slot per run of successes, never above the user's `-j`.
actor AdaptiveLimiter {
    private let ceiling: Int
    private(set) var limit: Int
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var successesSinceChange = 0

    init(limit: Int) {
        ceiling = max(1, limit)
        self.limit = ceiling
    }

    func acquire() async {
        if active < limit {
            active += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if active <= limit, !waiters.isEmpty {
            // Hand the slot straight to the next waiter.
            waiters.removeFirst().resume()
        } else {
            active -= 1
        }
    }

    /// Returns the new limit when it changed.
    func serverAskedToSlowDown() -> Int? {
        successesSinceChange = 0
        guard limit > 1 else { return nil }
        limit = max(1, limit / 2)
        return limit
    }

    func succeeded() -> Int? {
        successesSinceChange += 1
        guard limit < ceiling, successesSinceChange >= 4 * limit else { return nil }
        successesSinceChange = 0
        limit += 1
        if active < limit, !waiters.isEmpty {
            active += 1
            waiters.removeFirst().resume()
        }
        return limit
    }
}
