/// The one seam between PhysioKit's policy and the network: send a request, stream its response into a sink.
///
/// `CurlTransport` is the real one. Policy above it (sessions, retries, access checks) is written against this
/// protocol so it can be exercised with a fake in unit tests and with the real transport end to end.
public protocol HTTPTransport: Sendable {
    /// Performs `request`, streaming the body of the final response into `sink`, and returns its head.
    func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead
}

extension HTTPTransport {
    /// Performs `request` and collects the body in memory (for pages and small documents).
    public func send(_ request: HTTPRequest, bodyLimit: Int = 16 << 20) async throws -> HTTPResponse {
        let sink = CollectingSink(limit: bodyLimit)
        let head = try await execute(request, into: sink)
        return HTTPResponse(head: head, body: sink.body)
    }
}
