import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the inventory knows of one file of a dataset version: whether and when it was verified, against
/// which digest, with the validators and the stat facts seen at that moment. One row of the `files` table.
public struct FileRecord: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
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

    public var path: DatasetPath
    public var size: Int64?
    /// The expected digest from the list, or the computed one for unverifiable files.
    public var sha256: SHA256Digest?
    public var state: State
    public var reason: String?
    public var verifiedAt: Date?
    public var etag: String?
    public var lastModified: String?
    /// Size, mtime and inode when verified: a rerun skips the file while all three still match.
    public var identity: FileIdentity?
    /// The mirror the bytes came from (`aws-open`, `s3://bucket/prefix`, `gs://bucket`); `nil`: PhysioNet.
    public var source: String?

    public init(
        path: DatasetPath, size: Int64? = nil, sha256: SHA256Digest? = nil, state: State,
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
