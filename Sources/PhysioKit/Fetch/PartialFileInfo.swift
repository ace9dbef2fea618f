import FoundationEssentials

/// What was known about the response that started a `.part` file, so a resume can ask for the same bytes
/// (`If-Range`) and a replaced file on the server restarts cleanly instead of splicing old and new bytes.
struct PartialFileInfo: Codable, Sendable, Equatable {
    var etag: String?
    var lastModified: String?
    var totalSize: Int64?
    /// Written by ranges in parallel: may have holes, so it is never resumed as a prefix.
    var segmented: Bool?
    /// For a split download: each range and the next byte it still needs (`RangeProgressRecord`).
    var ranges: [RangeProgress]?

    struct RangeProgress: Codable, Sendable, Equatable {
        var first: Int64
        var last: Int64
        var next: Int64
    }

    init(etag: String? = nil, lastModified: String? = nil, totalSize: Int64? = nil, segmented: Bool? = nil, ranges: [RangeProgress]? = nil) {
        self.etag = etag
        self.lastModified = lastModified
        self.totalSize = totalSize
        self.segmented = segmented
        self.ranges = ranges
    }

    /// Whether a split download of a file of `size` bytes can continue from here: its ranges are recorded
    /// and consistent, and a validator lets `If-Range` refuse a file that changed since.
    func canContinueRanges(size: Int64?) -> Bool {
        guard segmented == true, let ranges, !ranges.isEmpty, let size, totalSize == size, ifRangeValidator != nil else {
            return false
        }
        var expectedFirst: Int64 = 0
        for range in ranges {
            guard range.first == expectedFirst, range.first <= range.next, range.next <= range.last + 1 else { return false }
            expectedFirst = range.last + 1
        }
        return expectedFirst == size
    }

    /// The record of a single stream that stopped after `present` bytes, turned into a split download: the
    /// first `present` bytes as one finished range, the rest of the file in `parts` ranges. `nil` without a
    /// validator (the pieces could not be tied to the same file) or for a size other than the stream's.
    func splitting(after present: Int64, size: Int64, into parts: Int) -> PartialFileInfo? {
        guard segmented != true, totalSize == size, ifRangeValidator != nil, present >= 0, present < size, parts >= 1 else {
            return nil
        }
        var ranges: [RangeProgress] = present > 0 ? [RangeProgress(first: 0, last: present - 1, next: present)] : []
        let remaining = size - present
        for index in 0..<Int64(parts) {
            let first = present + remaining * index / Int64(parts)
            let last = present + remaining * (index + 1) / Int64(parts) - 1
            if last >= first { ranges.append(RangeProgress(first: first, last: last, next: first)) }
        }
        return PartialFileInfo(etag: etag, lastModified: lastModified, totalSize: size, segmented: true, ranges: ranges)
    }

    /// The validator to send in `If-Range`: a strong ETag, else Last-Modified.
    var ifRangeValidator: String? {
        if let etag, !etag.hasPrefix("W/") { return etag }
        return lastModified
    }

    static func load(fromPath path: String) -> PartialFileInfo? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? PhysioJSON.decoder().decode(PartialFileInfo.self, from: data)
    }

    func save(toPath path: String) {
        // Atomic but not durable: losing it only costs a restart from byte 0 after a crash.
        guard let data = try? PhysioJSON.encoder(.line).encode(self) else { return }
        try? FileSystem.writeAtomically(Array(data), to: URL(fileURLWithPath: path), durable: false)
    }
}
