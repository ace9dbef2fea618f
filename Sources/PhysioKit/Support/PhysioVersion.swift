import CPhysioShims

/// physio's version, in one place: `--version`, the User-Agent and the manifests read it from here.
public enum PhysioVersion {
    public static let current = "0.1.0"
    /// PhysioNet asks tools for a distinctive agent (docs/protocol.md §1).
    public static let userAgent = "physio/\(current)"

    /// The commit and UTC date of a build made by scripts/release; `nil` for a plain `swift build`.
    public static var build: (commit: String, date: String)? {
        guard let commit = physio_build_commit(), let date = physio_build_date() else { return nil }
        return (String(cString: commit), String(cString: date))
    }

    /// What `physio --version` prints: the version, the build and the libraries it runs on, for bug reports.
    public static var description: String {
        let libraries = CurlGlobal.libraryVersions
        let origin = build.map { "commit \($0.commit), built \($0.date)" } ?? "built from source without scripts/release"
        return "physio \(current) (\(origin); libcurl \(libraries.curl), \(libraries.tls))"
    }
}
