import PhysioKit
import Synchronization

/// The text form of `physio sync --dry-run`, on stdout: per dataset a heading and each file a sync would
/// change, as the plan streams, then the dataset's tallies; at the end the totals. Files a sync would keep
/// are only counted: a nightly dry run lists what would happen, not the whole root. A dataset that cannot
/// be planned is an error, on stderr.
final class SyncPlanPrinter: Sendable {
    /// The dataset whose heading was printed last, so its files go under it.
    private let heading = Mutex<String?>(nil)

    func handle(_ event: SyncPlan.Event) {
        switch event {
        case .file(let file):
            let name = "\(file.slug) \(file.version)"
            let first = heading.withLock { shown in
                defer { shown = name }
                return shown != name
            }
            if first { Console.out("\(name):") }
            Console.out("  " + FetchReportPrinter.plannedLine(action: file.action, path: file.path, size: file.size, bytesPresent: file.bytesPresent))
        case .planned(let dataset):
            let listed = heading.withLock { shown in
                defer { shown = nil }
                return shown != nil
            }
            let name = Self.name(dataset)
            if let error = dataset.error {
                Console.error("physio: \(name): \(error)")
                return
            }
            Console.out((listed ? "  " : "\(name): ") + Self.tallies(dataset))
            if let newer = dataset.newerVersion {
                Console.out("  \(dataset.slug) \(newer) is available; this root pins \(dataset.version ?? dataset.requested) (a sync only reports it)")
            }
            if let held = dataset.lockedVersion {
                Console.out("  latest is now \(dataset.version ?? "?"); physio.lock holds \(held), whose files a sync leaves where they are")
            }
        }
    }

    /// The closing line: nothing changed, and what a sync would do in all.
    static func printTotals(_ plan: SyncPlan) {
        let totals = plan.totals
        var parts: [String] = []
        if totals.fetch.files > 0 { parts.append("fetch " + count(totals.fetch)) }
        if totals.replace.files > 0 { parts.append("replace " + count(totals.replace)) }
        if totals.remove.files > 0 { parts.append((plan.prune ? "delete " : "move aside ") + count(totals.remove)) }
        let kept = "\(totals.keep.files) file\(totals.keep.files == 1 ? "" : "s") unchanged"
        // Datasets that could not be planned are not in the totals: said, so "nothing" is not taken for "current".
        let unplanned = plan.datasets.filter { $0.error != nil }.count
        let missing = unplanned == 0 ? "" : "; \(unplanned) dataset\(unplanned == 1 ? "" : "s") could not be planned (see the errors)"
        Console.out("dry run: nothing was changed. A sync would "
            + (parts.isEmpty ? "change nothing" : parts.joined(separator: ", ")) + "; \(kept)\(missing).")
    }

    private static func name(_ dataset: SyncPlan.Dataset) -> String {
        let version = dataset.version ?? dataset.requested
        return "\(dataset.slug) \(version)" + (dataset.requested == "latest" && dataset.version != nil ? " (latest)" : "")
    }

    /// `3 to fetch (3.2 KiB), 1 to replace (10 B), 1 to move aside (2.0 KiB) into …; 1 unchanged`.
    static func tallies(_ dataset: SyncPlan.Dataset) -> String {
        let unchanged = "\(dataset.keep.files) file\(dataset.keep.files == 1 ? "" : "s") unchanged"
        guard !dataset.isCurrent else { return "current (\(unchanged))" }
        var parts: [String] = []
        if dataset.fetch.files > 0 { parts.append("\(count(dataset.fetch)) to fetch") }
        if dataset.replace.files > 0 { parts.append("\(count(dataset.replace)) to replace") }
        if dataset.remove.files > 0 {
            parts.append(dataset.removeTo.map { "\(count(dataset.remove)) to move aside into \($0)" } ?? "\(count(dataset.remove)) to delete")
        }
        return parts.joined(separator: ", ") + "; " + unchanged
    }

    /// `3 files (3.2 KiB)`, with the files of unknown size said as such.
    private static func count(_ tally: SyncPlan.Tally) -> String {
        let unknown = tally.filesOfUnknownSize
        let size = unknown == 0
            ? ByteFormat.string(tally.bytes)
            : unknown == tally.files ? "size unknown" : "\(ByteFormat.string(tally.bytes)) + \(unknown) of unknown size"
        return "\(tally.files) file\(tally.files == 1 ? "" : "s") (\(size))"
    }
}
