import FoundationEssentials

/// What `physio login` keeps between runs for one site: the cookie jar and who it belongs to.
///
/// This is the only Codable type in PhysioKit that carries secrets (the `sessionid` cookie), and it is only ever
/// written by `SessionStore` to an owner-only file. Its `description` and mirror hide cookie values. It never
/// holds the password.
public struct StoredSession: Codable, Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The site's origin, e.g. `https://physionet.org`; a file for another origin is never used.
    public var baseURL: String
    /// The name the user logged in with (username or e-mail), for `whoami`.
    public var username: String
    /// The account name from the site's navbar after login, when it could be read.
    public var accountName: String?
    public var savedAt: Date
    public var cookies: [CookieJar.Cookie]

    public init(
        baseURL: String, username: String, accountName: String? = nil, savedAt: Date, cookies: [CookieJar.Cookie]
    ) {
        schemaVersion = Self.currentSchemaVersion
        self.baseURL = baseURL
        self.username = username
        self.accountName = accountName
        self.savedAt = savedAt
        self.cookies = cookies
    }

    /// When the `sessionid` cookie expires (`nil`: a browser-session cookie, or none).
    public var sessionExpires: Date? {
        cookies.first { $0.name == "sessionid" }?.expires
    }

    /// Whether a `sessionid` cookie is present and not past its expiry. The server may still have ended it;
    /// only `AccountProbe.isLoggedIn()` knows for sure.
    public func hasLiveSessionCookie(at now: Date = Date()) -> Bool {
        cookies.contains { $0.name == "sessionid" && !$0.value.isEmpty && ($0.expires.map { $0 > now } ?? true) }
    }

    /// A jar holding these cookies, for `TransportConfiguration.cookieJar`.
    public func makeCookieJar() -> CookieJar {
        CookieJar(cookies: cookies)
    }

    public var description: String {
        "session for \(username) at \(baseURL) (\(cookies.count) cookies, values redacted)"
    }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "baseURL": baseURL, "username": username, "accountName": accountName as Any, "savedAt": savedAt,
            "cookies": cookies.map { "\($0.name)=<redacted>" },
        ])
    }
}
