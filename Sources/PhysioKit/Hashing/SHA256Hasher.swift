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

    /// Four words from 64 hex digits; `nil` on any other character. Runs for every line of every list
    /// (400,000 on the largest datasets, twice on a refresh), so eight digits are checked and decoded at
    /// once in one 64-bit word: 42-44 ns a digest against 58-71 ns for a table lookup per digit
    /// (`physio-bench hex`); branching per digit made this parse 14% of a no-op refresh.
    private static func parse(_ hex: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64)? {
        guard hex.count == 64 else { return nil }
        let raw = UnsafeRawPointer(hex.baseAddress!)
        func word(_ offset: Int) -> UInt64? {
            guard let high = fourBytes(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                let low = fourBytes(raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            else { return nil }
            return UInt64(high) << 32 | UInt64(low)
        }
        guard let a = word(0), let b = word(16), let c = word(32), let d = word(48) else { return nil }
        return (a, b, c, d)
    }

    /// Eight hex digits (as loaded from memory: the first digit in the lowest byte) as the four bytes they
    /// spell, the first digit most significant; `nil` unless all eight are 0-9, a-f or A-F. Range checks
    /// per byte by adding a bias and reading bit 7, valid because every byte is below 0x80 (checked first).
    @inline(__always)
    private static func fourBytes(_ loaded: UInt64) -> UInt32? {
        let digits = UInt64(littleEndian: loaded)
        let bit7: UInt64 = 0x8080_8080_8080_8080
        guard digits & bit7 == 0 else { return nil }
        func atLeast(_ value: UInt64, _ bound: UInt64) -> UInt64 { (value &+ (0x80 - bound) &* 0x0101_0101_0101_0101) & bit7 }
        func atMost(_ value: UInt64, _ bound: UInt64) -> UInt64 { ~(value &+ (0x7F - bound) &* 0x0101_0101_0101_0101) & bit7 }
        let decimal = atLeast(digits, 0x30) & atMost(digits, 0x39)
        let folded = digits | 0x2020_2020_2020_2020  // A-F to a-f; nothing else lands in a-f
        let letter = atLeast(folded, 0x61) & atMost(folded, 0x66)
        guard decimal | letter == bit7 else { return nil }
        // '0'-'9' end in their value; 'a'-'f' and 'A'-'F' in 1-6, nine short of it.
        let nibbles = (digits & 0x0F0F_0F0F_0F0F_0F0F) &+ (letter >> 7) &* 9
        // Pair each digit with the next (high nibble first), then close the gaps between the pairs.
        var packed = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF_00FF_00FF_00FF
        packed = (packed | (packed >> 8)) & 0x0000_FFFF_0000_FFFF
        packed = (packed | (packed >> 16)) & 0xFFFF_FFFF
        // Bytes in memory order: the first digit pair is the lowest byte, so swap to make it most significant.
        return UInt32(packed).byteSwapped
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
