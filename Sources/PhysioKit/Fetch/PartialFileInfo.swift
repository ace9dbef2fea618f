import Foundation

/// What was known about the response that started a `.part` file, so a resume can ask for the same bytes
/// (`If-Range`) and a replaced file on the server restarts cleanly instead of splicing old and new bytes.
struct PartialFileInfo: Codable, Sendable, Equatable {
    var etag: String?
    var lastModified: String?
    var totalSize: Int64?
    /// Written by ranges in parallel: may have holes, so it is never resumed as a prefix.
    var segmented: Bool?

    init(etag: String? = nil, lastModified: String? = nil, totalSize: Int64? = nil, segmented: Bool? = nil) {
        self.etag = etag
        self.lastModified = lastModified
        self.totalSize = totalSize
        self.segmented = segmented
    }

    /// The validator to send in `If-Range`: a strong ETag, else Last-Modified.
    var ifRangeValidator: String? {
        if let etag, !etag.hasPrefix("W/") { return etag }
        return lastModified
    }

    static func load(fromPath path: String) -> PartialFileInfo? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(PartialFileInfo.self, from: data)
    }

    func save(toPath path: String) {
        // Not fsynced: losing it only costs a restart from byte 0 after a crash.
        guard let data = try? JSONEncoder().encode(self) else { return }
        _ = FileManager.default.createFile(atPath: path, contents: data)
    }
}
