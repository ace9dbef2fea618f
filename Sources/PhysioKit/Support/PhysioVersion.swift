/// physio's version, in one place: `--version`, the User-Agent and the manifests read it from here.
public enum PhysioVersion {
    public static let current = "0.1.0"
    /// PhysioNet asks tools for a distinctive agent (docs/protocol.md §1).
    public static let userAgent = "physio/\(current)"

    /// What `physio --version` prints: the version and the libraries it runs on, for bug reports.
    public static var description: String {
        let libraries = CurlGlobal.libraryVersions
        return "physio \(current) (libcurl \(libraries.curl), \(libraries.tls))"
    }
}
