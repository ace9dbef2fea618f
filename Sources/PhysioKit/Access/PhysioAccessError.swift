/// Everything that can go wrong while resolving credentials, logging in, keeping a session and checking access.
///
/// Each case carries the facts (path, URL, project, requirement) and its `description` is one sentence naming
/// the problem plus the next thing to do. No case carries a password or a cookie value, so every message is safe
/// to print. `category` groups cases for the CLI's exit codes (`exitCode`: 4 network, 5 login, 6 access).
public enum PhysioAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    // Configuration
    case invalidBaseURL(String, reason: String)
    case netrcInsecurePermissions(path: String, mode: UInt16)
    case netrcNotOwned(path: String)
    case netrcUnreadable(path: String, reason: String)
    case netrcMalformed(path: String, line: Int, reason: String)
    // Credentials
    case noCredentials(host: String)
    case passwordStdinNeedsUsername
    case emptyPassword(source: String)
    // Login
    case wrongCredentials(username: String)
    case inactiveAccount(username: String)
    case csrfRejected(reason: String)
    case loginNotConfirmed(username: String)
    case loginFormUnrecognised(url: String)
    // Session
    case notLoggedIn(host: String)
    case sessionExpired(host: String)
    case sessionFileExposed(path: String, mode: UInt16)
    case sessionFileNotOwned(path: String)
    case sessionFileUnreadable(path: String, reason: String)
    case sessionFileFromNewerVersion(path: String, schemaVersion: Int)
    case sessionFileUnwritable(path: String, reason: String)
    // Access
    case projectNotFound(slug: String, version: String)
    case loginRequired(slug: String, version: String)
    case accessRequirementsMissing(slug: String, version: String, requirements: [AccessRequirement])
    case filesUnavailable(slug: String, version: String, reason: String)
    case unrecognisedPage(url: String, expected: String)
    // Server and network
    case unexpectedResponse(url: String, status: Int, during: String)
    case serverUnreachable(url: String, detail: String)

    public enum Category: String, Sendable, Codable {
        /// Bad flags, base URL, or unsafe local files: the user must change something locally.
        case configuration
        /// No credentials, rejected credentials, no or expired session.
        case authentication
        /// Logged in (or not required) but a project requirement is unmet or the files are unavailable.
        case access
        /// The server could not be reached, or answered in a way PhysioNet does not.
        case network
    }

    public var category: Category {
        switch self {
        case .invalidBaseURL, .netrcInsecurePermissions, .netrcNotOwned, .netrcUnreadable, .netrcMalformed,
            .passwordStdinNeedsUsername, .emptyPassword, .sessionFileExposed, .sessionFileNotOwned,
            .sessionFileUnreadable, .sessionFileFromNewerVersion, .sessionFileUnwritable:
            return .configuration
        case .noCredentials, .wrongCredentials, .inactiveAccount, .loginNotConfirmed, .notLoggedIn, .sessionExpired,
            .loginRequired:
            return .authentication
        case .projectNotFound, .accessRequirementsMissing, .filesUnavailable:
            return .access
        case .csrfRejected, .loginFormUnrecognised, .unrecognisedPage, .unexpectedResponse, .serverUnreachable:
            return .network
        }
    }

    /// physio's exit code for this error (README "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .projectNotFound: return ExitCode.notFound.rawValue
        case .sessionFileUnwritable: return ExitCode.localFilesystem.rawValue
        default: break
        }
        switch category {
        case .network: return ExitCode.network.rawValue
        case .authentication: return ExitCode.notLoggedIn.rawValue
        case .access: return ExitCode.accessDenied.rawValue
        // Unsafe netrc or session files, bad flags: the user must change something locally.
        case .configuration: return ExitCode.usage.rawValue
        }
    }

    public var description: String {
        switch self {
        case .invalidBaseURL(let url, let reason):
            return "The base URL \(url) cannot be used: \(reason). Pass an https:// URL such as https://physionet.org."
        case .netrcInsecurePermissions(let path, let mode):
            return "The netrc file \(path) is accessible by other users (mode \(Self.octal(mode))), so physio will not "
                + "read passwords from it. Run `chmod 600 \(path)` and try again."
        case .netrcNotOwned(let path):
            return "The netrc file \(path) belongs to another user, so physio will not read passwords from it. "
                + "Use your own netrc file (set NETRC) or another credential source."
        case .netrcUnreadable(let path, let reason):
            return "The netrc file \(path) could not be read (\(reason)). Fix or remove it, or set NETRC to another file."
        case .netrcMalformed(let path, let line, let reason):
            return "The netrc file \(path) is malformed at line \(line): \(reason). Fix that line and try again."
        case .noCredentials(let host):
            return "No PhysioNet credentials were found for \(host). Set PHYSIONET_USERNAME and PHYSIONET_PASSWORD, "
                + "add a `machine \(host)` entry to ~/.netrc (mode 600), or pass --username with --password-stdin."
        case .passwordStdinNeedsUsername:
            return "--password-stdin needs a username. Pass --username or set PHYSIONET_USERNAME."
        case .emptyPassword(let source):
            return "The password from \(source) is empty. Provide the PhysioNet password there and try again."
        case .wrongCredentials(let username):
            return "PhysioNet rejected the username or password for \(username). Check them and run `physio login` again."
        case .inactiveAccount(let username):
            return "The PhysioNet account \(username) has not been activated. Follow the activation link PhysioNet "
                + "e-mailed you, then run `physio login` again."
        case .csrfRejected(let reason):
            return "PhysioNet refused the login form submission (\(reason)). Check that the base URL is the site's "
                + "own address (no proxy rewriting Origin), then run `physio login` again."
        case .loginNotConfirmed(let username):
            return "PhysioNet accepted the login for \(username) but the new session was not recognised. "
                + "Run `physio login` again; if it persists, check that cookies reach the server unchanged."
        case .loginFormUnrecognised(let url):
            return "The login form at \(url) did not provide a CSRF token. Check that the base URL points at PhysioNet."
        case .notLoggedIn(let host):
            return "You are not logged in to \(host). Run `physio login` first."
        case .sessionExpired(let host):
            return "Your session with \(host) has expired or was ended. Run `physio login` again."
        case .sessionFileExposed(let path, let mode):
            return "The session file \(path) was readable by other users (mode \(Self.octal(mode))), so it was "
                + "discarded as possibly leaked. Run `physio login` again."
        case .sessionFileNotOwned(let path):
            return "The session file \(path) belongs to another user, so it was not used. Remove it and run "
                + "`physio login` again."
        case .sessionFileUnreadable(let path, let reason):
            return "The session file \(path) could not be read (\(reason)). Run `physio login` to replace it."
        case .sessionFileFromNewerVersion(let path, let schemaVersion):
            return "The session file \(path) was written by a newer physio (schema \(schemaVersion)). "
                + "Upgrade physio or run `physio login` to replace it."
        case .sessionFileUnwritable(let path, let reason):
            return "The session could not be saved to \(path) (\(reason)). Check that directory's permissions "
                + "or set XDG_STATE_HOME, then run `physio login` again."
        case .projectNotFound(let slug, let version):
            return "PhysioNet has no project \(slug) version \(version). Check the slug and version on the project's page."
        case .loginRequired(let slug, let version):
            return "\(slug) \(version) is not open access, so you must be logged in to get its files. Run `physio login` first."
        case .accessRequirementsMissing(let slug, let version, let requirements):
            let list = requirements.map(\.summary).joined(separator: "; ")
            return "You do not meet the access requirements of \(slug) \(version): \(list). "
                + "Run `physio status \(slug)@\(version)` for the pages where you can fix them."
        case .filesUnavailable(let slug, let version, let reason):
            return "The files of \(slug) \(version) cannot be downloaded: \(reason). See the project page for alternatives."
        case .unrecognisedPage(let url, let expected):
            return "The page \(url) did not contain the expected \(expected). Check the base URL, or report this "
                + "as PhysioNet may have changed its pages."
        case .unexpectedResponse(let url, let status, let during):
            return "PhysioNet answered HTTP \(status) for \(url) while \(during). Try again later; if it persists, "
                + "check the base URL."
        case .serverUnreachable(let url, let detail):
            return "PhysioNet could not be reached at \(url) (\(detail)). Check your network connection and try again."
        }
    }

    static func octal(_ mode: UInt16) -> String {
        "0" + String(mode & 0o777, radix: 8)
    }
}
