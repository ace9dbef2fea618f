import CPhysioShims
import FoundationEssentials

/// A SHA-256 digest, shown and compared as 64 lower-case hex characters.
///
/// Stored as four words, not as text: manifests and lists hold tens of thousands of digests, and a
/// heap-allocated string each would dominate their memory.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible, Codable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes")
        func word(_ offset: Int) -> UInt64 {
            bytes[offset..<(offset + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(8), word(16), word(24))
    }

    /// Accepts exactly 64 hex characters, either case.
    public init?(hex: some StringProtocol) {
        guard let digest = Self(hexBytes: hex.utf8) else { return nil }
        self = digest
    }

    /// The 32 digest bytes themselves (an inventory row stores them so); `nil` for any other length.
    init?(raw bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        func word(_ offset: Int) -> UInt64 { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        words = (word(0), word(8), word(16), word(24))
    }

    /// The 32 digest bytes, most significant first, handed to `body` without an allocation.
    func withRawBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        withUnsafeBytes(of: (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian), body)
    }

    /// The same from a list's bytes in place (no generic path, no copy).
    init?(hexBytes raw: UnsafeRawBufferPointer) {
        guard raw.count == 64, let parsed = raw.withMemoryRebound(to: UInt8.self, Self.parse) else { return nil }
        words = parsed
    }

    /// The same from raw bytes (a line of SHA256SUMS.txt), with no string in between.
    public init?(hexBytes: some Collection<UInt8>) {
        guard hexBytes.count == 64 else { return nil }
        let parsed = hexBytes.withContiguousStorageIfAvailable(Self.parse) ?? Array(hexBytes).withUnsafeBufferPointer(Self.parse)
        guard let parsed else { return nil }
        words = parsed
    }

    /// Each byte's value as a hex digit, or 0xFF.
    private static let hexValues: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt8(byte) - UInt8(ascii: "A") + 10
        default: return 0xFF
        }
    }

    /// Four words from 64 hex digits; `nil` on any other character. Runs for every line of every list
    /// (400,000 on the largest datasets, twice on a refresh), so it is a table lookup per digit with one
    /// check per word: measured 14% of a no-op refresh of 400,000 files with a branch per digit.
    private static func parse(_ hex: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64)? {
        guard hex.count == 64 else { return nil }
        return hexValues.withUnsafeBufferPointer { table in
            func word(_ start: Int) -> UInt64? {
                var value: UInt64 = 0
                var invalid: UInt8 = 0
                for index in start..<(start + 16) {
                    let nibble = table[Int(hex[index])]
                    invalid |= nibble
                    value = value << 4 | UInt64(nibble & 0x0F)
                }
                return invalid & 0xF0 == 0 ? value : nil
            }
            guard let a = word(0), let b = word(16), let c = word(32), let d = word(48) else { return nil }
            return (a, b, c, d)
        }
    }

    /// Appends the 64 lower-case hex digits.
    func appendHex(to bytes: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        withUnsafeBytes(of: words) { raw in
            for index in 0..<4 {
                let word = raw.load(fromByteOffset: index * 8, as: UInt64.self)
                for shift in stride(from: 60, through: 0, by: -4) {
                    bytes.append(digits.utf8Start[Int((word >> UInt64(shift)) & 0xF)])
                }
            }
        }
    }

    public var hex: String {
        var text = [UInt8]()
        text.reserveCapacity(64)
        appendHex(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { hex }

    public static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = SHA256Digest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 hex digest"))
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}


/// Streaming SHA-256 over OpenSSL's EVP interface (SHA-NI where the CPU has it).
///
/// Not thread-safe: one owner feeds it chunks in order.
public final class SHA256Hasher {
    private var context: UnsafeMutableRawPointer?

    public init() {
        guard let context = physio_sha256_new() else { fatalError("OpenSSL could not allocate a SHA-256 context") }
        self.context = context
    }

    deinit {
        if let context { physio_sha256_free(context) }
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let context, let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = physio_sha256_update(context, base, bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Ends the computation; the hasher cannot be fed afterwards.
    public func finalize() -> SHA256Digest {
        guard let context else { preconditionFailure("SHA256Hasher finalized twice") }
        self.context = nil
        var digest = [UInt8](repeating: 0, count: 32)
        _ = digest.withUnsafeMutableBufferPointer { physio_sha256_finish(context, $0.baseAddress) }
        return SHA256Digest(bytes: digest)
    }

    public static func digest(of bytes: [UInt8]) -> SHA256Digest {
        let hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a text's UTF-8 bytes, without copying them when they are contiguous.
    public static func digest(of text: String) -> SHA256Digest {
        var text = text
        return text.withUTF8 { buffer in
            let hasher = SHA256Hasher()
            hasher.update(UnsafeRawBufferPointer(buffer))
            return hasher.finalize()
        }
    }
}
