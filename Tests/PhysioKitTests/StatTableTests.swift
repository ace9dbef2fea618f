import Foundation
import Testing

@testable import PhysioKit

@Suite("StatTable: stats taken in blocks by helpers while a reader reads them")
struct StatTableTests {
    /// Several blocks of files in a few folders, every third one absent.
    let count = 2 * StatTable.blockSize + 123
    let paths: [String]
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        paths = (0..<count).map { String(format: "f%02d/file-%06d.dat", $0 / 1_000, $0) }
        for (index, path) in paths.enumerated() where index % 3 != 0 {
            let url = directory.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: UInt8(index % 251), count: index % 17).write(to: url)
        }
    }

    func table() -> StatTable {
        let paths = paths
        return StatTable(count: count, under: directory.path) { index, stat in
            var path = paths[index]
            return path.withUTF8 { stat(UnsafeRawBufferPointer($0)) }
        }
    }

    func expected(_ index: Int) -> FileIdentity? {
        FileSystem.identity(atPath: directory.path + "/" + paths[index])
    }

    @Test("read in order while a helper stats ahead: every file's facts, absent files nil")
    func readerAndHelper() async {
        let table = table()
        let want = (0..<count).map(expected)
        let helper = Task { await table.help(threads: 1) }
        let mismatches = await BlockingIO.run { want.indices.filter { table.identity($0) != want[$0] } }
        await helper.value
        #expect(mismatches.isEmpty)
        #expect(table.identity(0) == nil)
        #expect(table.identity(1)?.size == 1)
    }

    @Test("read backwards with no helper: the reader stats every block itself")
    func readerAlone() async {
        let table = table()
        let want = (0..<count).map(expected)
        let mismatches = await BlockingIO.run { want.indices.reversed().filter { table.identity($0) != want[$0] } }
        #expect(mismatches.isEmpty)
    }

    @Test("after stop(), helpers claim nothing more, and the reader still gets the blocks it asks for")
    func stopped() async throws {
        let table = table()
        table.stop()
        await table.help(threads: 2)
        // Had a helper statted block 0 already, the table would still show file 1.
        try FileManager.default.removeItem(atPath: directory.path + "/" + paths[1])
        #expect(await BlockingIO.run { table.identity(1) } == nil)
        let last = count - 1
        let want = expected(last)
        #expect(await BlockingIO.run { table.identity(last) } == want)
    }

    @Test("take: every block statted on all cores before it returns")
    func take() async throws {
        let before = (0..<count).map(expected)
        let paths = paths
        let table = await StatTable.take(count: count, under: directory.path) { index, stat in
            var path = paths[index]
            return path.withUTF8 { stat(UnsafeRawBufferPointer($0)) }
        }
        // Facts taken before the files went away.
        try FileManager.default.removeItem(atPath: directory.path + "/f00")
        #expect((0..<count).allSatisfy { table.identity($0) == before[$0] })
        #expect(before[1] != nil)
    }
}
