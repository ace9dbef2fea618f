import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `physio sync`, `physio.lock`, `outdated` and `cite` end to end: real `physio` processes against a simulator
/// whose datasets change while it runs.
@Suite("sync, lock, outdated and cite", .timeLimit(.minutes(3)))
struct SyncTests {
    /// The default fixture plus `sync-demo`, a small open project that tests change at will (the demos' files
    /// are pinned in physio, so changing them would be pin drift).
    static func fixture() throws -> SimulatorFixture {
        var fixture = try SimulatorFixture.loadDefault()
        fixture.projects.append(FixtureProject(
            slug: "sync-demo", title: "Sync Demo", authors: ["Moody, G.", "Mark, R."],
            versions: [Self.version("1.0")]))
        return fixture
    }

    static func version(_ number: String) -> FixtureVersion {
        FixtureVersion(
            version: number, published: number == "1.0" ? "2024-03-01" : "2024-06-01", access: .open,
            files: FixtureFiles(generated: .init(seed: 42, files: [
                .init(path: "a.csv", size: 1_000), .init(path: "notes/b.csv", size: 2_000), .init(path: "c.txt", size: 300),
            ])),
            doi: "10.13026/sync-\(number)")
    }

    static let toml = """
        [[dataset]]
        slug = "sync-demo"
        version = "1.0"

        [[dataset]]
        slug = "mimic-iv-demo-omop"
        version = "latest"
        """

    /// A workspace with physio.toml in its data root, and the test run from there.
    static func withSyncWorkspace(_ toml: String = toml, faults: FaultPlan = FaultPlan(), _ body: (Workspace) async throws -> Void) async throws {
        try await withWorkspace(faults: faults, fixture: try fixture()) { workspace in
            try FileManager.default.createDirectory(at: workspace.dataRoot, withIntermediateDirectories: true)
            try Data(toml.utf8).write(to: workspace.dataRoot.appendingPathComponent("physio.toml"))
            try await body(workspace)
        }
    }

    /// `quiet: false` for a test of the per-dataset lines on stderr, which `--quiet` leaves out on success.
    static func sync(_ workspace: Workspace, _ arguments: String..., quiet: Bool = true, extra: [String: String] = [:]) async throws
        -> (PhysioProcess.Result, SyncReport?)
    {
        let result = try await PhysioProcess.run(
            ["sync", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path, "--json"] + (quiet ? ["--quiet"] : []) + arguments,
            environment: workspace.environment.merging(extra) { $1 })
        return (result, try? JSONDecoder().decode(SyncReport.self, from: Data(result.stdout.utf8)))
    }

    static func dataset(_ report: SyncReport?, _ slug: String) -> SyncReport.Dataset? {
        report?.datasets.first { $0.slug == slug }
    }

    /// Requests for the files of `slug` other than its SHA256SUMS.txt (and folder listings, which give sizes).
    static func dataRequests(_ workspace: Workspace, _ slug: String, after serial: Int) -> [SimulatorCounters.RecordedRequest] {
        workspace.server.counters.requests.filter {
            $0.serial > serial && $0.path.hasPrefix("/files/\(slug)/") && !$0.path.hasSuffix("/SHA256SUMS.txt") && !$0.path.hasSuffix("/")
        }
    }

    @Test("a first sync fetches and locks; a second with nothing changed makes one conditional list request per dataset and no data request")
    func unchangedIsCheap() async throws {
        try await Self.withSyncWorkspace { workspace in
            let (first, report) = try await Self.sync(workspace)
            #expect(first.exitCode == 0, "stderr: \(first.stderr)")
            #expect(Self.dataset(report, "sync-demo")?.added == 3)
            #expect(Self.dataset(report, "mimic-iv-demo-omop")?.version == "0.9")
            let lock = try #require(try DataLock.load(beside: workspace.dataRoot.appendingPathComponent("physio.toml")))
            #expect(lock.entries.map(\.slug).sorted() == ["mimic-iv-demo-omop", "sync-demo"])
            #expect(lock.entry(slug: "sync-demo", requested: "1.0")?.files == 3)
            #expect(lock.entry(slug: "sync-demo", requested: "1.0")?.bytes == 3_300)
            let lockText = try String(contentsOf: workspace.dataRoot.appendingPathComponent("physio.lock"), encoding: .utf8)

            let before = workspace.server.counters.requests.last?.serial ?? 0
            let (second, again) = try await Self.sync(workspace)
            #expect(second.exitCode == 0, "stderr: \(second.stderr)")
            #expect(again?.datasets.map(\.status) == [.current, .current])
            for slug in ["sync-demo", "mimic-iv-demo-omop"] {
                let lists = workspace.server.counters.requests.filter { $0.serial > before && $0.path == "/files/\(slug)/\(slug == "sync-demo" ? "1.0" : "0.9")/SHA256SUMS.txt" }
                #expect(lists.count == 1, "\(slug): one list request")
                #expect(lists.first?.status == 304 && lists.first?.header("If-None-Match") != nil, "\(slug): conditional, answered 304")
                #expect(Self.dataRequests(workspace, slug, after: before).isEmpty, "\(slug): no data request")
            }
            #expect(try String(contentsOf: workspace.dataRoot.appendingPathComponent("physio.lock"), encoding: .utf8) == lockText,
                    "an unchanged sync leaves the lock byte for byte")
            let kept = try JSONDecoder().decode(SyncReport.self, from: Data(contentsOf: SyncEngine.lastSyncFile(root: workspace.dataRoot)))
            #expect(kept.datasets.map(\.status) == [.current, .current] && kept.exitCode == .success)

            // Without arguments, cite names every dataset of physio.toml (the "latest" one through the lock), offline.
            var offline = workspace.environment
            offline["PHYSIO_BASE_URL"] = "http://127.0.0.1:9"
            let cite = try await PhysioProcess.run(["cite", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path], environment: offline)
            #expect(cite.exitCode == 0, "stderr: \(cite.stderr)")
            #expect(cite.stdout.contains("Moody, G., & Mark, R. (2024). Sync Demo (version 1.0)"), "\(cite.stdout)")
            #expect(cite.stdout.contains("(mimic-iv-demo-omop 0.9)") && cite.stdout.contains("Goldberger"))
        }
    }

    @Test("a changed file is downloaded alone and reported changed; a removed one moves to .physio/removed (or is pruned)")
    func changedAndRemoved() async throws {
        try await Self.withSyncWorkspace { workspace in
            #expect(try await Self.sync(workspace).0.exitCode == 0)
            let original = try Data(contentsOf: workspace.datasetFile("sync-demo", "1.0", "notes/b.csv"))
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("new,bytes\n".utf8))
            try workspace.server.removeFile(slug: "sync-demo", version: "1.0", path: "notes/b.csv")

            let before = workspace.server.counters.requests.last?.serial ?? 0
            let (result, report) = try await Self.sync(workspace, quiet: false)
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let entry = try #require(Self.dataset(report, "sync-demo"))
            #expect(entry.status == .updated && entry.changed == 1 && entry.added == 0 && entry.removed == 1 && entry.unchanged == 1)
            #expect(Self.dataRequests(workspace, "sync-demo", after: before).map(\.path) == ["/files/sync-demo/1.0/a.csv"])
            #expect(try String(contentsOf: workspace.datasetFile("sync-demo", "1.0", "a.csv"), encoding: .utf8) == "new,bytes\n")
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("sync-demo", "1.0", "notes/b.csv").path))
            let moved = try #require(entry.removedTo).appending("/notes/b.csv")
            #expect(moved.contains("/.physio/removed/") && (try? Data(contentsOf: URL(fileURLWithPath: moved))) == original)
            #expect(result.stderr.contains("1 removed (moved to"), "stderr: \(result.stderr)")
            #expect(try workspace.manifest("sync-demo", "1.0")?.files.map(\.path.value) == ["a.csv", "c.txt"])

            try workspace.server.removeFile(slug: "sync-demo", version: "1.0", path: "c.txt")
            let (pruned, prunedReport) = try await Self.sync(workspace, "--prune")
            #expect(pruned.exitCode == 0 && Self.dataset(prunedReport, "sync-demo")?.removed == 1)
            #expect(Self.dataset(prunedReport, "sync-demo")?.removedTo == nil)
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("sync-demo", "1.0", "c.txt").path))
        }
    }

    /// sync-demo twice: pinned at 1.0, and following "latest" in the wget layout.
    static let pinnedAndLatest = """
        [[dataset]]
        slug = "sync-demo"
        version = "1.0"

        [[dataset]]
        slug = "sync-demo"
        version = "latest"
        layout = "wget"
        """

    @Test("a new version is reported for a pinned dataset and not fetched; 'latest' follows it; outdated lists it")
    func newVersion() async throws {
        let toml = Self.pinnedAndLatest
        try await Self.withSyncWorkspace(toml) { workspace in
            #expect(try await Self.sync(workspace).0.exitCode == 0)
            try workspace.server.publish(slug: "sync-demo", version: Self.version("1.1"))

            let (result, report) = try await Self.sync(workspace, quiet: false)
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let pinned = try #require(report?.datasets.first { $0.requested == "1.0" })
            #expect(pinned.version == "1.0" && pinned.newerVersion == "1.1" && pinned.status == .current)
            #expect(result.stderr.contains("sync-demo 1.1 is available; this root pins 1.0"), "stderr: \(result.stderr)")
            let latest = try #require(report?.datasets.first { $0.requested == "latest" })
            #expect(latest.version == "1.1" && latest.added == 3)
            #expect(Self.dataRequests(workspace, "sync-demo", after: 0).filter { $0.path.hasPrefix("/files/sync-demo/1.1/") }.count == 3,
                    "1.1 was fetched once, for the 'latest' entry only")

            let outdated = try await workspace.physio("outdated", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path, "--json", "--all")
            let entries = try JSONDecoder().decode([OutdatedCheck.Entry].self, from: Data(outdated.stdout.utf8))
            #expect(entries.map(\.outdated) == [true, false] && entries.map(\.latest) == ["1.1", "1.1"], "\(outdated.stdout) \(outdated.stderr)")
        }
    }

    @Test("--locked holds the datasets to physio.lock: a changed list fails with exit 7 and changes nothing")
    func lockedFailsOnChange() async throws {
        try await Self.withSyncWorkspace { workspace in
            #expect(try await Self.sync(workspace).0.exitCode == 0)
            #expect(try await Self.sync(workspace, "--locked").0.exitCode == 0)
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("changed\n".utf8))
            let before = workspace.server.counters.requests.last?.serial ?? 0
            let (result, report) = try await Self.sync(workspace, "--locked")
            #expect(result.exitCode == 7, "stderr: \(result.stderr)")
            #expect(Self.dataset(report, "sync-demo")?.error?.contains("no longer matches physio.lock") == true)
            #expect(Self.dataRequests(workspace, "sync-demo", after: before).isEmpty)
            #expect(try String(contentsOf: workspace.datasetFile("sync-demo", "1.0", "a.csv"), encoding: .utf8) != "changed\n")

            // A colleague's copy with no lock cannot be --locked.
            try FileManager.default.removeItem(at: workspace.dataRoot.appendingPathComponent("physio.lock"))
            let (unlocked, _) = try await Self.sync(workspace, "--locked")
            #expect(unlocked.exitCode == 2 && unlocked.stderr.contains("--locked needs physio.lock"), "\(unlocked.stderr)")
        }
    }

    @Test("one sync per root: a second exits 10 at once, or waits with --wait-lock; a lock left by a killed sync is taken over")
    func syncLock() async throws {
        let faults = FaultPlan(rules: [FaultRule(.stall(afterBytes: 0, seconds: 60), path: "/files/sync-demo/1.0/c.txt")])
        try await Self.withSyncWorkspace(faults: faults) { workspace in
            let lockFile = SyncEngine.lockFile(root: workspace.dataRoot)
            // A sync that hangs on one file holds the lock; kill it with SIGKILL once it has written its holder line.
            let process = try PhysioProcess.start(
                ["sync", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path, "--quiet"], environment: workspace.environment)
            for _ in 0..<400 where (FileSystem.identity(of: lockFile)?.size ?? 0) == 0 || workspace.server.counters.requests(path: "/files/sync-demo/1.0/c.txt").isEmpty {
                try await Task.sleep(nanoseconds: 25_000_000)
            }
            let second = try await workspace.physio("sync", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path, "--quiet")
            #expect(second.exitCode == 10 && second.stderr.contains("pid \(process.processIdentifier)"), "stderr: \(second.stderr)")
            kill(process.processIdentifier, SIGKILL)
            await BlockingIO.run { process.waitUntilExit() }

            workspace.server.setFaults(FaultPlan())
            // Not --quiet: the takeover is a notice, which --quiet leaves out (the run itself is fine).
            let (taken, report) = try await Self.sync(workspace, quiet: false)
            #expect(taken.exitCode == 0, "stderr: \(taken.stderr)")
            #expect(taken.stderr.contains("taking over the sync lock") && taken.stderr.contains("pid \(process.processIdentifier)"), "stderr: \(taken.stderr)")
            #expect(report?.datasets.allSatisfy { $0.exitCode == .success } == true)

            // Held by this test: a waiting sync says so (unless --quiet, QuietAndSmallTests), and runs once the
            // lock is released.
            var held: RunLock? = try RunLock(at: lockFile)
            let waiting = try PhysioProcess.start(
                ["sync", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path, "--wait-lock", "60"],
                environment: workspace.environment, stderr: Pipe())
            let stderr = waiting.standardError as! Pipe
            let line = await BlockingIO.run { readLine(from: stderr.fileHandleForReading) }
            #expect(line.contains("waiting up to 60 s"), "\(line)")
            held = nil
            await BlockingIO.run { waiting.waitUntilExit() }
            #expect(waiting.terminationStatus == 0)
            withExtendedLifetime(held) {}
        }
    }

    @Test("without credentials and without a terminal, a credentialed dataset stops the sync at once with exit 5 naming it")
    func missingCredentials() async throws {
        let toml = """
            [[dataset]]
            slug = "mimiciv"
            version = "3.1"

            [[dataset]]
            slug = "sync-demo"
            version = "1.0"
            """
        try await Self.withSyncWorkspace(toml) { workspace in
            let (result, report) = try await Self.sync(workspace)
            #expect(result.exitCode == 5, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("mimiciv 3.1") && result.stderr.contains("must be logged in"), "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("password for"), "no prompt")
            #expect(report?.datasets.map(\.status) == [.failed, .skipped])
            #expect(workspace.server.counters.requests.filter { $0.path.hasPrefix("/files/sync-demo/") }.isEmpty)

            let (withCredentials, fine) = try await Self.sync(workspace, extra: AccountTests.credentials("credentialed"))
            #expect(withCredentials.exitCode == 0, "stderr: \(withCredentials.stderr)")
            #expect(fine?.datasets.map(\.status) == [.updated, .updated])
        }
    }

    @Test("three processes at once stay within the machine-wide connection cap")
    func connectionBudget() async throws {
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 1_000_000), path: "/files/mimic-iv-demo/2.2/*")])
        try await withWorkspace(faults: faults) { workspace in
            let results = try await withThrowingTaskGroup(of: PhysioProcess.Result.self) { group in
                for index in 0..<3 {
                    group.addTask {
                        try await workspace.physio(
                            "fetch", "mimic-iv-demo@2.2", "--dest", workspace.dataRoot.appendingPathComponent("copy\(index)").path,
                            "-j", "4", "--quiet", extraEnvironment: ["PHYSIO_MAX_CONNECTIONS": "5"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.exitCode == 8 }, "the demo's one absent file; \(results.map(\.stderr))")
            #expect(workspace.server.counters.peakConnections <= 5, "peak \(workspace.server.counters.peakConnections)")
            #expect(workspace.server.counters.peakConnections >= 3, "the processes did overlap")
        }
    }

    @Test("cite prints the recorded citation offline, as text, BibTeX and RIS, with PhysioNet's own")
    func cite() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--quiet").exitCode == 8)
            var offline = workspace.environment
            offline["PHYSIO_BASE_URL"] = "http://127.0.0.1:9"
            let text = try await PhysioProcess.run(["cite", "mimic-iv-demo@2.2"], environment: offline)
            #expect(text.exitCode == 0, "stderr: \(text.stderr)")
            #expect(text.stdout.contains("Johnson, A., Bulgarelli, L.") && text.stdout.contains("(version 2.2)"), "\(text.stdout)")
            #expect(text.stdout.contains("DOI: https://doi.org/10.13026/dp1f-ex47"))
            #expect(text.stdout.contains("Licence: Open Data Commons Open Database License v1.0"))
            #expect(text.stdout.contains("Please also cite PhysioNet:") && text.stdout.contains("Goldberger"))

            let bibtex = try await PhysioProcess.run(["cite", "mimic-iv-demo@2.2", "--format", "bibtex"], environment: offline)
            #expect(bibtex.stdout.contains("@misc{mimic_iv_demo_2_2,") && bibtex.stdout.contains("doi = {10.13026/dp1f-ex47}"), "\(bibtex.stdout)")
            #expect(bibtex.stdout.contains("author = {Johnson, A. and Bulgarelli, L. and Pollard, T."))
            #expect(bibtex.stdout.contains("@article{goldberger2000physionet,"))

            let ris = try await PhysioProcess.run(["cite", "mimic-iv-demo@2.2", "--format", "ris"], environment: offline)
            #expect(ris.stdout.contains("TY  - DATA\r\n") && ris.stdout.contains("DO  - 10.13026/dp1f-ex47\r\n") && ris.stdout.contains("ER  - "), "\(ris.stdout)")
            #expect(ris.stdout.contains("AU  - Johnson, A.\r\n"))

            let missing = try await PhysioProcess.run(["cite", "mimiciv@3.1"], environment: offline)
            #expect(missing.exitCode == 2 && missing.stderr.contains("fetch or sync it once"))
        }
    }

    @Test("init writes a valid example; a broken physio.toml is exit 2 naming the line")
    func initAndErrors() async throws {
        try await withWorkspace { workspace in
            let file = workspace.directory.appendingPathComponent("physio.toml")
            let written = try await workspace.physio("init", "--file", file.path)
            #expect(written.exitCode == 0 && FileManager.default.fileExists(atPath: file.path))
            #expect(try await workspace.physio("init", "--file", file.path).exitCode == 2, "never overwrites without --force")
            _ = try DataEnvironment.load(file, context: RunContext(environment: [:], homeDirectory: "/home/someone"))

            try Data("[[dataset]]\nslug = \"sync-demo\"\nverison = \"1.0\"\n".utf8).write(to: file)
            let broken = try await workspace.physio("sync", "--file", file.path)
            #expect(broken.exitCode == 2 && broken.stderr.contains("physio.toml line 3: unknown key 'verison'"), "\(broken.stderr)")
        }
    }
}

/// One line of `handle` (blocking), without its newline.
func readLine(from handle: FileHandle) -> String {
    var bytes: [UInt8] = []
    while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != 0x0A {
        bytes.append(first)
    }
    return String(decoding: bytes, as: UTF8.self)
}
