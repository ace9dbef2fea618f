extension StringProtocol {
    /// Without leading and trailing spaces, tabs, CR and LF: a byte-level trim for protocol text, where
    /// Foundation's `trimmingCharacters(in:)` (a CFString round trip) is needlessly slow on hot paths.
    var trimmingASCIISpace: String {
        let bytes = Array(utf8)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Whether the text holds nothing but ASCII whitespace.
    var isASCIIBlank: Bool {
        utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
