import Foundation

/// Sends requests to one PhysioNet site and turns transport failures into `PhysioError.serverUnreachable`.
///
/// Redirects are never followed here: every caller in this domain needs to see the 302 itself (login success,
/// "not logged in", "nothing to sign").
struct SiteRequester: Sendable {
    let transport: any HTTPTransport
    let site: PhysioNetSite

    func get(_ url: URL) async throws -> HTTPResponse {
        try await send(HTTPRequest(method: .get, url: url))
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await transport.send(request, bodyLimit: 8 << 20)
        } catch let error as TransportError {
            throw PhysioError.serverUnreachable(url: error.url, detail: Self.reason(error))
        } catch is CollectingSink.BodyTooLarge {
            throw PhysioError.unrecognisedPage(url: request.url.redactedString, expected: "page (it was larger than 8 MiB)")
        }
    }

    /// A GET of a login-required page: 200 → body; 302 to `/login/` → `sessionExpired` (or `notLoggedIn`).
    func getAccountPage(_ url: URL, during: String) async throws -> HTTPResponse {
        let response = try await get(url)
        switch response.status {
        case 200:
            return response
        case _ where response.head.isRedirect && Self.isLoginRedirect(response):
            throw PhysioError.sessionExpired(host: site.origin.host)
        default:
            throw PhysioError.unexpectedResponse(url: url.absoluteString, status: response.status, during: during)
        }
    }

    static func isLoginRedirect(_ response: HTTPResponse) -> Bool {
        response.head.location?.path.hasPrefix("/login") == true
    }

    /// The failure without the URL (the message names it separately).
    private static func reason(_ error: TransportError) -> String {
        switch error.kind {
        case .hostNotFound: return "host not found"
        case .connectionRefused: return "connection refused"
        case .connectTimeout: return "connection timed out"
        case .stalled: return "the transfer stalled"
        case .timedOut: return "the request timed out"
        case .connectionLost: return "the connection was lost"
        case .tls: return "TLS error: \(error.detail)"
        case .invalidURL: return "invalid URL"
        case .other: return error.detail.isEmpty ? "transfer failed" : error.detail
        }
    }
}
