import FoundationEssentials

/// The one retry rule for every request a run makes: the file list and folder listings, whole files, and
/// byte ranges. Which answers are worth another attempt, how long to wait (backoff with jitter, or the
/// server's `Retry-After`), and when to stop: after `maximumAttemptsPerFile` attempts of one request, or
/// when the run's shared budget is spent, so a dead server ends the run promptly instead of file by file.
struct Retrier: Sendable {
    let policy: RetryPolicy
    let budget: RetryBudget
    let events: FetchEventSink

    init(policy: RetryPolicy, events: FetchEventSink = .ignore) {
        self.policy = policy
        budget = RetryBudget(policy.runBudget)
        self.events = events
    }

    /// 408, 429 and 5xx: the server is busy or failed for now, not refusing this request.
    static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// After attempt `attempt` failed for `reason`: waits and returns `true` when another attempt is allowed,
    /// `false` when this request's attempts or the run's budget are spent. `path` names the file in the
    /// retry event; metadata requests (nil) report a warning instead.
    func waitBeforeRetry(after attempt: Int, retryAfter: Double? = nil, path: DatasetPath?, reason: String) async throws -> Bool {
        guard attempt < policy.maximumAttemptsPerFile, budget.take() else { return false }
        let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
        if let path {
            events.emit(.retrying(path: path, attempt: attempt, delay: delay, reason: reason))
        } else {
            events.emit(.warning("\(reason); trying again in \(PrintfFormat.string("%.1f", delay)) s"))
        }
        try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
        return true
    }
}
