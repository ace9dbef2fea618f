import FoundationEssentials
import Synchronization

/// A small RFC 6265 cookie store: enough for Django's `sessionid` and `csrftoken`, and strict about where
/// cookies go (host-only unless a `Domain` was set, `Secure` only over https, path-matched, expiry honoured).
public final class CookieJar: Sendable {
    public struct Cookie: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        /// Lower-cased host (host-only) or domain (when the server set `Domain`).
        public var domain: String
        public var hostOnly: Bool
        public var path: String
        public var secure: Bool
        public var httpOnly: Bool
        /// `nil` for a session cookie.
        public var expires: Date?

        public init(
            name: String, value: String, domain: String, hostOnly: Bool = true, path: String = "/",
            secure: Bool = false, httpOnly: Bool = false, expires: Date? = nil
        ) {
            self.name = name
            self.value = value
            self.domain = domain
            self.hostOnly = hostOnly
            self.path = path
            self.secure = secure
            self.httpOnly = httpOnly
            self.expires = expires
        }

        func isExpired(at now: Date) -> Bool {
            expires.map { $0 <= now } ?? false
        }

        func matches(_ url: URL) -> Bool {
            let host = (url.host ?? "").lowercased()
            let hostMatches = hostOnly ? host == domain : (host == domain || host.hasSuffix("." + domain))
            guard hostMatches else { return false }
            if secure && url.scheme?.lowercased() != "https" { return false }
            let requestPath = url.path.isEmpty ? "/" : url.path
            if requestPath == path { return true }
            guard requestPath.hasPrefix(path) else { return false }
            return path.hasSuffix("/") || requestPath.dropFirst(path.count).hasPrefix("/")
        }
    }

    private let state: Mutex<[Cookie]>

    public init(cookies: [Cookie] = []) {
        state = Mutex(cookies)
    }

    public var cookies: [Cookie] { state.withLock { $0 } }

    public func removeAll() {
        state.withLock { $0.removeAll() }
    }

    /// Applies `Set-Cookie` header values received from `url`.
    public func store(setCookieHeaders headers: [String], from url: URL, now: Date = Date()) {
        guard !headers.isEmpty else { return }
        let parsed = headers.compactMap { Self.parse($0, from: url, now: now) }
        state.withLock { jar in
            for cookie in parsed {
                jar.removeAll { $0.name == cookie.name && $0.domain == cookie.domain && $0.path == cookie.path }
                if !cookie.isExpired(at: now) { jar.append(cookie) }
            }
        }
    }

    /// The `Cookie` header value for a request to `url`, or `nil` when no cookie applies.
    public func cookieHeader(for url: URL, now: Date = Date()) -> String? {
        let applicable = state.withLock { jar -> [Cookie] in
            jar.removeAll { $0.isExpired(at: now) }
            return jar.filter { $0.matches(url) }
        }
        guard !applicable.isEmpty else { return nil }
        // Longer paths first, as RFC 6265 §5.4 asks.
        return applicable.sorted { $0.path.count > $1.path.count }.map { "\($0.name)=\($0.value)" }
            .joined(separator: "; ")
    }

    /// The value of the cookie called `name` that would be sent to `url`.
    public func value(named name: String, for url: URL, now: Date = Date()) -> String? {
        state.withLock { jar in
            jar.first { $0.name == name && $0.matches(url) && !$0.isExpired(at: now) }?.value
        }
    }

    static func parse(_ header: String, from url: URL, now: Date) -> Cookie? {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        let name = first[..<equals].trimmingASCIISpace
        var value = first[first.index(after: equals)...].trimmingASCIISpace
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        guard !name.isEmpty, let host = url.host?.lowercased() else { return nil }

        var cookie = Cookie(name: name, value: value, domain: host, path: defaultPath(url))
        var maxAge: Int?
        var expires: Date?
        for attribute in parts.dropFirst() {
            let pieces = attribute.split(separator: "=", maxSplits: 1)
            let key = pieces.first.map { $0.trimmingASCIISpace.lowercased() } ?? ""
            let argument = pieces.count > 1 ? pieces[1].trimmingASCIISpace : ""
            switch key {
            case "max-age": maxAge = Int(argument)
            case "expires": expires = HTTPDate.parse(argument)
            case "path" where argument.hasPrefix("/"): cookie.path = argument
            case "secure": cookie.secure = true
            case "httponly": cookie.httpOnly = true
            case "domain" where !argument.isEmpty:
                var domain = argument.lowercased()
                if domain.hasPrefix(".") { domain.removeFirst() }
                // A server may only widen a cookie to a domain it belongs to.
                guard host == domain || host.hasSuffix("." + domain) else { return nil }
                cookie.domain = domain
                cookie.hostOnly = false
            default: break
            }
        }
        if let maxAge {
            cookie.expires = now.addingTimeInterval(TimeInterval(maxAge))
        } else {
            cookie.expires = expires
        }
        return cookie
    }

    private static func defaultPath(_ url: URL) -> String {
        let path = url.path
        guard path.hasPrefix("/"), let lastSlash = path.lastIndex(of: "/"), lastSlash != path.startIndex else {
            return "/"
        }
        return String(path[..<lastSlash])
    }
}
