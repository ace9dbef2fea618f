import ArgumentParser
import FoundationEssentials
import PhysioKit

struct OutdatedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outdated",
        abstract: "List datasets with a newer published version, without syncing.",
        discussion: """
            Covers every dataset of physio.toml (--file, or found from the current folder upwards), or with \
            --dest, or where there is no physio.toml, every dataset the data root records. Lists only what is \
            outdated (--all: everything). Exit 0 whatever it finds, unless --exit-code: then 1 when anything \
            is outdated, for monitoring.
            """)

    @Option(name: .long, help: ArgumentHelp("The physio.toml to use (default: found from the current folder upwards).", valueName: "path"))
    var file: String?

    @OptionGroup var data: DataRootOptions
    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "List every dataset, current ones too.")
    var all = false

    @Flag(name: .long, help: "Exit 1 when any dataset is outdated.")
    var exitCode = false

    @Flag(name: .long, help: "Print the list as JSON on stdout (each entry has `outdated`).")
    var json = false

    func run() async throws {
        var anyOutdated = false
        try await reportingFailures(json: json) {
            let entries: [OutdatedCheck.Entry]
            switch try DatasetScope.resolve(file: file, data: data) {
            case .declared(let environment):
                let session = try connection.openSession(declared: environment)
                entries = try await OutdatedCheck(transport: session.transport, site: session.site, retry: invocation.retryPolicy)
                    .run(environment)
            case .recorded(let root):
                let session = try connection.openSession()
                entries = try await OutdatedCheck(transport: session.transport, site: session.site, retry: invocation.retryPolicy)
                    .run(recordedIn: root)
            }
            anyOutdated = entries.contains(where: \.outdated)
            let shown = all ? entries : entries.filter(\.outdated)
            if json {
                try Console.json(shown)
                return .success
            }
            for entry in shown {
                let have = entry.current ?? "not synced"
                let note = entry.outdated ? "  <- \(entry.latest) is available" : ""
                Console.out("\(entry.slug)  wants \(entry.requested)  has \(have)  latest \(entry.latest)\(note)")
            }
            if entries.isEmpty {
                Console.error("No datasets to check.")
            } else if !anyOutdated {
                Console.error("Every dataset is at its latest version.")
            }
            return .success
        }
        if exitCode && anyOutdated { throw ExitCode(1) }
    }
}
