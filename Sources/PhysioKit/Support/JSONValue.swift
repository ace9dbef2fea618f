/// A small, strict JSON reader over UTF-8 bytes.
///
/// Foundation's JSON coders on Linux spend ~15 µs per record; a 20,000-file manifest then costs 0.3 s to load,
/// more than a whole no-op refresh may take. This reader does the same work in a few milliseconds.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits, kept exact (nanosecond
    /// timestamps and inodes exceed a Double's 53-bit mantissa).
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order; looked up linearly, which beats hashing for the handful of keys a
    /// record has.
    case object([Member])

    public struct Member: Sendable, Equatable {
        public let key: String
        public let value: JSONValue
    }

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.error("trailing characters") }
        return value
    }

    /// Parses a top-level object, handing each element of its array member `streamedKey` to `element` as
    /// soon as it is read instead of keeping them all: a 20,000-record manifest is then never held twice.
    /// The returned object lacks that member.
    public static func parseObject(
        _ bytes: [UInt8], streaming streamedKey: String, element: (JSONValue) throws -> Void
    ) throws -> JSONValue {
        try parseObject(bytes, streaming: streamedKey, reading: { reader in try element(try reader.value(depth: 1)) })
    }

    /// The same, with each element read by the caller straight from the bytes (no `JSONValue` in between).
    static func parseObject(
        _ bytes: [UInt8], streaming streamedKey: String, reading element: (inout Reader) throws -> Void
    ) throws -> JSONValue {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "{") else { throw reader.error("expected an object") }
        reader.index += 1
        var members: [Member] = []
        reader.skipWhitespace()
        if reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "}") {
            reader.index += 1
            return .object(members)
        }
        while true {
            reader.skipWhitespace()
            guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "\"") else { throw reader.error("expected a key") }
            let key = try reader.string()
            reader.skipWhitespace()
            guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: ":") else { throw reader.error("expected ':'") }
            reader.index += 1
            reader.skipWhitespace()
            if key == streamedKey, reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "[") {
                reader.index += 1
                reader.skipWhitespace()
                if reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "]") {
                    reader.index += 1
                } else {
                    while true {
                        reader.skipWhitespace()
                        try element(&reader)
                        reader.skipWhitespace()
                        guard reader.index < bytes.count else { throw reader.error("unexpected end") }
                        if bytes[reader.index] == UInt8(ascii: ",") { reader.index += 1; continue }
                        if bytes[reader.index] == UInt8(ascii: "]") { reader.index += 1; break }
                        throw reader.error("expected ',' or ']'")
                    }
                }
            } else {
                members.append(Member(key: key, value: try reader.value(depth: 1)))
            }
            reader.skipWhitespace()
            guard reader.index < bytes.count else { throw reader.error("unexpected end") }
            if bytes[reader.index] == UInt8(ascii: ",") { reader.index += 1; continue }
            if bytes[reader.index] == UInt8(ascii: "}") { reader.index += 1; break }
            throw reader.error("expected ',' or '}'")
        }
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.error("trailing characters") }
        return .object(members)
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var double: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }

    public var int64: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int64(value)
        default: return nil
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        // MARK: Direct reading, for callers that know the shape they expect

        /// Skips whitespace and consumes `byte`.
        mutating func consume(_ byte: UInt8) throws(SyntaxError) {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
            index += 1
        }

        /// The next key of an object opened with `consume("{")`, as the range of its bytes (keys with
        /// escapes are refused), positioned after its ':'; `nil` after the closing '}'.
        mutating func nextKey(first: inout Bool) throws(SyntaxError) -> Range<Int>? {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end") }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return nil
            }
            if !first {
                guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
                index += 1
                skipWhitespace()
            }
            first = false
            let key = try rawString()
            try consume(UInt8(ascii: ":"))
            skipWhitespace()
            return key
        }

        /// The bytes of a string without escapes (a string with escapes is refused).
        mutating func rawString() throws(SyntaxError) -> Range<Int> {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string") }
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
                index += 1
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("string with escapes") }
            index += 1
            return start..<(index - 1)
        }

        /// Whether the bytes in `range` spell `text`.
        func bytes(_ range: Range<Int>, equal text: StaticString) -> Bool {
            guard range.count == text.utf8CodeUnitCount else { return false }
            return text.withUTF8Buffer { expected in
                var offset = 0
                for position in range {
                    if bytes[position] != expected[offset] { return false }
                    offset += 1
                }
                return true
            }
        }

        /// Consumes `null` if it comes next.
        mutating func consumeNull() -> Bool {
            guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
            else { return false }
            index += 4
            return true
        }

        /// An integer written as plain digits; anything else (fraction, exponent, overflow) is refused.
        mutating func int64() throws(SyntaxError) -> Int64 {
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            var magnitude: UInt64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                let (times, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = times.addingReportingOverflow(UInt64(bytes[index] - 48))
                guard !overflowA, !overflowB else { throw error("integer too large") }
                magnitude = sum
                index += 1
            }
            guard index > start, index - start <= 19 || magnitude <= UInt64(Int64.max) else { throw error("expected an integer") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                throw error("expected an integer")
            }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { throw error("integer too large") }
                return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            }
            guard magnitude <= UInt64(Int64.max) else { throw error("integer too large") }
            return Int64(magnitude)
        }

        func error(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < 64 else { throw error("nested too deeply") }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
                throw error("unknown literal")
            }
            index += expected.count
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            index += 1
            var members: [Member] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                members.append(Member(key: key, value: try value(depth: depth + 1)))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw error("expected ',' or ']'")
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            index += 1
            let start = index
            // Fast path: no escapes.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw error("control character in string") }
                index += 1
            }
            guard index < bytes.count else { throw error("unterminated string") }
            if bytes[index] == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
            var scalars = [UInt8](bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: scalars, as: UTF8.self)
                }
                guard byte >= 0x20 else { throw error("control character in string") }
                if byte != UInt8(ascii: "\\") {
                    scalars.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw error("invalid escape")
                }
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 48...57: digit = UInt32(byte - 48)
                case 65...70: digit = UInt32(byte - 55)
                case 97...102: digit = UInt32(byte - 87)
                default: throw error("bad hex digit")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func number() throws(SyntaxError) -> JSONValue {
            let start = index
            var integral = true
            while index < bytes.count {
                let byte = bytes[index]
                guard (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                else { break }
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { integral = false }
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if integral, let exact = Int64(text) { return .integer(exact) }
            guard index > start, let value = Double(text) else { throw error("invalid number") }
            return .number(value)
        }
    }
}
