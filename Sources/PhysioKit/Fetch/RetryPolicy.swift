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
    /// How long one request keeps trying a server that refuses the connection, from its first refusal. A
    /// server that is down answers no sooner for being asked for a minute, so by default a run says so
    /// within seconds; `retrying(_:)` lifts this for unattended runs that should wait out a restart.
    public var refusedConnectionSeconds: Double

    /// Retries of one request after its first attempt when nothing says otherwise (`fetch`).
    public static let defaultRetries = 7
    /// How long `fetch` keeps trying a refused connection by default: a dead server fails within 10 s.
    public static let defaultRefusedConnectionSeconds = 5.0
    /// What `sync` gives a refused connection by default: a minute, for a server restarting under cron.
    public static let unattendedRefusedConnectionSeconds = 60.0

    public init(
        maximumAttemptsPerFile: Int = RetryPolicy.defaultRetries + 1, runBudget: Int = 200, baseDelay: Double = 0.5,
        maximumDelay: Double = 30, maximumRetryAfter: Double = 300,
        refusedConnectionSeconds: Double = RetryPolicy.defaultRefusedConnectionSeconds
    ) {
        self.maximumAttemptsPerFile = maximumAttemptsPerFile
        self.runBudget = runBudget
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
        self.refusedConnectionSeconds = refusedConnectionSeconds
    }

    /// This policy with `retries` retries of each request after its first attempt, refused connections
    /// included (`--retries N`, `retries = N` in physio.toml): how hard an unattended run tries. 0 tries once.
    public func retrying(_ retries: Int) -> RetryPolicy {
        var policy = self
        policy.maximumAttemptsPerFile = max(0, retries) + 1
        policy.refusedConnectionSeconds = .infinity
        return policy
    }

    /// Whether a request refused since `refusedFor` seconds may wait `delay` more for another attempt.
    func keepsTryingRefused(after refusedFor: Double, delay: Double) -> Bool {
        refusedFor + delay <= refusedConnectionSeconds
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

