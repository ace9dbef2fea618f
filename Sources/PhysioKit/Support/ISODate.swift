import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `2026-11-27T08:54:00Z`: ISO 8601 in UTC to the second, formatted and parsed without Foundation's
/// formatters (which cost microseconds per call, and manifests hold tens of thousands of dates).
enum ISODate {
    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Twenty ASCII bytes written in place: an inventory checkpoint formats one date per row.
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int32, width: Int, at offset: Int) {
                var rest = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(parts.tm_year + 1900, width: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(parts.tm_mon + 1, width: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(parts.tm_mday, width: 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(parts.tm_hour, width: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(parts.tm_min, width: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(parts.tm_sec, width: 2, at: 17)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    static func parse(_ text: String) -> Date? {
        parse(utf8: Array(text.utf8)[...])
    }

    /// The same from bytes (a manifest being read), with no string in between.
    static func parse(utf8 slice: ArraySlice<UInt8>) -> Date? {
        let base = slice.startIndex
        func byte(_ offset: Int) -> UInt8 { slice[base + offset] }
        guard slice.count >= 20, byte(4) == UInt8(ascii: "-"), byte(7) == UInt8(ascii: "-"), byte(10) == UInt8(ascii: "T"),
            byte(13) == UInt8(ascii: ":"), byte(16) == UInt8(ascii: ":"), slice.last == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for offset in range {
                guard (48...57).contains(byte(offset)) else { return nil }
                value = value * 10 + Int32(byte(offset) - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
