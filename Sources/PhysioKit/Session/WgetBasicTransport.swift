import Foundation

/// The opt-in `--auth wget-basic` mode: HTTP Basic on `/files/` and ZIP downloads, sent with a
/// User-Agent beginning `Wget/`, because PhysioNet honours Basic for no other agent (PROTOCOL.md §3.2).
/// This impersonates wget; the cookie login is the default. Credentials go only to the site's own origin,
/// only on GET/HEAD, and never to the JSON API or any other path.
public struct WgetBasicTransport: HTTPTransport {
    public static let userAgent = "Wget/1.21.3 (physio/\(PhysioVersion.current); cookie login is physio's default)"

    private let base: CurlTransport
    private let origin: URLOrigin
    private let authorization: String

    public init(credentials: Credentials, site: PhysioNetSite, environment: [String: String] = [:]) {
        var configuration = TransportConfiguration.fromEnvironment(environment)
        configuration.userAgent = Self.userAgent
        base = CurlTransport(configuration: configuration)
        origin = site.origin
        authorization = "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }

    public func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        var request = request
        let path = request.url.path
        if URLOrigin(request.url) == origin, request.method != .post,
            path.hasPrefix("/files/") || (path.hasPrefix("/content/") && path.contains("/get-zip/"))
        {
            request.headers.set("Authorization", authorization)
        }
        return try await base.execute(request, into: sink)
    }
}

/// In Basic mode there is no login session to renew or page to read as the user: 401 means the
/// credentials were rejected, 403 that this account lacks access.
public struct WgetBasicAccessAdvisor: FetchAccessAdvisor {
    public init() {}

    public func explainRefusal(slug: String, version: String) async throws -> Bool {
        throw PhysioError.accessDenied(
            slug: slug, version: version,
            detail: "PhysioNet refused HTTP Basic (wrong password, or a requirement is unmet)")
    }

    public func renewSession() async -> Bool { false }
}
