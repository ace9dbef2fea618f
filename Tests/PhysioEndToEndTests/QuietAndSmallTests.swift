import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `--quiet` prints nothing on success and only what failed otherwise; the smaller first-day fixes.
@Suite("--quiet and small messages", .serialized, .timeLimit(.minutes(3)))
struct QuietAndSmallTests {
    @Test("fetch, sync, verify and status --quiet print nothing on success; a partial fetch prints only its failures, on stderr")
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

            let status = try await workspace.physio("status", "mimic-iv-demo-omop@0.9", "sync-demo@1.0", "--quiet")
            #expect(status.exitCode == 0, "stderr: \(status.stderr)")
            #expect(status.stdout.isEmpty && status.stderr.isEmpty, "stdout: \(status.stdout) stderr: \(status.stderr)")

            let partial = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--quiet", "--include", "ADMISSIONS.csv", "--include", "PATIENTS.csv")
            #expect(partial.exitCode == 8, "stderr: \(partial.stderr)")
            #expect(partial.stdout.isEmpty, "stdout: \(partial.stdout)")
            #expect(partial.stderr.contains("failed: ADMISSIONS.csv"), "stderr: \(partial.stderr)")
            #expect(!partial.stderr.contains("PATIENTS.csv"), "only what failed: \(partial.stderr)")
        }
    }

    @Test("status --quiet, and a refused fetch --quiet: only what is missing, on stderr, with the exit code")
    func quietMissingRequirements() async throws {
        try await withWorkspace { workspace in
            // Before any login (status keeps the session it makes): the login is what is missing.
            let anonymous = try await workspace.physio("status", "mimiciii@1.4", "--quiet")
            #expect(anonymous.exitCode == 5, "stderr: \(anonymous.stderr)")
            #expect(anonymous.stdout.isEmpty && anonymous.stderr.contains("physio login"), "stdout: \(anonymous.stdout) stderr: \(anonymous.stderr)")

            let nodua = AccountTests.credentials("nodua")
            let status = try await workspace.physio("status", "mimiciii@1.4", "--quiet", extraEnvironment: nodua)
            #expect(status.exitCode == 6, "stderr: \(status.stderr)")
            #expect(status.stdout.isEmpty, "stdout: \(status.stdout)")
            #expect(status.stderr.contains("physio: You do not meet the access requirements of mimiciii 1.4"), "stderr: \(status.stderr)")
            #expect(status.stderr.contains("- You have not signed the data use agreement") && status.stderr.contains("physio sign-dua mimiciii@1.4"),
                    "the missing requirement and how to meet it: \(status.stderr)")

            // A refused fetch --quiet says the same, on stderr only: nothing of `status`'s report on stdout.
            let fetch = try await workspace.physio("fetch", "mimiciii@1.4", "--quiet", extraEnvironment: nodua)
            #expect(fetch.exitCode == 6, "stderr: \(fetch.stderr)")
            #expect(fetch.stdout.isEmpty, "stdout: \(fetch.stdout)")
            #expect(fetch.stderr.contains("- You have not signed the data use agreement"), "stderr: \(fetch.stderr)")
        }
    }

    @Test("--quiet waits in silence: for a dataset another run holds (--wait-lock), and for a connection slot")
    func quietWaits() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet").exitCode == 0)
            let site = try PhysioNetSite.validate(baseURL: workspace.baseURL)
            let location = DatasetLocation(root: workspace.dataRoot, slug: "mimic-iv-demo-omop", version: "0.9", host: site.origin.host)

            // The dataset's lock, held here: the run waits for it, then finds everything verified.
            var lock: RunLock? = try RunLock(at: location.lockFile)
            let (out, err) = (Pipe(), Pipe())
            let waiting = try PhysioProcess.start(
                ["fetch", "mimic-iv-demo-omop@0.9", "--quiet", "--wait-lock", "60"], environment: workspace.environment, stdout: out, stderr: err)
            try await PhysioProcess.waitUntil(waiting, opens: location.lockFile)
            lock = nil
            let waited = await PhysioProcess.finish(waiting, stdout: out, stderr: err)
            #expect(waited.exitCode == 0, "stderr: \(waited.stderr)")
            #expect(waited.stdout.isEmpty && waited.stderr.isEmpty, "stdout: \(waited.stdout) stderr: \(waited.stderr)")

            // Every connection slot of the machine-wide budget, held here: the run waits for one.
            let state = workspace.stateDirectory.appendingPathComponent("physio", isDirectory: true)
            var budget: ConnectionBudget? = try ConnectionBudget.acquire(for: site, wanted: 1, cap: 1, stateDirectory: state)
            let (slotOut, slotErr) = (Pipe(), Pipe())
            let queued = try PhysioProcess.start(
                ["fetch", "mimic-iv-demo-omop@0.9", "--quiet"], environment: workspace.environment.merging(["PHYSIO_MAX_CONNECTIONS": "1"]) { $1 },
                stdout: slotOut, stderr: slotErr)
            try await PhysioProcess.waitUntil(queued, opens: ConnectionBudget.file(for: site, stateDirectory: state))
            budget = nil
            let served = await PhysioProcess.finish(queued, stdout: slotOut, stderr: slotErr)
            #expect(served.exitCode == 0, "stderr: \(served.stderr)")
            #expect(served.stdout.isEmpty && served.stderr.isEmpty, "stdout: \(served.stdout) stderr: \(served.stderr)")
            withExtendedLifetime((lock, budget)) {}
        }
    }

    @Test("a failed file is printed once where stdout and stderr meet (a terminal, 2>&1), and on each when they part")
    func failuresOnce() async throws {
        try await withWorkspace { workspace in
            let arguments = ["fetch", "mimiciii-demo@1.4", "--include", "ADMISSIONS.csv", "--include", "PATIENTS.csv"]
            func count(_ text: String) -> Int { text.components(separatedBy: "failed: ADMISSIONS.csv").count - 1 }

            // On a terminal (where the progress bar is drawn) the failure is left to the list at the end.
            let terminal = try await TerminalSession.run(arguments, environment: workspace.environment)
            #expect(terminal.exitCode == 8, "output: \(terminal.stdout)")
            #expect(count(terminal.stdout) == 1, "once: \(terminal.stdout)")

            let merged = try await PhysioProcess.run(
                ["-c", "exec \"$0\" \"$@\" 2>&1", PhysioProcess.executable.path] + arguments, environment: workspace.environment,
                executable: "/bin/sh")
            #expect(merged.exitCode == 8 && count(merged.stdout) == 1, "once: \(merged.stdout)")

            // Apart, each gets it: the log of stderr as it happens, the result on stdout.
            let apart = try await PhysioProcess.run(arguments, environment: workspace.environment)
            #expect(count(apart.stdout) == 1 && count(apart.stderr) == 1, "stdout: \(apart.stdout) stderr: \(apart.stderr)")
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
