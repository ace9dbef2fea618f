/// PhysioNet's project slugs and version numbers, as the command line and `physio.toml` accept them.
public enum DatasetSlug {
    public static func isValid(_ slug: String) -> Bool {
        !slug.isEmpty && slug.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }

    public static func isValidVersion(_ version: String) -> Bool {
        !version.isEmpty && version.first != "." && version.last != "." && !version.contains("..")
            && version.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "." }
    }

    /// PhysioNet's numeric version order: `3.10` is newer than `3.9`, `1.0.1` than `1.0`.
    public static func isVersion(_ candidate: String, newerThan current: String) -> Bool {
        let left = current.split(separator: ".").map { Int($0) ?? 0 }
        let right = candidate.split(separator: ".").map { Int($0) ?? 0 }
        return left.lexicographicallyPrecedes(right)
    }
}
