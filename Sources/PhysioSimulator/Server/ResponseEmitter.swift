import Foundation
import Hummingbird
import NIOCore

/// Turns a `SimulatorResponse` into a Hummingbird response, streaming file bodies and applying the body
/// faults: drop after N bytes, stall, rate limit, flipped byte.
struct ResponseEmitter {
    struct ConnectionDropped: Error {}

    let faults: ActiveFaults
    let counters: SimulatorCounters
    let path: String

    private static let chunkSize = 64 * 1024

    func response(for answer: SimulatorResponse) -> Response {
        var fields = HTTPFields()
        for header in answer.headers {
            if let name = HTTPFields.Element.Name(header.name) { fields.append(.init(name: name, value: header.value)) }
        }
        let status = HTTPResponse.Status(code: answer.status, reasonPhrase: Self.reasonPhrase(answer.status))
        switch answer.body {
        case .none(let length):
            var response = Response(status: status, headers: fields)
            response.headers[.contentLength] = length.map(String.init)
            return response
        case .bytes(let bytes) where !faults.shapesBody:
            counters.recordBodyBytes(bytes.count, path: path)
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .bytes(let bytes):
            let source = BodySource.memory(bytes)
            return Response(status: status, headers: fields, body: streamed(source, length: Int64(bytes.count), announceLength: true))
        case .chunked(let bytes):
            let source = BodySource.memory(bytes)
            return Response(status: status, headers: fields, body: streamed(source, length: Int64(bytes.count), announceLength: false))
        case .file(let slice):
            return Response(status: status, headers: fields, body: streamed(.file(slice), length: slice.count, announceLength: true))
        }
    }

    private enum BodySource: Sendable {
        case memory([UInt8])
        case file(SimulatorResponse.FileSlice)

        /// Bytes `[offset, offset+count)` of the body, and the file offset of the first one (for the flip fault).
        func read(offset: Int64, count: Int) throws -> (bytes: [UInt8], fileOffset: Int64) {
            switch self {
            case .memory(let all):
                let end = min(all.count, Int(offset) + count)
                return (Array(all[Int(offset)..<end]), offset)
            case .file(let slice):
                let start = slice.offset + offset
                return (try FileContentReader.read(slice.file, offset: start, count: count, revision: slice.revision), start)
            }
        }
    }

    private func streamed(_ source: BodySource, length: Int64, announceLength: Bool) -> ResponseBody {
        let faults = self.faults
        let counters = self.counters
        let path = self.path
        let chunk = faults.bytesPerSecond.map { max(1, min(Self.chunkSize, $0 / 10)) } ?? Self.chunkSize
        return ResponseBody(contentLength: announceLength ? Int(length) : nil) { writer in
            var sent: Int64 = 0
            var stalled = false
            while true {
                if let drop = faults.dropAfterBytes, sent >= drop { throw ConnectionDropped() }
                if let stall = faults.stall, !stalled, sent >= stall.afterBytes {
                    stalled = true
                    try await Task.sleep(for: .seconds(stall.seconds))
                }
                guard sent < length else { break }
                var count = Int(min(Int64(chunk), length - sent))
                if let drop = faults.dropAfterBytes { count = Int(min(Int64(count), drop - sent)) }
                if let stall = faults.stall, !stalled, stall.afterBytes > sent {
                    count = Int(min(Int64(count), stall.afterBytes - sent))
                }
                var (bytes, fileOffset) = try source.read(offset: sent, count: count)
                if bytes.isEmpty { break }
                if let flip = faults.flipOffset, flip >= fileOffset, flip < fileOffset + Int64(bytes.count) {
                    bytes[Int(flip - fileOffset)] ^= 0xFF
                }
                try await writer.write(ByteBuffer(bytes: bytes))
                counters.recordBodyBytes(bytes.count, path: path)
                sent += Int64(bytes.count)
                if let rate = faults.bytesPerSecond {
                    try await Task.sleep(for: .seconds(Double(bytes.count) / Double(rate)))
                }
            }
            try await writer.finish(nil)
        }
    }

    static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 200: return "OK"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        // nginx's phrase (docs/protocol.md §6). NIO's encoder writes its own phrase for every code it knows ("Range Not
        // Satisfiable"), so this one does not reach the wire; no client reads the phrase.
        case 416: return "Requested Range Not Satisfiable"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return ""
        }
    }
}
