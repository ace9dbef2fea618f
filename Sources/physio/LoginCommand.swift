import ArgumentParser
import FoundationEssentials
import PhysioKit

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to PhysioNet and keep the session for later commands.",
        discussion: """
            Credentials come from, in order: --password-stdin (with --username), PHYSIONET_USERNAME with \
            PHYSIONET_PASSWORD or PHYSIONET_PASSWORD_FILE (a file holding the password, less one trailing \
            newline: systemd and container secrets), the ~/.netrc (or $NETRC) entry for the server's host, or a \
            prompt with echo off. ~ is $HOME. There is deliberately no --password option: arguments are visible \
            to every user of the machine. The session is saved under $XDG_STATE_HOME/physio/ (default \
            ~/.local/state/physio/), mode 0600. A refused password exits 5, naming where it came from.
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
            return .success
        }
    }
}
