import FoundationEssentials

/// Where one local dataset version came from: the server, the list it was checked against, the pin verdict,
/// and when and by which physio it was last brought up to date. One row of the inventory's `datasets`
/// table; the files are rows of `files`.
public struct DatasetProvenance: Sendable, Equatable, Codable {
    public enum ChecksumSource: String, Codable, Sendable {
        /// The server's SHA256SUMS.txt.
        case server
        /// No list on the server: files found by walking directory listings, all unverifiable.
        case listing
    }

    public var slug: String
    public var version: String
    public var baseURL: String
    public var layout: DatasetLocation.Layout
    public var checksumSource: ChecksumSource
    /// SHA-256 of the SHA256SUMS.txt bytes used: the whole dataset's identity.
    public var checksumListSHA256: SHA256Digest?
    /// The list's validator from the server (ETag, else Last-Modified), for a conditional refresh.
    public var checksumListValidator: String?
    /// `nil` when physio has no pin for this version.
    public var matchesPin: Bool?
    /// The user accepted a server list that differs from the pin (`--trust-server`).
    public var trustedServerOverPin: Bool
    public var fetchedAt: Date
    public var physioVersion: String

    public init(
        slug: String, version: String, baseURL: String, layout: DatasetLocation.Layout,
        checksumSource: ChecksumSource, checksumListSHA256: SHA256Digest?,
        checksumListValidator: String? = nil, matchesPin: Bool?, trustedServerOverPin: Bool, fetchedAt: Date,
        physioVersion: String = PhysioVersion.current
    ) {
        self.slug = slug
        self.version = version
        self.baseURL = baseURL
        self.layout = layout
        self.checksumSource = checksumSource
        self.checksumListSHA256 = checksumListSHA256
        self.checksumListValidator = checksumListValidator
        self.matchesPin = matchesPin
        self.trustedServerOverPin = trustedServerOverPin
        self.fetchedAt = fetchedAt
        self.physioVersion = physioVersion
    }

    /// Same server, list, pin verdict and layout: with no file changed, a refresh then writes nothing.
    public func sameSource(as other: DatasetProvenance) -> Bool {
        baseURL == other.baseURL && layout == other.layout && checksumSource == other.checksumSource
            && checksumListSHA256 == other.checksumListSHA256 && matchesPin == other.matchesPin
            && trustedServerOverPin == other.trustedServerOverPin && checksumListValidator == other.checksumListValidator
    }

    public func location(root: URL) -> DatasetLocation {
        DatasetLocation(
            root: root, slug: slug, version: version, layout: layout, host: URL(string: baseURL)?.host ?? "physionet.org")
    }
}

extension DatasetManifest {
    /// The export shape of an inventory dataset: its provenance and its file rows, as physio's earlier
    /// JSON manifests held them.
    public init(_ provenance: DatasetProvenance, files: [FileRecord]) {
        self.init(
            slug: provenance.slug, version: provenance.version, baseURL: provenance.baseURL, layout: provenance.layout,
            checksumSource: provenance.checksumSource, checksumListSHA256: provenance.checksumListSHA256,
            matchesPin: provenance.matchesPin, trustedServerOverPin: provenance.trustedServerOverPin,
            fetchedAt: provenance.fetchedAt, files: files)
        checksumListValidator = provenance.checksumListValidator
    }

    public var provenance: DatasetProvenance {
        DatasetProvenance(
            slug: slug, version: version, baseURL: baseURL, layout: layout, checksumSource: checksumSource,
            checksumListSHA256: checksumListSHA256, checksumListValidator: checksumListValidator, matchesPin: matchesPin,
            trustedServerOverPin: trustedServerOverPin, fetchedAt: fetchedAt)
    }
}
