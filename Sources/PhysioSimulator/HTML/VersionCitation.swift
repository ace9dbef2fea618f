import Foundation

/// A published version's citation in the five styles PhysioNet generates (docs/protocol.md §11), as the server's
/// `citation_text` writes them: HTML with the authors and title escaped, the platform in italics (not in Vancouver) and
/// the DOI as a link.
///
/// The fixture gives authors initialed (`Johnson, A.`), so the styles that use full names (MLA, Chicago) print
/// the initials instead.
struct VersionCitation {
    /// The platform's name in citations (Django's `SITE_NAME`).
    static let platformName = "PhysioNet"

    let authors: [Author]
    let title: String
    let version: String
    let year: Int
    let doi: String

    /// Nil for a version without a DOI: the page shows no citation then.
    init?(project: FixtureProject, version: FixtureVersion) {
        guard let doi = version.doi, !doi.isEmpty else { return nil }
        authors = project.authors.map(Author.init)
        title = project.title
        self.version = version.version
        // The publication instant's year; fixture dates are noon UTC, so no time zone moves it.
        year = SimulatorDates.utcCalendar.component(.year, from: version.publishedDate)
        self.doi = doi
    }

    /// The page's order of styles.
    var all: [(style: String, html: String)] {
        [("MLA", mla), ("APA", apa), ("Chicago", chicago), ("Harvard", harvard), ("Vancouver", vancouver)]
    }

    /// `Johnson, A., et al. "Title" (version 1.0). <i>PhysioNet</i> (2023), <a …>…</a>.`
    var mla: String {
        let names: String
        switch authors.count {
        case 0: names = ""
        case 1: names = authors[0].reversed
        case 2: names = authors[0].reversed + ", and " + authors[1].forward
        default: names = authors[0].reversed + ", et al"
        }
        return "\(Self.sentence(names)) \"\(escaped(title))\" (version \(escaped(version))). <i>\(Self.platformName)</i> (\(year)), \(link)."
    }

    /// `Johnson, A., Pollard, T., & Mark, R. (2019). Title (version 1.4). <i>PhysioNet</i>. <a …>…</a>.`
    var apa: String {
        let initialed = authors.map(\.initialed)
        let names: String
        switch initialed.count {
        case 0: names = ""
        case 1: names = initialed[0]
        case 2: names = initialed[0] + ", & " + initialed[1]
        // APA 7 lists nineteen authors, an ellipsis and the last one.
        case 21...: names = initialed.prefix(19).joined(separator: ", ") + ", ... " + initialed[initialed.count - 1]
        default: names = initialed.dropLast().joined(separator: ", ") + ", & " + initialed[initialed.count - 1]
        }
        return "\(escaped(names)) (\(year)). \(escaped(title)) (version \(escaped(version))). <i>\(Self.platformName)</i>. \(link)."
    }

    /// `Johnson, A., Pollard, T., and R. Mark. "Title" (version 1.4). <i>PhysioNet</i> (2019). <a …>…</a>.`
    var chicago: String {
        let names: String
        switch authors.count {
        case 0: names = ""
        case 1: names = authors[0].reversed
        default: names = authors.dropLast().map(\.reversed).joined(separator: ", ") + ", and " + authors[authors.count - 1].forward
        }
        return "\(Self.sentence(names)) \"\(escaped(title))\" (version \(escaped(version))). <i>\(Self.platformName)</i> (\(year)). \(link)."
    }

    /// `Johnson, A., Pollard, T., and Mark, R. (2019) 'Title' (version 1.4), <i>PhysioNet</i>. Available at: <a …>…</a>.`
    var harvard: String {
        let names: String
        switch authors.count {
        case 0: names = ""
        case 1: names = authors[0].initialed
        default: names = authors.dropLast().map(\.initialed).joined(separator: ", ") + ", and " + authors[authors.count - 1].initialed
        }
        // The server writes this one link with single quotes; a client must accept both.
        let singleQuoted = "<a href='https://doi.org/\(escaped(doi))'>https://doi.org/\(escaped(doi))</a>"
        return "\(escaped(names)) (\(year)) '\(escaped(title))' (version \(escaped(version))), <i>\(Self.platformName)</i>. Available at: \(singleQuoted)."
    }

    /// `Johnson A, Pollard T, Mark R. Title (version 1.4). PhysioNet. 2019. Available from: <a …>…</a>.`
    var vancouver: String {
        let names = authors.map(\.vancouver).joined(separator: ", ")
        return "\(Self.sentence(names)) \(escaped(title)) (version \(escaped(version))). \(Self.platformName). \(year). Available from: \(link)."
    }

    /// The DOI as the citations link it.
    private var link: String {
        "<a href=\"https://doi.org/\(escaped(doi))\">https://doi.org/\(escaped(doi))</a>"
    }

    private func escaped(_ text: String) -> String { PageLayout.escape(text) }

    /// `names` escaped and closed with a full stop, which an initial may already have put there (the server's
    /// full names never end in one).
    private static func sentence(_ names: String) -> String {
        let escaped = PageLayout.escape(names)
        return escaped.hasSuffix(".") ? escaped : escaped + "."
    }

    /// One author, from the fixture's `Family, I. I.`; a name without a comma (a group) is used as it is.
    struct Author {
        let text: String
        let family: String
        let given: String?

        init(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            self.text = trimmed
            if let comma = trimmed.firstIndex(of: ",") {
                family = trimmed[..<comma].trimmingCharacters(in: .whitespaces)
                let rest = trimmed[trimmed.index(after: comma)...].trimmingCharacters(in: .whitespaces)
                given = rest.isEmpty ? nil : rest
            } else {
                family = trimmed
                given = nil
            }
        }

        /// `Celi, L. A.`: APA and Harvard.
        var initialed: String { text }
        /// The family name first (MLA's first author, Chicago's all but the last).
        var reversed: String { text }
        /// `L. A. Celi` (MLA's second author, Chicago's last).
        var forward: String { given.map { "\($0) \(family)" } ?? family }
        /// `Celi LA`: no commas, no full stops.
        var vancouver: String {
            guard let given else { return family }
            return family + " " + given.filter { $0 != "." && $0 != " " }
        }
    }
}
