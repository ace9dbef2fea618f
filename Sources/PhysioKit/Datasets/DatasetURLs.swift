import Foundation

/// URLs of one dataset version on a PhysioNet server (PROTOCOL.md §1).
public struct DatasetURLs: Sendable {
    public let baseURL: URL
    public let slug: String
    public let version: String

    public init(baseURL: URL, slug: String, version: String) {
        self.baseURL = baseURL
        self.slug = slug
        self.version = version
    }

    /// `/files/<slug>/<version>/`, always with the trailing slash (PROTOCOL.md §3.9's redirect trap).
    public var filesRoot: URL { Self.join(baseURL, "files/\(Self.escape(slug))/\(Self.escape(version))/") }

    public var checksumList: URL { Self.join(filesRoot, "SHA256SUMS.txt") }

    public func file(_ path: DatasetPath) -> URL {
        Self.join(filesRoot, path.components.map { Self.escape(String($0)) }.joined(separator: "/"))
    }

    /// A folder listing, `dir/` relative to the version root ("" for the root).
    public func folder(_ relative: String) -> URL {
        guard !relative.isEmpty else { return filesRoot }
        return Self.join(filesRoot, relative.split(separator: "/").map { Self.escape(String($0)) }.joined(separator: "/") + "/")
    }

    public static func projectRoot(baseURL: URL, slug: String) -> URL {
        join(baseURL, "content/\(escape(slug))/")
    }

    private static let segmentAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        set.insert(charactersIn: "-._~!$&'()*+,;=:@")
        return set
    }()

    /// Percent-encodes one path segment (spaces, `#`, `?`, `%` and non-ASCII included).
    public static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? segment
    }

    static func join(_ base: URL, _ relative: String) -> URL {
        var text = base.absoluteString
        if !text.hasSuffix("/") { text += "/" }
        return URL(string: text + relative)!
    }
}
