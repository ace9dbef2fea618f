/// physio's documented process exit codes (README "Exit codes"); tests assert them.
public enum PhysioExitCode: Int32, Sendable, Codable {
    case success = 0
    case internalError = 1
    case usage = 2
    case notFound = 3
    case network = 4
    case notLoggedIn = 5
    case accessDenied = 6
    case integrity = 7
    case partial = 8
    case localFilesystem = 9
    case locked = 10
    /// Stopped by SIGINT (128 + 2, as shells report it); what was verified is recorded, partial files resume.
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15).
    case terminated = 143
}

extension PhysioExitCode {
    /// The order in which one run's many outcomes (a fetch's files, a sync's datasets, status's projects)
    /// become its one exit code: what needs a person first (a stop, a bug, the local disk, integrity), then
    /// what the account must settle (login before access, since access is only known once logged in), a
    /// missing project, a usage problem, the network, a held lock, and last a partial result, which a rerun
    /// fixes. README "Exit codes" documents it.
    public static let severity: [PhysioExitCode] = [
        .interrupted, .terminated, .internalError, .localFilesystem, .integrity, .notLoggedIn, .accessDenied,
        .notFound, .usage, .network, .locked, .partial,
    ]

    /// The most severe of `codes` by `severity`; `.success` when there is nothing else.
    public static func mostSevere<Codes: Sequence>(_ codes: Codes) -> PhysioExitCode where Codes.Element == PhysioExitCode {
        var worst = PhysioExitCode.success
        var worstRank = Int.max
        for code in codes where code != .success {
            let rank = severity.firstIndex(of: code) ?? severity.count
            if rank < worstRank { (worst, worstRank) = (code, rank) }
        }
        return worst
    }
}
