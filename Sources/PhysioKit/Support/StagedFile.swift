import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name beside its destination and renamed over it only by `commit`.
///
/// Splitting the two lets a caller produce a large file (a manifest of 20,000 records) while something
/// else it must wait for runs, such as the filesystem sync that makes the data the manifest describes
/// durable, and still rename it into place strictly afterwards.
public final class StagedFile: @unchecked Sendable {
    public let destination: URL
    private let temporaryPath: String
    private var descriptor: Int32

    private init(destination: URL, temporaryPath: String, descriptor: Int32) {
        self.destination = destination
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    deinit {
        // Never committed: leave nothing behind.
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Writes the content to a temporary file beside `url`; nothing at `url` changes yet.
    public static func stage(
        to url: URL, mode: mode_t = 0o644, produce: (_ write: ([UInt8]) throws -> Void) throws -> Void
    ) throws(PhysioError) -> StagedFile {
        let directory = url.deletingLastPathComponent()
        try FileSystem.createDirectory(directory)
        let temporary = directory
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .filesystem(path: url.path, detail: FileSystem.errorText(errno)) }
        let staged = StagedFile(destination: url, temporaryPath: temporary, descriptor: descriptor)
        struct WriteFailed: Error { var code: Int32 }
        var failure: Int32 = 0
        do {
            try produce { bytes in
                let code = bytes.withUnsafeBytes { FileSystem.writeAll(descriptor, $0) }
                if code != 0 { throw WriteFailed(code: code) }
            }
        } catch let error as WriteFailed {
            failure = error.code
        } catch {
            failure = EIO
        }
        // The umask must not narrow or widen what the caller asked for.
        if failure == 0 && fchmod(descriptor, mode) != 0 { failure = errno }
        if failure != 0 { throw .filesystem(path: url.path, detail: FileSystem.errorText(failure)) }
        return staged
    }

    /// Renames the content over the destination. `durable` (the default) fsyncs the content first and the
    /// folder after, so the new file survives a crash; side files that only save work (a partial download's
    /// validators) skip both.
    public func commit(durable: Bool = true) throws(PhysioError) {
        guard descriptor >= 0 else { return }
        var failure: Int32 = 0
        if durable && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        descriptor = -1
        if failure == 0 && rename(temporaryPath, destination.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporaryPath)
            throw .filesystem(path: destination.path, detail: FileSystem.errorText(failure))
        }
        if durable { FileSystem.syncDirectory(destination.deletingLastPathComponent()) }
    }
}
