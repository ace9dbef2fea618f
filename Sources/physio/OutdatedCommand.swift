import ArgumentParser
import FoundationEssentials
import PhysioKit

struct OutdatedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outdated",
        abstract: "List datasets of physio.toml with a newer published version, without syncing.",
        discussion: "Exit 0 whatever it finds; --json for scripts (each entry has `outdated`).")

    @Option(name: .long, help: ArgumentHelp("The physio.toml to use (default: found from the current folder upwards).", valueName: "path"))
    var file: String?

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the list as JSON on stdout.")
    var json = false

    func run() async throws {
        try await reportingFailures(json: json) {
            let environment = try DataEnvironment.load(try SyncCommand.environmentFile(file), context: invocation)
            let session = try connection.openSession(declared: environment)
            let entries = try await OutdatedCheck(
                transport: session.transport, site: session.site,
                retry: invocation.retryPolicy
            ).run(environment)
            if json {
                try Console.json(entries)
                return .success
            }
            for entry in entries {
                let have = entry.current ?? "not synced"
                let note = entry.outdated ? "  <- \(entry.latest) is available" : ""
                Console.out("\(entry.slug)  wants \(entry.requested)  has \(have)  latest \(entry.latest)\(note)")
            }
            if !entries.contains(where: \.outdated) { Console.error("Every dataset is at its latest version.") }
            return .success
        }
    }
}
