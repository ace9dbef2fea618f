import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// A dead server fails fast; `--retries` says how hard an unattended run tries.
@Suite("network: dead servers and --retries", .serialized, .timeLimit(.minutes(3)))
struct DeadServerTests {
    @Test("a refused connection fails within 10 s with exit 4 and one line, at the default backoff")
    func refusedFailsFast() async throws {
        try await withWorkspace { workspace in
            var environment = workspace.environment
            environment["PHYSIO_RETRY_BASE_SECONDS"] = nil  // the real backoff, not the tests' short one
            let result = try await PhysioProcess.run(
                ["fetch", "mimiciii-demo@1.4", "--base-url", "http://127.0.0.1:1"], environment: environment, timeout: 60)
            #expect(result.exitCode == 4, "stderr: \(result.stderr)")
            #expect(result.seconds < 10, "took \(result.seconds) s")
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("physio:") }
            #expect(errors.count == 1, "one clear line: \(result.stderr)")
            #expect(!result.stderr.contains("trying again"), "no retry log: \(result.stderr)")
            #expect(result.stderr.contains("connection refused"))
        }
    }

    @Test("--retries N makes N retries of a failing request, and physio.toml's retries = N does the same for sync")
    func retriesOption() async throws {
        let faults = FaultPlan(rules: [FaultRule(.status(503), path: "/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt")])
        try await withWorkspace(faults: faults) { workspace in
            let once = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--retries", "0", "--quiet")
            #expect(once.exitCode == 4, "stderr: \(once.stderr)")
            #expect(workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt").count == 1)
            let thrice = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--retries", "2", "--quiet")
            #expect(thrice.exitCode == 4, "stderr: \(thrice.stderr)")
            #expect(workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt").count == 1 + 3)

            try FileManager.default.createDirectory(at: workspace.dataRoot, withIntermediateDirectories: true)
            try """
                [data]
                retries = 1
                [[dataset]]
                slug = "mimic-iv-demo-omop"
                version = "0.9"
                """.write(to: workspace.dataRoot.appendingPathComponent("physio.toml"), atomically: true, encoding: .utf8)
            let sync = try await PhysioProcess.run(
                ["sync", "--quiet"], environment: workspace.environment, currentDirectory: workspace.dataRoot)
            #expect(sync.exitCode == 4, "stderr: \(sync.stderr)")
            #expect(workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt").count == 4 + 2)
        }
    }
}
