/// What a project page's Files section says about the files for the viewing user (PROTOCOL.md §5.4).
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

    /// A stable machine name for `--json` output.
    public var kind: String {
        switch self {
        case .deprecated: return "deprecated"
        case .embargoed: return "embargoed"
        case .accessible: return "accessible"
        case .researchEnvironmentOnly: return "researchEnvironmentOnly"
        case .restricted: return "restricted"
        }
    }
}

/// Who a page was rendered for, from the navbar markers (PROTOCOL.md §2.4).
public enum PageViewer: Sendable, Hashable {
    case anonymous
    case loggedIn(username: String)
    /// Neither marker was found (a fragment, or a changed layout).
    case unknown

    public var username: String? {
        if case .loggedIn(let name) = self { return name }
        return nil
    }

    static func from(_ page: HTMLScanner) -> PageViewer {
        if let index = page.startIndices(where: { $0["id"] == "nav_account_dropdown" }).first {
            let name = page.element(at: index).text
            return .loggedIn(username: name)
        }
        if !page.startIndices(where: { $0["id"] == "nav_logout" }).isEmpty { return .loggedIn(username: "") }
        if !page.startIndices(where: { $0["id"] == "nav_login" }).isEmpty { return .anonymous }
        return .unknown
    }
}

extension HTMLScanner {
    /// Start tags of any element satisfying `predicate`.
    func startIndices(where predicate: ([String: String]) -> Bool) -> [Int] {
        tokens.indices.filter {
            if case .start(_, let attributes) = tokens[$0] { return predicate(attributes) }
            return false
        }
    }
}
