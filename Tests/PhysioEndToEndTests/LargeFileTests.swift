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

    /// Over 64 MiB: split at once only when the run has measured a throttle; at the start of a run it is probed.
    static let probedSize: Int64 = (72 << 20) + 4_321
    static let probedPath = "/files/large-demo/1.0/huge.dat"

    @Test("a large file that starts a throttled run streams alone for the probe, then its rest is split over the spare connections, and verifies")
    func probedThenSplit() async throws {
        var fixture = try Self.fixture()
        let index = try #require(fixture.projects.firstIndex { $0.slug == "large-demo" })
        fixture.projects[index].versions[0].files = FixtureFiles(generated: .init(seed: 11, files: [.init(path: "huge.dat", size: Self.probedSize)]))
        // PhysioNet's kind of throttle, per connection: one stream alone would take 18 s.
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 4_000_000), path: Self.probedPath)])
        try await withWorkspace(faults: faults, fixture: fixture) { workspace in
            let result = try await workspace.physio(
                "fetch", "large-demo@1.0", "--json", extraEnvironment: ["PHYSIO_SPLIT_PROBE_SECONDS": "1"])
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests(path: Self.probedPath)
            // The probe: one stream from byte 0, no Range. Then the rest: ranges from where it stopped, each
            // tied to the same file with If-Range, on the spare connections (8 connections, -j 4: up to 4 more).
            #expect(requests.first?.header("Range") == nil)
            let ranges = requests.dropFirst()
            #expect(ranges.count >= 3, "the rest in several ranges: \(requests.map { $0.header("Range") ?? "whole" })")
            #expect(ranges.allSatisfy { $0.header("If-Range") != nil && $0.status == 206 })
            let starts = ranges.compactMap { $0.header("Range").flatMap { Int64($0.dropFirst(6).prefix { $0 != "-" }) } }
            #expect(starts.min().map { $0 > 0 } == true, "the probe's bytes are kept, not fetched again: \(starts)")
            let sent = workspace.server.counters.bodyBytesSent(path: Self.probedPath)
            #expect(sent >= Self.probedSize && sent < Self.probedSize + 2_000_000, "sent \(sent) bytes for a \(Self.probedSize)-byte file")
            let list = try ChecksumList(parsing: String(contentsOf: workspace.datasetFile("large-demo", "1.0", "SHA256SUMS.txt"), encoding: .utf8))
            #expect(try FileHashing.digest(of: workspace.datasetFile("large-demo", "1.0", "huge.dat"))
                == list.digestsByPath[try DatasetPath(validating: "huge.dat")])
            let summary = try decodeSummary(result)
            #expect(summary.counts.verified == 1)
            #expect(summary.bytesTransferred >= Self.probedSize && summary.bytesTransferred <= sent,
                "the probe's bytes count as transferred: \(summary.bytesTransferred) received, \(sent) sent")
        }
    }

}
