import FoundationEssentials

/// Finds the PhysioNet credentials for a site, trying sources in a fixed order:
///
/// 1. `--password-stdin`: one line from standard input (needs a username from `--username` or
///    `PHYSIONET_USERNAME`);
/// 2. `PHYSIONET_USERNAME` with `PHYSIONET_PASSWORD`, or with `PHYSIONET_PASSWORD_FILE` (the `*_FILE`
///    convention of container and systemd secrets; an explicit `--username` overrides the variable);
/// 3. the netrc entry for the site's host, else its `default` entry (refused when the file is group/world
///    accessible);
/// 4. an interactive prompt with echo off, only when standard input is a terminal.
///
/// Sources 2 and 3 are the unattended ones (`resolveUnattended`): what `fetch`, `sync` and `status` use
/// without asking anyone. Passwords are never accepted as arguments (they would show in `ps` and shell
/// history), and never appear in a message: only where they came from does.
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
        /// Told about credentials that were used but look wrong (one sentence, never the secret).
        public var warn: @Sendable (String) -> Void

        public init(
            environment: [String: String],
            homeDirectory: String,
            standardInputIsTerminal: Bool,
            readStandardInputLine: @escaping @Sendable () -> String?,
            prompter: (any CredentialPrompter)?,
            warn: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.environment = environment
            self.homeDirectory = homeDirectory
            self.standardInputIsTerminal = standardInputIsTerminal
            self.readStandardInputLine = readStandardInputLine
            self.prompter = prompter
            self.warn = warn
        }

        /// `run`'s environment and home directory, with the real standard input and `/dev/tty`. `warn` hears
        /// about credentials that were used but look wrong.
        public static func live(_ run: RunContext, warn: @escaping @Sendable (String) -> Void = { _ in }) -> Context {
            Context(
                environment: run.environment,
                homeDirectory: run.homeDirectory,
                standardInputIsTerminal: TerminalPrompter.standardInputIsTerminal,
                readStandardInputLine: { Swift.readLine(strippingNewline: false) },
                prompter: TerminalPrompter(),
                warn: warn
            )
        }
    }

    public static let usernameVariable = "PHYSIONET_USERNAME"
    public static let passwordVariable = "PHYSIONET_PASSWORD"
    public static let passwordFileVariable = "PHYSIONET_PASSWORD_FILE"

    public var context: Context

    public init(context: Context) {
        self.context = context
    }

    /// Credentials for `site`. `username` is the `--username` flag; `passwordFromStdin` is `--password-stdin`.
    public func resolve(
        for site: PhysioNetSite, username explicitUsername: String? = nil, passwordFromStdin: Bool = false
    ) throws(PhysioError) -> ResolvedCredentials {
        let username = nonEmpty(explicitUsername) ?? nonEmpty(context.environment[Self.usernameVariable])

        if passwordFromStdin {
            guard let username else { throw .passwordStdinNeedsUsername }
            let line = context.readStandardInputLine() ?? ""
            let password = Self.strippingLineEnding(line)
            guard !password.isEmpty else { throw .emptyPassword(source: "standard input") }
            return ResolvedCredentials(credentials: Credentials(username: username, password: password), source: .passwordStdin)
        }

        if let unattended = try resolveUnattended(for: site, username: explicitUsername) { return unattended }

        if context.standardInputIsTerminal, let prompter = context.prompter {
            return try prompt(with: prompter, username: username, host: site.origin.host)
        }
        throw .noCredentials(host: site.origin.host)
    }

    /// The credentials an unattended run uses: the environment (password or password file), else netrc.
    /// `nil` when neither has any; throws when one is present but unusable (an unreadable password file, a
    /// netrc others can read, a password without a username), because silently skipping it would log in as
    /// someone else or not at all.
    public func resolveUnattended(for site: PhysioNetSite, username explicitUsername: String? = nil) throws(PhysioError)
        -> ResolvedCredentials?
    {
        let username = nonEmpty(explicitUsername) ?? nonEmpty(context.environment[Self.usernameVariable])
        if let password = try passwordFromEnvironment() {
            guard let username else { throw .passwordWithoutUsername(source: password.source.description) }
            return ResolvedCredentials(credentials: Credentials(username: username, password: password.text), source: password.source)
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
        return nil
    }

    /// `PHYSIONET_PASSWORD` or the file `PHYSIONET_PASSWORD_FILE` names (not both: which one was meant?).
    private func passwordFromEnvironment() throws(PhysioError) -> (text: String, source: CredentialSource)? {
        let variable = nonEmpty(context.environment[Self.passwordVariable])
        let file = nonEmpty(context.environment[Self.passwordFileVariable])
        if variable != nil && file != nil { throw .conflictingPasswordSources(Self.passwordVariable, Self.passwordFileVariable) }
        if let file {
            let password = try PasswordFile.read(file)
            return (password, .passwordFile(path: file))
        }
        guard var password = variable else { return nil }
        // An HTML password field strips line breaks, so no PhysioNet password ends in one: it came with a
        // file read into the variable (a Kubernetes secret made with `--from-file` from a file that ends in a
        // newline, then passed as `secretKeyRef`). Using it as given would fail as a wrong password.
        let stripped = Self.strippingLineEnding(password)
        if stripped != password {
            context.warn(
                "\(Self.passwordVariable) ends in a line break, which no PhysioNet password can contain; physio "
                    + "removed it. Set the variable without it, or point \(Self.passwordFileVariable) at the file instead.")
            password = stripped
            guard !password.isEmpty else { throw .emptyPassword(source: Self.passwordVariable) }
        }
        return (password, .environment)
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
