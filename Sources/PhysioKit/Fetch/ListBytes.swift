import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A dataset's SHA256SUMS.txt as one run holds it: in memory when it is small, else in a file that the run
/// reads a window at a time (`ListWindows`), so the list's bytes cost no memory however many files it names.
/// MIMIC-IV-ECG's 800,000 files make a list of about 90 MB; held in memory, it was most of a fetch's peak
/// (Benchmarks/RESULTS.md, issue 22 item 7).
///
/// A file is either the dataset folder's own copy (a 304 answered the run's conditional request) or a
/// spool: a temporary file unlinked as soon as it is opened, so nothing is left behind whatever ends the run.
final class ListBytes: Sendable {
    /// Lists up to this size stay in memory, larger ones in a file: one window of a plan
    /// (`FetchOptions.listWindowBytes`), so a list held in memory is always planned whole.
    static let inMemoryLimit = 4 << 20

    private enum Storage {
        case memory([UInt8])
        case file(descriptor: Int32, path: String)
    }

    private let storage: Storage
    let count: Int

    init(_ bytes: [UInt8]) {
        storage = .memory(bytes)
        count = bytes.count
    }

    private init(descriptor: Int32, path: String, count: Int) {
        storage = .file(descriptor: descriptor, path: path)
        self.count = count
    }

    deinit {
        if case .file(let descriptor, _) = storage { close(descriptor) }
    }

    /// The file at `path`: read whole when it is at most `inMemoryLimit`, else kept open and read a window
    /// at a time.
    static func reading(path: String, inMemoryLimit: Int = inMemoryLimit) throws(PhysioError) -> ListBytes {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .filesystem(path: path, detail: FileSystem.errorText(errno)) }
        guard let size = FileSystem.identity(ofDescriptor: descriptor)?.size else {
            close(descriptor)
            throw .filesystem(path: path, detail: "cannot read its size")
        }
        let file = ListBytes(descriptor: descriptor, path: path, count: Int(size))
        return size <= Int64(inMemoryLimit) ? ListBytes(try file.readAll()) : file
    }

    /// An empty spool of `count` bytes in `directory`, for the parts of a large list to be written into
    /// (`write(_:at:)`). Its name is gone before this returns.
    static func spool(count: Int, in directory: String) throws(PhysioError) -> ListBytes {
        try FileSystem.createDirectory(atPath: directory)
        let path = "\(directory)/.physio-list-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .filesystem(path: path, detail: FileSystem.errorText(errno)) }
        unlink(path)
        guard ftruncate(descriptor, off_t(count)) == 0 else {
            let failure = errno
            close(descriptor)
            throw .filesystem(path: directory, detail: FileSystem.errorText(failure))
        }
        return ListBytes(descriptor: descriptor, path: directory, count: count)
    }

    /// Writes a part of a spooled list in its place.
    func write(_ bytes: [UInt8], at offset: Int) throws(PhysioError) {
        guard case .file(let descriptor, let path) = storage else {
            throw .internalFailure("a list held in memory is not written to")
        }
        let failure = bytes.withUnsafeBytes { FileSystem.writeAll(descriptor, $0, at: Int64(offset)) }
        if failure != 0 { throw .filesystem(path: path, detail: FileSystem.errorText(failure)) }
    }

    /// The bytes in `range` (clamped to the list).
    func read(_ range: Range<Int>) throws(PhysioError) -> [UInt8] {
        let range = range.clamped(to: 0..<count)
        switch storage {
        case .memory(let bytes):
            return Array(bytes[range])
        case .file(let descriptor, let path):
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                while initialized < buffer.count {
                    let got = pread(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized, off_t(range.lowerBound + initialized))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { failure = got < 0 ? errno : EIO; return }
                    initialized += got
                }
            }
            if failure != 0 { throw .filesystem(path: path, detail: FileSystem.errorText(failure)) }
            return bytes
        }
    }

    /// Every byte, for the few uses that need the whole list at once (a pinned version's, which are small).
    func readAll() throws(PhysioError) -> [UInt8] {
        if case .memory(let bytes) = storage { return bytes }
        return try read(0..<count)
    }

    /// SHA-256 of the list, reading a file in blocks.
    func digest() throws(PhysioError) -> SHA256Digest {
        let hasher = SHA256Hasher()
        var offset = 0
        repeat {
            let block = try read(offset..<offset + (1 << 20))
            hasher.update(block)
            offset += block.count
        } while offset < count
        return hasher.finalize()
    }

    /// Writes the list to `url` atomically, a block at a time.
    func write(to url: URL) throws(PhysioError) {
        try StagedFile.stage(to: url, mode: 0o644) { write in
            var offset = 0
            repeat {
                let block = try read(offset..<offset + (1 << 20))
                try write(block)
                offset += block.count
            } while offset < count
        }.commit(durable: true)
    }
}
