import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The GCS emulation (`CloudStorageEmulation`): PhysioNet's requester-pays buckets over the XML API,
/// `GET /<bucket>/<object>?userProject=<project>` with `Authorization: Bearer <token>`.
@Suite("GCS emulation: requester-pays buckets")
struct CloudStorageTests {
    static let token = "ya29.simulated-access-token"
    static let project = "physio-billing"
    static let bucket = CloudStorageEmulation.bucketName(slug: "mimiciii-demo", version: "1.4")
    /// CRC-32C's check value is that of these bytes: 0xE3069283.
    static let overrideBytes = Array("123456789".utf8)
    static let emulation = CloudStorageEmulation(
        token: token, billingProject: project,
        buckets: [
            bucket: .init(
                slug: "mimiciii-demo", version: "1.4",
                overrides: ["LICENSE.txt": overrideBytes, "only-in-bucket.txt": Array("mirror\n".utf8)],
                missing: ["CALLOUT.csv"])
        ])

    /// `/<bucket>/<object>`, billed to `project` unless given another (nil: no `userProject`).
    static func object(_ name: String, bucket: String = CloudStorageTests.bucket, project: String? = CloudStorageTests.project) -> String {
        "/\(bucket)/\(name)" + (project.map { "?userProject=\($0)" } ?? "")
    }

    static func bearer(_ token: String = CloudStorageTests.token, _ extra: [(String, String)] = []) -> HTTPHeaders {
        HTTPHeaders([("Authorization", "Bearer \(token)")] + extra)
    }

    /// `<Code>` of an XML error body, checking the envelope GCS sends.
    static func errorCode(_ response: HTTPResponse) -> String? {
        let text = response.text
        guard response.headers["Content-Type"] == "application/xml; charset=UTF-8",
            text.hasPrefix("<?xml version='1.0' encoding='UTF-8'?><Error><Code>"),
            let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>")
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test("off unless configured: a bucket path is the site's (Django's slash redirect, then its 404)")
    func optIn() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let response = try await client.get(Self.object("D_CPT.csv"), headers: Self.bearer())
            #expect(response.status == 301)
            #expect(Self.errorCode(response) == nil)
            let slashed = try await client.get("/\(Self.bucket)/D_CPT.csv/", headers: Self.bearer())
            #expect(slashed.status == 404)
            #expect(slashed.head.isHTML)
        }
    }

    @Test("no bearer token → 401 AuthenticationRequired; Basic is no bearer; a wrong token → 403 AccessDenied")
    func bearerToken() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            let anonymous = try await client.get(Self.object("D_CPT.csv"))
            #expect(anonymous.status == 401)
            #expect(Self.errorCode(anonymous) == "AuthenticationRequired")

            let basicAuth = try await client.get(Self.object("D_CPT.csv"), headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(basicAuth.status == 401)
            #expect(Self.errorCode(basicAuth) == "AuthenticationRequired")

            let wrong = try await client.get(Self.object("D_CPT.csv"), headers: Self.bearer("ya29.someone-else"))
            #expect(wrong.status == 403)
            #expect(Self.errorCode(wrong) == "AccessDenied")
            #expect(!wrong.text.contains("D_CPT"))
        }
    }

    @Test("requester pays: no userProject → 400 UserProjectMissing; another project → 403 UserProjectAccessDenied")
    func userProject() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            let missing = try await client.get(Self.object("D_CPT.csv", project: nil), headers: Self.bearer())
            #expect(missing.status == 400)
            #expect(Self.errorCode(missing) == "UserProjectMissing")
            #expect(missing.text.contains("<Message>Bucket is a requester pays bucket but no user project provided.</Message>"))

            let empty = try await client.get(Self.object("D_CPT.csv", project: ""), headers: Self.bearer())
            #expect(empty.status == 400)
            #expect(Self.errorCode(empty) == "UserProjectMissing")

            let other = try await client.get(Self.object("D_CPT.csv", project: "someone-elses-project"), headers: Self.bearer())
            #expect(other.status == 403)
            #expect(Self.errorCode(other) == "UserProjectAccessDenied")
        }
    }

    @Test("an object: PhysioNet's bytes with GCS's headers; Range, If-Range and HEAD as on /files/; 416 InvalidRange")
    func objectWithRange() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            let expected = try fixtureFile("mimiciii-demo/1.4/D_CPT.csv")
            let path = Self.object("D_CPT.csv")

            let full = try await client.get(path, headers: Self.bearer())
            #expect(full.status == 200)
            #expect(full.body == expected)
            #expect(full.headers["Content-Length"] == "12717")
            #expect(full.headers["Accept-Ranges"] == "bytes")
            #expect(full.headers["x-goog-stored-content-length"] == "12717")
            // The file's CRC-32C, computed apart (the same polynomial gives 0xE3069283 for "123456789").
            #expect(full.headers["x-goog-hash"] == "crc32c=QKyZhw==")
            let generation = try #require(full.headers["x-goog-generation"].flatMap { Int64($0) })
            #expect(generation > 0)
            let etag = try #require(full.headers["ETag"])
            // Shaped like GCS's (a quoted MD5), and not PhysioNet's validator for the same file.
            #expect(etag.count == 34 && etag.hasPrefix("\"") && etag.hasSuffix("\""))
            let physioNet = try await client.get("/files/mimiciii-demo/1.4/D_CPT.csv")
            #expect(physioNet.headers["ETag"] != etag)

            let partial = try await client.get(path, headers: Self.bearer(Self.token, [("Range", "bytes=100-199")]))
            #expect(partial.status == 206)
            #expect(partial.headers["Content-Range"] == "bytes 100-199/12717")
            #expect(partial.body == Array(expected[100..<200]))
            #expect(partial.headers["x-goog-generation"] == String(generation))

            let resumed = try await client.get(path, headers: Self.bearer(Self.token, [("Range", "bytes=12000-"), ("If-Range", etag)]))
            #expect(resumed.status == 206)
            #expect(resumed.body == Array(expected[12000...]))

            // A validator from PhysioNet does not hold here: the whole object comes back.
            let foreign = try #require(physioNet.headers["ETag"])
            let mixed = try await client.get(path, headers: Self.bearer(Self.token, [("Range", "bytes=12000-"), ("If-Range", foreign)]))
            #expect(mixed.status == 200)
            #expect(mixed.body == expected)

            let unchanged = try await client.get(path, headers: Self.bearer(Self.token, [("If-None-Match", etag)]))
            #expect(unchanged.status == 304)

            let head = try await client.head(path, headers: Self.bearer())
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == "12717")
            #expect(head.headers["ETag"] == etag)
            #expect(head.body.isEmpty)

            let beyond = try await client.get(path, headers: Self.bearer(Self.token, [("Range", "bytes=99999-")]))
            #expect(beyond.status == 416)
            #expect(Self.errorCode(beyond) == "InvalidRange")
        }
    }

    @Test("an override is served in place of PhysioNet's bytes, with its own CRC-32C; /files/ is unchanged")
    func override() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            let overridden = try await client.get(Self.object("LICENSE.txt"), headers: Self.bearer())
            #expect(overridden.status == 200)
            #expect(overridden.body == Self.overrideBytes)
            #expect(overridden.headers["Content-Length"] == "9")
            #expect(overridden.headers["x-goog-hash"] == "crc32c=4waSgw==")

            let partial = try await client.get(Self.object("LICENSE.txt"), headers: Self.bearer(Self.token, [("Range", "bytes=-3")]))
            #expect(partial.status == 206)
            #expect(partial.text == "789")

            let added = try await client.get(Self.object("only-in-bucket.txt"), headers: Self.bearer())
            #expect(added.status == 200)
            #expect(added.text == "mirror\n")

            let site = try await client.get("/files/mimiciii-demo/1.4/LICENSE.txt")
            #expect(site.body == (try fixtureFile("mimiciii-demo/1.4/LICENSE.txt")))
        }
    }

    @Test("an object the bucket lacks, a folder, an empty segment → 404 NoSuchKey; an unknown bucket → 404 NoSuchBucket")
    func notFound() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/files/mimiciii-demo/1.4/CALLOUT.csv").status == 200)
            for name in ["CALLOUT.csv", "NO_SUCH_TABLE.csv", "nested/D_CPT.csv", "/D_CPT.csv"] {
                let response = try await client.get(Self.object(name), headers: Self.bearer())
                #expect(response.status == 404, "\(name)")
                #expect(Self.errorCode(response) == "NoSuchKey", "\(name)")
            }
            let gone = try await client.get(Self.object("CALLOUT.csv"), headers: Self.bearer())
            #expect(gone.text.contains("No such object: \(Self.bucket)/CALLOUT.csv"))

            let unknown = CloudStorageEmulation.bucketName(slug: "mimiciii", version: "1.4")
            let response = try await client.get(Self.object("LICENSE.txt", bucket: unknown), headers: Self.bearer())
            #expect(response.status == 404)
            #expect(Self.errorCode(response) == "NoSuchBucket")
        }
    }

    @Test("requests are counted as the site's are: path, userProject, bearer header, status")
    func counted() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            _ = try await client.get(Self.object("D_CPT.csv"), headers: Self.bearer(Self.token, [("Range", "bytes=0-99")]))
            _ = try await client.get(Self.object("CALLOUT.csv"), headers: Self.bearer())
            let path = "/\(Self.bucket)/D_CPT.csv"
            let recorded = server.counters.requests(path: path)
            #expect(recorded.count == 1)
            #expect(recorded.first?.query == "userProject=\(Self.project)")
            #expect(recorded.first?.header("Authorization") == "Bearer \(Self.token)")
            #expect(recorded.first?.header("Range") == "bytes=0-99")
            #expect(recorded.first?.status == 206)
            #expect(server.counters.bodyBytesSent(path: path) == 100)
            #expect(server.counters.requests(path: "/\(Self.bucket)/CALLOUT.csv").first?.status == 404)
        }
    }

    @Test("the bucket follows the version's files as they change, with a new generation")
    func followsChanges() async throws {
        try await withSimulator(cloudStorage: Self.emulation) { server throws in
            let client = SimClient(server)
            let before = try await client.get(Self.object("D_CPT.csv"), headers: Self.bearer())
            try server.replaceFile(slug: "mimiciii-demo", version: "1.4", path: "D_CPT.csv", with: Array("changed\n".utf8))
            let after = try await client.get(Self.object("D_CPT.csv"), headers: Self.bearer())
            #expect(after.text == "changed\n")
            #expect(after.headers["x-goog-generation"] != before.headers["x-goog-generation"])
            #expect(after.headers["ETag"] != before.headers["ETag"])
        }
    }

    @Test("a bucket the fixture cannot fill, or whose name could shadow the site, fails the start")
    func invalidConfiguration() async throws {
        let unknownVersion = CloudStorageEmulation(token: Self.token, billingProject: Self.project, mirroring: [("mimiciii-demo", "9.9")])
        await #expect(throws: SimulatorServer.StartError.self) {
            _ = try await SimulatorServer.start(fixture: defaultFixture, cloudStorage: unknownVersion)
        }
        let shadowing = CloudStorageEmulation(
            token: Self.token, billingProject: Self.project, buckets: ["files": .init(slug: "mimiciii-demo", version: "1.4")])
        await #expect(throws: SimulatorServer.StartError.self) {
            _ = try await SimulatorServer.start(fixture: defaultFixture, cloudStorage: shadowing)
        }
    }
}
