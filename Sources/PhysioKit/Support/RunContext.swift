import FoundationEssentials

/// What one invocation of physio runs with from its process: the environment, read once by the CLI, and
/// the knobs README documents, derived from it in one place. PhysioKit reads no process environment but
/// through this value, so a test or an embedding program hands it whatever environment it means.
public struct RunContext: Sendable {
    public let environment: [String: String]
    /// `~` for every file physio reads or writes for the user (`HomeDirectory`).
    public let homeDirectory: String
    public let workingDirectory: String

    public init(environment: [String: String], homeDirectory: String? = nil, workingDirectory: String = "/") {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? HomeDirectory.path(environment: environment)
        self.workingDirectory = workingDirectory
    }

    /// This process's: the one place that reads it.
    public static func current() -> RunContext {
        RunContext(environment: ProcessInfo.processInfo.environment, workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// A variable's value, `nil` when unset or empty.
    public func value(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `--dest`, else `PHYSIO_DATA`, else the working directory.
    public func dataRoot(dest: String?) -> URL {
        let path = dest ?? value("PHYSIO_DATA") ?? workingDirectory
        return URL(fileURLWithPath: path, isDirectory: true, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true))
            .standardizedFileURL
    }

    /// `~` and `~/…` in the home folder; other paths as given.
    public func expandingTilde(_ path: String) -> String {
        path == "~" || path.hasPrefix("~/") ? homeDirectory + path.dropFirst() : path
    }

    /// Where temporary files go: `TMPDIR` when absolute, else /tmp.
    public var temporaryDirectory: String {
        value("TMPDIR").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
    }

    /// The retry rule: the defaults, with `PHYSIO_RETRY_BASE_SECONDS` shortening the backoff.
    public var retryPolicy: RetryPolicy {
        var policy = RetryPolicy()
        if let base = value("PHYSIO_RETRY_BASE_SECONDS").flatMap(Double.init), base >= 0 {
            policy.baseDelay = base
            policy.maximumDelay = max(base, min(policy.maximumDelay, base * 64))
        }
        return policy
    }

    /// `PHYSIO_SPLIT_PROBE_SECONDS`: how long a large first file streams alone before its rate decides
    /// whether the rest is split; 5 by default, at most an hour.
    public var splitProbeSeconds: Double {
        value("PHYSIO_SPLIT_PROBE_SECONDS").flatMap(Double.init).flatMap { $0 > 0 && $0 <= 3600 ? $0 : nil } ?? 5
    }

    /// Transport settings: timeouts, proxy and CA file, flags first.
    public func transportConfiguration(proxy: String? = nil, caFile: String? = nil) -> TransportConfiguration {
        .fromEnvironment(environment, proxy: proxy, caFile: caFile)
    }
}
