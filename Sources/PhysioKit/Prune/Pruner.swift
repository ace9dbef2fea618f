import FoundationEssentials

/// `physio prune`: removes what a data root keeps only so that nothing is lost silently. Entries of
/// `.physio/removed/` older than an age (by their day folder, `PruneAge`), and with `oldVersions` the old
/// versions of datasets (`OldVersions`), their files, partial downloads and inventory rows.
///
/// `plan` only reads; `prune` takes the root's sync lock and the lock of every dataset version it touches
/// (a fetch or sync of it exits 10 meanwhile, as a prune does while one runs), plans again under them and
/// removes. It never deletes outside the root (nothing reached through a link is followed, and an old
/// version whose folder resolves elsewhere is left), nor a file physio did not record: a recorded file that
/// changed since physio verified it is moved to `.physio/removed/<day>/<slug>/<version>.modified/`, and
/// files the inventory does not name stay in the dataset folder.
public struct Pruner: Sendable {
    public var root: URL
    public var olderThan: PruneAge
    public var oldVersions: Bool
    public var context: RunContext

    public init(root: URL, olderThan: PruneAge, oldVersions: Bool, context: RunContext) {
        self.root = root.standardizedFileURL
        self.olderThan = olderThan
        self.oldVersions = oldVersions
        self.context = context
    }

    /// What a prune would remove now; changes nothing.
    public func plan(now: Date = Date()) throws(PhysioError) -> PruneReport {
        var report = PruneReport(root: root.path, dryRun: true, olderThan: olderThan.description)
        report.includesOldVersions = oldVersions
        let area = RemovedArea.folder(root: root)
        if FileSystem.isDirectory(area) {
            guard FileSystem.resolves(area.path, inside: root.path) else {
                throw .filesystem(path: area.path, detail: "it resolves outside the data root; prune removes nothing there")
            }
            let entries = RemovedArea.entries(root: root)
            report.removedArea = Self.totals(entries)
            report.removedEntries = entries.filter { olderThan.covers(day: $0.day, now: now) }
        }
        if let inventory = try Inventory.existing(root: root) {
            let datasets = try inventory.allProvenance()
            // Only a removal must know for sure what physio.toml declares; listing old versions can pass a broken file over.
            let old = OldVersions.find(in: datasets, declared: try DeclaredVersions.find(root: root, context: context, strict: oldVersions))
            for dataset in datasets {
                guard let newer = old["\(dataset.slug)@\(dataset.version)"] else { continue }
                let location = dataset.location(root: root)
                if FileSystem.exists(location.datasetDirectory) && !FileSystem.resolves(location.datasetPath, inside: root.path) {
                    report.outsideRoot.append(location.datasetPath)
                    continue
                }
                report.oldVersions.append(try Self.survey(dataset, location: location, newer: newer, inventory: inventory))
            }
        }
        report.files = report.removedEntries.reduce(0) { $0 + $1.files }
        report.bytes = report.removedEntries.reduce(0) { $0 + $1.bytes }
        if oldVersions {
            report.files += report.oldVersions.reduce(0) { $0 + $1.files }
            report.bytes += report.oldVersions.reduce(0) { $0 + $1.bytes }
        }
        return report
    }

    static func totals(_ entries: [RemovedArea.Entry]) -> PruneReport.Totals {
        PruneReport.Totals(
            entries: entries.count, files: entries.reduce(0) { $0 + $1.files }, bytes: entries.reduce(0) { $0 + $1.bytes },
            oldestDay: entries.first?.day)
    }

    /// An old version's files as they are on disk: those physio verified (to delete) and those changed since.
    static func survey(_ dataset: DatasetProvenance, location: DatasetLocation, newer: String, inventory: Inventory)
        throws(PhysioError) -> PruneReport.OldVersion
    {
        var version = PruneReport.OldVersion(
            slug: dataset.slug, version: dataset.version, newerVersion: newer, datasetDirectory: location.datasetPath, files: 0,
            bytes: 0, changed: [])
        var judge = OldVersionRemoval.Judge(location: location)
        try inventory.forEachFile(slug: dataset.slug, version: dataset.version) { record in
            switch judge(record) {
            case .absent, .outside: break
            case .asVerified(let size):
                version.files += 1
                version.bytes += size
            case .changed: version.changed.append(record.path.value)
            }
        }
        return version
    }

    /// Removes what `plan` names, under the locks, and reports what it did. `waitSeconds` waits that long for
    /// a lock held by another run (`waiting` hears whose, once), then throws `.locked`.
    public func prune(
        now: Date = Date(), waitSeconds: Double = 0, waiting: (String) -> Void = { _ in }
    ) throws(PhysioError) -> PruneReport {
        // A root physio never wrote into has nothing to prune, and gets no lock files either.
        guard FileSystem.isDirectory(root.appendingPathComponent(".physio", isDirectory: true)) else {
            var report = try plan(now: now)
            report.dryRun = false
            return report
        }
        let syncLock = try RunLock(at: SyncEngine.lockFile(root: root), waitSeconds: waitSeconds, waiting: waiting)
        var locks: [RunLock] = []
        var report = try plan(now: now)
        // Planned again once every lock is held: a run that ended meanwhile may have added to what is removed.
        while true {
            let held = Set(locks.map(\.url.lastPathComponent))
            let wanted = report.lockedVersions.map { "\($0).lock" }.filter { !held.contains($0) }
            if wanted.isEmpty { break }
            for name in wanted {
                let url = root.appendingPathComponent(".physio/locks/\(name)", isDirectory: false)
                locks.append(try RunLock(at: url, waitSeconds: waitSeconds, waiting: waiting))
            }
            report = try plan(now: now)
        }
        report.dryRun = false
        let area = RemovedArea.folder(root: root).path
        for entry in report.removedEntries {
            try FileTree.removeAll(atPath: entry.path)
            FileTree.removeEmptyFolders(from: FileSystem.parent(ofPath: entry.path), upTo: area)
        }
        if oldVersions, !report.oldVersions.isEmpty, let inventory = try Inventory.existing(root: root) {
            let removal = OldVersionRemoval(root: root, inventory: inventory, now: now)
            for version in report.oldVersions {
                guard let dataset = try inventory.provenance(slug: version.slug, version: version.version) else { continue }
                let outcome = try removal.remove(dataset)
                report.localCopies += outcome.kept
                if outcome.folderLeft { report.leftInPlace.append(version.datasetDirectory) }
            }
        }
        report.removedArea = Self.totals(RemovedArea.entries(root: root))
        withExtendedLifetime((syncLock, locks)) {}
        return report
    }
}
