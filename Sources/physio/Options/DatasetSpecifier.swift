import ArgumentParser

/// `slug` or `slug@version` as typed on the command line.
struct DatasetSpecifier: ExpressibleByArgument, Sendable {
    var slug: String
    var version: String?

    init?(argument: String) {
        let parts = argument.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let slugCharacters = parts[0].unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard !parts[0].isEmpty, slugCharacters else { return nil }
        slug = parts[0]
        if parts.count == 2 {
            let version = parts[1]
            guard !version.isEmpty, version.first != ".", version.last != ".",
                version.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." })
            else { return nil }
            self.version = version
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
