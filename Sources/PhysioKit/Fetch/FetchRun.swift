import FoundationEssentials

/// What the stages of one fetch share (`FetchEngine.fetch`): what was asked, the version resolved, where it
/// goes, how the site is asked, and the inventory as found, before anything is written.
struct FetchRun: Sendable {
    let options: FetchOptions
    let started: Date
    /// The run's one retry rule and budget, for the list, the listings, the files and their ranges.
    let retrier: Retrier
    let client: SiteClient
    let version: String
    let urls: DatasetURLs
    let location: DatasetLocation
    /// A shard's own inventory part; `nil`: the root's inventory.
    let partFile: URL?
    /// The inventory, when there is one already; nothing is created before access is settled.
    let existing: Inventory?
    /// What the inventory recorded of this version.
    let previous: DatasetProvenance?

    /// Today's `<day>/<slug>/<version>` in the removed area: where a sync moves the files the list no longer
    /// names, and where the previous bytes of files the server replaced go (`PreviousCopies`).
    var removedFolder: URL {
        if case .moveAside(let folder) = options.staleFiles { return folder }
        return RemovedArea.versionFolder(root: location.root, slug: location.slug, version: version, now: started)
    }
}

/// The file list once access is settled: checked against the pin, with the run's locks held, and how it is
/// cut into the windows the run plans and downloads one at a time (`ListSelection`).
struct ListedDataset: Sendable {
    let remote: RemoteDataset
    let selection: ListSelection
    let locks: [RunLock]
    let pin: FetchEngine.PinCheck
    /// The digest of the local SHA256SUMS.txt: the list file is rewritten only when the server's differs.
    let localListDigest: SHA256Digest?
}

/// One window of the list as planned: where its lines are, and what the plan decided for its files.
struct PlannedWindow: Sendable {
    let place: ListWindowPlace
    /// The window's files, kept when the list is one window (their sizes may have come from the listings);
    /// a window of a longer list is read again when its downloads start.
    var files: FileList?
    var plan: LocalPlan
    /// Every file of the window is to be fetched (a first fetch): its plan then holds no list of them, which
    /// would cost 4 bytes a file of the whole dataset until the download.
    var queuesEveryFile = false
}

/// What the plan decided against the inventory and the disk, window by window, with the totals the
/// progress display and the summary show.
struct PlannedDownload: Sendable {
    /// The windows the list was planned in (`ListSelection`), which the download reads again.
    let selection: ListSelection
    var windows: [PlannedWindow] = []
    /// Files the selection names, in every window.
    var selectedFiles = 0
    /// Files to transfer, and of those the ones of unknown size, and the bytes the others still need.
    var filesToDownload = 0
    var filesOfUnknownSize = 0
    var knownBytesToDownload: Int64 = 0
    /// Bytes the sizes known of every selected file add up to (the project page's total less this is
    /// what the files of unknown size probably hold).
    var knownListBytes: Int64 = 0
    /// The first file queued (a mirror's access is probed with it).
    var firstQueued: DatasetPath?
    /// Bytes the files of unknown size probably hold, from the project page's total.
    var estimatedUnknownBytes: Int64?
    /// The project page, when this run has read it (the citation reads the same page).
    var projectPage: String?
    /// A dry run's files, in path order, when no `planSink` took them.
    var describedPlan: [FetchSummary.PlannedFile] = []

    /// The exact bytes to transfer, when every queued file's size is known.
    var bytesToDownload: Int64? { filesOfUnknownSize == 0 ? knownBytesToDownload : nil }
    var keptVerified: Int { windows.reduce(0) { $0 + $1.plan.keptVerified } }
    var keptUnverifiable: Int { windows.reduce(0) { $0 + $1.plan.keptUnverifiable } }
    var alreadyVerified: Int { windows.reduce(0) { $0 + $1.plan.alreadyVerified } }
    var hashed: [FileRecord] { windows.flatMap(\.plan.hashed) }
    var stale: [DatasetPath] { windows.flatMap(\.plan.stale) }
    /// For each of `stale`, the stat facts its row recorded (`LocalPlan.staleIdentities`).
    var staleIdentities: [FileIdentity?] { windows.flatMap(\.plan.staleIdentities) }
    var replaced: Int { windows.reduce(0) { $0 + $1.plan.replaced.count } }
}

/// What the download stage left: the inventory written to, the provenance recorded, the transfers' outcome,
/// and the records no checkpoint wrote yet.
struct DownloadedFiles: Sendable {
    let inventory: Inventory
    var provenance: DatasetProvenance
    let outcome: FetchEngine.DownloadRunOutcome
    let unrecorded: [FileRecord]
    let downloading: Bool
    let source: String?
}
