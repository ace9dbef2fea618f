import FoundationEssentials

/// Where PhysioNet lives and how its pages are addressed (docs/protocol.md §1, §4).
///
/// The base URL is the real site (`https://physionet.org`) or a simulator on loopback. Every URL this type builds
/// is absolute and under that one origin, so cookies and credentials are never sent anywhere else.
public struct PhysioNetSite: Sendable, Hashable, CustomStringConvertible {
    public static let defaultBaseURL = URL(string: "https://physionet.org")!

    /// Scheme, host and port only; no path, no trailing slash.
    public let baseURL: URL

    /// A site at the default base URL.
    public init() {
        baseURL = Self.defaultBaseURL
    }

    /// Checks `baseURL` and returns the site it names.
    ///
    /// Refuses user-info (`https://user:pw@host`, which would put a password in argv and logs), schemes other than
    /// http(s), a path, query or fragment (PhysioNet links are root-relative, so a prefix cannot work), and plain
    /// `http://` to a host that is not loopback unless `allowInsecureHTTP` (passwords and session cookies would
    /// cross the network in the clear).
    public static func validate(baseURL: URL, allowInsecureHTTP: Bool = false) throws(PhysioError) -> PhysioNetSite {
        let shown = baseURL.redactedString
        func refuse(_ reason: String) -> PhysioError { .invalidBaseURL(shown, reason: reason) }
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw refuse("only http and https URLs are supported")
        }
        guard baseURL.user == nil, baseURL.password == nil else {
            throw refuse("it contains a user name or password; use PHYSIONET_USERNAME/PASSWORD, netrc or a prompt instead")
        }
        guard let host = baseURL.host, !host.isEmpty else { throw refuse("it has no host") }
        guard baseURL.path.isEmpty || baseURL.path == "/" else {
            throw refuse("it has a path (\(baseURL.path)); PhysioNet must be served from the root of its host")
        }
        guard baseURL.query == nil, baseURL.fragment == nil else { throw refuse("it has a query or fragment") }
        let origin = URLOrigin(baseURL)
        if scheme == "http" && !origin.isLoopback && !allowInsecureHTTP {
            throw refuse("plain http to \(host) would send your password, session and data unprotected (pass --allow-insecure-http if you really mean it)")
        }
        guard let normalized = URL(string: origin.description) else { throw refuse("it is not a valid URL") }
        return PhysioNetSite(uncheckedBaseURL: normalized)
    }

    private init(uncheckedBaseURL: URL) {
        baseURL = uncheckedBaseURL
    }

    public var origin: URLOrigin { URLOrigin(baseURL) }

    /// `https://physionet.org`, or `http://127.0.0.1:8080` for a simulator.
    public var description: String { origin.description }

    // MARK: Account pages

    public var loginURL: URL { url("/login/") }
    public var logoutURL: URL { url("/logout/") }
    public var credentialingURL: URL { url("/settings/credentialing/") }
    public var certificationURL: URL { url("/settings/certification/") }
    public var trainingURL: URL { url("/settings/training/") }
    public var agreementsURL: URL { url("/settings/agreements/") }

    // MARK: Project pages

    /// `/content/<slug>/<version>/`, or `/content/<slug>/` (which redirects to the latest version) without one.
    public func projectURL(slug: String, version: String? = nil) -> URL {
        guard let version else { return url("/content/\(Self.segment(slug))/") }
        return url("/content/\(Self.segment(slug))/\(Self.segment(version))/")
    }

    public func signDUAURL(slug: String, version: String) -> URL {
        url("/sign-dua/\(Self.segment(slug))/\(Self.segment(version))/")
    }

    public func viewDUAURL(slug: String, version: String) -> URL {
        url("/content/\(Self.segment(slug))/view-dua/\(Self.segment(version))/")
    }

    /// The page describing a project's required trainings; `trainingID` selects the `#<id>` anchor.
    public func requiredTrainingURL(slug: String, version: String, trainingID: String? = nil) -> URL {
        let anchor = trainingID.map { "#" + Self.segment($0) } ?? ""
        return url("/content/\(Self.segment(slug))/view-required-training/\(Self.segment(version))/\(anchor)")
    }

    public func requestAccessStatusURL(slug: String, version: String) -> URL {
        url("/request-access-status/\(Self.segment(slug))/\(Self.segment(version))/")
    }

    /// The URLs of one dataset version's files.
    public func files(slug: String, version: String) -> DatasetURLs {
        DatasetURLs(site: self, slug: slug, version: version)
    }

    private func url(_ path: String) -> URL {
        // Paths here are built from encoded segments, so URL(string:) cannot fail for a valid base.
        URL(string: baseURL.absoluteString + path)!
    }

    /// Percent-encodes a `/`-separated path segment by segment, on bytes (spaces, `#`, `?`, `%` and non-ASCII
    /// included); returns the text unchanged when nothing needs it, which is every file of most datasets. The
    /// one escaper for every URL physio builds.
    static func escapePath(_ path: String) -> String {
        if path.utf8.allSatisfy(isPathByte) { return path }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count * 3)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            if isPathByte(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Undoes percent-encoding (a listing's `href`); `nil` when a `%` is not followed by two hex digits or the
    /// bytes are not UTF-8, as Foundation's `removingPercentEncoding` answers.
    static func unescape(_ text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 55
            default: nil
            }
        }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// One segment: as `escapePath`, with `/` escaped too, so a slug or a name can never add structure.
    static func segment(_ text: String) -> String {
        escapePath(text).replacing("/", with: "%2F")
    }

    /// RFC 3986 `pchar` (unreserved, sub-delims, `:` and `@`) plus `/`.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+,;=:@/".utf8.contains(byte)
        }
    }
}
