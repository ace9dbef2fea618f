import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Every command physio prints runs as printed: pasted into a shell, it does what the line says.
@Suite("printed commands run as printed", .serialized, .timeLimit(.minutes(3)))
struct PrintedCommandTests {
    static let big = "INPUTEVENTS_MV.csv"
    static let bigPath = "/files/mimiciii-demo/1.4/INPUTEVENTS_MV.csv"

    /// The command between backquotes after `lead` in `text`.
    static func printedCommand(after lead: String, in text: String) -> String? {
        guard let start = text.range(of: lead + "`") else { return nil }
        guard let end = text[start.upperBound...].firstIndex(of: "`") else { return nil }
        return String(text[start.upperBound..<end])
    }

    /// Runs a printed `physio …` line through /bin/sh, with this build's physio standing for `physio`.
    static func runPrinted(_ line: String, environment: [String: String]) async throws -> PhysioProcess.Result {
        #expect(line.hasPrefix("physio "))
        return try await PhysioProcess.run(["-c", shellLine(line)], environment: environment, executable: "/bin/sh")
    }

    @Test("list on an empty root prints a search and a fetch that run as printed, into that root")
    func emptyRootAdvice() async throws {
        try await withWorkspace { workspace in
            var environment = workspace.environment
            environment["PHYSIO_DATA"] = nil
            let dest = workspace.directory.appendingPathComponent("new root", isDirectory: true)
            let listed = try await PhysioProcess.run(["list", "--dest", dest.path], environment: environment)
            #expect(listed.exitCode == 0, "stderr: \(listed.stderr)")
            #expect(!listed.stdout.contains("<slug>"), "a placeholder cannot be pasted: \(listed.stdout)")
            let search = try #require(Self.printedCommand(after: "Find one with ", in: listed.stdout), "stdout: \(listed.stdout)")
            #expect(try await Self.runPrinted(search, environment: environment).stdout.contains("mimic-iv-demo"))
            let fetch = try #require(Self.printedCommand(after: "e.g. ", in: listed.stdout), "stdout: \(listed.stdout)")
            let fetched = try await Self.runPrinted(fetch, environment: environment)
            // The simulator's copy of the demo lacks one file (exit 8); the rest lands in the root list named.
            #expect(fetched.exitCode == 8, "stderr: \(fetched.stderr)")
            #expect(FileManager.default.fileExists(atPath: dest.appendingPathComponent("mimic-iv-demo/2.2/hosp/patients.csv.gz").path))
        }
    }

    @Test("SIGINT during `fetch --dest … --base-url … --include …`: the printed resume command resumes into the same root")
    func interruptedFetchHint() async throws {
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 400_000), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            // No PHYSIO_BASE_URL or PHYSIO_DATA: the hint itself must name the server and the root.
            var environment = workspace.environment
            environment["PHYSIO_BASE_URL"] = nil
            environment["PHYSIO_DATA"] = nil
            let dest = workspace.directory.appendingPathComponent("slow disk", isDirectory: true)
            let stderr = Pipe()
            let process = try PhysioProcess.start(
                ["fetch", "mimiciii-demo", "--dest", dest.path, "--base-url", workspace.baseURL.absoluteString,
                 "--include", "*_MV.csv", "--no-split"],
                environment: environment, stderr: stderr)
            let part = dest.appendingPathComponent(".physio/partial/mimiciii-demo/1.4/\(Self.big).part")
            for _ in 0..<200 where (FileSystem.identity(of: part)?.size ?? 0) < 300_000 {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            kill(process.processIdentifier, SIGINT)
            let output = await BlockingIO.run { String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            await BlockingIO.run { process.waitUntilExit() }
            #expect(process.terminationStatus == 130, "stderr: \(output)")
            let hint = try #require(Self.printedCommand(after: "Rerun ", in: output), "stderr: \(output)")
            #expect(hint.contains("mimiciii-demo@1.4"), "the resolved version, so a new release does not change what resumes")
            #expect(hint.contains("'*_MV.csv'"), "a glob is quoted for the shell: \(hint)")
            let kept = FileSystem.identity(of: part)?.size ?? 0

            let rerun = try await Self.runPrinted(hint, environment: environment)
            #expect(rerun.exitCode == 0, "\(hint): \(rerun.stderr)")
            let last = try #require(workspace.server.counters.requests(path: Self.bigPath).last)
            #expect(last.header("Range") == "bytes=\(kept)-", "it resumed the partial file")
            #expect(FileManager.default.contentsEqual(
                atPath: dest.appendingPathComponent("mimiciii-demo/1.4/\(Self.big)").path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
            #expect(!FileManager.default.fileExists(atPath: dest.appendingPathComponent("mimiciii-demo/1.4/ADMISSIONS.csv").path),
                    "the selection was kept")
        }
    }

    /// `line`, a printed `physio …` command, as a /bin/sh command line with this build's physio.
    static func shellLine(_ line: String) -> String {
        "'\(PhysioProcess.executable.path)'" + line.dropFirst("physio".count)
    }

    @Test("a first day against --base-url: the login, status and sign-dua a refused fetch prints run as printed, on that server, and the fetch then succeeds")
    func accessHintsReachTheSameServer() async throws {
        try await withWorkspace { workspace in
            // No PHYSIO_BASE_URL: a hint without --base-url would talk to physionet.org.
            var environment = workspace.environment
            environment["PHYSIO_BASE_URL"] = nil
            let fetch = ["fetch", "mimiciii@1.4", "--base-url", workspace.baseURL.absoluteString, "--quiet"]
            let server = "--base-url \(workspace.baseURL.absoluteString)"

            let anonymous = try await PhysioProcess.run(fetch, environment: environment)
            #expect(anonymous.exitCode == 5, "stderr: \(anonymous.stderr)")
            let login = try #require(Self.printedCommand(after: "Run ", in: anonymous.stderr), "stderr: \(anonymous.stderr)")
            #expect(login == "physio login \(server)")
            let loggedIn = try await Self.runPrinted(login, environment: environment.merging(AccountTests.credentials("nodua")) { $1 })
            #expect(loggedIn.exitCode == 0, "\(login): \(loggedIn.stderr)")

            let refused = try await PhysioProcess.run(fetch, environment: environment)
            #expect(refused.exitCode == 6, "stderr: \(refused.stderr)")
            let status = try #require(Self.printedCommand(after: "Run ", in: refused.stderr), "stderr: \(refused.stderr)")
            #expect(status == "physio status mimiciii@1.4 \(server)")
            let checked = try await Self.runPrinted(status, environment: environment)
            #expect(checked.exitCode == 6 && checked.stdout.contains("(not signed)"), "\(status): \(checked.stdout) \(checked.stderr)")

            let sign = try #require(Self.printedCommand(after: "or with ", in: refused.stderr), "stderr: \(refused.stderr)")
            #expect(sign == "physio sign-dua mimiciii@1.4 \(server)")
            let signed = try await TerminalSession.run(
                ["-c", Self.shellLine(sign)], answering: "Type 'I agree'", with: "I agree", environment: environment, executable: "/bin/sh")
            #expect(signed.exitCode == 0 && signed.stdout.contains("Signed the data use agreement for mimiciii 1.4"), "\(sign): \(signed.stdout)")
            #expect(workspace.server.counters.requests(path: "/sign-dua/mimiciii/1.4/").contains { $0.method == "POST" }, "signed on this server")

            let fetched = try await PhysioProcess.run(fetch, environment: environment)
            #expect(fetched.exitCode == 0, "stderr: \(fetched.stderr)")
        }
    }

    @Test("SIGINT during a sync: the printed resume is the sync itself, with its --file, and running it finishes the sync")
    func interruptedSyncHint() async throws {
        let path = "/files/mimiciii-demo/1.4/\(Self.big)"
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 100_000), path: path)])
        try await withWorkspace(faults: faults) { workspace in
            let project = workspace.directory.appendingPathComponent("my project", isDirectory: true)
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            let toml = project.appendingPathComponent("physio.toml")
            try Data("[data]\nroot = \"\(workspace.dataRoot.path)\"\n\n[[dataset]]\nslug = \"mimiciii-demo\"\nversion = \"1.4\"\ninclude = [\"*_MV.csv\"]\n".utf8)
                .write(to: toml)
            let stderr = Pipe()
            let process = try PhysioProcess.start(["sync", "--file", toml.path], environment: workspace.environment, stderr: stderr)
            for _ in 0..<400 where workspace.server.counters.requests(path: path).isEmpty {
                try await Task.sleep(nanoseconds: 25_000_000)
            }
            kill(process.processIdentifier, SIGINT)
            let output = await BlockingIO.run { String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            await BlockingIO.run { process.waitUntilExit() }
            #expect(process.terminationStatus == 130, "stderr: \(output)")
            let hint = try #require(Self.printedCommand(after: "Rerun ", in: output), "stderr: \(output)")
            #expect(hint == "physio sync --file '\(toml.path)'", "the sync, not a fetch of one dataset into the default root: \(hint)")

            workspace.server.setFaults(FaultPlan())
            let rerun = try await Self.runPrinted(hint, environment: workspace.environment)
            #expect(rerun.exitCode == 0, "\(hint): \(rerun.stderr)")
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("a sync refused by a requirement names a status that reaches physio.toml's base-url, which the status itself does not read")
    func syncHintCarriesTheFilesServer() async throws {
        try await withWorkspace { workspace in
            var environment = workspace.environment
            environment["PHYSIO_BASE_URL"] = nil
            let toml = workspace.directory.appendingPathComponent("physio.toml")
            try Data("[data]\nroot = \"\(workspace.dataRoot.path)\"\nbase-url = \"\(workspace.baseURL.absoluteString)\"\n\n[[dataset]]\nslug = \"mimiciii\"\nversion = \"1.4\"\n".utf8)
                .write(to: toml)
            let sync = try await PhysioProcess.run(
                ["sync", "--file", toml.path, "--quiet"], environment: environment.merging(AccountTests.credentials("nodua")) { $1 })
            #expect(sync.exitCode == 6, "stderr: \(sync.stderr)")
            let status = try #require(Self.printedCommand(after: "Run ", in: sync.stderr), "stderr: \(sync.stderr)")
            #expect(status == "physio status mimiciii@1.4 --base-url \(workspace.baseURL.absoluteString)")
            let checked = try await Self.runPrinted(status, environment: environment)
            #expect(checked.exitCode == 6 && checked.stdout.contains("(not signed)"), "\(status): \(checked.stdout) \(checked.stderr)")
        }
    }

    @Test("verify's repair hint names the dataset and root, and running it repairs the file")
    func verifyRepairHint() async throws {
        try await withWorkspace { workspace in
            var environment = workspace.environment
            environment["PHYSIO_DATA"] = nil
            let dest = workspace.directory.appendingPathComponent("other root", isDirectory: true)
            let fetch = try await PhysioProcess.run(
                ["fetch", "mimic-iv-demo-omop@0.9", "--dest", dest.path, "--quiet"], environment: environment)
            #expect(fetch.exitCode == 0, "stderr: \(fetch.stderr)")
            let victim = dest.appendingPathComponent("mimic-iv-demo-omop/0.9/README.txt")
            try FileManager.default.removeItem(at: victim)
            let verify = try await PhysioProcess.run(["verify", "--dest", dest.path], environment: environment)
            #expect(verify.exitCode == 7, "stderr: \(verify.stderr)")
            #expect(!verify.stderr.contains("<slug>"), "no placeholder left in: \(verify.stderr)")
            let hint = try #require(Self.printedCommand(after: "Run ", in: verify.stderr), "stderr: \(verify.stderr)")
            let repair = try await Self.runPrinted(hint, environment: environment)
            #expect(repair.exitCode == 0, "\(hint): \(repair.stderr)")
            let again = try await PhysioProcess.run(["verify", "--dest", dest.path], environment: environment)
            #expect(again.exitCode == 0, "stdout: \(again.stdout) stderr: \(again.stderr)")
        }
    }
}
