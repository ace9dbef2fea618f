import CPhysioShims
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a download attempt stopped before a complete body arrived. Decided at the response head, so a
/// wrong answer never touches the partial file.
enum DownloadInterruption: Error, Sendable, Equatable {
    /// 206 for other bytes than asked for.
    case rangeMismatch(expectedStart: Int64)
    /// 416: the partial file may already be complete.
    case rangeNotSatisfiable(total: Int64?)
    /// An HTML page (login form, error page) where data was expected: a session or access problem.
    case htmlInsteadOfData
    case httpStatus(Int, retryAfterSeconds: Double?)
    case localWriteFailed(String)
}

/// Streams one file's response into its `.part` file, hashing as bytes arrive.
///
/// Runs on the transport thread: no locking, all state is touched by that thread only, and the
/// engine reads the result after the transfer has completed.
final class DownloadSink: ResponseSink, @unchecked Sendable {
    private let partPath: String
    private let infoPath: String
    private let resumeOffset: Int64
    private let path: DatasetPath
    private let pipelinedHashThreshold: Int64
    private let directWriteThreshold: Int64
    private let progress: TransferProgress?
    private let received: TransferCounter?
    private let directories: DirectoryCache
    private var prefixHasher: SHA256Hasher?
    private var descriptor: Int32 = -1

    private(set) var hasher: StreamingHasher?
    /// Large fresh downloads bypass the page cache (see `DirectFileWriter`); it hashes as it writes.
    private var direct: DirectFileWriter?
    /// Why the bytes could not be written, once `finish` has failed.
    private(set) var writeFailure: String?
    /// Small files are kept in memory and written once verified: no partial file, no rename.
    private(set) var memoryBody: [UInt8]?
    private(set) var bytesInFile: Int64 = 0
    /// Where this response's bytes began in the file: the resume offset for a 206, 0 for a whole file.
    private(set) var firstByte: Int64 = 0
    /// Bytes this response delivered.
    var bytesReceived: Int64 { bytesInFile - firstByte }
    private(set) var expectedTotal: Int64?
    private(set) var info = PartialFileInfo()

    /// `prefixHasher` holds the SHA-256 state of the first `resumeOffset` bytes already in the file.
    init(
        partPath: String, infoPath: String, resumeOffset: Int64, prefixHasher: SHA256Hasher?, path: DatasetPath,
        progress: TransferProgress?, directories: DirectoryCache, pipelinedHashThreshold: Int64 = 4 << 20,
        directWriteThreshold: Int64 = DownloadSink.directWriteSize, received: TransferCounter? = nil
    ) {
        self.received = received
        self.directWriteThreshold = directWriteThreshold
        self.directories = directories
        self.partPath = partPath
        self.infoPath = infoPath
        self.resumeOffset = resumeOffset
        self.prefixHasher = prefixHasher
        self.progress = progress
        self.pipelinedHashThreshold = pipelinedHashThreshold
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func receiveHead(_ head: HTTPResponseHead) throws {
        switch try DataResponseHead.judge(head, path: path, from: resumeOffset > 0 ? resumeOffset : nil) {
        case .range(let total):
            expectedTotal = total
            try openPart(truncating: false)
            bytesInFile = resumeOffset
            firstByte = resumeOffset
            writebackStart = resumeOffset
            hasher = StreamingHasher(continuing: prefixHasher ?? SHA256Hasher(), pipelined: isLarge)
        case .whole(let length):
            expectedTotal = length
            bytesInFile = 0
            if resumeOffset == 0, let size = expectedTotal, size <= Self.inMemoryLimit {
                // Hashed once whole by `finish`, after the transfer (a body this small costs about 150 µs at most).
                hasher = nil
                memoryBody = []
                memoryBody?.reserveCapacity(Int(size))
            } else if let size = expectedTotal, size >= directWriteThreshold, let writer = try openDirect() {
                hasher = nil
                direct = writer
            } else {
                hasher = StreamingHasher(pipelined: isLarge)
                // Range ignored or If-Range failed: the server is sending the whole file, so start over.
                try openPart(truncating: true)
            }
        }
        prefixHasher = nil
        info = PartialFileInfo(etag: head.headers["ETag"], lastModified: head.headers["Last-Modified"], totalSize: expectedTotal)
        // Validators matter only for files worth resuming; a small file simply restarts. Skipping the side
        // file halves the files created (and deleted) per download in datasets of many small files.
        if info.ifRangeValidator != nil, (expectedTotal ?? Int64.max) >= Self.resumableSize { info.save(toPath: infoPath) }
    }

    /// The run's progress and, when a caller judges this stream's rate, the file's own count.
    private func counted(_ count: Int) {
        progress?.add(bytes: Int64(count))
        received?.add(Int64(count))
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws -> BodyIntake {
        if let direct {
            guard try direct.append(bytes, resumer: resumer) == .taken else { return .paused }
            bytesInFile += Int64(bytes.count)
            counted(bytes.count)
            return .taken
        }
        if memoryBody != nil {
            guard bytesInFile + Int64(bytes.count) <= Self.inMemoryLimit else {
                throw DownloadInterruption.localWriteFailed("the server sent more bytes than it announced")
            }
            memoryBody?.append(contentsOf: bytes)
            bytesInFile += Int64(bytes.count)
            counted(bytes.count)
            return .taken
        }
        guard descriptor >= 0 else { return .taken }
        // Nothing is written before the hasher has room, so a pause leaves the file and the hash in step.
        if let hasher, !hasher.reserve(or: resumer) { return .paused }
        let code = FileSystem.writeAll(descriptor, bytes)
        if code != 0 { throw DownloadInterruption.localWriteFailed(FileSystem.errorText(code)) }
        hasher?.update(bytes)
        bytesInFile += Int64(bytes.count)
        counted(bytes.count)
        if bytesInFile - writebackStart >= Self.writebackChunk {
            // The manifest needs these bytes on disk before it may call the file verified; starting the
            // writeback now overlaps it with the transfer instead of paying for it all at the end.
            _ = physio_start_writeback(descriptor, writebackStart, bytesInFile - writebackStart)
            writebackStart = bytesInFile
        }
        return .taken
    }

    /// Bytes written since the last writeback was started begin here.
    private var writebackStart: Int64 = 0
    private static let writebackChunk: Int64 = 16 << 20

    /// Closes the file once everything received is written (what an interrupted transfer got stays in the
    /// `.part` file); returns the digest of the whole file, meaningful after a complete transfer.
    func finish() async -> SHA256Digest? {
        if let direct {
            self.direct = nil
            do {
                return try await direct.finish()
            } catch .localWriteFailed(let detail) {
                writeFailure = detail
                return nil
            } catch {
                writeFailure = "\(error)"
                return nil
            }
        }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        if let memoryBody { return SHA256Hasher.digest(of: memoryBody) }
        return await hasher?.finalize()
    }

    private var isLarge: Bool { (expectedTotal ?? 0) >= pipelinedHashThreshold }

    /// Files at least this large keep resume validators beside their partial file.
    static let resumableSize: Int64 = 1 << 20

    /// Fresh downloads at least this large write with O_DIRECT where the filesystem allows it.
    static let directWriteSize: Int64 = 32 << 20

    /// Files up to this size (by `Content-Length`) download to memory: resuming them would save nothing.
    static let inMemoryLimit: Int64 = 256 << 10

    private func openDirect() throws -> DirectFileWriter? {
        do {
            try directories.ensureParent(ofPath: partPath)
        } catch {
            throw DownloadInterruption.localWriteFailed(error.message)
        }
        return DirectFileWriter.open(path: partPath)
    }

    private func openPart(truncating: Bool) throws {
        do {
            try directories.ensureParent(ofPath: partPath)
        } catch {
            throw DownloadInterruption.localWriteFailed(error.message)
        }
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncating ? O_TRUNC : O_APPEND)
        descriptor = open(partPath, flags, 0o644)
        guard descriptor >= 0 else { throw DownloadInterruption.localWriteFailed(FileSystem.errorText(errno)) }
    }
}
