import FoundationEssentials

/// Cheap questions about the current session, over the transport's cookie jar (docs/protocol.md §2).
public struct AccountProbe: Sendable {
    public let transport: any HTTPTransport
    public let site: PhysioNetSite

    public init(transport: any HTTPTransport, site: PhysioNetSite) {
        self.transport = transport
        self.site = site
    }

    /// `GET /settings/credentialing/` without redirects: 200 → logged in, 302 to `/login/` → not.
    /// Anything else throws `unexpectedResponse`; transport failures throw `serverUnreachable`.
    public func isLoggedIn() async throws -> Bool {
        let response = try await SiteClient(transport: transport, site: site).get(site.credentialingURL)
        switch response.status {
        case 200: return true
        case _ where response.head.isRedirect && SiteClient.isLoginRedirect(response): return false
        default:
            throw PhysioError.unexpectedResponse(
                url: site.credentialingURL.absoluteString, status: response.status, during: "checking the login")
        }
    }

    /// Credentialing status and training groups of the logged-in user; throws `sessionExpired` when the
    /// session is no longer valid.
    public func accountSummary() async throws -> AccountSummary {
        let requester = SiteClient(transport: transport, site: site)
        let credentialingPage = try await requester.accountPage(site.credentialingURL, during: "reading credentialing status")
        let certificationPage = try await requester.accountPage(site.certificationURL, during: "reading training status")
        let viewer = PageViewer.from(HTMLScanner(credentialingPage.text)).username
        return AccountSummary(
            accountName: viewer.flatMap { $0.isEmpty ? nil : $0 },
            credentialing: try? CredentialingStatus(html: credentialingPage.text),
            trainings: try? TrainingSummary(html: certificationPage.text))
    }

    /// `GET /logout/` (302 to `/` and an expired `sessionid`). The server ends the session; the caller should
    /// then `SessionStore.delete(for:)`. Logging out without a session is not an error.
    public func logout() async throws {
        let response = try await SiteClient(transport: transport, site: site).get(site.logoutURL)
        guard (200..<400).contains(response.status) else {
            throw PhysioError.unexpectedResponse(url: site.logoutURL.absoluteString, status: response.status, during: "logging out")
        }
    }
}
