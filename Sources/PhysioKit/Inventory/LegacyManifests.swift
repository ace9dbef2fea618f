import FoundationEssentials
import Glibc

/// The JSON manifests of physio before the inventory (`<root>/.physio/manifests/<slug>/<version>.json`):
/// read once, imported into the inventory, and kept beside as `<version>.json.migrated`.
enum LegacyManifests {
    static func folder(under root: URL) -> URL {
        root.standardizedFileURL.appendingPathComponent(".physio/manifests", isDirectory: true)
    }

    static func present(under root: URL) -> Bool { !files(under: root).isEmpty }

    /// Every manifest not yet imported, by slug then version.
    static func files(under root: URL) -> [URL] {
        let base = folder(under: root)
        guard let slugs = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { return [] }
        var result: [URL] = []
        for slug in slugs.sorted() {
            let folder = base.appendingPathComponent(slug, isDirectory: true)
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            result += versions.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
        }
        return result
    }

    /// Imports every manifest under `root` (each in one transaction), then renames it. A crash between the
    /// two imports it again next time, which writes the same rows.
    static func importAll(under root: URL, into inventory: Inventory) throws(PhysioError) {
        for url in files(under: root) {
            guard let manifest = try load(from: url) else { continue }
            try inventory.apply(Inventory.Change(
                slug: manifest.slug, version: manifest.version, provenance: .replace(manifest.provenance),
                records: manifest.files))
            let kept = url.appendingPathExtension("migrated")
            guard rename(url.path, kept.path) == 0 else {
                throw .filesystem(path: url.path, detail: "imported into the inventory but not renamed: \(FileSystem.errorText(errno))")
            }
        }
    }

    static func load(from url: URL) throws(PhysioError) -> DatasetManifest? {
        guard FileSystem.exists(url) else { return nil }
        let bytes = Data(try FileSystem.readAll(url))
        // A manifest from a newer physio is refused, never misread, whether or not its records parse.
        let decoder = PhysioJSON.decoder()
        let decoded = try? decoder.decode(DatasetManifest.self, from: bytes)
        let schema = decoded?.schemaVersion ?? (try? decoder.decode(Schema.self, from: bytes))?.schemaVersion
        if let schema, schema > DatasetManifest.currentSchemaVersion {
            throw .manifestFromNewerPhysio(path: url.path, schema: schema)
        }
        guard let decoded else {
            if schema == nil { throw .filesystem(path: url.path, detail: "it is not a physio manifest (move it away and rerun)") }
            throw .filesystem(path: url.path, detail: "the manifest is damaged (move it away and rerun; files will be re-verified)")
        }
        return decoded
    }

    /// `schemaVersion` of a JSON object, read without decoding the (possibly foreign) rest.
    private struct Schema: Decodable {
        var schemaVersion: Int
    }
}
