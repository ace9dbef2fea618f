import Foundation

/// One object of an emulated bucket: the file whose bytes it serves, and the metadata GCS sends with them.
struct CloudStorageObject {
    let bucket: String
    let file: VersionFile
    /// Bytes a test put in place of PhysioNet's (`BucketContent.overrides`).
    let isOverride: Bool
    /// The replaced-file fault's revision, which the bytes and the validators follow as on `/files/`.
    let revision: Int

    /// GCS numbers each write of an object with its time in microseconds. The simulator takes the file's time, moved
    /// as the replaced-file fault moves it, so a changed file reads as a new write.
    var generation: Int64 {
        let written = file.modified.addingTimeInterval(TimeInterval(revision * 3600))
        return Int64(written.timeIntervalSince1970.rounded(.down)) * 1_000_000
    }

    /// What the checksum cache knows the bytes by: everything that changes them.
    var contentKey: String {
        "\(bucket)/\(file.path)\u{0}\(generation)\u{0}\(file.size)\u{0}\(isOverride)"
    }

    /// GCS's ETag is the quoted MD5 of the bytes. The simulator computes no MD5; it sends a value of the same shape
    /// derived from the name, generation, size and CRC-32C, so it changes with the content as GCS's does and never
    /// equals what `/files/` sends for the same file: a client must not carry a validator from one source to another.
    func etag(crc32c: UInt32) -> String {
        let high = GeneratedContent.seed(base: UInt64(bitPattern: generation) ^ UInt64(crc32c), path: "\(bucket)/\(file.path)")
        let low = GeneratedContent.mix(high ^ UInt64(bitPattern: file.size))
        return "\"\(Self.hex(high))\(Self.hex(low))\""
    }

    /// GCS's object headers, sent with every answer about the object (200, 206, 304). No `md5=` in `x-goog-hash`:
    /// a client must cope without it, as it must for GCS's composite objects.
    func headers(crc32c: UInt32) -> [(name: String, value: String)] {
        [
            ("Cache-Control", "private, max-age=0"),
            ("x-goog-generation", String(generation)),
            ("x-goog-metageneration", "1"),
            ("x-goog-stored-content-encoding", "identity"),
            ("x-goog-stored-content-length", String(file.size)),
            ("x-goog-hash", "crc32c=\(CRC32C.base64(crc32c))"),
            ("x-goog-storage-class", "STANDARD"),
        ]
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
