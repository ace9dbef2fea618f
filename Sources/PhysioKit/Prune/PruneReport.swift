import FoundationEssentials

/// What `physio prune` removes (or, in a dry run, would remove): entries of `.physio/removed/` older than
/// the age, and with `--old-versions` the old versions of datasets (`OldVersions`). Printed by `--json`.
public struct PruneReport: Codable, Sendable, Equatable {
    /// An old version of a dataset: a newer one is recorded in the root and physio.toml does not declare it.
    public struct OldVersion: Codable, Sendable, Equatable {
        public var slug: String
        public var version: String
        /// The newest version of the dataset under the root.
        public var newerVersion: String
        public var datasetDirectory: String
        /// Recorded files present as physio verified them, and their bytes: what removing the version deletes.
        public var files: Int
        public var bytes: Int64
        /// Recorded files whose stat facts changed since physio verified them (edited, say): never deleted,
        /// but moved to `.physio/removed/<day>/<slug>/<version>.modified/`.
        public var changed: [String]
    }

    /// Everything `.physio/removed/` holds.
    public struct Totals: Codable, Sendable, Equatable {
        public var entries = 0
        public var files = 0
        public var bytes: Int64 = 0
        /// The day of its oldest entry.
        public var oldestDay: String?
    }

    public var root: String
    public var dryRun: Bool
    public var olderThan: String
    /// What the removed area holds once the run is over (a dry run: now).
    public var removedArea = Totals()
    /// Its entries older than `olderThan`.
    public var removedEntries: [RemovedArea.Entry] = []
    /// Every old version found; removed only when `includesOldVersions`.
    public var oldVersions: [OldVersion] = []
    public var includesOldVersions = false
    /// Files and bytes removed (or that would be).
    public var files = 0
    public var bytes: Int64 = 0
    /// Files of removed old versions that were not what physio verified, moved aside rather than deleted.
    public var localCopies: [FetchSummary.KeptFile] = []
    /// Dataset folders of removed old versions that stay, holding what physio did not record (left alone).
    public var leftInPlace: [String] = []
    /// Old versions passed over because their folder resolves outside the data root (through a link).
    public var outsideRoot: [String] = []

    public init(root: String, dryRun: Bool, olderThan: String) {
        self.root = root
        self.dryRun = dryRun
        self.olderThan = olderThan
    }

    /// Removes nothing at all.
    public var isEmpty: Bool { removedEntries.isEmpty && (!includesOldVersions || oldVersions.isEmpty) }

    /// `slug@version` of every dataset whose lock a removal must hold: each old version removed, and each
    /// version an entry of the removed area belongs to (a fetch of it may be putting files there).
    var lockedVersions: [String] {
        var names = Set(removedEntries.map { "\($0.slug)@\($0.version)" })
        if includesOldVersions { names.formUnion(oldVersions.map { "\($0.slug)@\($0.version)" }) }
        return names.sorted()
    }
}
