/// A project's access policy as its badge shows it (docs/protocol.md §11).
public enum AccessPolicy: String, Sendable, Codable, CaseIterable {
    case open
    case restricted
    case credentialed
    case contributorReview

    /// The badge text PhysioNet shows, e.g. "Credentialed Access".
    public var badgeText: String {
        switch self {
        case .open: return "Open Access"
        case .restricted: return "Restricted Access"
        case .credentialed: return "Credentialed Access"
        case .contributorReview: return "Contributor Review"
        }
    }

    /// Whether `/files/` needs a login at all.
    public var requiresLogin: Bool { self != .open }

    /// Whether access depends on a DUA signature for the version (CONTRIBUTOR_REVIEW does not check one).
    public var requiresDUASignature: Bool { self == .restricted || self == .credentialed }

    /// Reads a badge's text, tolerating the resource type in front ("Database Open Access") and case.
    static func fromBadge(_ text: String) -> AccessPolicy? {
        let lowered = HTMLScanner.normalize(text).lowercased()
        return allCases.first { lowered.contains($0.badgeText.lowercased()) }
    }

    /// Reads the access card's sentence (fallback when no badge is present).
    static func fromPolicySentence(_ text: String) -> AccessPolicy? {
        let lowered = HTMLScanner.normalize(text).lowercased()
        if lowered.contains("reviewed by the contributor") { return .contributorReview }
        if lowered.contains("only credentialed users who sign the dua") { return .credentialed }
        if lowered.contains("only registered users who sign the specified data use agreement") { return .restricted }
        if lowered.contains("anyone can access the files") { return .open }
        return nil
    }
}

/// A training a project requires, as linked from its page (`view-required-training/<ver>/#<id>`).
public struct RequiredTraining: Sendable, Hashable, Codable {
    /// The training type's id from the link's `#<id>` anchor; `nil` when the page gave none.
    public var id: String?
    public var name: String

    public init(id: String?, name: String) {
        self.id = id
        self.name = name
    }
}

/// A project version, for building the URLs where its requirements are fixed.
public struct ProjectVersionRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var slug: String
    public var version: String

    public init(slug: String, version: String) {
        self.slug = slug
        self.version = version
    }

    public var description: String { "\(slug) \(version)" }
}
