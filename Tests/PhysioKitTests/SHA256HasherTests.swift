import Foundation
import Testing
@testable import PhysioKit

@Suite("SHA-256 over OpenSSL EVP")
struct SHA256HasherTests {
    @Test("known vectors (FIPS 180-2)")
    func knownVectors() {
        #expect(SHA256Hasher.digest(of: []).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hasher.digest(of: Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("chunked updates equal one update, inline and pipelined")
    func chunkingDoesNotMatter() async {
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let whole = SHA256Hasher.digest(of: bytes)
        for pipelined in [false, true] {
            let streaming = StreamingHasher(pipelined: pipelined)
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 65_537)
                bytes[offset..<end].withUnsafeBytes { streaming.update($0) }
                offset = end
            }
            #expect(await streaming.finalize() == whole)
        }
    }

    @Test("a pipelined hasher with a full backlog says no, and calls the resumer once the queue drains")
    func backlogPauses() async {
        let hasher = StreamingHasher(pipelined: true)
        hasher.queue?.suspend()
        let chunk = [UInt8](repeating: 7, count: 1000)
        var accepted = 0
        let resumed = ResumeCounter()
        while hasher.reserve(or: TransferResumer { resumed.add() }) {
            chunk.withUnsafeBytes { hasher.update($0) }
            accepted += 1
        }
        #expect(accepted == 32)
        #expect(resumed.count == 0)
        hasher.queue?.resume()
        await resumed.waitForFirst()
        #expect(await hasher.finalize() == SHA256Hasher.digest(of: [UInt8](repeating: 7, count: 32_000)))
    }

    @Test("file hashing matches in-memory hashing and a prefix hasher can be continued")
    func fileHashing() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("physio-hash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<2_500_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        try Data(bytes[..<1_000_000]).write(to: url)
        let prefix = try FileHashing.hasher(over: url)
        bytes[1_000_000...].withUnsafeBytes { prefix.update($0) }
        #expect(prefix.finalize() == SHA256Hasher.digest(of: bytes))
        try Data(bytes).write(to: url)
        #expect(try FileHashing.digest(of: url) == SHA256Hasher.digest(of: bytes))
    }

    @Test("digest parsing accepts only 64 hex characters")
    func digestParsing() {
        #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) != nil)
        #expect(SHA256Digest(hex: String(repeating: "0", count: 63)) == nil)
        #expect(SHA256Digest(hex: String(repeating: "g", count: 64)) == nil)
        let mixed = "0123456789abcdefABCDEF" + String(repeating: "9", count: 42)
        #expect(SHA256Digest(hex: mixed)?.hex == mixed.lowercased(), "either case, read back in lower case")
        // The characters just outside each accepted range.
        for outsider in ["/", ":", "@", "G", "`", "g", " ", "\u{7F}", "é"] {
            let text = outsider + String(repeating: "a", count: 64 - outsider.utf8.count)
            #expect(SHA256Digest(hex: text) == nil, "\(outsider) is not a hex digit")
        }
    }

    @Test("every byte value, at every position of an eight-digit group, is accepted exactly when it is a hex digit, with its value")
    func digestParsingEveryByte() {
        let base = Array("0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF".utf8)
        func reference(_ hex: [UInt8]) -> [UInt8]? {
            func value(_ digit: UInt8) -> UInt8? {
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
                default: nil
                }
            }
            var bytes: [UInt8] = []
            for pair in stride(from: 0, to: 64, by: 2) {
                guard let high = value(hex[pair]), let low = value(hex[pair + 1]) else { return nil }
                bytes.append(high << 4 | low)
            }
            return bytes
        }
        var mismatches: [String] = []
        for position in [0, 1, 6, 7, 8, 15, 31, 40, 63] {
            for byte in UInt8.min...UInt8.max {
                var hex = base
                hex[position] = byte
                let parsed = SHA256Digest(hexBytes: hex)?.withRawBytes { Array($0) }
                if parsed != reference(hex) { mismatches.append("byte \(byte) at \(position)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(SHA256Digest(hexBytes: base)?.hex == String(decoding: base, as: UTF8.self).lowercased())
    }
}
