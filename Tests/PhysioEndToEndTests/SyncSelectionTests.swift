import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `sync --only SLUG`, and a misspelt slug in physio.toml reported before anything downloads.
@Suite("sync: --only and misspelt slugs", .serialized, .timeLimit(.minutes(3)))
struct SyncSelectionTests {
    static let toml = """
        [[dataset]]
        slug = "sync-demo"
        version = "1.0"

        [[dataset]]
        slug = "mimic-iv-demo-omop"
        version = "0.9"
        """

    @Test("a misspelt slug in physio.toml: exit 2 naming its line and the closest slug, and nothing downloaded")
    func misspeltSlug() async throws {
        let toml = Self.toml.replacingOccurrences(of: "slug = \"mimic-iv-demo-omop\"", with: "slug = \"mimic-iv-demo-omp\"")
        try await SyncTests.withSyncWorkspace(toml) { workspace in
            let (result, _) = try await SyncTests.sync(workspace)
            #expect(result.exitCode == 2, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("line 5") && result.stderr.contains("mimic-iv-demo-omp"), "stderr: \(result.stderr)")
            #expect(result.stderr.contains("Did you mean mimic-iv-demo-omop"), "stderr: \(result.stderr)")
            #expect(workspace.server.counters.requests(path: "/files/sync-demo/1.0/a.csv").isEmpty, "nothing was downloaded")
        }
    }

    @Test("sync --only syncs one dataset and leaves the others and their physio.lock entries alone")
    func only() async throws {
        try await SyncTests.withSyncWorkspace(Self.toml) { workspace in
            let (first, _) = try await SyncTests.sync(workspace, "--only", "sync-demo")
            #expect(first.exitCode == 0, "stderr: \(first.stderr)")
            #expect(FileManager.default.fileExists(atPath: workspace.datasetFile("sync-demo", "1.0", "a.csv").path))
            #expect(!FileManager.default.fileExists(atPath: workspace.dataRoot.appendingPathComponent("mimic-iv-demo-omop").path))

            #expect(try await SyncTests.sync(workspace).0.exitCode == 0)
            let (again, report) = try await SyncTests.sync(workspace, "--only", "sync-demo")
            #expect(again.exitCode == 0, "stderr: \(again.stderr)")
            #expect(report?.datasets.map(\.slug) == ["sync-demo"])
            let lock = try #require(try DataLock.load(beside: workspace.dataRoot.appendingPathComponent("physio.toml")))
            #expect(lock.entries.map(\.slug).sorted() == ["mimic-iv-demo-omop", "sync-demo"], "the other entry stays in the lock")

            let (wrong, _) = try await SyncTests.sync(workspace, "--only", "nope")
            #expect(wrong.exitCode == 2, "stderr: \(wrong.stderr)")
        }
    }
}
