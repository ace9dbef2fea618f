import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// `--source`: bytes from a mirror (an S3-shaped nginx tree, moto's S3 with SigV4, the simulator's GCS
/// emulation), the list and hashes from PhysioNet (the simulator), every file verified, divergence reported
/// and repaired from PhysioNet.
@Suite("mirrors", .serialized, .timeLimit(.minutes(3)))
struct MirrorTests {
    static let demo = (slug: "mimic-iv-demo-omop", version: "0.9")
    /// Three of the demo's seven files, made to diverge on the mirror: altered, missing, truncated.
    static let altered = "2_achilles_json/dashboard.json"
    static let missing = "1_omop_data_csv/visit_occurrence.csv"
    static let truncated = "1_omop_data_csv/person.csv"
    static let divergedPaths = [altered, missing, truncated].sorted()

    /// The demo's files as PhysioNet serves them, fetched once into `<workspace>/original/`.
    static func originals(_ workspace: Workspace) async throws -> [String: Data] {
        let root = workspace.directory.appendingPathComponent("original")
        let fetched = try await workspace.physio("fetch", "\(demo.slug)@\(demo.version)", "--dest", root.path, "--quiet")
        #expect(fetched.exitCode == 0, "stderr: \(fetched.stderr)")
        let folder = root.appendingPathComponent("\(demo.slug)/\(demo.version)")
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = String(url.path.dropFirst(folder.path.count + 1))
            if path != "SHA256SUMS.txt" { files[path] = try Data(contentsOf: url) }
        }
        #expect(files.keys.contains(altered) && files.keys.contains(missing) && files.keys.contains(truncated), "\(files.keys.sorted())")
        return files
    }

    /// The bytes a diverged mirror holds: three files wrong, the rest as PhysioNet's.
    static func divergedCopy(_ originals: [String: Data]) -> [String: Data] {
        var copy = originals
        copy[altered] = Data((copy[altered] ?? Data()).map { $0 ^ 0x20 })
        copy[missing] = nil
        copy[truncated] = copy[truncated].map { $0.prefix($0.count / 2) }
        return copy
    }

    /// nginx serving `<dir>/srv` the way S3 answers a path-style GET (ETag, Accept-Ranges, Range).
    static func bucketServer(_ workspace: Workspace, bucket: String, prefix: String, files: [String: Data]) async throws -> LoopbackServer {
        let directory = workspace.directory.appendingPathComponent("mirror")
        for (path, bytes) in files {
            let url = directory.appendingPathComponent("srv/\(bucket)/\(prefix)/\(path)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
        }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        let config = """
            daemon off;
            master_process off;
            error_log @DIR@/error.log;
            pid @DIR@/nginx.pid;
            events { worker_connections 256; }
            http {
              access_log @DIR@/access.log;
              client_body_temp_path @DIR@/tmp; proxy_temp_path @DIR@/tmp; fastcgi_temp_path @DIR@/tmp;
              uwsgi_temp_path @DIR@/tmp; scgi_temp_path @DIR@/tmp;
              server {
                listen 127.0.0.1:@PORT@;
                root @DIR@/srv;
                add_header x-amz-request-id physio-test;
              }
            }
            """
        return try await LoopbackServer(
            executable: "nginx", arguments: ["-c", "@DIR@/server.conf", "-p", "@DIR@"], config: config, directory: directory)
    }

    /// GETs of the demo's data files the simulator (PhysioNet) answered after `serial`.
    static func physioNetDataGETs(_ workspace: Workspace, after serial: Int) -> [String] {
        workspace.server.counters.requests.filter {
            $0.serial > serial && $0.method == "GET" && $0.path.hasPrefix("/files/\(demo.slug)/\(demo.version)/")
                && !$0.path.hasSuffix("/") && !$0.path.hasSuffix("/SHA256SUMS.txt")
        }.map { String($0.path.dropFirst("/files/\(demo.slug)/\(demo.version)/".count)) }.sorted()
    }

    @Test("aws-open through an S3-shaped nginx: every file verified, three diverged files reported and fetched from PhysioNet, sources recorded")
    func anonymousMirror() async throws {
        try await withWorkspace { workspace in
            let originals = try await Self.originals(workspace)
            let mirror = try await Self.bucketServer(
                workspace, bucket: "physionet-open", prefix: "\(Self.demo.slug)/\(Self.demo.version)", files: Self.divergedCopy(originals))
            defer { mirror.stop() }
            let endpoint = ["AWS_ENDPOINT_URL": "http://127.0.0.1:\(mirror.port)"]
            let before = workspace.server.counters.requests.last?.serial ?? 0

            let result = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", "aws-open", "--json", "--quiet", extraEnvironment: endpoint)
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.counts.verified == originals.count && summary.counts.failed == 0)
            #expect(summary.source == "aws-open")
            #expect(summary.filesBySource == ["aws-open": originals.count - 3, "physionet": 3])
            #expect(summary.diverged.map(\.path) == Self.divergedPaths)
            let missing = try #require(summary.diverged.first { $0.path == Self.missing })
            #expect(missing.received == "missing (HTTP 404)" && missing.expected.count == 64)
            let altered = try #require(summary.diverged.first { $0.path == Self.altered })
            #expect(altered.received.count == 64 && altered.received != altered.expected)
            // PhysioNet sent exactly the three; the mirror everything else.
            #expect(Self.physioNetDataGETs(workspace, after: before) == Self.divergedPaths)
            #expect(mirror.log("access.log").contains("GET /physionet-open/\(Self.demo.slug)/\(Self.demo.version)/"))
            for (path, bytes) in originals {
                #expect(try Data(contentsOf: workspace.datasetFile(Self.demo.slug, Self.demo.version, path)) == bytes, "\(path)")
            }
            let manifest = try #require(try workspace.manifest(Self.demo.slug, Self.demo.version))
            let sources = Dictionary(uniqueKeysWithValues: manifest.files.map { ($0.path.value, $0.source ?? "physionet") })
            #expect(sources[Self.altered] == "physionet" && sources.values.filter { $0 == "aws-open" }.count == originals.count - 3)
            #expect(result.stderr.isEmpty || !result.stderr.contains("error"))

            // --no-fallback: the three fail, named as diverged (exit 8).
            let strict = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", "aws-open", "--no-fallback", "--dest",
                workspace.directory.appendingPathComponent("strict").path, "--json", "--quiet", extraEnvironment: endpoint)
            #expect(strict.exitCode == 8, "stderr: \(strict.stderr)")
            let strictSummary = try decodeSummary(strict)
            #expect(strictSummary.failures.map(\.path) == Self.divergedPaths)
            #expect(strictSummary.failures.allSatisfy { $0.reason.contains("mirror diverged") })
        }
    }

    @Test("--source auto: the open-data bucket when it has the version's SHA256SUMS.txt, PhysioNet otherwise")
    func auto() async throws {
        try await withWorkspace { workspace in
            let originals = try await Self.originals(workspace)
            var files = originals
            files["SHA256SUMS.txt"] = try Data(contentsOf: workspace.directory.appendingPathComponent("original/\(Self.demo.slug)/\(Self.demo.version)/SHA256SUMS.txt"))
            let mirror = try await Self.bucketServer(workspace, bucket: "physionet-open", prefix: "\(Self.demo.slug)/\(Self.demo.version)", files: files)
            defer { mirror.stop() }
            let endpoint = ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:\(mirror.port)"]
            let fromMirror = try decodeSummary(try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", "auto", "--json", "--quiet", extraEnvironment: endpoint))
            #expect(fromMirror.source == "aws-open" && fromMirror.filesBySource["aws-open"] == originals.count)

            let notThere = try decodeSummary(try await workspace.physio(
                "fetch", "mimiciv@3.1", "--source", "auto", "--json", "--quiet",
                extraEnvironment: endpoint.merging(AccountTests.credentials("credentialed")) { $1 }))
            #expect(notThere.source == "physionet" && notThere.counts.downloaded == 5 && notThere.filesBySource.isEmpty)
        }
    }
}
