import FoundationEssentials

/// What one `physio sync` did, per dataset: printed by `--json` and kept in `<root>/.physio/last-sync.json`
/// for monitoring (a check can alert on `exitCode`, on `finishedAt` growing old, or on `newerVersion`).
public struct SyncReport: Codable, Sendable, Equatable {
    public struct Dataset: Codable, Sendable, Equatable {
        public enum Status: String, Codable, Sendable {
            /// Every selected file verified, nothing needed.
            case current
            /// Every selected file verified after adding, replacing or removing some.
            case updated
            /// Some files failed; the rest are verified.
            case partial
            /// The dataset could not be synced (see `error`).
            case failed
            /// Not attempted: the sync stopped before it (credentials missing, interrupted).
            case skipped
        }

        public var slug: String
        /// As physio.toml asks: an exact version or `latest`.
        public var requested: String
        /// The version synced; `nil` when it could not be resolved.
        public var version: String?
        public var status: Status
        public var exitCode: PhysioExitCode
        public var added = 0
        public var changed = 0
        public var removed = 0
        public var unchanged = 0
        public var failed = 0
        public var bytes: Int64 = 0
        public var seconds: Double = 0
        /// A newer published version than the one synced, when the request pins one (or `--locked` does).
        public var newerVersion: String?
        /// For `latest`: the version it stood for at the last sync, when it moved on and that version is
        /// still under the root (an old version `physio prune --old-versions` removes).
        public var leftBehind: String?
        /// Where removed files went, when they were moved aside.
        public var removedTo: String?
        /// Of `changed`: files whose previous bytes (the ones physio verified) were kept, and where.
        public var previousKept = 0
        public var keptIn: String?
        /// Local copies that were not what physio verified, kept before the server's copy replaced them.
        public var localCopies: [FetchSummary.KeptFile] = []
        /// The one-line error, for a failed dataset.
        public var error: String?

        public init(slug: String, requested: String, version: String?, status: Status, exitCode: PhysioExitCode) {
            self.slug = slug
            self.requested = requested
            self.version = version
            self.status = status
            self.exitCode = exitCode
        }
    }

    public var file: String
    public var root: String
    public var startedAt: String
    public var finishedAt: String
    public var seconds: Double
    public var exitCode: PhysioExitCode
    /// Whether `--locked` held the run to physio.lock.
    public var locked: Bool
    public var datasets: [Dataset]
}
