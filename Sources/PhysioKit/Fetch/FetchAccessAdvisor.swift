/// What a fetch asks when the server refuses a dataset: why (so the user sees the exact missing
/// requirement rather than a bare 403), and whether a fresh login fixes it.
public protocol FetchAccessAdvisor: Sendable {
    /// Called when the file list was refused (401/403, or a login page instead of data). Either throws
    /// the error that explains the refusal, or returns `true` after renewing the session so the request is
    /// tried once more.
    func explainRefusal(slug: String, version: String) async throws -> Bool

    /// Called when files start being refused mid-run (the session expired). `true` when a fresh login
    /// succeeded without prompting.
    func renewSession() async -> Bool
}

/// The advisor backed by the user's PhysioNet account: re-login once from non-interactive sources, then
/// read the project page for the unmet requirements.
public struct AccountAccessAdvisor: FetchAccessAdvisor {
    public let session: AccountSession
    /// Whether a login may ask at the terminal when the environment, netrc and saved session give nothing
    /// (`physio sync --interactive`); `physio fetch` and a plain sync never prompt.
    public let prompting: Bool

    public init(session: AccountSession, prompting: Bool = false) {
        self.session = session
        self.prompting = prompting
    }

    public func explainRefusal(slug: String, version: String) async throws -> Bool {
        let checker = AccessChecker(session: session)
        let report = try await checker.check(slug: slug, version: version, expectedUsername: session.username)
        // Not logged in, or the saved login expired: one login from the environment or netrc, no prompt.
        // A refused password throws here, naming its source: it is not "not logged in".
        if report.needsLogin || report.sessionExpired, try await session.renewUnattended() {
            return true
        }
        if prompting, report.needsLogin || report.sessionExpired {
            _ = try await session.logIn(username: session.username, passwordFromStdin: false, interactive: true)
            return true
        }
        if var error = report.blockingError {
            // With the full report, so the CLI prints the same explanation as `physio status`.
            error.report = report
            throw error
        }
        // The page says the files are accessible, yet the list was refused: a stale session most likely.
        if session.username != nil, try await session.renewUnattended() { return true }
        throw PhysioError.accessDenied(
            slug: slug, version: version, detail: "the server refused the file list although the project page grants access", server: session.server)
    }

    public func renewSession() async -> Bool {
        await session.renewWithoutPrompting()
    }
}
