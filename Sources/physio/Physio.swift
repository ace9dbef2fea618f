import ArgumentParser
import FoundationEssentials
import Glibc
import PhysioKit

@main
struct Physio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "physio",
        abstract: "Fetch PhysioNet datasets fast and verified, and see exactly what your account can access.",
        discussion: """
            Exit codes: 0 all selected files verified; 1 internal error; 2 usage error; 3 project, version or \
            file list not found; 4 network failure after retries; 5 not logged in or credentials rejected; \
            6 access requirements not met; 7 integrity failure or pin drift; 8 partial: some files failed; \
            9 local filesystem problem; 10 another physio run holds the lock; 130/143 stopped by SIGINT/SIGTERM \
            (partial files kept, verified files recorded; rerun to resume).
            """,
        version: PhysioVersion.description,
        subcommands: [
            FetchCommand.self, VerifyCommand.self, ListCommand.self, LoginCommand.self, LogoutCommand.self,
            WhoamiCommand.self, StatusCommand.self, SignDUACommand.self, InventoryCommand.self,
            InitCommand.self, SyncCommand.self, OutdatedCommand.self, PruneCommand.self, CiteCommand.self, SearchCommand.self,
            VersionsCommand.self,
        ]
    )

    /// Like the default entry point, except that every usage error exits 2 as documented, rather than
    /// argument-parser's 64 for some and 2 for ours: scripts get one code for "you called me wrong".
    static func main() async {
        MemoryTuning.applyForCommandLine()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error))
                Glibc.exit(PhysioExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
