import Synchronization

/// The CRC-32C of each object content served, computed once: a split download asks for one object many times, and
/// reading the whole file for each range would cost more than the ranges themselves.
final class ObjectChecksumCache: Sendable {
    private let checksums = Mutex<[String: UInt32]>([:])

    /// `key` names the content (`CloudStorageObject.contentKey`), so a changed file is a new entry, never a stale one.
    func crc32c(key: String, of file: VersionFile, revision: Int) throws -> UInt32 {
        if let known = checksums.withLock({ $0[key] }) { return known }
        var crc = CRC32C()
        var offset: Int64 = 0
        while offset < file.size {
            let chunk = try FileContentReader.read(file, offset: offset, count: 1 << 20, revision: revision)
            if chunk.isEmpty { break }
            crc.update(chunk)
            offset += Int64(chunk.count)
        }
        let value = crc.value
        checksums.withLock { $0[key] = value }
        return value
    }
}
