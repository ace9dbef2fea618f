import FoundationEssentials
import Synchronization

extension SyncEngine {
    /// `physio sync --dry-run`: what `run` would do to each dataset, from the same fetch plan
    /// (`FetchOptions.dryRun`) with the sync's options (the lock's list under `--locked`, the selection as the
    /// whole of the root, stale files moved aside or pruned), and nothing written: no download, no
    /// inventory, no file moved, no physio.lock, no last-sync.json. The caller takes no sync lock for it, so
    /// a fresh root stays without a `.physio/` folder.
    ///
    /// `events` hears each file a sync would change as it is planned (so 400,000 new files are never held),
    /// then each dataset's tallies; the returned plan has the datasets and totals, and an empty `plan`.
    public func dryRun(
        _ environment: DataEnvironment, options: Options, events: @escaping @Sendable (SyncPlan.Event) -> Void
    ) async throws -> SyncPlan {
        let previousLock = try Self.previousLock(of: environment, locked: options.locked)
        var latest = LatestVersions(transport: engine.transport, site: engine.site, retry: options.retry ?? options.context.retryPolicy)
        var datasets: [SyncPlan.Dataset] = []
        var stopped = false

        for declared in environment.datasets where options.only?.contains(declared.slug) ?? true {
            var planned = SyncPlan.Dataset(slug: declared.slug, requested: declared.version.description)
            if stopped {
                planned.error = "not planned: the dry run stopped before it"
                events(.planned(planned))
                datasets.append(planned)
                continue
            }
            do {
                let target = try await resolve(declared, lock: options.locked ? previousLock : nil, latest: &latest)
                planned.version = target.version
                planned.newerVersion = target.newer
                if declared.version.pinned == nil,
                    let held = previousLock?.entry(slug: declared.slug, requested: declared.version.description)?.version,
                    held != target.version
                {
                    planned.lockedVersion = held
                }
                var fetch = Self.fetchOptions(
                    declared, version: target.version, expectedList: target.expectedList, root: environment.root, options: options)
                fetch.dryRun = true
                if case .moveAside(let folder) = fetch.staleFiles { planned.removeTo = folder.path }
                let tallies = PlanTallies(planned)
                let slug = declared.slug
                let version = target.version
                fetch.planSink = { file in
                    tallies.add(file)
                    guard !file.action.hasPrefix("keep") else { return }
                    events(.file(SyncPlan.File(
                        slug: slug, version: version, path: file.path, action: file.action, size: file.size, bytesPresent: file.bytesPresent)))
                }
                _ = try await engine.run(fetch)
                planned = tallies.dataset
            } catch let error as PhysioError {
                planned.exitCode = error.exitCode
                planned.error = error.message
                // As `run` stops: no credentials, or an interruption.
                if [.notLoggedIn, .interrupted, .terminated].contains(error.exitCode) { stopped = true }
            }
            events(.planned(planned))
            datasets.append(planned)
        }
        return SyncPlan(
            file: environment.file.path, root: environment.root.path, locked: options.locked, prune: options.prune, datasets: datasets)
    }
}

/// One dataset's tallies, counted as the fetch plan streams (from whichever thread makes it).
private final class PlanTallies: Sendable {
    private let state: Mutex<SyncPlan.Dataset>

    init(_ dataset: SyncPlan.Dataset) {
        state = Mutex(dataset)
    }

    func add(_ file: FetchSummary.PlannedFile) {
        state.withLock { $0.add(file) }
    }

    var dataset: SyncPlan.Dataset { state.withLock { $0 } }
}
