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
        line += String(format: "; %@ in %.1fs", ByteFormat.string(summary.bytesTransferred), summary.seconds)
        Console.out(line)
        for failure in summary.failures {
            Console.out("  failed: \(failure.path): \(failure.reason)")
        }
        Console.out("Data folder: \(summary.datasetDirectory)")
    }

    /// One line of a dry run's plan.
    static func printPlanned(_ file: FetchSummary.PlannedFile) {
        let size = file.size.map(ByteFormat.string) ?? "size unknown"
        let present = file.bytesPresent > 0 && file.action != "keep (verified)" ? ", \(ByteFormat.string(file.bytesPresent)) present" : ""
        Console.out("\(file.action.padding(toLength: 16, withPad: " ", startingAt: 0)) \(file.path) (\(size)\(present))")
    }
}
