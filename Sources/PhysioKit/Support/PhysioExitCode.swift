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
