import Foundation
import Testing
@testable import PhysioKit

/// A long list is planned and downloaded a window at a time (`ListSelection`): these pin down that the
/// windows together are exactly the list, in order, selected as the whole list would be.
@Suite("List windows")
struct ListWindowsTests {
    /// `count` lines `<digest> d<i % 7>/f<i>.dat`, in byte order of the paths.
    static func list(_ count: Int, digestOf: (Int) -> String = { String(format: "%064x", $0) }) -> [UInt8] {
        let paths = (0..<count).map { "d\($0 % 7)/f\(String(format: "%05d", $0)).dat" }.sorted()
        return Array(paths.enumerated().map { "\(digestOf($0.offset)) \($0.element)\n" }.joined().utf8)
    }

    static func paths(_ selection: ListSelection) throws -> [String] {
        var cursor = selection.windows()
        var paths: [String] = []
        while let window = try cursor.next() {
            paths += window.files.indices.map { window.files.path($0).value }
            // Each window read again from its place is the same files.
            let again = try selection.files(at: window.place)
            #expect(again.indices.map { again.path($0).value } == window.files.indices.map { window.files.path($0).value })
        }
        return paths
    }

    static func windowCount(_ selection: ListSelection) throws -> Int {
        var cursor = selection.windows()
        var count = 0
        while try cursor.next() != nil { count += 1 }
        return count
    }

    @Test("windows of whole lines cover the list exactly once, in order, whether in memory or spooled to a file")
    func windowsCoverTheList() throws {
        let bytes = Self.list(1_000)
        let whole = try FileList(checksumList: bytes)
        let expected = whole.indices.map { whole.path($0).value }
        let spool = try ListBytes.spool(count: bytes.count, in: NSTemporaryDirectory())
        // Written in parts out of order, as the ranged list download writes them.
        let half = bytes.count / 2
        try spool.write(Array(bytes[half...]), at: half)
        try spool.write(Array(bytes[..<half]), at: 0)
        #expect(try spool.readAll() == bytes)
        #expect(try spool.digest() == SHA256Hasher.digest(of: bytes))
        for list in [ListBytes(bytes), spool] {
            let windowed = try ListSelection(.checksumList(list), filter: PathFilter(), shard: nil, maxBytes: 4_096)
            #expect(!windowed.isOneWindow)
            #expect(try Self.windowCount(windowed) > 10)
            #expect(try Self.paths(windowed) == expected)
            let single = try ListSelection(.checksumList(list), filter: PathFilter(), shard: nil, maxBytes: 1 << 20)
            #expect(single.isOneWindow)
            #expect(try Self.paths(single) == expected)
        }
    }

    @Test("a filter and shards select in windows what they select in the whole list")
    func selectionMatchesTheWholeList() throws {
        let list = ListBytes(Self.list(1_000))
        let filter = PathFilter(includes: ["d3/*", "d5/*"])
        let windowed = try ListSelection(.checksumList(list), filter: filter, shard: nil, maxBytes: 4_096)
        let whole = try ListSelection(.checksumList(list), filter: filter, shard: nil, maxBytes: 1 << 20)
        #expect(try Self.paths(windowed) == Self.paths(whole))
        #expect(try Self.paths(windowed).count == 286)

        // Three shards of the windowed list: disjoint, together the whole selection, in order.
        var union: [String] = []
        for index in 0..<3 {
            let shard = try Shard(index: index, count: 3)
            let part = try Self.paths(ListSelection(.checksumList(list), filter: filter, shard: shard, maxBytes: 4_096))
            #expect(part.count >= 95 && part.count <= 96, "shard \(index): \(part.count)")
            union += part
        }
        #expect(union == (try Self.paths(whole)))
    }

    @Test("a malformed line is reported with its line number in the whole list, not in its window")
    func lineNumbersCountFromTheListStart() throws {
        var lines = String(decoding: Self.list(500), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The same path, so the list stays in order and is read in windows; the digest is not hex.
        lines[412] = "zz" + String(repeating: "0", count: 62) + lines[412].dropFirst(64)
        let selection = try ListSelection(
            .checksumList(ListBytes(Array(lines.joined(separator: "\n").utf8))), filter: PathFilter(), shard: nil, maxBytes: 4_096)
        #expect(!selection.isOneWindow)
        #expect(throws: PhysioError.malformedChecksumList(line: 413, reason: "does not start with a 64-character hex SHA-256")) {
            _ = try Self.paths(selection)
        }
    }

    @Test("a long list out of path order is read again as one window, sorted, as a short one always was")
    func unsortedListIsOneWindow() throws {
        var lines = String(decoding: Self.list(600), as: UTF8.self).split(separator: "\n").map(String.init)
        lines.swapAt(10, 500)
        let list = ListBytes(Array((lines.joined(separator: "\n") + "\n").utf8))
        // In order, the same lines read in windows to the end.
        var inOrder = try ListSelection(.checksumList(ListBytes(Self.list(600))), filter: PathFilter(), shard: nil, maxBytes: 4_096).windows()
        while try inOrder.next() != nil {}
        #expect(!inOrder.outOfOrder)
        // Read in windows, the first window out of order ends them; the plan then takes it whole.
        let windowed = try ListSelection(.checksumList(list), filter: PathFilter(), shard: nil, maxBytes: 4_096)
        #expect(!windowed.isOneWindow)
        var cursor = windowed.windows()
        while try cursor.next() != nil {}
        #expect(cursor.outOfOrder)
        let whole = try windowed.asOneWindow()
        #expect(whole.isOneWindow)
        let paths = try Self.paths(whole)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(paths.count == 600)
        // A plan that streams what it plans (a dry run) looks at the order first.
        #expect(try ListSelection(.checksumList(list), filter: PathFilter(), shard: nil, maxBytes: 4_096, checkOrderFirst: true).isOneWindow)
        // Shards count the selection through the windows first, and so find the order there.
        #expect(try ListSelection(.checksumList(list), filter: PathFilter(), shard: Shard(index: 0, count: 2), maxBytes: 4_096).isOneWindow)
    }

    @Test("a downloaded file's run state reads each window's files when it reaches them, retried files first")
    func runStateWalksTheWindows() throws {
        let list = ListBytes(Self.list(300))
        let selection = try ListSelection(.checksumList(list), filter: PathFilter(), shard: nil, maxBytes: 2_048)
        var cursor = selection.windows()
        var windows: [DownloadQueue.Window] = []
        var expected: [String] = []
        while let window = try cursor.next() {
            // Every other file of each window is queued.
            let queued = window.files.indices.filter { $0 % 2 == 0 }.map(UInt32.init)
            expected += queued.map { window.files.path(Int($0)).value }
            windows.append(DownloadQueue.Window(
                place: window.place, files: nil, queue: queued, partials: [:], replaced: [], knownSizes: []))
        }
        #expect(windows.count > 5)
        let run = DownloadRunState(queue: DownloadQueue(selection: selection, windows: windows))
        var started: [String] = []
        while let (candidate, _) = try run.next() {
            started.append(candidate.path.value)
            #expect(candidate.digest != nil)
            if started.count == 7 { run.retry(candidate, bytes: 0) }
        }
        #expect(started.count == expected.count + 1)
        #expect(started[7] == started[6], "a retried file starts again before the rest")
        started.remove(at: 7)
        #expect(started == expected)
    }
}
