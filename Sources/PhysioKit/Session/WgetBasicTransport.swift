import FoundationEssentials
import Synchronization

/// The opt-in `--auth wget-basic` mode: HTTP Basic on `/files/` and ZIP downloads, sent with a
/// User-Agent beginning `Wget/`, because PhysioNet honours Basic for no other agent (docs/protocol.md §5).
/// This impersonates wget; the cookie login is the default. Credentials go only to the site's own origin,
/// only on GET/HEAD, and never to the JSON API or any other path.
///
/// Credentials are sent only once the site has asked for them, as Wget does: a request goes out without
/// them, and only a 401 with a Basic challenge makes physio repeat it with `Authorization`; from then on
/// every eligible request to the site carries them at once (Wget likewise remembers a host that challenged).
/// An open version answers 200 without a challenge, so it never sees the password: the real server runs its
/// password hasher for every Basic request that carries no cookie, open versions included, which made 265
/// open files take 31 s instead of 1.7 s.
///
/// Cookies are kept for the whole run, in memory only (never written to disk in this mode): the challenge
/// sets `testcookie`, the first Basic request returns it and binds a `sessionid`, and every later request
/// carries that, so the password is hashed once per run, not once per file (docs/protocol.md §5).
public final class WgetBasicTransport: HTTPTransport {
    public static let userAgent = "Wget/1.21.3 (physio/\(PhysioVersion.current); cookie login is physio's default)"

    private let base: CookieJarTransport
    private let origin: URLOrigin
    private let authorization: String
    /// Who the credentials name and where they came from, for a refusal's message (never the password).
    public let username: String
    public let source: CredentialSource?
    private struct State {
        /// The site has challenged: send credentials with every eligible request.
        var challenged = false
        /// A request that carried the credentials got 401: the password was refused.
        var refused = false
    }

    private let state = Mutex(State())

    public init(
        credentials: Credentials, source: CredentialSource? = nil, site: PhysioNetSite,
        configuration: TransportConfiguration = TransportConfiguration()
    ) {
        var configuration = configuration
        configuration.userAgent = Self.userAgent
        base = CookieJarTransport(base: CurlTransport(configuration: configuration), jar: CookieJar())
        origin = site.origin
        authorization = "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
        username = credentials.username
        self.source = source
    }

    /// Whether the site has asked for credentials in this run.
    public var wasChallenged: Bool { state.withLock { $0.challenged } }
    /// Whether the site answered 401 to a request that carried the credentials (a wrong password).
    public var credentialsRefused: Bool { state.withLock { $0.refused } }

    public func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        guard carriesCredentials(request) else { return try await base.execute(request, into: sink) }
        if wasChallenged { return try await executeWithCredentials(request, into: sink) }
        let watcher = ChallengeWatcher(target: sink)
        let head = try await base.execute(request, into: watcher)
        guard watcher.challenged else { return head }
        state.withLock { $0.challenged = true }
        // The challenge's `testcookie` is in the jar now, so this request binds the run's `sessionid`.
        return try await executeWithCredentials(request, into: sink)
    }

    private func executeWithCredentials(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        var request = request
        request.headers.set("Authorization", authorization)
        let head = try await base.execute(request, into: sink)
        if head.status == 401 { state.withLock { $0.refused = true } }
        return head
    }

    private func carriesCredentials(_ request: HTTPRequest) -> Bool {
        let path = request.url.path
        return URLOrigin(request.url) == origin && request.method != .post
            && (path.hasPrefix("/files/") || (path.hasPrefix("/content/") && path.contains("/get-zip/")))
    }
}

/// Passes a response through unless it is a Basic challenge (401 with `WWW-Authenticate: Basic …`), which it
/// swallows, head and body, so the request can be repeated with credentials into the same sink.
private final class ChallengeWatcher: ResponseSink {
    private let target: any ResponseSink
    private let seen = Mutex(false)

    init(target: any ResponseSink) {
        self.target = target
    }

    var challenged: Bool { seen.withLock { $0 } }

    func receiveHead(_ head: HTTPResponseHead) throws {
        let scheme = head.headers["WWW-Authenticate"]?.split(separator: " ").first?.lowercased()
        if head.status == 401 && scheme == "basic" {
            seen.withLock { $0 = true }
            return
        }
        try target.receiveHead(head)
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws -> BodyIntake {
        if challenged { return .taken }
        return try target.receiveBody(bytes, resumer: resumer)
    }
}

/// In Basic mode there is no login session to renew or page to read as the user. A 401 to a request that
/// carried the credentials means PhysioNet refused the password; a 403 after the challenge, that this account
/// lacks access; and over plain http, where PhysioNet ignores Basic altogether, neither can be told.
public struct WgetBasicAccessAdvisor: FetchAccessAdvisor {
    public let site: PhysioNetSite
    public let transport: WgetBasicTransport?
    /// How the `physio status` a refusal names reaches this site.
    public let server: ServerArguments

    public init(site: PhysioNetSite, transport: WgetBasicTransport? = nil, server: ServerArguments = ServerArguments()) {
        self.site = site
        self.transport = transport
        self.server = server
    }

    public func explainRefusal(slug: String, version: String) async throws -> Bool {
        if let transport, transport.credentialsRefused {
            throw PhysioError.wrongCredentials(username: transport.username, source: transport.source)
        }
        // A site that challenged honours Basic (an https front, or a development server over http).
        if site.baseURL.scheme?.lowercased() == "http" && transport?.wasChallenged != true {
            throw PhysioError.basicNeedsHTTPS(baseURL: site.description)
        }
        let detail = transport?.wasChallenged == true
            ? "PhysioNet accepted the password for \(transport?.username ?? "you") but not for these files: a requirement is unmet"
            : "PhysioNet refused HTTP Basic (wrong password, or a requirement is unmet)"
        throw PhysioError.accessDenied(slug: slug, version: version, detail: detail, server: server)
    }

    public func renewSession() async -> Bool { false }
}
