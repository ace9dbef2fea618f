import FoundationEssentials

/// physio 0.1's JSON manifest of one dataset version: its provenance and its file records in one document.
/// The inventory replaced it; the shape lives on in `physio inventory export --json` and in the one-time
/// import of 0.1's files (`LegacyManifests`), both through Foundation's coders (`PhysioJSON`).
public struct DatasetManifest: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var slug: String
    public var version: String
    public var baseURL: String
    public var layout: DatasetLocation.Layout
    public var checksumSource: DatasetProvenance.ChecksumSource
    /// SHA-256 of the SHA256SUMS.txt bytes used.
    public var checksumListSHA256: SHA256Digest?
    /// The list's validator from the server (ETag, else Last-Modified): a refresh asks "changed since?"
    /// and, on 304, reuses the local copy instead of downloading a multi-megabyte list again.
    public var checksumListValidator: String?
    /// `nil` when physio has no pin for this version.
    public var matchesPin: Bool?
    /// The user accepted a server list that differs from the pin (`--trust-server`).
    public var trustedServerOverPin: Bool
    public var fetchedAt: Date
    public var files: [FileRecord]

    public init(
        slug: String, version: String, baseURL: String, layout: DatasetLocation.Layout,
        checksumSource: DatasetProvenance.ChecksumSource, checksumListSHA256: SHA256Digest?, matchesPin: Bool?,
        trustedServerOverPin: Bool, fetchedAt: Date, files: [FileRecord]
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.slug = slug
        self.version = version
        self.baseURL = baseURL
        self.layout = layout
        self.checksumSource = checksumSource
        self.checksumListSHA256 = checksumListSHA256
        self.matchesPin = matchesPin
        self.trustedServerOverPin = trustedServerOverPin
        self.fetchedAt = fetchedAt
        self.files = files
    }
}
