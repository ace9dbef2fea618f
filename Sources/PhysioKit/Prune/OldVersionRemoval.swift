import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Removes one old version of a dataset for `physio prune --old-versions`: the files physio recorded and
/// finds as it verified them, its `SHA256SUMS.txt`, the folders that leaves empty, its partial downloads
/// and shard parts, then its inventory rows (files first, rows after: a crash between leaves rows whose
/// files are gone, and the next prune finishes). A recorded file that changed since it was verified is
/// moved to `.physio/removed/<day>/<slug>/<version>.modified/` instead; a file the inventory does not name
/// stays where it is.
struct OldVersionRemoval {
    let root: URL
    let inventory: Inventory
    let now: Date

    /// A recorded file as it is now.
    enum Verdict: Equatable {
        case absent
        /// Reached only through a link that leads out of the dataset folder: left alone.
        case outside
        /// The stat facts its row recorded: the bytes physio verified, of this size.
        case asVerified(Int64)
        /// Other stat facts, or a row that never recorded any (a failed file): not physio's verified bytes.
        case changed
    }

    /// Judges recorded files one after another, checking each folder once: files come in path order, so
    /// the files of a folder follow each other.
    struct Judge {
        let location: DatasetLocation
        private var folder = ""
        private var folderInside = true

        init(location: DatasetLocation) {
            self.location = location
        }

        mutating func callAsFunction(_ record: FileRecord) -> Verdict {
            let path = location.finalPath(for: record.path)
            let parent = FileSystem.parent(ofPath: path)
            if parent != folder {
                folder = parent
                folderInside = parent == location.datasetPath || FileSystem.resolves(parent, inside: location.datasetPath)
            }
            guard folderInside else { return .outside }
            guard let identity = FileSystem.identity(atPath: path) else { return .absent }
            guard record.state != .failed, let recorded = record.identity, recorded == identity else { return .changed }
            return .asVerified(identity.size)
        }
    }

    /// Removes `dataset`; returns the changed files kept aside, and whether its folder stays because it holds
    /// what the inventory does not name.
    func remove(_ dataset: DatasetProvenance) throws(PhysioError) -> (kept: [FetchSummary.KeptFile], folderLeft: Bool) {
        let location = dataset.location(root: root)
        let modifiedFolder = RemovedArea.versionFolder(root: root, slug: dataset.slug, version: dataset.version, modified: true, now: now)
        var judge = Judge(location: location)
        var kept: [FetchSummary.KeptFile] = []
        var folders: Set<String> = [location.datasetPath]
        try inventory.forEachFile(slug: dataset.slug, version: dataset.version) { record throws(PhysioError) in
            let path = location.finalPath(for: record.path)
            switch judge(record) {
            case .absent, .outside:
                return
            case .asVerified:
                if unlink(path) != 0 && errno != ENOENT { throw .filesystem(path: path, detail: FileSystem.errorText(errno)) }
            case .changed:
                let destination = try RemovedArea.freeDestination(for: record.path, in: modifiedFolder)
                try FileSystem.move(fromPath: path, toPath: destination)
                kept.append(FetchSummary.KeptFile(
                    path: record.path.value, keptAt: destination,
                    cause: record.state == .failed || record.identity == nil ? .unrecorded : .changedSinceVerified, action: .deleted))
            }
            folders.insert(FileSystem.parent(ofPath: path))
        }
        // The list physio wrote beside the data; only a regular file (a link stays).
        let list = location.datasetPath + "/SHA256SUMS.txt"
        if FileTree.totals(atPath: list).files == 1 { FileSystem.remove(atPath: list) }
        // Deepest first, up to the root: a folder holding anything else stays.
        for folder in folders.sorted(by: { $0.count > $1.count }) {
            FileTree.removeEmptyFolders(from: folder, upTo: location.root.path)
        }
        let left = FileSystem.lexists(atPath: location.datasetPath)
        let state = location.stateDirectory.path
        for folder in [location.partialPath, "\(state)/shards/\(dataset.slug)/\(dataset.version)"] {
            try FileTree.removeAll(atPath: folder)
            FileTree.removeEmptyFolders(from: FileSystem.parent(ofPath: folder), upTo: state)
        }
        try inventory.forget(slug: dataset.slug, version: dataset.version)
        return (kept, left)
    }
}
