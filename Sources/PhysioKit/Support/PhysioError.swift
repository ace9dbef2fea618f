/// physio's one user-facing error: a kind, the facts, one sentence saying what happened, the next thing to
/// do, and the exit code. The constructors, one per kind, are in `PhysioError+Kinds.swift`.
///
/// Messages are whole sentences for people; `kind` and `facts` are for scripts (`--json`). Never a curl
/// code or a type dump, and never a secret: no constructor takes a password or a cookie value.
public struct PhysioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable machine name (`wrongCredentials`, `pinDrift`, …).
    public let kind: String
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

    init(_ exitCode: PhysioExitCode, _ kind: String, facts: [String: String], what: String, next: String? = nil) {
        self.exitCode = exitCode
        self.kind = kind
        self.facts = facts
        self.what = what
        self.next = next
    }

    /// What happened and what to do, as one line.
    public var message: String { next.map { "\(what) \($0)" } ?? what }

    public var description: String { message }
}
