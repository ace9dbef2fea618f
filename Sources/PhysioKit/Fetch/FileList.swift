import Dispatch
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A dataset's file list, kept as the bytes of its SHA256SUMS.txt plus 12 bytes a file saying where each
/// line's digest and path are. Paths become `DatasetPath`s and digests are decoded only when a file is
/// worked on. Measured on 400,000 files: an array of structs holding a `String` and a digest each took
/// 58 MB beside the 43 MB list it was parsed from; this keeps the 43 MB (which the dataset folder's copy
/// is written from anyway) and 5 MB more.
///
/// A list crawled from folder listings (no SHA256SUMS.txt) has no digests; its storage is the paths back
/// to back.
struct FileList: Sendable {
    private struct Entry: Sendable {
        var pathStart: UInt32
        var pathEnd: UInt32
        /// Where the 64 hex digits start, or `UInt32.max` for none.
        var digestStart: UInt32
    }

    /// The list's bytes (lists are capped far below 4 GiB, so 32-bit offsets suffice).
    private(set) var storage: [UInt8]
    private var entries: [Entry] = []
    /// Empty until a size is known; then -1 where unknown.
    private var sizes: [Int64] = []
    /// The paths are known to ascend (the parse saw it, or the list was sorted); `false`: not known.
    private var ascends = false

    /// An empty list to `append` paths to.
    init() {
        storage = []
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var indices: Range<Int> { 0..<count }

    // MARK: Building

    /// Parses SHA256SUMS.txt: PhysioNet's `<64 hex><one space><path>` lines (docs/protocol.md §9), also GNU
    /// coreutils' two-space and ` *` binary forms, CRLF line ends, and paths with spaces or non-ASCII. Any
    /// malformed or unsafe line rejects the whole list, because a list that lies about one path cannot be
    /// trusted about the others.
    /// `firstLine`: lines before `bytes` (a window of a longer list), so errors name the list's own line.
    init(checksumList bytes: [UInt8], firstLine: Int = 0) throws(PhysioError) {
        storage = bytes
        let parsed = bytes.withUnsafeBytes { all in Result { () throws(PhysioError) in try Self.parse(all, firstLine: firstLine) } }
        (entries, ascends) = try parsed.get()
    }

    /// Lists of 1 MiB or more are parsed in two halves at once, which halves the time a refresh waits for
    /// its list (400,000 lines: 150 ms on one core). Anything irregular in either half (a bad line, paths
    /// out of order) sends the whole list through the one-thread parse, whose errors name the exact line
    /// and which finds duplicates in unsorted lists.
    private static func parse(_ all: UnsafeRawBufferPointer, firstLine: Int) throws(PhysioError) -> ([Entry], ascending: Bool) {
        let middle = all.count / 2
        guard all.count >= 1 << 20, ProcessInfo.processInfo.activeProcessorCount > 1,
            let newline = memchr(all.baseAddress! + middle, 0x0A, all.count - middle)
        else { return try parse(all, lines: 0..<all.count, strict: true, firstLine: firstLine) }
        let cut = all.baseAddress!.distance(to: UnsafeRawPointer(newline)) + 1
        let halves = [0..<cut, cut..<all.count]
        let halfParse = HalfParse(all: all, results: .allocate(capacity: 2))
        halfParse.results.initialize(repeating: nil)
        defer { halfParse.results.deinitialize().deallocate() }
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            halfParse.results[half] = try? parse(halfParse.all, lines: halves[half], strict: false, firstLine: 0).0
        }
        guard var first = halfParse.results[0], let second = halfParse.results[1],
            first.isEmpty || second.isEmpty || order(all, first[first.count - 1], pathBytes(all, second[0])) < 0
        else { return try parse(all, lines: 0..<all.count, strict: true, firstLine: firstLine) }
        first.append(contentsOf: second)
        return (first, true)
    }

    /// The list's bytes and a result slot per half, for the two threads of `concurrentPerform`: both
    /// outlive it (it returns once both halves are done), and each thread writes only its own slot.
    private struct HalfParse: @unchecked Sendable {
        let all: UnsafeRawBufferPointer
        let results: UnsafeMutableBufferPointer<[Entry]?>
    }

    /// Parses the lines in `range` (which starts a line), and says whether their paths ascend. Not `strict`
    /// (half of a list): throws at the first error or the first path not after the one before it, with
    /// line numbers that count from the half's start.
    private static func parse(
        _ all: UnsafeRawBufferPointer, lines range: Range<Int>, strict: Bool, firstLine: Int
    ) throws(PhysioError) -> ([Entry], ascending: Bool) {
        var entries: [Entry] = []
        entries.reserveCapacity(range.count / 100)
        // Duplicates: PhysioNet's lists are sorted, so while the paths ascend none can repeat; a set of every
        // path is built only once a list turns out not to be sorted.
        var seen: Set<DatasetPath>?
        var lineNumber = firstLine
        var start = range.lowerBound
        while start < range.upperBound {
            let end = memchr(all.baseAddress! + start, 0x0A, range.upperBound - start)
                .map { all.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? range.upperBound
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start && all[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { start = end + 1 }
            let line = UnsafeRawBufferPointer(rebasing: all[start..<lineEnd])
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard line.count > 65 else {
                throw .malformedChecksumList(line: lineNumber, reason: "too short for a digest and a path")
            }
            guard SHA256Digest(hexBytes: UnsafeRawBufferPointer(rebasing: line[0..<64])) != nil else {
                throw .malformedChecksumList(line: lineNumber, reason: "does not start with a 64-character hex SHA-256")
            }
            guard line[64] == 0x20 else {
                throw .malformedChecksumList(line: lineNumber, reason: "no space after the digest")
            }
            // GNU style: a second space (text mode) or '*' (binary mode) before the name.
            var pathStart = 65
            if pathStart < line.count && (line[pathStart] == 0x20 || line[pathStart] == UInt8(ascii: "*")) { pathStart += 1 }
            let path = UnsafeRawBufferPointer(rebasing: line[pathStart...])
            do throws(DatasetPath.Problem) {
                try DatasetPath.check(path)
            } catch {
                throw .unsafeChecksumEntry(line: lineNumber, path: String(decoding: path, as: UTF8.self), reason: error.description)
            }
            if path.contains(where: { $0 >= 0x80 }), String(validating: path, as: UTF8.self) == nil {
                throw .malformedChecksumList(line: lineNumber, reason: "the path is not valid UTF-8")
            }
            let entry = Entry(
                pathStart: UInt32(start + pathStart), pathEnd: UInt32(lineEnd), digestStart: UInt32(start))
            if seen == nil, let last = entries.last, Self.order(all, last, path) >= 0 {
                guard strict else { throw .malformedChecksumList(line: lineNumber, reason: "not in path order") }
                seen = Set(entries.map { DatasetPath(checkedUTF8: Self.pathBytes(all, $0)) })
            }
            if seen?.insert(DatasetPath(checkedUTF8: path)).inserted == false {
                throw .malformedChecksumList(line: lineNumber, reason: "lists \(String(decoding: path, as: UTF8.self)) twice")
            }
            entries.append(entry)
        }
        return (entries, seen == nil)
    }

    /// Appends a file found without a list (no digest).
    mutating func append(_ path: DatasetPath, size: Int64?) {
        let start = UInt32(storage.count)
        storage.append(contentsOf: path.value.utf8)
        entries.append(Entry(pathStart: start, pathEnd: UInt32(storage.count), digestStart: .max))
        if !sizes.isEmpty { sizes.append(-1) }
        if let size { setSize(count - 1, size) }
    }

    // MARK: Reading

    private static func pathBytes(_ all: UnsafeRawBufferPointer, _ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: all[Int(entry.pathStart)..<Int(entry.pathEnd)])
    }

    private static func order(_ all: UnsafeRawBufferPointer, _ entry: Entry, _ other: UnsafeRawBufferPointer) -> Int {
        DatasetPath.byteOrder(pathBytes(all, entry), other)
    }

    func withPathBytes<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try storage.withUnsafeBytes { all in try body(Self.pathBytes(all, entries[index])) }
    }

    func path(_ index: Int) -> DatasetPath {
        withPathBytes(index) { DatasetPath(checkedUTF8: $0) }
    }

    func digest(_ index: Int) -> SHA256Digest? {
        let start = Int(entries[index].digestStart)
        guard entries[index].digestStart != .max else { return nil }
        return storage.withUnsafeBytes { SHA256Digest(hexBytes: UnsafeRawBufferPointer(rebasing: $0[start..<(start + 64)])) }
    }

    func size(_ index: Int) -> Int64? {
        guard !sizes.isEmpty, sizes[index] >= 0 else { return nil }
        return sizes[index]
    }

    mutating func setSize(_ index: Int, _ size: Int64) {
        if sizes.isEmpty { sizes = [Int64](repeating: -1, count: count) }
        sizes[index] = size
    }

    /// Byte order of the path at `index` against raw UTF-8 (as `DatasetPath` sorts): negative, zero or positive.
    func compare(_ index: Int, _ other: UnsafeRawBufferPointer) -> Int {
        storage.withUnsafeBytes { Self.order($0, entries[index], other) }
    }

    func precedes(_ a: Int, _ b: Int) -> Bool {
        withPathBytes(b) { compare(a, $0) < 0 }
    }

    /// Whether the paths ascend: known from the parse for a checksum list, else checked.
    var isSorted: Bool {
        ascends || indices.dropFirst().allSatisfy { precedes($0 - 1, $0) }
    }

    // MARK: Narrowing (the storage is shared, never copied)

    /// The files at `chosen`, in that order: ascending indices of a sorted list keep it sorted.
    func selecting(_ chosen: some Sequence<Int>, ascending: Bool = true) -> FileList {
        var result = self
        result.entries = chosen.map { entries[$0] }
        result.sizes = sizes.isEmpty ? [] : chosen.map { sizes[$0] }
        result.ascends = ascends && ascending
        return result
    }

    /// The same files in path order.
    func sorted() -> FileList {
        guard !isSorted else { return self }
        var result = selecting(indices.sorted(by: precedes), ascending: false)
        result.ascends = true
        return result
    }

    /// The files `keep` accepts (it sees each path as a `DatasetPath`).
    func filter(_ keep: (DatasetPath) -> Bool) -> FileList {
        selecting(indices.filter { keep(path($0)) })
    }
}
