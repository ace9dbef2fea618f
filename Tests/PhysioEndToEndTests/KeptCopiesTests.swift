import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Nothing a run overwrites is lost silently, end to end: a file the server replaced keeps its previous
/// bytes under `.physio/removed/`, and a file edited locally is named in a warning and kept, whether `sync`
/// or `fetch` replaces it.
@Suite("kept copies: replaced and locally modified files", .timeLimit(.minutes(3)))
struct KeptCopiesTests {
    static func removed(_ workspace: Workspace, _ folder: String, _ path: String) -> URL {
        workspace.dataRoot.appendingPathComponent(".physio/removed/\(RemovedArea.today)/sync-demo/\(folder)/\(path)")
    }

    @Test("a file the server replaced keeps its previous bytes under .physio/removed/<day>/<slug>/<version>, and sync and fetch say where; sync --prune keeps nothing")
    func replacedFileKept() async throws {
        try await SyncTests.withSyncWorkspace { workspace in
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            let original = try Data(contentsOf: workspace.datasetFile("sync-demo", "1.0", "a.csv"))
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("second,version\n".utf8))

            let (synced, report) = try await SyncTests.sync(workspace, quiet: false)
            #expect(synced.exitCode == 0, "stderr: \(synced.stderr)")
            let entry = try #require(SyncTests.dataset(report, "sync-demo"))
            let folder = Self.removed(workspace, "1.0", "a.csv").deletingLastPathComponent().path
            #expect(entry.changed == 1 && entry.previousKept == 1 && entry.keptIn == folder && entry.localCopies.isEmpty)
            #expect(try Data(contentsOf: Self.removed(workspace, "1.0", "a.csv")) == original)
            #expect(try String(contentsOf: workspace.datasetFile("sync-demo", "1.0", "a.csv"), encoding: .utf8) == "second,version\n")
            #expect(synced.stderr.contains("1 changed (previous bytes kept in \(folder))"), "stderr: \(synced.stderr)")
            #expect(!synced.stderr.contains("warning:"), "physio's own bytes of a changed file are no local change: \(synced.stderr)")

            // fetch does the same, and its summary says where; a second replacement the same day keeps both.
            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("third,version\n".utf8))
            let fetched = try await workspace.physio("fetch", "sync-demo@1.0")
            #expect(fetched.exitCode == 0, "stderr: \(fetched.stderr)")
            #expect(fetched.stdout.contains("The previous bytes of 1 replaced file are kept in \(folder)"), "stdout: \(fetched.stdout)")
            #expect(try String(contentsOf: Self.removed(workspace, "1.0", "a.csv.1"), encoding: .utf8) == "second,version\n")
            #expect(try Data(contentsOf: Self.removed(workspace, "1.0", "a.csv")) == original)

            try workspace.server.replaceFile(slug: "sync-demo", version: "1.0", path: "a.csv", with: Array("fourth\n".utf8))
            let (pruned, prunedReport) = try await SyncTests.sync(workspace, "--prune")
            #expect(pruned.exitCode == 0 && SyncTests.dataset(prunedReport, "sync-demo")?.previousKept == 0)
            #expect(SyncTests.dataset(prunedReport, "sync-demo")?.keptIn == nil)
            #expect(!FileManager.default.fileExists(atPath: Self.removed(workspace, "1.0", "a.csv.2").path))
        }
    }

    @Test("a fetch that overwrites a locally edited file warns, naming it and where the edited copy is kept, even with --quiet")
    func modifiedFileWarnedAndKept() async throws {
        try await withWorkspace(fixture: try SyncTests.fixture()) { workspace in
            #expect(try await workspace.physio("fetch", "sync-demo@1.0", "--exclude", "c.txt", "--quiet").exitCode == 0)
            let file = workspace.datasetFile("sync-demo", "1.0", "notes/b.csv")
            let served = try Data(contentsOf: file)
            try Data("my own analysis\n".utf8).write(to: file)
            #expect(try await workspace.physio("verify", "sync-demo@1.0").exitCode == 7)
            // A file the list names but physio never fetched, put there by someone.
            try Data("not from physio\n".utf8).write(to: workspace.datasetFile("sync-demo", "1.0", "c.txt"))

            let result = try await workspace.physio("fetch", "sync-demo@1.0", "--quiet", "--json")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let kept = Self.removed(workspace, "1.0.modified", "notes/b.csv")
            #expect(result.stderr.contains(
                "warning: notes/b.csv was changed after physio verified it; the server's copy replaces it, and the local copy is kept at \(kept.path)"),
                "stderr: \(result.stderr)")
            #expect(result.stderr.contains("warning: c.txt holds bytes physio has no record of verifying;"), "stderr: \(result.stderr)")
            #expect(try Data(contentsOf: file) == served)
            #expect(try String(contentsOf: kept, encoding: .utf8) == "my own analysis\n")
            #expect(try String(contentsOf: Self.removed(workspace, "1.0.modified", "c.txt"), encoding: .utf8) == "not from physio\n")
            let summary = try decodeSummary(result)
            #expect(summary.localCopies.map(\.path) == ["c.txt", "notes/b.csv"])
            #expect(summary.localCopies.map(\.cause) == [.unrecorded, .changedSinceVerified])
            #expect(summary.counts.previousKept == 0 && summary.keptIn == nil)
            #expect(try await workspace.physio("verify", "sync-demo@1.0").exitCode == 0)
        }
    }
}

extension KeptCopiesTests {
    @Test("a file edited locally that the server stopped listing is kept under <version>.modified with a warning, by sync and by sync --prune, which deletes the untouched ones")
    func editedStaleFileKept() async throws {
        try await SyncTests.withSyncWorkspace { workspace in
            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            try Data("my own analysis\n".utf8).write(to: workspace.datasetFile("sync-demo", "1.0", "notes/b.csv"))
            try workspace.server.removeFile(slug: "sync-demo", version: "1.0", path: "notes/b.csv")
            try workspace.server.removeFile(slug: "sync-demo", version: "1.0", path: "c.txt")

            let (moved, report) = try await SyncTests.sync(workspace)
            #expect(moved.exitCode == 0, "stderr: \(moved.stderr)")
            let kept = Self.removed(workspace, "1.0.modified", "notes/b.csv")
            #expect(moved.stderr.contains(
                "warning: notes/b.csv was changed after physio verified it; the server no longer lists it, and the local copy is kept at \(kept.path)"),
                "stderr: \(moved.stderr)")
            let entry = try #require(SyncTests.dataset(report, "sync-demo"))
            #expect(entry.removed == 2 && entry.localCopies.map(\.path) == ["notes/b.csv"] && entry.localCopies.first?.action == .deleted)
            #expect(try String(contentsOf: kept, encoding: .utf8) == "my own analysis\n")
            #expect(FileManager.default.fileExists(atPath: Self.removed(workspace, "1.0", "c.txt").path), "the untouched one moves aside as before")

            try Data("edited too\n".utf8).write(to: workspace.datasetFile("sync-demo", "1.0", "a.csv"))
            try workspace.server.removeFile(slug: "sync-demo", version: "1.0", path: "a.csv")
            let (pruned, prunedReport) = try await SyncTests.sync(workspace, "--prune")
            #expect(pruned.exitCode == 0 && SyncTests.dataset(prunedReport, "sync-demo")?.localCopies.map(\.path) == ["a.csv"], "\(pruned.stderr)")
            #expect(pruned.stderr.contains("warning: a.csv was changed after physio verified it; the server no longer lists it"), "\(pruned.stderr)")
            #expect(try String(contentsOf: Self.removed(workspace, "1.0.modified", "a.csv"), encoding: .utf8) == "edited too\n")
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("sync-demo", "1.0", "a.csv").path))
        }
    }
}

extension RemovedArea {
    /// Today's folder name (UTC), as a run now names it.
    static var today: String { String(ISO8601DateFormatter().string(from: Date()).prefix(10)) }
}
