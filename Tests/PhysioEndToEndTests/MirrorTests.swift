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
        let config = LoopbackServer.nginxConfig(server: """
              server {
                listen 127.0.0.1:@PORT@;
                root @DIR@/srv;
                add_header x-amz-request-id physio-test;
              }
            """)
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
            // Every byte that crossed the network: each file once, and the mirror's wrong bytes of the altered
            // and truncated files twice each (a mismatch is downloaded once more before it counts as diverged).
            let wasted = 2 * ((originals[Self.altered]?.count ?? 0) + (originals[Self.truncated]?.count ?? 0) / 2)
            #expect(summary.bytesTransferred == Int64(originals.values.reduce(0) { $0 + $1.count } + wasted))
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

    /// moto's S3 server with IAM on, stocked with a bucket holding `files` under `prefix`; returns the server
    /// and the key pair of the one user allowed to read it.
    static func signedBucket(_ workspace: Workspace, bucket: String, prefix: String, files: [String: Data]) async throws
        -> (server: LoopbackServer, key: String, secret: String)
    {
        let source = workspace.directory.appendingPathComponent("s3-source")
        for (path, bytes) in files {
            let url = source.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
        }
        let server = try await LoopbackServer(
            executable: "python3", arguments: ["-m", "moto.server", "-H", "127.0.0.1", "-p", "@PORT@"], config: "",
            directory: workspace.directory.appendingPathComponent("moto"), environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        let stock = Process()
        stock.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        stock.arguments = [
            "python3", Workspace.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("mirrors/stock-s3.py").path,
            "http://127.0.0.1:\(server.port)", bucket, prefix, source.path,
        ]
        let output = Pipe()
        stock.standardOutput = output
        try stock.run()
        let printed = await BlockingIO.run { String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        await BlockingIO.run { stock.waitUntilExit() }
        let parts = printed.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard stock.terminationStatus == 0, parts.count == 2 else {
            server.stop()
            Issue.record("stocking moto failed (exit \(stock.terminationStatus)): \(printed)")
            throw CancellationError()
        }
        try FileManager.default.removeItem(at: source)
        return (server, parts[0], parts[1])
    }

    @Test("s3:// with SigV4 against moto: keys from the environment or a profile; a wrong key is exit 5 naming the source; the secret is nowhere")
    func signedMirror() async throws {
        try await withWorkspace { workspace in
            let originals = try await Self.originals(workspace)
            let (server, key, secret) = try await Self.signedBucket(workspace, bucket: "omop-demo-physionet", prefix: "0.9", files: Self.divergedCopy(originals))
            defer { server.stop() }
            let endpoint = ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:\(server.port)"]
            let source = "s3://omop-demo-physionet/0.9"

            let fromEnvironment = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--json", "--quiet",
                extraEnvironment: endpoint.merging(["AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret]) { $1 })
            #expect(fromEnvironment.exitCode == 0, "stderr: \(fromEnvironment.stderr)")
            let summary = try decodeSummary(fromEnvironment)
            #expect(summary.source == source && summary.filesBySource == [source: originals.count - 3, "physionet": 3])
            #expect(summary.diverged.map(\.path) == Self.divergedPaths)

            // A profile file (mode 0600, outside the workspace so the secret scan below reads only physio's files).
            let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("physio-aws-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: profiles) }
            try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
            let credentials = profiles.appendingPathComponent("credentials")
            try Data("[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[research]\naws_access_key_id = \(key)\naws_secret_access_key = \(secret)\n".utf8).write(to: credentials)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials.path)
            let fromProfile = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--dest", workspace.directory.appendingPathComponent("profile").path,
                "--json", "--quiet",
                extraEnvironment: endpoint.merging(["AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_PROFILE": "research"]) { $1 })
            #expect(fromProfile.exitCode == 0, "stderr: \(fromProfile.stderr)")
            #expect(try decodeSummary(fromProfile).filesBySource[source] == originals.count - 3)

            let wrong = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--dest", workspace.directory.appendingPathComponent("wrong").path,
                "--quiet", extraEnvironment: endpoint.merging(["AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": "not-the-secret"]) { $1 })
            #expect(wrong.exitCode == 5, "stderr: \(wrong.stderr)")
            #expect(wrong.stderr.contains("The mirror \(source) refused access") && wrong.stderr.contains("SignatureDoesNotMatch"), "\(wrong.stderr)")

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: credentials.path)
            let exposed = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--dest", workspace.directory.appendingPathComponent("exposed").path,
                "--quiet", extraEnvironment: endpoint.merging(["AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_PROFILE": "research"]) { $1 })
            #expect(exposed.exitCode == 2 && exposed.stderr.contains("chmod 600"), "\(exposed.stderr)")

            try AccountTests.expectNoSecret(secret, in: workspace, outputs: [fromEnvironment, fromProfile, wrong, exposed])
        }
    }

    @Test("gs:// against the simulator's GCS: bearer token and billing project sent, divergence repaired; a missing project or a wrong token is a clear error")
    func googleCloudStorage() async throws {
        let bucket = CloudStorageEmulation.bucketName(slug: Self.demo.slug, version: Self.demo.version)
        let emulation = CloudStorageEmulation(
            token: "gcs-token-5eCret", billingProject: "physio-billing",
            buckets: [bucket: .init(slug: Self.demo.slug, version: Self.demo.version, overrides: [Self.altered: Array("not the file\n".utf8)], missing: [Self.missing])])
        try await withWorkspace(cloudStorage: emulation) { workspace in
            let source = "gs://\(bucket)"
            let emulator = ["STORAGE_EMULATOR_HOST": workspace.baseURL.absoluteString]
            let result = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--billing-project", "physio-billing", "--json", "--quiet",
                extraEnvironment: emulator.merging(["GOOGLE_OAUTH_ACCESS_TOKEN": "gcs-token-5eCret"]) { $1 })
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.diverged.map(\.path) == [Self.altered, Self.missing].sorted())
            #expect(summary.filesBySource == [source: 5, "physionet": 2])
            let objects = workspace.server.counters.requests.filter { $0.path.hasPrefix("/\(bucket)/") }
            #expect(!objects.isEmpty && objects.allSatisfy { $0.query == "userProject=physio-billing" && $0.header("Authorization") == "Bearer gcs-token-5eCret" })
            #expect(workspace.server.counters.requests.filter { !$0.path.hasPrefix("/\(bucket)/") }.allSatisfy { $0.header("Authorization") == nil },
                    "the token goes to the bucket only")

            let viaCommand = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--dest", workspace.directory.appendingPathComponent("command").path,
                "--quiet", extraEnvironment: emulator.merging(["PHYSIO_GCS_TOKEN_COMMAND": "printf gcs-token-5eCret", "GOOGLE_CLOUD_PROJECT": "physio-billing"]) { $1 })
            #expect(viaCommand.exitCode == 0, "stderr: \(viaCommand.stderr)")

            let noProject = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--dest", workspace.directory.appendingPathComponent("np").path,
                "--quiet", extraEnvironment: emulator.merging(["GOOGLE_OAUTH_ACCESS_TOKEN": "gcs-token-5eCret"]) { $1 })
            #expect(noProject.exitCode == 2 && noProject.stderr.contains("--billing-project"), "\(noProject.stderr)")

            let wrongToken = try await workspace.physio(
                "fetch", "\(Self.demo.slug)@\(Self.demo.version)", "--source", source, "--billing-project", "physio-billing",
                "--dest", workspace.directory.appendingPathComponent("wt").path, "--quiet",
                extraEnvironment: emulator.merging(["GOOGLE_OAUTH_ACCESS_TOKEN": "expired"]) { $1 })
            #expect(wrongToken.exitCode == 5 && wrongToken.stderr.contains("The mirror \(source) refused access"), "\(wrongToken.stderr)")
            try AccountTests.expectNoSecret("gcs-token-5eCret", in: workspace, outputs: [result, viaCommand, noProject, wrongToken])
        }
    }

    @Test("status names the cloud mirrors a project page offers")
    func statusNamesMirrors() async throws {
        try await withWorkspace { workspace in
            let status = try await workspace.physio("status", "\(Self.demo.slug)@\(Self.demo.version)")
            #expect(status.stdout.contains("Cloud mirrors: aws-open, gs://mimic-iv-demo-omop-0.9.physionet.org (`physio fetch mimic-iv-demo-omop@0.9 --source aws-open`)"), "\(status.stdout)")
            let json = try await workspace.physio("status", "\(Self.demo.slug)@\(Self.demo.version)", "--json")
            #expect(json.stdout.contains("\"mirrors\""))
        }
    }
}
