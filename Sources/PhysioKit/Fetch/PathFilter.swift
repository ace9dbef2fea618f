#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--include` / `--exclude` globs. A pattern without `/` matches the file name anywhere (`*.csv.gz`);
/// one with `/` matches the whole path, `*` crossing folders (`hosp/*`); one ending in `/` matches a folder.
public struct PathFilter: Sendable {
    public let includes: [String]
    public let excludes: [String]

    public init(includes: [String] = [], excludes: [String] = []) {
        self.includes = includes
        self.excludes = excludes
    }

    public func accepts(_ path: DatasetPath) -> Bool {
        if !includes.isEmpty && !includes.contains(where: { Self.matches($0, path) }) { return false }
        return !excludes.contains { Self.matches($0, path) }
    }

    static func matches(_ pattern: String, _ path: DatasetPath) -> Bool {
        if pattern.hasSuffix("/") { return path.value.hasPrefix(pattern) || matches(pattern + "*", path) }
        let subject = pattern.contains("/") ? path.value : path.fileName
        return fnmatch(pattern, subject, 0) == 0
    }
}
