import ArgumentParser
import FoundationEssentials
import PhysioKit

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the datasets under the data root with sizes, file counts and state.")

    @OptionGroup var data: DataRootOptions

    @Flag(name: .long, help: "Print a JSON array on stdout.")
    var json = false

    struct Entry: Codable {
        var slug: String
        var version: String
        var files: Int
        var bytes: Int64
        var verified: Int
        var unverifiable: Int
        var failed: Int
        var fetchedAt: Date
        var matchesPin: Bool?
        var datasetDirectory: String
    }

    func run() async throws {
        try await reportingFailures(json: json) {
            let root = data.root
            var entries: [Entry] = []
            if let inventory = try Inventory.existing(root: root) {
                for provenance in try inventory.allProvenance() {
                    let counts = try inventory.summary(slug: provenance.slug, version: provenance.version)
                    entries.append(Entry(
                        slug: provenance.slug, version: provenance.version, files: counts.files, bytes: counts.bytes,
                        verified: counts.verified, unverifiable: counts.unverifiable, failed: counts.failed,
                        fetchedAt: provenance.fetchedAt, matchesPin: provenance.matchesPin,
                        datasetDirectory: provenance.location(root: root).datasetDirectory.path))
                }
            }
            if json {
                try Console.json(entries)
            } else if entries.isEmpty {
                Console.out(LocalDatasets.emptyRootAdvice(root) + ".")
            } else {
                for entry in entries {
                    var state = entry.failed == 0 ? "complete" : "\(entry.failed) failed"
                    if entry.unverifiable > 0 { state += ", \(entry.unverifiable) unverifiable" }
                    let pin = entry.matchesPin.map { $0 ? ", matches pin" : ", differs from pin" } ?? ""
                    Console.out("\(entry.slug)@\(entry.version)  \(entry.files) files  \(ByteFormat.string(entry.bytes))  \(state)\(pin)  \(entry.datasetDirectory)")
                }
            }
            return .success
        }
    }
}
