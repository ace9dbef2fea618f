/// Finds and reads the user's netrc file: `$NETRC` when set, else `~/.netrc`.
///
/// Like ftp and Python's `netrc`, it refuses a file that other users could read or write (a password there may
/// already have leaked, or someone could plant one) and a file owned by another user.
public struct NetrcLoader: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String

    public init(environment: [String: String], homeDirectory: String) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// The file this loader reads.
    public var path: String {
        if let explicit = environment["NETRC"], !explicit.isEmpty { return explicit }
        return homeDirectory.hasSuffix("/") ? homeDirectory + ".netrc" : homeDirectory + "/.netrc"
    }

    /// The parsed file, or `nil` when it does not exist.
    public func load() throws(PhysioError) -> Netrc? {
        let path = self.path
        let contents: SecureFile.Contents
        do {
            guard let loaded = try SecureFile.loadPrivate(path) else { return nil }
            contents = loaded
        } catch {
            switch error {
            case .unreadable(let reason): throw .netrcUnreadable(path: path, reason: reason)
            case .exposed(let mode): throw .netrcInsecurePermissions(path: path, mode: mode)
            case .notOwned: throw .netrcNotOwned(path: path)
            }
        }
        do {
            return try Netrc(parsing: String(decoding: contents.bytes, as: UTF8.self))
        } catch {
            throw .netrcMalformed(path: path, line: error.line, reason: error.reason)
        }
    }
}
