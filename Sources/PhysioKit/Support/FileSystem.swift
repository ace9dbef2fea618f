import CPhysioShims
import Foundation

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
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
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
        if isDirectory(url) { return }
        let parent = url.deletingLastPathComponent()
        if parent.path != url.path && !isDirectory(parent) { try createDirectory(parent, mode: mode) }
        if mkdir(url.path, mode) != 0 && errno != EEXIST {
            throw .filesystem(path: url.path, detail: errorText(errno))
        }
    }

    /// Writes `bytes` so that readers see either the old file or the whole new one, durably.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o644) throws(PhysioError) {
        try createDirectory(url.deletingLastPathComponent())
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .filesystem(path: url.path, detail: errorText(errno)) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0 && fchmod(descriptor, mode) != 0 { failure = errno }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == 0 && rename(temporary.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary.path)
            throw .filesystem(path: url.path, detail: errorText(failure))
        }
        syncDirectory(url.deletingLastPathComponent())
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
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = physio_syncfs(descriptor)
        close(descriptor)
    }

    public static func move(_ source: URL, to destination: URL) throws(PhysioError) {
        try createDirectory(destination.deletingLastPathComponent())
        if rename(source.path, destination.path) != 0 {
            throw .filesystem(path: destination.path, detail: errorText(errno))
        }
    }

    public static func remove(_ url: URL) {
        unlink(url.path)
    }

    public static func readAll(_ url: URL) throws(PhysioError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw .filesystem(path: url.path, detail: "cannot read it")
        }
    }

    public static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
