import FoundationEssentials

/// The one JSON style of everything physio writes (`--json`, `last-sync.json`, the session file, the
/// inventory's citations, `inventory export --json`, partial-file records, the progress stream): sorted keys,
/// slashes unescaped, ISO 8601 dates to the second. So every output escapes and dates alike, and whatever one
/// writes the others read.
public enum PhysioJSON {
    public enum Layout: Sendable {
        /// Indented, for documents people read.
        case document
        /// One line, for records and streams.
        case line
    }

    public static func encoder(_ layout: Layout = .document) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = layout == .document
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
