import FoundationEssentials

/// `physio sync`: brings a data root to what `physio.toml` declares, one dataset after another, each through
/// the same `FetchEngine` as `physio fetch` (so a dataset with nothing new costs one conditional request for
/// its list and a stat per file), then records the result in `physio.lock` and `.physio/last-sync.json`.
///
/// Unattended by construction: the advisor logs in only from the environment, netrc or a saved session
/// unless the caller allows a prompt; a dataset that needs credentials nobody gave stops the sync at once.
public struct SyncEngine: Sendable {
    public struct Options: Sendable {
        /// Hold every dataset to physio.lock: same version, same list, or fail.
        public var locked = false
        /// Delete files the list no longer names instead of moving them aside.
        public var prune = false
        /// Connections this process may open (its share of the machine-wide budget).
        public var connections = ConnectionPlan.physioNetLimit
        /// The environment's knobs (retry backoff, split probe), as for `fetch`.
        public var context = RunContext(environment: [:])
        /// What mirror sources need (environment, billing project, transport settings).
        public var mirrorContext: CloudMirror.Context?
        /// The retry rule; `nil`: the context's (`RunContext.retryPolicy`), as for `fetch`.
        public var retry: RetryPolicy?
        /// Sync only the datasets of these slugs (`sync --only`); the others keep their physio.lock entries.
        public var only: Set<String>?
        /// The sync as typed: what an interrupted dataset names to resume (a fetch would miss the others,
        /// the selection and the root).
        public var rerunCommand: PrintedCommand?
        /// The run's options for reaching its server, for the other commands its errors name.
        public var server = ServerArguments()

        public init() {}
    }

    /// Fetches each dataset: its transport, site, events, advisor and interruption serve the whole sync.
    public let engine: FetchEngine
    /// One line per finished dataset, for people (the CLI prints them on stderr).
    public let say: @Sendable (String) -> Void

    public init(engine: FetchEngine, say: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.say = say
    }

    /// The whole-sync lock of a root: one sync at a time, whatever datasets it names.
    public static func lockFile(root: URL) -> URL {
        root.appendingPathComponent(".physio/locks/sync.lock", isDirectory: false)
    }

    public static func lastSyncFile(root: URL) -> URL {
        root.appendingPathComponent(".physio/last-sync.json", isDirectory: false)
    }

    /// Syncs every dataset of `environment`. The caller holds the whole-sync lock.
    public func run(_ environment: DataEnvironment, options: Options) async throws -> SyncReport {
        let started = Date()
        let previousLock = try Self.previousLock(of: environment, locked: options.locked)
        var lock = (previousLock ?? DataLock()).keeping(environment.datasets)
        var latest = LatestVersions(transport: engine.transport, site: engine.site, retry: options.retry ?? options.context.retryPolicy)
        var results: [SyncReport.Dataset] = []
        var stopped = false

        for declared in environment.datasets where options.only?.contains(declared.slug) ?? true {
            var result = SyncReport.Dataset(
                slug: declared.slug, requested: declared.version.description, version: nil, status: .skipped, exitCode: .success)
            if stopped {
                results.append(result)
                continue
            }
            let began = Date()
            do {
                let target = try await resolve(declared, lock: options.locked ? previousLock : nil, latest: &latest)
                result.version = target.version
                result.newerVersion = target.newer
                let summary = try await engine.run(
                    Self.fetchOptions(declared, version: target.version, expectedList: target.expectedList, root: environment.root, options: options))
                result.apply(summary)
                // "latest" moved on: the version it stood for stays, said here and marked old by `physio list`.
                if declared.version == .latest, let before = previousLock?.entry(slug: declared.slug, requested: "latest")?.version,
                    before != target.version,
                    try await BlockingIO.run({ () throws in try Inventory.existing(root: environment.root)?.provenance(slug: declared.slug, version: before) }) != nil
                {
                    result.leftBehind = before
                }
                if summary.exitCode == .success, let digest = summary.listSHA256 {
                    let totals = try await BlockingIO.run { () throws in
                        try Inventory.existing(root: environment.root)?.summary(slug: declared.slug, version: target.version)
                    }
                    lock = lock.updating(DataLock.Entry(
                        slug: declared.slug, requested: declared.version.description, version: target.version,
                        listSHA256: digest, include: declared.include, exclude: declared.exclude,
                        files: totals?.files ?? 0, bytes: totals?.bytes ?? 0,
                        source: engine.site.files(slug: declared.slug, version: target.version).filesRoot.absoluteString,
                        syncedAt: ISODate.format(Date())))
                }
            } catch let error as PhysioError {
                result.status = .failed
                result.exitCode = error.exitCode
                result.error = error.message
                // No credentials, or rejected ones: asking again for the next dataset would only repeat it,
                // and an interrupted sync stops where it is.
                if [.notLoggedIn, .interrupted, .terminated].contains(error.exitCode) { stopped = true }
            }
            result.seconds = Date().timeIntervalSince(began)
            say(Self.describe(result, root: environment.root))
            results.append(result)
        }

        if !options.locked {
            try await BlockingIO.run { [lock] () throws in try lock.write(beside: environment.file) }
        }
        let report = SyncReport(
            file: environment.file.path, root: environment.root.path, startedAt: ISODate.format(started),
            finishedAt: ISODate.format(Date()), seconds: Date().timeIntervalSince(started),
            exitCode: PhysioExitCode.mostSevere(results.map(\.exitCode)), locked: options.locked, datasets: results)
        try await BlockingIO.run { () throws in try Self.keep(report, root: environment.root) }
        return report
    }

    /// physio.lock as the last sync left it; `--locked` without one is a mistake.
    static func previousLock(of environment: DataEnvironment, locked: Bool) throws(PhysioError) -> DataLock? {
        let previous = try DataLock.load(beside: environment.file)
        if locked && previous == nil {
            throw .usage("--locked needs \(DataLock.fileName) beside \(environment.file.path); run `physio sync` once without --locked to write it.")
        }
        return previous
    }

    /// The version to sync, the list it must have under `--locked`, and a newer version when one exists.
    struct Target {
        var version: String
        var expectedList: SHA256Digest?
        var newer: String?
    }

    func resolve(_ declared: DataEnvironment.Dataset, lock: DataLock?, latest: inout LatestVersions) async throws -> Target {
        if let lock {
            guard let entry = lock.entry(slug: declared.slug, requested: declared.version.description) else {
                throw PhysioError.lockMissingEntry(slug: declared.slug, requested: declared.version.description, lockFile: DataLock.fileName)
            }
            guard let digest = SHA256Digest(hex: entry.listSHA256) else {
                throw PhysioError.configuration(
                    path: DataLock.fileName, line: 1, problem: "the list-sha256 of \(declared.slug) is not a SHA-256",
                    fix: "Restore the file from version control, or run `physio sync` without --locked.")
            }
            if let pinned = declared.version.pinned, pinned != entry.version {
                throw PhysioError.lockedVersionChange(slug: declared.slug, locked: entry.version, wanted: pinned, lockFile: DataLock.fileName)
            }
            return Target(version: entry.version, expectedList: digest, newer: await latest.newer(than: entry.version, of: declared.slug))
        }
        guard let pinned = declared.version.pinned else {
            return Target(version: try await latest.version(of: declared.slug), expectedList: nil, newer: nil)
        }
        return Target(version: pinned, expectedList: nil, newer: await latest.newer(than: pinned, of: declared.slug))
    }

    /// One declared dataset's fetch: the options `fetch` derives, plus what only a sync asks (the lock's list,
    /// the selection as the whole of what the root holds, stale files moved aside or pruned).
    static func fetchOptions(
        _ declared: DataEnvironment.Dataset, version: String, expectedList: SHA256Digest?, root: URL, options: Options
    ) -> FetchOptions {
        var fetch = FetchOptions(
            slug: declared.slug, version: version, root: root, layout: declared.layout, filter: declared.filter,
            plan: ConnectionPlan(jobs: declared.jobs, source: declared.source), granted: options.connections,
            context: options.context)
        fetch.expectedListSHA256 = expectedList
        if let retry = options.retry { fetch.retry = retry }
        fetch.source = declared.source
        fetch.mirrorContext = options.mirrorContext
        fetch.selectionIsWhole = true
        fetch.server = options.server
        if let rerun = options.rerunCommand { fetch.rerunCommand = { _ in rerun } }
        fetch.staleFiles = options.prune
            ? .delete : .moveAside(to: StaleFiles.removedFolder(root: root, slug: declared.slug, version: version))
        // --prune deletes what the server took back; a local copy that is not what physio verified is kept anyway.
        fetch.keepsReplacedFiles = !options.prune
        return fetch
    }

    /// `.physio/last-sync.json`, replaced atomically so a monitor never reads half a report.
    static func keep(_ report: SyncReport, root: URL) throws(PhysioError) {
        guard let data = try? PhysioJSON.encoder().encode(report) else { throw .internalFailure("the sync report could not be encoded") }
        try FileSystem.writeAtomically(Array(data) + [0x0A], to: lastSyncFile(root: root))
    }

    /// The line a finished dataset gets (and, after it, a newer version it does not follow, or the version
    /// "latest" left behind, with the prune that lists it when the `root` is given).
    public static func describe(_ result: SyncReport.Dataset, root: URL? = nil) -> String {
        let name = "\(result.slug) \(result.version ?? result.requested)"
        var line: String
        switch result.status {
        case .current:
            line = "\(name): current (\(result.unchanged) files unchanged)"
        case .updated, .partial:
            var parts: [String] = []
            if result.added > 0 { parts.append("\(result.added) added") }
            if result.changed > 0 {
                parts.append("\(result.changed) changed" + (result.keptIn.map { " (previous bytes kept in \($0))" } ?? ""))
            }
            if !result.localCopies.isEmpty {
                parts.append("\(result.localCopies.count) local cop\(result.localCopies.count == 1 ? "y" : "ies") kept")
            }
            if result.removed > 0 {
                parts.append("\(result.removed) removed" + (result.removedTo.map { " (moved to \($0))" } ?? " (deleted)"))
            }
            if result.failed > 0 { parts.append("\(result.failed) failed") }
            parts.append("\(result.unchanged) unchanged")
            line = "\(name): " + parts.joined(separator: ", ")
        case .failed:
            line = "\(name): failed: \(result.error ?? "exit \(result.exitCode.rawValue)")"
        case .skipped:
            line = "\(name): skipped (the sync stopped before it)"
        }
        if let newer = result.newerVersion {
            line += "\n\(result.slug) \(newer) is available; this root pins \(result.version ?? result.requested)"
                + " (a credentialed dataset's agreement is signed per version: change physio.toml to move)"
        }
        if let old = result.leftBehind {
            line += "\n\(result.slug) \(old), which \"latest\" stood for before, stays under the root"
            if let root { line += ": `\(PrintedCommand.physio(["prune", "--dest", root.path, "--old-versions"]))` lists it for removal" }
        }
        return line
    }
}

extension SyncReport.Dataset {
    mutating func apply(_ summary: FetchSummary) {
        exitCode = summary.exitCode
        changed = summary.counts.changed
        added = summary.counts.downloaded - summary.counts.changed
        removed = summary.counts.removed
        removedTo = summary.removedTo
        previousKept = summary.counts.previousKept
        keptIn = summary.keptIn
        localCopies = summary.localCopies
        unchanged = summary.counts.skipped
        failed = summary.counts.failed
        bytes = summary.bytesTransferred
        if summary.exitCode != .success {
            status = summary.counts.failed > 0 ? .partial : .failed
            if status == .failed { error = summary.failures.first.map { "\($0.path): \($0.reason)" } }
        } else {
            status = added + changed + removed == 0 ? .current : .updated
        }
    }
}

/// Each project's latest version, asked of the server once per run.
struct LatestVersions {
    let transport: any HTTPTransport
    let site: PhysioNetSite
    let retry: RetryPolicy
    private var known: [String: String] = [:]

    init(transport: any HTTPTransport, site: PhysioNetSite, retry: RetryPolicy) {
        self.transport = transport
        self.site = site
        self.retry = retry
    }

    mutating func version(of slug: String) async throws -> String {
        if let version = known[slug] { return version }
        let version = try await FetchEngine.latestVersion(of: slug, transport: transport, site: site, retry: retry)
        known[slug] = version
        return version
    }

    /// The latest version when it is newer than `version`. Only news: a server that cannot say does not
    /// stop the sync of a pinned version.
    mutating func newer(than version: String, of slug: String) async -> String? {
        guard let newest = try? await self.version(of: slug) else { return nil }
        return DatasetSlug.isVersion(newest, newerThan: version) ? newest : nil
    }
}
