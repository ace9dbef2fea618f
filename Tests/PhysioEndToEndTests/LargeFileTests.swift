import Foundation
@testable import PhysioKit
import PhysioSimulator
import Testing

/// Files of 32 MiB or more bypass the page cache (O_DIRECT) while they stream; a dropped transfer leaves a
/// partial file the next attempt continues through the page cache.
@Suite("fetch: large files")
struct LargeFileTests {
    /// Over the direct-write threshold, and not a whole number of 4 KiB blocks.
    static let size: Int64 = (40 << 20) + 12_345
    static let path = "/files/large-demo/1.0/big.dat"

    static func fixture() throws -> SimulatorFixture {
        var fixture = try SimulatorFixture.loadDefault()
        var project = try #require(fixture.project(slug: "mimic-iv-demo-omop"))
        project.slug = "large-demo"
        project.title = "Test project large-demo"
        project.versions = [project.versions[0]]
        project.versions[0].version = "1.0"
        project.versions[0].files = FixtureFiles(generated: .init(seed: 7, files: [
            .init(path: "big.dat", size: size), .init(path: "notes.txt", size: 900),
        ]))
        project.versions[0].sha256sums = .generate
        fixture.projects.append(project)
        return fixture
    }

    @Test("a large file dropped after 10 MB resumes with Range, sends only the missing bytes, and verifies")
    func dropAndResume() async throws {
        let faults = FaultPlan(rules: [FaultRule(.dropAfterBytes(10_000_000), path: Self.path, firstRequests: 1)])
        try await withWorkspace(faults: faults, fixture: try Self.fixture()) { workspace in
            // --no-split: a single stream, the path that writes with O_DIRECT.
            let result = try await workspace.physio("fetch", "large-demo@1.0", "--no-split", "--json")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests(path: Self.path)
            #expect(requests.count == 2)
            #expect(requests.last?.header("Range")?.hasPrefix("bytes=") == true)
            #expect(requests.last?.status == 206)
            let sent = workspace.server.counters.bodyBytesSent(path: Self.path)
            #expect(sent >= Self.size && sent < Self.size + 300_000, "sent \(sent) bytes for a \(Self.size)-byte file")

            let list = try ChecksumList(parsing: String(contentsOf: workspace.datasetFile("large-demo", "1.0", "SHA256SUMS.txt"), encoding: .utf8))
            let file = workspace.datasetFile("large-demo", "1.0", "big.dat")
            #expect(try FileHashing.digest(of: file) == list.digestsByPath[try DatasetPath(validating: "big.dat")])
            #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value == Self.size)
            let summary = try decodeSummary(result)
            #expect(summary.counts.verified == 2 && summary.counts.failed == 0)
        }
    }

    @Test("a split download killed mid-way continues each range where its record says, with If-Range, and verifies")
    func killedSplitContinues() async throws {
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 1_500_000), path: Self.path)])
        try await withWorkspace(faults: faults, fixture: try Self.fixture()) { workspace in
            let process = try PhysioProcess.start(["fetch", "large-demo@1.0", "--quiet"], environment: workspace.environment)
            let recordPath = workspace.dataRoot.appendingPathComponent(".physio/partial/large-demo/1.0/big.dat.part.json").path
            // The event: the range record shows at least 4 MB written across the ranges.
            func recorded() -> Int64 {
                guard let info = PartialFileInfo.load(fromPath: recordPath), let ranges = info.ranges else { return 0 }
                return ranges.reduce(0) { $0 + ($1.next - $1.first) }
            }
            for _ in 0..<400 where recorded() < 4_000_000 {
                try await Task.sleep(nanoseconds: 25_000_000)
            }
            kill(process.processIdentifier, SIGKILL)
            await BlockingIO.run { process.waitUntilExit() }
            let info = try #require(PartialFileInfo.load(fromPath: recordPath))
            let ranges = try #require(info.ranges)
            #expect(ranges.count > 1, "the file was split")
            #expect(info.canContinueRanges(size: Self.size))
            let done = ranges.reduce(Int64(0)) { $0 + ($1.next - $1.first) }
            #expect(done >= 4_000_000)

            workspace.server.setFaults(FaultPlan())
            // The killed run's connections are gone before counting starts, so no late byte of theirs counts.
            for _ in 0..<400 where workspace.server.counters.currentConnections > 0 {
                try await Task.sleep(nanoseconds: 25_000_000)
            }
            workspace.server.counters.reset()
            let rerun = try await workspace.physio("fetch", "large-demo@1.0", "--json", "--quiet")
            #expect(rerun.exitCode == 0, "stderr: \(rerun.stderr)")
            let requests = workspace.server.counters.requests(path: Self.path)
            // Every unfinished range continues from its recorded byte, asking for the same file.
            let starts = Set(requests.compactMap { $0.header("Range") })
            for range in ranges where range.next <= range.last {
                #expect(starts.contains("bytes=\(range.next)-\(range.last)"), "range \(range) not continued: \(starts)")
            }
            #expect(requests.allSatisfy { $0.header("If-Range") == info.ifRangeValidator })
            #expect(workspace.server.counters.bodyBytesSent(path: Self.path) == Self.size - done)
            let list = try ChecksumList(parsing: String(contentsOf: workspace.datasetFile("large-demo", "1.0", "SHA256SUMS.txt"), encoding: .utf8))
            #expect(try FileHashing.digest(of: workspace.datasetFile("large-demo", "1.0", "big.dat"))
                == list.digestsByPath[try DatasetPath(validating: "big.dat")])
            #expect(!FileManager.default.fileExists(atPath: recordPath), "the record goes with the partial file")
        }
    }
}
