import FoundationEssentials

/// How to cite one dataset version, as PhysioNet publishes it (docs/protocol.md §11): the project page's
/// citation box (the five styles of its `citationModal` table, the DOI as a `https://doi.org/…` link, and the
/// platform citation where the site shows it) and the published-project API's title, licence and date.
/// Recorded in the inventory at fetch time, so `physio cite` works offline.
public struct DatasetCitation: Codable, Sendable, Equatable {
    public var slug: String
    public var version: String
    public var title: String
    /// `10.13026/…`, without the resolver.
    public var doi: String?
    public var license: String?
    /// The data use agreement's name, for a restricted or credentialed dataset.
    public var dataUseAgreement: String?
    /// `YYYY-MM-DD`.
    public var published: String?
    /// Plain text by style name as the page has them (`APA`, `MLA`, `Chicago`, `Harvard`, `Vancouver`).
    public var styles: [String: String]
    /// PhysioNet's own citation as the page shows it (APA), when the site shows one.
    public var platform: String?

    /// PhysioNet's standard citation, which its terms ask every user to cite, for sites that do not show it.
    public static let standardPlatformCitation = """
        Goldberger, A., Amaral, L., Glass, L., Hausdorff, J., Ivanov, P. C., Mark, R., ... & Stanley, H. E. (2000). \
        PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic \
        signals. Circulation [Online]. 101 (23), pp. e215–e220. RRID:SCR_007345.
        """

    public init(
        slug: String, version: String, title: String, doi: String? = nil, license: String? = nil,
        dataUseAgreement: String? = nil, published: String? = nil, styles: [String: String] = [:], platform: String? = nil
    ) {
        self.slug = slug
        self.version = version
        self.title = title
        self.doi = doi
        self.license = license
        self.dataUseAgreement = dataUseAgreement
        self.published = published
        self.styles = styles
        self.platform = platform
    }

    /// The citation box of a project page: the styles of `citationModal`, the DOI of their links, and the
    /// first style of `citationModalPlatform`. Legacy projects have no box; then only what is given stays.
    mutating func read(projectPage html: String) {
        let page = HTMLScanner(html)
        if let modal = page.startIndices(of: "div", where: { $0["id"] == "citationModal" }).first.map(page.element(at:)) {
            for (style, text) in Self.rows(of: modal) where !text.isEmpty { styles[style] = text }
            if doi == nil {
                doi = modal.links.lazy.map(\.href).first { $0.hasPrefix("https://doi.org/") }.map { String($0.dropFirst(16)) }
            }
        }
        if let modal = page.startIndices(of: "div", where: { $0["id"] == "citationModalPlatform" }).first.map(page.element(at:)) {
            let rows = Self.rows(of: modal)
            platform = rows.first { $0.style == "APA" }?.text ?? rows.first?.text
        }
    }

    /// `<tr><th>style</th><td>citation</td></tr>` pairs, in order.
    private static func rows(of table: HTMLScanner) -> [(style: String, text: String)] {
        let headers = table.elements("th").map(\.text)
        let cells = table.elements("td").map(\.text)
        return zip(headers, cells).map { (style: $0.0, text: $0.1) }
    }

    /// The authors, from the Vancouver style (`Johnson A, Pollard T, Mark R. Title…`), each as
    /// (family name, initials); empty when the page gave no citation.
    public var authors: [(family: String, initials: String)] {
        guard let vancouver = styles["Vancouver"], let end = vancouver.firstRange(of: ". ") else { return [] }
        return vancouver[..<end.lowerBound].components(separatedBy: ", ").compactMap { name in
            let parts = name.split(separator: " ")
            guard parts.count >= 2, let initials = parts.last, initials.allSatisfy(\.isUppercase) else {
                return name.isEmpty ? nil : (family: name, initials: "")
            }
            return (family: parts.dropLast().joined(separator: " "), initials: String(initials))
        }
    }

    /// The year of publication.
    public var year: String? {
        published.map { String($0.prefix(4)) }
    }
}
