/// What a project page's Files section says about the files for the viewing user (docs/protocol.md §11).
public enum ProjectFilesState: Sendable, Hashable {
    /// The files of this version are no longer available.
    case deprecated
    /// The files are hidden until the given date (as the page words it).
    case embargoed(until: String)
    /// The user may download: the page shows "Access the files" and the wget command.
    case accessible
    /// The user meets the requirements, but files are only available via a research environment.
    case researchEnvironmentOnly
    /// The user lacks access; each requirement appears only if it is unmet (anonymous users see them all).
    case restricted([AccessRequirement])

    /// The state without its details, with a stable machine name for `--json` output.
    public enum Kind: String, Codable, Sendable {
        case deprecated, embargoed, accessible, researchEnvironmentOnly, restricted
    }

    public var kind: Kind {
        switch self {
        case .deprecated: return .deprecated
        case .embargoed: return .embargoed
        case .accessible: return .accessible
        case .researchEnvironmentOnly: return .researchEnvironmentOnly
        case .restricted: return .restricted
        }
    }
}
