import Foundation

/// URLs of one dataset version on a PhysioNet server (PROTOCOL.md §1).
public struct DatasetURLs: Sendable {
    public let baseURL: URL
    public let slug: String
    public let version: String

    /// `filesRoot` as text, built once: file URLs are made for every file of every run.
    private let filesRootText: String

    public init(baseURL: URL, slug: String, version: String) {
        self.baseURL = baseURL
        self.slug = slug
        self.version = version
        var text = baseURL.absoluteString
        if !text.hasSuffix("/") { text += "/" }
        filesRootText = text + "files/\(Self.escape(slug))/\(Self.escape(version))/"
    }

    /// `/files/<slug>/<version>/`, always with the trailing slash (PROTOCOL.md §3.9's redirect trap).
    public var filesRoot: URL { URL(string: filesRootText)! }

    public var checksumList: URL { Self.join(filesRoot, "SHA256SUMS.txt") }

    public func file(_ path: DatasetPath) -> URL {
        URL(string: filesRootText + Self.escapePath(path.value))!
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

    /// Percent-encodes a `/`-separated path segment by segment, on bytes; unchanged when nothing needs it.
    static func escapePath(_ path: String) -> String {
        func allowed(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "-._~!$&'()*+,;=:@/".utf8.contains(byte)
            }
        }
        if path.utf8.allSatisfy(allowed) { return path }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count * 3)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            if allowed(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func join(_ base: URL, _ relative: String) -> URL {
        var text = base.absoluteString
        if !text.hasSuffix("/") { text += "/" }
        return URL(string: text + relative)!
    }
}
