import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole folders, walked with `lstat`: a symbolic link is an entry of its own, never followed, so counting
/// or removing a folder under the data root can never reach outside it.
enum FileTree {
    /// The names of the real folders (not links to folders) directly in `path`; empty when it cannot be read.
    static func folders(in path: String) -> [String] {
        entries(in: path).filter { kind(atPath: path + "/" + $0) == S_IFDIR }
    }

    /// Regular files under `path` and their bytes (the apparent size, as `ls -l` shows).
    static func totals(atPath path: String) -> (files: Int, bytes: Int64) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return (0, 0) }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return (1, Int64(info.st_size))
        case S_IFDIR:
            var files = 0
            var bytes: Int64 = 0
            for name in entries(in: path) {
                let inner = totals(atPath: path + "/" + name)
                files += inner.files
                bytes += inner.bytes
            }
            return (files, bytes)
        default:
            return (0, 0)
        }
    }

    /// Removes `path` and, when it is a folder, everything in it (a link is removed, not what it points
    /// to). Nothing there is no failure.
    static func removeAll(atPath path: String) throws(PhysioError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in entries(in: path) { try removeAll(atPath: path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw .filesystem(path: path, detail: FileSystem.errorText(errno)) }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw .filesystem(path: path, detail: FileSystem.errorText(errno))
        }
    }

    /// Removes `path` if it is an empty folder, then each parent it leaves empty, up to but not including
    /// `stop` (rmdir refuses a folder that is not empty, so nothing else is ever removed).
    static func removeEmptyFolders(from path: String, upTo stop: String) {
        var current = path
        while current.count > stop.count, current.hasPrefix(stop + "/"), rmdir(current) == 0 {
            current = FileSystem.parent(ofPath: current)
        }
    }

    private static func entries(in path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func kind(atPath path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}
