import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// What physio trusts: pins, unsafe lists, listings without checksums, locks, local verification.
@Suite("fetch: trust and local state", .timeLimit(.minutes(3)))
struct FetchTrustTests {
    /// The default fixture with one more open project served from `folder` (its own SHA256SUMS.txt).
    static func fixture(addingProject slug: String, folder: URL) throws -> SimulatorFixture {
        var fixture = try SimulatorFixture.loadDefault()
        var project = try #require(fixture.project(slug: "mimic-iv-demo-omop"))
        project.slug = slug
        project.title = "Test project \(slug)"
        project.versions = [project.versions[0]]
        project.versions[0].version = "1.0"
        project.versions[0].files = FixtureFiles(folder: folder.path)
        project.versions[0].sha256sums = .serveFromFolder
        fixture.projects.append(project)
        return fixture
    }

    @Test("unsafe SHA256SUMS entries stop the run before anything is written", arguments: ["../escape.txt", "/etc/passwd", "a/../../b.txt"])
    func unsafeEntries(entry: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("physio-unsafe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("fine\n".utf8).write(to: folder.appendingPathComponent("ok.txt"))
        let digest = SHA256Hasher.digest(of: Array("fine\n".utf8)).hex
        try Data("\(digest) ok.txt\n\(digest) \(entry)\n".utf8).write(to: folder.appendingPathComponent("SHA256SUMS.txt"))
        try await withWorkspace(fixture: try Self.fixture(addingProject: "unsafe-demo", folder: folder)) { workspace in
            let result = try await workspace.physio("fetch", "unsafe-demo@1.0", "--quiet")
            #expect(result.exitCode == 9, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("unsafe path"))
            #expect(!FileManager.default.fileExists(atPath: workspace.dataRoot.path), "nothing written at all")
            #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("escape.txt").path))
        }
    }

    @Test("a server list that differs from the pin stops before downloading; --trust-server proceeds and records it")
    func pinDrift() async throws {
        var fixture = try SimulatorFixture.loadDefault()
        let index = try #require(fixture.projects.firstIndex { $0.slug == "mimiciii-demo" })
        // PhysioNet's generator over the files actually present: the 4 absent files drop out of the list.
        fixture.projects[index].versions[0].sha256sums = .generate
        try await withWorkspace(fixture: fixture) { workspace in
            let refused = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--quiet")
            #expect(refused.exitCode == 7, "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains("ADMISSIONS.csv is pinned but missing from the server's list"))
            #expect(!FileManager.default.fileExists(atPath: workspace.dataRoot.appendingPathComponent("mimiciii-demo").path))
            let dataRequests = workspace.server.counters.requests.filter { $0.path.hasPrefix("/files/") && !$0.path.hasSuffix("SHA256SUMS.txt") }
            #expect(dataRequests.isEmpty)

            let trusted = try await workspace.physio("fetch", "mimiciii-demo@1.4", "--trust-server", "--quiet")
            #expect(trusted.exitCode == 0, "stderr: \(trusted.stderr)")
            let manifest = try #require(try workspace.manifest("mimiciii-demo", "1.4"))
            #expect(manifest.matchesPin == false)
            #expect(manifest.trustedServerOverPin)
        }
    }

    @Test("no SHA256SUMS.txt: files found by walking the listings are fetched and reported unverifiable",
          arguments: [SimulatorMode.production, .development])
    func listingFallback(mode: SimulatorMode) async throws {
        try await withWorkspace(mode: mode) { workspace in
            let result = try await workspace.physio("fetch", "nosums-demo@1.0", "--json", "--quiet")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.counts.unverifiable == 5)
            #expect(summary.counts.verified == 0)
            let names = try FileManager.default.subpathsOfDirectory(atPath: workspace.dataRoot.appendingPathComponent("nosums-demo/1.0").path)
            #expect(Set(names).isSuperset(of: ["LICENSE.txt", "a.txt", "sub/b.csv", "sub/deeper/c.dat", "notes/read me.txt"]))
            #expect(!names.contains { $0.contains("index") || $0.hasSuffix(".html") }, "listing pages are never saved as data")
            let manifest = try #require(try workspace.manifest("nosums-demo", "1.0"))
            #expect(manifest.checksumSource == .listing)
            #expect(manifest.files.allSatisfy { $0.state == .unverifiable })
        }
    }

    @Test("an unknown project exits 3; an unknown version exits 3")
    func notFound() async throws {
        try await withWorkspace { workspace in
            let project = try await workspace.physio("fetch", "no-such-project")
            #expect(project.exitCode == 3, "stderr: \(project.stderr)")
            #expect(project.stderr.contains("No published project 'no-such-project'"))
            let version = try await workspace.physio("fetch", "mimiciii-demo@9.9")
            #expect(version.exitCode == 3, "stderr: \(version.stderr)")
        }
    }

    @Test("another run holding the lock gives exit 10 naming the holder")
    func lockHeld() async throws {
        try await withWorkspace { workspace in
            let lock = try RunLock(at: DatasetLocation(root: workspace.dataRoot, slug: "mimic-iv-demo-omop", version: "0.9").lockFile)
            let result = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet")
            #expect(result.exitCode == 10, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("pid \(getpid())"))
            withExtendedLifetime(lock) {}
        }
    }

    @Test("verify: stat check, --full re-hash, a changed file gives exit 7 and a rerun repairs it")
    func verifyAndRepair() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet").exitCode == 0)
            let clean = try await workspace.physio("verify", "--full")
            #expect(clean.exitCode == 0, "stdout: \(clean.stdout) stderr: \(clean.stderr)")
            #expect(clean.stdout.contains("mimic-iv-demo-omop 0.9: 12 verified") || clean.stdout.contains("verified (full SHA-256 check)"))
            let victim = workspace.datasetFile("mimic-iv-demo-omop", "0.9", "README.txt")
            let handle = try FileHandle(forUpdating: victim)
            try handle.seek(toOffset: 10)
            handle.write(Data("X".utf8))
            try handle.close()
            let full = try await workspace.physio("verify", "mimic-iv-demo-omop@0.9", "--full", "--json")
            #expect(full.exitCode == 7)
            #expect(full.stdout.contains("README.txt"))
            let repaired = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--json", "--quiet")
            #expect(repaired.exitCode == 0)
            #expect(try decodeSummary(repaired).counts.downloaded == 1)
            #expect(try await workspace.physio("verify", "--full").exitCode == 0)
            let list = try await workspace.physio("list")
            #expect(list.stdout.contains("mimic-iv-demo-omop@0.9"))
        }
    }

    @Test("usage errors exit 2: bad dataset, -j above 8 without --force, remote plain http")
    func usageErrors() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("fetch", "bad slug!").exitCode == 2)
            #expect(try await workspace.physio("fetch", "mimiciii-demo", "-j", "20").exitCode == 2)
            let insecure = try await workspace.physio("fetch", "mimiciii-demo", "--base-url", "http://physionet.example")
            #expect(insecure.exitCode == 2)
            #expect(insecure.stderr.contains("--allow-insecure-http"))
        }
    }
}
