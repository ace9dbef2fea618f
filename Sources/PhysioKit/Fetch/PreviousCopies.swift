import FoundationEssentials
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local copies a fetch overwrites, kept under `.physio/removed/` (`RemovedArea`) at the moment the new
/// bytes take their name, so a file a newer list replaces is never lost silently, nor a file edited locally:
///
/// - physio's own verified bytes of a file the server changed go to `<day>/<slug>/<version>/<path>`, as the
///   files the list no longer names do (unless `sync --prune` asked for deletion);
/// - a local copy that is not what physio verified (`LocalPlan.LocalChange`) goes to
///   `<day>/<slug>/<version>.modified/<path>`, always, and the run says so file by file.
///
/// Kept by a hard link made just before the rename (or publish) that puts the new file in place: the path
/// holds the old bytes or the new ones at every moment, and nothing is copied. Where the filesystem has no
/// hard links the old file is renamed aside instead, an instant before the new one arrives. A download that
/// fails keeps nothing, because nothing was overwritten.
final class PreviousCopies: Sendable {
    /// What a file about to be replaced holds.
    enum Kind: Sendable, Equatable {
        case verifiedBytes
        case localChange(LocalPlan.LocalChange)
    }

    /// A file whose current bytes must be kept before it is replaced.
    struct Keep: Sendable {
        var path: DatasetPath
        var kind: Kind
    }

    let location: DatasetLocation
    /// Where physio's bytes of changed files go; `nil`: they are not kept (`sync --prune`).
    let replacedFolder: URL?
    let modifiedFolder: URL
    private let events: FetchEventSink
    private let kept = Mutex<(previous: Int, local: [FetchSummary.KeptFile])>((0, []))

    /// `folder`: today's `<day>/<slug>/<version>` for the dataset; `keepsReplaced`: whether physio's bytes of
    /// changed files are kept too.
    init(location: DatasetLocation, folder: URL, keepsReplaced: Bool, events: FetchEventSink) {
        self.location = location
        replacedFolder = keepsReplaced ? folder : nil
        modifiedFolder = RemovedArea.modifiedFolder(besides: folder)
        self.events = events
    }

    /// What each file of one window's plan that replaces a local copy holds, by its index in the window:
    /// the files the queue carries a `Kind` for (`DownloadQueue`).
    static func kinds(of plan: LocalPlan, keepsReplaced: Bool) -> [UInt32: Kind] {
        var kinds: [UInt32: Kind] = [:]
        for index in plan.replaced {
            if let change = plan.localChanges[index] {
                kinds[index] = .localChange(change)
            } else if keepsReplaced {
                kinds[index] = .verifiedBytes
            }
        }
        return kinds
    }

    /// Keeps what is at `keep.path` now under the removed area, just before a new file takes the name.
    /// Nothing there (removed meanwhile) is nothing to keep.
    func preserve(_ keep: Keep) throws(PhysioError) {
        let source = location.finalPath(for: keep.path)
        guard FileSystem.identity(atPath: source) != nil else { return }
        let folder: URL
        switch keep.kind {
        case .verifiedBytes:
            guard let replacedFolder else { return }
            folder = replacedFolder
        case .localChange:
            folder = modifiedFolder
        }
        let destination = try RemovedArea.freeDestination(for: keep.path, in: folder)
        let failure = FileSystem.hardLink(fromPath: source, toPath: destination)
        if failure == ENOENT { return }
        if failure != 0 { try FileSystem.move(fromPath: source, toPath: destination) }
        switch keep.kind {
        case .verifiedBytes:
            kept.withLock { $0.previous += 1 }
        case .localChange(let change):
            let file = FetchSummary.KeptFile(
                path: keep.path.value, keptAt: destination,
                cause: change == .changedSinceVerified ? .changedSinceVerified : .unrecorded)
            kept.withLock { $0.local.append(file) }
            events.emit(.keptLocalCopy(file))
        }
    }

    /// How many files' previous bytes were kept in `replacedFolder`, and every local copy kept.
    var result: (previous: Int, local: [FetchSummary.KeptFile]) {
        kept.withLock { ($0.previous, $0.local.sorted { $0.path < $1.path }) }
    }
}
