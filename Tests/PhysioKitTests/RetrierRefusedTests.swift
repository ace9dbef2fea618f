import Synchronization
import Testing

@testable import PhysioKit

/// The one retry rule: a refused connection is given up after `refusedConnectionSeconds`, while
/// `retrying(N)` makes exactly N retries of any failure, refused connections included.
@Suite("Retrier: refused connections and --retries")
struct RetrierRefusedTests {
    struct Refused: Error {}

    static func attempts(_ policy: RetryPolicy, refused: Bool) async -> Int {
        let count = Mutex(0)
        _ = try? await Retrier(policy: policy).run(path: nil) { _ -> Retrier.Attempt<Int> in
            count.withLock { $0 += 1 }
            return .retry(reason: "connection refused", giveUp: .failure(Refused()), refused: refused)
        }
        return count.withLock { $0 }
    }

    @Test("refused connections stop within the window; other failures get every attempt")
    func refusedWindow() async {
        var policy = RetryPolicy(baseDelay: 0.01, maximumDelay: 0.02)
        policy.refusedConnectionSeconds = 0.05
        let refused = await Self.attempts(policy, refused: true)
        #expect(refused >= 2 && refused < policy.maximumAttemptsPerFile, "\(refused) attempts")
        #expect(await Self.attempts(policy, refused: false) == policy.maximumAttemptsPerFile)
    }

    @Test("retrying(N) makes N retries, refused connections included; retrying(0) tries once")
    func explicitRetries() async {
        var policy = RetryPolicy(baseDelay: 0.001, maximumDelay: 0.002)
        policy.refusedConnectionSeconds = 0
        #expect(await Self.attempts(policy.retrying(3), refused: true) == 4)
        #expect(await Self.attempts(policy.retrying(0), refused: false) == 1)
    }
}
