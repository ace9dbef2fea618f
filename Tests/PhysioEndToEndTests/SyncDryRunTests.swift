import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `physio sync --dry-run`: what a sync would fetch, replace and move aside or delete, from the fetch's own
/// plan, with nothing changed on disk.
@Suite("sync --dry-run", .timeLimit(.minutes(3)))
struct SyncDryRunTests {
    static func dryRun(_ workspace: Workspace, _ arguments: String..., json: Bool = false) async throws -> (PhysioProcess.Result, SyncPlan?) {
        let result = try await PhysioProcess.run(
            ["sync", "--file", workspace.dataRoot.appendingPathComponent("physio.toml").path, "--dry-run"] + (json ? ["--json"] : []) + arguments,
            environment: workspace.environment)
        return (result, json ? try? JSONDecoder().decode(SyncPlan.self, from: Data(result.stdout.utf8)) : nil)
    }

    static func dataset(_ plan: SyncPlan?, _ slug: String, requested: String? = nil) -> SyncPlan.Dataset? {
        plan?.datasets.first { $0.slug == slug && (requested == nil || $0.requested == requested) }
    }

    /// Everything under `folder`, as relative paths: what a dry run must leave as it was.
    static func tree(_ folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String { paths.append(path) }
        return paths.sorted()
    }

    @Test("on a fresh root it lists what a sync would fetch, with sizes and totals, and creates nothing, not even .physio/")
    func freshRoot() async throws {
        try await SyncTests.withSyncWorkspace { workspace in
            let (text, _) = try await Self.dryRun(workspace)
            #expect(text.exitCode == 0, "stderr: \(text.stderr)")
            #expect(text.stdout.contains("sync-demo 1.0:\n  download         a.csv (1000 B)"), "stdout: \(text.stdout)")
            #expect(text.stdout.contains("  download         notes/b.csv (2.0 KiB)"), "stdout: \(text.stdout)")
            #expect(text.stdout.contains("  3 files (3.2 KiB) to fetch; 0 files unchanged"), "stdout: \(text.stdout)")
            #expect(text.stdout.contains("dry run: nothing was changed. A sync would fetch"), "stdout: \(text.stdout)")
            #expect(text.stderr.contains("Planning sync-demo 1.0 (dry run"), "stderr: \(text.stderr)")
            #expect(!text.stderr.contains("Fetching"), "stderr: \(text.stderr)")

            let (json, plan) = try await Self.dryRun(workspace, json: true)
            #expect(json.exitCode == 0, "stderr: \(json.stderr)")
            let demo = try #require(Self.dataset(plan, "sync-demo"), "stdout: \(json.stdout)")
            #expect(demo.fetch.files == 3 && demo.fetch.bytes == 3_300 && demo.keep.files == 0 && demo.isCurrent == false)
            let omop = try #require(Self.dataset(plan, "mimic-iv-demo-omop"))
            #expect(omop.requested == "latest" && omop.version == "0.9" && omop.fetch.files > 0)
            #expect(plan?.totals.fetch.files == demo.fetch.files + omop.fetch.files)
            #expect(plan?.plan.filter { $0.slug == "sync-demo" }.map(\.path) == ["a.csv", "c.txt", "notes/b.csv"])
            #expect(plan?.plan.count == plan?.totals.fetch.files && plan?.plan.allSatisfy { $0.action == "download" } == true)

            #expect(Self.tree(workspace.dataRoot) == ["physio.toml"], "a dry run writes nothing: \(Self.tree(workspace.dataRoot))")
            #expect(SyncTests.dataRequests(workspace, "sync-demo", after: 0).isEmpty, "and downloads nothing")
        }
    }

    @Test("after a sync: a file changed upstream or locally is a replace, one the list dropped a move aside (--prune: a delete); nothing is touched, and the sync then does just that")
    func changes() async throws {
        try await SyncTests.withSyncWorkspace { workspace in
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("new,bytes\n".utf8))
            try workspace.server.removeFile(slug: "sync-demo", version: "1.0", path: "notes/b.csv")
            let tampered = workspace.datasetFile("sync-demo", "1.0", "c.txt")
            try Data("edited by hand\n".utf8).write(to: tampered)

            let physio = workspace.dataRoot.appendingPathComponent(".physio", isDirectory: true)
            let files = ["physio.lock", ".physio/last-sync.json", ".physio/inventory.sqlite"].map { workspace.dataRoot.appendingPathComponent($0) }
            let contents = try files.map { try Data(contentsOf: $0) }
            let tree = Self.tree(workspace.dataRoot)
            let rows = try workspace.manifest("sync-demo", "1.0")
            let before = workspace.server.counters.requests.last?.serial ?? 0

            let (json, plan) = try await Self.dryRun(workspace, json: true)
            #expect(json.exitCode == 0, "stderr: \(json.stderr)")
            let demo = try #require(Self.dataset(plan, "sync-demo"), "stdout: \(json.stdout)")
            #expect(demo.fetch.files == 0 && demo.replace.files == 2 && demo.replace.bytes == 310, "\(demo)")
            #expect(demo.remove.files == 1 && demo.remove.bytes == 2_000 && demo.keep.files == 0, "\(demo)")
            #expect(demo.removeTo?.hasPrefix(physio.appendingPathComponent("removed").path + "/") == true, "\(demo)")
            #expect(plan?.plan.filter { $0.slug == "sync-demo" }.map { "\($0.action) \($0.path)" }
                == ["replace a.csv", "replace c.txt", "move aside notes/b.csv"])
            #expect(Self.dataset(plan, "mimic-iv-demo-omop")?.isCurrent == true)

            let (text, _) = try await Self.dryRun(workspace)
            #expect(text.stdout.contains("  replace          a.csv (10 B)") && text.stdout.contains("  move aside       notes/b.csv (2.0 KiB)"),
                    "stdout: \(text.stdout)")
            #expect(text.stdout.contains("2 files (310 B) to replace, 1 file (2.0 KiB) to move aside into \(demo.removeTo ?? "?")"), "stdout: \(text.stdout)")
            #expect(text.stdout.contains("mimic-iv-demo-omop 0.9 (latest): current"), "stdout: \(text.stdout)")

            let (pruned, prunedPlan) = try await Self.dryRun(workspace, "--prune", json: true)
            #expect(pruned.exitCode == 0 && prunedPlan?.prune == true, "stderr: \(pruned.stderr)")
            #expect(Self.dataset(prunedPlan, "sync-demo")?.removeTo == nil)
            #expect(prunedPlan?.plan.first { $0.path == "notes/b.csv" }?.action == "delete")

            #expect(try files.map { try Data(contentsOf: $0) } == contents, "physio.lock, last-sync.json and the inventory are as they were")
            #expect(Self.tree(workspace.dataRoot) == tree, "no file moved, fetched or made")
            #expect(try workspace.manifest("sync-demo", "1.0") == rows)
            #expect(try String(contentsOf: tampered, encoding: .utf8) == "edited by hand\n")
            #expect(SyncTests.dataRequests(workspace, "sync-demo", after: before).isEmpty)

            let (synced, report) = try await SyncTests.sync(workspace)
            #expect(synced.exitCode == 0, "stderr: \(synced.stderr)")
            let done = try #require(SyncTests.dataset(report, "sync-demo"))
            #expect(done.changed == demo.replace.files && done.added == demo.fetch.files && done.removed == demo.remove.files, "\(done)")
        }
    }

    @Test("a pinned dataset names its newer version; 'latest' that moved names the version physio.lock holds")
    func versions() async throws {
        let toml = SyncTests.pinnedAndLatest
        try await SyncTests.withSyncWorkspace(toml) { workspace in
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            try workspace.server.publish(slug: "sync-demo", version: SyncTests.version("1.1"))

            let (json, plan) = try await Self.dryRun(workspace, json: true)
            #expect(json.exitCode == 0, "stderr: \(json.stderr)")
            let pinned = try #require(Self.dataset(plan, "sync-demo", requested: "1.0"))
            #expect(pinned.version == "1.0" && pinned.newerVersion == "1.1" && pinned.isCurrent)
            let latest = try #require(Self.dataset(plan, "sync-demo", requested: "latest"))
            #expect(latest.version == "1.1" && latest.lockedVersion == "1.0" && latest.fetch.files == 3)

            let (text, _) = try await Self.dryRun(workspace)
            #expect(text.stdout.contains("sync-demo 1.1 is available; this root pins 1.0"), "stdout: \(text.stdout)")
            #expect(text.stdout.contains("latest is now 1.1; physio.lock holds 1.0"), "stdout: \(text.stdout)")
        }
    }

    @Test("--locked --dry-run: a list that no longer matches physio.lock is the exit 7 the sync would give")
    func lockedDrift() async throws {
        try await SyncTests.withSyncWorkspace { workspace in
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("changed\n".utf8))
            let (result, plan) = try await Self.dryRun(workspace, "--locked", json: true)
            #expect(result.exitCode == 7, "stderr: \(result.stderr)")
            #expect(plan?.exitCode == .integrity && Self.dataset(plan, "sync-demo")?.error?.contains("no longer matches physio.lock") == true)
            #expect(result.stderr.contains("physio: sync-demo 1.0: "), "stderr: \(result.stderr)")
        }
    }
}
