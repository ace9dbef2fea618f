import FoundationEssentials

/// The one way PhysioKit asks the site for something: pages, the file list, listings, form posts. It sends
/// through the transport it is given (which carries the session's cookie jar), follows no redirect (every
/// caller here needs to see the 302 itself: login success, "not logged in", "nothing to sign"), retries GETs
/// under the run's one rule when given a `Retrier`, and turns transport failures into `serverUnreachable`.
/// Downloads stream through the same transport with the same `Retrier` (`FileDownloader`,
/// `SegmentedDownload`), because they need their own sinks.
struct SiteClient: Sendable {
    let transport: any HTTPTransport
    let site: PhysioNetSite
    /// `nil`: one attempt (interactive commands and form posts, which must never be repeated).
    var retrier: Retrier?

    init(transport: any HTTPTransport, site: PhysioNetSite, retrier: Retrier? = nil) {
        self.transport = transport
        self.site = site
        self.retrier = retrier
    }

    /// A GET collected in memory, retried on 408, 429, 5xx and network errors when the client has a retrier.
    func get(_ url: URL, headers extra: HTTPHeaders = HTTPHeaders(), bodyLimit: Int = 8 << 20) async throws -> HTTPResponse {
        // Sizes and digests are of the bytes as published: never a compressed transfer.
        var headers: HTTPHeaders = ["Accept-Encoding": "identity"]
        for field in extra { headers.set(field.name, field.value) }
        let request = HTTPRequest(method: .get, url: url, headers: headers)
        return try await (retrier ?? .single).run(path: nil) { _ in
            do {
                let response = try await transport.send(request, bodyLimit: bodyLimit)
                guard Retrier.isRetryable(status: response.status) else { return .done(response) }
                return .retry(
                    reason: "HTTP \(response.status) for \(url.redactedString)",
                    retryAfter: response.headers["Retry-After"].flatMap(DataResponseHead.retryAfter), giveUp: .success(response))
            } catch let error as TransportError {
                guard error.isRetryable else { throw Self.unreachable(error) }
                return .retry(
                    reason: error.description, giveUp: .failure(Self.unreachable(error)), refused: error.kind == .connectionRefused)
            } catch is CollectingSink.BodyTooLarge {
                throw PhysioError.unrecognisedPage(url: url.redactedString, expected: "page (it was larger than \(bodyLimit >> 20) MiB)")
            }
        }
    }

    /// One request, never repeated (form posts, HEAD probes).
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await transport.send(request, bodyLimit: 8 << 20)
        } catch let error as TransportError {
            throw Self.unreachable(error)
        } catch is CollectingSink.BodyTooLarge {
            throw PhysioError.unrecognisedPage(url: request.url.redactedString, expected: "page (it was larger than 8 MiB)")
        }
    }

    /// A GET of a login-required page: 200 → body; 302 to `/login/` → `sessionExpired`.
    func accountPage(_ url: URL, during: String) async throws -> HTTPResponse {
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

    /// The failure without the URL's secrets, in a few words the message can carry.
    private static func unreachable(_ error: TransportError) -> PhysioError {
        let reason: String
        switch error.kind {
        case .tls: return .tlsFailure(url: error.url, detail: error.detail)
        case .proxy: return .proxyFailure(url: error.url, detail: error.detail)
        case .hostNotFound: reason = "host not found"
        case .connectionRefused: reason = "connection refused"
        case .connectTimeout: reason = "connection timed out"
        case .stalled: reason = "the transfer stalled"
        case .timedOut: reason = "the request timed out"
        case .connectionLost: reason = "the connection was lost"
        case .invalidURL: reason = "invalid URL"
        case .other: reason = error.detail.isEmpty ? "transfer failed" : error.detail
        }
        return .serverUnreachable(url: error.url, detail: reason)
    }
}
