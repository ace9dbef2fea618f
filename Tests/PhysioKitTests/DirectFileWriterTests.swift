import CPhysioShims
import Foundation
import Testing
@testable import PhysioKit

@Suite("Large downloads written with O_DIRECT")
struct DirectFileWriterTests {
    /// A folder on the same filesystem as the build (not tmpfs, which refuses O_DIRECT).
    static func folder() throws -> URL {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/test-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base
    }

    /// Deterministic bytes that differ at every offset, so a misplaced chunk changes the hash.
    static func pattern(_ count: Int) -> [UInt8] {
        var state: UInt32 = 2_463_534_242
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
    }

    @Test("bytes fed in odd-sized chunks land whole, tail included, with the matching digest", arguments: [
        DirectFileWriter.bufferSize * 3,  // whole buffers only
        DirectFileWriter.bufferSize * 2 + 4096 * 5,  // a block-aligned tail
        DirectFileWriter.bufferSize * 5 + 12_345,  // a tail that is not a whole block
        777,  // less than one block
    ])
    func writesEverything(size: Int) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big.bin.part").path
        let data = Self.pattern(size)
        guard let writer = DirectFileWriter.open(path: path) else {
            // Only a filesystem outside the local-disk list may decline (the sink then writes buffered).
            #expect(!DirectFileWriter.localFilesystems.contains(physio_filesystem_type(folder.path)))
            return
        }
        var offset = 0
        var step = 1
        var feeder = PausingFeeder()
        while offset < size {
            let count = min(step, size - offset)
            try data[offset..<(offset + count)].withUnsafeBytes { piece in
                try feeder.feed(piece) { try writer.append($0, resumer: $1) }
            }
            offset += count
            step = step * 7 % 300_007 + 1
        }
        let digest = try await writer.finish()
        #expect(digest == SHA256Hasher.digest(of: data))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == data)
    }

    @Test("tmpfs and other non-disk filesystems keep buffered writes")
    func onlyLocalDisks() throws {
        let shm = "/dev/shm"
        guard physio_filesystem_type(shm) == 0x0102_1994 else { return }  // tmpfs where the machine has one
        let path = "\(shm)/physio-direct-\(UUID().uuidString)"
        defer { unlink(path) }
        #expect(DirectFileWriter.open(path: path) == nil)
        #expect(!FileManager.default.fileExists(atPath: path), "declined before creating anything")
    }

    @Test("a download sink writes a large file through it and reports the same digest as the bytes")
    func sinkUsesDirectWrites() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let size = 3 * DirectFileWriter.bufferSize + 4097
        let data = Self.pattern(size)
        let partPath = folder.appendingPathComponent("partial/big.bin.part").path
        let sink = DownloadSink(
            partPath: partPath, infoPath: partPath + ".json", resumeOffset: 0, prefixHasher: nil,
            path: try DatasetPath(validating: "big.bin"), progress: nil, directories: DirectoryCache(),
            directWriteThreshold: 2 * Int64(DirectFileWriter.bufferSize))
        let head = HTTPResponseHead(
            status: 200, headers: ["Content-Length": String(size), "Content-Type": "application/octet-stream"],
            url: URL(string: "http://127.0.0.1/files/x/1.0/big.bin")!)
        try sink.receiveHead(head)
        var offset = 0
        var feeder = PausingFeeder()
        while offset < size {
            let count = min(16_384, size - offset)
            try data[offset..<(offset + count)].withUnsafeBytes { piece in
                try feeder.feed(piece) { try sink.receiveBody($0, resumer: $1) }
            }
            offset += count
        }
        #expect(await sink.finish() == SHA256Hasher.digest(of: data))
        #expect(sink.bytesInFile == Int64(size))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: partPath))) == data)
    }

    @Test("when every buffer is busy the writer pauses the transfer instead of blocking it, and resumes it when one frees")
    func pausesInsteadOfBlocking() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("slow-disk.bin.part").path
        guard let writer = DirectFileWriter.open(path: path) else { return }
        let data = Self.pattern(4 * DirectFileWriter.bufferSize + 1000)
        // A hash queue that does not move stands for a disk that has fallen behind.
        writer.hashQueue.suspend()
        let resumed = ResumeCounter()
        let split = 4 * DirectFileWriter.bufferSize
        let (filling, blocked) = try data.withUnsafeBytes { all in
            (try writer.append(UnsafeRawBufferPointer(rebasing: all[..<split]), resumer: TransferResumer { resumed.add() }),
             try writer.append(UnsafeRawBufferPointer(rebasing: all[split...]), resumer: TransferResumer { resumed.add() }))
        }
        #expect(filling == .taken)
        #expect(blocked == .paused, "all four buffers are queued")
        #expect(resumed.count == 0)
        writer.hashQueue.resume()
        await resumed.waitForFirst()
        let retried = try data.withUnsafeBytes { all in
            try writer.append(UnsafeRawBufferPointer(rebasing: all[split...]), resumer: TransferResumer {})
        }
        #expect(retried == .taken)
        #expect(try await writer.finish() == SHA256Hasher.digest(of: data))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == data)
    }
}
