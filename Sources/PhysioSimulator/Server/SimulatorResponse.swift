import Foundation

/// What a route answers; turned into bytes on the wire by `ResponseEmitter`, which also applies body faults.
struct SimulatorResponse: Sendable {
    enum Body: Sendable {
        /// A body with `Content-Length`.
        case bytes([UInt8])
        /// A body sent with `Transfer-Encoding: chunked` (nginx autoindex, docs/protocol.md §8).
        case chunked([UInt8])
        /// A byte range of a file, streamed.
        case file(FileSlice)
        /// No body. `contentLength` is what a HEAD response advertises (nil = no `Content-Length`).
        case none(contentLength: Int64?)
    }

    struct FileSlice: Sendable {
        let file: VersionFile
        let offset: Int64
        let count: Int64
        let revision: Int
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var body: Body

    init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func html(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + headers, body: .bytes(Array(text.utf8)))
    }

    static func redirect(_ status: Int, to location: String, headers: [(name: String, value: String)] = []) -> SimulatorResponse {
        SimulatorResponse(
            status: status, headers: [("Content-Type", "text/html; charset=utf-8"), ("Location", location)] + headers,
            body: .bytes([]))
    }

    static func json(_ status: Int, _ object: Any, headers: [(name: String, value: String)] = []) -> SimulatorResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return SimulatorResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: .bytes(Array(data)))
    }

    mutating func addHeader(_ name: String, _ value: String) {
        headers.append((name, value))
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
