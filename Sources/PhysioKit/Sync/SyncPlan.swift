import FoundationEssentials

/// What `physio sync --dry-run` found a sync would do, per dataset of physio.toml: the files it would fetch
/// (new to the root), replace (the server changed them, or the local bytes differ from what was verified),
/// and remove (recorded, but no longer named by the list or the selection: moved under
/// `.physio/removed/<date>/`, or deleted with `--prune`), and how many would stay. Made from the plan a
/// fetch makes (`FetchOptions.dryRun`), so it cannot disagree with what the sync then does; nothing is
/// written to make it.
public struct SyncPlan: Codable, Sendable, Equatable {
    /// Some files and their bytes: for `fetch` and `replace`, what would be transferred (less what partial
    /// files already hold); for `remove` and `keep`, what the files hold on disk.
    public struct Tally: Codable, Sendable, Equatable {
        public var files = 0
        public var bytes: Int64 = 0
        /// Of `files`, those whose size neither the list nor a listing gives: their bytes are not in `bytes`.
        public var filesOfUnknownSize = 0

        public init() {}

        mutating func add(_ file: FetchSummary.PlannedFile) {
            files += 1
            if let size = file.size { bytes += max(0, size - (isTransfer(file) ? file.bytesPresent : 0)) } else { filesOfUnknownSize += 1 }
        }

        private func isTransfer(_ file: FetchSummary.PlannedFile) -> Bool {
            ["download", "resume", "replace"].contains(file.action)
        }

        static func + (left: Tally, right: Tally) -> Tally {
            var sum = left
            sum.files += right.files
            sum.bytes += right.bytes
            sum.filesOfUnknownSize += right.filesOfUnknownSize
            return sum
        }
    }

    /// One file a sync would change; files it would keep are only counted.
    public struct File: Codable, Sendable, Equatable {
        public var slug: String
        public var version: String
        public var path: String
        /// `download` (new), `resume` (new, with a partial file), `replace`, `move aside` or `delete`.
        public var action: String
        public var size: Int64?
        /// Bytes a partial file already holds (`resume`, `replace`), or the file's size (`move aside`, `delete`).
        public var bytesPresent: Int64
    }

    public struct Dataset: Codable, Sendable, Equatable {
        public var slug: String
        /// As physio.toml asks: an exact version or `latest`.
        public var requested: String
        /// The version a sync would bring; `nil` when it could not be resolved.
        public var version: String?
        /// For `latest`: the version physio.lock holds when the latest has moved past it (its files stay).
        public var lockedVersion: String?
        /// A newer published version than a pinned one, which a sync reports and does not fetch.
        public var newerVersion: String?
        public var fetch = Tally()
        public var replace = Tally()
        public var remove = Tally()
        public var keep = Tally()
        /// Where removed files would go; `nil` when `--prune` would delete them.
        public var removeTo: String?
        /// What a sync of this dataset would exit with, as far as planning can tell (the plan's own failure,
        /// such as a refused list or `--locked` drift).
        public var exitCode: PhysioExitCode = .success
        /// Why the dataset could not be planned, or was not (the dry run stopped before it).
        public var error: String?

        public init(slug: String, requested: String) {
            self.slug = slug
            self.requested = requested
        }

        /// Counts `file` under its action.
        mutating func add(_ file: FetchSummary.PlannedFile) {
            switch file.action {
            case "download", "resume": fetch.add(file)
            case "replace": replace.add(file)
            case "move aside", "delete": remove.add(file)
            default: keep.add(file)
            }
        }

        /// Whether a sync would change nothing here.
        public var isCurrent: Bool { error == nil && fetch.files + replace.files + remove.files == 0 }
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var fetch = Tally()
        public var replace = Tally()
        public var remove = Tally()
        public var keep = Tally()
    }

    public var file: String
    public var root: String
    /// Always true: tells this document from a `SyncReport` (`--json` of a real sync).
    public var dryRun = true
    public var locked: Bool
    public var prune: Bool
    public var exitCode: PhysioExitCode
    public var datasets: [Dataset]
    public var totals: Totals
    /// Every file a sync would change, dataset by dataset in path order, then the files it would remove.
    /// Empty when the plan was streamed as it was made (`physio sync --dry-run --json` splices it in).
    public var plan: [File] = []

    init(file: String, root: String, locked: Bool, prune: Bool, datasets: [Dataset]) {
        self.file = file
        self.root = root
        self.locked = locked
        self.prune = prune
        self.datasets = datasets
        exitCode = PhysioExitCode.mostSevere(datasets.map(\.exitCode))
        totals = datasets.reduce(into: Totals()) { totals, dataset in
            totals.fetch = totals.fetch + dataset.fetch
            totals.replace = totals.replace + dataset.replace
            totals.remove = totals.remove + dataset.remove
            totals.keep = totals.keep + dataset.keep
        }
    }

    /// What a dry run reports as it goes: each file a sync would change, then each dataset once planned.
    public enum Event: Sendable {
        case file(File)
        case planned(Dataset)
    }
}
