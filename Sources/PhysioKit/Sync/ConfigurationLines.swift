/// Finds the line of a key or a table header in a TOML file, for error messages. TOMLKit parses the file but
/// keeps no source positions for values, so a message such as "line 12: unknown key 'verison'" needs the
/// line found in the text. This is a locator over lines already parsed by TOMLKit, not a parser: it only
/// recognises `[table]` / `[[array]]` headers and `key =` starts, and falls back to the section's header.
struct ConfigurationLines {
    enum Section: Equatable {
        /// Before the first header.
        case top
        case data
        /// The n-th `[[dataset]]`, from 0.
        case dataset(Int)
    }

    private var keyLines: [(section: Section, key: String, line: Int)] = []
    private var headers: [(section: Section, line: Int)] = []
    private var topHeaders: [(name: String, line: Int)] = []

    init(_ text: String) {
        var section = Section.top
        var datasets = 0
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[") {
                let name = trimmed.drop { $0 == "[" }.prefix { $0 != "]" }.trimmingSpaces
                topHeaders.append((name, line))
                if trimmed.hasPrefix("[[") && name == "dataset" {
                    section = .dataset(datasets)
                    datasets += 1
                } else if name == "data" {
                    section = .data
                } else {
                    section = .top
                }
                headers.append((section, line))
            } else if let equals = trimmed.firstIndex(of: "="), !trimmed.hasPrefix("#") {
                var key = trimmed[..<equals].trimmingSpaces
                if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
                    key = String(key.dropFirst().dropLast())
                }
                keyLines.append((section, key, line))
            }
        }
    }

    /// The line of `key =` in `section`, or of a `[key]` header at the top level, else the section's start.
    func line(ofKey key: String, in section: Section) -> Int {
        if let found = keyLines.first(where: { $0.section == section && $0.key == key }) { return found.line }
        if section == .top, let header = topHeaders.first(where: { $0.name == key || $0.name.hasPrefix(key + ".") }) {
            return header.line
        }
        return line(ofSection: section)
    }

    func line(ofSection section: Section) -> Int {
        headers.first { $0.section == section }?.line ?? 1
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
