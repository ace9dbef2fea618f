import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Faults injected by the simulator: drops, stalls, corruption, throttling, replaced files, HTML pages.
@Suite("fetch: resilience", .serialized, .timeLimit(.minutes(3)))
struct FetchResilienceTests {
    static let big = "INPUTEVENTS_MV.csv"
    static let bigPath = "/files/mimiciii-demo/1.4/INPUTEVENTS_MV.csv"
    static let bigSize: Int64 = 3_391_394

    @Test("a large SHA256SUMS.txt is read in ranges over several connections (If-Range), and an unchanged one is one 304")
    func listInRanges() async throws {
        var fixture = try SimulatorFixture.loadDefault()
        let files = (0..<16_000).map { FixtureFiles.GeneratedFile(path: "p\($0 / 1000)/record-\($0).dat", size: 10) }
        fixture.projects.append(FixtureProject(slug: "many-files", title: "Many Files", versions: [
            FixtureVersion(version: "1.0", published: "2024-01-01", access: .open, files: FixtureFiles(generated: .init(seed: 9, files: files))),
        ]))
        try await withWorkspace(fixture: fixture) { workspace in
            let listPath = "/files/many-files/1.0/SHA256SUMS.txt"
            let plan = try decodeSummary(try await workspace.physio("fetch", "many-files@1.0", "--dry-run", "--json", "--quiet"))
            #expect(plan.plan?.count == 16_000, "every line of the list arrived, in order")
            let requests = workspace.server.counters.requests(path: listPath)
            #expect(requests.count >= 2, "the first 64 KiB, then the rest in ranges: \(requests.count)")
            #expect(requests.first?.header("Range") == "bytes=0-65535")
            #expect(requests.dropFirst().allSatisfy { $0.header("If-Range") != nil && $0.status == 206 })
            let assembled = try #require(plan.listSHA256)
            // The development server ignores Range: the list comes whole, one request, and is the same list.
            try await withWorkspace(mode: .development, fixture: fixture) { development in
                let whole = try decodeSummary(try await development.physio("fetch", "many-files@1.0", "--dry-run", "--json", "--quiet"))
                #expect(whole.listSHA256 == assembled, "the ranges assemble to the server's bytes")
                #expect(development.server.counters.requests(path: listPath).count == 1)
            }
        }
    }

    @Test("a dropped connection resumes with Range and transfers only the missing bytes")
    func resumeAfterDrop() async throws {
        let faults = FaultPlan(rules: [FaultRule(.dropAfterBytes(1_000_000), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split", "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests(path: Self.bigPath)
            #expect(requests.count == 2)
            let resumeFrom = try #require(requests.last?.header("Range"))
            #expect(resumeFrom.hasPrefix("bytes="))
            #expect(requests.last?.header("If-Range") != nil, "a validator guards the resume")
            #expect(requests.last?.status == 206)
            let sent = workspace.server.counters.bodyBytesSent(path: Self.bigPath)
            #expect(sent >= Self.bigSize && sent < Self.bigSize + 300_000, "sent \(sent) bytes for a \(Self.bigSize)-byte file")
            #expect(try FileHashing.digest(of: workspace.datasetFile("mimiciii-demo", "1.4", Self.big))
                == PinnedChecksums.list(slug: "mimiciii-demo", version: "1.4")!.digestsByPath[try DatasetPath(validating: Self.big)])
        }
    }

    @Test("development mode ignores Range: the resume restarts from zero and still verifies")
    func developmentRestart() async throws {
        let faults = FaultPlan(rules: [FaultRule(.dropAfterBytes(1_000_000), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(mode: .development, faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests(path: Self.bigPath)
            #expect(requests.count == 2)
            #expect(requests.last?.status == 200)
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("a flipped byte is caught by SHA-256 and downloaded again from scratch")
    func flippedByteOnce() async throws {
        let faults = FaultPlan(rules: [FaultRule(.flipByte(offset: 12_345), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split", "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(workspace.server.counters.requests(path: Self.bigPath).count == 2)
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("a file that is always corrupt fails with exit 7 and never appears at its final path")
    func persistentCorruption() async throws {
        let faults = FaultPlan(rules: [FaultRule(.flipByte(offset: 7), path: Self.bigPath)])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--include", "LICENSE.txt", "--json", "--quiet")
            #expect(result.exitCode == 7, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.failures.map(\.path) == [Self.big])
            #expect(summary.failures.first?.reason.contains("SHA-256 mismatch") == true)
            #expect(summary.counts.verified == 1)
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("429 with Retry-After is waited out, then the file verifies")
    func retryAfter() async throws {
        let faults = FaultPlan(rules: [FaultRule(.tooManyRequests(retryAfterSeconds: 1), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("retrying INPUTEVENTS_MV.csv in 1.0s"), "stderr: \(result.stderr)")
            #expect(result.seconds >= 1.0)
            #expect(workspace.server.counters.requests(path: Self.bigPath).map(\.status) == [429, 200])
        }
    }

    @Test("503s are retried with backoff; persistent ones fail the file, not the run")
    func serverErrors() async throws {
        let faults = FaultPlan(rules: [
            FaultRule(.status(503), path: "/files/mimic-iv-demo-omop/0.9/README.txt", firstRequests: 2),
            FaultRule(.status(500), path: "/files/mimic-iv-demo-omop/0.9/LICENSE.txt"),
        ])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--json", "--quiet")
            #expect(result.exitCode == 8, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.failures.map(\.path) == ["LICENSE.txt"])
            #expect(workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/README.txt").count == 3)
            #expect(workspace.server.counters.requests(path: "/files/mimic-iv-demo-omop/0.9/LICENSE.txt").count == 8)
        }
    }

    @Test("a replaced file (new ETag) restarts from zero: old and new bytes are never spliced")
    func replacedFileNeverSpliced() async throws {
        let faults = FaultPlan(rules: [
            FaultRule(.dropAfterBytes(500_000), path: Self.bigPath, firstRequests: 1),
            FaultRule(.replaceFile(afterRequests: 1), path: Self.bigPath),
        ])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split", "--json", "--quiet")
            let requests = workspace.server.counters.requests(path: Self.bigPath)
            #expect(requests.count >= 2)
            #expect(requests[1].header("If-Range") != nil)
            #expect(requests[1].status == 200, "If-Range failed, so the server sent the whole new file")
            // The new content no longer matches the published checksum: an integrity failure, nothing renamed.
            #expect(result.exitCode == 7, "stderr: \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("an HTML login page served in place of a file is never saved as the file")
    func htmlInsteadOfData() async throws {
        let faults = FaultPlan(rules: [FaultRule(.loginPageInsteadOfFile, path: "/files/mimic-iv-demo-omop/0.9/README.txt")])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--json", "--quiet")
            #expect(result.exitCode == 8, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.failures.map(\.path) == ["README.txt"])
            #expect(summary.failures.first?.reason.contains("HTML page") == true)
            #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("mimic-iv-demo-omop", "0.9", "README.txt").path))
        }
    }

    @Test("a stalled transfer is abandoned by the low-speed limit and resumed")
    func stall() async throws {
        let faults = FaultPlan(rules: [FaultRule(.stall(afterBytes: 200_000, seconds: 60), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            let result = try await workspace.physio(
                "fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split", "--quiet",
                extraEnvironment: ["PHYSIO_LOW_SPEED_SECONDS": "3"])
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.seconds < 45, "the 60 s stall was cut short, not waited out")
            #expect(workspace.server.counters.requests(path: Self.bigPath).last?.status == 206)
        }
    }

    @Test("kill -9 in the middle of a fetch, then a rerun, ends verified")
    func killAndRerun() async throws {
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 400_000), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            let process = try PhysioProcess.start(["fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split", "--quiet"], environment: workspace.environment)
            let part = workspace.dataRoot.appendingPathComponent(".physio/partial/mimiciii-demo/1.4/\(Self.big).part")
            for _ in 0..<100 where (FileSystem.identity(of: part)?.size ?? 0) < 300_000 {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect((FileSystem.identity(of: part)?.size ?? 0) > 0, "the partial file survives the kill")
            let rerun = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--no-split", "--quiet")
            #expect(rerun.exitCode == 0, "stderr: \(rerun.stderr)")
            #expect(workspace.server.counters.requests(path: Self.bigPath).last?.header("Range") != nil)
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("SIGINT or SIGTERM mid-fetch: partial files flushed, verified files recorded, exit 130/143; the rerun resumes with Range",
          arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func interruptAndResume(signal: Int32, expectedExit: Int32, name: String) async throws {
        let faults = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 400_000), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: faults) { workspace in
            let stderr = Pipe()
            let process = try PhysioProcess.start(
                ["fetch", "mimiciii-demo@1.4", "--no-split", "-j", "2"], environment: workspace.environment, stderr: stderr)
            let part = workspace.dataRoot.appendingPathComponent(".physio/partial/mimiciii-demo/1.4/\(Self.big).part")
            // The event to wait for: the slow file has bytes on disk (the other files are done by then or soon).
            for _ in 0..<200 where (FileSystem.identity(of: part)?.size ?? 0) < 300_000 {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            kill(process.processIdentifier, signal)
            let output = await BlockingIO.run { String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            await BlockingIO.run { process.waitUntilExit() }
            #expect(process.terminationStatus == expectedExit, "stderr: \(output)")
            #expect(output.contains("Stopped by \(name)"))
            #expect(output.contains("Rerun `physio fetch mimiciii-demo@1.4 -j 2 --no-split` to resume"), "the hint keeps the run's options")
            let kept = FileSystem.identity(of: part)?.size ?? 0
            #expect(kept >= 300_000, "the bytes received before the signal are in the partial file")
            // The manifest was checkpointed: every file it calls verified is in place with its recorded size.
            let manifest = try #require(try workspace.manifest("mimiciii-demo", "1.4"))
            let verified = manifest.files.filter { $0.state == .verified }
            #expect(!verified.isEmpty)
            for record in verified {
                #expect(FileSystem.identity(of: workspace.datasetFile("mimiciii-demo", "1.4", record.path.value))?.size == record.size)
            }
            #expect(!verified.contains { $0.path.value == Self.big })

            let rerun = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--no-split", "--quiet")
            #expect(rerun.exitCode == 8, "the demo's four absent files; stderr: \(rerun.stderr)")
            let last = try #require(workspace.server.counters.requests(path: Self.bigPath).last)
            #expect(last.header("Range") == "bytes=\(kept)-")
            #expect(last.status == 206)
            // Both runs together: the file once, plus what was in flight when the signal came.
            #expect(workspace.server.counters.bodyBytesSent(path: Self.bigPath) <= Self.bigSize + 256 << 10)
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }

    @Test("the connection cap holds: -j with --no-split, 2 x -j when large files are split")
    func concurrencyCap() async throws {
        let faults = FaultPlan(rules: [FaultRule(.firstByteLatency(seconds: 0.2), path: "/files/mimic-iv-demo/2.2/*")])
        try await withWorkspace(faults: faults) { workspace in
            let single = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "-j", "2", "--no-split", "--quiet")
            #expect(single.exitCode == 8, "stderr: \(single.stderr)")
            #expect(workspace.server.counters.peakConnections == 2)
        }
        try await withWorkspace(faults: faults) { workspace in
            let split = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "-j", "2", "--quiet")
            #expect(split.exitCode == 8, "stderr: \(split.stderr)")
            #expect(workspace.server.counters.peakConnections <= 4)
        }
    }

    @Test("a large file is split into byte ranges on spare connections and verified whole")
    func splitIntoRanges() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--json", "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests(path: Self.bigPath)
            #expect(requests.count >= 2)
            #expect(requests.allSatisfy { $0.header("Range") != nil && $0.status == 206 })
            #expect(workspace.server.counters.bodyBytesSent(path: Self.bigPath) == Self.bigSize, "every byte fetched exactly once")
            #expect(try decodeSummary(result).bytesTransferred == Self.bigSize)
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
            // In a subfolder too (its partial folder must be created first).
            let nested = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--include", "hosp/labevents.csv.gz", "--quiet")
            #expect(nested.exitCode == 0, "stderr: \(nested.stderr)")
            let ranges = workspace.server.counters.requests(path: "/files/mimic-iv-demo/2.2/hosp/labevents.csv.gz")
            #expect(ranges.count >= 2 && ranges.allSatisfy { $0.status == 206 })
        }
    }

    @Test("a dropped range resumes from where it stopped; a server without ranges falls back to one stream")
    func splitResilience() async throws {
        let drop = FaultPlan(rules: [FaultRule(.dropAfterBytes(200_000), path: Self.bigPath, firstRequests: 1)])
        try await withWorkspace(faults: drop) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let sent = workspace.server.counters.bodyBytesSent(path: Self.bigPath)
            #expect(sent >= Self.bigSize && sent < Self.bigSize + 300_000, "sent \(sent)")
        }
        let wrongRanges = FaultPlan(rules: [FaultRule(.wrongRangeStart(0), path: Self.bigPath)])
        try await withWorkspace(faults: wrongRanges) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--include", Self.big, "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(workspace.server.counters.requests(path: Self.bigPath).contains { $0.header("Range") == nil && $0.status == 200 },
                    "fell back to one plain stream")
            #expect(FileManager.default.contentsEqual(
                atPath: workspace.datasetFile("mimiciii-demo", "1.4", Self.big).path,
                andPath: workspace.fixtureFile("mimiciii-demo", "1.4", Self.big).path))
        }
    }
}
