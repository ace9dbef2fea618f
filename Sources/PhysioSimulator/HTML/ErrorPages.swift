/// The error pages each layer of the real site produces: Django's (production or debug) and nginx's.
enum ErrorPages {
    /// Django's 404: the site's page in production, the debug page (`Page not found at …`) in development.
    static func notFound(path: String, mode: SimulatorMode, user: FixtureUser?) -> SimulatorResponse {
        switch mode {
        case .production:
            let content = "<h1>Page Not Found<br />(404)</h1>\n<p>The requested page could not be found.</p>"
            return .html(404, PageLayout.render(title: "Page Not Found", user: user, content: content))
        case .development:
            let escaped = PageLayout.escape(path)
            let page = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta http-equiv="content-type" content="text/html; charset=utf-8">
                  <title>Page not found at \(escaped)</title>
                  <meta name="robots" content="NONE,NOARCHIVE">
                </head>
                <body>
                  <div id="summary">
                    <h1>Page not found <span>(404)</span></h1>
                    <table class="meta"><tr><th>Request Method:</th><td>GET</td></tr>
                    <tr><th>Request URL:</th><td>\(escaped)</td></tr></table>
                  </div>
                  <div id="explanation">
                    <p>You're seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>
                  </div>
                </body>
                </html>

                """
            return .html(404, page)
        }
    }

    /// nginx's own 404, for a missing file behind X-Accel-Redirect (docs/protocol.md §7).
    static func nginxNotFound() -> SimulatorResponse {
        .html(404, nginxPage(status: "404 Not Found"))
    }

    static func nginxPage(status: String) -> String {
        "<html>\r\n<head><title>\(status)</title></head>\r\n<body>\r\n<center><h1>\(status)</h1></center>\r\n"
            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    }

    /// The application's 403 page, for `/files/` and the ZIP route and for CSRF failures (docs/protocol.md §2, §3).
    static func forbiddenAccess(user: FixtureUser?) -> SimulatorResponse {
        let content = """
            <h1>Forbidden Access<br />(403)</h1>
            <p>You dont have access to see this page.</p>
            """
        return .html(403, PageLayout.render(title: "Forbidden Access", user: user, content: content))
    }

    /// A CSRF failure renders the site's plain 403 page: no "CSRF verification failed", no reason, so a client
    /// cannot tell a missing token from a foreign Origin by the page (docs/protocol.md §2).
    static func csrfFailure(user: FixtureUser?) -> SimulatorResponse {
        forbiddenAccess(user: user)
    }

    /// A failure page for injected 5xx/429 faults, shaped like nginx's.
    static func injected(status: Int) -> SimulatorResponse {
        let reason: String
        switch status {
        case 429: reason = "429 Too Many Requests"
        case 500: reason = "500 Internal Server Error"
        case 502: reason = "502 Bad Gateway"
        case 503: reason = "503 Service Temporarily Unavailable"
        case 504: reason = "504 Gateway Time-out"
        default: reason = "\(status) Error"
        }
        return .html(status, nginxPage(status: reason))
    }
}
