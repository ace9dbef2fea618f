import FoundationEssentials

/// `physio cite --format`: the dataset's citation with its DOI, licence and agreement, then PhysioNet's own,
/// as text for a paper, BibTeX for LaTeX, or RIS for reference managers (Zotero, EndNote, Mendeley).
public enum CitationFormat: String, Sendable, CaseIterable {
    case text
    case bibtex
    case ris

    public func render(_ citations: [DatasetCitation]) -> String {
        switch self {
        case .text: return Self.text(citations)
        case .bibtex: return Self.bibtex(citations)
        case .ris: return Self.ris(citations)
        }
    }

    /// The platform citation the page showed, else PhysioNet's standard one.
    static func platform(_ citations: [DatasetCitation]) -> String {
        citations.lazy.compactMap(\.platform).first ?? DatasetCitation.standardPlatformCitation
    }

    static func text(_ citations: [DatasetCitation]) -> String {
        var out = ""
        for citation in citations {
            out += "\(citation.title) (\(citation.slug) \(citation.version))\n"
            out += "  " + (citation.styles["APA"] ?? fallbackAPA(citation)) + "\n"
            if let doi = citation.doi { out += "  DOI: https://doi.org/\(doi)\n" }
            if let license = citation.license { out += "  Licence: \(license)\n" }
            if let agreement = citation.dataUseAgreement { out += "  Data use agreement: \(agreement)\n" }
            out += "\n"
        }
        out += "Please also cite PhysioNet:\n  \(platform(citations))\n"
        return out
    }

    /// What a citation says when the page had no citation box (a legacy project).
    static func fallbackAPA(_ citation: DatasetCitation) -> String {
        let year = citation.year.map { " (\($0))." } ?? ""
        let doi = citation.doi.map { " https://doi.org/\($0)." } ?? ""
        return "\(citation.title) (version \(citation.version)).\(year) PhysioNet.\(doi)"
    }

    static func bibtex(_ citations: [DatasetCitation]) -> String {
        var out = ""
        for citation in citations {
            let key = "\(citation.slug)-\(citation.version)".map { $0.isLetter || $0.isNumber ? $0 : "_" }
            let authors = citation.authors.map { $0.initials.isEmpty ? $0.family : "\($0.family), \(initialed($0.initials))" }
            var fields: [(String, String)] = []
            if !authors.isEmpty { fields.append(("author", authors.joined(separator: " and "))) }
            fields.append(("title", "{\(citation.title)} (version \(citation.version))"))
            fields.append(("publisher", "PhysioNet"))
            if let year = citation.year { fields.append(("year", year)) }
            if let doi = citation.doi {
                fields.append(("doi", doi))
                fields.append(("url", "https://doi.org/\(doi)"))
            }
            if let license = citation.license { fields.append(("note", "Licence: \(license)")) }
            out += "@misc{\(String(key)),\n"
            out += fields.map { "  \($0.0) = {\(bibEscaped($0.1))}" }.joined(separator: ",\n")
            out += "\n}\n\n"
        }
        out += """
            @article{goldberger2000physionet,
              author = {Goldberger, A. and Amaral, L. and Glass, L. and Hausdorff, J. and Ivanov, P. C. and Mark, R. and Mietus, J. E. and Moody, G. B. and Peng, C.-K. and Stanley, H. E.},
              title = {{PhysioBank, PhysioToolkit, and PhysioNet}: Components of a new research resource for complex physiologic signals},
              journal = {Circulation},
              volume = {101},
              number = {23},
              pages = {e215--e220},
              year = {2000},
              doi = {10.1161/01.CIR.101.23.e215},
              note = {RRID:SCR_007345}
            }

            """
        return out
    }

    static func ris(_ citations: [DatasetCitation]) -> String {
        var out = ""
        for citation in citations {
            var lines = ["TY  - DATA"]
            for author in citation.authors {
                lines.append("AU  - " + (author.initials.isEmpty ? author.family : "\(author.family), \(initialed(author.initials))"))
            }
            lines.append("TI  - \(citation.title)")
            lines.append("ET  - \(citation.version)")
            lines.append("PB  - PhysioNet")
            if let year = citation.year { lines.append("PY  - \(year)") }
            if let published = citation.published { lines.append("DA  - \(published.replacing("-", with: "/"))") }
            if let doi = citation.doi {
                lines.append("DO  - \(doi)")
                lines.append("UR  - https://doi.org/\(doi)")
            }
            if let license = citation.license { lines.append("N1  - Licence: \(license)") }
            if let agreement = citation.dataUseAgreement { lines.append("N1  - Data use agreement: \(agreement)") }
            lines.append("ER  - ")
            out += lines.joined(separator: "\r\n") + "\r\n\r\n"
        }
        out += [
            "TY  - JOUR",
            "AU  - Goldberger, A.", "AU  - Amaral, L.", "AU  - Glass, L.", "AU  - Hausdorff, J.", "AU  - Ivanov, P. C.",
            "AU  - Mark, R.", "AU  - Mietus, J. E.", "AU  - Moody, G. B.", "AU  - Peng, C.-K.", "AU  - Stanley, H. E.",
            "TI  - PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic signals",
            "JO  - Circulation", "VL  - 101", "IS  - 23", "SP  - e215", "EP  - e220", "PY  - 2000",
            "DO  - 10.1161/01.CIR.101.23.e215", "ER  - ",
        ].joined(separator: "\r\n") + "\r\n"
        return out
    }

    /// `LA` → `L. A.`
    static func initialed(_ initials: String) -> String {
        initials.map { "\($0)." }.joined(separator: " ")
    }

    /// Braces balance in BibTeX; the characters LaTeX treats specially are escaped.
    static func bibEscaped(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "&", "%", "$", "#", "_": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}
