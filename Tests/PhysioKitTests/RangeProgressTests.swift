import Foundation
import Testing
@testable import PhysioKit

@Suite("Split downloads continue their ranges")
struct RangeProgressTests {
    typealias Range = PartialFileInfo.RangeProgress

    static func info(_ ranges: [Range], size: Int64 = 300, etag: String? = "\"abc-12c\"") -> PartialFileInfo {
        PartialFileInfo(etag: etag, totalSize: size, segmented: true, ranges: ranges)
    }

    @Test("a record continues only when its ranges tile the file, their progress is inside them, and a validator exists")
    func continuationRules() {
        let good = [Range(first: 0, last: 99, next: 40), Range(first: 100, last: 199, next: 200), Range(first: 200, last: 299, next: 200)]
        #expect(Self.info(good).canContinueRanges(size: 300))
        #expect(!Self.info(good).canContinueRanges(size: 301), "another size: another file")
        #expect(!Self.info(good).canContinueRanges(size: nil))
        #expect(!Self.info(good, etag: nil).canContinueRanges(size: 300), "no If-Range possible")
        #expect(!Self.info([Range(first: 0, last: 99, next: 40), Range(first: 150, last: 299, next: 150)]).canContinueRanges(size: 300), "a gap")
        #expect(!Self.info([Range(first: 0, last: 299, next: 301)]).canContinueRanges(size: 300), "progress past the range")
        #expect(!Self.info([Range(first: 0, last: 299, next: -1)]).canContinueRanges(size: 300))
        var plain = Self.info(good)
        plain.segmented = nil
        #expect(!plain.canContinueRanges(size: 300))
    }

    @Test("a stopped single stream becomes a split: its bytes one finished range, the rest tiled in the ranges asked for")
    func splittingAStream() throws {
        let stream = PartialFileInfo(etag: "\"abc-12c\"", totalSize: 300)
        let split = try #require(stream.splitting(after: 40, size: 300, into: 3))
        #expect(split.ranges == [Range(first: 0, last: 39, next: 40), Range(first: 40, last: 125, next: 40),
            Range(first: 126, last: 212, next: 126), Range(first: 213, last: 299, next: 213)])
        #expect(split.canContinueRanges(size: 300), "what FileDownloader continues")
        #expect(split.etag == stream.etag)
        #expect(stream.splitting(after: 0, size: 300, into: 2)?.ranges == [Range(first: 0, last: 149, next: 0), Range(first: 150, last: 299, next: 150)])
        #expect(PartialFileInfo(totalSize: 300).splitting(after: 40, size: 300, into: 3) == nil, "no validator: cannot be tied to one file")
        #expect(stream.splitting(after: 40, size: 301, into: 3) == nil, "another size: another file")
        #expect(stream.splitting(after: 300, size: 300, into: 3) == nil, "nothing left to split")
        #expect(split.splitting(after: 50, size: 300, into: 2) == nil, "already split")
    }

    @Test("a large file is split at once only on a measured throttle; at the start of a run it is probed")
    func splitDecisions() {
        let progress = TransferProgress()
        let now = Date()
        #expect(FetchEngine.splitDecision(size: 512 << 10, progress: progress, since: now, concurrency: 4) == .oneStream, "too small for two ranges")
        #expect(FetchEngine.splitDecision(size: 64 << 20, progress: progress, since: now, concurrency: 4) == .split, "the read-back is negligible")
        #expect(FetchEngine.splitDecision(size: 1 << 30, progress: progress, since: now, concurrency: 4) == .probe, "nothing measured yet")
        let tenSecondsAgo = now.addingTimeInterval(-10)
        #expect(FetchEngine.splitDecision(size: 1 << 30, progress: progress, since: tenSecondsAgo, concurrency: 4) == .split,
            "10 s and nothing arrived: throttled")
        progress.add(bytes: 4 * 10 * 10_000_000)
        #expect(FetchEngine.splitDecision(size: 1 << 30, progress: progress, since: tenSecondsAgo, concurrency: 4) == .oneStream,
            "10 MB/s a connection: a split's read-back would cost more than it saves")
    }

    @Test("the record follows the bytes written, is saved beside the partial file, and settles before it is removed")
    func recordSaves() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("physio-ranges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big.bin.part.json").path
        let record = RangeProgressRecord(
            PartialFileInfo(totalSize: 2 << 20, segmented: true, ranges: [Range(first: 0, last: (1 << 20) - 1, next: 0),
                                                                        Range(first: 1 << 20, last: (2 << 20) - 1, next: 1 << 20)]),
            path: path)
        record.save()
        record.noteValidators(etag: "\"e\"", lastModified: nil)
        for _ in 0..<4 { record.advance(1, by: 64 << 10) }
        await record.settle()
        let saved = try #require(PartialFileInfo.load(fromPath: path))
        #expect(saved.ranges?[1].next == (1 << 20) + (256 << 10))
        #expect(saved.ranges?[0].next == 0)
        #expect(saved.etag == "\"e\"")
        #expect(saved.canContinueRanges(size: 2 << 20))
    }
}
