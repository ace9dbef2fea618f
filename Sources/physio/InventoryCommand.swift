import ArgumentParser
import FoundationEssentials
import PhysioKit

struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Read or join the data root's inventory (<dest>/.physio/inventory.sqlite).",
        subcommands: [Export.self, Merge.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the inventory on stdout as JSON manifests (the shape of physio's earlier manifests) or CSV.")

        @Argument(help: "Datasets to export (<slug> or <slug>@<version>); all when omitted.")
        var datasets: [DatasetSpecifier] = []

        @OptionGroup var data: DataRootOptions

        @Flag(help: "Output format (default --json).")
        var format: Format = .json

        enum Format: String, EnumerableFlag {
            case json, csv
        }

        func run() async throws {
            try await reportingFailures {
                let (inventory, chosen) = try LocalDatasets.select(datasets, under: data.root)
                try await BlockingIO.run { () throws in
                    try InventoryExport.write(chosen, from: inventory, format: format == .csv ? .csv : .json) { bytes in
                        try Console.outBytes(bytes)
                    }
                }
                return .success
            }
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join the parts that `fetch --shard` recorded into the inventory, and report files no shard covered or that failed.",
            discussion: """
                Exit 0 when every file of the dataset's SHA256SUMS.txt is verified; 8 when some were not covered \\
                or failed (rerun the shards that did not finish, then merge again).
                """)

        @Argument(help: "The dataset: <slug>@<version>.")
        var dataset: DatasetSpecifier

        @OptionGroup var data: DataRootOptions

        @Flag(name: .long, help: "Print the report as JSON on stdout.")
        var json = false

        func run() async throws {
            try await reportingFailures(json: json) {
                guard let version = dataset.version else {
                    throw PhysioError.usage("inventory merge needs the version: \(dataset.slug)@<version>, as the shards fetched it.")
                }
                let report = try await ShardMerge.merge(root: data.root, slug: dataset.slug, version: version)
                if json {
                    try Console.json(report)
                } else {
                    Console.out("\(report.slug) \(report.version): merged \(report.parts.count) parts (\(report.rowsMerged) rows); \(report.verified) of \(report.listed) listed files verified")
                    for path in report.uncovered.prefix(20) { Console.out("  not covered: \(path)") }
                    for path in report.failed.prefix(20) { Console.out("  failed: \(path)") }
                    let more = report.uncovered.count + report.failed.count - min(20, report.uncovered.count) - min(20, report.failed.count)
                    if more > 0 { Console.out("  ... and \(more) more (--json lists them all)") }
                }
                if report.complete || report.listed == 0 && report.failed.isEmpty { return .success }
                if !json {
                    Console.error("physio: \(report.uncovered.count) files not covered and \(report.failed.count) failed; rerun the shards that did not finish, then merge again.")
                }
                return .partial
            }
        }
    }
}
