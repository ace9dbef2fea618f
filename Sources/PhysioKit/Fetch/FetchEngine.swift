import FoundationEssentials

/// `physio fetch`: resolve the version, read the file list, check it against the pin, skip what is already
/// verified, download the rest in parallel with resume and verification, and keep the inventory current.
public struct FetchEngine: Sendable {
    public let transport: any HTTPTransport
    public let site: PhysioNetSite
    public let events: FetchEventSink
    public let progress: TransferProgress
    /// Explains refusals and renews expired sessions; `nil` for anonymous runs.
    public let advisor: (any FetchAccessAdvisor)?
    /// Stops the run in good order (the CLI feeds it SIGINT and SIGTERM).
    public let interruption: RunInterruption

    /// How often new records are checkpointed into the inventory during a long run (after one filesystem sync).
    var checkpointInterval: TimeInterval { 5 }

    public init(
        transport: any HTTPTransport, site: PhysioNetSite, events: FetchEventSink = .ignore,
        progress: TransferProgress = TransferProgress(), advisor: (any FetchAccessAdvisor)? = nil,
        interruption: RunInterruption = RunInterruption()
    ) {
        self.interruption = interruption
        self.transport = transport
        self.site = site
        self.events = events
        self.progress = progress
        self.advisor = advisor
    }

    /// Runs the fetch. An interruption cancels whatever is in progress: before the downloads that leaves
    /// nothing behind; during them, the engine records what was verified and keeps partial files (see
    /// `download`), then throws `PhysioError.interrupted`.
    public func run(_ options: FetchOptions) async throws -> FetchSummary {
        let work = Task { try await fetch(options) }
        interruption.onInterrupt { work.cancel() }
        do {
            return try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
        } catch let error as PhysioError where error.kind == .interrupted {
            throw error
        } catch {
            // Whatever a cancelled step threw (a login cut short reads as a refusal), the signal is the answer.
            guard let signal = interruption.signal else { throw error }
            throw PhysioError.interrupted(
                signal: signal, slug: options.slug, version: options.version, verified: 0, partial: 0,
                rerun: options.rerunCommand?(options.version))
        }
    }

    /// One fetch in named stages; `FetchRun` holds what they share. Nothing is written before `list` has
    /// settled access, and a dry run ends after `plan`.
    private func fetch(_ options: FetchOptions) async throws -> FetchSummary {
        let run = try await resolve(options)
        let listed = try await list(run)
        var planned = try await plan(run, listed)
        if options.dryRun { return dryRunSummary(run, listed, planned) }
        let downloaded = try await download(run, listed, &planned)
        return try await finish(run, listed, planned, downloaded)
    }

    /// Resolve: the version (`@latest` through the server), where it goes, and what the inventory holds of
    /// it, read without creating anything.
    private func resolve(_ options: FetchOptions) async throws -> FetchRun {
        let retrier = Retrier(policy: options.retry, events: events)
        let client = SiteClient(transport: transport, site: site, retrier: retrier)
        let version: String
        if let pinned = options.version {
            version = pinned
        } else {
            version = try await RemoteDataset.latestVersion(of: options.slug, client: client, site: site)
        }
        events.emit(.resolvedVersion(slug: options.slug, version: version))
        let location = DatasetLocation(
            root: options.root, slug: options.slug, version: version, layout: options.layout, host: site.origin.host)
        let partFile = options.shard?.partFile(root: options.root, slug: options.slug, version: version)
        let existing = try await BlockingIO.run { () throws -> Inventory? in
            guard let partFile else { return try Inventory.existing(root: options.root) }
            return FileSystem.exists(partFile) ? try Inventory(at: partFile, exclusive: true) : nil
        }
        let previous = try await BlockingIO.run { () throws in try existing?.provenance(slug: options.slug, version: version) }
        return FetchRun(
            options: options, started: Date(), retrier: retrier, client: client, version: version,
            urls: site.files(slug: options.slug, version: version), location: location, partFile: partFile,
            existing: existing, previous: previous)
    }

    /// List: the file list (conditional on the local copy), access settled through the advisor, the list
    /// held to `physio.lock` and to the pin, the run's locks taken, the windows and the selection settled.
    private func list(_ run: FetchRun) async throws -> ListedDataset {
        let options = run.options
        let (localListDigest, cachedList) = try await Self.localList(
            run.location, previous: run.previous, inMemoryLimit: options.listWindowBytes)
        // A long list is spooled beside the data (or, for a dry run, which writes nothing there, in the
        // temporary folder); the spool has no name once open.
        let spoolDirectory = options.dryRun ? options.temporaryDirectory : run.location.stateDirectory.path
        let remote = try await loadRemote(
            urls: run.urls, client: run.client, options: options, cached: cachedList, spoolDirectory: spoolDirectory)
        if let expected = options.expectedListSHA256, remote.checksumDigest != expected {
            throw PhysioError.lockDrift(
                slug: options.slug, version: run.version, locked: expected.hex,
                server: remote.checksumDigest?.hex ?? "none (no SHA256SUMS.txt)", lockFile: DataLock.fileName)
        }
        let selection = try await BlockingIO.run { () throws in
            try ListSelection(
                remote.files, filter: options.filter, shard: options.shard, maxBytes: options.listWindowBytes,
                checkOrderFirst: options.dryRun && options.planSink != nil)
        }
        // A shard shares the dataset's lock with the shards of its group and holds its own part's alone.
        let location = run.location
        let locks = try options.heldLocks
            ?? (options.dryRun ? [] : Self.takeLocks(location: location, shard: options.shard, selection: options.filter))
        let pin = try checkPin(remote, options: options, version: run.version)
        return ListedDataset(remote: remote, selection: selection, locks: locks, pin: pin, localListDigest: localListDigest)
    }

    /// Plan: each window of the list merged with the inventory and the disk (`LocalPlan`), sizes learnt
    /// from the listings where a list of one window has none, and the totals the progress display shows. A
    /// dry run hands each window's files to its sink as the window is planned.
    private func plan(_ run: FetchRun, _ listed: ListedDataset) async throws -> PlannedDownload {
        let options = run.options
        let filter = options.filter
        let sharded = options.shard != nil
        var planned: PlannedDownload
        if let windowed = try await planWindows(run, listed.selection) {
            planned = windowed
        } else {
            // A window out of path order: the whole list again, as one window (nothing was written).
            let whole = try await BlockingIO.run { () throws in try listed.selection.asOneWindow() }
            guard let once = try await planWindows(run, whole) else { throw PhysioError.internalFailure("one window out of order") }
            planned = once
        }
        // Listings without sizes (the development server, folders beyond learnSizes' limit): the project page's
        // total, less every size known, is about what the rest holds. Only for a first run over the whole
        // list, which is what the page totals (files verified earlier may be among those of unknown size).
        if planned.bytesToDownload == nil, filter.includes.isEmpty, filter.excludes.isEmpty, !sharded, planned.alreadyVerified == 0 {
            // Read at most once a run: the citation, recorded after a first fetch, reads the same page.
            let page = await CitationLookup(client: run.client).projectPage(slug: options.slug, version: run.version)
            let known = planned.knownListBytes
            planned.projectPage = page
            planned.estimatedUnknownBytes = page.flatMap {
                Self.estimatedUnknownBytes(knownBytes: known, projectPage: $0, slug: options.slug, version: run.version)
            }
        }
        events.emit(.planned(
            files: planned.selectedFiles, toDownload: planned.filesToDownload, bytesToDownload: planned.bytesToDownload,
            estimatedBytesToDownload: planned.estimatedUnknownBytes.map { $0 + planned.knownBytesToDownload },
            alreadyVerified: planned.alreadyVerified))
        return planned
    }

    /// The windows of `selection`, each planned in turn; `nil` when a window turns out not to follow the one
    /// before in path order.
    private func planWindows(_ run: FetchRun, _ selection: ListSelection) async throws -> PlannedDownload? {
        let options = run.options
        let filter = options.filter
        // Rows outside this run's selection survive untouched; a shard's part holds only its own files.
        let sharded = options.shard != nil
        let wholeSelection = options.selectionIsWhole
        let keepsRow: @Sendable (DatasetPath) -> Bool = { path in !sharded && !wholeSelection && !filter.accepts(path) }
        var planned = PlannedDownload(selection: selection)
        var cursor = selection.windows()
        var rowsAfter: DatasetPath?
        while true {
            // Read and parsed off the cooperative pool; the cursor comes back advanced.
            let (next, advanced) = try await BlockingIO.run { [cursor] () throws in
                var cursor = cursor
                return (try cursor.next(), cursor)
            }
            cursor = advanced
            guard let window = next else { break }
            var files = window.files
            var plan = try await LocalPlan.assess(
                files, location: run.location, inventory: run.existing, describing: options.dryRun,
                rows: (rowsAfter, window.lastPath), keepsRow: keepsRow)
            rowsAfter = window.lastPath
            for known in plan.knownSizes { files.setSize(known.index, known.size) }
            if selection.isOneWindow, plan.toDownload.contains(where: { files.size(Int($0)) == nil }) {
                await RemoteDataset.learnSizes(of: &files, urls: run.urls, client: run.client)
            }
            planned.selectedFiles += files.count
            planned.filesToDownload += plan.toDownload.count
            planned.filesOfUnknownSize += plan.toDownload.count { files.size(Int($0)) == nil }
            planned.knownBytesToDownload += plan.knownBytesToDownload(files)
            if planned.firstQueued == nil, let first = plan.toDownload.first { planned.firstQueued = files.path(Int(first)) }
            for index in files.indices { planned.knownListBytes += files.size(index) ?? 0 }
            if options.dryRun {
                if let sink = options.planSink { plan.describe(files, sink) } else { planned.describedPlan += plan.describe(files) }
                // Described: a dry run downloads nothing, so the window keeps only its counts.
                plan.kept = []
                plan.knownSizes = []
            }
            let queuesEveryFile = !plan.toDownload.isEmpty && plan.toDownload.count == files.count
            if queuesEveryFile { plan.toDownload = [] }
            planned.windows.append(PlannedWindow(
                place: window.place, files: selection.isOneWindow ? files : nil, plan: plan, queuesEveryFile: queuesEveryFile))
        }
        return cursor.outOfOrder ? nil : planned
    }

    /// A dry run's summary: the plan as described while planning (or streamed to `planSink`), then the stale
    /// files the run would move aside or delete (`physio sync`).
    private func dryRunSummary(_ run: FetchRun, _ listed: ListedDataset, _ planned: PlannedDownload) -> FetchSummary {
        var summary = Self.summary(run, listed)
        var plan = planned.describedPlan
        for window in planned.windows {
            window.plan.describeStale(location: run.location, policy: run.options.staleFiles) { file in
                if let sink = run.options.planSink { sink(file) } else { plan.append(file) }
            }
        }
        summary.plan = plan
        summary.counts.verified = planned.alreadyVerified
        summary.counts.skipped = planned.alreadyVerified
        summary.seconds = Date().timeIntervalSince(run.started)
        return summary
    }

    /// Download: the inventory opened (created if need be), the mirror settled, and every planned file
    /// brought to the verified state by the workers (`FetchEngine+Download.swift`).
    private func download(_ run: FetchRun, _ listed: ListedDataset, _ planned: inout PlannedDownload) async throws -> DownloadedFiles {
        let options = run.options
        let partFile = run.partFile
        let existing = run.existing
        let inventory = try await BlockingIO.run { () throws -> Inventory in
            if let existing { return existing }
            guard let partFile else { return try Inventory.open(root: options.root) }
            return try Inventory(at: partFile, exclusive: true)
        }
        let remote = listed.remote
        let provenance = DatasetProvenance(
            slug: options.slug, version: run.version, baseURL: site.description, layout: options.layout,
            checksumSource: remote.source, checksumListSHA256: remote.checksumDigest,
            checksumListValidator: remote.checksumValidator, matchesPin: listed.pin.matches,
            trustedServerOverPin: listed.pin.trusted, fetchedAt: Date())
        let mirror = try await resolveMirror(options, version: run.version)
        var transfers = options
        if let mirror {
            transfers.concurrency = options.mirrorConcurrency
            transfers.maximumConnections = max(options.mirrorConcurrency, min(64, 2 * options.mirrorConcurrency))
            if let first = planned.firstQueued { try await MirrorFetch.checkAccess(mirror, probe: first) }
        }
        // The queue takes each window's candidates over: a run of 400,000 files holds them once.
        let downloading = planned.filesToDownload > 0
        let queue = DownloadQueue(planned: &planned, keepsReplaced: options.keepsReplacedFiles)
        let (outcome, unrecorded) = try await download(
            queue, planned: planned, run: run, transfers: transfers, inventory: inventory, provenance: provenance, mirror: mirror)
        return DownloadedFiles(
            inventory: inventory, provenance: provenance, outcome: outcome, unrecorded: unrecorded,
            downloading: downloading, source: mirror?.name)
    }

    /// Finish: the list file beside the data, stale files disposed of, the last checkpoint, the citation,
    /// and the summary; an interruption or a lost session ends here as its error.
    private func finish(
        _ run: FetchRun, _ listed: ListedDataset, _ planned: PlannedDownload, _ downloaded: DownloadedFiles
    ) async throws -> FetchSummary {
        let options = run.options
        let location = run.location
        let outcome = downloaded.outcome
        var summary = Self.summary(run, listed)
        if let source = downloaded.source { summary.source = source }
        let listDigest = listed.remote.checksumDigest
        if let bytes = listed.remote.checksumBytes, listed.localListDigest != listDigest, !outcome.accessLost {
            // Upstream's folder holds SHA256SUMS.txt too, so `sha256sum -c` works in the dataset folder.
            let listFile = location.datasetDirectory.appendingPathComponent("SHA256SUMS.txt")
            try await BlockingIO.run { () throws in try bytes.write(to: listFile) }
        }
        let stale = planned.stale
        let hashed = planned.hashed
        var localCopies = outcome.localCopies
        if !stale.isEmpty && !outcome.accessLost {
            let identities = planned.staleIdentities
            let modifiedFolder = RemovedArea.modifiedFolder(besides: run.removedFolder)
            let (disposed, kept) = try await BlockingIO.run { () throws in
                try StaleFiles.dispose(
                    stale, identities: identities, location: location, policy: options.staleFiles, modifiedFolder: modifiedFolder)
            }
            for file in kept { events.emit(.keptLocalCopy(file)) }
            localCopies = (localCopies + kept).sorted { $0.path < $1.path }
            summary.removed = disposed.map(\.value)
            summary.counts.removed = disposed.count
            if case .moveAside(let folder) = options.staleFiles, !disposed.isEmpty { summary.removedTo = folder.path }
        }
        // A no-op refresh writes nothing: same rows, same list, nothing to sync.
        var provenance = downloaded.provenance
        let unchanged = !downloaded.downloading && hashed.isEmpty && stale.isEmpty
            && run.previous.map { provenance.sameSource(as: $0) } == true
        if !unchanged {
            provenance.fetchedAt = Date()
            try await Self.checkpoint(
                Inventory.Change(
                    slug: options.slug, version: run.version, provenance: .replace(provenance),
                    records: hashed + downloaded.unrecorded, removed: stale),
                into: downloaded.inventory, location: location)
        }
        if options.shard == nil && !outcome.accessLost && outcome.interruptedBy == nil {
            await Self.recordCitation(
                slug: options.slug, version: run.version, client: run.client, inventory: downloaded.inventory,
                projectPage: planned.projectPage)
        }

        summary.counts.skipped = planned.alreadyVerified
        summary.counts.downloaded = outcome.stored
        summary.counts.verified = planned.keptVerified + hashed.count + outcome.storedVerified
        summary.counts.unverifiable = planned.keptUnverifiable + outcome.stored - outcome.storedVerified
        summary.counts.failed = outcome.failures.count
        summary.counts.changed = planned.replaced - outcome.failedReplacements
        summary.failures = outcome.failures.map { FetchSummary.Failure(path: $0.path.value, reason: $0.failure.reason) }
            .sorted { $0.path < $1.path }
        summary.counts.previousKept = outcome.previousKept
        if outcome.previousKept > 0 { summary.keptIn = run.removedFolder.path }
        summary.localCopies = localCopies
        summary.bytesTransferred = outcome.bytes
        summary.filesBySource = outcome.filesBySource
        summary.diverged = outcome.diverged.sorted { $0.path < $1.path }
        summary.seconds = Date().timeIntervalSince(run.started)

        if let signal = outcome.interruptedBy {
            throw PhysioError.interrupted(
                signal: signal, slug: options.slug, version: run.version, verified: outcome.stored, partial: outcome.partial,
                rerun: options.rerunCommand?(run.version))
        }
        if outcome.accessLost {
            // Partial files stay for the next run to resume.
            throw outcome.renewedSession
                ? PhysioError.accessDenied(
                    slug: options.slug, version: run.version, detail: "the server refused files even after a fresh login", server: options.server)
                : PhysioError.sessionExpired(slug: options.slug, version: run.version, server: options.server)
        }
        summary.exitCode = Self.exitCode(for: outcome.failures.map(\.failure), succeeded: summary.counts.verified + summary.counts.unverifiable)
        return summary
    }

    /// The summary's heading: what was fetched, where, from which list.
    private static func summary(_ run: FetchRun, _ listed: ListedDataset) -> FetchSummary {
        var summary = FetchSummary(
            slug: run.options.slug, version: run.version, root: run.location.root.path,
            datasetDirectory: run.location.datasetDirectory.path)
        summary.dryRun = run.options.dryRun
        summary.trustedServerOverPin = listed.pin.trusted
        summary.shard = run.options.shard?.description
        summary.listSHA256 = listed.remote.checksumDigest?.hex
        return summary
    }

    /// The mirror the run takes bytes from: `nil` for PhysioNet; for `auto`, the open-data bucket when it
    /// carries this version.
    private func resolveMirror(_ options: FetchOptions, version: String) async throws -> CloudMirror? {
        guard options.source != .physionet else { return nil }
        guard let context = options.mirrorContext else { throw PhysioError.internalFailure("a mirror source without its context") }
        if options.source == .auto {
            let found = await MirrorFetch.probeOpenData(slug: options.slug, version: version, context: context)
            events.emit(.warning(found == nil
                ? "--source auto: \(options.slug) \(version) is not in the open-data bucket; fetching from PhysioNet"
                : "--source auto: fetching \(options.slug) \(version) from the open-data bucket (aws-open), verified against PhysioNet's list"))
            return found
        }
        // Off the cooperative pool: resolving may read a credentials file or run the token command.
        let source = options.source
        let slug = options.slug
        return try await BlockingIO.run { () throws in try CloudMirror.resolve(source, slug: slug, version: version, context: context) }
    }

    /// The project page's "Total uncompressed size" less the sizes the list already knows: about what its
    /// files of unknown size hold. `nil` when the page cannot be read or states no total.
    static func estimatedUnknownBytes(knownBytes known: Int64, projectPage html: String, slug: String, version: String) -> Int64? {
        guard let total = (try? ProjectPage(html: html, project: ProjectVersionRef(slug: slug, version: version)))?.totalUncompressedSize
        else { return nil }
        return max(0, total - known)
    }

    /// Reads and records how to cite the version the first time it is fetched, so `physio cite` works
    /// offline. Only a courtesy: a page that cannot be read leaves the fetch as it was.
    /// `projectPage`: the page's HTML when this run has read it already.
    static func recordCitation(slug: String, version: String, client: SiteClient, inventory: Inventory, projectPage: String? = nil) async {
        guard (try? await BlockingIO.run({ () throws in try inventory.citation(slug: slug, version: version) })) == .some(nil),
            let citation = try? await CitationLookup(client: client).citation(slug: slug, version: version, projectPage: projectPage)
        else { return }
        _ = try? await BlockingIO.run { () throws in try inventory.record(citation) }
    }

    /// The latest published version of `slug`, from the redirect of its project page.
    public static func latestVersion(
        of slug: String, transport: any HTTPTransport, site: PhysioNetSite, retry: RetryPolicy = RetryPolicy()
    ) async throws -> String {
        let client = SiteClient(transport: transport, site: site, retrier: Retrier(policy: retry))
        return try await RemoteDataset.latestVersion(of: slug, client: client, site: site)
    }

    /// The file list, asking the advisor once when the server refuses it (docs/protocol.md §3).
    private func loadRemote(
        urls: DatasetURLs, client: SiteClient, options: FetchOptions, cached: RemoteDataset.CachedList?, spoolDirectory: String
    ) async throws -> RemoteDataset {
        do {
            return try await RemoteDataset.load(
                urls: urls, client: client, cached: cached, connections: options.listConnections, spoolDirectory: spoolDirectory,
                spoolAbove: options.listWindowBytes)
        } catch is RemoteDataset.ListRefused {
            guard let advisor else {
                throw PhysioError.notLoggedIn(slug: urls.slug, version: urls.version, server: options.server)
            }
            guard try await advisor.explainRefusal(slug: urls.slug, version: urls.version) else {
                throw PhysioError.accessDenied(
                    slug: urls.slug, version: urls.version, detail: "the server refused the file list", server: options.server)
            }
            do {
                return try await RemoteDataset.load(
                    urls: urls, client: client, connections: options.listConnections, spoolDirectory: spoolDirectory,
                    spoolAbove: options.listWindowBytes)
            } catch is RemoteDataset.ListRefused {
                // Logged in now: the project page names what is still missing.
                _ = try await advisor.explainRefusal(slug: urls.slug, version: urls.version)
                throw PhysioError.accessDenied(
                    slug: urls.slug, version: urls.version, detail: "the server still refused the file list after a fresh login",
                    server: options.server)
            }
        }
    }

    /// The local SHA256SUMS.txt, hashed once per run: its digest decides at the end whether the copy must
    /// be rewritten, and it serves as the cached list when it is byte for byte the list the last run used
    /// and the server gave a validator for it (so a damaged or edited copy is never trusted). A long one is
    /// read from the file as the run needs it, not held.
    static func localList(_ location: DatasetLocation, previous: DatasetProvenance?, inMemoryLimit: Int) async throws
        -> (digest: SHA256Digest?, cached: RemoteDataset.CachedList?)
    {
        let path = location.datasetDirectory.appendingPathComponent("SHA256SUMS.txt").path
        guard let (bytes, digest) = await BlockingIO.run({ () -> (ListBytes, SHA256Digest)? in
            guard let bytes = try? ListBytes.reading(path: path, inMemoryLimit: inMemoryLimit), let digest = try? bytes.digest() else { return nil }
            return (bytes, digest)
        }) else { return (nil, nil) }
        guard let previous, let validator = previous.checksumListValidator, previous.checksumListSHA256 == digest else {
            return (digest, nil)
        }
        return (digest, RemoteDataset.CachedList(validator: validator, bytes: bytes, digest: digest))
    }

    /// A run's exit code from its failed files: a run where nothing succeeded and every failure was the
    /// network's is a network failure; otherwise each failure weighs by its own code (`mostSevere`).
    static func exitCode(for failures: [FileFailure], succeeded: Int) -> PhysioExitCode {
        guard !failures.isEmpty else { return .success }
        if succeeded == 0 && failures.allSatisfy({ $0.exitCode == .network }) { return .network }
        return PhysioExitCode.mostSevere(failures.map { $0.exitCode == .network ? .partial : $0.exitCode })
    }

    struct PinCheck: Sendable {
        var matches: Bool?
        var trusted: Bool
    }

    private func checkPin(_ remote: RemoteDataset, options: FetchOptions, version: String) throws -> PinCheck {
        guard let pinned = PinnedChecksums.list(slug: options.slug, version: version) else {
            return PinCheck(matches: nil, trusted: false)
        }
        guard let list = try remote.checksumList() else {
            if options.trustServer { return PinCheck(matches: false, trusted: true) }
            throw PhysioError.pinDrift(slug: options.slug, version: version, differences: ["the server publishes no SHA256SUMS.txt"])
        }
        let differences = list.differences(from: pinned)
        if differences.isEmpty { return PinCheck(matches: true, trusted: false) }
        if options.trustServer {
            events.emit(.warning("the server's SHA256SUMS.txt differs from the pinned copy in \(differences.count) entries; trusting the server as asked"))
            return PinCheck(matches: false, trusted: true)
        }
        throw PhysioError.pinDrift(slug: options.slug, version: version, differences: differences)
    }
}
