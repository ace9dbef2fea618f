import FoundationEssentials
import Glibc

/// Every failure physio reports, one constructor each, grouped by exit code. Each names its facts, says in
/// one sentence what happened, and gives the next thing to do. None takes a password or a cookie value.
extension PhysioError {
    // MARK: Usage and configuration: the user must change something locally (exit 2)

    public static func usage(_ text: String) -> PhysioError {
        PhysioError(
            .usage, .usage, facts: ["text": text],
            what: "\(text)")
    }

    public static func invalidBaseURL(_ url: String, reason: String) -> PhysioError {
        PhysioError(
            .usage, .invalidBaseURL, facts: ["url": url, "reason": reason],
            what: "The base URL \(url) cannot be used: \(reason).",
            next: "Pass an https:// URL such as https://physionet.org.")
    }

    public static func basicNeedsHTTPS(baseURL base: String) -> PhysioError {
        PhysioError(
            .usage, .basicNeedsHTTPS, facts: ["baseURL": base],
            what: "PhysioNet honours HTTP Basic only over https, and \(base) is plain http, so the server ignored the credentials.",
            next: "Use the default login (`physio login`, then fetch without --auth), or an https base URL.")
    }

    public static func netrcInsecurePermissions(path: String, mode: UInt16) -> PhysioError {
        PhysioError(
            .usage, .netrcInsecurePermissions, facts: ["path": path, "mode": "\(mode)"],
            what: "The netrc file \(path) is accessible by other users (mode \(Self.octal(mode))), so physio will not read passwords from it.",
            next: "Run `chmod 600 \(path)` and try again.")
    }

    public static func netrcNotOwned(path: String) -> PhysioError {
        PhysioError(
            .usage, .netrcNotOwned, facts: ["path": path],
            what: "The netrc file \(path) belongs to another user, so physio will not read passwords from it.",
            next: "Use your own netrc file (set NETRC) or another credential source.")
    }

    public static func netrcUnreadable(path: String, reason: String) -> PhysioError {
        PhysioError(
            .usage, .netrcUnreadable, facts: ["path": path, "reason": reason],
            what: "The netrc file \(path) could not be read (\(reason)).",
            next: "Fix or remove it, or set NETRC to another file.")
    }

    public static func netrcMalformed(path: String, line: Int, reason: String) -> PhysioError {
        PhysioError(
            .usage, .netrcMalformed, facts: ["path": path, "line": "\(line)", "reason": reason],
            what: "The netrc file \(path) is malformed at line \(line): \(reason).",
            next: "Fix that line and try again.")
    }

    /// A cloud credentials file (`~/.aws/credentials`) that others could read, not ours, or unreadable.
    public static func cloudCredentialsFile(path: String, problem: String) -> PhysioError {
        PhysioError(
            .usage, .cloudCredentialsFile, facts: ["path": path, "problem": problem],
            what: "The credentials file \(path) \(problem), so physio will not read keys from it.",
            next: "Make it your own and private (`chmod 600 \(path)`), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
    }

    public static var passwordStdinNeedsUsername: PhysioError {
        PhysioError(
            .usage, .passwordStdinNeedsUsername, facts: [:],
            what: "--password-stdin needs a username.",
            next: "Pass --username or set PHYSIONET_USERNAME.")
    }

    public static func emptyPassword(source: String) -> PhysioError {
        PhysioError(
            .usage, .emptyPassword, facts: ["source": source],
            what: "The password from \(source) is empty.",
            next: "Provide the PhysioNet password there and try again.")
    }

    public static func passwordFileUnreadable(variable: String, path: String, reason: String) -> PhysioError {
        PhysioError(
            .usage, .passwordFileUnreadable, facts: ["variable": variable, "path": path, "reason": reason],
            what: "\(variable) names \(path), which could not be read as a password file (\(reason)).",
            next: "Point \(variable) at a readable file that holds the password, or unset it.")
    }

    public static func conflictingPasswordSources(_ first: String, _ second: String) -> PhysioError {
        PhysioError(
            .usage, .conflictingPasswordSources, facts: ["first": first, "second": second],
            what: "Both \(first) and \(second) are set, so physio cannot tell which password you meant.",
            next: "Unset one of them.")
    }

    public static func passwordWithoutUsername(source: String) -> PhysioError {
        PhysioError(
            .usage, .passwordWithoutUsername, facts: ["source": source],
            what: "A password is set in \(source), but no username goes with it.",
            next: "Set PHYSIONET_USERNAME (or pass --username) too.")
    }

    public static func sessionFileExposed(path: String, mode: UInt16) -> PhysioError {
        PhysioError(
            .usage, .sessionFileExposed, facts: ["path": path, "mode": "\(mode)"],
            what: "The session file \(path) was readable by other users (mode \(Self.octal(mode))), so it was discarded as possibly leaked.",
            next: "Run `physio login` again.")
    }

    public static func sessionFileNotOwned(path: String) -> PhysioError {
        PhysioError(
            .usage, .sessionFileNotOwned, facts: ["path": path],
            what: "The session file \(path) belongs to another user, so it was not used.",
            next: "Remove it and run `physio login` again.")
    }

    public static func sessionFileUnreadable(path: String, reason: String) -> PhysioError {
        PhysioError(
            .usage, .sessionFileUnreadable, facts: ["path": path, "reason": reason],
            what: "The session file \(path) could not be read (\(reason)).",
            next: "Run `physio login` to replace it.")
    }

    public static func sessionFileFromNewerVersion(path: String, schemaVersion: Int) -> PhysioError {
        PhysioError(
            .usage, .sessionFileFromNewerVersion, facts: ["path": path, "schemaVersion": "\(schemaVersion)"],
            what: "The session file \(path) was written by a newer physio (schema \(schemaVersion)).",
            next: "Upgrade physio or run `physio login` to replace it.")
    }

    public static func configuration(path: String, line: Int, problem: String, fix: String) -> PhysioError {
        PhysioError(
            .usage, .configuration, facts: ["path": path, "line": "\(line)", "problem": problem],
            what: "\(path) line \(line): \(problem).",
            next: fix)
    }

    public static func configurationUnreadable(path: String, reason: String) -> PhysioError {
        PhysioError(
            .usage, .configurationUnreadable, facts: ["path": path, "reason": reason],
            what: "\(path) could not be read (\(reason)).",
            next: "Check the path and its permissions, or pass another with --file.")
    }

    public static func noDataEnvironment(from folder: String) -> PhysioError {
        PhysioError(
            .usage, .noDataEnvironment, facts: ["folder": folder],
            what: "No physio.toml was found in \(folder) or any folder above it.",
            next: "Run `physio init` to write one, or pass --file PATH.")
    }

    public static func lockedVersionChange(slug: String, locked: String, wanted: String, lockFile: String) -> PhysioError {
        PhysioError(
            .integrity, .lockedVersionChange, facts: ["slug": slug, "locked": locked, "wanted": wanted, "lockFile": lockFile],
            what: "\(slug) is locked at \(locked) in \(lockFile), but physio.toml now asks for \(wanted).",
            next: "Run `physio sync` without --locked to move to \(wanted) and rewrite the lock, or restore physio.toml.")
    }

    // MARK: Login and session (exit 5)

    public static func noCredentials(host: String) -> PhysioError {
        PhysioError(
            .notLoggedIn, .noCredentials, facts: ["host": host],
            what: "No PhysioNet credentials were found for \(host).",
            next: "Set PHYSIONET_USERNAME and PHYSIONET_PASSWORD, add a `machine \(host)` entry to ~/.netrc (mode 600), or pass --username with --password-stdin.")
    }

    /// `source`, when known, is where the refused password came from: the message names it (never the password).
    public static func wrongCredentials(username: String, source: CredentialSource? = nil) -> PhysioError {
        guard let source else {
            return PhysioError(
                .notLoggedIn, .wrongCredentials, facts: ["username": username],
                what: "PhysioNet rejected the username or password for \(username).",
                next: "Check them and run `physio login` again.")
        }
        return PhysioError(
            .notLoggedIn, .wrongCredentials, facts: ["username": username, "source": source.description],
            what: "PhysioNet refused the password for \(username); the credentials came from \(source).",
            next: source.howToFix)
    }

    public static func inactiveAccount(username: String) -> PhysioError {
        PhysioError(
            .notLoggedIn, .inactiveAccount, facts: ["username": username],
            what: "The PhysioNet account \(username) has not been activated.",
            next: "Follow the activation link PhysioNet e-mailed you, then run `physio login` again.")
    }

    public static func loginNotConfirmed(username: String) -> PhysioError {
        PhysioError(
            .notLoggedIn, .loginNotConfirmed, facts: ["username": username],
            what: "PhysioNet accepted the login for \(username) but the new session was not recognised.",
            next: "Run `physio login` again; if it persists, check that cookies reach the server unchanged.")
    }

    /// `server`, here and below: the run's options for reaching the server, which the command named carries.
    public static func sessionExpired(host: String, server: ServerArguments = ServerArguments()) -> PhysioError {
        PhysioError(
            .notLoggedIn, .sessionExpired, facts: ["host": host],
            what: "Your session with \(host) has expired or was ended.",
            next: "Run `\(server.physio(["login"]))` again.")
    }

    public static func sessionExpired(slug: String, version: String, server: ServerArguments = ServerArguments()) -> PhysioError {
        PhysioError(
            .notLoggedIn, .sessionExpired, facts: ["slug": slug, "version": version],
            what: "PhysioNet stopped serving \(slug) \(version) to this session (login expired) and no non-interactive credentials were available to log in again.",
            next: "Run `\(server.physio(["login"]))` (or set PHYSIONET_USERNAME and PHYSIONET_PASSWORD) and rerun: partial files resume.")
    }

    public static func loginRequired(slug: String, version: String, server: ServerArguments = ServerArguments()) -> PhysioError {
        PhysioError(
            .notLoggedIn, .loginRequired, facts: ["slug": slug, "version": version],
            what: "\(slug) \(version) is not open access, so you must be logged in to get its files.",
            next: "Run `\(server.physio(["login"]))` first.")
    }

    public static func notLoggedIn(slug: String, version: String, server: ServerArguments = ServerArguments()) -> PhysioError {
        PhysioError(
            .notLoggedIn, .notLoggedIn, facts: ["slug": slug, "version": version],
            what: "\(slug) \(version) needs a PhysioNet login.",
            next: "Run `\(server.physio(["login"]))` (or set PHYSIONET_USERNAME and PHYSIONET_PASSWORD) and rerun.")
    }

    public static func mirrorNeedsCredentials(source: String, how: String) -> PhysioError {
        PhysioError(
            .notLoggedIn, .mirrorNeedsCredentials, facts: ["source": source],
            what: "The mirror \(source) needs credentials and none were found.",
            next: "To read it, \(how); or fetch from PhysioNet with --source physionet.")
    }

    public static func mirrorRefused(source: String, status: Int, code: String?, credentials: String?) -> PhysioError {
        let why = code.map { " (\($0))" } ?? ""
        let from = credentials.map { " with the credentials from \($0)" } ?? ""
        return PhysioError(
            .notLoggedIn, .mirrorRefused, facts: ["source": source, "status": "\(status)", "code": code ?? ""],
            what: "The mirror \(source) refused access\(from): HTTP \(status)\(why).",
            next: "Check the keys or token and that PhysioNet's cloud settings granted your account this bucket; or fetch from PhysioNet with --source physionet.")
    }

    // MARK: Access (exit 6)

    public static func accessDenied(slug: String, version: String, detail: String, server: ServerArguments = ServerArguments()) -> PhysioError {
        PhysioError(
            .accessDenied, .accessDenied, facts: ["slug": slug, "version": version, "detail": detail],
            what: "Your account cannot access \(slug) \(version)\(detail.isEmpty ? "" : ": \(detail)").",
            next: "Run `\(server.physio(["status", "\(slug)@\(version)"]))` to see what is missing.")
    }

    public static func filesUnavailable(slug: String, version: String, reason: String) -> PhysioError {
        PhysioError(
            .accessDenied, .filesUnavailable, facts: ["slug": slug, "version": version, "reason": reason],
            what: "The files of \(slug) \(version) cannot be downloaded: \(reason).",
            next: "See the project page for alternatives.")
    }

    // MARK: Not found (exit 3)

    public static func projectNotFound(slug: String, version: String) -> PhysioError {
        PhysioError(
            .notFound, .projectNotFound, facts: ["slug": slug, "version": version],
            what: "PhysioNet has no project \(slug) version \(version).",
            next: "Check the slug and version on the project's page.")
    }

    /// `suggestions`: the closest published slugs with their pages (`ProjectCatalog.explain`).
    public static func projectNotFound(slug: String, baseURL base: String, suggestions: [(slug: String, page: String)] = []) -> PhysioError {
        let next: String
        if let first = suggestions.first {
            let others = suggestions.dropFirst().map(\.slug)
            next = "Did you mean \(first.slug) (\(first.page))"
                + (others.isEmpty ? "" : ", or " + others.joined(separator: ", or "))
                + "? `physio search WORD` lists published projects."
        } else {
            next = "Check the slug on the project's page (the part after /content/), or look it up with `physio search WORD`."
        }
        return PhysioError(
            .notFound, .projectNotFound, facts: ["slug": slug, "baseURL": base, "suggestions": suggestions.map(\.slug).joined(separator: " ")],
            what: "No published project '\(slug)' on \(base).", next: next)
    }

    /// `published`: the versions there are, oldest first, and `rerun` fetching the latest one
    /// (`ProjectCatalog.explain`); without them, the short form.
    public static func versionNotFound(
        slug: String, version: String, published: [String] = [], page: String? = nil, rerun: PrintedCommand? = nil
    ) -> PhysioError {
        guard let latest = published.last else {
            return PhysioError(
                .notFound, .versionNotFound, facts: ["slug": slug, "version": version],
                what: "Project '\(slug)' has no version \(version).",
                next: "Run `physio versions \(slug)` to list the published ones.")
        }
        let fetch = rerun?.description ?? "physio fetch \(slug)@\(latest)"
        return PhysioError(
            .notFound, .versionNotFound, facts: ["slug": slug, "version": version, "published": published.joined(separator: " ")],
            what: "Project '\(slug)' has no version \(version); published: \(published.joined(separator: ", ")) (\(latest) is the latest)\(page.map { ", see \($0)" } ?? "").",
            next: "Run `\(fetch)` for the latest.")
    }

    public static func checksumListMissing(slug: String, version: String) -> PhysioError {
        PhysioError(
            .notFound, .checksumListMissing, facts: ["slug": slug, "version": version],
            what: "\(slug) \(version) publishes no SHA256SUMS.txt and no file listing could be read.",
            next: "Try again later or report it to PhysioNet.")
    }

    public static func malformedChecksumList(line: Int, reason: String) -> PhysioError {
        PhysioError(
            .notFound, .malformedChecksumList, facts: ["line": "\(line)", "reason": reason],
            what: "SHA256SUMS.txt line \(line) is malformed (\(reason)).",
            next: "Report the list to PhysioNet, or rerun later.")
    }

    // MARK: Network and server (exit 4)

    public static func serverError(url: String, status: Int) -> PhysioError {
        PhysioError(
            .network, .serverError, facts: ["url": url, "status": "\(status)"],
            what: "The server answered HTTP \(status) for \(url).",
            next: "Rerun later: finished files are kept and partial ones resume.")
    }

    public static func tlsFailure(url: String, detail: String) -> PhysioError {
        PhysioError(
            .network, .tlsFailure, facts: ["url": url, "detail": detail],
            what: "The TLS certificate of \(url) could not be verified (\(detail)).",
            next: "If your institution's network re-signs TLS, pass its CA certificate with --cacert FILE (or set SSL_CERT_FILE).")
    }

    public static func proxyFailure(url: String, detail: String) -> PhysioError {
        PhysioError(
            .network, .proxyFailure, facts: ["url": url, "detail": detail],
            what: "The proxy would not connect physio to \(url) (\(detail)).",
            next: "Check --proxy or HTTPS_PROXY, and give proxy credentials in HTTPS_PROXY (http://user:password@host:port), never on the command line.")
    }

    public static func serverUnreachable(url: String, detail: String) -> PhysioError {
        PhysioError(
            .network, .serverUnreachable, facts: ["url": url, "detail": detail],
            what: "PhysioNet could not be reached at \(url) (\(detail)).",
            next: detail == "connection refused" || detail == "host not found"
                ? "Check the base URL and that the server is up; --retries N keeps trying a server that is restarting."
                : "Check your network connection and try again.")
    }

    public static func unexpectedResponse(url: String, status: Int, during: String) -> PhysioError {
        PhysioError(
            .network, .unexpectedResponse, facts: ["url": url, "status": "\(status)", "during": during],
            what: "PhysioNet answered HTTP \(status) for \(url) while \(during).",
            next: "Try again later; if it persists, check the base URL.")
    }

    public static func unrecognisedPage(url: String, expected: String) -> PhysioError {
        PhysioError(
            .network, .unrecognisedPage, facts: ["url": url, "expected": expected],
            what: "The page \(url) did not contain the expected \(expected).",
            next: "Check the base URL, or report this as PhysioNet may have changed its pages.")
    }

    public static func loginFormUnrecognised(url: String) -> PhysioError {
        PhysioError(
            .network, .loginFormUnrecognised, facts: ["url": url],
            what: "The login form at \(url) did not provide a CSRF token.",
            next: "Check that the base URL points at PhysioNet.")
    }

    public static func csrfRejected(reason: String) -> PhysioError {
        PhysioError(
            .network, .csrfRejected, facts: ["reason": reason],
            what: "PhysioNet refused the login form submission (\(reason)).",
            next: "Check that the base URL is the site's own address (no proxy rewriting Origin), then run `physio login` again.")
    }

    // MARK: Local files and runs (exits 9, 10, 1)

    public static func unsafeChecksumEntry(line: Int, path: String, reason: String) -> PhysioError {
        PhysioError(
            .localFilesystem, .unsafeChecksumEntry, facts: ["line": "\(line)", "path": path, "reason": reason],
            what: "SHA256SUMS.txt line \(line) names an unsafe path '\(path.debugDescription.dropFirst().dropLast())' (\(reason)); nothing was written for it.",
            next: "Report the list to PhysioNet.")
    }

    public static func filesystem(path: String, detail: String) -> PhysioError {
        PhysioError(
            .localFilesystem, .filesystem, facts: ["path": path, "detail": detail],
            what: "Cannot write \(path): \(detail).",
            next: Self.filesystemAdvice(detail))
    }

    public static func manifestFromNewerPhysio(path: String, schema: Int) -> PhysioError {
        PhysioError(
            .localFilesystem, .manifestFromNewerPhysio, facts: ["path": path, "schema": "\(schema)"],
            what: "\(path) was written by a newer physio (schema \(schema)).",
            next: "Upgrade physio to use this data folder.")
    }

    public static func inventory(path: String, detail: String) -> PhysioError {
        PhysioError(
            .localFilesystem, .inventory, facts: ["path": path, "detail": detail],
            what: "The inventory \(path) cannot be used: \(detail).",
            next: "Free space or fix permissions, then rerun; if the file is damaged, move it away and rerun (files are re-verified by hashing).")
    }

    public static func inventoryBusy(path: String) -> PhysioError {
        PhysioError(
            .locked, .inventoryBusy, facts: ["path": path],
            what: "The inventory \(path) stayed locked by another physio process for over a minute.",
            next: "Wait for the other run to finish, then rerun.")
    }

    public static func inventoryFromNewerPhysio(path: String, schema: Int) -> PhysioError {
        PhysioError(
            .localFilesystem, .inventoryFromNewerPhysio, facts: ["path": path, "schema": "\(schema)"],
            what: "\(path) was written by a newer physio (inventory schema \(schema)).",
            next: "Upgrade physio to use this data folder.")
    }

    public static func sessionFileUnwritable(path: String, reason: String) -> PhysioError {
        PhysioError(
            .localFilesystem, .sessionFileUnwritable, facts: ["path": path, "reason": reason],
            what: "The session could not be saved to \(path) (\(reason)).",
            next: "Check that directory's permissions or set XDG_STATE_HOME, then run `physio login` again.")
    }

    public static func locked(path: String, holder: String) -> PhysioError {
        PhysioError(
            .locked, .locked, facts: ["path": path, "holder": holder],
            what: "Another physio run (\(holder)) holds the lock \(path).",
            next: "Wait for it to finish (rerun with --wait-lock SECONDS to wait up to that long), or stop it.")
    }

    public static func shardGroupConflict(path: String, holder: String, running: String, wanted: String) -> PhysioError {
        PhysioError(
            .locked, .shardGroupConflict, facts: ["path": path, "holder": holder, "running": running, "wanted": wanted],
            what: "Other shards are fetching into this root (\(holder), lock \(path)); these (\(wanted)) would cut the list elsewhere and overlap them.",
            next: "Run with their --shard count and --include/--exclude (\(running)) to join them, or wait until they finish.")
    }

    public static func internalFailure(_ text: String) -> PhysioError {
        PhysioError(
            .internalError, .internalFailure, facts: ["text": text],
            what: "Internal error: \(text).",
            next: "Please report this with the command you ran.")
    }

    // MARK: Hand-written messages

    public static func accessRequirementsMissing(
        slug: String, version: String, requirements: [AccessRequirement], server: ServerArguments = ServerArguments()
    ) -> PhysioError {
        let list = requirements.map(\.summary).joined(separator: "; ")
        return PhysioError(
            .accessDenied, .accessRequirementsMissing, facts: ["slug": slug, "version": version, "requirements": list],
            what: "You do not meet the access requirements of \(slug) \(version): \(list).",
            next: "Run `\(server.physio(["status", "\(slug)@\(version)"]))` for the pages where you can fix them.")
    }

    public static func lockDrift(slug: String, version: String, locked: String, server: String, lockFile: String) -> PhysioError {
        PhysioError(
            .integrity, .lockDrift, facts: ["slug": slug, "version": version, "locked": locked, "server": server, "lockFile": lockFile],
            what: "The server's file list for \(slug) \(version) (SHA-256 \(server.prefix(12))…) no longer matches \(lockFile) (\(locked.prefix(12))…), so these would not be the locked bytes.",
            next: "Nothing was changed; run `physio sync` without --locked to accept the new list and rewrite the lock.")
    }

    public static func lockMissingEntry(slug: String, requested: String, lockFile: String) -> PhysioError {
        PhysioError(
            .integrity, .lockMissingEntry, facts: ["slug": slug, "requested": requested, "lockFile": lockFile],
            what: "\(slug)@\(requested) is in physio.toml but not in \(lockFile), so --locked has no bytes to hold it to.",
            next: "Run `physio sync` without --locked to add it to the lock.")
    }

    public static func pinDrift(slug: String, version: String, differences: [String]) -> PhysioError {
        let shown = differences.prefix(10).joined(separator: "; ")
        let more = differences.count > 10 ? " and \(differences.count - 10) more" : ""
        return PhysioError(
            .integrity, .pinDrift, facts: ["slug": slug, "version": version, "differences": "\(differences.count)"],
            what: "The server's SHA256SUMS.txt for \(slug) \(version) differs from the copy pinned in physio (\(shown)\(more)).",
            next: "Nothing was downloaded; rerun with --trust-server to accept the server's list.")
    }

    /// A signal stopped the run; `verified` files were recorded, `partial` transfers kept their bytes.
    /// `rerun`: the command that resumes it, with the run's own options (default: a bare `physio fetch`).
    public static func interrupted(
        signal: Int32, slug: String, version: String?, verified: Int, partial: Int, rerun: PrintedCommand? = nil
    ) -> PhysioError {
        let name = signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal \(signal)"
        let target = rerun?.description ?? "physio fetch " + (version.map { "\(slug)@\($0)" } ?? slug)
        let facts = ["signal": name, "slug": slug, "verified": "\(verified)", "partial": "\(partial)"]
        let exitCode: PhysioExitCode = signal == SIGTERM ? .terminated : .interrupted
        guard verified + partial > 0 else {
            return PhysioError(
                exitCode, .interrupted, facts: facts, what: "Stopped by \(name) before any file was downloaded; nothing changed.",
                next: "Rerun `\(target)` to start again.")
        }
        return PhysioError(
            exitCode, .interrupted, facts: facts,
            what: "Stopped by \(name): \(verified) file\(verified == 1 ? "" : "s") verified and recorded this run, \(partial) partial file\(partial == 1 ? "" : "s") kept.",
            next: "Rerun `\(target)` to resume where it stopped.")
    }

    /// What to do about a local write failure, from the system's reason: a folder that does not exist (or
    /// is a file) is not a permission problem, and neither is a full disk.
    static func filesystemAdvice(_ detail: String) -> String {
        let reason = detail.lowercased()
        if reason.contains("no such file") || reason.contains("not a directory") {
            return "A folder on that path does not exist or is a file: create the folder or pass another --dest, then rerun."
        }
        if reason.contains("permission denied") || reason.contains("operation not permitted") {
            return "Permission denied: make that folder writable by this user (or pass another --dest), then rerun."
        }
        if reason.contains("read-only") {
            return "That filesystem is mounted read-only: pass a --dest on a writable one, then rerun."
        }
        if reason.contains("no space") || reason.contains("quota") {
            return "Free space (or raise the quota), then rerun: finished files are kept and partial ones resume."
        }
        return "Free space or fix permissions, then rerun."
    }

    static func octal(_ mode: UInt16) -> String {
        "0" + String(mode & 0o777, radix: 8)
    }
}
