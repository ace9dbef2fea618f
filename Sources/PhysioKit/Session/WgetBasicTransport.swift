import FoundationEssentials

/// The opt-in `--auth wget-basic` mode: HTTP Basic on `/files/` and ZIP downloads, sent with a
/// User-Agent beginning `Wget/`, because PhysioNet honours Basic for no other agent (docs/protocol.md §5).
/// This impersonates wget; the cookie login is the default. Credentials go only to the site's own origin,
/// only on GET/HEAD, and never to the JSON API or any other path.
///
/// Cookies are kept for the whole run, in memory only (never written to disk in this mode): without one,
/// every Basic request makes the server hash the password again, which made a 265-file fetch 16 times
/// slower than a login session. The server hands out its cookies the way wget collects them: a request
/// without credentials is challenged (401 with `testcookie`), and the first Basic request that returns that
/// cookie binds a `sessionid` that later requests reuse (docs/protocol.md §5).
public final class WgetBasicTransport: HTTPTransport {
    public static let userAgent = "Wget/1.21.3 (physio/\(PhysioVersion.current); cookie login is physio's default)"

    private let base: CookieJarTransport
    private let origin: URLOrigin
    private let authorization: String
    private let handshake = OneTimeWork()

    public init(credentials: Credentials, site: PhysioNetSite, configuration: TransportConfiguration = TransportConfiguration()) {
        var configuration = configuration
        configuration.userAgent = Self.userAgent
        base = CookieJarTransport(base: CurlTransport(configuration: configuration), jar: CookieJar())
        origin = site.origin
        authorization = "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }

    public func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        guard carriesCredentials(request) else { return try await base.execute(request, into: sink) }
        await handshake.run { [self] in await collectCookies(probing: request.url) }
        var request = request
        request.headers.set("Authorization", authorization)
        return try await base.execute(request, into: sink)
    }

    private func carriesCredentials(_ request: HTTPRequest) -> Bool {
        let path = request.url.path
        return URLOrigin(request.url) == origin && request.method != .post
            && (path.hasPrefix("/files/") || (path.hasPrefix("/content/") && path.contains("/get-zip/")))
    }

    /// Two HEADs before the first download: one without credentials (an open project answers 200 and needs
    /// nothing more; a protected one challenges and sets `testcookie`), then one with them, which checks the
    /// password once and binds the `sessionid` every later request carries. Failures are left to the real
    /// request, which reports them.
    private func collectCookies(probing url: URL) async {
        guard let first = try? await base.send(HTTPRequest(method: .head, url: url)), first.status == 401 else { return }
        var authenticated = HTTPRequest(method: .head, url: url)
        authenticated.headers.set("Authorization", authorization)
        _ = try? await base.send(authenticated)
    }
}

/// In Basic mode there is no login session to renew or page to read as the user: 401 means the
/// credentials were rejected, 403 that this account lacks access, unless the site is plain http, where
/// PhysioNet ignores Basic altogether.
public struct WgetBasicAccessAdvisor: FetchAccessAdvisor {
    public let site: PhysioNetSite

    public init(site: PhysioNetSite) {
        self.site = site
    }

    public func explainRefusal(slug: String, version: String) async throws -> Bool {
        if site.baseURL.scheme?.lowercased() == "http" {
            throw PhysioError.basicNeedsHTTPS(baseURL: site.description)
        }
        throw PhysioError.accessDenied(
            slug: slug, version: version,
            detail: "PhysioNet refused HTTP Basic (wrong password, or a requirement is unmet)")
    }

    public func renewSession() async -> Bool { false }
}
