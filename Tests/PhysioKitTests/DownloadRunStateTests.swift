import Foundation
import Synchronization
import Testing
@testable import PhysioKit

@Suite("Download workers' shared state")
struct DownloadRunStateTests {
    /// Counts renewals; the first one says when it started and then holds until the test opens the gate, so
    /// the test can have more refusals arrive while it runs. Like `AccountSession`, it allows one quick renewal.
    final class GatedAdvisor: FetchAccessAdvisor {
        let renewals = Atomic<Int>(0)
        let succeeds: Bool
        private let started: AsyncStream<Void>.Continuation
        let renewalStarted: AsyncStream<Void>
        private let gate: AsyncStream<Void>.Continuation
        private let opened: AsyncStream<Void>

        init(succeeds: Bool) {
            self.succeeds = succeeds
            (renewalStarted, started) = AsyncStream<Void>.makeStream()
            (opened, gate) = AsyncStream<Void>.makeStream()
        }

        func explainRefusal(slug: String, version: String) async throws -> Bool { false }

        func renewSession() async -> Bool {
            let count = renewals.add(1, ordering: .relaxed).newValue
            if count == 1 {
                started.yield()
                for await _ in opened {}
            }
            return succeeds && count == 1
        }

        func openGate() { gate.finish() }
    }

    /// `callers` refusals of the same session: the first starts the renewal, the rest arrive while it holds.
    static func refusals(
        _ callers: Int, run: DownloadRunState, generation: Int, advisor: GatedAdvisor, events: FetchEventSink
    ) async -> [Bool] {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await run.retryAfterRefusal(startedUnder: generation, advisor: advisor, events: events) }
            for await _ in advisor.renewalStarted { break }
            for _ in 1..<callers {
                group.addTask { await run.retryAfterRefusal(startedUnder: generation, advisor: advisor, events: events) }
            }
            advisor.openGate()
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    final class Warnings: Sendable {
        let count = Atomic<Int>(0)
        var sink: FetchEventSink {
            FetchEventSink { [self] event in if case .warning = event { count.add(1, ordering: .relaxed) } }
        }
    }

    static func candidates(_ count: Int) throws -> [(path: DatasetPath, size: Int64?)] {
        try (0..<count).map { (try DatasetPath(validating: "f\($0)"), 1) }
    }

    @Test("files refused together when the session expires share one renewal and are all tried again")
    func oneRenewalForAllInFlight() async throws {
        let run = DownloadRunState(paths: try Self.candidates(3))
        let advisor = GatedAdvisor(succeeds: true)
        let warnings = Warnings()
        let generation = try #require(try run.next()).generation
        let verdicts = await Self.refusals(4, run: run, generation: generation, advisor: advisor, events: warnings.sink)
        #expect(verdicts == [true, true, true, true])
        #expect(advisor.renewals.load(ordering: .relaxed) == 1)
        #expect(warnings.count.load(ordering: .relaxed) == 1)
        #expect(run.takeResult().outcome.renewedSession)

        // A file started under the fresh session and refused again: the run stops starting files.
        let fresh = try #require(try run.next())
        #expect(fresh.generation == generation + 1)
        #expect(await run.retryAfterRefusal(startedUnder: fresh.generation, advisor: advisor, events: warnings.sink) == false)
        #expect(advisor.renewals.load(ordering: .relaxed) == 2, "asked again, and the advisor declined a second quick renewal")
        #expect(run.takeResult().outcome.accessLost)
        #expect(try run.next() == nil, "nothing more is started")
    }

    @Test("a failed renewal, or none possible, stops the run and every waiting file fails")
    func failedRenewal() async throws {
        let run = DownloadRunState(paths: try Self.candidates(3))
        let advisor = GatedAdvisor(succeeds: false)
        let verdicts = await Self.refusals(3, run: run, generation: 0, advisor: advisor, events: .ignore)
        #expect(verdicts == [false, false, false])
        #expect(run.takeResult().outcome.accessLost && !run.takeResult().outcome.renewedSession)
        #expect(try run.next() == nil)

        let anonymous = DownloadRunState(paths: try Self.candidates(2))
        #expect(await anonymous.retryAfterRefusal(startedUnder: 0, advisor: nil, events: .ignore) == false)
        #expect(try anonymous.next() == nil)
    }

    @Test("a retried file goes back to the front of the queue; failures become failed records")
    func queueAndRecords() throws {
        let files = try Self.candidates(3)
        let run = DownloadRunState(paths: files)
        let first = try #require(try run.next()).candidate
        run.retry(first, bytes: 10)
        #expect(try run.next()?.candidate.path == first.path)
        run.failed(first, failure: .missingOnServer(status: 404), bytes: 5)
        let (outcome, records) = run.takeResult()
        #expect(outcome.bytes == 15)
        #expect(outcome.failures.count == 1)
        #expect(records.first?.state == .failed && records.first?.reason == "missing on the server (HTTP 404)")
    }
}
