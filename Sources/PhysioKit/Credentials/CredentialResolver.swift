import FoundationEssentials

/// Finds the PhysioNet credentials for a site, trying sources in a fixed order:
///
/// 1. `--password-stdin`: one line from standard input (needs a username from `--username` or
///    `PHYSIONET_USERNAME`);
/// 2. `PHYSIONET_USERNAME` + `PHYSIONET_PASSWORD` (an explicit `--username` overrides the former);
/// 3. the netrc entry for the site's host, else its `default` entry (refused when the file is group/world
///    accessible);
/// 4. an interactive prompt with echo off, only when standard input is a terminal.
///
/// Passwords are never accepted as arguments (they would show in `ps` and shell history).
public struct CredentialResolver: Sendable {
    /// Everything the resolver reads from the outside world, injectable for tests.
    public struct Context: Sendable {
        public var environment: [String: String]
        public var homeDirectory: String
        public var standardInputIsTerminal: Bool
        /// Reads one line from standard input (with or without its newline); `nil` at end of input.
        public var readStandardInputLine: @Sendable () -> String?
        /// `nil` when no terminal is available.
        public var prompter: (any CredentialPrompter)?

        public init(
            environment: [String: String],
            homeDirectory: String,
            standardInputIsTerminal: Bool,
            readStandardInputLine: @escaping @Sendable () -> String?,
            prompter: (any CredentialPrompter)?
        ) {
            self.environment = environment
            self.homeDirectory = homeDirectory
            self.standardInputIsTerminal = standardInputIsTerminal
            self.readStandardInputLine = readStandardInputLine
            self.prompter = prompter
        }

        /// `run`'s environment and home directory, with the real standard input and `/dev/tty`.
        public static func live(_ run: RunContext) -> Context {
            Context(
                environment: run.environment,
                homeDirectory: run.homeDirectory,
                standardInputIsTerminal: TerminalPrompter.standardInputIsTerminal,
                readStandardInputLine: { Swift.readLine(strippingNewline: false) },
                prompter: TerminalPrompter()
            )
        }
    }

    public static let usernameVariable = "PHYSIONET_USERNAME"
    public static let passwordVariable = "PHYSIONET_PASSWORD"

    public var context: Context

    public init(context: Context) {
        self.context = context
    }

    /// Credentials for `site`. `username` is the `--username` flag; `passwordFromStdin` is `--password-stdin`.
    public func resolve(
        for site: PhysioNetSite, username explicitUsername: String? = nil, passwordFromStdin: Bool = false
    ) throws(PhysioError) -> ResolvedCredentials {
        let environmentUsername = nonEmpty(context.environment[Self.usernameVariable])
        let username = nonEmpty(explicitUsername) ?? environmentUsername

        if passwordFromStdin {
            guard let username else { throw .passwordStdinNeedsUsername }
            let line = context.readStandardInputLine() ?? ""
            let password = Self.strippingLineEnding(line)
            guard !password.isEmpty else { throw .emptyPassword(source: "standard input") }
            return ResolvedCredentials(credentials: Credentials(username: username, password: password), source: .passwordStdin)
        }

        if let password = nonEmpty(context.environment[Self.passwordVariable]), let username {
            return ResolvedCredentials(credentials: Credentials(username: username, password: password), source: .environment)
        }

        let loader = NetrcLoader(environment: context.environment, homeDirectory: context.homeDirectory)
        if let netrc = try loader.load(), let entry = netrc.entry(forHost: site.origin.host, login: username),
            let password = entry.password
        {
            guard !password.isEmpty else { throw .emptyPassword(source: "netrc file \(loader.path)") }
            if let login = nonEmpty(entry.login) ?? username {
                return ResolvedCredentials(credentials: Credentials(username: login, password: password), source: .netrc(path: loader.path))
            }
        }

        if context.standardInputIsTerminal, let prompter = context.prompter {
            return try prompt(with: prompter, username: username, host: site.origin.host)
        }
        throw .noCredentials(host: site.origin.host)
    }

    private func prompt(with prompter: any CredentialPrompter, username: String?, host: String) throws(PhysioError)
        -> ResolvedCredentials
    {
        do {
            guard let name = try username ?? nonEmpty(prompter.readLine(prompt: "PhysioNet username for \(host): ")) else {
                throw PhysioError.noCredentials(host: host)
            }
            let password = try prompter.readSecret(prompt: "PhysioNet password for \(name): ") ?? ""
            guard !password.isEmpty else { throw PhysioError.emptyPassword(source: "the prompt") }
            return ResolvedCredentials(credentials: Credentials(username: name, password: password), source: .prompt)
        } catch let error as PhysioError {
            throw error
        } catch {
            // The terminal could not be opened after all (no controlling terminal).
            throw .noCredentials(host: host)
        }
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// Strips exactly one trailing line ending (`\n` or `\r\n`); other whitespace may be part of the password.
    static func strippingLineEnding(_ line: String) -> String {
        var line = line
        if line.hasSuffix("\r\n") {
            line.removeLast(1)  // "\r\n" is one Character in Swift
        } else if line.hasSuffix("\n") {
            line.removeLast()
        }
        return line
    }
}
