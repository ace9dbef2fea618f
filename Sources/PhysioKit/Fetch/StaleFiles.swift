import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files the inventory holds but the server's list (or a sync's selection) no longer names. `physio sync`
/// never deletes them silently: it moves them under `<root>/.physio/removed/<date>/<slug>/<version>/`, their
/// paths kept, unless `--prune` asks for deletion (`RemovedArea`). A file changed since physio verified it
/// goes to the `.modified` sibling either way, named in a warning, as a fetch keeps a local copy it
/// replaces. The file goes first and its row after, so a crash between the two leaves a row whose file is
/// gone, which the next run drops.
enum StaleFiles {
    /// `<root>/.physio/removed/<YYYY-MM-DD>/<slug>/<version>`, for today (UTC).
    static func removedFolder(root: URL, slug: String, version: String, now: Date = Date()) -> URL {
        RemovedArea.versionFolder(root: root, slug: slug, version: version, now: now)
    }

    /// Applies `policy` to the local copies of `paths`, whose rows recorded `identities` (in the same
    /// order); returns the paths whose files were there, and the changed files kept in `modifiedFolder`.
    static func dispose(
        _ paths: [DatasetPath], identities: [FileIdentity?], location: DatasetLocation, policy: FetchOptions.StaleFilePolicy,
        modifiedFolder: URL
    ) throws(PhysioError) -> (disposed: [DatasetPath], kept: [FetchSummary.KeptFile]) {
        guard policy != .forget else { return ([], []) }
        var disposed: [DatasetPath] = []
        var kept: [FetchSummary.KeptFile] = []
        var emptied: Set<String> = []
        for (path, recorded) in zip(paths, identities) {
            let source = location.finalPath(for: path)
            guard let identity = FileSystem.identity(atPath: source) else { continue }
            switch policy {
            case .forget:
                break
            case _ where identity != recorded:
                let destination = try RemovedArea.freeDestination(for: path, in: modifiedFolder)
                try FileSystem.move(fromPath: source, toPath: destination)
                kept.append(FetchSummary.KeptFile(
                    path: path.value, keptAt: destination, cause: recorded == nil ? .unrecorded : .changedSinceVerified,
                    action: .deleted))
            case .moveAside(let folder):
                // A second removal of the same path on the same day keeps both copies.
                try FileSystem.move(fromPath: source, toPath: try RemovedArea.freeDestination(for: path, in: folder))
            case .delete:
                if unlink(source) != 0 && errno != ENOENT {
                    throw .filesystem(path: source, detail: FileSystem.errorText(errno))
                }
            }
            disposed.append(path)
            emptied.insert(FileSystem.parent(ofPath: source))
        }
        // Folders the removals emptied go too, up to the dataset's own (rmdir refuses any that is not empty).
        for folder in emptied.sorted(by: { $0.count > $1.count }) {
            var current = folder
            while current.count > location.datasetPath.count, rmdir(current) == 0 {
                current = FileSystem.parent(ofPath: current)
            }
        }
        return (disposed, kept)
    }
}
