import Foundation

/// One regular file of a published version, with what nginx would report about it.
struct VersionFile: Sendable {
    enum Source: Sendable {
        case disk(URL)
        /// Deterministic bytes from a seed (see `GeneratedContent`).
        case generated(seed: UInt64)
        /// Bytes held in memory (a generated `SHA256SUMS.txt`, a file replaced while the server runs).
        case memory([UInt8])
    }

    /// `/`-separated path relative to the version root.
    let path: String
    let size: Int64
    /// Every file of a version carries the version's publish time, so ETags are the same on every checkout; a file
    /// changed while the server runs carries the time of the change.
    let modified: Date
    let source: Source

    var name: String { String(path.split(separator: "/").last ?? Substring(path)) }
}

/// Reads file bytes, optionally as a "replaced" revision (the file-replaced fault).
enum FileContentReader {
    /// `revision` 0 is the original; a later revision is different content of the same size.
    static func read(_ file: VersionFile, offset: Int64, count: Int, revision: Int = 0) throws -> [UInt8] {
        let available = max(0, min(Int64(count), file.size - offset))
        guard available > 0 else { return [] }
        var bytes: [UInt8]
        switch file.source {
        case .disk(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            bytes = Array(try handle.read(upToCount: Int(available)) ?? Data())
        case .generated(let seed):
            bytes = GeneratedContent.bytes(seed: seed, offset: offset, count: Int(available))
        case .memory(let all):
            bytes = Array(all[Int(offset)..<Int(offset + available)])
        }
        if revision > 0 {
            // A replacement keeps the size but not a single byte in place: enough to break a resumed download.
            let mask = UInt8(truncatingIfNeeded: revision &* 0x5B) | 1
            for index in bytes.indices { bytes[index] ^= mask }
        }
        return bytes
    }

    static func readAll(_ file: VersionFile, revision: Int = 0) throws -> [UInt8] {
        try read(file, offset: 0, count: Int(file.size), revision: revision)
    }
}

/// Random-access deterministic content: byte `i` depends only on the seed and `i`, so any range can be
/// produced without generating what precedes it. Printable, comma- and newline-separated, like a CSV.
enum GeneratedContent {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789,,,,\n".utf8)

    static func bytes(seed: UInt64, offset: Int64, count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        var position = offset
        let end = offset + Int64(count)
        while position < end {
            let word = mix(seed &+ UInt64(position / 8) &* 0x9E37_79B9_7F4A_7C15)
            let lane = Int(position % 8)
            let byte = UInt8(truncatingIfNeeded: word >> UInt64(lane * 8))
            out.append(alphabet[Int(byte) % alphabet.count])
            position += 1
        }
        return out
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a, to derive a per-file seed from the fixture seed and the path.
    static func seed(base: UInt64, path: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return mix(base ^ hash)
    }
}
