import Foundation

/// Entries of a `/files/` folder page: nginx autoindex in production (sizes exact), Django's bare `<ul>`
/// in development (names only, folders without a trailing slash). PROTOCOL.md §3.8.
public struct DirectoryListing: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// `true` when the listing marks it a folder (trailing slash); `nil` when the format cannot say.
        public var isDirectory: Bool?
        public var size: Int64?
    }

    public var entries: [Entry]

    public init(html: String) {
        var entries: [Entry] = []
        var seen = Set<String>()
        let isAutoindex = html.contains("<pre>") && html.contains("Index of")
        // Split on LF bytes and drop a CR: as Characters, "\r\n" is one grapheme a "\n" split would miss.
        let lines = html.utf8.split(separator: UInt8(ascii: "\n")).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
        }
        for line in lines {
            var rest = Substring(line)
            while let hrefRange = rest.range(of: "href=\"") {
                let afterHref = rest[hrefRange.upperBound...]
                guard let quote = afterHref.firstIndex(of: "\"") else { break }
                let href = String(afterHref[..<quote])
                rest = afterHref[quote...]
                guard !href.isEmpty, href != "../", !href.hasPrefix("?"), !href.hasPrefix("/"), !href.contains("://"),
                    !href.hasPrefix("#")
                else { continue }
                let decoded = href.removingPercentEncoding ?? href
                let isDirectory = decoded.hasSuffix("/")
                let name = isDirectory ? String(decoded.dropLast()) : decoded
                guard !name.isEmpty, !name.contains("/"), seen.insert(name).inserted else { continue }
                var size: Int64?
                if isAutoindex, !isDirectory, let tail = line.split(separator: " ").last {
                    size = Int64(tail.trimmingASCIISpace)
                }
                entries.append(Entry(name: name, isDirectory: isAutoindex || isDirectory ? isDirectory : nil, size: size))
            }
        }
        self.entries = entries
    }
}
