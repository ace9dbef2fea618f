#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A path inside a dataset version folder, checked so it can never escape that folder.
///
/// Refused: empty, absolute, `.` or `..` components, empty components (`a//b`), backslashes (a Windows
/// separator that would mean something else on another machine), NUL and other control characters.
public struct DatasetPath: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty, absolute, parentReference, currentReference, emptyComponent, backslash, controlCharacter

        public var description: String {
            switch self {
            case .empty: return "empty path"
            case .absolute: return "absolute path"
            case .parentReference: return "contains '..'"
            case .currentReference: return "contains '.' component"
            case .emptyComponent: return "contains an empty component"
            case .backslash: return "contains a backslash"
            case .controlCharacter: return "contains a NUL or control character"
            }
        }
    }

    public init(validating text: String) throws(Problem) {
        var text = text
        let problem = text.withUTF8 { bytes -> Problem? in
            do throws(Problem) {
                try Self.check(UnsafeRawBufferPointer(bytes))
                return nil
            } catch {
                return error
            }
        }
        if let problem { throw problem }
        value = text
    }

    /// A path already checked (its bytes passed `check`), made a string only now.
    init(checkedUTF8 bytes: UnsafeRawBufferPointer) {
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// Checks a path's UTF-8 bytes in one pass, without making a string: this runs for every line of lists
    /// with hundreds of thousands of files.
    static func check(_ utf8: UnsafeRawBufferPointer) throws(Problem) {
        if utf8.isEmpty { throw .empty }
        if utf8.first == UInt8(ascii: "/") { throw .absolute }
        var dots = 0
        var componentLength = 0
        func endComponent() throws(Problem) {
            if componentLength == 0 { throw .emptyComponent }
            if dots == componentLength && dots == 2 { throw .parentReference }
            if dots == componentLength && dots == 1 { throw .currentReference }
        }
        for byte in utf8 {
            if byte < 0x20 || byte == 0x7F { throw .controlCharacter }
            if byte == UInt8(ascii: "\\") { throw .backslash }
            if byte == UInt8(ascii: "/") {
                try endComponent()
                dots = 0
                componentLength = 0
                continue
            }
            componentLength += 1
            if byte == UInt8(ascii: ".") { dots += 1 }
        }
        try endComponent()
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(validating: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unsafe dataset path: \(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var description: String { value }

    public var components: [Substring] { value.split(separator: "/") }

    /// The folder part (`hosp` for `hosp/admissions.csv.gz`), empty at the top level.
    public var parent: String {
        guard let slash = value.lastIndex(of: "/") else { return "" }
        return String(value[..<slash])
    }

    public var fileName: String { components.last.map(String.init) ?? value }

    /// Byte order of two UTF-8 paths, as PhysioNet's generator sorts (and SQLite's BINARY collation):
    /// negative, zero or positive. memcmp, because sorting and merging lists of hundreds of thousands of
    /// paths does this millions of times.
    static func byteOrder(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, common))
        return order != 0 ? order : a.count - b.count
    }

    public static func < (lhs: DatasetPath, rhs: DatasetPath) -> Bool {
        var left = lhs.value
        var right = rhs.value
        return left.withUTF8 { a in right.withUTF8 { b in byteOrder(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b)) < 0 } }
    }
}
