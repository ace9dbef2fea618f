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

    private func fetch(_ options: FetchOptions) async throws -> FetchSummary {
        let started = Date()
        let retrier = Retrier(policy: options.retry, events: events)
        let client = SiteClient(transport: transport, site: site, retrier: retrier)
        let version: String
        if let pinned = options.version {
            version = pinned
        } else {
            version = try await RemoteDataset.latestVersion(of: options.slug, client: client, site: site)
        }
        events.emit(.resolvedVersion(slug: options.slug, version: version))

        let urls = site.files(slug: options.slug, version: version)
        let location = DatasetLocation(
            root: options.root, slug: options.slug, version: version, layout: options.layout,
            host: site.origin.host)
        // Read what is there without creating anything: a refused dataset or a dry run leaves no trace.
        let partFile = options.shard?.partFile(root: options.root, slug: options.slug, version: version)
        let existing = try await BlockingIO.run { () throws -> Inventory? in
            guard let partFile else { return try Inventory.existing(root: options.root) }
            return FileSystem.exists(partFile) ? try Inventory(at: partFile, exclusive: true) : nil
        }
        let previous = try await BlockingIO.run { () throws in try existing?.provenance(slug: options.slug, version: version) }
        // Access is settled before anything is written: a refused dataset leaves no trace on disk.
        let (localListDigest, cachedList) = Self.localList(location, previous: previous)
        var remote = try await loadRemote(urls: urls, client: client, options: options, cached: cachedList)
        if let expected = options.expectedListSHA256, remote.checksumDigest != expected {
            throw PhysioError.lockDrift(
                slug: options.slug, version: version, locked: expected.hex, server: remote.checksumDigest?.hex ?? "none (no SHA256SUMS.txt)",
                lockFile: DataLock.fileName)
        }

        // A shard shares the dataset's lock with the shards of its group and holds its own part's alone.
        let locks = try options.heldLocks
            ?? (options.dryRun ? [] : Self.takeLocks(location: location, shard: options.shard, selection: options.filter))
        defer { withExtendedLifetime(locks) {} }
        let pinCheck = try checkPin(remote, options: options, version: version)
        let listDigest = remote.checksumDigest
        let filter = options.filter
        if !filter.includes.isEmpty || !filter.excludes.isEmpty {
            remote.files = remote.files.filter(filter.accepts)
        }
        // Plans merge in path order; a shard's part is already sorted.
        remote.files = options.shard.map { $0.select(remote.files) } ?? remote.files.sorted()

        var summary = FetchSummary(
            slug: options.slug, version: version, root: location.root.path, datasetDirectory: location.datasetDirectory.path)
        summary.dryRun = options.dryRun
        summary.trustedServerOverPin = pinCheck.trusted
        summary.shard = options.shard?.description
        summary.listSHA256 = listDigest?.hex

        // Rows outside this run's selection survive untouched; a shard's part holds only its own files.
        let sharded = options.shard != nil
        let wholeSelection = options.selectionIsWhole
        let keepsRow: @Sendable (DatasetPath) -> Bool = { path in !sharded && !wholeSelection && !filter.accepts(path) }
        var plan = try await LocalPlan.assess(
            remote.files, location: location, inventory: existing, describing: options.dryRun, keepsRow: keepsRow)
        for known in plan.knownSizes { remote.files.setSize(known.index, known.size) }
        plan.knownSizes = []
        if plan.toDownload.contains(where: { remote.files.size(Int($0)) == nil }) {
            await remote.learnSizes(urls: urls, client: client)
        }
        let exactBytes = plan.bytesToDownload(remote.files)
        // Listings without sizes (the development server, folders beyond learnSizes' limit): the project page's
        // total, less every size known, is about what the rest holds. Only for a first run over the whole
        // list, which is what the page totals (files verified earlier may be among those of unknown size).
        var estimatedUnknownBytes: Int64?
        // Read at most once a run: the citation, recorded after a first fetch, reads the same page.
        var projectPage: String?
        if exactBytes == nil, filter.includes.isEmpty, filter.excludes.isEmpty, !sharded, plan.alreadyVerified == 0 {
            projectPage = await CitationLookup(client: client).projectPage(slug: options.slug, version: version)
            estimatedUnknownBytes = projectPage.flatMap {
                Self.estimatedUnknownBytes(of: remote.files, projectPage: $0, slug: options.slug, version: version)
            }
        }
        events.emit(.planned(
            files: remote.files.count, toDownload: plan.toDownload.count, bytesToDownload: exactBytes,
            estimatedBytesToDownload: estimatedUnknownBytes.map { $0 + plan.knownBytesToDownload(remote.files) },
            alreadyVerified: plan.alreadyVerified))

        if options.dryRun {
            if let sink = options.planSink {
                plan.describe(remote.files, sink)
                summary.plan = []
            } else {
                summary.plan = plan.describe(remote.files)
            }
            summary.counts.verified = plan.alreadyVerified
            summary.counts.skipped = plan.alreadyVerified
            summary.seconds = Date().timeIntervalSince(started)
            return summary
        }

        let inventory = try await BlockingIO.run { () throws -> Inventory in
            if let existing { return existing }
            guard let partFile else { return try Inventory.open(root: options.root) }
            return try Inventory(at: partFile, exclusive: true)
        }
        var provenance = DatasetProvenance(
            slug: options.slug, version: version, baseURL: site.description, layout: options.layout,
            checksumSource: remote.source, checksumListSHA256: listDigest,
            checksumListValidator: remote.checksumValidator, matchesPin: pinCheck.matches,
            trustedServerOverPin: pinCheck.trusted, fetchedAt: Date())

        let mirror = try await resolveMirror(options, version: version)
        var transfers = options
        if let mirror {
            summary.source = mirror.name
            transfers.concurrency = options.mirrorConcurrency
            transfers.maximumConnections = max(options.mirrorConcurrency, min(64, 2 * options.mirrorConcurrency))
            if let first = plan.toDownload.first { try await MirrorFetch.checkAccess(mirror, probe: remote.files.path(Int(first))) }
        }

        // The queue takes the candidates over: a run of 400,000 files holds them once.
        let candidates = plan.toDownload
        let downloading = !candidates.isEmpty
        plan.toDownload = []
        let (outcome, unrecorded) = try await download(
            candidates, partials: plan.partials, from: remote.files, estimatedUnknownBytes: estimatedUnknownBytes, urls: urls,
            location: location, options: transfers, retrier: retrier, inventory: inventory, provenance: provenance, mirror: mirror)
        if let bytes = remote.checksumBytes, localListDigest != listDigest, !outcome.accessLost {
            // Upstream's folder holds SHA256SUMS.txt too, so `sha256sum -c` works in the dataset folder.
            let listFile = location.datasetDirectory.appendingPathComponent("SHA256SUMS.txt")
            try await BlockingIO.run { () throws in try FileSystem.writeAtomically(bytes, to: listFile) }
        }
        if !plan.stale.isEmpty && !outcome.accessLost {
            let stale = plan.stale
            let disposed = try await BlockingIO.run { () throws in
                try StaleFiles.dispose(stale, location: location, policy: options.staleFiles)
            }
            summary.removed = disposed.map(\.value)
            summary.counts.removed = disposed.count
            if case .moveAside(let folder) = options.staleFiles, !disposed.isEmpty { summary.removedTo = folder.path }
        }
        // A no-op refresh writes nothing: same rows, same list, nothing to sync.
        let unchanged = !downloading && plan.hashed.isEmpty && plan.stale.isEmpty
            && previous.map { provenance.sameSource(as: $0) } == true
        if !unchanged {
            provenance.fetchedAt = Date()
            try await Self.checkpoint(
                Inventory.Change(
                    slug: options.slug, version: version, provenance: .replace(provenance),
                    records: plan.hashed + unrecorded, removed: plan.stale),
                into: inventory, location: location)
        }

        if options.shard == nil && !outcome.accessLost && outcome.interruptedBy == nil {
            await Self.recordCitation(slug: options.slug, version: version, client: client, inventory: inventory, projectPage: projectPage)
        }

        summary.counts.skipped = plan.alreadyVerified
        summary.counts.downloaded = outcome.stored
        summary.counts.verified = plan.keptVerified + plan.hashed.count + outcome.storedVerified
        summary.counts.unverifiable = plan.keptUnverifiable + outcome.stored - outcome.storedVerified
        summary.counts.failed = outcome.failures.count
        if !plan.replaced.isEmpty {
            let failed = Set(outcome.failures.map(\.path))
            summary.counts.changed = plan.replaced.lazy.filter { !failed.contains(remote.files.path(Int($0))) }.count
        }
        summary.failures = outcome.failures.map { FetchSummary.Failure(path: $0.path.value, reason: $0.failure.reason) }
            .sorted { $0.path < $1.path }
        summary.bytesTransferred = outcome.bytes
        summary.filesBySource = outcome.filesBySource
        summary.diverged = outcome.diverged.sorted { $0.path < $1.path }
        summary.seconds = Date().timeIntervalSince(started)

        if let signal = outcome.interruptedBy {
            throw PhysioError.interrupted(
                signal: signal, slug: options.slug, version: version, verified: outcome.stored, partial: outcome.partial,
                rerun: options.rerunCommand?(version))
        }
        if outcome.accessLost {
            // Partial files stay for the next run to resume.
            throw outcome.renewedSession
                ? PhysioError.accessDenied(slug: options.slug, version: version, detail: "the server refused files even after a fresh login")
                : PhysioError.sessionExpired(slug: options.slug, version: version)
        }
        summary.exitCode = Self.exitCode(for: outcome.failures.map(\.failure), succeeded: summary.counts.verified + summary.counts.unverifiable)
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
    static func estimatedUnknownBytes(of files: FileList, projectPage html: String, slug: String, version: String) -> Int64? {
        guard let total = (try? ProjectPage(html: html, project: ProjectVersionRef(slug: slug, version: version)))?.totalUncompressedSize
        else { return nil }
        var known: Int64 = 0
        for index in files.indices { known += files.size(index) ?? 0 }
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
        urls: DatasetURLs, client: SiteClient, options: FetchOptions, cached: RemoteDataset.CachedList?
    ) async throws -> RemoteDataset {
        do {
            return try await RemoteDataset.load(urls: urls, client: client, cached: cached, connections: options.listConnections)
        } catch is RemoteDataset.ListRefused {
            guard let advisor else {
                throw PhysioError.notLoggedIn(slug: urls.slug, version: urls.version)
            }
            guard try await advisor.explainRefusal(slug: urls.slug, version: urls.version) else {
                throw PhysioError.accessDenied(slug: urls.slug, version: urls.version, detail: "the server refused the file list")
            }
            do {
                return try await RemoteDataset.load(urls: urls, client: client, connections: options.listConnections)
            } catch is RemoteDataset.ListRefused {
                // Logged in now: the project page names what is still missing.
                _ = try await advisor.explainRefusal(slug: urls.slug, version: urls.version)
                throw PhysioError.accessDenied(slug: urls.slug, version: urls.version, detail: "the server still refused the file list after a fresh login")
            }
        }
    }

    /// The local SHA256SUMS.txt, read and hashed once per run: its digest decides at the end whether the
    /// copy must be rewritten, and it serves as the cached list when it is byte for byte the list the last
    /// run used and the server gave a validator for it (so a damaged or edited copy is never trusted).
    static func localList(_ location: DatasetLocation, previous: DatasetProvenance?)
        -> (digest: SHA256Digest?, cached: RemoteDataset.CachedList?)
    {
        guard let bytes = try? FileSystem.readAll(location.datasetDirectory.appendingPathComponent("SHA256SUMS.txt")) else {
            return (nil, nil)
        }
        let digest = SHA256Hasher.digest(of: bytes)
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

    private struct PinCheck {
        var matches: Bool?
        var trusted: Bool
    }

    private func checkPin(_ remote: RemoteDataset, options: FetchOptions, version: String) throws -> PinCheck {
        guard let pinned = PinnedChecksums.list(slug: options.slug, version: version) else {
            return PinCheck(matches: nil, trusted: false)
        }
        guard let list = remote.checksumList else {
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
