import FoundationEssentials

/// The one judge of a response head that should carry a file's bytes, for a whole file, a resumed one and
/// one range of a split download alike (docs/protocol.md §6): the status, an HTML page in place of data,
/// and the `Content-Range` of a 206. A wrong answer is refused here, before any byte touches the file.
enum DataResponseHead {
    enum Body: Equatable {
        /// 200: the whole file, of this length when announced.
        case whole(length: Int64?)
        /// 206 starting at the byte asked for; `total` is the file's size when the server gave it.
        case range(total: Int64?)
    }

    /// Judges `head` for the file at `path`, requested from byte `start` (`nil`: no `Range` was sent).
    static func judge(_ head: HTTPResponseHead, path: DatasetPath, from start: Int64?) throws(DownloadInterruption) -> Body {
        switch head.status {
        case 200, 206:
            // A login or error page where data was expected; a dataset's own `.html` files are data.
            if head.isHTML && !namesHTMLFile(path) { throw .htmlInsteadOfData }
            guard head.status == 206 else { return .whole(length: head.contentLength) }
            guard let start, let range = head.headers["Content-Range"].flatMap(ContentRange.init), range.first == start else {
                throw .rangeMismatch(expectedStart: start ?? 0)
            }
            return .range(total: range.total)
        case 416:
            throw .rangeNotSatisfiable(total: head.headers["Content-Range"].flatMap(ContentRange.init)?.total)
        default:
            throw .httpStatus(head.status, retryAfterSeconds: head.headers["Retry-After"].flatMap(retryAfter))
        }
    }

    /// A dataset's own `.html` and `.htm` files, which PhysioNet datasets ship as documentation.
    static func namesHTMLFile(_ path: DatasetPath) -> Bool {
        let lowered = path.fileName.lowercased()
        return lowered.hasSuffix(".html") || lowered.hasSuffix(".htm")
    }

    /// `Retry-After` in seconds or as an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        if let seconds = Double(value.trimmingASCIISpace) { return max(0, seconds) }
        return HTTPDate.parse(value).map { max(0, $0.timeIntervalSinceNow) }
    }
}
