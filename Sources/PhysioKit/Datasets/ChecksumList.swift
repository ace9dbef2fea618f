import Foundation

/// A parsed `SHA256SUMS.txt`: PhysioNet's `<64 hex><one space><path>` lines (PROTOCOL.md §4.1), also GNU
/// coreutils' two-space and ` *` binary forms, CRLF line ends, and paths with spaces or non-ASCII.
public struct ChecksumList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let path: DatasetPath
        public let digest: SHA256Digest
    }

    public let entries: [Entry]

    /// Parses the list; any malformed or unsafe line rejects the whole list, because a list that lies about
    /// one path cannot be trusted about the others.
    public init(parsing text: String) throws(PhysioError) {
        var entries: [Entry] = []
        var seen = Set<DatasetPath>()
        var lineNumber = 0
        // Bytes throughout: lists hold tens of thousands of lines, and as Characters "\r\n" is one grapheme
        // that a split on "\n" would not even see.
        let bytes = Array(text.utf8)
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { start = end + 1 }
            let line = bytes[start..<lineEnd]
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard line.count > 65 else {
                throw .malformedChecksumList(line: lineNumber, reason: "too short for a digest and a path")
            }
            guard let digest = SHA256Digest(hexBytes: line.prefix(64)) else {
                throw .malformedChecksumList(line: lineNumber, reason: "does not start with a 64-character hex SHA-256")
            }
            var pathStart = line.startIndex + 64
            guard line[pathStart] == 0x20 else {
                throw .malformedChecksumList(line: lineNumber, reason: "no space after the digest")
            }
            pathStart += 1
            // GNU style: a second space (text mode) or '*' (binary mode) before the name.
            if pathStart < line.endIndex && (line[pathStart] == 0x20 || line[pathStart] == UInt8(ascii: "*")) { pathStart += 1 }
            let pathText = String(decoding: line[pathStart...], as: UTF8.self)
            let path: DatasetPath
            do {
                path = try DatasetPath(validating: pathText)
            } catch {
                throw .unsafeChecksumEntry(line: lineNumber, path: pathText, reason: error.description)
            }
            guard seen.insert(path).inserted else {
                throw .malformedChecksumList(line: lineNumber, reason: "lists \(pathText) twice")
            }
            entries.append(Entry(path: path, digest: digest))
        }
        self.entries = entries
    }

    public var digestsByPath: [DatasetPath: SHA256Digest] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0.digest) })
    }

    /// Human-readable differences from `pinned`: entries added, removed or with another digest.
    public func differences(from pinned: ChecksumList) -> [String] {
        let mine = digestsByPath
        let theirs = pinned.digestsByPath
        var result: [String] = []
        for path in Set(mine.keys).union(theirs.keys).sorted() {
            switch (mine[path], theirs[path]) {
            case let (server?, pin?) where server != pin:
                result.append("\(path) has SHA-256 \(server.hex.prefix(12))… on the server, \(pin.hex.prefix(12))… pinned")
            case (_?, nil):
                result.append("\(path) is listed by the server but not pinned")
            case (nil, _?):
                result.append("\(path) is pinned but missing from the server's list")
            default:
                continue
            }
        }
        return result
    }
}
