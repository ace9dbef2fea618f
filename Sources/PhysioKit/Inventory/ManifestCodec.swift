import FoundationEssentials

/// Reads and writes manifests as the same JSON that `DatasetManifest`'s Codable conformance describes
/// (ISO 8601 dates, sorted keys), but without Foundation's coders, which are too slow on Linux for
/// datasets of tens of thousands of files (a test keeps the two interchangeable). Since the inventory, the
/// reader imports earlier physio's manifests once and the writer streams `physio inventory export --json`:
/// both handle 400,000 records without holding a second copy of them.
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
        var stream = Stream(manifest)
        for record in manifest.files {
            if let bytes = stream.append(record) { try chunk(bytes) }
        }
        try chunk(stream.finish())
    }

    /// A manifest written a record at a time (`manifest.files` is ignored): `physio inventory export`
    /// streams a dataset's rows from the inventory through here.
    struct Stream {
        private var out = JSONWriter()
        private let manifest: DatasetManifest
        private var count = 0

        init(_ manifest: DatasetManifest) {
            self.manifest = manifest
            out.open("{")
            out.key("baseURL"); out.string(manifest.baseURL)
            out.key("checksumListSHA256")
            if let digest = manifest.checksumListSHA256 { out.digest(digest) } else { out.raw("null") }
            out.key("checksumSource"); out.string(manifest.checksumSource.rawValue)
            if let validator = manifest.checksumListValidator { out.key("checksumListValidator"); out.string(validator) }
            out.key("fetchedAt"); out.date(manifest.fetchedAt)
            out.key("files")
            out.open("[")
        }

        /// Adds a record; every 256 records, returns the bytes so far for the caller to write out.
        mutating func append(_ record: DatasetManifest.FileRecord) -> [UInt8]? {
            out.separator()
            out.raw("\n  ")
            ManifestCodec.write(record, to: &out)
            count += 1
            return count % 256 == 0 ? out.take() : nil
        }

        /// The rest of the manifest after the last record.
        mutating func finish() -> [UInt8] {
            out.raw("\n")
            out.close("]")
            out.key("layout"); out.string(manifest.layout.rawValue)
            if let matchesPin = manifest.matchesPin { out.key("matchesPin"); out.bool(matchesPin) }
            out.key("schemaVersion"); out.integer(manifest.schemaVersion)
            out.key("slug"); out.string(manifest.slug)
            out.key("trustedServerOverPin"); out.bool(manifest.trustedServerOverPin)
            out.key("version"); out.string(manifest.version)
            out.close("}")
            out.raw("\n")
            return out.take()
        }
    }

    fileprivate static func write(_ record: DatasetManifest.FileRecord, to out: inout JSONWriter) {
        out.open("{")
        if let etag = record.etag { out.key("etag"); out.string(etag) }
        if let identity = record.identity {
            out.key("identity")
            out.open("{")
            out.key("inode"); out.integer(identity.inode)
            out.key("modifiedNanoseconds"); out.integer(identity.modifiedNanoseconds)
            out.key("size"); out.integer(identity.size)
            out.close("}")
        }
        if let lastModified = record.lastModified { out.key("lastModified"); out.string(lastModified) }
        out.key("path"); out.string(record.path.value)
        if let reason = record.reason { out.key("reason"); out.string(reason) }
        if let digest = record.sha256 { out.key("sha256"); out.digest(digest) }
        if let size = record.size { out.key("size"); out.integer(size) }
        if let source = record.source { out.key("source"); out.string(source) }
        out.key("state"); out.string(record.state.rawValue)
        if let verifiedAt = record.verifiedAt { out.key("verifiedAt"); out.date(verifiedAt) }
        out.close("}")
    }

    // MARK: Reading

    private static func required<T>(_ value: T?, _ name: String) throws -> T {
        guard let value else { throw Malformed(reason: "missing or invalid \(name)") }
        return value
    }

    /// Decodes a manifest, converting file records one at a time as they are parsed.
    ///
    /// Records as this writer lays them out are read straight from the bytes, which keeps a no-op refresh of
    /// 20,000 files fast; anything else that is valid JSON (escaped keys, numbers written otherwise, a
    /// hand-edited file) takes the general path, which also produces the error for a damaged manifest.
    static func decode(bytes: [UInt8]) throws -> DatasetManifest {
        // The writer puts one record per line: reserving that many avoids growing a large array by doubling.
        let lines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if let manifest = try? decode(bytes: bytes, reservingRecords: lines, readRecord: { reader in try record(reading: &reader) }) {
            return manifest
        }
        return try decode(bytes: bytes, reservingRecords: lines) { reader in try record(from: try reader.value(depth: 1)) }
    }

    private static func decode(
        bytes: [UInt8], reservingRecords capacity: Int,
        readRecord: (inout JSONValue.Reader) throws -> DatasetManifest.FileRecord
    ) throws -> DatasetManifest {
        var records: [DatasetManifest.FileRecord] = []
        records.reserveCapacity(capacity)
        let root = try JSONValue.parseObject(bytes, streaming: "files", reading: { records.append(try readRecord(&$0)) })
        var manifest = try decode(root, withFiles: false)
        manifest.files = records
        return manifest
    }

    /// One record read directly from the bytes; throws on anything this writer would not have written.
    private static func record(reading reader: inout JSONValue.Reader) throws -> DatasetManifest.FileRecord {
        var path: DatasetPath?
        var size: Int64?
        var digest: SHA256Digest?
        var state: DatasetManifest.FileState?
        var reason: String?
        var verifiedAt: Date?
        var etag: String?
        var lastModified: String?
        var identity: FileIdentity?
        try reader.consume(UInt8(ascii: "{"))
        var first = true
        while let key = try reader.nextKey(first: &first) {
            if reader.consumeNull() { continue }
            if reader.bytes(key, equal: "path") {
                path = try DatasetPath(validating: try reader.string())
            } else if reader.bytes(key, equal: "sha256") {
                digest = try required(SHA256Digest(hexBytes: reader.bytes[try reader.rawString()]), "sha256")
            } else if reader.bytes(key, equal: "size") {
                size = try reader.int64()
            } else if reader.bytes(key, equal: "state") {
                state = try required(DatasetManifest.FileState(rawValue: try reader.string()), "state")
            } else if reader.bytes(key, equal: "verifiedAt") {
                verifiedAt = try required(ISODate.parse(utf8: reader.bytes[try reader.rawString()]), "verifiedAt")
            } else if reader.bytes(key, equal: "etag") {
                etag = try reader.string()
            } else if reader.bytes(key, equal: "lastModified") {
                lastModified = try reader.string()
            } else if reader.bytes(key, equal: "reason") {
                reason = try reader.string()
            } else if reader.bytes(key, equal: "identity") {
                identity = try self.identity(reading: &reader)
            } else {
                _ = try reader.value(depth: 2)
            }
        }
        return DatasetManifest.FileRecord(
            path: try required(path, "path"), size: size, sha256: digest, state: try required(state, "state"), reason: reason,
            verifiedAt: verifiedAt, etag: etag, lastModified: lastModified, identity: identity)
    }

    private static func identity(reading reader: inout JSONValue.Reader) throws -> FileIdentity {
        var size: Int64?
        var modified: Int64?
        var inode: Int64?
        try reader.consume(UInt8(ascii: "{"))
        var first = true
        while let key = try reader.nextKey(first: &first) {
            if reader.bytes(key, equal: "inode") {
                inode = try reader.int64()
            } else if reader.bytes(key, equal: "modifiedNanoseconds") {
                modified = try reader.int64()
            } else if reader.bytes(key, equal: "size") {
                size = try reader.int64()
            } else {
                _ = try reader.value(depth: 3)
            }
        }
        return FileIdentity(
            size: try required(size, "identity.size"), modifiedNanoseconds: try required(modified, "identity.modifiedNanoseconds"),
            inode: UInt64(bitPattern: try required(inode, "identity.inode")))
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
///
/// Everything is appended as bytes (digits, hex and dates included): a manifest of 20,000 records is
/// written at the end of every run that changed something, and intermediate Strings per field made that
/// a visible part of the run.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []
    /// The last formatted date: the records of one run share a handful of distinct seconds.
    private var lastDate: (seconds: Int64, text: [UInt8])?

    init() {
        bytes.reserveCapacity(1 << 16)
    }

    /// Hands over what was written so far and starts an empty buffer (nesting state is kept).
    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    mutating func open(_ bracket: Unicode.Scalar) {
        bytes.append(UInt8(ascii: bracket))
        needsComma.append(false)
    }

    mutating func close(_ bracket: Unicode.Scalar) {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: bracket))
    }

    /// Emits the comma before an array element (keys do it themselves).
    mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func key(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    mutating func integer<T: BinaryInteger>(_ value: T) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 digits, reversed
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    mutating func digest(_ digest: SHA256Digest) {
        bytes.append(UInt8(ascii: "\""))
        digest.appendHex(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A date as `ISODate` formats it.
    mutating func date(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        if lastDate?.seconds != seconds { lastDate = (seconds, Array(ISODate.format(date).utf8)) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: lastDate!.text)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Paths and validators rarely need escaping: copy runs of plain bytes in one go.
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let digits: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 48, 48])
                    bytes.append(digits.utf8Start[Int(byte >> 4)])
                    bytes.append(digits.utf8Start[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
