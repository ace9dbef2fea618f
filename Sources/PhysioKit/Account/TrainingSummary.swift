import FoundationEssentials

/// Training names grouped as `/settings/certification/` shows them (docs/protocol.md §13).
///
/// Withdrawn trainings appear nowhere. Compare the names with the project page's "Required training" list;
/// PhysioNet decides validity itself, so this summary is for showing, not for deciding access.
public struct TrainingSummary: Sendable, Hashable, Codable {
    public var underReview: [String]
    public var active: [String]
    public var expired: [String]
    public var rejected: [String]

    public init(underReview: [String] = [], active: [String] = [], expired: [String] = [], rejected: [String] = []) {
        self.underReview = underReview
        self.active = active
        self.expired = expired
        self.rejected = rejected
    }

    /// Parses the certification page. Throws when none of the four group headings is present.
    public init(html: String) throws(PageParseError) {
        let page = HTMLScanner(html)
        var groups: [String: [String]] = [:]
        for heading in page.startIndices(of: "h4") {
            let title = page.element(at: heading).text.lowercased()
            guard ["under review", "active", "expired", "rejected"].contains(title) else { continue }
            // `<p>N/A</p>` (inside the group's `<ul>` on the real page) has no `<li>`: the group is empty.
            groups[title] = Self.group(after: heading, in: page).elements("li").compactMap(Self.trainingName)
        }
        guard !groups.isEmpty else { throw PageParseError(expected: "training status groups") }
        underReview = groups["under review"] ?? []
        active = groups["active"] ?? []
        expired = groups["expired"] ?? []
        rejected = groups["rejected"] ?? []
    }

    /// The tokens of the group headed at `heading`: up to the next `<h4>`, or up to the end of the element the
    /// heading sits in (the real page wraps each group in `div.mb-3`, docs/protocol.md §13), so nothing after the last
    /// group (a footer's list items) is read as a training.
    private static func group(after heading: Int, in page: HTMLScanner) -> HTMLScanner {
        let rest = page.suffix(after: heading)
        guard let headingEnd = rest.tokens.firstIndex(of: .end(name: "h4")) else { return rest }
        var depth = 0
        for index in (headingEnd + 1)..<rest.tokens.count {
            switch rest.tokens[index] {
            case .start("h4", _) where depth == 0:
                return rest.suffix(after: headingEnd).prefix(upTo: index - headingEnd - 1)
            case .start(let name, _) where !voidElements.contains(name):
                depth += 1
            case .end:
                depth -= 1
                if depth < 0 { return rest.suffix(after: headingEnd).prefix(upTo: index - headingEnd - 1) }
            default:
                break
            }
        }
        return rest.suffix(after: headingEnd)
    }

    private static let voidElements: Set<String> = ["br", "hr", "img", "input", "meta", "link", "wbr"]

    /// An entry is `<li><div>name </div> <a href="/settings/training/<id>/">View</a></li>`: the name is the
    /// text of the first `<div>`, or the item's text without its links.
    private static func trainingName(_ item: HTMLScanner) -> String? {
        if let name = item.elements("div").first?.text, !name.isEmpty { return name }
        var text = item.text
        for link in item.links where !link.text.isEmpty {
            if let range = text.ranges(of: link.text).last { text.removeSubrange(range) }
        }
        let name = HTMLScanner.normalize(text)
        return name.isEmpty ? nil : name
    }

    /// Whether `name` is currently active (compared case-insensitively, whitespace-normalised).
    public func isActive(_ name: String) -> Bool {
        let wanted = HTMLScanner.normalize(name).lowercased()
        return active.contains { HTMLScanner.normalize($0).lowercased() == wanted }
    }
}
