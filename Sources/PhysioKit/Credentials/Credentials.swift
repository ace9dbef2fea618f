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
    case environment
    case netrc(path: String)
    case prompt

    public var description: String {
        switch self {
        case .passwordStdin: return "standard input (--password-stdin)"
        case .environment: return "PHYSIONET_USERNAME/PHYSIONET_PASSWORD"
        case .netrc(let path): return "netrc file \(path)"
        case .prompt: return "terminal prompt"
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
