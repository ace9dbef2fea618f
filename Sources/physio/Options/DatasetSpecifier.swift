import ArgumentParser
import PhysioKit

/// `slug`, `slug@version` or `slug@latest` as typed on the command line.
struct DatasetSpecifier: ExpressibleByArgument, Sendable {
    var slug: String
    /// `nil`: the latest version (`slug` or `slug@latest`).
    var version: String?

    init?(argument: String) {
        let parts = argument.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard DatasetSlug.isValid(parts[0]) else { return nil }
        slug = parts[0]
        if parts.count == 2 && parts[1] != "latest" {
            guard DatasetSlug.isValidVersion(parts[1]) else { return nil }
            version = parts[1]
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
