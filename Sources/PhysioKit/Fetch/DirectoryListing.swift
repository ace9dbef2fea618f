/// Entries of a `/files/` folder page, read with the one HTML scanner (docs/protocol.md §8): nginx autoindex
/// in production (`<pre>` of links, each followed by its date and exact size), Django's bare `<ul>` in
/// development (names only, folders without a trailing slash).
///
/// The cost of one scanner, measured in a debug build: a 50,000-entry (5 MB) autoindex page takes 2.4 s,
/// against 0.9 s for a dedicated line scanner. Listings are read only to learn sizes (at most 32
/// folders) or when a version has no SHA256SUMS.txt, so that is paid rarely; revisit if a dataset makes it hot.
public struct DirectoryListing: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// `true` when the listing marks it a folder (trailing slash); `nil` when the format cannot say.
        public var isDirectory: Bool?
        public var size: Int64?
    }

    public var entries: [Entry]

    public init(html: String) {
        let page = HTMLScanner(html)
        // Only the listing's own links: those in the autoindex `<pre>`, or in the development `<li>` items,
        // never a page's navigation or debugging HTML.
        let autoindex = page.elements("pre").first
        let container = autoindex ?? HTMLScanner(tokens: page.elements("li").flatMap(\.tokens))
        var entries: [Entry] = []
        var seen = Set<String>()
        for index in container.startIndices(of: "a", where: { $0["href"] != nil }) {
            guard case .start(_, let attributes) = container.tokens[index], let href = attributes["href"],
                !href.isEmpty, href != "../", !href.hasPrefix("?"), !href.hasPrefix("/"), !href.contains("://"),
                !href.hasPrefix("#")
            else { continue }
            let decoded = PhysioNetSite.unescape(href) ?? href
            let isDirectory = decoded.hasSuffix("/")
            let name = isDirectory ? String(decoded.dropLast()) : decoded
            guard !name.isEmpty, !name.contains("/"), seen.insert(name).inserted else { continue }
            var size: Int64?
            if autoindex != nil, !isDirectory {
                // The text after the link's end tag, up to the end of its line: "   30-Nov-2026 15:29   12345".
                let afterLink = index + container.element(at: index).tokens.count + 2
                if afterLink < container.tokens.count, case .text(let tail) = container.tokens[afterLink],
                    let line = tail.split(whereSeparator: \.isNewline).first
                {
                    size = line.split(whereSeparator: \.isWhitespace).last.flatMap { Int64($0) }
                }
            }
            entries.append(Entry(name: name, isDirectory: autoindex != nil || isDirectory ? isDirectory : nil, size: size))
        }
        self.entries = entries
    }
}
