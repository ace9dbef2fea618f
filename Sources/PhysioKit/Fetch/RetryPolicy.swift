import FoundationEssentials
import Glibc
import Synchronization

/// When and how long to wait before trying a request again: exponential backoff with jitter, `Retry-After`
/// honoured, a cap per request and a budget shared by the whole run. `Retrier` applies it.
public struct RetryPolicy: Sendable {
    public var maximumAttemptsPerFile: Int
    public var runBudget: Int
    public var baseDelay: Double
    public var maximumDelay: Double
    /// A longer `Retry-After` is cut to this.
    public var maximumRetryAfter: Double

    public init(
        maximumAttemptsPerFile: Int = 8, runBudget: Int = 200, baseDelay: Double = 0.5, maximumDelay: Double = 30,
        maximumRetryAfter: Double = 300
    ) {
        self.maximumAttemptsPerFile = maximumAttemptsPerFile
        self.runBudget = runBudget
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(retryAfter, maximumRetryAfter) }
        let exponential = min(maximumDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        // "Equal jitter": at least half the backoff, so parallel retries spread out but still back off.
        return exponential / 2 + Double.random(in: 0...(exponential / 2))
    }
}

/// The run-wide retry allowance, shared by every request of the run.
final class RetryBudget: Sendable {
    private let remaining: Mutex<Int>

    init(_ total: Int) {
        remaining = Mutex(total)
    }

    func take() -> Bool {
        remaining.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }
}

