/// A PhysioNet username and password. The password is never shown: `description`, `debugDescription` and the
/// reflection mirror (what `dump` and string interpolation of containers use) all redact it.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The username or the account's primary e-mail address (docs/protocol.md §2).
    public let username: String
    public let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public var description: String { "\(username) (password redacted)" }
    public var debugDescription: String { "Credentials(username: \(username), password: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["username": username, "password": "<redacted>"]) }
}

/// Where the credentials came from, so the CLI can say so (never what they are).
public enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
    case passwordStdin
    /// `PHYSIONET_USERNAME` and `PHYSIONET_PASSWORD`.
    case environment
    /// `PHYSIONET_USERNAME` and the file `PHYSIONET_PASSWORD_FILE` names.
    case passwordFile(path: String)
    case netrc(path: String)
    case prompt

    /// Whether an unattended run (fetch, sync, status) may use this source without asking anyone.
    public var isUnattended: Bool {
        switch self {
        case .environment, .passwordFile, .netrc: return true
        case .passwordStdin, .prompt: return false
        }
    }

    /// Where, in words a message can use: "credentials from <description>".
    public var description: String {
        switch self {
        case .passwordStdin: return "standard input (--password-stdin)"
        case .environment: return "the environment variables PHYSIONET_USERNAME and PHYSIONET_PASSWORD"
        case .passwordFile(let path): return "PHYSIONET_USERNAME and PHYSIONET_PASSWORD_FILE=\(path)"
        case .netrc(let path): return "netrc file \(path)"
        case .prompt: return "the terminal prompt"
        }
    }

    /// Where the password can be corrected, for a refused login.
    public var howToFix: String {
        switch self {
        case .passwordStdin: return "Check the username and the password you piped in, then run `physio login --password-stdin` again."
        case .environment: return "Check PHYSIONET_USERNAME and PHYSIONET_PASSWORD (or unset them to use another source), then run the command again."
        case .passwordFile(let path): return "Check PHYSIONET_USERNAME and the password in \(path), then run the command again."
        case .netrc(let path): return "Check the login and password in \(path), then run the command again."
        case .prompt: return "Check them and run `physio login` again."
        }
    }
}

/// Credentials plus their source.
public struct ResolvedCredentials: Sendable, Equatable {
    public let credentials: Credentials
    public let source: CredentialSource

    public init(credentials: Credentials, source: CredentialSource) {
        self.credentials = credentials
        self.source = source
    }
}
