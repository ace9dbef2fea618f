import Foundation

/// `physio fetch`: resolve the version, read the file list, check it against the pin, skip what is already
/// verified, download the rest in parallel with resume and verification, and keep the manifest current.
public struct FetchEngine: Sendable {
    public let transport: any HTTPTransport
    public let site: PhysioNetSite
    public let events: FetchEventSink
    public let progress: TransferProgress
    /// Explains refusals and renews expired sessions; `nil` for anonymous runs.
    public let advisor: (any FetchAccessAdvisor)?
    /// Stops the run in good order (the CLI feeds it SIGINT and SIGTERM).
    public let interruption: RunInterruption

    /// How often the manifest is checkpointed during a long run (after one filesystem sync).
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
        } catch let error as PhysioError where error.kind == "interrupted" {
            throw error
        } catch {
            // Whatever a cancelled step threw (a login cut short reads as a refusal), the signal is the answer.
            guard let signal = interruption.signal else { throw error }
            throw PhysioError.interrupted(signal: signal, slug: options.slug, version: options.version, verified: 0, partial: 0)
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
        let previous = try ManifestStore.load(location)
        // Access is settled before anything is written: a refused dataset leaves no trace on disk.
        let localList = Self.localList(location, previous: previous)
        var remote = try await loadRemote(urls: urls, client: client, options: options, cached: localList.cached)

        let lock = options.dryRun ? nil : try RunLock(at: location.lockFile)
        defer { withExtendedLifetime(lock) {} }
        let pinCheck = try checkPin(remote, options: options, version: version)
        remote.checksumList = nil  // checked; `files` carries what is still needed
        if !options.filter.includes.isEmpty || !options.filter.excludes.isEmpty {
            remote.files = remote.files.filter { options.filter.accepts($0.path) }
        }

        var summary = FetchSummary(
            slug: options.slug, version: version, root: location.root.path, datasetDirectory: location.datasetDirectory.path)
        summary.dryRun = options.dryRun
        summary.trustedServerOverPin = pinCheck.trusted

        var plan = try await LocalPlan.assess(remote.files, location: location, previous: previous)
        if plan.toDownload.contains(where: { $0.size == nil }) {
            await remote.learnSizes(urls: urls, client: client)
            plan.fillSizes(from: remote.files)
        }
        events.emit(.planned(
            files: remote.files.count, toDownload: plan.toDownload.count, bytesToDownload: plan.bytesToDownload,
            alreadyVerified: plan.alreadyVerified.count))

        if options.dryRun {
            summary.plan = plan.describe(location: location)
            summary.counts.verified = plan.alreadyVerified.count
            summary.counts.skipped = plan.alreadyVerified.count
            summary.seconds = Date().timeIntervalSince(started)
            return summary
        }

        var manifest = DatasetManifest(
            slug: options.slug, version: version, baseURL: site.description, layout: options.layout,
            checksumSource: remote.source, checksumListSHA256: remote.checksumText.map(SHA256Hasher.digest(of:)),
            matchesPin: pinCheck.matches, trustedServerOverPin: pinCheck.trusted, fetchedAt: Date(),
            files: plan.alreadyVerified)
        manifest.checksumListValidator = remote.checksumValidator
        // Records of files outside this run's filter survive untouched.
        manifest.files += previous?.files.filter { !options.filter.accepts($0.path) } ?? []

        let outcome = try await download(
            plan.toDownload, urls: urls, location: location, options: options, retrier: retrier, manifest: &manifest)
        if let text = remote.checksumText, !outcome.accessLost {
            // Upstream's folder holds SHA256SUMS.txt too, so `sha256sum -c` works in the dataset folder.
            if localList.digest != manifest.checksumListSHA256 {
                let listFile = location.datasetDirectory.appendingPathComponent("SHA256SUMS.txt")
                try await BlockingIO.run { () throws in try FileSystem.writeAtomically(Array(text.utf8), to: listFile) }
            }
        }
        // A no-op refresh rewrites nothing: same records, same list, nothing to sync.
        if let previous, plan.toDownload.isEmpty, plan.newlyVerified == 0, Self.sameProvenance(previous, manifest),
            previous.files.count == manifest.files.count
        {
            manifest = previous
        } else {
            manifest.fetchedAt = Date()
            manifest.files.sort { $0.path < $1.path }
            try await ManifestStore.save(manifest, to: location) {
                FileSystem.syncFilesystem(containing: location.stateDirectory)
            }
        }

        summary.counts.skipped = plan.alreadyVerified.count
        summary.counts.downloaded = outcome.stored
        for record in manifest.files where options.filter.accepts(record.path) {
            if record.state == .verified { summary.counts.verified += 1 }
            if record.state == .unverifiable { summary.counts.unverifiable += 1 }
        }
        summary.counts.failed = outcome.failures.count
        summary.failures = outcome.failures.map { FetchSummary.Failure(path: $0.path.value, reason: $0.failure.reason) }
            .sorted { $0.path < $1.path }
        summary.bytesTransferred = outcome.bytes
        summary.seconds = Date().timeIntervalSince(started)

        if let signal = outcome.interruptedBy {
            throw PhysioError.interrupted(
                signal: signal, slug: options.slug, version: version, verified: outcome.stored, partial: outcome.partial)
        }
        if outcome.accessLost {
            // Partial files stay for the next run to resume.
            throw outcome.renewedSession
                ? PhysioError.accessDenied(slug: options.slug, version: version, detail: "the server refused files even after a fresh login")
                : PhysioError.sessionExpired(slug: options.slug, version: version)
        }
        summary.exitCode = Self.exitCode(for: outcome.failures.map(\.failure), succeeded: summary.counts.verified + summary.counts.unverifiable).rawValue
        return summary
    }

    /// The latest published version of `slug`, from the redirect of its project page.
    public static func latestVersion(
        of slug: String, transport: any HTTPTransport, site: PhysioNetSite, retry: RetryPolicy = RetryPolicy()
    ) async throws -> String {
        let client = SiteClient(transport: transport, site: site, retrier: Retrier(policy: retry))
        return try await RemoteDataset.latestVersion(of: slug, client: client, site: site)
    }

    /// The file list, asking the advisor once when the server refuses it (PROTOCOL.md §13 steps 3-5).
    private func loadRemote(
        urls: DatasetURLs, client: SiteClient, options: FetchOptions, cached: RemoteDataset.CachedList?
    ) async throws -> RemoteDataset {
        do {
            return try await RemoteDataset.load(urls: urls, client: client, cached: cached)
        } catch is RemoteDataset.ListRefused {
            guard let advisor else {
                throw PhysioError.notLoggedIn(slug: urls.slug, version: urls.version)
            }
            guard try await advisor.explainRefusal(slug: urls.slug, version: urls.version) else {
                throw PhysioError.accessDenied(slug: urls.slug, version: urls.version, detail: "the server refused the file list")
            }
            do {
                return try await RemoteDataset.load(urls: urls, client: client)
            } catch is RemoteDataset.ListRefused {
                // Logged in now: the project page names what is still missing.
                _ = try await advisor.explainRefusal(slug: urls.slug, version: urls.version)
                throw PhysioError.accessDenied(slug: urls.slug, version: urls.version, detail: "the server still refused the file list after a fresh login")
            }
        }
    }

    /// Whether two manifests describe the same source: server, list, pin verdict and layout. With no file
    /// downloaded or newly hashed, their records are then the same too.
    static func sameProvenance(_ old: DatasetManifest, _ new: DatasetManifest) -> Bool {
        old.baseURL == new.baseURL && old.layout == new.layout && old.checksumSource == new.checksumSource
            && old.checksumListSHA256 == new.checksumListSHA256 && old.matchesPin == new.matchesPin
            && old.trustedServerOverPin == new.trustedServerOverPin && old.checksumListValidator == new.checksumListValidator
    }

    /// The local SHA256SUMS.txt, read and hashed once per run: its digest decides at the end whether the
    /// copy must be rewritten, and it serves as the cached list when it is byte for byte the list the last
    /// run used and the server gave a validator for it (so a damaged or edited copy is never trusted).
    static func localList(_ location: DatasetLocation, previous: DatasetManifest?)
        -> (digest: SHA256Digest?, cached: RemoteDataset.CachedList?)
    {
        guard let bytes = try? FileSystem.readAll(location.datasetDirectory.appendingPathComponent("SHA256SUMS.txt")) else {
            return (nil, nil)
        }
        let digest = SHA256Hasher.digest(of: bytes)
        guard let previous, let validator = previous.checksumListValidator, previous.checksumListSHA256 == digest else {
            return (digest, nil)
        }
        return (digest, RemoteDataset.CachedList(validator: validator, text: String(decoding: bytes, as: UTF8.self)))
    }

    static func exitCode(for failures: [FileFailure], succeeded: Int) -> PhysioExitCode {
        guard !failures.isEmpty else { return .success }
        if failures.contains(where: { if case .integrity = $0 { return true } else { return false } }) { return .integrity }
        if failures.contains(where: { if case .local = $0 { return true } else { return false } }) { return .localFilesystem }
        let allNetwork = failures.allSatisfy {
            switch $0 {
            case .network, .serverError: return true
            default: return false
            }
        }
        return succeeded == 0 && allNetwork ? .network : .partial
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
