import ArgumentParser
import FoundationEssentials
import PhysioKit

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find published projects by a word of their slug, title or abstract.",
        discussion: """
            One line per project: slug, latest version, access policy, size of the latest version, title. The \
            access policy is read from the data use agreement the API names (open when there is none); \
            `physio status <slug>` shows what your account needs for it.
            """)

    @Argument(help: "The word to look for.")
    var term: String

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print a JSON array on stdout.")
    var json = false

    func run() async throws {
        try await reportingFailures(json: json) {
            let session = try connection.openSession()
            let projects = try await ProjectCatalog(transport: session.transport, site: session.site, retry: invocation.retryPolicy)
                .search(term)
            if json {
                try Console.json(projects)
                return .success
            }
            guard !projects.isEmpty else {
                Console.error("No published project on \(session.site) matches '\(term)'.")
                return .success
            }
            let rows = projects.map { project in
                [project.slug, project.latestVersion ?? "?", project.access, project.size.map(ByteFormat.string) ?? "size unknown", project.title]
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let padded = (0..<4).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }
                Console.out((padded + [row[4]]).joined(separator: "  "))
            }
            return .success
        }
    }
}
