/// Byte-level helpers for protocol text (headers, lists), where Foundation's `trimmingCharacters(in:)`
/// (a CFString round trip) and Character-based String APIs are needlessly slow on hot paths.
enum ASCIIText {
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The bytes without leading and trailing spaces, tabs, CR and LF, as a String.
    static func trimmedString(_ bytes: UnsafeRawBufferPointer) -> String {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// Without leading and trailing spaces, tabs, CR and LF.
    var trimmingASCIISpace: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        // Most protocol values carry no padding: no copy beyond the String itself.
        if !ASCIIText.isSpace(first) && !ASCIIText.isSpace(last) { return String(self) }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, ASCIIText.isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, ASCIIText.isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

extension StringProtocol {
    /// Whether the text holds nothing but ASCII whitespace.
    var isASCIIBlank: Bool {
        utf8.allSatisfy(ASCIIText.isSpace)
    }
}
