/// The SHA256SUMS.txt lists that ship inside physio (`checksums/` in the repository, compiled in by
/// `scripts/generate-pins.py`). A server list that differs from a pin is drift: physio stops unless told
/// to trust the server.
public enum PinnedChecksums {
    public static func list(slug: String, version: String) -> ChecksumList? {
        guard let text = embedded["\(slug)@\(version)"] else { return nil }
        // The embedded lists come from this repository and are tested; a parse failure is a build defect.
        return try? ChecksumList(parsing: text)
    }

    public static func text(slug: String, version: String) -> String? {
        embedded["\(slug)@\(version)"]
    }

    /// `slug@version` keys of every pin, sorted.
    public static var pinnedVersions: [String] { embedded.keys.sorted() }
}
