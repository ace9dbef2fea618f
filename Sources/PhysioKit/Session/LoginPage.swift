import FoundationEssentials

/// Reading the login form and classifying what `POST /login/` answered (docs/protocol.md §2).
public enum LoginPage {
    /// What a `POST /login/` response means. Success is only "probably logged in": confirm with a GET of
    /// `/settings/credentialing/`, because an already-logged-in session gets a 302 without any password check.
    public enum Outcome: Sendable, Equatable {
        case success(location: URL?)
        case wrongCredentials
        case inactiveAccount
        /// A 403: Django's CSRF failure. `reason` is the page's "Reason given for failure" when it has one (safe to
        /// show, no secrets), else a generic one: PhysioNet's own 403 page gives none.
        case csrfRejected(reason: String)
        case unexpected(status: Int)
    }

    /// The hidden `csrfmiddlewaretoken` of the login form, or `nil` when the page has none.
    public static func csrfToken(in html: String) -> String? {
        let page = HTMLScanner(html)
        for index in page.startIndices(of: "input", where: { $0["name"] == "csrfmiddlewaretoken" }) {
            if case .start(_, let attributes) = page.tokens[index], let value = attributes["value"], !value.isEmpty {
                return value
            }
        }
        return nil
    }

    public static func classify(_ response: HTTPResponse) -> Outcome {
        switch response.status {
        case 301, 302, 303:
            return .success(location: response.head.location)
        case 200:
            let page = HTMLScanner(response.text)
            let lowered = page.text.lowercased()
            // Checked first: the inactive-account message may also be rendered as an alert-danger.
            if lowered.contains("has not been activated") { return .inactiveAccount }
            let hasDangerAlert = !page.startIndices(where: { HTMLScanner.hasClass("alert-danger", $0) }).isEmpty
            if hasDangerAlert || lowered.contains("please enter a correct username") { return .wrongCredentials }
            return .unexpected(status: 200)
        case 403:
            // Django's stock CSRF page names the check and its reason, but PhysioNet renders its plain 403 page
            // ("You dont have access to see this page"), with no reason at all (docs/protocol.md §2). Nothing else
            // refuses a form POST with 403, so either page means the CSRF token or Origin/Referer check failed.
            return .csrfRejected(reason: csrfReason(in: HTMLScanner(response.text)))
        default:
            return .unexpected(status: response.status)
        }
    }

    /// Django shows the reason in a `<pre>` after "Reason given for failure:"; otherwise the known sentences are
    /// searched for. The result is one line, at most 200 characters (it may echo the request's Origin).
    static func csrfReason(in page: HTMLScanner) -> String {
        let candidates = page.elements("pre").map(\.text) + [page.text]
        let markers = ["CSRF token missing", "CSRF token incorrect", "CSRF cookie not set", "Origin checking failed",
            "Referer checking failed"]
        for candidate in candidates {
            for marker in markers {
                guard let start = candidate.firstRange(ignoringASCIICase: marker) else { continue }
                var reason = String(candidate[start.lowerBound...])
                // The sentence ends at its first period followed by a space or the end ("… origins.").
                if let end = reason.firstRange(of: ". ") { reason = String(reason[..<end.lowerBound]) + "." }
                return String(reason.prefix(200))
            }
        }
        return "403 without a reason: the CSRF token or the Origin/Referer check failed"
    }
}
