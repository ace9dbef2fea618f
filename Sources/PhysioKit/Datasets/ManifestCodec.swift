import Foundation

/// Reads and writes manifests as the same JSON that `DatasetManifest`'s Codable conformance describes
/// (ISO 8601 dates, sorted keys), but without Foundation's coders, which are too slow on Linux for
/// datasets of tens of thousands of files (a test keeps the two interchangeable).
enum ManifestCodec {
    struct Malformed: Error {
        let reason: String
    }

    // MARK: Writing

    static func encode(_ manifest: DatasetManifest) -> [UInt8] {
        var all: [UInt8] = []
        write(manifest) { all += $0 }
        return all
    }

    /// Emits the manifest in chunks of a few hundred records, so a large manifest is never held whole
    /// in memory while it is written.
    static func write(_ manifest: DatasetManifest, chunk: ([UInt8]) throws -> Void) rethrows {
        var out = JSONWriter()
        out.open("{")
        out.key("baseURL"); out.string(manifest.baseURL)
        out.key("checksumListSHA256"); out.optionalString(manifest.checksumListSHA256?.hex)
        out.key("checksumSource"); out.string(manifest.checksumSource.rawValue)
        if let validator = manifest.checksumListValidator { out.key("checksumListValidator"); out.string(validator) }
        out.key("fetchedAt"); out.string(ISODate.format(manifest.fetchedAt))
        out.key("files")
        out.open("[")
        for (index, record) in manifest.files.enumerated() {
            out.separator()
            out.raw("\n  ")
            write(record, to: &out)
            if index % 256 == 255 { try chunk(out.take()) }
        }
        out.raw("\n")
        out.close("]")
        out.key("layout"); out.string(manifest.layout.rawValue)
        if let matchesPin = manifest.matchesPin { out.key("matchesPin"); out.raw(matchesPin ? "true" : "false") }
        out.key("schemaVersion"); out.raw(String(manifest.schemaVersion))
        out.key("slug"); out.string(manifest.slug)
        out.key("trustedServerOverPin"); out.raw(manifest.trustedServerOverPin ? "true" : "false")
        out.key("version"); out.string(manifest.version)
        out.close("}")
        out.raw("\n")
        try chunk(out.take())
    }

    private static func write(_ record: DatasetManifest.FileRecord, to out: inout JSONWriter) {
        out.open("{")
        if let etag = record.etag { out.key("etag"); out.string(etag) }
        if let identity = record.identity {
            out.key("identity")
            out.open("{")
            out.key("inode"); out.raw(String(identity.inode))
            out.key("modifiedNanoseconds"); out.raw(String(identity.modifiedNanoseconds))
            out.key("size"); out.raw(String(identity.size))
            out.close("}")
        }
        if let lastModified = record.lastModified { out.key("lastModified"); out.string(lastModified) }
        out.key("path"); out.string(record.path.value)
        if let reason = record.reason { out.key("reason"); out.string(reason) }
        if let digest = record.sha256 { out.key("sha256"); out.string(digest.hex) }
        if let size = record.size { out.key("size"); out.raw(String(size)) }
        out.key("state"); out.string(record.state.rawValue)
        if let verifiedAt = record.verifiedAt { out.key("verifiedAt"); out.string(ISODate.format(verifiedAt)) }
        out.close("}")
    }

    // MARK: Reading

    private static func required<T>(_ value: T?, _ name: String) throws -> T {
        guard let value else { throw Malformed(reason: "missing or invalid \(name)") }
        return value
    }

    /// Decodes a manifest, converting file records one at a time as they are parsed.
    static func decode(bytes: [UInt8]) throws -> DatasetManifest {
        var records: [DatasetManifest.FileRecord] = []
        // The writer puts one record per line: reserving that many avoids growing a large array by doubling.
        records.reserveCapacity(bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
        let root = try JSONValue.parseObject(bytes, streaming: "files") { records.append(try record(from: $0)) }
        var manifest = try decode(root, withFiles: false)
        manifest.files = records
        return manifest
    }

    static func decode(_ root: JSONValue, withFiles: Bool = true) throws -> DatasetManifest {
        var manifest = DatasetManifest(
            slug: try required(root["slug"]?.string, "slug"),
            version: try required(root["version"]?.string, "version"),
            baseURL: try required(root["baseURL"]?.string, "baseURL"),
            layout: try required(root["layout"]?.string.flatMap(DatasetLocation.Layout.init(rawValue:)), "layout"),
            checksumSource: try required(root["checksumSource"]?.string.flatMap(DatasetManifest.ChecksumSource.init(rawValue:)), "checksumSource"),
            checksumListSHA256: root["checksumListSHA256"]?.string.flatMap { SHA256Digest(hex: $0) },
            matchesPin: root["matchesPin"]?.bool,
            trustedServerOverPin: try required(root["trustedServerOverPin"]?.bool, "trustedServerOverPin"),
            fetchedAt: try required(root["fetchedAt"]?.string.flatMap(ISODate.parse), "fetchedAt"),
            files: [])
        manifest.schemaVersion = try required(root["schemaVersion"]?.int64.map(Int.init), "schemaVersion")
        manifest.checksumListValidator = root["checksumListValidator"]?.string
        guard withFiles else { return manifest }
        let files = try required(root["files"]?.array, "files")
        manifest.files = try files.map(record(from:))
        return manifest
    }

    static func record(from file: JSONValue) throws -> DatasetManifest.FileRecord {
        let pathText = try required(file["path"]?.string, "path")
        let path: DatasetPath
        do {
            path = try DatasetPath(validating: pathText)
        } catch {
            throw Malformed(reason: "unsafe path \(pathText)")
        }
        var identity: FileIdentity?
        if let value = file["identity"] {
            identity = FileIdentity(
                size: try required(value["size"]?.int64, "identity.size"),
                modifiedNanoseconds: try required(value["modifiedNanoseconds"]?.int64, "identity.modifiedNanoseconds"),
                inode: UInt64(bitPattern: try required(value["inode"]?.int64, "identity.inode")))
        }
        return DatasetManifest.FileRecord(
            path: path, size: file["size"]?.int64, sha256: file["sha256"]?.string.flatMap { SHA256Digest(hex: $0) },
            state: try required(file["state"]?.string.flatMap(DatasetManifest.FileState.init(rawValue:)), "state"),
            reason: file["reason"]?.string, verifiedAt: file["verifiedAt"]?.string.flatMap(ISODate.parse),
            etag: file["etag"]?.string, lastModified: file["lastModified"]?.string, identity: identity)
    }
}

/// Appends JSON tokens to a byte buffer; knows when a comma is due.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init() {
        bytes.reserveCapacity(1 << 16)
    }

    /// Hands over what was written so far and starts an empty buffer (nesting state is kept).
    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    mutating func open(_ bracket: Character) {
        bytes.append(contentsOf: Array(String(bracket).utf8))
        needsComma.append(false)
    }

    mutating func close(_ bracket: Character) {
        needsComma.removeLast()
        bytes.append(contentsOf: Array(String(bracket).utf8))
    }

    /// Emits the comma before an array element (keys do it themselves).
    mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func key(_ name: String) {
        separator()
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 48, 48, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
