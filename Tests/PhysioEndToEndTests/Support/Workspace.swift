import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// One test's world: a simulator on an ephemeral loopback port, a temporary data root and home, and the
/// environment `physio` runs with (no credentials unless a test adds them).
final class Workspace: @unchecked Sendable {
    let server: SimulatorServer
    let directory: URL
    var environment: [String: String]

    var dataRoot: URL { directory.appendingPathComponent("data", isDirectory: true) }
    var home: URL { directory.appendingPathComponent("home", isDirectory: true) }
    var stateDirectory: URL { directory.appendingPathComponent("state", isDirectory: true) }
    var baseURL: URL { server.baseURL }

    static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/physionet", isDirectory: true)

    init(
        mode: SimulatorMode = .production, faults: FaultPlan = FaultPlan(), fixture: SimulatorFixture? = nil,
        behindTLSFront: Bool = false, cloudStorage: CloudStorageEmulation? = nil
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("physio-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try await SimulatorServer.start(
            fixture: fixture ?? SimulatorFixture.loadDefault(), mode: mode, faults: faults, behindTLSFront: behindTLSFront,
            cloudStorage: cloudStorage)
        environment = [:]
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("home"), withIntermediateDirectories: true)
        environment = [
            "HOME": home.path,
            "XDG_STATE_HOME": stateDirectory.path,
            "PHYSIO_BASE_URL": server.baseURL.absoluteString,
            "PHYSIO_DATA": dataRoot.path,
            "PHYSIO_RETRY_BASE_SECONDS": "0.05",
            "NETRC": directory.appendingPathComponent("no-netrc").path,
        ]
    }

    func physio(_ arguments: String..., input: String? = nil, extraEnvironment: [String: String] = [:], timeout: Double = 120) async throws
        -> PhysioProcess.Result
    {
        try await PhysioProcess.run(arguments, environment: environment.merging(extraEnvironment) { $1 }, input: input, timeout: timeout)
    }

    func datasetFile(_ slug: String, _ version: String, _ path: String) -> URL {
        dataRoot.appendingPathComponent("\(slug)/\(version)/\(path)")
    }

    func fixtureFile(_ slug: String, _ version: String, _ path: String) -> URL {
        Self.fixturesDirectory.appendingPathComponent("files/\(slug)/\(version)/\(path)")
    }

    func manifest(_ slug: String, _ version: String) throws -> DatasetManifest? {
        try Inventory.existing(root: dataRoot)?.manifest(slug: slug, version: version)
    }

    /// Every regular file under the workspace, for secret scans.
    func allFiles() -> [URL] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url) }
        }
        return files
    }

    func close() async {
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh workspace and always tears it down.
func withWorkspace(
    mode: SimulatorMode = .production, faults: FaultPlan = FaultPlan(), fixture: SimulatorFixture? = nil,
    behindTLSFront: Bool = false, cloudStorage: CloudStorageEmulation? = nil, _ body: (Workspace) async throws -> Void
) async throws {
    let workspace = try await Workspace(mode: mode, faults: faults, fixture: fixture, behindTLSFront: behindTLSFront, cloudStorage: cloudStorage)
    do {
        try await body(workspace)
    } catch {
        await workspace.close()
        throw error
    }
    await workspace.close()
}

/// A parsed `physio fetch --json` summary.
func decodeSummary(_ result: PhysioProcess.Result) throws -> FetchSummary {
    let decoder = JSONDecoder()
    guard let data = result.stdout.data(using: .utf8), let summary = try? decoder.decode(FetchSummary.self, from: data) else {
        Issue.record("no JSON summary; exit \(result.exitCode); stderr: \(result.stderr)")
        throw CancellationError()
    }
    return summary
}

extension SimulatorFixture {
    /// The default fixture plus an open project `slug` with one version of generated files and a
    /// SHA256SUMS.txt made from them (copied from mimic-iv-demo-omop's open access and pages).
    static func withGeneratedProject(
        slug: String, version: String, seed: UInt64, files: [FixtureFiles.GeneratedFile]
    ) throws -> SimulatorFixture {
        var fixture = try SimulatorFixture.loadDefault()
        var project = try #require(fixture.project(slug: "mimic-iv-demo-omop"))
        project.slug = slug
        project.title = "Test project \(slug)"
        project.versions = [project.versions[0]]
        project.versions[0].version = version
        project.versions[0].files = FixtureFiles(generated: .init(seed: seed, files: files))
        project.versions[0].sha256sums = .generate
        fixture.projects.append(project)
        return fixture
    }
}
