import FoundationEssentials

/// Logs in with the HTML form, as docs/protocol.md §2 describes.
///
/// `cookieJar` must be the jar the transport applies (`TransportConfiguration.cookieJar`): the flow clears it
/// first (an already-logged-in session makes `POST /login/` answer 302 without checking the password), reads the
/// `csrftoken` from it, and leaves the new `sessionid` in it for `SessionStore.save`.
public struct LoginFlow: Sendable {
    /// A confirmed login.
    public struct Result: Sendable, Equatable {
        /// The name the user logged in with (username or e-mail).
        public var username: String
        /// The account name the site's navbar shows, when it could be read.
        public var accountName: String?
        /// The credentialing page fetched as the confirmation, already parsed (`nil` if its layout was unknown).
        public var credentialing: CredentialingStatus?
    }

    public let transport: any HTTPTransport
    public let cookieJar: CookieJar
    public let site: PhysioNetSite

    public init(transport: any HTTPTransport, cookieJar: CookieJar, site: PhysioNetSite) {
        self.transport = transport
        self.cookieJar = cookieJar
        self.site = site
    }

    /// Logs in and confirms it with `GET /settings/credentialing/` → 200. Throws `PhysioError`:
    /// `wrongCredentials`, `inactiveAccount`, `csrfRejected`, `loginNotConfirmed`, `loginFormUnrecognised`,
    /// `unexpectedResponse` or `serverUnreachable`; transport cancellation passes through.
    public func logIn(_ credentials: Credentials) async throws -> Result {
        let requester = SiteClient(transport: transport, site: site)
        cookieJar.removeAll()

        let form = try await requester.get(site.loginURL)
        guard form.status == 200 else {
            throw PhysioError.unexpectedResponse(
                url: site.loginURL.absoluteString, status: form.status, during: "loading the login form")
        }
        guard let token = LoginPage.csrfToken(in: form.text),
            cookieJar.value(named: "csrftoken", for: site.loginURL) != nil
        else {
            throw PhysioError.loginFormUnrecognised(url: site.loginURL.absoluteString)
        }

        var headers = HTTPHeaders()
        // Django checks Origin (or, without it, Referer) on HTTPS POSTs (docs/protocol.md §2).
        headers.set("Origin", site.description)
        headers.set("Referer", site.loginURL.absoluteString)
        let post = HTTPRequest.form(
            url: site.loginURL,
            fields: [
                ("csrfmiddlewaretoken", token), ("username", credentials.username), ("password", credentials.password),
                // A literal: `URL.path` drops the trailing slash on Linux, and Django would redirect again.
                ("next", "/settings/credentialing/"),
            ],
            headers: headers)
        let answer = try await requester.send(post)

        switch LoginPage.classify(answer) {
        case .success:
            return try await confirm(credentials.username)
        case .wrongCredentials:
            throw PhysioError.wrongCredentials(username: credentials.username)
        case .inactiveAccount:
            throw PhysioError.inactiveAccount(username: credentials.username)
        case .csrfRejected(let reason):
            throw PhysioError.csrfRejected(reason: reason)
        case .unexpected(let status):
            throw PhysioError.unexpectedResponse(
                url: site.loginURL.absoluteString, status: status, during: "submitting the login form")
        }
    }

    /// A 302 from `POST /login/` is only "probably logged in": the credentialing page must answer 200.
    private func confirm(_ username: String) async throws -> Result {
        let requester = SiteClient(transport: transport, site: site)
        let page = try await requester.get(site.credentialingURL)
        switch page.status {
        case 200:
            let html = HTMLScanner(page.text)
            let account = PageViewer.from(html).username.flatMap { $0.isEmpty ? nil : $0 }
            return Result(username: username, accountName: account, credentialing: try? CredentialingStatus(html: page.text))
        case 301, 302, 303:
            throw PhysioError.loginNotConfirmed(username: username)
        default:
            throw PhysioError.unexpectedResponse(
                url: site.credentialingURL.absoluteString, status: page.status, during: "confirming the login")
        }
    }
}
