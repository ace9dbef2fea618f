import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What physio knows about one local dataset version: where it came from, which list it was checked
/// against, and per file whether and when it was verified, with the stat facts seen at that moment.
public struct DatasetManifest: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public enum FileState: String, Codable, Sendable {
        /// The SHA-256 of the local file matched the list.
        case verified
        /// Downloaded, but no checksum exists for it (no SHA256SUMS.txt, or the file is not listed).
        case unverifiable
        case failed

        /// From the raw bytes of its name, without a string in between: one `memcmp` (a no-op refresh reads
        /// 400,000 of them, and comparing through `String.UTF8View` was 4% of it).
        init?(utf8 bytes: UnsafeRawBufferPointer) {
            func named(_ name: StaticString) -> Bool {
                bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
            }
            if named("verified") {
                self = .verified
            } else if named("unverifiable") {
                self = .unverifiable
            } else if named("failed") {
                self = .failed
            } else {
                return nil
            }
        }
    }

    public struct FileRecord: Codable, Sendable, Equatable {
        public var path: DatasetPath
        public var size: Int64?
        /// The expected digest from the list, or the computed one for unverifiable files.
        public var sha256: SHA256Digest?
        public var state: FileState
        public var reason: String?
        public var verifiedAt: Date?
        public var etag: String?
        public var lastModified: String?
        /// Size, mtime and inode when verified: a rerun skips the file while all three still match.
        public var identity: FileIdentity?
        /// The mirror the bytes came from (`aws-open`, `s3://bucket/prefix`, `gs://bucket`); `nil`: PhysioNet.
        public var source: String?

        public init(
            path: DatasetPath, size: Int64? = nil, sha256: SHA256Digest? = nil, state: FileState,
            reason: String? = nil, verifiedAt: Date? = nil, etag: String? = nil, lastModified: String? = nil,
            identity: FileIdentity? = nil, source: String? = nil
        ) {
            self.source = source
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.state = state
            self.reason = reason
            self.verifiedAt = verifiedAt
            self.etag = etag
            self.lastModified = lastModified
            self.identity = identity
        }
    }

    public enum ChecksumSource: String, Codable, Sendable {
        /// The server's SHA256SUMS.txt.
        case server
        /// No list on the server: files found by walking directory listings, all unverifiable.
        case listing
    }

    public var schemaVersion: Int
    public var slug: String
    public var version: String
    public var baseURL: String
    public var layout: DatasetLocation.Layout
    public var checksumSource: ChecksumSource
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
        checksumSource: ChecksumSource, checksumListSHA256: SHA256Digest?, matchesPin: Bool?,
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
