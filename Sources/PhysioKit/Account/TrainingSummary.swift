import Foundation

/// Training names grouped as `/settings/certification/` shows them (PROTOCOL.md §7.2).
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
        let headings = page.startIndices(of: "h4")
        for (position, heading) in headings.enumerated() {
            let title = page.element(at: heading).text.lowercased()
            guard ["under review", "active", "expired", "rejected"].contains(title) else { continue }
            // The group runs to the next <h4> (or the end of the page); `<p>N/A</p>` leaves it empty.
            let end = position + 1 < headings.count ? headings[position + 1] : page.tokens.count
            let group = page.suffix(after: heading).prefix(upTo: end - heading - 1)
            groups[title] = group.elements("li").compactMap(Self.trainingName)
        }
        guard !groups.isEmpty else { throw PageParseError(expected: "training status groups") }
        underReview = groups["under review"] ?? []
        active = groups["active"] ?? []
        expired = groups["expired"] ?? []
        rejected = groups["rejected"] ?? []
    }

    /// An entry is `<li><div>name </div> <a href="/settings/training/<id>/">View</a></li>`: the name is the
    /// text of the first `<div>`, or the item's text without its links.
    private static func trainingName(_ item: HTMLScanner) -> String? {
        if let name = item.elements("div").first?.text, !name.isEmpty { return name }
        var text = item.text
        for link in item.links where !link.text.isEmpty {
            if let range = text.range(of: link.text, options: .backwards) { text.removeSubrange(range) }
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
