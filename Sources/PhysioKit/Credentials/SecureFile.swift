import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// POSIX file operations for secrets (netrc, session cookies): permissions are checked on the open descriptor,
/// not the path. Writes go through the one atomic writer (`StagedFile`), created owner-only from the start.
enum SecureFile {
    enum Failure: Error, Equatable {
        case system(String)
    }

    struct Contents {
        var bytes: [UInt8]
        /// Permission bits (`st_mode & 0o7777`).
        var mode: UInt16
        var ownerID: UInt32
    }

    /// Reads `path` and reports the mode and owner of the very file read; `nil` when it does not exist.
    static func load(_ path: String) throws(Failure) -> Contents? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .system(lastError())
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(lastError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .system("not a regular file") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(lastError())
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            // Secrets files are tiny; anything huge is not ours.
            guard bytes.count <= 16 << 20 else { throw .system("file is larger than 16 MiB") }
        }
        return Contents(bytes: bytes, mode: UInt16(info.st_mode & 0o7777), ownerID: UInt32(info.st_uid))
    }

    static var currentUserID: UInt32 { UInt32(getuid()) }

    /// Why a file of secrets written by the user (netrc, `~/.aws/credentials`) is not read.
    enum PrivateFileProblem: Error, Equatable {
        case unreadable(String)
        /// Group or others may read or write it: a secret there may already have leaked.
        case exposed(mode: UInt16)
        case notOwned
    }

    /// `load`, refusing a file that is not the current user's alone, as ftp and the AWS CLI's conventions do.
    static func loadPrivate(_ path: String) throws(PrivateFileProblem) -> Contents? {
        let contents: Contents
        do {
            guard let loaded = try load(path) else { return nil }
            contents = loaded
        } catch {
            guard case .system(let reason) = error else { throw .unreadable("unknown error") }
            throw .unreadable(reason)
        }
        guard contents.mode & 0o077 == 0 else { throw .exposed(mode: contents.mode) }
        guard contents.ownerID == currentUserID else { throw .notOwned }
        return contents
    }

    /// Creates `path` and missing parents with `mode`; an existing final directory is tightened to `mode`
    /// (it is ours: physio created it, or the user pointed XDG_STATE_HOME there).
    static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(Failure) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            if mkdir(built, mode) != 0 && errno != EEXIST { throw .system("\(built): \(lastError())") }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .system("\(path) is not a directory")
        }
        if info.st_uid == getuid() && (info.st_mode & 0o777) != mode {
            guard chmod(path, mode) == 0 else { throw .system("\(path): \(lastError())") }
        }
    }

    /// Removes `path`; a missing file is not an error.
    static func remove(_ path: String) throws(Failure) {
        if unlink(path) != 0 && errno != ENOENT { throw .system("\(path): \(lastError())") }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
