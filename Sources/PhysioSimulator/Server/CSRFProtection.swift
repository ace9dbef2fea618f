import Foundation

/// Django's CSRF rules as PhysioNet runs them (docs/protocol.md §2): a 32-character secret in the `csrftoken` cookie, a
/// 64-character masked copy in forms, either accepted in `csrfmiddlewaretoken` or `X-CSRFToken`.
enum CSRFProtection {
    static let cookieName = "csrftoken"
    static let cookieLifetime = 31_449_600

    /// The cookie's attributes: `expires=` as well as `Max-Age`, as Django writes them (docs/protocol.md §2).
    static var cookieAttributes: String {
        let expires = SimulatorDates.httpDate(Date().addingTimeInterval(TimeInterval(cookieLifetime)))
        return "expires=\(expires); Max-Age=\(cookieLifetime); Path=/; SameSite=Lax"
    }

    static func newSecret() -> String { RandomToken.make(length: 32) }

    /// A fresh masked form token for `secret` (mask + cipher, 64 characters).
    static func mask(_ secret: String) -> String {
        let chars = RandomToken.alphanumerics
        let mask = Array(RandomToken.make(length: 32))
        let cipher = zip(Array(secret), mask).map { s, m in
            chars[(index(of: s) + index(of: m)) % chars.count]
        }
        return String(mask) + String(cipher)
    }

    /// The secret inside a form or header token; 32-character tokens are taken as the secret itself.
    static func unmask(_ token: String) -> String? {
        let chars = RandomToken.alphanumerics
        let all = Array(token)
        guard all.allSatisfy({ chars.contains($0) }) else { return nil }
        if all.count == 32 { return token }
        guard all.count == 64 else { return nil }
        let mask = all[..<32], cipher = all[32...]
        return String(zip(cipher, mask).map { c, m in chars[(index(of: c) - index(of: m) + chars.count) % chars.count] })
    }

    /// Why Django would reject this unsafe request, or nil when it passes. Order follows Django 4.2's
    /// `CsrfViewMiddleware`: Origin first, then the cookie, then the token.
    static func rejection(for request: SimulatorRequest, trustedOrigin: String? = nil) -> String? {
        if let origin = request.header("Origin") {
            let own = trustedOrigin ?? "http://" + (request.header("Host") ?? "")
            if origin != own {
                return "Origin checking failed - \(origin) does not match any trusted origins."
            }
        }
        guard let cookie = request.cookies[cookieName], let secret = unmask(cookie) else {
            return "CSRF cookie not set."
        }
        let submitted = request.method == "POST" ? request.formFields["csrfmiddlewaretoken"] : nil
        guard let token = submitted ?? request.header("X-CSRFToken"), !token.isEmpty else {
            return "CSRF token missing."
        }
        guard let tokenSecret = unmask(token) else { return "CSRF token has incorrect format." }
        return tokenSecret == secret ? nil : "CSRF token incorrect."
    }

    private static func index(of character: Character) -> Int {
        RandomToken.alphanumerics.firstIndex(of: character) ?? 0
    }
}
