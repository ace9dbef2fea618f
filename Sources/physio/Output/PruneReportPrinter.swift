import PhysioKit

/// The text form of a prune report, on stdout: one line per entry or version removed (or that would be),
/// then the total and what to run next.
enum PruneReportPrinter {
    static func print(_ report: PruneReport, confirm: PrintedCommand) {
        let verb = report.dryRun ? "would remove" : "removed"
        for entry in report.removedEntries {
            Console.out("\(verb) \(entry.path) (\(files(entry.files)), \(ByteFormat.string(entry.bytes)))")
        }
        if report.includesOldVersions {
            for version in report.oldVersions {
                Console.out("\(verb) \(version.slug)@\(version.version), older than \(version.newerVersion) here: "
                    + "\(files(version.files)) (\(ByteFormat.string(version.bytes))) in \(version.datasetDirectory)")
                if report.dryRun {
                    for path in version.changed {
                        Console.out("  \(path) changed since physio verified it: it would be moved to .physio/removed/, not deleted")
                    }
                }
            }
        }
        for file in report.localCopies {
            Console.out("  kept \(file.path) (\(file.cause == .changedSinceVerified ? "changed since physio verified it" : "physio has no record of verifying it")) at \(file.keptAt)")
        }
        for folder in report.leftInPlace {
            Console.out("left \(folder): it holds what physio did not record")
        }
        for folder in report.outsideRoot {
            Console.out("passed over \(folder): it resolves outside the data root")
        }
        let total = "\(ByteFormat.string(report.bytes)) in \(files(report.files))"
        if !report.dryRun {
            Console.out(report.isEmpty ? "Nothing to remove." : "Freed \(total).")
        } else if report.isEmpty {
            Console.out("Nothing to remove.")
        } else {
            Console.out("Dry run: would free \(total). Run `\(confirm)` to remove them.")
        }
        let area = report.removedArea
        if report.removedEntries.isEmpty, area.entries > 0, let oldest = area.oldestDay {
            Console.out("\(report.root)/.physio/removed holds \(files(area.files)) (\(ByteFormat.string(area.bytes))) since \(oldest), "
                + "none older than \(report.olderThan).")
        }
        if !report.includesOldVersions && !report.oldVersions.isEmpty {
            let count = report.oldVersions.count
            let bytes = ByteFormat.string(report.oldVersions.reduce(0) { $0 + $1.bytes })
            Console.out("\(count) old version\(count == 1 ? " stays beside a newer one" : "s stay beside newer ones") (\(bytes): "
                + "\(report.oldVersions.map { "\($0.slug)@\($0.version)" }.joined(separator: ", "))); --old-versions includes \(count == 1 ? "it" : "them").")
        }
    }

    private static func files(_ count: Int) -> String {
        "\(count) file\(count == 1 ? "" : "s")"
    }
}
