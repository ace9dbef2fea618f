import FoundationEssentials

/// The data use agreements the user has signed, from `/settings/agreements/` (docs/protocol.md §13).
public struct SignedAgreements: Sendable, Hashable, Codable {
    public struct Agreement: Sendable, Hashable, Codable {
        /// The sign date as the page shows it.
        public var signedOn: String
        public var duaName: String
        public var projectTitle: String
        public var version: String

        public init(signedOn: String, duaName: String, projectTitle: String, version: String) {
            self.signedOn = signedOn
            self.duaName = duaName
            self.projectTitle = projectTitle
            self.version = version
        }
    }

    public var agreements: [Agreement]

    /// Parses the agreements page: table rows of date, DUA name, `<title> (v<ver>)` and a View link, or
    /// "No agreements found.". Throws when neither the heading nor the empty-state sentence is present.
    public init(html: String) throws(PageParseError) {
        let page = HTMLScanner(html)
        let lowered = page.text.lowercased()
        guard lowered.contains("data use agreements") || lowered.contains("no agreements found") else {
            throw PageParseError(expected: "Data Use Agreements list")
        }
        agreements = page.elements("tr").compactMap { row in
            let cells = row.elements("td").map(\.text)
            guard cells.count >= 3, let (title, version) = Self.splitTitle(cells[2]) else { return nil }
            return Agreement(signedOn: cells[0], duaName: cells[1], projectTitle: title, version: version)
        }
    }

    /// Rows carry no slug, so a project is matched by its title and version.
    public func isSigned(title: String, version: String) -> Bool {
        let wanted = HTMLScanner.normalize(title).lowercased()
        return agreements.contains {
            $0.version == version && HTMLScanner.normalize($0.projectTitle).lowercased() == wanted
        }
    }

    /// Splits `"<title> (v<ver>)"` at its last `(v`.
    private static func splitTitle(_ cell: String) -> (String, String)? {
        guard cell.hasSuffix(")"), let open = cell.ranges(of: "(v").last else { return nil }
        let version = cell[open.upperBound..<cell.index(before: cell.endIndex)].trimmingSpaces
        let title = cell[..<open.lowerBound].trimmingSpaces
        guard !version.isEmpty, !title.isEmpty else { return nil }
        return (title, version)
    }
}
