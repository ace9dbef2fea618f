import Foundation

/// physio's user-facing error: each case carries the facts, and `message` is one sentence saying what went
/// wrong plus the next thing to do. Never a curl code or a type dump; never a secret.
public enum PhysioError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case projectNotFound(slug: String, baseURL: String)
    case versionNotFound(slug: String, version: String)
    case checksumListMissing(slug: String, version: String)
    case unsafeChecksumEntry(line: Int, path: String, reason: String)
    case malformedChecksumList(line: Int, reason: String)
    case network(TransportError)
    case serverError(url: String, status: Int)
    case notLoggedIn(slug: String, version: String)
    case sessionExpired(slug: String, version: String)
    case accessDenied(slug: String, version: String, detail: String)
    case pinDrift(slug: String, version: String, differences: [String])
    case integrity(path: String, expected: String, actual: String)
    case filesystem(path: String, detail: String)
    case locked(path: String, holder: String)
    case manifestFromNewerPhysio(path: String, schema: Int)
    case insecureBaseURL(String)
    case basicNeedsHTTPS(baseURL: String)
    /// A signal stopped the run; `verified` files were recorded, `partial` transfers kept their bytes.
    case interrupted(signal: Int32, slug: String, version: String?, verified: Int, partial: Int)
    case internalFailure(String)

    public var exitCode: ExitCode {
        switch self {
        case .usage, .insecureBaseURL, .basicNeedsHTTPS: return .usage
        case .projectNotFound, .versionNotFound, .checksumListMissing, .malformedChecksumList: return .notFound
        case .network, .serverError: return .network
        case .notLoggedIn, .sessionExpired: return .notLoggedIn
        case .accessDenied: return .accessDenied
        case .pinDrift, .integrity: return .integrity
        case .unsafeChecksumEntry, .filesystem, .manifestFromNewerPhysio: return .localFilesystem
        case .locked: return .locked
        case .internalFailure: return .internalError
        case .interrupted(let signal, _, _, _, _): return signal == 15 ? .terminated : .interrupted
        }
    }

    public var description: String { message }

    public var message: String {
        switch self {
        case .usage(let text):
            return text
        case .projectNotFound(let slug, let base):
            return "No published project '\(slug)' on \(base). Check the slug on the project's page (the part after /content/)."
        case .versionNotFound(let slug, let version):
            return "Project '\(slug)' has no version \(version). Run `physio fetch \(slug)` for the latest version, or check the versions on its page."
        case .checksumListMissing(let slug, let version):
            return "\(slug) \(version) publishes no SHA256SUMS.txt and no file listing could be read. Try again later or report it to PhysioNet."
        case .unsafeChecksumEntry(let line, let path, let reason):
            return "SHA256SUMS.txt line \(line) names an unsafe path '\(path.debugDescription.dropFirst().dropLast())' (\(reason)); nothing was written for it. Report the list to PhysioNet."
        case .malformedChecksumList(let line, let reason):
            return "SHA256SUMS.txt line \(line) is malformed (\(reason)). Report the list to PhysioNet, or rerun later."
        case .network(let error):
            return "\(error.description.prefix(1).uppercased())\(error.description.dropFirst()). Check your connection and rerun: finished files are kept and partial ones resume."
        case .serverError(let url, let status):
            return "The server answered HTTP \(status) for \(url). Rerun later: finished files are kept and partial ones resume."
        case .notLoggedIn(let slug, let version):
            return "\(slug) \(version) needs a PhysioNet login. Run `physio login` (or set PHYSIONET_USERNAME and PHYSIONET_PASSWORD) and rerun."
        case .sessionExpired(let slug, let version):
            return "PhysioNet stopped serving \(slug) \(version) to this session (login expired) and no non-interactive credentials were available to log in again. Run `physio login` (or set PHYSIONET_USERNAME and PHYSIONET_PASSWORD) and rerun: partial files resume."
        case .accessDenied(let slug, let version, let detail):
            return "Your account cannot access \(slug) \(version)\(detail.isEmpty ? "" : ": \(detail)"). Run `physio status \(slug)@\(version)` to see what is missing."
        case .pinDrift(let slug, let version, let differences):
            let shown = differences.prefix(10).joined(separator: "; ")
            let more = differences.count > 10 ? " and \(differences.count - 10) more" : ""
            return "The server's SHA256SUMS.txt for \(slug) \(version) differs from the copy pinned in physio (\(shown)\(more)). Nothing was downloaded; rerun with --trust-server to accept the server's list."
        case .integrity(let path, let expected, let actual):
            return "\(path) failed verification twice (expected SHA-256 \(expected), got \(actual)). The file was not kept; rerun later or report it to PhysioNet."
        case .filesystem(let path, let detail):
            return "Cannot write \(path): \(detail). Free space or fix permissions, then rerun."
        case .locked(let path, let holder):
            return "Another physio run (\(holder)) is working on this dataset (lock \(path)). Wait for it to finish, or stop it."
        case .manifestFromNewerPhysio(let path, let schema):
            return "\(path) was written by a newer physio (schema \(schema)). Upgrade physio to use this data folder."
        case .insecureBaseURL(let url):
            return "Refusing plain http to \(url): credentials and data would cross the network unprotected. Use https, or pass --allow-insecure-http if you really mean it."
        case .basicNeedsHTTPS(let base):
            return "PhysioNet honours HTTP Basic only over https, and \(base) is plain http, so the server ignored the credentials. Use the default login (`physio login`, then fetch without --auth), or an https base URL."
        case .interrupted(let signal, let slug, let version, let verified, let partial):
            let name = signal == 15 ? "SIGTERM" : signal == 2 ? "SIGINT" : "signal \(signal)"
            let target = version.map { "\(slug)@\($0)" } ?? slug
            guard verified + partial > 0 else {
                return "Stopped by \(name) before any file was downloaded; nothing changed. Rerun `physio fetch \(target)` to start again."
            }
            return "Stopped by \(name): \(verified) file\(verified == 1 ? "" : "s") verified and recorded this run, \(partial) partial file\(partial == 1 ? "" : "s") kept. Rerun `physio fetch \(target)` to resume where it stopped."
        case .internalFailure(let text):
            return "Internal error: \(text). Please report this with the command you ran."
        }
    }
}
