/// The headers every page the application renders carries on the real site: never cached, varying with the
/// session cookie, not frameable, plus Django's SecurityMiddleware defaults. Files served through nginx do not
/// get them (docs/protocol.md §7).
enum DjangoHeaders {
    static let page: [(name: String, value: String)] = [
        ("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"),
        ("Vary", "Cookie"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]

    /// `response` with the page headers when it is an HTML answer (JSON answers keep their own).
    static func added(to response: SimulatorResponse) -> SimulatorResponse {
        guard response.header("Content-Type")?.hasPrefix("text/html") == true else { return response }
        var copy = response
        for header in page where copy.header(header.name) == nil { copy.addHeader(header.name, header.value) }
        return copy
    }
}
