import Foundation

/// Reads and atomically writes manifests under `<root>/.physio/manifests/`.
public enum ManifestStore {
    public static func load(_ location: DatasetLocation) throws(PhysioError) -> DatasetManifest? {
        try load(from: location.manifestFile)
    }

    public static func load(from url: URL) throws(PhysioError) -> DatasetManifest? {
        guard FileSystem.exists(url) else { return nil }
        let bytes = try FileSystem.readAll(url)
        // A manifest from a newer physio is refused, never misread, whether or not its records parse.
        let decoded = try? ManifestCodec.decode(bytes: bytes)
        let schema = decoded?.schemaVersion ?? schemaVersion(in: bytes)
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
    private static func schemaVersion(in bytes: [UInt8]) -> Int? {
        guard let root = try? JSONValue.parseObject(bytes, streaming: "files", element: { _ in }),
            let schema = root["schemaVersion"]?.int64
        else { return nil }
        return Int(schema)
    }

    /// Writes the manifest atomically. Callers sync the data files first, so the manifest never calls a
    /// file verified before its bytes are durable.
    public static func save(_ manifest: DatasetManifest, to location: DatasetLocation) throws(PhysioError) {
        try stage(manifest, for: location).commit()
    }

    /// Writes the manifest beside its final name; `commit()` puts it in place. Lets the encoding of a large
    /// manifest overlap the filesystem sync that must finish before the manifest may name files verified.
    static func stage(_ manifest: DatasetManifest, for location: DatasetLocation) throws(PhysioError) -> StagedFile {
        // Callers that sort in place spare a copy of every record here.
        let inOrder = zip(manifest.files, manifest.files.dropFirst()).allSatisfy { $0.path < $1.path }
        var sorted = manifest
        if !inOrder { sorted.files.sort { $0.path < $1.path } }
        return try StagedFile.stage(to: location.manifestFile) { write in
            try ManifestCodec.write(sorted, chunk: write)
        }
    }

    /// Saves the manifest once `sync` (which makes the files it records durable) has finished, encoding it
    /// in the meantime.
    static func save(
        _ manifest: DatasetManifest, to location: DatasetLocation, after sync: @escaping @Sendable () -> Void
    ) async throws {
        async let synced: Void = BlockingIO.run(sync)
        let staged = try await BlockingIO.run { () throws -> StagedFile in try stage(manifest, for: location) }
        await synced
        // The commit fsyncs: blocking work, so on the blocking-work executor like the sync before it.
        try await BlockingIO.run { () throws in try staged.commit() }
    }

    public static func encode(_ value: some Encodable) throws(PhysioError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
        } catch {
            throw .internalFailure("could not encode JSON: \(error)")
        }
    }

    /// Every manifest under a data root, for `physio list` and `physio verify` without arguments.
    public static func all(under root: URL) -> [URL] {
        let base = root.appendingPathComponent(".physio/manifests", isDirectory: true)
        guard let slugs = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { return [] }
        var result: [URL] = []
        for slug in slugs.sorted() {
            let folder = base.appendingPathComponent(slug, isDirectory: true)
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            result += versions.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
        }
        return result
    }
}
