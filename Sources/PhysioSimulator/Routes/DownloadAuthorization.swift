import Foundation

/// The `/files/` and `get-zip` access decision: the full matrix of docs/protocol.md §3 and §5, including the
/// UA-gated HTTP Basic rule and the Basic `sessionid` binding.
extension SimulatorSite {
    enum DownloadDecision {
        /// Serve; `setCookie` carries the Basic binding `sessionid` when one was created.
        case granted(setCookie: String?)
        /// 401 with the Basic challenge: anonymous, Basic-eligible, no (valid) credentials.
        case challenge
        case forbidden(FixtureUser?)
    }

    /// Basic is honoured only for GET/HEAD with a User-Agent that *starts* with `Wget/` or `libwfdb/`, and
    /// only over HTTPS; a development server also honours it over plain http. Otherwise the header is
    /// ignored: anonymous Wget over plain http gets 403 with no challenge (docs/protocol.md §5).
    func isBasicEligible(_ request: SimulatorRequest) -> Bool {
        request.isGetOrHead && (request.userAgent.hasPrefix("Wget/") || request.userAgent.hasPrefix("libwfdb/"))
            && (mode == .development || isHTTPS(request))
    }

    /// The Basic credentials are weighed before the access decision, open versions included: the real
    /// server's `check_http_auth` runs its password hasher for every eligible Basic request that has no
    /// bound `sessionid`, whatever the project (docs/protocol.md §5), and an open version then serves 200
    /// whether the password was right or not.
    func authorizeDownload(_ request: SimulatorRequest, slug: String, version: FixtureVersion) -> DownloadDecision {
        let eligible = isBasicEligible(request)
        var user = loggedInUser(request)
        var setCookie: String?
        // A login cookie wins; the Authorization header is then ignored (docs/protocol.md §5).
        if user == nil && eligible, let authorization = request.header("Authorization") {
            if let session = currentSession(request), !session.isLogin {
                // The binding quirk: this sessionid plus *any* Authorization header authenticates
                // (docs/protocol.md §5).
                user = fixture.user(matching: session.username)
            } else if let credentials = BasicCredentials(header: authorization),
                let candidate = fixture.user(matching: credentials.username),
                passwordMatches(candidate, credentials.password), candidate.isActive
            {
                user = candidate
                if request.hasAnyCookie {
                    setCookie = sessionCookie(sessions.create(username: candidate.username, isLogin: false))
                }
            }
        }
        if version.access == .open && !version.deprecated && !version.downloadsDisabled {
            return .granted(setCookie: setCookie)
        }
        if evaluator(for: user).canDownload(slug: slug, version: version) {
            return .granted(setCookie: setCookie)
        }
        if user == nil && eligible { return .challenge }
        return .forbidden(user)
    }

    func response(for decision: DownloadDecision) -> SimulatorResponse? {
        switch decision {
        case .granted: return nil
        case .challenge:
            return SimulatorResponse(
                status: 401,
                headers: [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("WWW-Authenticate", "Basic realm=\"\(fixture.site.realm)\", charset=\"UTF-8\""),
                    ("Set-Cookie", "testcookie=1; HttpOnly; Path=/; SameSite=Lax"),
                ])
        case .forbidden(let user):
            return ErrorPages.forbiddenAccess(user: user)
        }
    }
}

/// `Authorization: Basic …` decoded; nil when undecodable (which counts as anonymous, docs/protocol.md §5).
struct BasicCredentials {
    let username: String
    let password: String

    init?(header: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        username = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}
