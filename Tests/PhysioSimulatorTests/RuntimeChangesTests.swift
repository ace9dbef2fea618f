import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Changes made to a running simulator, as editors change the real site under `physio sync`: a file replaced,
/// added or removed (SHA256SUMS.txt following it), a version published.
@Suite("runtime changes to the published site")
struct RuntimeChangesTests {
    static let omop = "/files/mimic-iv-demo-omop/0.9/"

    /// A manifest's lines as digest by path.
    static func manifest(_ text: String) -> [String: String] {
        var lines: [String: String] = [:]
        for line in text.split(separator: "\n") where line.count > 65 {
            lines[String(line.dropFirst(65))] = String(line.prefix(64))
        }
        return lines
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @Test("replaceFile: new bytes and validators; SHA256SUMS.txt has the new digest and answers its old ETag with 200")
    func replaceFile() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let path = Self.omop + "README.txt"
            let before = try await client.get(path)
            #expect(before.body.count == 1544)
            let fileTag = try #require(before.headers["ETag"])
            let oldSums = try await client.get(Self.omop + "SHA256SUMS.txt")
            let sumsTag = try #require(oldSums.headers["ETag"])
            let sumsDate = try #require(oldSums.headers["Last-Modified"])

            let bytes = Array("A README replaced while the server runs.\n".utf8)
            try server.replaceFile(slug: "mimic-iv-demo-omop", version: "0.9", path: "README.txt", with: bytes)

            let after = try await client.get(path)
            #expect(after.status == 200)
            #expect(after.body == bytes)
            #expect(after.headers["ETag"] != fileTag)
            #expect(try await client.get(path, headers: ["If-None-Match": fileTag]).status == 200)

            // The manifest keeps its size (one digest for another), so only its new time can change its ETag.
            let digest = SHA256Hasher.digest(of: bytes).hex
            let sums = try await client.get(Self.omop + "SHA256SUMS.txt", headers: ["If-None-Match": sumsTag])
            #expect(sums.status == 200)
            #expect(sums.body.count == oldSums.body.count)
            var expected = Self.manifest(oldSums.text)
            #expect(expected["README.txt"] != digest)
            expected["README.txt"] = digest
            #expect(Self.manifest(sums.text) == expected)
            #expect(try await client.get(Self.omop + "SHA256SUMS.txt", headers: ["If-Modified-Since": sumsDate]).status == 200)
            let newTag = try #require(sums.headers["ETag"])
            #expect(try await client.get(Self.omop + "SHA256SUMS.txt", headers: ["If-None-Match": newTag]).status == 304)

            let listing = DirectoryListing(html: try await client.get(Self.omop).text)
            #expect(listing.entries.first { $0.name == "README.txt" }?.size == Int64(bytes.count))
        }
    }

    @Test("replaceFile adds a new path; removeFile: 404, gone from the listing and from SHA256SUMS.txt")
    func addAndRemove() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let added = Array("person_id,year\n1,2001\n".utf8)
            try server.replaceFile(slug: "mimic-iv-demo-omop", version: "0.9", path: "3_extra/notes.csv", with: added)
            #expect(try await client.get(Self.omop + "3_extra/notes.csv").body == added)
            #expect(try await client.get(Self.omop).text.contains(#"<a href="3_extra/">3_extra/</a>"#))
            let withAdded = try await client.get(Self.omop + "SHA256SUMS.txt")
            #expect(Self.manifest(withAdded.text)["3_extra/notes.csv"] == SHA256Hasher.digest(of: added).hex)
            let sumsTag = try #require(withAdded.headers["ETag"])

            try server.removeFile(slug: "mimic-iv-demo-omop", version: "0.9", path: "1_omop_data_csv/person.csv")
            #expect(try await client.get(Self.omop + "1_omop_data_csv/person.csv").status == 404)
            let folder = try await client.get(Self.omop + "1_omop_data_csv/")
            #expect(folder.status == 200)
            #expect(!folder.text.contains("person.csv"))
            #expect(folder.text.contains("visit_occurrence.csv"))
            let sums = try await client.get(Self.omop + "SHA256SUMS.txt", headers: ["If-None-Match": sumsTag])
            #expect(sums.status == 200)
            let lines = Self.manifest(sums.text)
            #expect(lines["1_omop_data_csv/person.csv"] == nil)
            #expect(lines["1_omop_data_csv/visit_occurrence.csv"] != nil)
            #expect(lines["3_extra/notes.csv"] != nil)
        }
    }

    @Test("a version without SHA256SUMS.txt gets none from a change; a folder goes with its last file")
    func absentManifest() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let bytes = Array("changed\n".utf8)
            try server.replaceFile(slug: "nosums-demo", version: "1.0", path: "a.txt", with: bytes)
            #expect(try await client.get("/files/nosums-demo/1.0/a.txt").body == bytes)
            #expect(try await client.get("/files/nosums-demo/1.0/SHA256SUMS.txt").status == 404)

            try server.removeFile(slug: "nosums-demo", version: "1.0", path: "sub/deeper/c.dat")
            #expect(try await client.get("/files/nosums-demo/1.0/SHA256SUMS.txt").status == 404)
            #expect(try await client.get("/files/nosums-demo/1.0/sub/deeper/c.dat").status == 404)
            #expect(try await client.get("/files/nosums-demo/1.0/sub/deeper/").status == 404)
            #expect(try await client.get("/files/nosums-demo/1.0/sub/").text.contains(#"<a href="b.csv">b.csv</a>"#))
        }
    }

    @Test("a folder's own SHA256SUMS.txt is regenerated in the generator's format after a change")
    func servedManifest() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let bytes = Array("A new licence.\n".utf8)
            try server.replaceFile(slug: "mimic-iv-demo", version: "2.2", path: "LICENSE.txt", with: bytes)
            let lines = try await client.get("/files/mimic-iv-demo/2.2/SHA256SUMS.txt").text.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(SHA256Hasher.digest(of: bytes).hex) LICENSE.txt"))
            #expect(lines.contains("\(SHA256Hasher.digest(of: try fixtureFile("mimic-iv-demo/2.2/README.txt")).hex) README.txt"))
            let paths = lines.map { String($0.dropFirst(65)) }
            #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(!paths.contains("SHA256SUMS.txt"))
        }
    }

    @Test("the ZIP follows a change: the new bytes inside, a new ETag")
    func zipFollows() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let zip = "/content/mimic-iv-demo-omop/get-zip/0.9/"
            let before = try await client.get(zip)
            #expect(before.status == 200)
            let bytes = Array("README, second edition\n".utf8)
            try server.replaceFile(slug: "mimic-iv-demo-omop", version: "0.9", path: "README.txt", with: bytes)
            let after = try await client.get(zip)
            #expect(after.status == 200)
            #expect(after.headers["ETag"] != before.headers["ETag"])
            #expect(Self.contains(after.body, bytes))
            #expect(!Self.contains(before.body, bytes))
        }
    }

    @Test("publish: /content/<slug>/ redirects to the new version, whose files and manifest are served")
    func publish() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/content/mimic-iv-demo-omop/").headers["Location"] == "/content/mimic-iv-demo-omop/0.9/")
            let version = FixtureVersion(
                version: "1.0", published: "2026-11-30", access: .open,
                files: FixtureFiles(generated: .init(seed: 10, files: [
                    .init(path: "LICENSE.txt", size: 2113), .init(path: "1_omop_data_csv/person.csv", size: 4096),
                ])))
            try server.publish(slug: "mimic-iv-demo-omop", version: version)

            let latest = try await client.get("/content/mimic-iv-demo-omop/")
            #expect(latest.status == 302)
            #expect(latest.headers["Location"] == "/content/mimic-iv-demo-omop/1.0/")
            let old = try await client.get("/content/mimic-iv-demo-omop/0.9/").text
            #expect(old.contains("This is <strong>not</strong> the latest version."))
            #expect(old.contains(#"<li class="list-group-item"><a href="/content/mimic-iv-demo-omop/1.0/">1.0</a>"#))
            #expect(try await client.get("/content/mimic-iv-demo-omop/1.0/").status == 200)
            #expect(try await client.get("/files/mimic-iv-demo-omop/1.0/1_omop_data_csv/person.csv").body.count == 4096)
            let sums = try await client.get("/files/mimic-iv-demo-omop/1.0/SHA256SUMS.txt")
            #expect(Set(Self.manifest(sums.text).keys) == ["LICENSE.txt", "1_omop_data_csv/person.csv"])
        }
    }

    @Test("a change the site cannot make throws ChangeError")
    func refusedChanges() async throws {
        try await withSimulator { server throws in
            let existing = try #require(defaultFixture.project(slug: "mimiciv")?.version("3.1"))
            #expect(throws: SimulatorServer.ChangeError.self) { try server.publish(slug: "mimiciv", version: existing) }
            #expect(throws: SimulatorServer.ChangeError.self) { try server.publish(slug: "no-such-project", version: existing) }
            let bytes = Array("x".utf8)
            #expect(throws: SimulatorServer.ChangeError.self) {
                try server.replaceFile(slug: "mimiciv", version: "9.9", path: "LICENSE.txt", with: bytes)
            }
            for path in ["", "/LICENSE.txt", "hosp/../x.csv", "hosp//x.csv", "hosp", "LICENSE.txt/x"] {
                #expect(throws: SimulatorServer.ChangeError.self, "\(path)") {
                    try server.replaceFile(slug: "mimiciv", version: "3.1", path: path, with: bytes)
                }
            }
            #expect(throws: SimulatorServer.ChangeError.self) {
                try server.removeFile(slug: "mimiciv", version: "3.1", path: "hosp/missing.csv")
            }
        }
    }
}
