import CPhysioShims
import Foundation

/// A SHA-256 digest, shown and compared as 64 lower-case hex characters.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible, Codable {
    public let hex: String

    public init(bytes: [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        hex = String(decoding: text, as: UTF8.self)
    }

    /// Accepts exactly 64 hex characters, either case.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        self.hex = hex.lowercased()
    }

    public var description: String { hex }

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

extension UInt8 {
    var isHexDigit: Bool {
        (48...57).contains(self) || (65...70).contains(self) || (97...102).contains(self)
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
}
