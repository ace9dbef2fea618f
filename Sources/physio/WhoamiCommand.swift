import ArgumentParser
import FoundationEssentials
import PhysioKit

struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show the saved PhysioNet login and whether the server still accepts it.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false

    struct Report: Encodable {
        var site: String
        var username: String?
        var sessionValid: Bool
        var sessionExpires: Date?
    }

    func run() async throws {
        try await reportingFailures(json: json) {
            let session = try connection.openSession()
            var valid = false
            if session.stored != nil {
                valid = try await AccountProbe(transport: session.transport, site: session.site).isLoggedIn()
            }
            let report = Report(site: session.site.description, username: session.username, sessionValid: valid, sessionExpires: session.stored?.sessionExpires)
            if json {
                try Console.json(report)
            } else if let username = session.username {
                Console.out(valid
                    ? "\(username) on \(session.site) (session valid)"
                    : "\(username) on \(session.site) (session expired: run `\(session.server.physio(["login"]))`)")
            } else {
                Console.out("Not logged in to \(session.site). Run `\(session.server.physio(["login"]))`.")
            }
            return valid ? .success : .notLoggedIn
        }
    }
}
