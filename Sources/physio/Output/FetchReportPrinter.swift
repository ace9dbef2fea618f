import PhysioKit

/// The text form of a fetch summary, on stdout.
enum FetchReportPrinter {
    static func print(_ summary: FetchSummary) {
        if let plan = summary.plan {
            // Empty when the plan was printed as it was made (`printPlanned`).
            for file in plan { printPlanned(file) }
            Console.out("dry run: nothing was downloaded. Data folder: \(summary.datasetDirectory)")
            return
        }
        let counts = summary.counts
        var line = "\(summary.slug) \(summary.version): \(counts.verified) verified (\(counts.downloaded) downloaded, \(counts.skipped) already present)"
        if counts.unverifiable > 0 { line += ", \(counts.unverifiable) unverifiable (no checksum published)" }
        if counts.failed > 0 { line += ", \(counts.failed) failed" }
        line += "; \(ByteFormat.string(summary.bytesTransferred)) in \(PrintfFormat.string("%.1f", summary.seconds))s"
        Console.out(line)
        for failure in summary.failures {
            Console.out("  failed: \(failure.path): \(failure.reason)")
        }
        if let folder = summary.keptIn {
            let count = counts.previousKept
            Console.out("The previous bytes of \(count) replaced file\(count == 1 ? "" : "s") are kept in \(folder)")
        }
        for file in summary.localCopies {
            Console.out("  kept the local copy of \(file.path) at \(file.keptAt)")
        }
        Console.out("Data folder: \(summary.datasetDirectory)")
    }

    /// `--quiet`: the failures only, on stderr; nothing for a run where every file was verified.
    static func printFailures(_ summary: FetchSummary) {
        guard !summary.failures.isEmpty else { return }
        Console.error("physio: \(summary.slug) \(summary.version): \(summary.failures.count) file\(summary.failures.count == 1 ? "" : "s") failed.")
        for failure in summary.failures {
            Console.error("  failed: \(failure.path): \(failure.reason)")
        }
    }

    /// One line of a dry run's plan.
    static func printPlanned(_ file: FetchSummary.PlannedFile) {
        Console.out(plannedLine(action: file.action, path: file.path, size: file.size, bytesPresent: file.bytesPresent))
    }

    /// The action, padded to a column, the path, and its size (with what a partial file holds of a transfer).
    static func plannedLine(action: String, path: String, size: Int64?, bytesPresent: Int64) -> String {
        let shown = size.map(ByteFormat.string) ?? "size unknown"
        let transfer = ["download", "resume", "replace"].contains(action)
        let present = bytesPresent > 0 && transfer ? ", \(ByteFormat.string(bytesPresent)) present" : ""
        let column = action.count < 16 ? action + String(repeating: " ", count: 16 - action.count) : String(action.prefix(16))
        return "\(column) \(path) (\(shown)\(present))"
    }
}
