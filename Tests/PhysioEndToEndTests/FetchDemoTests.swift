import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `physio fetch` of the genuine demos against the simulator: real libcurl, real sockets, real files.
@Suite("fetch: genuine demos", .timeLimit(.minutes(3)))
struct FetchDemoTests {
    static let absentMIMICIII = ["ADMISSIONS.csv", "CHARTEVENTS.csv", "INPUTEVENTS_CV.csv", "LABEVENTS.csv"]

    @Test("mimiciii-demo: every present file verified against the pin; the 4 absent ones reported, exit 8",
          arguments: [SimulatorMode.production, .development])
    func mimiciiiDemo(mode: SimulatorMode) async throws {
        try await withWorkspace(mode: mode) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo", "--json", "--quiet")
            #expect(result.exitCode == 8, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.version == "1.4")
            #expect(summary.counts.verified == 23)
            #expect(summary.counts.failed == 4)
            #expect(summary.failures.map(\.path) == Self.absentMIMICIII)
            #expect(summary.failures.allSatisfy { $0.reason.contains("404") })
            let pinned = try #require(PinnedChecksums.list(slug: "mimiciii-demo", version: "1.4"))
            for entry in pinned.entries where !Self.absentMIMICIII.contains(entry.path.value) {
                let local = workspace.datasetFile("mimiciii-demo", "1.4", entry.path.value)
                #expect(try FileHashing.digest(of: local) == entry.digest, "\(entry.path)")
            }
            for absent in Self.absentMIMICIII {
                #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("mimiciii-demo", "1.4", absent).path))
            }
            let manifest = try #require(try workspace.manifest("mimiciii-demo", "1.4"))
            #expect(manifest.matchesPin == true)
            #expect(manifest.files.filter { $0.state == .verified }.count == 23)
            // The upstream list sits in the dataset folder too, so `sha256sum -c` works there.
            let list = try String(contentsOf: workspace.datasetFile("mimiciii-demo", "1.4", "SHA256SUMS.txt"), encoding: .utf8)
            #expect(list == PinnedChecksums.text(slug: "mimiciii-demo", version: "1.4")! + "\n")
        }
    }

    @Test("mimic-iv-demo with hosp/ and icu/ subfolders: 33 verified, icu/chartevents.csv.gz missing")
    func mimicivDemo() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--json", "--quiet", "-j", "3")
            #expect(result.exitCode == 8, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.counts.verified == 33)
            #expect(summary.failures.map(\.path) == ["icu/chartevents.csv.gz"])
            let sample = workspace.datasetFile("mimic-iv-demo", "2.2", "hosp/labevents.csv.gz")
            #expect(FileManager.default.contentsEqual(atPath: sample.path, andPath: workspace.fixtureFile("mimic-iv-demo", "2.2", "hosp/labevents.csv.gz").path))
            #expect(workspace.server.counters.peakConnections <= 6, "peak \(workspace.server.counters.peakConnections) with -j 3 (2 x -j when splitting)")
        }
    }

    @Test("a clean project fetches with exit 0; the wget layout nests under host/files")
    func cleanProjectAndWgetLayout() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimic-iv-demo-omop", "--layout", "wget")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let host = workspace.baseURL.host!
            let folder = workspace.dataRoot.appendingPathComponent("\(host)/files/mimic-iv-demo-omop/0.9")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("2_achilles_json/dashboard.json").path))
            #expect(result.stdout.contains("verified"))
            // Nothing of physio's own inside the dataset folder.
            let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            #expect(!names.contains { $0.hasSuffix(".part") || $0.hasSuffix(".json") && $0.hasPrefix(".") })
        }
    }

    @Test("a no-op rerun makes no data requests and re-hashes nothing")
    func noOpRerun() async throws {
        try await withWorkspace { workspace in
            let first = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet")
            #expect(first.exitCode == 0, "stderr: \(first.stderr)")
            workspace.server.counters.reset()
            let second = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--json", "--quiet")
            #expect(second.exitCode == 0)
            let summary = try decodeSummary(second)
            #expect(summary.counts.downloaded == 0)
            #expect(summary.counts.skipped == summary.counts.verified)
            let dataRequests = workspace.server.counters.requests.filter {
                $0.path.hasPrefix("/files/") && !$0.path.hasSuffix("/SHA256SUMS.txt")
            }
            #expect(dataRequests.isEmpty, "data requests: \(dataRequests.map(\.path))")
            // The list itself is not downloaded again either: a conditional GET, answered 304.
            let list = workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt")
            #expect(list.count == 1)
            #expect(list.first?.header("If-None-Match") != nil)
            #expect(list.first?.status == 304)
        }
    }

    @Test("a local SHA256SUMS.txt that was edited is never trusted: the list is downloaded again")
    func editedLocalListIgnored() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet").exitCode == 0)
            let local = workspace.datasetFile("mimic-iv-demo-omop", "0.9", "SHA256SUMS.txt")
            try Data((try String(contentsOf: local, encoding: .utf8) + "\n").utf8).write(to: local)
            workspace.server.counters.reset()
            let rerun = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet")
            #expect(rerun.exitCode == 0, "stderr: \(rerun.stderr)")
            let list = workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt")
            #expect(list.first?.header("If-None-Match") == nil)
            #expect(list.first?.status == 206, "read whole: its first MiB is all of it")
            // The edited copy was replaced by the server's list again.
            let manifest = try #require(try workspace.manifest("mimic-iv-demo-omop", "0.9"))
            #expect(try FileHashing.digest(of: local) == manifest.checksumListSHA256)
        }
    }

    @Test("a dry run's printed plan (made as it streams) is the --json plan: same files, same order, same actions")
    func dryRunStreamsThePlan() async throws {
        try await withWorkspace { workspace in
            _ = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--include", "hosp/*", "--quiet")
            // A file present but unknown to the inventory (kept after hashing), and a verified one deleted.
            let unknown = workspace.datasetFile("mimic-iv-demo", "2.2", "icu/d_items.csv.gz")
            try FileManager.default.createDirectory(at: unknown.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: workspace.fixtureFile("mimic-iv-demo", "2.2", "icu/d_items.csv.gz"), to: unknown)
            try FileManager.default.removeItem(at: workspace.datasetFile("mimic-iv-demo", "2.2", "hosp/admissions.csv.gz"))

            let text = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--dry-run")
            let jsonRun = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--dry-run", "--json")
            let json = try decodeSummary(jsonRun)
            // The plan was spooled and spliced into the summary: the text is exactly what encoding it whole gives.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            #expect(jsonRun.stdout == String(decoding: try encoder.encode(json), as: UTF8.self) + "\n")
            let lines = text.stdout.split(separator: "\n").filter { !$0.hasPrefix("dry run:") }
            let plan = try #require(json.plan)
            #expect(lines.count == plan.count && plan.count == 34, "\(lines.count) lines, \(plan.count) planned")
            for (line, file) in zip(lines, plan) {
                #expect(line.hasPrefix(file.action) && line.contains(" \(file.path) ("), "\(line) vs \(file)")
            }
            #expect(plan.map(\.path) == plan.map(\.path).sorted())
            #expect(plan.first { $0.path == "icu/d_items.csv.gz" }?.action == "keep (verified)")
            #expect(plan.first { $0.path == "hosp/admissions.csv.gz" }?.action == "download")
        }
    }

    @Test("--dry-run lists what would be fetched and writes nothing")
    func dryRun() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--dry-run")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let line = result.stdout.split(separator: "\n").first { $0.contains("2_achilles_json/dashboard.json") }
            #expect(line?.hasPrefix("download") == true)
            #expect(line?.hasSuffix("(8.0 KiB)") == true, "sizes come from the autoindex listing: \(line ?? "")")
            #expect(!FileManager.default.fileExists(atPath: workspace.dataRoot.path))
        }
    }

    @Test("listings without sizes (development server): the plan and the progress give the project page's total as an estimate, marked as one")
    func totalFromProjectPage() async throws {
        try await withWorkspace(mode: .development) { workspace in
            let page = try await CurlTransport().send(HTTPRequest(url: workspace.server.url("/content/mimic-iv-demo-omop/0.9/")))
            let stated = try #require(ProjectPage(html: page.text, project: ProjectVersionRef(slug: "mimic-iv-demo-omop", version: "0.9")).totalUncompressedSize)
            let dryRun = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--dry-run")
            #expect(dryRun.exitCode == 0, "stderr: \(dryRun.stderr)")
            #expect(dryRun.stdout.contains("(size unknown)"), "development listings carry no sizes")
            // "… to download (about 1.2 MiB, from the project page's total: the listings give no sizes)"
            let match = try #require(dryRun.stderr.firstMatch(of: /\(about ([0-9.]+) (B|KiB|MiB|GiB), from the project page's total/),
                "stderr: \(dryRun.stderr)")
            let scale: Double = ["B": 1, "KiB": 1024, "MiB": 1024 * 1024, "GiB": 1024 * 1024 * 1024][String(match.2)]!
            let shown = try #require(Double(match.1)) * scale
            #expect(abs(shown - Double(stated)) <= 0.05 * Double(stated), "shown \(shown) for a page total of \(stated)")
            // A filtered run is not what the page totals: no estimate.
            let filtered = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--dry-run", "--include", "2_achilles_json/*")
            #expect(!filtered.stderr.contains("about "), "stderr: \(filtered.stderr)")
        }
    }

    @Test("include and exclude select files; records of unselected files survive a later run")
    func filters() async throws {
        try await withWorkspace { workspace in
            let first = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--include", "hosp/*", "--exclude", "*labevents*", "--json", "--quiet")
            #expect(first.exitCode == 0, "stderr: \(first.stderr)")
            let summary = try decodeSummary(first)
            #expect(summary.counts.verified > 10)
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("mimic-iv-demo", "2.2", "hosp/labevents.csv.gz").path))
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("mimic-iv-demo", "2.2", "icu/icustays.csv.gz").path))
            let second = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--include", "LICENSE.txt", "--quiet")
            #expect(second.exitCode == 0)
            let manifest = try #require(try workspace.manifest("mimic-iv-demo", "2.2"))
            #expect(manifest.files.count == summary.counts.verified + 1)
        }
    }
}
