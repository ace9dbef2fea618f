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

/// The file list once access is settled: selected (filter, shard) and sorted, checked against the pin,
/// with the run's locks held.
struct ListedDataset: Sendable {
    var remote: RemoteDataset
    let locks: [RunLock]
    let pin: FetchEngine.PinCheck
    /// The digest of the local SHA256SUMS.txt: the list file is rewritten only when the server's differs.
    let localListDigest: SHA256Digest?
}

/// What the plan decided against the inventory and the disk, with what the progress display estimates.
struct PlannedDownload: Sendable {
    var plan: LocalPlan
    /// Bytes the files of unknown size probably hold, from the project page's total.
    let estimatedUnknownBytes: Int64?
    /// The project page, when this run has read it (the citation reads the same page).
    let projectPage: String?
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
