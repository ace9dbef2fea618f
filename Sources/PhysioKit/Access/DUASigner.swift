import FoundationEssentials

/// Signs a project version's data use agreement (docs/protocol.md §12), in two explicit steps so the CLI can show the
/// DUA text and ask for consent in between.
///
/// The server stores a new signature on every POST, even when one exists, so callers must first establish that
/// the DUA is unsigned (`AccessReport.duaSigned == false`) and must have the user's explicit consent.
public struct DUASigner: Sendable {
    public enum Preparation: Sendable, Equatable {
        /// The form is shown; `formToken` is the CSRF token to post back with the signature.
        case readyToSign(heading: String, formToken: String)
        /// The server redirected to the project page: already has access, not signable (OPEN, CONTRIBUTOR_REVIEW),
        /// deprecated or under embargo.
        case nothingToSign
        /// A CREDENTIALED project and the user is not credentialed.
        case credentialingRequired
    }

    public let transport: any HTTPTransport
    public let site: PhysioNetSite

    public init(transport: any HTTPTransport, site: PhysioNetSite) {
        self.transport = transport
        self.site = site
    }

    /// `GET /sign-dua/<slug>/<version>/`. Anonymous → `sessionExpired`.
    public func prepare(slug: String, version: String) async throws -> Preparation {
        let url = site.signDUAURL(slug: slug, version: version)
        let response = try await SiteClient(transport: transport, site: site).get(url)
        if response.head.isRedirect {
            if SiteClient.isLoginRedirect(response) { throw PhysioError.sessionExpired(host: site.origin.host) }
            return .nothingToSign
        }
        guard response.status == 200 else {
            throw PhysioError.unexpectedResponse(url: url.absoluteString, status: response.status, during: "opening the DUA form")
        }
        let page = HTMLScanner(response.text)
        let heading = page.elements("h1").first?.text ?? ""
        if heading.lowercased().contains("credentialing required") { return .credentialingRequired }
        let hasAgreeButton = !page.startIndices(of: "button", where: { $0["name"] == "agree" }).isEmpty
        guard hasAgreeButton, let token = LoginPage.csrfToken(in: response.text) else {
            throw PhysioError.unrecognisedPage(url: url.absoluteString, expected: "data use agreement form")
        }
        return .readyToSign(heading: heading, formToken: token)
    }

    /// POSTs the signature (`agree=`) after the user consented. Succeeds only on "Access Granted"; note that
    /// other requirements (training) may still be unmet: re-check access afterwards.
    public func sign(slug: String, version: String, formToken: String) async throws {
        let url = site.signDUAURL(slug: slug, version: version)
        var headers = HTTPHeaders()
        headers.set("Origin", site.description)
        headers.set("Referer", url.absoluteString)
        let request = HTTPRequest.form(url: url, fields: [("csrfmiddlewaretoken", formToken), ("agree", "")], headers: headers)
        let response = try await SiteClient(transport: transport, site: site).send(request)
        if response.head.isRedirect && SiteClient.isLoginRedirect(response) {
            throw PhysioError.sessionExpired(host: site.origin.host)
        }
        if case .csrfRejected(let reason) = LoginPage.classify(response) { throw PhysioError.csrfRejected(reason: reason) }
        guard response.status == 200, HTMLScanner(response.text).text.contains("Access Granted") else {
            throw PhysioError.unexpectedResponse(url: url.absoluteString, status: response.status, during: "signing the data use agreement")
        }
    }
}
