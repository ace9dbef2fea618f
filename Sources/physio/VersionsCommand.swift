import ArgumentParser
import FoundationEssentials
import PhysioKit

struct VersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "List a project's published versions with their dates, and which are under the data root.",
        discussion: "Fetch one with `physio fetch <slug>@<version>`, or the latest with `physio fetch <slug>` (or <slug>@latest).")

    @Argument(help: "The project's slug.")
    var slug: String

    @OptionGroup var data: DataRootOptions
    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print a JSON array on stdout.")
    var json = false

    struct Entry: Encodable {
        var version: String
        var published: String?
        var latest: Bool
        var size: Int64?
        /// Recorded in the data root's inventory.
        var local: Bool
    }

    func validate() throws {
        guard DatasetSlug.isValid(slug) else { throw ValidationError("'\(slug)' is not a project slug (letters, digits and hyphens).") }
    }

    func run() async throws {
        try await reportingFailures(json: json) {
            let session = try connection.openSession()
            let versions = try await ProjectCatalog(transport: session.transport, site: session.site, retry: invocation.retryPolicy)
                .versions(of: slug)
            let root = data.root
            let local = try await BlockingIO.run { [slug] () throws in
                Set(try Inventory.existing(root: root)?.allProvenance().filter { $0.slug == slug }.map(\.version) ?? [])
            }
            let entries = versions.map {
                Entry(version: $0.version, published: $0.published, latest: $0.latest, size: $0.size, local: local.contains($0.version))
            }
            if json {
                try Console.json(entries)
                return .success
            }
            for entry in entries {
                var line = "\(slug)@\(entry.version)  \(entry.published ?? "date unknown")  \(entry.size.map(ByteFormat.string) ?? "size unknown")"
                if entry.latest { line += "  latest" }
                if entry.local { line += "  local (\(root.path))" }
                Console.out(line)
            }
            return .success
        }
    }
}
