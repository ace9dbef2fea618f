import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Old versions and `.physio/removed/` end to end: `physio list` shows them, `physio prune` lists them as a
/// dry run and removes them with --yes (only what is old enough, never what physio.toml declares, never a
/// file changed since verification), and the inventory agrees afterwards.
@Suite("list and prune: old versions and .physio/removed", .timeLimit(.minutes(3)))
struct PruneTests {
    static let latestOnly = """
        [[dataset]]
        slug = "sync-demo"
        version = "latest"
        """

    /// Every path under the data root but the locks (which any run creates), with each file's bytes.
    static func snapshot(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            let path = String(url.path.dropFirst(root.path.count))
            guard !path.hasPrefix("/.physio/locks") else { continue }
            files[path] = (try? Data(contentsOf: url)) ?? Data()
        }
        return files
    }

    /// Runs a command line as a shell reads it, as a user pastes what physio printed.
    static func shell(_ line: String, _ workspace: Workspace) async throws -> PhysioProcess.Result {
        let bin = PhysioProcess.executable.deletingLastPathComponent().path
        return try await PhysioProcess.run(["-c", "PATH=\(bin):$PATH " + line], environment: workspace.environment, executable: "/bin/sh")
    }

    static func day(daysAgo: Int) -> String {
        String(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-Double(daysAgo) * 86_400)).prefix(10))
    }

    @Test("list marks the version 'latest' left behind and totals .physio/removed; prune's dry run changes nothing; --yes removes only entries older than the age and old versions, keeps an edited file, and verify passes")
    func listAndPrune() async throws {
        try await SyncTests.withSyncWorkspace(Self.latestOnly) { workspace in
            let root = workspace.dataRoot
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("changed\n".utf8))
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0, "today's entry: a.csv's previous bytes")
            try workspace.server.publish(slug: "sync-demo", version: SyncTests.version("1.1"))
            let (moved, report) = try await SyncTests.sync(workspace, quiet: false)
            #expect(moved.exitCode == 0 && SyncTests.dataset(report, "sync-demo")?.leftBehind == "1.0", "stderr: \(moved.stderr)")
            let hint = try #require(moved.stderr.firstRange(of: "`physio prune").map { moved.stderr[$0.lowerBound...] }?.split(separator: "`").first)
            #expect(moved.stderr.contains("sync-demo 1.0, which \"latest\" stood for before, stays under the root: `"), "stderr: \(moved.stderr)")

            // An entry from 40 days ago, as an older sync would have left it.
            let old = root.appendingPathComponent(".physio/removed/\(Self.day(daysAgo: 40))/sync-demo/1.0/gone.csv")
            try FileManager.default.createDirectory(at: old.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("gone\n".utf8).write(to: old)

            let list = try await workspace.physio("list")
            #expect(list.exitCode == 0, "stderr: \(list.stderr)")
            #expect(list.stdout.contains("sync-demo@1.0  3 files  2.3 KiB  complete, old version (1.1 is here)"), "\(list.stdout)")
            #expect(!list.stdout.contains("sync-demo@1.1  3 files  3.2 KiB  complete, old"), "\(list.stdout)")
            #expect(list.stdout.contains("1 old version (2.3 KiB) kept beside a newer one: `physio prune --old-versions`"), "\(list.stdout)")
            #expect(list.stdout.contains("\(root.path)/.physio/removed keeps 2 files (1005 B) replaced, removed or edited since \(Self.day(daysAgo: 40))"),
                    "\(list.stdout)")
            let entries = try JSONDecoder().decode([ListEntry].self, from: Data(try await workspace.physio("list", "--json").stdout.utf8))
            #expect(entries.map(\.supersededBy) == ["1.1", nil])

            // The dry run the sync printed runs as printed and changes nothing.
            let before = Self.snapshot(root)
            let printed = try await Self.shell(String(hint), workspace)
            #expect(printed.exitCode == 0 && printed.stdout.contains("would remove sync-demo@1.0, older than 1.1 here: 3 files"), "\(printed.stdout) \(printed.stderr)")
            let dry = try await workspace.physio("prune", "--old-versions", "--json")
            #expect(dry.exitCode == 0, "stderr: \(dry.stderr)")
            let planned = try JSONDecoder().decode(PruneReport.self, from: Data(dry.stdout.utf8))
            #expect(planned.dryRun && planned.removedEntries.map(\.path) == [old.deletingLastPathComponent().path])
            #expect(planned.oldVersions.map { "\($0.slug)@\($0.version)" } == ["sync-demo@1.0"] && planned.files == 4)
            #expect(Self.snapshot(root) == before, "a dry run changes nothing")

            try Data("my notes\n".utf8).write(to: workspace.datasetFile("sync-demo", "1.0", "notes/b.csv"))
            let text = try await workspace.physio("prune", "--old-versions")
            #expect(text.stdout.contains("  notes/b.csv changed since physio verified it: it would be moved to .physio/removed/, not deleted"), "\(text.stdout)")
            #expect(text.stdout.contains("Dry run: would free 313 B in 3 files. Run `physio prune --old-versions --yes` to remove them."), "\(text.stdout)")

            let done = try await workspace.physio("prune", "--old-versions", "--yes", "--json")
            #expect(done.exitCode == 0, "stderr: \(done.stderr)")
            let pruned = try JSONDecoder().decode(PruneReport.self, from: Data(done.stdout.utf8))
            #expect(!pruned.dryRun && pruned.files == 3)
            let kept = root.appendingPathComponent(".physio/removed/\(RemovedArea.today)/sync-demo/1.0.modified/notes/b.csv")
            #expect(pruned.localCopies == [FetchSummary.KeptFile(path: "notes/b.csv", keptAt: kept.path, cause: .changedSinceVerified, action: .deleted)])
            #expect(try String(contentsOf: kept, encoding: .utf8) == "my notes\n")
            #expect(!FileManager.default.fileExists(atPath: old.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path),
                    "the 40-day-old day folder is gone with its entry")
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".physio/removed/\(RemovedArea.today)/sync-demo/1.0/a.csv").path),
                    "today's entry is younger than 30 days")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("sync-demo/1.0").path))
            #expect(try workspace.manifest("sync-demo", "1.0") == nil && workspace.manifest("sync-demo", "1.1")?.files.count == 3)
            let verify = try await workspace.physio("verify")
            #expect(verify.exitCode == 0 && verify.stdout.contains("sync-demo 1.1: 3 verified") && !verify.stdout.contains("1.0"), "\(verify.stdout)")
            #expect(!(try await workspace.physio("list")).stdout.contains("old version"))
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0, "the root still syncs")
        }
    }

    @Test("a version physio.toml pins is never old; prune --yes exits 10 naming the holder of the sync lock (a dry run takes none); a bad --older-than is a usage error")
    func declaredLockedAndUsage() async throws {
        let toml = SyncTests.pinnedAndLatest
        try await SyncTests.withSyncWorkspace(toml) { workspace in
            try workspace.server.publish(slug: "sync-demo", version: SyncTests.version("1.1"))
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            let list = try await workspace.physio("list")
            #expect(list.exitCode == 0 && !list.stdout.contains("old version"), "\(list.stdout)")
            let dry = try JSONDecoder().decode(
                PruneReport.self, from: Data(try await workspace.physio("prune", "--old-versions", "--older-than", "0d", "--json").stdout.utf8))
            #expect(dry.oldVersions.isEmpty && dry.isEmpty)

            var held: RunLock? = try RunLock(at: SyncEngine.lockFile(root: workspace.dataRoot))
            let refused = try await workspace.physio("prune", "--yes")
            #expect(refused.exitCode == 10 && refused.stderr.contains("pid \(getpid())"), "stderr: \(refused.stderr)")
            #expect(try await workspace.physio("prune").exitCode == 0, "a dry run takes no lock")
            held = nil
            withExtendedLifetime(held) {}
            #expect(try await workspace.physio("prune", "--yes").exitCode == 0)

            for bad in ["30", "3x", "1.5d", "d", "99999999d"] {
                let result = try await workspace.physio("prune", "--older-than", bad)
                #expect(result.exitCode == 2, "\(bad)")
                #expect(result.stderr.hasPrefix("Error: --older-than takes a whole number of days or hours, such as 30d or 12h, not '\(bad)'.\n"),
                        "\(bad): \(result.stderr)")
            }
        }
    }

    /// The fields of `physio list --json` this suite reads.
    struct ListEntry: Decodable {
        var slug: String
        var version: String
        var supersededBy: String?
    }
}
