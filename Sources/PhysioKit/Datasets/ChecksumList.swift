import Foundation

/// A parsed `SHA256SUMS.txt`: PhysioNet's `<64 hex><one space><path>` lines (PROTOCOL.md §4.1), also GNU
/// coreutils' two-space and ` *` binary forms, CRLF line ends, and paths with spaces or non-ASCII.
public struct ChecksumList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let path: DatasetPath
        public let digest: SHA256Digest
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses the list; any malformed or unsafe line rejects the whole list, because a list that lies about
    /// one path cannot be trusted about the others.
    public init(parsing text: String) throws(PhysioError) {
        var entries: [Entry] = []
        var seen = Set<DatasetPath>()
        var lineNumber = 0
        // Split on LF bytes: as Characters, "\r\n" is one grapheme that a split on "\n" would not see.
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine[...]
            let line = Substring(String(decoding: bytes, as: UTF8.self))
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard line.utf8.count > 65 else {
                throw .malformedChecksumList(line: lineNumber, reason: "too short for a digest and a path")
            }
            let hexEnd = line.index(line.startIndex, offsetBy: 64)
            guard let digest = SHA256Digest(hex: line[..<hexEnd]) else {
                throw .malformedChecksumList(line: lineNumber, reason: "does not start with a 64-character hex SHA-256")
            }
            var rest = line[hexEnd...]
            guard rest.first == " " else {
                throw .malformedChecksumList(line: lineNumber, reason: "no space after the digest")
            }
            rest = rest.dropFirst()
            // GNU style: a second space (text mode) or '*' (binary mode) before the name.
            if rest.first == " " || rest.first == "*" { rest = rest.dropFirst() }
            let pathText = String(rest)
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
