import Foundation
import PhysioKit
import Synchronization

/// A file server in memory for the download state machine's unit tests: it honours `Range` and `If-Range`
/// as nginx does, answers each request in 64 KiB pieces (waiting when a sink pauses, as libcurl does), and
/// takes one scripted fault per request, in order: a drop, a stall, a status, an HTML page, a wrong
/// `Content-Range`, a 416. Records every request.
final class FakeFileServer: HTTPTransport, Sendable {
    enum Fault: Sendable {
        /// Send this many body bytes, then lose the connection.
        case dropAfter(Int)
        /// No bytes at all, then the low-speed timeout.
        case stall
        case status(Int, retryAfter: String? = nil)
        /// A login page, with 200, where the file was asked for.
        case htmlPage
        /// A 206 for other bytes than asked.
        case wrongContentRange
        case rangeNotSatisfiable
    }

    struct File: Sendable {
        var bytes: [UInt8]
        var etag: String
        var contentType: String
    }

    private let files: Mutex<[String: File]>
    private let faults: Mutex<[Fault?]>
    private let sent = Mutex<[HTTPRequest]>([])

    /// `faults[i]` is applied to request `i` (nil: answer normally); requests past the list are answered normally.
    init(files: [String: File], faults: [Fault?] = []) {
        self.files = Mutex(files)
        self.faults = Mutex(faults)
    }

    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        let fault = sent.withLock { sent -> Fault? in
            sent.append(request)
            return faults.withLock { $0.count >= sent.count ? $0[sent.count - 1] : nil }
        }
        let url = request.url
        func answer(_ status: Int, _ headers: HTTPHeaders, _ body: ArraySlice<UInt8>, dropAfter: Int? = nil) async throws -> HTTPResponseHead {
            var headers = headers
            headers.set("Content-Length", String(body.count))
            let head = HTTPResponseHead(status: status, headers: headers, url: url)
            try sink.receiveHead(head)
            try await Self.deliver(dropAfter.map { body.prefix($0) } ?? body, to: sink)
            if dropAfter != nil { throw TransportError(kind: .connectionLost, url: url.absoluteString, detail: "scripted drop") }
            return head
        }
        switch fault {
        case .stall?:
            throw TransportError(kind: .stalled, url: url.absoluteString, detail: "scripted stall")
        case .status(let status, let retryAfter)?:
            var headers = HTTPHeaders()
            if let retryAfter { headers.set("Retry-After", retryAfter) }
            return try await answer(status, headers, [])
        case .htmlPage?:
            return try await answer(200, ["Content-Type": "text/html; charset=utf-8"], ArraySlice("<html><form id=login></form></html>".utf8))
        default:
            break
        }
        guard let file = files.withLock({ $0[request.path] }) else { return try await answer(404, ["Content-Type": "text/html"], []) }
        let size = file.bytes.count
        var headers: HTTPHeaders = ["Content-Type": file.contentType, "ETag": file.etag]
        var start: Int?
        var last = size - 1
        if let range = request.headers["Range"], request.headers["If-Range"].map({ $0 == file.etag }) ?? true {
            let bounds = range.dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false)
            start = Int(bounds[0])
            if bounds.count > 1, let end = Int(bounds[1]) { last = min(end, size - 1) }
        }
        if case .rangeNotSatisfiable? = fault {
            return try await answer(416, ["Content-Range": "bytes */\(size)"], [])
        }
        guard let first = start else {
            if case .dropAfter(let count)? = fault { return try await answer(200, headers, file.bytes[...], dropAfter: count) }
            return try await answer(200, headers, file.bytes[...])
        }
        guard first < size else { return try await answer(416, ["Content-Range": "bytes */\(size)"], []) }
        let shown = if case .wrongContentRange? = fault { first + 1 } else { first }
        headers.set("Content-Range", "bytes \(shown)-\(last)/\(size)")
        if case .dropAfter(let count)? = fault { return try await answer(206, headers, file.bytes[first...last], dropAfter: count) }
        return try await answer(206, headers, file.bytes[first...last])
    }

    /// Hands `body` over in 64 KiB pieces; a piece the sink pauses on is offered again once it resumes.
    private static func deliver(_ body: ArraySlice<UInt8>, to sink: any ResponseSink) async throws {
        let (resumed, signal) = AsyncStream<Void>.makeStream()
        let resumer = TransferResumer { signal.yield() }
        var waiting = resumed.makeAsyncIterator()
        var offset = body.startIndex
        while offset < body.endIndex {
            let piece = body[offset..<min(offset + 65_536, body.endIndex)]
            let intake = try piece.withUnsafeBytes { try sink.receiveBody($0, resumer: resumer) }
            if intake == .paused {
                _ = await waiting.next()
                continue
            }
            offset = piece.endIndex
        }
    }
}
