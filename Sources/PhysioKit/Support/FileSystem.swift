import CPhysioShims
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The stat facts that tell whether a verified file is still the file that was verified.
public struct FileIdentity: Codable, Sendable, Equatable {
    public var size: Int64
    public var modifiedNanoseconds: Int64
    public var inode: UInt64

    public init(size: Int64, modifiedNanoseconds: Int64, inode: UInt64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
    }
}

/// Thin POSIX helpers: the places where physio needs exact control over modes, syncing and renames.
public enum FileSystem {
    /// `nil` when nothing is there (or it is not a regular file).
    public static func identity(of url: URL) -> FileIdentity? {
        identity(atPath: url.path)
    }

    public static func identity(atPath path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return identity(info)
    }

    /// The identity of the file at `path` (UTF-8, not NUL-terminated) relative to the open folder
    /// `directory`: checking a dataset's files this way walks only the components below that folder.
    static func identity(atPathBytes path: UnsafeRawBufferPointer, relativeTo directory: Int32) -> FileIdentity? {
        withCString(path) { name in
            var info = stat()
            guard fstatat(directory, name, &info, 0) == 0 else { return nil }
            return identity(info)
        }
    }

    /// Hands `body` a NUL-terminated copy of `bytes` on the stack (paths read in place from a list or a
    /// database row end without one).
    static func withCString<T>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<CChar>) -> T) -> T {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            _ = UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, from: bytes)
            buffer[bytes.count] = 0
            return body(buffer.baseAddress!)
        }
    }

    /// The identity of an open file (no path lookup).
    static func identity(ofDescriptor descriptor: Int32) -> FileIdentity? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return identity(info)
    }

    private static func identity(_ info: stat) -> FileIdentity? {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
            let seconds = Int64(info.st_mtimespec.tv_sec), nanos = Int64(info.st_mtimespec.tv_nsec)
        #else
            let seconds = Int64(info.st_mtim.tv_sec), nanos = Int64(info.st_mtim.tv_nsec)
        #endif
        return FileIdentity(size: Int64(info.st_size), modifiedNanoseconds: seconds * 1_000_000_000 + nanos, inode: UInt64(info.st_ino))
    }

    public static func exists(_ url: URL) -> Bool {
        access(url.path, F_OK) == 0
    }

    public static func isDirectory(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `mkdir -p` with `mode` for the folders it creates.
    public static func createDirectory(_ url: URL, mode: mode_t = 0o755) throws(PhysioError) {
        try createDirectory(atPath: url.path, mode: mode)
    }

    public static func createDirectory(atPath path: String, mode: mode_t = 0o755) throws(PhysioError) {
        if mkdir(path, mode) == 0 { return }
        switch errno {
        case EEXIST:
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw .filesystem(path: path, detail: "it exists and is not a folder")
            }
        case ENOENT:
            let parentPath = parent(ofPath: path)
            guard parentPath != path else { throw .filesystem(path: path, detail: errorText(ENOENT)) }
            try createDirectory(atPath: parentPath, mode: mode)
            if mkdir(path, mode) != 0 && errno != EEXIST { throw .filesystem(path: path, detail: errorText(errno)) }
        default:
            throw .filesystem(path: path, detail: errorText(errno))
        }
    }

    /// Writes `bytes` so that readers see either the old file or the whole new one; durably unless told
    /// otherwise. Every file physio writes whole goes through here or `StagedFile` itself; downloaded data is
    /// `publish`ed instead, because its durability is batched into one filesystem sync per checkpoint.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o644, durable: Bool = true) throws(PhysioError) {
        try StagedFile.stage(to: url, mode: mode) { write in try write(bytes) }.commit(durable: durable)
    }

    /// Writes all of `bytes`, at `position` when given (pwrite) or at the file offset (write), retrying
    /// short writes and EINTR. Returns 0 or the errno that stopped it.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at position: Int64? = nil) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var done = 0
        while done < bytes.count {
            let written = position.map { pwrite(descriptor, base + done, bytes.count - done, off_t($0 + Int64(done))) }
                ?? write(descriptor, base + done, bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += written
        }
        return 0
    }

    /// Makes a rename in `directory` durable.
    public static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Flushes every dirty page of the filesystem holding `url`: one call makes a whole batch of downloaded
    /// files durable, where an fsync per file would cost one disk flush each.
    public static func syncFilesystem(containing url: URL) {
        syncFilesystem(containingPath: url.path)
    }

    public static func syncFilesystem(containingPath path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = physio_syncfs(descriptor)
        close(descriptor)
    }

    /// Creates the file at `path` holding `bytes`, atomically: an unnamed O_TMPFILE linked into place once
    /// written (or a temporary name renamed over, where the filesystem has no O_TMPFILE). A file already
    /// there is replaced. Not fsynced: callers batch durability with `syncFilesystem`.
    public static func publish(_ bytes: [UInt8], atPath path: String) throws(PhysioError) -> FileIdentity? {
        let directory = parent(ofPath: path)
        var descriptor = physio_open_tmpfile(directory, 0o644)
        let anonymous = descriptor >= 0
        // A named temporary file: where O_TMPFILE is missing, and to replace an existing file, which `linkat`
        // cannot do; `rename` over it then keeps the path holding either the old bytes or the new ones.
        var temporary: String?
        if !anonymous {
            let name = temporaryName(in: directory)
            descriptor = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw .filesystem(path: path, detail: errorText(errno)) }
            temporary = name
        }
        defer { close(descriptor) }
        var failure = bytes.withUnsafeBytes { writeAll(descriptor, $0) }
        if failure == 0 && anonymous && physio_link_tmpfile(descriptor, path) != 0 {
            failure = errno
            if failure == EEXIST {
                // A stale or damaged file is being replaced by its verified bytes.
                let name = temporaryName(in: directory)
                failure = physio_link_tmpfile(descriptor, name) == 0 ? 0 : errno
                if failure == 0 { temporary = name }
            }
        }
        if failure == 0, let temporary, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            if let temporary { unlink(temporary) }
            throw .filesystem(path: path, detail: errorText(failure))
        }
        return identity(ofDescriptor: descriptor)
    }

    /// Renames within one filesystem; the destination's folder must exist.
    /// A name no other file in `directory` has, for a file that is renamed into place at once.
    private static func temporaryName(in directory: String) -> String {
        "\(directory)/.physio-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    public static func move(fromPath source: String, toPath destination: String) throws(PhysioError) {
        if rename(source, destination) != 0 {
            throw .filesystem(path: destination, detail: errorText(errno))
        }
    }

    public static func remove(atPath path: String) {
        unlink(path)
    }

    /// Whether anything (a file, a folder, a dangling link) has this name.
    static func lexists(atPath path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// `path` with every symbolic link and `..` resolved; `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path`, links resolved, is `folder` or lies inside it (links resolved too): what a removal
    /// checks before it touches anything, so it never reaches outside the data root.
    static func resolves(_ path: String, inside folder: String) -> Bool {
        guard let real = realPath(path), let base = realPath(folder) else { return false }
        return real == base || real.hasPrefix(base == "/" ? "/" : base + "/")
    }

    /// Gives the file at `source` a second name, `destination`, in the same filesystem: both names then hold
    /// the same bytes, and a later rename over `source` leaves `destination` with the old ones. Returns the
    /// errno when the filesystem refuses (no hard links there, or nothing at `source`), 0 on success.
    static func hardLink(fromPath source: String, toPath destination: String) -> Int32 {
        link(source, destination) == 0 ? 0 : errno
    }

    /// The folder part of a path string (`/a/b` for `/a/b/c`).
    public static func parent(ofPath path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    /// The whole file, read straight into one array (no intermediate `Data` copy).
    public static func readAll(_ url: URL) throws(PhysioError) -> [UInt8] {
        do {
            return try readBytes(atPath: url.path)
        } catch {
            throw .filesystem(path: url.path, detail: error.reason)
        }
    }

    public static func readBytes(atPath path: String) throws(SystemFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemFailure(reason: errorText(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemFailure(reason: errorText(errno)) }
        // Not zero-filled first: the read fills it (a refresh reads a 43 MB list this way).
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size)) { buffer, initialized in
            while initialized < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failure = errno; return }
                if count == 0 { return }
                initialized += count
            }
        }
        if failure != 0 { throw SystemFailure(reason: errorText(failure)) }
        return bytes
    }

    public static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Why a system call failed, in the system's words (`No such file or directory`), for callers that put it in a
/// message of their own.
public struct SystemFailure: Error {
    public var reason: String
}
