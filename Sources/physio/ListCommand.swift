import ArgumentParser
import Foundation
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
            for url in ManifestStore.all(under: root) {
                guard let manifest = try ManifestStore.load(from: url) else { continue }
                let location = DatasetLocation(
                    root: root, slug: manifest.slug, version: manifest.version, layout: manifest.layout,
                    host: URL(string: manifest.baseURL)?.host ?? "physionet.org")
                entries.append(Entry(
                    slug: manifest.slug, version: manifest.version, files: manifest.files.count,
                    bytes: manifest.files.reduce(0) { $0 + ($1.state == .failed ? 0 : $1.size ?? 0) },
                    verified: manifest.files.filter { $0.state == .verified }.count,
                    unverifiable: manifest.files.filter { $0.state == .unverifiable }.count,
                    failed: manifest.files.filter { $0.state == .failed }.count,
                    fetchedAt: manifest.fetchedAt, matchesPin: manifest.matchesPin,
                    datasetDirectory: location.datasetDirectory.path))
            }
            if json {
                try Console.json(entries)
            } else if entries.isEmpty {
                Console.out("No datasets under \(root.path). Fetch one with `physio fetch <slug>`.")
            } else {
                for entry in entries {
                    var state = entry.failed == 0 ? "complete" : "\(entry.failed) failed"
                    if entry.unverifiable > 0 { state += ", \(entry.unverifiable) unverifiable" }
                    let pin = entry.matchesPin.map { $0 ? ", matches pin" : ", differs from pin" } ?? ""
                    Console.out("\(entry.slug)@\(entry.version)  \(entry.files) files  \(ByteFormat.string(entry.bytes))  \(state)\(pin)  \(entry.datasetDirectory)")
                }
            }
            return 0
        }
    }
}
