import Foundation
import Testing
@testable import PhysioKit

@Suite("0.1's manifest shape, one JSON style, local files")
struct ManifestTests {
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

    @Test("a manifest round-trips through physio's one JSON style, nanosecond timestamps and large inodes included")
    func roundTrip() throws {
        let manifest = try Self.sample()
        let bytes = try PhysioJSON.encoder().encode(manifest)
        #expect(try PhysioJSON.decoder().decode(DatasetManifest.self, from: bytes) == manifest)
    }

    @Test("inventory export --json streams each record, and reads back as the inventory's manifest; escaping as --json's")
    func exportStreams() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("physio-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sample = try Self.sample()
        let inventory = try Inventory.open(root: root)
        let records = try (0..<3000).map { index in
            var record = sample.files[index % 2]
            record.path = try DatasetPath(validating: "d/\(index)/a \"q\" é.csv")
            return record
        }
        try inventory.apply(Inventory.Change(slug: "demo", version: "1.0", provenance: .replace(sample.provenance), records: records))
        let manifest = try #require(try inventory.manifest(slug: "demo", version: "1.0"))
        var chunks: [[UInt8]] = []
        try InventoryExport.write([manifest.provenance], from: inventory, format: .json) { chunks.append($0) }
        #expect(chunks.count > 2, "records go out as they are read, not as one document")
        let exported = Data(chunks.joined())
        #expect(try PhysioJSON.decoder().decode(DatasetManifest.self, from: exported) == manifest)
        // The same escaping as every other JSON output: slashes as they are, quotes escaped alike.
        let text = String(decoding: exported, as: UTF8.self)
        #expect(text.contains("https://physionet.org") && !text.contains("\\/"))
        let encodedRecord = String(decoding: try PhysioJSON.encoder(.line).encode(manifest.files[0]), as: UTF8.self)
        #expect(text.contains(encodedRecord))

        var twoDatasets: [UInt8] = []
        try InventoryExport.write([manifest.provenance, manifest.provenance], from: inventory, format: .json) { twoDatasets += $0 }
        #expect(try PhysioJSON.decoder().decode([DatasetManifest].self, from: Data(twoDatasets)) == [manifest, manifest])
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
