import Foundation

/// CRC-32C (Castagnoli), the checksum GCS keeps for every object and sends in `x-goog-hash`, so that a client can
/// check a whole download without an MD5 (composite objects have none).
struct CRC32C {
    /// Reflected polynomial 0x1EDC6F41, one byte at a time: the simulator's objects are small.
    private static let table: [UInt32] = (0..<256).map { (index: Int) -> UInt32 in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    private var state: UInt32 = 0xFFFF_FFFF

    mutating func update(_ bytes: [UInt8]) {
        var crc = state
        for byte in bytes { crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        state = crc
    }

    var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// As `x-goog-hash: crc32c=` carries it: the four bytes big-endian, in base64 (`123456789` is `4waSgw==`).
    static func base64(_ value: UInt32) -> String {
        Data([24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }).base64EncodedString()
    }
}
