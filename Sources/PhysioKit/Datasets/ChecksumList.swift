import FoundationEssentials

/// A parsed `SHA256SUMS.txt`: PhysioNet's `<64 hex><one space><path>` lines (docs/protocol.md §9), also GNU
/// coreutils' two-space and ` *` binary forms, CRLF line ends, and paths with spaces or non-ASCII.
public struct ChecksumList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let path: DatasetPath
        public let digest: SHA256Digest
    }

    public let entries: [Entry]

    /// Parses the list (see `FileList`, whose parser this is); any malformed or unsafe line rejects it.
    public init(parsing text: String) throws(PhysioError) {
        try self.init(parsing: Array(text.utf8))
    }

    public init(parsing bytes: [UInt8]) throws(PhysioError) {
        let list = try FileList(checksumList: bytes)
        entries = list.indices.map { Entry(path: list.path($0), digest: list.digest($0)!) }
    }

    init(entries: [Entry]) {
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
