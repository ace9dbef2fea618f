import Foundation
@testable import PhysioKit
import PhysioSimulator
import Testing

/// A long file list is spooled to disk and planned and downloaded a window at a time, so a fetch's memory
/// does not grow with the dataset's file count (Benchmarks/RESULTS.md has the figures at 800,000 files).
/// Here the window is made 4 KiB, so 1,000 files make about twenty windows and a list read in ranges and
/// spooled: every stage must come out as it does for the list read whole.
@Suite("fetch: a long list in windows", .serialized)
struct ListWindowFetchTests {
    static let slug = "window-demo"
    static let version = "1.0"

    static let files: [FixtureFiles.GeneratedFile] = (0..<1_000).map { index in
        .init(path: "p\(index % 9)/s\(String(format: "%04d", index)).dat", size: 200 + Int64(index % 13) * 37)
    }

    static func fixture() throws -> SimulatorFixture {
        try .withGeneratedProject(slug: slug, version: version, seed: 5, files: files)
    }

    static func options(_ workspace: Workspace, root: URL, _ change: (inout FetchOptions) throws -> Void = { _ in }) rethrows -> FetchOptions {
        var options = FetchOptions(slug: slug, version: version, root: root, retry: RetryPolicy(baseDelay: 0.01))
        options.listWindowBytes = 4_096
        try change(&options)
        return options
    }

    static func engine(_ workspace: Workspace) throws -> FetchEngine {
        FetchEngine(transport: CurlTransport(), site: try PhysioNetSite.validate(baseURL: workspace.baseURL, allowInsecureHTTP: true))
    }

    /// The server's SHA256SUMS.txt.
    static func publishedList(_ workspace: Workspace) async throws -> [UInt8] {
        try await CurlTransport().send(HTTPRequest(url: workspace.server.url("/files/\(slug)/\(version)/SHA256SUMS.txt"))).body
    }

    /// Every file of the dataset present at its path under `root` with the published digest.
    static func expectAllPresent(_ list: [UInt8], root: URL) throws {
        let published = try ChecksumList(parsing: list)
        #expect(published.entries.count == files.count)
        for entry in published.entries {
            let local = root.appendingPathComponent("\(slug)/\(version)/\(entry.path.value)")
            #expect(try FileHashing.digest(of: local) == entry.digest, "\(entry.path)")
        }
    }

    @Test("fresh, no-op, repair and dry run over twenty windows of a spooled list: the same files and counts as one window")
    func windowedFetch() async throws {
        try await withWorkspace(fixture: try Self.fixture()) { workspace in
            let engine = try Self.engine(workspace)
            let root = workspace.dataRoot
            let list = try await Self.publishedList(workspace)
            #expect(list.count > 64 << 10, "longer than the first ranged part, so the rest is spooled")

            let fresh = try await engine.run(Self.options(workspace, root: root))
            #expect(fresh.exitCode == .success)
            #expect(fresh.counts.downloaded == 1_000 && fresh.counts.verified == 1_000 && fresh.counts.failed == 0)
            try Self.expectAllPresent(list, root: root)
            // The spooled list became the dataset folder's copy, byte for byte.
            let localList = root.appendingPathComponent("\(Self.slug)/\(Self.version)/SHA256SUMS.txt")
            #expect(FileManager.default.contents(atPath: localList.path) == Data(list))
            // No spool is left with a name.
            let state = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".physio").path)
            #expect(!state.contains { $0.hasPrefix(".physio-list-") }, "\(state)")

            // The no-op reads the local copy (longer than a window: from the file) and keeps every file.
            let noop = try await engine.run(Self.options(workspace, root: root))
            #expect(noop.counts.skipped == 1_000 && noop.counts.downloaded == 0)

            // Files missing or changed in several windows, and an inventory row in the last: only they move.
            let damaged = ["p0/s0000.dat", "p4/s0499.dat", "p8/s0998.dat"]
            try FileManager.default.removeItem(at: root.appendingPathComponent("\(Self.slug)/\(Self.version)/\(damaged[0])"))
            try FileManager.default.removeItem(at: root.appendingPathComponent("\(Self.slug)/\(Self.version)/\(damaged[1])"))
            try Data("edited".utf8).write(to: root.appendingPathComponent("\(Self.slug)/\(Self.version)/\(damaged[2])"))
            let repair = try await engine.run(Self.options(workspace, root: root))
            #expect(repair.counts.downloaded == 3 && repair.counts.skipped == 997, "\(repair.counts)")
            try Self.expectAllPresent(list, root: root)

            // A dry run into an empty root: every file once, in path order, and nothing written there.
            let empty = workspace.directory.appendingPathComponent("empty", isDirectory: true)
            let planned = PlannedFiles()
            let dry = try await engine.run(Self.options(workspace, root: empty) { options in
                options.dryRun = true
                options.temporaryDirectory = workspace.directory.path
                options.planSink = { planned.append($0) }
            })
            #expect(dry.dryRun)
            let paths = planned.files.map(\.path)
            #expect(paths == Self.files.map(\.path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(planned.files.allSatisfy { $0.action == "download" })
            #expect(!FileManager.default.fileExists(atPath: empty.path))
        }
    }

    @Test("shards and a filter over windows: disjoint parts that together are the selection")
    func windowedShardsAndFilter() async throws {
        try await withWorkspace(fixture: try Self.fixture()) { workspace in
            let engine = try Self.engine(workspace)
            let root = workspace.dataRoot
            var downloaded = 0
            for index in 0..<3 {
                let summary = try await engine.run(Self.options(workspace, root: root) { options in
                    options.shard = try Shard(index: index, count: 3)
                    options.filter = PathFilter(includes: ["p2/*", "p7/*"])
                })
                #expect(summary.exitCode == .success)
                downloaded += summary.counts.downloaded
            }
            let selected = Self.files.filter { $0.path.hasPrefix("p2/") || $0.path.hasPrefix("p7/") }
            #expect(downloaded == selected.count)
            let present = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("\(Self.slug)/\(Self.version)").path)
                .filter { $0.hasSuffix(".dat") }
            #expect(Set(present) == Set(selected.map(\.path)))
        }
    }
}

/// The planned files a dry run hands over, collected from the engine's threads.
final class PlannedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [FetchSummary.PlannedFile] = []

    func append(_ file: FetchSummary.PlannedFile) {
        lock.withLock { collected.append(file) }
    }

    var files: [FetchSummary.PlannedFile] { lock.withLock { collected } }
}
