import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SHA-256 of files on disk, read in large blocks.
public enum FileHashing {
    private static let blockSize = 1 << 20

    /// A hasher fed with the whole file, still open for more bytes (a resumed download continues it).
    public static func hasher(over url: URL) throws(PhysioError) -> SHA256Hasher {
        try hasher(overPath: url.path)
    }

    public static func hasher(overPath path: String) throws(PhysioError) -> SHA256Hasher {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .filesystem(path: path, detail: FileSystem.errorText(errno)) }
        defer { close(descriptor) }
        #if canImport(Glibc)
            posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        let hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, blockSize)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .filesystem(path: path, detail: FileSystem.errorText(errno))
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return hasher
    }

    public static func digest(of url: URL) throws(PhysioError) -> SHA256Digest {
        try hasher(over: url).finalize()
    }

    public static func digest(ofPath path: String) throws(PhysioError) -> SHA256Digest {
        try hasher(overPath: path).finalize()
    }
}
