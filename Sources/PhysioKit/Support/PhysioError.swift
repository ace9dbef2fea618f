/// physio's one user-facing error: a kind, the facts, one sentence saying what happened, the next thing to
/// do, and the exit code. The constructors, one per kind, are in `PhysioError+Kinds.swift`.
///
/// Messages are whole sentences for people; `kind` and `facts` are for scripts (`--json`). Never a curl
/// code or a type dump, and never a secret: no constructor takes a password or a cookie value.
public struct PhysioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable machine name (`wrongCredentials`, `pinDrift`, …): its raw value is what `--json` prints.
    public let kind: Kind
    /// The values the message names (path, URL, project, status), by name.
    public let facts: [String: String]
    /// One sentence: what happened.
    public let what: String
    /// What to do next, usually a command to run.
    public let next: String?
    public let exitCode: PhysioExitCode
    /// For a refused dataset: the full access report, so the CLI can print the explanation `physio status`
    /// gives before the one-line error.
    public var report: AccessReport?

    init(_ exitCode: PhysioExitCode, _ kind: Kind, facts: [String: String], what: String, next: String? = nil) {
        self.exitCode = exitCode
        self.kind = kind
        self.facts = facts
        self.what = Self.sentence(what)
        self.next = next.map(Self.sentence)
    }

    /// `text` without the doubled full stop a sentence gets when an interpolated reason already ended in
    /// one ("cannot be used: it has no host.."): "..", at the end or before a space or bracket, becomes ".";
    /// an ellipsis and a relative path ("../x") stay as they are.
    static func sentence(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for (index, character) in characters.enumerated() {
            if character == ".", index + 1 < characters.count, characters[index + 1] == ".",
                index == 0 || characters[index - 1] != ".",
                index + 2 == characters.count || [" ", ")", "\n"].contains(characters[index + 2])
            {
                continue
            }
            out.append(character)
        }
        return out
    }

    /// What happened and what to do, as one line.
    public var message: String { next.map { "\(what) \($0)" } ?? what }

    public var description: String { message }
}

extension PhysioError {
    /// Every kind of failure, one per constructor in `PhysioError+Kinds.swift`. The raw values are part of
    /// the `--json` contract (`"kind"` of a failure report): rename a case, never its raw value.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        // exit 2: usage and configuration
        case usage, invalidBaseURL, basicNeedsHTTPS, netrcInsecurePermissions, netrcNotOwned, netrcUnreadable
        case netrcMalformed, cloudCredentialsFile, passwordStdinNeedsUsername, emptyPassword, configuration
        case configurationUnreadable, noDataEnvironment, sessionFileExposed, sessionFileNotOwned, sessionFileUnreadable
        case sessionFileFromNewerVersion, passwordFileUnreadable, conflictingPasswordSources, passwordWithoutUsername
        // exit 3: not found
        case projectNotFound, versionNotFound, checksumListMissing, malformedChecksumList
        // exit 4: network and server
        case serverUnreachable, tlsFailure, proxyFailure, serverError, unexpectedResponse, csrfRejected
        case loginFormUnrecognised, unrecognisedPage
        // exit 5: login
        case notLoggedIn, noCredentials, wrongCredentials, loginRequired, loginNotConfirmed, sessionExpired
        case inactiveAccount, mirrorNeedsCredentials, mirrorRefused
        // exit 6: access
        case accessDenied, accessRequirementsMissing, filesUnavailable
        // exit 7: integrity
        case pinDrift, lockDrift, lockMissingEntry, lockedVersionChange
        // exit 9: local files
        case filesystem, inventory, inventoryFromNewerPhysio, manifestFromNewerPhysio, sessionFileUnwritable
        case unsafeChecksumEntry
        // exit 10: locks
        case locked, inventoryBusy, shardGroupConflict
        // exit 1, 130 and 143
        case internalFailure, interrupted
    }
}
