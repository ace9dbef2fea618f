import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `cite` and `outdated` in a data root without physio.toml (or with --dest): every dataset the inventory
/// records. `outdated` lists only what is outdated, `--all` everything, `--exit-code` exits 1 for monitoring.
@Suite("cite and outdated from a data root", .serialized, .timeLimit(.minutes(3)))
struct DataRootScopeTests {
    @Test("after plain fetches, cite and outdated use every recorded dataset; outdated --all and --exit-code")
    func plainFetches() async throws {
        try await withWorkspace(fixture: try SyncTests.fixture()) { workspace in
            #expect(try await workspace.physio("fetch", "sync-demo@1.0", "--quiet").exitCode == 0)
            #expect(try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet").exitCode == 0)
            let inRoot = { (arguments: [String]) in
                try await PhysioProcess.run(arguments, environment: workspace.environment, currentDirectory: workspace.dataRoot)
            }

            let cite = try await inRoot(["cite", "--format", "bibtex"])
            #expect(cite.exitCode == 0, "stderr: \(cite.stderr)")
            #expect(cite.stdout.contains("10.13026/sync-1.0") && cite.stdout.contains("mimic-iv-demo-omop"), "stdout: \(cite.stdout)")
            var elsewhere = workspace.environment
            elsewhere["PHYSIO_DATA"] = nil
            let citeDest = try await PhysioProcess.run(
                ["cite", "--dest", workspace.dataRoot.path], environment: elsewhere, currentDirectory: workspace.directory)
            #expect(citeDest.exitCode == 0, "stderr: \(citeDest.stderr)")
            #expect(citeDest.stdout.contains("Sync Demo"))

            let current = try await inRoot(["outdated", "--exit-code"])
            #expect(current.exitCode == 0, "stderr: \(current.stderr)")
            #expect(current.stdout.isEmpty, "only what is outdated is listed: \(current.stdout)")

            try workspace.server.publish(slug: "sync-demo", version: SyncTests.version("1.1"))
            let outdated = try await inRoot(["outdated"])
            #expect(outdated.exitCode == 0)
            #expect(outdated.stdout.contains("sync-demo") && outdated.stdout.contains("1.1 is available"), "stdout: \(outdated.stdout)")
            #expect(!outdated.stdout.contains("mimic-iv-demo-omop"))
            let all = try await inRoot(["outdated", "--all"])
            #expect(all.stdout.contains("mimic-iv-demo-omop") && all.stdout.contains("sync-demo"), "stdout: \(all.stdout)")
            let monitored = try await inRoot(["outdated", "--exit-code", "--json"])
            #expect(monitored.exitCode == 1, "stderr: \(monitored.stderr)")
            let entries = try JSONDecoder().decode([OutdatedCheck.Entry].self, from: Data(monitored.stdout.utf8))
            #expect(entries.map(\.slug) == ["sync-demo"] && entries.first?.latest == "1.1" && entries.first?.current == "1.0")
        }
    }
}
