import FoundationEssentials

/// The outcome of one fetch: printed as text, or as one JSON object with `--json`.
public struct FetchSummary: Codable, Sendable {
    public struct Counts: Codable, Sendable, Equatable {
        /// Files whose SHA-256 matches the list, whether downloaded now or already present.
        public var verified = 0
        /// Files transferred in this run.
        public var downloaded = 0
        /// Files already verified locally that needed no transfer.
        public var skipped = 0
        public var unverifiable = 0
        public var failed = 0
        /// Of `downloaded`: files that replaced a different local copy (the server changed them, or the copy
        /// was changed locally).
        public var changed = 0
        /// Of `changed`: files whose previous bytes, the ones physio had verified, were kept in `keptIn`.
        public var previousKept = 0
        /// Files recorded before that the list or the selection no longer names: moved aside or deleted.
        public var removed = 0
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// A local copy that was not what physio verified, kept under `.physio/removed/` when the server's
    /// copy replaced it or its file was deleted.
    public struct KeptFile: Codable, Sendable, Equatable {
        public enum Cause: String, Codable, Sendable {
            /// Its bytes changed after physio verified it (edited in place, say).
            case changedSinceVerified
            /// physio has no record of verifying these bytes: no row (a file put there by hand), or a failed
            /// one (the last attempt at the file failed, and the row no longer says what the file holds).
            case unrecorded
        }

        /// What would have cost the local copy.
        public enum Action: String, Codable, Sendable {
            /// The server's copy replaced it.
            case replaced
            /// Its file was deleted: no longer listed (`sync --prune`), or its version pruned.
            case deleted
        }

        public var path: String
        public var keptAt: String
        public var cause: Cause
        public var action: Action

        public init(path: String, keptAt: String, cause: Cause, action: Action = .replaced) {
            self.path = path
            self.keptAt = keptAt
            self.cause = cause
            self.action = action
        }
    }

    public struct PlannedFile: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64?
        public var bytesPresent: Int64
        public var action: String
    }

    public var slug: String
    public var version: String
    public var root: String
    public var datasetDirectory: String
    public var counts = Counts()
    public var bytesTransferred: Int64 = 0
    public var seconds: Double = 0
    public var exitCode: PhysioExitCode = .success
    public var failures: [Failure] = []
    public var dryRun = false
    /// With `--dry-run`: what would be fetched.
    public var plan: [PlannedFile]?
    public var trustedServerOverPin = false
    /// `I/N` when this run covered one shard of the list.
    public var shard: String?
    /// SHA-256 of the server's SHA256SUMS.txt for this version, when it has one.
    public var listSHA256: String?
    /// Where removed files went (`physio sync`), when some were moved aside.
    public var removedTo: String?
    /// The paths of removed files.
    public var removed: [String] = []
    /// Where the previous bytes of replaced files went (`counts.previousKept`), when some were kept.
    public var keptIn: String?
    /// Local copies that were not what physio verified, each kept before the server's copy replaced it.
    public var localCopies: [KeptFile] = []
    /// Where the bytes came from: `physionet` or the mirror's name (`aws-open`, `s3://…`, `gs://…`).
    public var source = "physionet"
    /// Files transferred in this run, by source.
    public var filesBySource: [String: Int] = [:]
    /// Files the mirror lacked or served differently from PhysioNet's list.
    public var diverged: [MirrorDivergence] = []
}
