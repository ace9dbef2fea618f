import Foundation
import Testing
@testable import PhysioKit

@Suite("Manifest codec and JSON reader")
struct ManifestCodecTests {
    static func sample() throws -> DatasetManifest {
        let digest = try #require(SHA256Digest(hex: String(repeating: "0f", count: 32)))
        var manifest = DatasetManifest(
            slug: "demo", version: "1.0", baseURL: "https://physionet.org", layout: .wget, checksumSource: .server,
            checksumListSHA256: digest, matchesPin: true, trustedServerOverPin: false,
            fetchedAt: Date(timeIntervalSince1970: 1_700_000_000),
            files: [
                .init(path: try DatasetPath(validating: "a \"quoted\" name\\with é.csv".replacingOccurrences(of: "\\", with: "_")),
                      size: 10, sha256: digest, state: .verified, verifiedAt: Date(timeIntervalSince1970: 1_700_000_100),
                      etag: "\"6b093053-9ee\"", lastModified: "Tue, 17 Jan 2023 14:02:11 GMT",
                      identity: FileIdentity(size: 10, modifiedNanoseconds: 1_700_000_000_123_456_789, inode: 4_294_967_301)),
                .init(path: try DatasetPath(validating: "sub/missing.txt"), size: nil, sha256: digest, state: .failed,
                      reason: "missing on the server (HTTP 404)\nline two"),
            ])
        manifest.checksumListValidator = "\"6b093053-9ee\""
        return manifest
    }

    @Test("the fast codec round-trips exactly, nanosecond timestamps and large inodes included")
    func roundTrip() throws {
        let manifest = try Self.sample()
        let decoded = try ManifestCodec.decode(bytes: ManifestCodec.encode(manifest))
        #expect(decoded == manifest)
    }

    @Test("Foundation's JSONDecoder reads what the fast codec writes (the format is the Codable one)")
    func foundationReadsFastOutput() throws {
        let manifest = try Self.sample()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let viaFoundation = try decoder.decode(DatasetManifest.self, from: Data(ManifestCodec.encode(manifest)))
        #expect(viaFoundation == manifest)
    }

    @Test("the fast codec reads what Foundation's JSONEncoder writes")
    func fastReadsFoundationOutput() throws {
        let manifest = try Self.sample()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let bytes = Array(try encoder.encode(manifest))
        #expect(try ManifestCodec.decode(bytes: bytes) == manifest)
    }

    @Test("chunked writing produces the same bytes as one buffer")
    func chunkedWriting() throws {
        var manifest = try Self.sample()
        let template = manifest.files[0]
        manifest.files = (0..<1000).map { index in
            var record = template
            record.path = try! DatasetPath(validating: "f\(index).dat")
            return record
        }
        var chunks = 0
        var joined: [UInt8] = []
        ManifestCodec.write(manifest) { chunk in
            chunks += 1
            joined += chunk
        }
        #expect(chunks > 1)
        #expect(joined == ManifestCodec.encode(manifest))
    }

    @Test("records the fast reader refuses (escaped keys, written numbers, unknown keys) load through the general one")
    func generalReaderFallback() throws {
        let manifest = try Self.sample()
        var text = String(decoding: ManifestCodec.encode(manifest), as: UTF8.self)
        text = text.replacingOccurrences(of: #""size":10,"#, with: #""size":1.0e1,"future":{"x":[1]},"#)
        text = text.replacingOccurrences(of: #""state":"failed""#, with: #""st\u0061te":"failed""#)
        #expect(try ManifestCodec.decode(bytes: Array(text.utf8)) == manifest)
        let damaged = text.replacingOccurrences(of: #""path":"sub/missing.txt""#, with: #""path":"../escape.txt""#)
        #expect(throws: (any Error).self) { try ManifestCodec.decode(bytes: Array(damaged.utf8)) }
    }

    @Test("dataset paths order by UTF-8 bytes, as the list and the manifest are sorted")
    func pathOrder() throws {
        let names = ["b", "a/b", "a", "é", "z", "ab", "a b", "a/", "A", "a.b", "ä", "a/b/c"].compactMap { try? DatasetPath(validating: $0) }
        let expected = names.sorted { $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) }
        #expect(names.sorted() == expected)
        #expect(!(names[0] < names[0]))
    }

    @Test("a staged file changes nothing until committed, and leaves nothing behind when dropped")
    func stagedFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("physio-staged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("manifest.json")
        try Data("old".utf8).write(to: target)
        do {
            _ = try StagedFile.stage(to: target) { write in try write(Array("dropped".utf8)) }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["manifest.json"])
        let staged = try StagedFile.stage(to: target, mode: 0o600) { write in try write(Array("new".utf8)) }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old", "not before commit")
        try staged.commit()
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["manifest.json"])
    }

    @Test("the JSON reader: escapes, surrogate pairs, exact integers, and errors with offsets")
    func jsonReader() throws {
        let value = try JSONValue.parse(Array(#"{"s":"a\"b\\c\n\u00e9\ud83d\ude00","n":-1.5e2,"i":9007199254740993,"t":true,"z":null,"a":[1,2]}"#.utf8))
        #expect(value["s"]?.string == "a\"b\\c\né😀")
        #expect(value["n"]?.double == -150)
        #expect(value["i"]?.int64 == 9_007_199_254_740_993)
        #expect(value["t"]?.bool == true)
        #expect(value["z"] == .null)
        #expect(value["a"]?.array?.count == 2)
        for broken in ["{", #"{"a":}"#, #"{"a":1,}"#, #"["x"] trailing"#, #""\q""#, "[1 2]"] {
            #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Array(broken.utf8)) }
        }
    }

    @Test("publishing a verified small file creates it whole, replacing a stale one")
    func publish() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("physio-publish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("data.csv").path
        try Data("stale".utf8).write(to: URL(fileURLWithPath: path))
        let identity = try #require(try FileSystem.publish(Array("fresh,bytes\n".utf8), atPath: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "fresh,bytes\n")
        #expect(identity.size == 12)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data.csv"], "no temporary left behind")
    }
}
