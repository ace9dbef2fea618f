import ArgumentParser
import FoundationEssentials
import PhysioKit

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "End the saved PhysioNet session and delete it.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let session = try connection.openSession()
            guard let stored = session.stored else {
                Console.out("Not logged in to \(session.site); nothing to do.")
                return .success
            }
            // Best effort: the server ends the session; the local file goes regardless.
            try? await AccountProbe(transport: session.transport, site: session.site).logout()
            try session.store.delete(for: session.site)
            Console.out("Logged out \(stored.username) from \(session.site).")
            return .success
        }
    }
}
