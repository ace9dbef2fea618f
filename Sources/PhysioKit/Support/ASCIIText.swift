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

    /// Whether two byte sequences spell the same ASCII text, letters compared without case.
    static func equalIgnoringCase(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        func folded(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
        return zip(left, right).allSatisfy { folded($0) == folded($1) }
    }
}

extension String {
    /// The first place that spells `needle`, ASCII letters compared without case (protocol and page
    /// markers are ASCII; other characters must match exactly).
    func firstRange(ignoringASCIICase needle: String) -> Range<String.Index>? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return nil }
        var start = utf8.startIndex
        while let end = utf8.index(start, offsetBy: pattern.count, limitedBy: utf8.endIndex) {
            if ASCIIText.equalIgnoringCase(utf8[start..<end], pattern) { return start..<end }
            start = utf8.index(after: start)
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, CR and LF.
    public var trimmingASCIISpace: String {
        var text = String(self)
        // Most protocol values carry no padding: then the String itself is the answer, with no copy.
        guard let first = text.utf8.first, let last = text.utf8.last, ASCIIText.isSpace(first) || ASCIIText.isSpace(last) else {
            return text
        }
        return text.withUTF8 { ASCIIText.trimmedString(UnsafeRawBufferPointer($0)) }
    }
}
