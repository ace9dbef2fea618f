import Foundation

/// Small GETs (version redirects, SHA256SUMS.txt, folder listings), retried under the run's one rule
/// (`Retrier`), so a momentary failure does not end a run before it starts.
struct MetadataClient: Sendable {
    let transport: any HTTPTransport
    let retrier: Retrier

    func get(_ url: URL, headers extra: HTTPHeaders = HTTPHeaders(), bodyLimit: Int = 64 << 20) async throws -> HTTPResponse {
        var headers: HTTPHeaders = ["Accept-Encoding": "identity"]
        for field in extra { headers.set(field.name, field.value) }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await transport.send(HTTPRequest(method: .get, url: url, headers: headers), bodyLimit: bodyLimit)
                guard Retrier.isRetryable(status: response.status) else { return response }
                let retryAfter = response.headers["Retry-After"].flatMap(DownloadSink.retryAfter)
                guard try await retrier.waitBeforeRetry(after: attempt, retryAfter: retryAfter, path: nil, reason: "HTTP \(response.status)")
                else { return response }
            } catch let error as TransportError {
                guard error.isRetryable, try await retrier.waitBeforeRetry(after: attempt, path: nil, reason: error.description)
                else { throw PhysioError.network(error) }
            }
        }
    }
}
