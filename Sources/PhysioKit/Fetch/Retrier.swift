import FoundationEssentials

/// The one attempt loop for every request a run makes: the file list and folder listings, whole files, and
/// byte ranges. Callers supply one attempt and say what it came to (`Attempt`); the loop decides whether
/// another is allowed, waits (backoff with jitter, or the server's `Retry-After`), and stops after
/// `maximumAttemptsPerFile` attempts of one request or when the run's shared budget is spent, so a dead
/// server ends the run promptly instead of file by file.
struct Retrier: Sendable {
    let policy: RetryPolicy
    let budget: RetryBudget
    let events: FetchEventSink

    init(policy: RetryPolicy, events: FetchEventSink = .ignore) {
        self.policy = policy
        budget = RetryBudget(policy.runBudget)
        self.events = events
    }

    /// One attempt and nothing more: interactive commands, and requests that must never be repeated.
    static var single: Retrier { Retrier(policy: RetryPolicy(maximumAttemptsPerFile: 1, runBudget: 0)) }

    /// 408, 429 and 5xx: the server is busy or failed for now, not refusing this request.
    static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// What one attempt came to.
    enum Attempt<Value: Sendable>: Sendable {
        case done(Value)
        /// Worth another attempt after a pause, for `reason`; `giveUp` is the answer when none is left.
        /// `refused`: the server refused the connection, which `RetryPolicy.refusedConnectionSeconds` bounds.
        case retry(reason: String, retryAfter: Double? = nil, giveUp: Result<Value, any Error>, refused: Bool = false)
        /// Again at once and not counted: the one clean re-download after a checksum mismatch.
        case restart
    }

    /// Runs `attempt` (given its number, from 1) until it is done or no retry is left. `path` names the
    /// file in retry events; requests for metadata (nil) report a warning instead.
    func run<Value: Sendable>(
        path: DatasetPath?, _ attempt: (_ number: Int) async throws -> Attempt<Value>
    ) async throws -> Value {
        var number = 0
        var firstRefusal: Date?
        while true {
            try Task.checkCancellation()
            number += 1
            switch try await attempt(number) {
            case .done(let value):
                return value
            case .restart:
                number -= 1
            case .retry(let reason, let retryAfter, let giveUp, let refused):
                guard number < policy.maximumAttemptsPerFile else { return try giveUp.get() }
                let delay = policy.delay(afterAttempt: number, retryAfter: retryAfter)
                if refused {
                    let since = firstRefusal ?? Date()
                    firstRefusal = since
                    guard policy.keepsTryingRefused(after: Date().timeIntervalSince(since), delay: delay) else {
                        return try giveUp.get()
                    }
                } else {
                    firstRefusal = nil
                }
                guard budget.take() else { return try giveUp.get() }
                // Refused connections within the short default window end in one clear line, not a retry log.
                let quietly = refused && policy.refusedConnectionSeconds <= 10
                if let path, !quietly {
                    events.emit(.retrying(path: path, attempt: number, delay: delay, reason: reason))
                } else if !quietly {
                    events.emit(.warning("\(reason); trying again in \(PrintfFormat.string("%.1f", delay)) s"))
                }
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            }
        }
    }
}
