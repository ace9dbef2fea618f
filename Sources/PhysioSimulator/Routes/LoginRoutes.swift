/// `/login/` and `/logout/` with Django's exact outcomes (docs/protocol.md §2).
extension SimulatorSite {
    static let wrongCredentialsAlert = """
        <div class="alert alert-danger"><strong>Please enter a correct username/email and password. Note that the password field is case-sensitive.</strong></div>
        """
    static let inactiveAccountAlert = """
        <div class="alert alert-danger"><strong>This account has not been activated. Please check your email for the activation link.</strong></div>
        """

    func loginRoute(_ request: SimulatorRequest) -> SimulatorResponse {
        let next = request.method == "POST" ? (request.formFields["next"] ?? request.query["next"]) : request.query["next"]
        if request.method == "POST", CSRFProtection.rejection(for: request, trustedOrigin: faults.plan.trustedOrigin) != nil {
            return ErrorPages.csrfFailure(user: loggedInUser(request))
        }
        // Already logged in: straight to `next`, without looking at any posted credentials (docs/protocol.md §2).
        if loggedInUser(request) != nil {
            return .redirect(302, to: Self.safeRedirect(next))
        }
        guard request.method == "POST" else {
            return loginForm(request, next: next ?? "", alert: nil)
        }
        let fields = request.formFields
        let login = fields["username"] ?? ""
        let password = fields["password"] ?? ""
        guard let user = fixture.user(matching: login), passwordMatches(user, password) else {
            return loginForm(request, next: next ?? "", alert: Self.wrongCredentialsAlert)
        }
        guard user.isActive else {
            return loginForm(request, next: next ?? "", alert: Self.inactiveAccountAlert)
        }
        sessions.delete(request.cookies["sessionid"])
        let key = sessions.create(username: user.username, isLogin: true)
        // Django rotates the CSRF secret at login, so a client must re-read it (docs/protocol.md §2).
        let rotated = CSRFProtection.newSecret()
        return .redirect(
            302, to: Self.safeRedirect(next),
            headers: [
                ("Set-Cookie", "\(CSRFProtection.cookieName)=\(rotated); \(CSRFProtection.cookieAttributes)"),
                ("Set-Cookie", sessionCookie(key)),
            ])
    }

    func logoutRoute(_ request: SimulatorRequest) -> SimulatorResponse {
        if request.method == "POST", CSRFProtection.rejection(for: request, trustedOrigin: faults.plan.trustedOrigin) != nil {
            return ErrorPages.csrfFailure(user: loggedInUser(request))
        }
        // Django deletes the session cookie only when the request brought one: an anonymous visitor without it
        // gets a bare redirect (docs/protocol.md §2).
        guard let key = request.cookies["sessionid"] else { return .redirect(302, to: "/") }
        sessions.delete(key)
        return .redirect(
            302, to: "/",
            headers: [("Set-Cookie", "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax")])
    }

    /// The form with the exact markers clients parse (docs/protocol.md §2), keeping the visitor's CSRF secret if any.
    func loginForm(_ request: SimulatorRequest, next: String, alert: String?) -> SimulatorResponse {
        let existing = request.cookies[CSRFProtection.cookieName].flatMap { CSRFProtection.unmask($0) }
        let secret = existing ?? CSRFProtection.newSecret()
        let token = CSRFProtection.mask(secret)
        let content = """
            <h1>Account Login</h1>
            \(alert ?? "")
            <form action="/login/" method="post" class="form-signin">
              <input type="hidden" name="csrfmiddlewaretoken" value="\(token)">
              <input type="text" name="username" autofocus class="form-control" placeholder="Email or Username" maxlength="50" required id="id_username">
              <input type="password" name="password" class="form-control" placeholder="Password" required id="id_password">
              <input type="hidden" name="next" value="\(PageLayout.escape(next))" />
              <input type="checkbox" name="remember" id="id_remember"> <label for="id_remember">Remember me</label>
              <button id="login" class="btn btn-lg btn-primary btn-block" type="submit">Log In</button>
            </form>
            """
        return page(title: "Login", user: nil, content: content).withHeader(
            "Set-Cookie", "\(CSRFProtection.cookieName)=\(secret); \(CSRFProtection.cookieAttributes)")
    }

    /// `next` if it is a same-host path, else `/projects/` (Django's `url_has_allowed_host_and_scheme`).
    static func safeRedirect(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\") else { return "/projects/" }
        return next
    }
}

extension SimulatorResponse {
    func withHeader(_ name: String, _ value: String) -> SimulatorResponse {
        var copy = self
        copy.addHeader(name, value)
        return copy
    }
}
