import ArgumentParser
import FoundationEssentials
import PhysioKit

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the datasets under the data root with sizes, file counts and state.",
        discussion: """
            A version older than another version of the same dataset under the root, and not declared by the \
            root's physio.toml, is marked old (a sync following "latest" leaves the previous version behind). \
            The text output ends with what <root>/.physio/removed/ holds; `physio prune` removes old versions \
            and old entries there.
            """)

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
        /// The newest version of the same dataset under the root, when this one is older and the root's
        /// physio.toml does not declare it (an old version `prune --old-versions` would remove).
        var supersededBy: String?
    }

    func run() async throws {
        try await reportingFailures(json: json) {
            let root = data.root
            var entries: [Entry] = []
            if let inventory = try Inventory.existing(root: root) {
                let datasets = try inventory.allProvenance()
                let old = OldVersions.find(in: datasets, declared: try DeclaredVersions.find(root: root, context: invocation, strict: false))
                for provenance in datasets {
                    let counts = try inventory.summary(slug: provenance.slug, version: provenance.version)
                    entries.append(Entry(
                        slug: provenance.slug, version: provenance.version, files: counts.files, bytes: counts.bytes,
                        verified: counts.verified, unverifiable: counts.unverifiable, failed: counts.failed,
                        fetchedAt: provenance.fetchedAt, matchesPin: provenance.matchesPin,
                        datasetDirectory: provenance.location(root: root).datasetDirectory.path,
                        supersededBy: old["\(provenance.slug)@\(provenance.version)"]))
                }
            }
            if json {
                try Console.json(entries)
                return .success
            }
            if entries.isEmpty {
                Console.out(LocalDatasets.emptyRootAdvice(root) + ".")
            }
            for entry in entries {
                var state = entry.failed == 0 ? "complete" : "\(entry.failed) failed"
                if entry.unverifiable > 0 { state += ", \(entry.unverifiable) unverifiable" }
                if let newer = entry.supersededBy { state += ", old version (\(newer) is here)" }
                let pin = entry.matchesPin.map { $0 ? ", matches pin" : ", differs from pin" } ?? ""
                Console.out("\(entry.slug)@\(entry.version)  \(entry.files) files  \(ByteFormat.string(entry.bytes))  \(state)\(pin)  \(entry.datasetDirectory)")
            }
            let old = entries.filter { $0.supersededBy != nil }
            if !old.isEmpty {
                let bytes = ByteFormat.string(old.reduce(0) { $0 + $1.bytes })
                Console.out("\(old.count) old version\(old.count == 1 ? "" : "s") (\(bytes)) kept beside a newer one: "
                    + "`\(PrintedCommand.physio(["prune", "--old-versions"] + data.commandWords))` shows what removing \(old.count == 1 ? "it" : "them") frees.")
            }
            let removed = RemovedArea.entries(root: root)
            if let first = removed.first {
                let files = removed.reduce(0) { $0 + $1.files }
                let bytes = ByteFormat.string(removed.reduce(0) { $0 + $1.bytes })
                Console.out("\(RemovedArea.folder(root: root).path) keeps \(files) file\(files == 1 ? "" : "s") (\(bytes)) replaced, removed or "
                    + "edited since \(first.day): `\(PrintedCommand.physio(["prune"] + data.commandWords))` lists those older than "
                    + "\(PruneAge.default) for removal.")
            }
            return .success
        }
    }
}
