import Foundation

/// How a file's bytes are answered: nginx semantics in production (Range, If-Range, validators, 304, 416,
/// exact HEAD), Django's runserver in development (always 200, no validators, HEAD without length).
struct StaticFileResponder {
    let mode: SimulatorMode

    /// `revision` > 0 is a replaced file: same size, other bytes, a later mtime (so a new ETag). `etag`, when given,
    /// replaces nginx's validator, for a server that derives its own (the GCS emulation); conditions and If-Range are
    /// checked against it.
    func respond(
        to request: SimulatorRequest, file: VersionFile, revision: Int, headers extra: [(name: String, value: String)],
        etag chosenETag: String? = nil
    ) -> SimulatorResponse {
        let size = file.size
        let modified = file.modified.addingTimeInterval(TimeInterval(revision * 3600))
        var headers: [(name: String, value: String)] = [("Content-Type", FileHeaders.contentType(for: file.name))]
        func slice(_ offset: Int64, _ count: Int64) -> SimulatorResponse.Body {
            .file(.init(file: file, offset: offset, count: count, revision: revision))
        }

        guard mode == .production else {
            headers += extra
            headers.append(("Vary", "Authorization, Origin, Cookie"))
            headers.append(("X-Frame-Options", "DENY"))
            if request.method == "HEAD" { return SimulatorResponse(status: 200, headers: headers, body: .none(contentLength: nil)) }
            return SimulatorResponse(status: 200, headers: headers, body: slice(0, size))
        }

        let etag = chosenETag ?? FileHeaders.etag(modified: modified, size: size)
        let lastModified = SimulatorDates.httpDate(modified)
        headers.append(("Last-Modified", lastModified))
        headers.append(("ETag", etag))
        headers += extra

        if let condition = request.header("If-None-Match") {
            let tags = condition.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains(etag) || tags.contains("*") { return notModified(etag: etag, lastModified: lastModified, extra) }
        } else if let since = request.header("If-Modified-Since"), SimulatorDates.parseHTTPDate(since) == SimulatorDates.parseHTTPDate(lastModified) {
            // nginx's default `if_modified_since exact`.
            return notModified(etag: etag, lastModified: lastModified, extra)
        }

        var range = request.header("Range").flatMap { ByteRange(header: $0, size: size) }
        if let ifRange = request.header("If-Range"), ifRange != etag, ifRange != lastModified {
            range = nil
        }
        switch range {
        case .none:
            // nginx announces ranges on full answers only; a 206 carries no Accept-Ranges (docs/protocol.md §6).
            headers.append(("Accept-Ranges", "bytes"))
            if request.method == "HEAD" { return SimulatorResponse(status: 200, headers: headers, body: .none(contentLength: size)) }
            return SimulatorResponse(status: 200, headers: headers, body: slice(0, size))
        case .unsatisfiable:
            let page = Array(ErrorPages.nginxPage(status: "416 Requested Range Not Satisfiable").utf8)
            // The application's Content-Disposition and CSP survive on nginx's 416 (docs/protocol.md §7).
            return SimulatorResponse(
                status: 416, headers: [("Content-Type", "text/html"), ("Content-Range", "bytes */\(size)")] + extra, body: .bytes(page))
        case .satisfiable(var start, let end):
            if let wrong = request.faults.wrongRangeStart { start = min(wrong, end) }
            headers.append(("Content-Range", "bytes \(start)-\(end)/\(size)"))
            let count = end - start + 1
            if request.method == "HEAD" { return SimulatorResponse(status: 206, headers: headers, body: .none(contentLength: count)) }
            return SimulatorResponse(status: 206, headers: headers, body: slice(start, count))
        }
    }

    /// nginx's 304 keeps the application's Content-Disposition and CSP (docs/protocol.md §7).
    private func notModified(etag: String, lastModified: String, _ extra: [(name: String, value: String)]) -> SimulatorResponse {
        SimulatorResponse(status: 304, headers: [("Last-Modified", lastModified), ("ETag", etag)] + extra, body: .none(contentLength: nil))
    }
}

/// A single `bytes=` range resolved against a size. Several ranges are answered as if no Range was sent
/// (a simplification: nginx would send multipart/byteranges).
enum ByteRange: Equatable {
    case satisfiable(start: Int64, end: Int64)
    case unsatisfiable

    init?(header: String, size: Int64) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else { return nil }
        let spec = trimmed.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(",") else { return nil }
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]) else { return nil }
            guard suffix > 0, size > 0 else { self = .unsatisfiable; return }
            self = .satisfiable(start: max(0, size - suffix), end: size - 1)
            return
        }
        guard let start = Int64(parts[0]) else { return nil }
        let end = parts[1].isEmpty ? size - 1 : Int64(parts[1]).map { min($0, size - 1) }
        guard let end else { return nil }
        guard start < size else { self = .unsatisfiable; return }
        guard end >= start else { return nil }
        self = .satisfiable(start: start, end: end)
    }
}
