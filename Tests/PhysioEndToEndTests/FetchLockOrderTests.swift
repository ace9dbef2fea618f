import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The dataset lock comes before the machine-wide connection budget: a second fetch of the same dataset
/// exits 10 at once (or waits `--wait-lock`), and only a fetch of another dataset waits for connections.
@Suite("fetch: lock before connections", .serialized, .timeLimit(.minutes(3)))
struct FetchLockOrderTests {
    static let big = "INPUTEVENTS_MV.csv"
    static let bigPath = "/files/mimiciii-demo/1.4/INPUTEVENTS_MV.csv"

    /// Starts a fetch of the slow file that holds every connection (`PHYSIO_MAX_CONNECTIONS=1`) and returns
    /// once its bytes are arriving, so it holds the dataset lock and the whole budget.
    static func startHolder(_ workspace: Workspace, environment: [String: String]) async throws -> Process {
        let process = try PhysioProcess.start(
            ["fetch", "mimiciii-demo@1.4", "--include", big, "--no-split", "-j", "1", "--quiet"], environment: environment)
        let part = workspace.dataRoot.appendingPathComponent(".physio/partial/mimiciii-demo/1.4/\(big).part")
        for _ in 0..<200 where (FileSystem.identity(of: part)?.size ?? 0) < 100_000 {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return process
    }

    static let slow = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 300_000), path: bigPath, firstRequests: 1)])

    @Test("a second fetch of the same dataset, while the first holds the lock and every connection, exits 10 at once")
    func sameDatasetExitsAtOnce() async throws {
        try await withWorkspace(faults: Self.slow) { workspace in
            let environment = workspace.environment.merging(["PHYSIO_MAX_CONNECTIONS": "1"]) { $1 }
            let holder = try await Self.startHolder(workspace, environment: environment)
            defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
            let second = try await PhysioProcess.run(
                ["fetch", "mimiciii-demo@1.4", "--include", Self.big, "--quiet"], environment: environment, timeout: 60)
            #expect(second.exitCode == 10, "stderr: \(second.stderr)")
            #expect(second.seconds < 5, "at once, not after waiting for a connection")
            #expect(!second.stderr.contains("waiting for one"), "stderr: \(second.stderr)")
            #expect(second.stderr.contains("--wait-lock"))
        }
    }

    @Test("fetch --wait-lock waits for the first fetch of the same dataset, then finishes")
    func waitLock() async throws {
        try await withWorkspace(faults: Self.slow) { workspace in
            let environment = workspace.environment.merging(["PHYSIO_MAX_CONNECTIONS": "1"]) { $1 }
            let holder = try await Self.startHolder(workspace, environment: environment)
            defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
            let second = try await PhysioProcess.run(
                ["fetch", "mimiciii-demo@1.4", "--include", Self.big, "--wait-lock", "60"], environment: environment, timeout: 90)
            #expect(second.exitCode == 0, "stderr: \(second.stderr)")
            #expect(second.stderr.contains("waiting up to 60 s"), "stderr: \(second.stderr)")
        }
    }

    @Test("a fetch of another dataset while other processes hold every connection waits for one, saying so, then runs")
    func otherDatasetWaitsForConnections() async throws {
        try await withWorkspace(faults: Self.slow) { workspace in
            let environment = workspace.environment.merging(["PHYSIO_MAX_CONNECTIONS": "1"]) { $1 }
            let holder = try await Self.startHolder(workspace, environment: environment)
            defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
            let second = try await PhysioProcess.run(["fetch", "mimic-iv-demo-omop@0.9"], environment: environment, timeout: 90)
            #expect(second.exitCode == 0, "stderr: \(second.stderr)")
            #expect(second.stderr.contains("hold all 1 connections"), "stderr: \(second.stderr)")
        }
    }
}
