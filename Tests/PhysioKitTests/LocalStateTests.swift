import Foundation
import Testing
@testable import PhysioKit

@Suite("Manifests and locks")
struct LocalStateTests {
    func temporaryRoot() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("physio-test-\(UUID().uuidString)", isDirectory: true)
    }

    @Test("a manifest round-trips and is written atomically with sorted files")
    func manifestRoundTrip() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let location = DatasetLocation(root: root, slug: "demo", version: "1.0")
        let manifest = DatasetManifest(
            slug: "demo", version: "1.0", baseURL: "http://127.0.0.1:1", layout: .physio, checksumSource: .server,
            checksumListSHA256: nil, matchesPin: nil, trustedServerOverPin: false, fetchedAt: Date(timeIntervalSince1970: 1_000),
            files: [
                .init(path: try DatasetPath(validating: "b.txt"), size: 2, state: .verified),
                .init(path: try DatasetPath(validating: "a.txt"), size: 1, state: .failed, reason: "missing"),
            ])
        try ManifestStore.save(manifest, to: location)
        let loaded = try #require(try ManifestStore.load(location))
        #expect(loaded.files.map(\.path.value) == ["a.txt", "b.txt"])
        #expect(loaded.slug == "demo")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: location.manifestFile.deletingLastPathComponent().path)
        #expect(leftovers == ["1.0.json"])
    }

    @Test("a manifest from a newer physio is refused, not overwritten")
    func newerSchemaRefused() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let location = DatasetLocation(root: root, slug: "demo", version: "1.0")
        try FileSystem.writeAtomically(Array(#"{"schemaVersion": 99, "future": true}"#.utf8), to: location.manifestFile)
        do {
            _ = try ManifestStore.load(location)
            Issue.record("loaded a newer manifest")
        } catch {
            #expect(error.exitCode == .localFilesystem)
            #expect(error.kind == "manifestFromNewerPhysio", "wrong error \(error)")
            #expect(error.facts["schema"] == "99")
        }
    }

    @Test("a second lock on the same dataset fails with the holder named; release frees it")
    func lockExcludes() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = DatasetLocation(root: root, slug: "demo", version: "1.0").lockFile
        var first: RunLock? = try RunLock(at: url)
        do {
            _ = try RunLock(at: url)
            Issue.record("second lock succeeded")
        } catch {
            #expect(error.exitCode == .locked)
            #expect(error.message.contains("pid \(getpid())"))
        }
        _ = first
        first = nil
        #expect(throws: Never.self) { _ = try RunLock(at: url) }
    }

    @Test("dataset paths: the wget layout nests under host/files")
    func layouts() throws {
        let root = URL(fileURLWithPath: "/data")
        let path = try DatasetPath(validating: "hosp/a.csv")
        #expect(DatasetLocation(root: root, slug: "s", version: "1.0").finalURL(for: path).path == "/data/s/1.0/hosp/a.csv")
        #expect(DatasetLocation(root: root, slug: "s", version: "1.0", layout: .wget).finalURL(for: path).path == "/data/physionet.org/files/s/1.0/hosp/a.csv")
        #expect(DatasetLocation(root: root, slug: "s", version: "1.0").partialPath(for: path) == "/data/.physio/partial/s/1.0/hosp/a.csv.part")
    }
}
