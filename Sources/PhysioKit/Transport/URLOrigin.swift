import FoundationEssentials

/// Scheme, host and port: the unit to which credentials and cookies are confined.
public struct URLOrigin: Hashable, Sendable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int

    public init(_ url: URL) {
        scheme = (url.scheme ?? "").lowercased()
        host = (url.host ?? "").lowercased()
        port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    public var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// `https://host[:port]`, as browsers send in an `Origin` header.
    public var description: String {
        let defaultPort = scheme == "https" ? 443 : 80
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return port == defaultPort ? "\(scheme)://\(shownHost)" : "\(scheme)://\(shownHost):\(port)"
    }
}
