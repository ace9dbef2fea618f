import Foundation
import Testing

@testable import PhysioKit

@Suite("RunContext and the one derivation of fetch options")
struct RunContextTests {
    static let knobs = RunContext(
        environment: ["PHYSIO_SPLIT_PROBE_SECONDS": "2", "PHYSIO_RETRY_BASE_SECONDS": "0.1", "HOME": "/home/alice", "PHYSIO_DATA": "/data"],
        workingDirectory: "/work")

    @Test("fetch and sync derive the same knobs from the environment: retry backoff and split probe")
    func fetchAndSyncAgree() throws {
        let root = URL(fileURLWithPath: "/data")
        let plan = ConnectionPlan(jobs: 3, source: .physionet)
        let fetch = FetchOptions(
            slug: "mimiciii-demo", version: "1.4", root: root, layout: .physio, filter: PathFilter(), plan: plan, granted: 8,
            context: Self.knobs)
        let environment = try DataEnvironment.parse(
            "[[dataset]]\nslug = \"mimiciii-demo\"\nversion = \"1.4\"\njobs = 3\n", file: URL(fileURLWithPath: "/data/physio.toml"),
            homeDirectory: Self.knobs.homeDirectory)
        var options = SyncEngine.Options()
        options.context = Self.knobs
        options.connections = 8
        let sync = SyncEngine.fetchOptions(environment.datasets[0], version: "1.4", expectedList: nil, root: root, options: options)
        for derived in [fetch, sync] {
            #expect(derived.splitProbeSeconds == 2)
            #expect(derived.retry.baseDelay == 0.1)
            #expect(derived.concurrency == 3)
            #expect(derived.maximumConnections == 6)
            #expect(derived.listConnections == 8)
        }
    }

    @Test("the home folder follows $HOME; the data root is --dest, else PHYSIO_DATA, else the working directory")
    func homeAndRoot() {
        #expect(Self.knobs.homeDirectory == "/home/alice")
        #expect(Self.knobs.expandingTilde("~/.netrc") == "/home/alice/.netrc")
        #expect(Self.knobs.dataRoot(dest: nil).path == "/data")
        #expect(Self.knobs.dataRoot(dest: "sub").path == "/work/sub")
        #expect(RunContext(environment: [:], workingDirectory: "/work").dataRoot(dest: nil).path == "/work")
        #expect(RunContext(environment: ["PHYSIO_SPLIT_PROBE_SECONDS": "-1"]).splitProbeSeconds == 5)
    }

    @Test("connection plan: PhysioNet's share, split connections, a named mirror's own count, shards sharing the 8")
    func connectionPlan() throws {
        #expect(ConnectionPlan(jobs: nil, source: .physionet).physioNetConnections == 8)
        #expect(ConnectionPlan(jobs: 2, source: .physionet, noSplit: true).physioNetConnections == 2)
        let mirror = ConnectionPlan(jobs: 32, source: .awsOpen)
        #expect(mirror.physioNetJobs == 4 && mirror.mirrorJobs == 32 && mirror.mirrorConnections == 64)
        // Eight shards from a mirror fall back to PhysioNet on one connection each: 8 in all, not refused.
        let sharded = ConnectionPlan(jobs: nil, source: .awsOpen, shards: 8)
        #expect(sharded.physioNetJobs == 1)
        let site = try PhysioNetSite.validate(baseURL: URL(string: "https://physionet.org")!, allowInsecureHTTP: false)
        #expect(throws: Never.self) { try sharded.checkShards(8, site: site, force: false) }
        #expect(throws: PhysioError.self) { try ConnectionPlan(jobs: 2, source: .physionet, shards: 8).checkShards(8, site: site, force: false) }
    }

    @Test("PhysioKit reads the process environment only in RunContext")
    func noOtherEnvironmentReads() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PhysioKit")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        // RunContext reads the process once; HomeDirectory falls back to the password database for `~`.
        for file in files where !["Support/RunContext.swift", "Credentials/HomeDirectory.swift"].contains(file) {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for reader in ["ProcessInfo.processInfo.environment", "getenv(", "homeDirectoryForCurrentUser", "currentDirectoryPath"] {
                #expect(!text.contains(reader), "\(file) reads the process with \(reader); take it from RunContext")
            }
        }
    }
}
