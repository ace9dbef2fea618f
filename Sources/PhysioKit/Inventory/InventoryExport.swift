import FoundationEssentials

/// `physio inventory export`: the inventory's rows in the shapes other tools read. Streams: rows go out
/// in chunks as SQLite yields them, each encoded on its own, so exporting 400,000 files holds a few hundred
/// at a time.
public enum InventoryExport {
    public enum Format: String, Sendable, CaseIterable {
        /// The JSON manifest of physio before the inventory: one object per dataset version.
        case json
        /// One row per file, with the dataset's slug and version on every row.
        case csv
    }

    public static let csvHeader = "slug,version,path,size,sha256,state,reason,verified_at,etag,last_modified\n"

    /// Writes the datasets to `chunk`: JSON as one manifest object, or an array of them when there are
    /// several (or none); CSV with one header row.
    public static func write(
        _ datasets: [DatasetProvenance], from inventory: Inventory, format: Format, chunk: ([UInt8]) throws -> Void
    ) throws {
        switch format {
        case .json:
            let array = datasets.count != 1
            if array { try chunk(Array("[\n".utf8)) }
            let encoder = PhysioJSON.encoder(.line)
            for (index, provenance) in datasets.enumerated() {
                if index > 0 { try chunk(Array(",\n".utf8)) }
                // The manifest with no files, split where its empty `files` array stands: the records go there.
                let empty = try encoder.encode(DatasetManifest(provenance, files: []))
                let marker = Array(#""files":[]"#.utf8)
                guard let at = empty.firstRange(of: marker) else { throw PhysioError.internalFailure("the export's manifest has no files array") }
                try chunk(Array(empty[..<at.lowerBound]) + Array(#""files":["#.utf8))
                var buffer: [UInt8] = []
                var failure: (any Error)?
                var first = true
                try inventory.forEachFile(slug: provenance.slug, version: provenance.version) { record in
                    guard failure == nil else { return }
                    do {
                        buffer += Array((first ? "\n" : ",\n").utf8) + Array(try encoder.encode(record))
                        first = false
                        if buffer.count >= 64 << 10 {
                            try chunk(buffer)
                            buffer.removeAll(keepingCapacity: true)
                        }
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                try chunk(buffer + Array("\n]".utf8) + Array(empty[at.upperBound...]) + [UInt8(ascii: "\n")])
            }
            if array { try chunk(Array("]\n".utf8)) }
        case .csv:
            try chunk(Array(csvHeader.utf8))
            for provenance in datasets {
                var buffer: [UInt8] = []
                var failure: (any Error)?
                try inventory.forEachFile(slug: provenance.slug, version: provenance.version) { record in
                    guard failure == nil else { return }
                    let fields: [String?] = [
                        provenance.slug, provenance.version, record.path.value, record.size.map(String.init),
                        record.sha256?.hex, record.state.rawValue, record.reason, record.verifiedAt.map(ISODate.format),
                        record.etag, record.lastModified,
                    ]
                    buffer += Array(fields.map { csvField($0 ?? "") }.joined(separator: ",").utf8)
                    buffer.append(UInt8(ascii: "\n"))
                    if buffer.count >= 64 << 10 {
                        do { try chunk(buffer) } catch { failure = error }
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                if let failure { throw failure }
                try chunk(buffer)
            }
        }
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break, with quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            return text
        }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
