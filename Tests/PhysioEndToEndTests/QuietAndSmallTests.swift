import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `--quiet` prints nothing on success and only what failed otherwise; the smaller first-day fixes.
@Suite("--quiet and small messages", .serialized, .timeLimit(.minutes(3)))
struct QuietAndSmallTests {
    @Test("fetch, sync and verify --quiet print nothing on success; a partial fetch prints only its failures, on stderr")
    func quietIsQuiet() async throws {
        try await withWorkspace(fixture: try SyncTests.fixture()) { workspace in
            let fetch = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet")
            #expect(fetch.exitCode == 0, "stderr: \(fetch.stderr)")
            #expect(fetch.stdout.isEmpty && fetch.stderr.isEmpty, "stdout: \(fetch.stdout) stderr: \(fetch.stderr)")

            let verify = try await workspace.physio("verify", "--quiet")
            #expect(verify.exitCode == 0, "stderr: \(verify.stderr)")
            #expect(verify.stdout.isEmpty && verify.stderr.isEmpty, "stdout: \(verify.stdout) stderr: \(verify.stderr)")

            try Data("[[dataset]]\nslug = \"sync-demo\"\nversion = \"1.0\"\n".utf8)
                .write(to: workspace.dataRoot.appendingPathComponent("physio.toml"))
            let sync = try await PhysioProcess.run(["sync", "--quiet"], environment: workspace.environment, currentDirectory: workspace.dataRoot)
            #expect(sync.exitCode == 0, "stderr: \(sync.stderr)")
            #expect(sync.stdout.isEmpty && sync.stderr.isEmpty, "stdout: \(sync.stdout) stderr: \(sync.stderr)")

            let partial = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--quiet", "--include", "ADMISSIONS.csv", "--include", "PATIENTS.csv")
            #expect(partial.exitCode == 8, "stderr: \(partial.stderr)")
            #expect(partial.stdout.isEmpty, "stdout: \(partial.stdout)")
            #expect(partial.stderr.contains("failed: ADMISSIONS.csv"), "stderr: \(partial.stderr)")
            #expect(!partial.stderr.contains("PATIENTS.csv"), "only what failed: \(partial.stderr)")
        }
    }

    @Test("verify on an empty root exits 0, like list")
    func verifyEmptyRoot() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("verify")
            #expect(result.exitCode == 0, "stdout: \(result.stdout) stderr: \(result.stderr)")
            let json = try await workspace.physio("verify", "--json")
            #expect(json.exitCode == 0, "stderr: \(json.stderr)")
            #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.isEmpty == true, "stdout: \(json.stdout)")
        }
    }

    @Test("sign-dua: a wrong-case 'i agree' is told to type I agree exactly, and nothing is signed")
    func signDUAWrongCase() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: AccountTests.credentials("nodua")).exitCode == 0)
            let result = try await TerminalSession.run(
                ["sign-dua", "mimiciii@1.4"], answering: "Type 'I agree'", with: "i agree", environment: workspace.environment)
            #expect(result.exitCode == 6, "output: \(result.stdout)")
            #expect(result.stdout.contains("type I agree exactly"), "output: \(result.stdout)")
            #expect(workspace.server.counters.requests(path: "/sign-dua/mimiciii/1.4/").filter { $0.method == "POST" }.isEmpty)
        }
    }

    @Test("a --dest under a file says the folder does not exist or is a file, not to fix permissions")
    func destUnderFile() async throws {
        try await withWorkspace { workspace in
            try FileManager.default.createDirectory(at: workspace.directory, withIntermediateDirectories: true)
            let file = workspace.directory.appendingPathComponent("a-file")
            try Data("x".utf8).write(to: file)
            let result = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--dest", file.appendingPathComponent("data").path, "--quiet")
            #expect(result.exitCode == 9, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("does not exist or is a file"), "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("permissions"))
        }
    }
}
