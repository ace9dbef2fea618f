import FoundationEssentials

/// URLs of one dataset version's files on a PhysioNet site (docs/protocol.md §3, §8), from
/// `PhysioNetSite.files(slug:version:)`.
public struct DatasetURLs: Sendable {
    public let site: PhysioNetSite
    public let slug: String
    public let version: String

    /// `filesRoot` as text, built once: file URLs are made for every file of every run.
    private let filesRootText: String

    init(site: PhysioNetSite, slug: String, version: String) {
        self.site = site
        self.slug = slug
        self.version = version
        filesRootText = site.baseURL.absoluteString + "/files/\(PhysioNetSite.segment(slug))/\(PhysioNetSite.segment(version))/"
    }

    /// `/files/<slug>/<version>/`, always with the trailing slash: nginx redirects a folder without it into
    /// an internal path that 404s (docs/protocol.md §4).
    public var filesRoot: URL { URL(string: filesRootText)! }

    public var checksumList: URL { URL(string: filesRootText + "SHA256SUMS.txt")! }

    public func file(_ path: DatasetPath) -> URL {
        URL(string: filesRootText + PhysioNetSite.escapePath(path.value))!
    }

    /// A folder listing, `dir/` relative to the version root ("" for the root). Empty segments are dropped:
    /// the server answers `//` with 404.
    public func folder(_ relative: String) -> URL {
        let segments = relative.split(separator: "/").map { PhysioNetSite.segment(String($0)) }
        guard !segments.isEmpty else { return filesRoot }
        return URL(string: filesRootText + segments.joined(separator: "/") + "/")!
    }
}
