import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The reliability proof: a seeded fault soak over more than a thousand transfers (drops, stalls, 5xx, 429,
/// wrong Content-Range, flipped bytes, a replaced file) and a login that expires mid-run, then ten runs killed with
/// SIGKILL at random moments and a final rerun. After every run: no byte that failed verification sits at a
/// final path, the inventory opens, and every file is verified or recorded as failed with a reason. The
/// killed runs together may re-send at most 10% of the dataset.
@Suite("soak: faults and kills", .serialized, .timeLimit(.minutes(5)))
struct SoakTests {
    static let slug = "soak-demo"
    static let version = "1.0"
    static let filesRoot = "/files/soak-demo/1.0"

    /// 1,100 files: mostly small, some of a few hundred KiB (resumed with Range), and four of 3 MiB that the
    /// default settings split into byte ranges.
    static let files: [FixtureFiles.GeneratedFile] = {
        var random = SplitMix(seed: 2026)
        var files: [FixtureFiles.GeneratedFile] = []
        for index in 0..<1_100 {
            let size: Int64
            switch index % 50 {
            case 0: size = 200_000 + Int64(random.next() % 600_000)
            default: size = 500 + Int64(random.next() % 30_000)
            }
            files.append(.init(path: "d\(index % 20)/f\(index).dat", size: size))
        }
        for index in 0..<4 { files.append(.init(path: "big/b\(index).bin", size: 3_000_000 + Int64(index) * 77_777)) }
        return files
    }()

    static var datasetBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    static func fixture() throws -> SimulatorFixture {
        try .withGeneratedProject(slug: slug, version: version, seed: 11, files: files)
    }

    /// Every kind of misbehaviour the simulator has, drawn with a fixed seed.
    static let faults = FaultPlan(seed: 42, rules: [
        FaultRule(.dropAfterBytes(4_000), path: "\(filesRoot)/d*", probability: 0.03),
        FaultRule(.dropAfterBytes(700_000), path: "\(filesRoot)/big/*", probability: 0.3),
        FaultRule(.stall(afterBytes: 1_000, seconds: 0.2), path: "\(filesRoot)/d*", probability: 0.01),
        FaultRule(.status(503), path: "\(filesRoot)/*", probability: 0.03),
        FaultRule(.status(500), path: "\(filesRoot)/d*", probability: 0.01),
        FaultRule(.tooManyRequests(retryAfterSeconds: 0), path: "\(filesRoot)/d*", probability: 0.01),
        FaultRule(.wrongRangeStart(1), path: "\(filesRoot)/*", probability: 0.05),
        FaultRule(.flipByte(offset: 100), path: "\(filesRoot)/d*", probability: 0.01),
        FaultRule(.dropAfterBytes(1_000), path: "\(filesRoot)/d3/f3.dat", firstRequests: 1),
        FaultRule(.replaceFile(afterRequests: 1), path: "\(filesRoot)/d3/f3.dat"),
    ])

    @Test("a seeded soak over 1,100 files, then ten SIGKILLs and a rerun: nothing unverified at a final path, bytes re-sent under 1.1x")
    func soak() async throws {
        try await withWorkspace(faults: Self.faults, fixture: try Self.fixture()) { workspace in
            let expected = try await Self.publishedDigests(workspace)

            // 1. The fault soak.
            let faulted = try await workspace.physio("fetch", "\(Self.slug)@\(Self.version)", "--json", "--quiet", timeout: 240)
            let summary = try decodeSummary(faulted)
            let dataRequests = workspace.server.counters.requests.filter { $0.path.hasPrefix(Self.filesRoot + "/") && !$0.path.hasSuffix("/SHA256SUMS.txt") }
            let injected = workspace.server.faultsInjected
            print("soak: \(dataRequests.count) data requests for \(Self.files.count) files, \(injected) faults injected, "
                + "\(dataRequests.count - Self.files.count) retries or extra ranges; verified \(summary.counts.verified), failed \(summary.counts.failed): "
                + summary.failures.map { "\($0.path) (\($0.reason))" }.joined(separator: "; "))
            #expect(dataRequests.count >= 1_000)
            #expect(injected >= 50)
            #expect(summary.counts.verified + summary.counts.failed == Self.files.count)
            #expect(summary.failures.allSatisfy { !$0.reason.isEmpty })
            // The replaced file can never match its published checksum again: a failure with a reason, never kept.
            #expect(summary.failures.contains { $0.path == "d3/f3.dat" && $0.reason.contains("SHA-256") })
            #expect(summary.counts.failed <= 15, "failures: \(summary.failures)")
            try Self.expectInvariants(workspace, expected: expected)

            // 1b. A protected dataset whose login expires mid-run: one unattended renewal, then verified.
            workspace.server.setFaults(AccessFetchTests.slowRun)
            let expiring = try await workspace.physio(
                "fetch", "mimiciii@1.4", "-j", "1", "--json", "--quiet", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(expiring.exitCode == 0, "stderr: \(expiring.stderr)")
            #expect(try decodeSummary(expiring).counts.failed == 0)
            #expect(workspace.server.counters.requests(path: "/login/").filter { $0.method == "POST" }.count == 2, "the first login and one renewal")

            // 2. Ten runs killed at random moments, on a fresh root, behind a throttle so each run is mid-flight.
            workspace.server.setFaults(FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 2_000_000), path: "\(Self.filesRoot)/*")]))
            workspace.server.counters.reset()
            var environment = workspace.environment
            environment["PHYSIO_DATA"] = workspace.directory.appendingPathComponent("killed").path
            var random = SplitMix(seed: 7)
            for round in 0..<10 {
                let process = try PhysioProcess.start(["fetch", "\(Self.slug)@\(Self.version)", "--quiet"], environment: environment)
                let delay = 150_000_000 + random.next() % 900_000_000
                try await Task.sleep(nanoseconds: delay)
                kill(process.processIdentifier, SIGKILL)
                await BlockingIO.run { process.waitUntilExit() }
                try Self.expectInvariants(workspace, root: environment["PHYSIO_DATA"]!, expected: expected, round: round)
            }
            let rerun = try await PhysioProcess.run(["fetch", "\(Self.slug)@\(Self.version)", "--json", "--quiet"], environment: environment, timeout: 240)
            #expect(rerun.exitCode == 0, "stderr: \(rerun.stderr)")
            try Self.expectInvariants(workspace, root: environment["PHYSIO_DATA"]!, expected: expected, allVerified: true)
            // File bytes only: each run also reads the list and the folder listings (for sizes), which are not the dataset.
            let paths = Set(Self.files.map { "\(Self.filesRoot)/\($0.path)" })
            let sent = workspace.server.counters.bodyBytesByPath.filter { paths.contains($0.key) }.values.reduce(0, +)
            let ratio = Double(sent) / Double(Self.datasetBytes)
            print("soak: ten SIGKILLs and a rerun sent \(sent) bytes for a \(Self.datasetBytes)-byte dataset: \(String(format: "%.3f", ratio))x")
            #expect(ratio < 1.1)
        }
    }

    /// The server's own SHA256SUMS.txt, read with PhysioKit's transport.
    static func publishedDigests(_ workspace: Workspace) async throws -> [String: SHA256Digest] {
        let response = try await CurlTransport().send(HTTPRequest(url: workspace.server.url("\(filesRoot)/SHA256SUMS.txt")))
        let list = try ChecksumList(parsing: response.text)
        return Dictionary(uniqueKeysWithValues: list.entries.map { ($0.path.value, $0.digest) })
    }

    /// No file at a final path differs from its published SHA-256; the inventory opens and every record in it
    /// is verified with its file in place, or failed with a reason.
    static func expectInvariants(
        _ workspace: Workspace, root: String? = nil, expected: [String: SHA256Digest], round: Int? = nil, allVerified: Bool = false
    ) throws {
        let rootURL = root.map { URL(fileURLWithPath: $0) } ?? workspace.dataRoot
        let folder = rootURL.appendingPathComponent("\(slug)/\(version)")
        let context = round.map { "after kill \($0 + 1)" } ?? "after the run"
        var present = 0
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            while let relative = walker.nextObject() as? String {
                let url = folder.appendingPathComponent(relative)
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, relative != "SHA256SUMS.txt" else { continue }
                present += 1
                #expect(try FileHashing.digest(of: url) == expected[relative], "\(context): \(relative) at its final path does not match its checksum")
            }
        }
        let manifest = try Inventory.existing(root: rootURL)?.manifest(slug: slug, version: version)
        for record in manifest?.files ?? [] {
            switch record.state {
            case .verified:
                #expect(FileSystem.identity(of: folder.appendingPathComponent(record.path.value))?.size == record.size, "\(context): \(record.path)")
            case .failed:
                #expect(record.reason?.isEmpty == false, "\(context): \(record.path) failed without a reason")
            case .unverifiable:
                Issue.record("\(context): \(record.path) unverifiable although the list has its checksum")
            }
        }
        if allVerified {
            #expect(present == files.count)
            #expect(manifest?.files.count == files.count && manifest?.files.allSatisfy { $0.state == .verified } == true)
        }
    }
}

/// SplitMix64, for the test's own seeded choices (file sizes, kill moments).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
