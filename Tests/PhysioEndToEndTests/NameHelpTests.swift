import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Wrong names get help (the closest slugs, the published versions, the page), `physio search` and
/// `physio versions` list what is published, and `@latest` works on the command line.
@Suite("names: suggestions, search, versions, @latest", .serialized, .timeLimit(.minutes(3)))
struct NameHelpTests {
    @Test("a misspelt slug gets the closest published slugs and a page")
    func misspeltSlug() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimic3-demo")
            #expect(result.exitCode == 3, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("Did you mean"), "stderr: \(result.stderr)")
            // `mimic3` is how people write MIMIC-III: the roman spelling ranks first.
            #expect(result.stderr.contains("Did you mean mimiciii-demo"), "stderr: \(result.stderr)")
            #expect(result.stderr.contains("\(workspace.baseURL.absoluteString)content/") || result.stderr.contains("/content/mimi"))
        }
    }

    @Test("a missing version lists the published ones and the page, and the printed fetch runs")
    func missingVersion() async throws {
        try await withWorkspace { workspace in
            var environment = workspace.environment
            environment["PHYSIO_DATA"] = nil
            let dest = workspace.directory.appendingPathComponent("elsewhere", isDirectory: true)
            let result = try await PhysioProcess.run(
                ["fetch", "mimiciii-demo@1.5", "--dest", dest.path, "--include", "PATIENTS.csv"], environment: environment)
            #expect(result.exitCode == 3, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("published: 1.4"), "stderr: \(result.stderr)")
            #expect(result.stderr.contains("/content/mimiciii-demo/"))
            let hint = try #require(PrintedCommandTests.printedCommand(after: "Run ", in: result.stderr))
            let rerun = try await PrintedCommandTests.runPrinted(hint, environment: environment)
            #expect(rerun.exitCode == 0, "\(hint): \(rerun.stderr)")
            #expect(FileManager.default.fileExists(atPath: dest.appendingPathComponent("mimiciii-demo/1.4/PATIENTS.csv").path))
        }
    }

    @Test("search lists slug, title, latest version, access and size; versions lists dates and what is local; @latest fetches the latest")
    func searchVersionsLatest() async throws {
        try await withWorkspace { workspace in
            let search = try await workspace.physio("search", "mimic", "--json")
            #expect(search.exitCode == 0, "stderr: \(search.stderr)")
            let projects = try JSONDecoder().decode([ProjectCatalog.Project].self, from: Data(search.stdout.utf8))
            let mimiciv = try #require(projects.first { $0.slug == "mimiciv" })
            #expect(mimiciv.latestVersion == "3.1")
            #expect(mimiciv.access == "credentialed")
            #expect((mimiciv.size ?? 0) > 0)
            #expect(projects.first { $0.slug == "mimic-iv-demo-omop" }?.access == "open")
            let text = try await workspace.physio("search", "omop")
            #expect(text.stdout.contains("mimic-iv-demo-omop") && text.stdout.contains("0.9") && text.stdout.contains("open"))

            let latest = try await workspace.physio("fetch", "mimic-iv-demo-omop@latest", "--quiet")
            #expect(latest.exitCode == 0, "stderr: \(latest.stderr)")
            #expect(FileManager.default.fileExists(atPath: workspace.datasetFile("mimic-iv-demo-omop", "0.9", "README.txt").path))

            let versions = try await workspace.physio("versions", "mimic-iv-demo-omop", "--json")
            #expect(versions.exitCode == 0, "stderr: \(versions.stderr)")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["version"] as? String == "0.9")
            #expect(entries.first?["local"] as? Bool == true)
            #expect((entries.first?["published"] as? String)?.count == 10)
            let several = try await workspace.physio("versions", "mimiciv")
            #expect(several.stdout.contains("mimiciv@3.0") && several.stdout.contains("mimiciv@3.1"), "stdout: \(several.stdout)")
            #expect(!several.stdout.contains("local"))
            let unknown = try await workspace.physio("versions", "mimic4")
            #expect(unknown.exitCode == 3)
            #expect(unknown.stderr.contains("mimiciv"))
        }
    }

    @Test("the latest version is the one the project page redirects to, not the last the API lists: a fix to 1.0 published after 1.1")
    func latestIsNotTheLastPublished() async throws {
        try await SyncTests.withSyncWorkspace { workspace in
            try workspace.server.publish(slug: "sync-demo", version: SyncTests.version("1.1"))
            try workspace.server.publish(slug: "sync-demo", version: SyncTests.version("0.9"))
            let versions = try await workspace.physio("versions", "sync-demo", "--json")
            #expect(versions.exitCode == 0, "stderr: \(versions.stderr)")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [[String: Any]])
            #expect(entries.map { $0["version"] as? String } == ["1.0", "1.1", "0.9"], "the API's order, as published")
            #expect(entries.filter { $0["latest"] as? Bool == true }.map { $0["version"] as? String } == ["1.1"])
            let search = try await workspace.physio("search", "sync-demo", "--json")
            let projects = try JSONDecoder().decode([ProjectCatalog.Project].self, from: Data(search.stdout.utf8))
            #expect(projects.first { $0.slug == "sync-demo" }?.latestVersion == "1.1")
            let wrong = try await workspace.physio("fetch", "sync-demo@2.0")
            #expect(wrong.exitCode == 3)
            #expect(wrong.stderr.contains("physio fetch sync-demo@1.1"), "stderr: \(wrong.stderr)")
        }
    }
}
