import Foundation
import Synchronization
import Testing

@testable import PhysioKit

@Suite("FilePublisher: verified small files created off the transfer thread")
struct FilePublisherTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func item(_ name: String, _ body: [UInt8]) -> FilePublisher.Item {
        FilePublisher.Item(
            body: body, path: directory.path + "/" + name,
            record: FileRecord(path: try! DatasetPath(validating: name), size: Int64(body.count), state: .verified),
            bytesTransferred: Int64(body.count) + 1)
    }

    @Test("every file handed over exists with its bytes when finish returns, reported in order with its identity")
    func createsInOrder() async throws {
        let reported = Mutex<[(FileRecord, Int64)]>([])
        let root = directory.path
        let missingWhenReported = Mutex(0)
        let publisher = FilePublisher(directories: DirectoryCache()) { record, bytes in
            if FileSystem.identity(atPath: root + "/" + record.path.value) == nil { missingWhenReported.withLock { $0 += 1 } }
            reported.withLock { $0.append((record, bytes)) }
        }
        let names = (0..<500).map { "d\($0 % 7)/sub/file-\($0).dat" }
        for (index, name) in names.enumerated() {
            try publisher.submit(item(name, [UInt8](repeating: UInt8(index % 256), count: index % 40)))
        }
        try await publisher.finish()
        let records = reported.withLock { $0 }
        #expect(missingWhenReported.withLock { $0 } == 0)
        #expect(records.map(\.0.path.value) == names)
        #expect(records.map(\.1) == names.indices.map { Int64($0 % 40) + 1 })
        for (index, name) in names.enumerated() {
            let path = directory.path + "/" + name
            #expect(try FileSystem.readBytes(atPath: path) == [UInt8](repeating: UInt8(index % 256), count: index % 40))
            #expect(records[index].0.identity == FileSystem.identity(atPath: path))
            #expect(records[index].0.identity != nil)
        }
    }

    @Test("more than the queue holds: with the publisher held, the caller gets the limit in and no further; nothing is lost")
    func backpressure() async throws {
        let body = [UInt8](repeating: 7, count: 1 << 20)
        let fit = FilePublisher.queuedBytesLimit / body.count
        let files = 3 * fit
        let submitted = DispatchSemaphore(value: 0)
        let gotPastLimit = Mutex<Bool?>(nil)
        let count = Mutex(0)
        let publisher = FilePublisher(directories: DirectoryCache()) { _, _ in
            let first = count.withLock { count in
                count += 1
                return count == 1
            }
            guard first else { return }
            // Held in the first file's report, whose bytes still count: the caller fills the rest of the limit...
            for _ in 0..<fit { submitted.wait() }
            // ...and the next hand-over must wait for room.
            gotPastLimit.withLock { $0 = submitted.wait(timeout: .now() + 0.5) == .success }
        }
        let items = (0..<files).map { item("big-\($0)", body) }
        try await BlockingIO.run { () throws in
            for item in items {
                try publisher.submit(item)
                submitted.signal()
            }
        }
        try await publisher.finish()
        #expect(gotPastLimit.withLock { $0 } == false)
        #expect(count.withLock { $0 } == files)
        #expect(FileSystem.identity(atPath: directory.path + "/big-\(files - 1)")?.size == Int64(body.count))
    }

    @Test("a file that cannot be created fails the next hand-over and finish, naming its path")
    func failure() async throws {
        // A file where the folder should be: its children cannot be created.
        try Data("x".utf8).write(to: directory.url.appendingPathComponent("blocker"))
        let count = Mutex(0)
        let publisher = FilePublisher(directories: DirectoryCache()) { _, _ in count.withLock { $0 += 1 } }
        try publisher.submit(item("ok-1", [1]))
        try publisher.submit(item("blocker/inside", [2]))
        // Queued behind the failure, or refused if the failure came first: never created either way.
        try? publisher.submit(item("behind", [3]))
        let failure = await #expect(throws: PhysioError.self) { try await publisher.finish() }
        #expect(failure?.message.contains("blocker") == true)
        #expect(throws: PhysioError.self) { try publisher.check() }
        #expect(throws: PhysioError.self) { try publisher.submit(item("ok-2", [3])) }
        #expect(FileSystem.identity(atPath: directory.path + "/behind") == nil)
        #expect(count.withLock { $0 } == 1)
        #expect(FileSystem.identity(atPath: directory.path + "/ok-2") == nil)
    }
}

@Suite("FileSystem.publish replaces a file atomically")
struct AtomicReplacementTests {
    @Test("while a file is replaced again and again, a reader always finds the old bytes or the new ones, never no file")
    func neverMissing() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/data.csv"
        let old = [UInt8](repeating: 1, count: 4096)
        let new = [UInt8](repeating: 2, count: 4096)
        _ = try FileSystem.publish(old, atPath: path)
        let stop = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)
        let missing = Atomic<Int>(0)
        let torn = Atomic<Int>(0)
        // A reader on its own thread, opening the path as fast as it can while the replacements run.
        let reader = Thread {
            while !stop.load(ordering: .relaxed) {
                guard let bytes = try? FileSystem.readBytes(atPath: path) else {
                    missing.add(1, ordering: .relaxed)
                    continue
                }
                if bytes != old && bytes != new { torn.add(1, ordering: .relaxed) }
                reads.add(1, ordering: .relaxed)
            }
        }
        reader.start()
        // Unlink-then-link left the path empty for a moment: over 20,000 replacements with that code the reader
        // found no file 21,005 times; a rename over the file never leaves it missing.
        for round in 0..<2_000 {
            _ = try FileSystem.publish(round % 2 == 0 ? new : old, atPath: path)
        }
        stop.store(true, ordering: .relaxed)
        while !reader.isFinished { await Task.yield() }
        #expect(missing.load(ordering: .relaxed) == 0)
        #expect(torn.load(ordering: .relaxed) == 0)
        #expect(reads.load(ordering: .relaxed) > 0)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["data.csv"])
    }
}
