import FoundationEssentials

/// The user's credentialing state from `/settings/credentialing/` (docs/protocol.md §13).
///
/// Dates are kept as the page words them (`Jan. 5, 2021, 3:45 p.m.`, US Eastern): they are shown, not computed with.
public enum CredentialingStatus: Sendable, Hashable {
    case credentialed(since: String)
    /// An application is under review; `reviewStatus` is e.g. "Awaiting review".
    case pending(submittedOn: String, reviewStatus: String)
    case notCredentialed

    public var isCredentialed: Bool {
        if case .credentialed = self { return true }
        return false
    }

    /// A stable machine name for `--json` output.
    public var kind: String {
        switch self {
        case .credentialed: return "credentialed"
        case .pending: return "pending"
        case .notCredentialed: return "notCredentialed"
        }
    }

    /// Parses the credentialing settings page. Throws when none of the three sentences is present (for example
    /// when the page is really the login form because the session expired).
    public init(html: String) throws(PageParseError) {
        let page = HTMLScanner(html)
        let lowered = page.text.lowercased()
        if lowered.contains("successfully credentialed on") {
            self = .credentialed(since: Self.trimPeriod(page.textRun(after: "successfully credentialed on")))
        } else if lowered.contains("credentialing application was submitted on") {
            let submitted = page.textRun(after: "credentialing application was submitted on")
            let status = page.textRun(after: "Status of your application:")
            self = .pending(submittedOn: Self.trimPeriod(submitted), reviewStatus: Self.trimPeriod(status))
        } else if lowered.contains("your account is not credentialed") {
            self = .notCredentialed
        } else {
            throw PageParseError(expected: "credentialing status")
        }
    }

    /// Drops a sentence's final period, but not the one closing "p.m." or "a.m.".
    private static func trimPeriod(_ text: String) -> String {
        var text = text.trimmingSpaces
        if text.hasSuffix("."), !text.hasSuffix("a.m."), !text.hasSuffix("p.m.") { text.removeLast() }
        return text.trimmingSpaces
    }
}
