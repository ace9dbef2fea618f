import CPhysioShims
import Dispatch
import FoundationEssentials
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a large download with O_DIRECT: the transfer thread copies bytes into a few aligned buffers, and
/// a background queue hashes each full buffer and writes it straight to the disk.
///
/// Buffered writes copy every byte into the page cache and then flush it again before the manifest may call
/// the file verified; for a gigabyte on a two-core machine that copy was a quarter of the CPU time. Here the
/// copy into the buffer replaces the one the pipelined hasher needed anyway, and the disk works while the
/// network does. The final `syncfs` still flushes the disk's own cache. Only local disk filesystems are
/// written this way; elsewhere `open` returns `nil` and the sink writes buffered, and a filesystem that
/// takes the flag but refuses the first write gets buffered writes on the same descriptor.
final class DirectFileWriter: @unchecked Sendable {
    static let bufferSize = 1 << 20
    private static let bufferCount = 4
    private static let blockSize = 4096

    private let descriptor: Int32
    /// Hashing and writing run on queues of their own, so the disk and the hash proceed side by side; both are
    /// served by the blocking-work executor.
    let hashQueue = BlockingIO.serialQueue(label: "physio.direct-hash")
    private let writeQueue = BlockingIO.serialQueue(label: "physio.direct-write")
    /// Every hash and write submitted; `finish` waits for the group to empty.
    private let pending = DispatchGroup()

    private struct Buffers {
        /// Indices into `allBuffers` of the buffers not being filled, hashed or written.
        var free: [Int]
        /// The paused transfer to restart when a buffer comes back.
        var waiting: TransferResumer?
    }

    private let buffers: Mutex<Buffers>
    private let allBuffers: [UnsafeMutableRawPointer]
    private let hasher = SHA256Hasher()
    /// The first write error seen by the queue (errno), reported to the transfer thread on its next append.
    private let failure = Atomic<Int32>(0)
    /// Touched only on the write queue.
    private var direct = true

    // Transfer-thread state.
    private var current: Int?
    private var filled = 0
    private var submittedBytes: Int64 = 0

    private init(descriptor: Int32, buffers: [UnsafeMutableRawPointer]) {
        self.descriptor = descriptor
        self.allBuffers = buffers
        self.buffers = Mutex(Buffers(free: Array(buffers.indices)))
    }

    deinit {
        // Every queued block holds the writer, so nothing is pending by the time it goes away.
        close(descriptor)
        for buffer in allBuffers { free(buffer) }
    }

    /// Local disk filesystems, where O_DIRECT is measured and well understood (statfs magic numbers: ext2/3/4,
    /// XFS, Btrfs). Network and cluster filesystems (NFS, Lustre, GPFS) each give O_DIRECT their own
    /// semantics and costs, so there physio keeps buffered writes until someone measures them.
    static let localFilesystems: Set<Int64> = [0xEF53, 0x5846_5342, 0x9123_683E]

    /// Creates (or truncates) `path` for direct writing; `nil` where direct writes are not used: not a local
    /// disk filesystem, or O_DIRECT refused.
    static func open(path: String) -> DirectFileWriter? {
        guard localFilesystems.contains(physio_filesystem_type(FileSystem.parent(ofPath: path))) else { return nil }
        let descriptor = physio_open_direct(path, 0o644)
        guard descriptor >= 0 else { return nil }
        var buffers: [UnsafeMutableRawPointer] = []
        for _ in 0..<bufferCount {
            var memory: UnsafeMutableRawPointer?
            guard posix_memalign(&memory, blockSize, bufferSize) == 0, let memory else {
                for buffer in buffers { free(buffer) }
                close(descriptor)
                return nil
            }
            buffers.append(memory)
        }
        return DirectFileWriter(descriptor: descriptor, buffers: buffers)
    }

    /// Called on the transfer thread with each chunk, in order. Takes all of it, or none when it would need a
    /// buffer and all are being hashed or written (a disk slower than the network): then `resumer` is called
    /// once a buffer is free, and the transport offers the same bytes again.
    func append(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws(DownloadInterruption) -> BodyIntake {
        try checkFailure()
        let room = current == nil ? 0 : Self.bufferSize - filled
        let needed = bytes.count <= room ? 0 : (bytes.count - room + Self.bufferSize - 1) / Self.bufferSize
        var fresh: [Int] = []
        if needed > 0 {
            fresh = buffers.withLock { buffers -> [Int] in
                guard buffers.free.count >= needed else {
                    buffers.waiting = resumer
                    return []
                }
                defer { buffers.free.removeLast(needed) }
                return Array(buffers.free.suffix(needed))
            }
            if fresh.isEmpty { return .paused }
        }
        var offset = 0
        while offset < bytes.count {
            if current == nil {
                current = fresh.removeLast()
                filled = 0
            }
            let count = min(bytes.count - offset, Self.bufferSize - filled)
            (allBuffers[current!] + filled).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            filled += count
            offset += count
            if filled == Self.bufferSize { submit() }
        }
        return .taken
    }

    /// Writes what is left, waits (without blocking a thread) for every write, and returns the SHA-256 of all
    /// bytes appended.
    func finish() async throws(DownloadInterruption) -> SHA256Digest {
        if current != nil { submit() }
        await withCheckedContinuation { continuation in
            pending.notify(queue: writeQueue) { continuation.resume() }
        }
        try checkFailure()
        return hasher.finalize()
    }

    private func checkFailure() throws(DownloadInterruption) {
        let code = failure.load(ordering: .acquiring)
        if code != 0 { throw .localWriteFailed(FileSystem.errorText(code)) }
    }

    private func submit() {
        guard let index = current else { return }
        let length = filled
        let position = submittedBytes
        current = nil
        filled = 0
        submittedBytes += Int64(length)
        let done = DispatchGroup()
        pending.enter()
        hashQueue.async(group: done) { [self] in
            hasher.update(UnsafeRawBufferPointer(start: allBuffers[index], count: length))
        }
        writeQueue.async(group: done) { [self] in
            guard failure.load(ordering: .relaxed) == 0 else { return }
            let code = write(allBuffers[index], length: length, at: position)
            if code != 0 { failure.store(code, ordering: .releasing) }
        }
        done.notify(queue: writeQueue) { [self] in
            let waiting = buffers.withLock { buffers -> TransferResumer? in
                buffers.free.append(index)
                defer { buffers.waiting = nil }
                return buffers.waiting
            }
            waiting?.resume()
            pending.leave()
        }
    }

    /// On the write queue: whole blocks go direct; a final partial block (the file's tail) goes through the page
    /// cache. Returns 0 or an errno.
    private func write(_ buffer: UnsafeMutableRawPointer, length: Int, at position: Int64) -> Int32 {
        let aligned = direct ? length / Self.blockSize * Self.blockSize : 0
        if aligned > 0 {
            let code = writeAll(buffer, aligned, at: position)
            if code == EINVAL {
                // The filesystem took the flag at open but refuses direct writes: carry on buffered.
                direct = false
                _ = physio_clear_direct(descriptor)
                return writeAll(buffer, length, at: position)
            }
            if code != 0 { return code }
        }
        guard aligned < length else { return 0 }
        if direct {
            direct = false
            _ = physio_clear_direct(descriptor)
        }
        return writeAll(buffer + aligned, length - aligned, at: position + Int64(aligned))
    }

    private func writeAll(_ start: UnsafeMutableRawPointer, _ length: Int, at position: Int64) -> Int32 {
        FileSystem.writeAll(descriptor, UnsafeRawBufferPointer(start: start, count: length), at: position)
    }
}
