import ArgumentParser
import Foundation
import PhysioKit

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to PhysioNet and keep the session for later commands.",
        discussion: """
            Credentials come from, in order: --password-stdin (with --username), PHYSIONET_USERNAME and \
            PHYSIONET_PASSWORD, the ~/.netrc (or $NETRC) entry for the server's host, or a prompt with echo off. \
            There is deliberately no --password option: arguments are visible to every user of the machine. \
            The session is saved under $XDG_STATE_HOME/physio/ (default ~/.local/state/physio/), mode 0600.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "PhysioNet username or primary e-mail.")
    var username: String?

    @Flag(name: .long, help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    func run() async throws {
        try await reportingFailures {
            let session = try connection.openSession()
            let (result, source) = try await session.logIn(username: username, passwordFromStdin: passwordStdin)
            var line = "Logged in to \(session.site) as \(result.username) (credentials from \(source))"
            if let credentialing = result.credentialing {
                line += "; " + StatusPrinter.describe(credentialing)
            }
            Console.out(line + ".")
            return 0
        }
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "End the saved PhysioNet session and delete it.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let session = try connection.openSession()
            guard let stored = session.stored else {
                Console.out("Not logged in to \(session.site); nothing to do.")
                return 0
            }
            // Best effort: the server ends the session; the local file goes regardless.
            try? await AccountProbe(transport: session.transport, site: session.site).logout()
            try session.store.delete(for: session.site)
            Console.out("Logged out \(stored.username) from \(session.site).")
            return 0
        }
    }
}

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
                    : "\(username) on \(session.site) (session expired: run `physio login`)")
            } else {
                Console.out("Not logged in to \(session.site). Run `physio login`.")
            }
            return valid ? 0 : PhysioExitCode.notLoggedIn.rawValue
        }
    }
}
