import FoundationEssentials

/// Everything `physio fetch` was asked to do.
public struct FetchOptions: Sendable {
    public var slug: String
    /// `nil`: the latest version, resolved from the server.
    public var version: String?
    public var root: URL
    public var layout: DatasetLocation.Layout
    public var filter: PathFilter
    public var concurrency: Int
    /// Connections to the host at most. Beyond one per file, spare ones split large files into ranges;
    /// equal to `concurrency`, nothing is split.
    public var maximumConnections: Int
    public var dryRun: Bool
    public var trustServer: Bool
    public var retry: RetryPolicy
    /// This process's part of the list when several cover it together; it then records into its own
    /// inventory part (`Shard.partFile`), never the root's inventory.
    public var shard: Shard?
    /// With `dryRun`: receives each planned file in path order instead of `FetchSummary.plan` holding them
    /// (which then stays empty), so printing the plan of 400,000 files needs no memory for it.
    public var planSink: (@Sendable (FetchSummary.PlannedFile) -> Void)?
    /// The SHA-256 the version's SHA256SUMS.txt must have (`physio sync --locked`): any other list stops
    /// the run before anything is written.
    public var expectedListSHA256: SHA256Digest?
    /// What happens to files the inventory holds but the list (or the selection) no longer names.
    public var staleFiles: StaleFilePolicy = .forget
    /// Whether the previous bytes of a verified file the server changed are kept under
    /// `.physio/removed/` when the new ones replace them (`PreviousCopies`); `sync --prune` says no. Local
    /// copies that are not what physio verified are kept whatever this says.
    public var keepsReplacedFiles = true
    /// Connections a large SHA256SUMS.txt may be read over (PhysioNet throttles each one); the run's share
    /// of the connection budget, at most 8.
    public var listConnections = 4
    /// How long a large file that starts before the run has measured any rate streams alone before its own
    /// rate decides whether the rest is split (`FetchEngine.downloadProbing`); `PHYSIO_SPLIT_PROBE_SECONDS`.
    public var splitProbeSeconds: Double = 5
    /// Where file bytes come from; the list and hashes always come from PhysioNet.
    public var source: MirrorSource = .physionet
    /// What resolving a mirror needs (environment, billing project, transport settings); required with a
    /// `source` other than `physionet`.
    public var mirrorContext: CloudMirror.Context?
    /// With a mirror: a diverged file fails instead of coming from PhysioNet.
    public var noFallback = false
    /// With a mirror: at most this many PhysioNet transfers at once (the run's share of the connection budget).
    public var fallbackConcurrency = 4
    /// With a mirror: transfers at once (mirrors do not throttle per connection), replacing `concurrency`
    /// once the mirror is settled (so `auto` that lands on PhysioNet keeps PhysioNet's).
    public var mirrorConcurrency = 16
    /// The selection is all this root should hold of the dataset (`physio sync`): recorded files outside it
    /// are stale too. Otherwise (`physio fetch --include`) they stay as they are.
    public var selectionIsWhole = false
    /// The command that resumes this run, given the version it resolved, with the run's own options
    /// (`--dest`, `--base-url`, the selection…), for the line an interrupted run prints.
    public var rerunCommand: (@Sendable (_ version: String?) -> PrintedCommand)?
    /// Where a dry run spools a long file list (`ListBytes`); `TMPDIR` by way of the run context.
    public var temporaryDirectory = "/tmp"
    /// The most of the file list a run parses and plans at once (`ListSelection`): a longer list is planned
    /// and downloaded a window at a time. Tests make it small to cut a small list into many windows.
    var listWindowBytes = ListBytes.inMemoryLimit
    /// The run's options for reaching its server, for the other commands its errors name (`physio login`,
    /// `physio status`).
    public var server = ServerArguments()
    /// Dataset locks the caller already holds for this run (`FetchEngine.takeLocks`, taken before waiting
    /// for connections, so a second run of the same dataset exits 10 at once); `nil`: the engine takes them.
    public var heldLocks: [RunLock]?

    /// Files recorded in the inventory that the list no longer names.
    public enum StaleFilePolicy: Sendable, Equatable {
        /// Drop their rows and leave the files (`physio fetch`).
        case forget
        /// Move them under this folder, keeping their paths (`physio sync`): nothing is deleted silently.
        case moveAside(to: URL)
        /// Delete them (`physio sync --prune`).
        case delete
    }

    /// The one derivation of a run's options for `fetch`, `sync` and shards alike: the dataset and selection,
    /// concurrency from `plan` and the connections the machine-wide budget `granted`, and every knob of the
    /// environment from `context` (the retry backoff, the split probe).
    public init(
        slug: String, version: String?, root: URL, layout: DatasetLocation.Layout, filter: PathFilter, plan: ConnectionPlan,
        granted: Int, context: RunContext
    ) {
        self.init(slug: slug, version: version, root: root, layout: layout, filter: filter, retry: context.retryPolicy)
        plan.apply(granted: granted, to: &self)
        splitProbeSeconds = context.splitProbeSeconds
        temporaryDirectory = context.temporaryDirectory
    }

    public init(
        slug: String, version: String? = nil, root: URL, layout: DatasetLocation.Layout = .physio,
        filter: PathFilter = PathFilter(), concurrency: Int = 4, maximumConnections: Int? = nil, dryRun: Bool = false,
        trustServer: Bool = false,
        retry: RetryPolicy = RetryPolicy(), shard: Shard? = nil
    ) {
        self.shard = shard
        self.slug = slug
        self.version = version
        self.root = root
        self.layout = layout
        self.filter = filter
        self.concurrency = concurrency
        self.maximumConnections = max(concurrency, maximumConnections ?? min(8, 2 * concurrency))
        self.dryRun = dryRun
        self.trustServer = trustServer
        self.retry = retry
    }
}

