import ArgumentParser
import FoundationEssentials
import PhysioKit

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check local datasets against the inventory (stat facts, or full SHA-256 with --full).",
        discussion: """
            With --shard I/N (or auto under a Slurm array or Kubernetes Indexed Job) each process checks its part \
            of the files, split as `physio fetch --shard` splits them, and writes nothing to the inventory.
            """)

    @Argument(help: "Datasets to check (<slug> or <slug>@<version>); all local datasets when omitted.")
    var datasets: [DatasetSpecifier] = []

    @OptionGroup var data: DataRootOptions

    @Flag(name: .long, help: "Re-hash every file (in parallel across cores) instead of comparing size, mtime and inode.")
    var full = false

    @Flag(name: .long, help: "Print a JSON array of reports on stdout.")
    var json = false

    @OptionGroup var sharding: ShardOptions

    @Flag(name: .long, help: "Print nothing when every file checks out; only what is wrong otherwise.")
    var quiet = false

    func run() async throws {
        try await reportingFailures(json: json, quiet: quiet) {
            let root = data.root
            let shard = try sharding.resolved()
            // Nothing fetched yet is nothing wrong: exit 0, as `physio list` does.
            if datasets.isEmpty, try Inventory.existing(root: root)?.allProvenance().isEmpty ?? true {
                if json {
                    try Console.json([DatasetVerifier.Report]())
                } else if !quiet {
                    Console.out("No datasets under \(root.path); nothing to verify.")
                }
                return .success
            }
            let (inventory, chosen) = try LocalDatasets.select(datasets, under: root)
            var reports: [DatasetVerifier.Report] = []
            for provenance in chosen {
                reports.append(try await DatasetVerifier().verify(provenance, inventory: inventory, root: root, full: full, shard: shard))
            }
            if json {
                try Console.json(reports)
            } else {
                for report in reports where !quiet || !report.changed.isEmpty || !report.missing.isEmpty || !report.failed.isEmpty {
                    var line = "\(report.slug) \(report.version): \(report.verified) verified"
                    if report.unverifiable > 0 { line += ", \(report.unverifiable) unverifiable" }
                    if !report.changed.isEmpty { line += ", \(report.changed.count) changed" }
                    if !report.missing.isEmpty { line += ", \(report.missing.count) missing" }
                    if !report.failed.isEmpty { line += ", \(report.failed.count) never obtained" }
                    Console.out(line + (report.full ? " (full SHA-256 check)" : " (stat check; --full re-hashes)"))
                    for path in report.changed { Console.out("  changed: \(path)") }
                    for path in report.missing { Console.out("  missing: \(path)") }
                    for path in report.failed { Console.out("  never obtained: \(path)") }
                }
            }
            let damaged = reports.filter { !$0.changed.isEmpty || !$0.missing.isEmpty }
            if !damaged.isEmpty {
                if !json {
                    let repairs = damaged.compactMap { report in
                        chosen.first { $0.slug == report.slug && $0.version == report.version }.map(repairCommand)
                    }
                    Console.error("physio: some files no longer match what was verified. Run "
                        + repairs.map { "`\($0)`" }.joined(separator: " and ") + " to repair them.")
                }
                return .integrity
            }
            return reports.contains { !$0.failed.isEmpty } ? .partial : .success
        }
    }

    /// The fetch that repairs `dataset` where it lies: its root, its layout, and the server it came from
    /// when that is not the one a bare fetch would use.
    private func repairCommand(_ dataset: DatasetProvenance) -> PrintedCommand {
        var words = ["fetch", "\(dataset.slug)@\(dataset.version)"] + data.commandWords
        let usual = try? PhysioNetSite.validate(
            baseURL: BaseURL.resolve(flag: nil, environment: invocation.environment, allowInsecureHTTP: true), allowInsecureHTTP: true)
        if usual?.description != dataset.baseURL { words += ["--base-url", dataset.baseURL] }
        if dataset.layout != .physio { words += ["--layout", dataset.layout.rawValue] }
        return .physio(words)
    }
}

/// Finds the inventory's datasets named on the command line.
enum LocalDatasets {
    /// What to do about a root with no dataset, as commands that run as printed: find one, then fetch it here.
    static func emptyRootAdvice(_ root: URL) -> String {
        "No datasets under \(root.path). Find one with `\(PrintedCommand.physio(["search", "mimic"]))`, then fetch it, "
            + "e.g. `\(PrintedCommand.physio(["fetch", "mimic-iv-demo", "--dest", root.path]))`"
    }

    static func select(_ specifiers: [DatasetSpecifier], under root: URL) throws(PhysioError) -> (Inventory, [DatasetProvenance]) {
        guard let inventory = try Inventory.existing(root: root) else {
            throw .usage(emptyRootAdvice(root) + ", or pass --dest.")
        }
        let all = try inventory.allProvenance()
        guard !specifiers.isEmpty else {
            guard !all.isEmpty else {
                throw .usage(emptyRootAdvice(root) + ", or pass --dest.")
            }
            return (inventory, all)
        }
        var chosen: [DatasetProvenance] = []
        for specifier in specifiers {
            let matches = all.filter { $0.slug == specifier.slug && (specifier.version == nil || $0.version == specifier.version) }
            guard !matches.isEmpty else {
                let name = specifier.version.map { "\(specifier.slug)@\($0)" } ?? specifier.slug
                throw .usage("\(name) is not fetched under \(root.path). Run `physio list` to see what is there.")
            }
            chosen += matches
        }
        return (inventory, chosen)
    }
}
