import Foundation

/// Small GETs (version redirects, SHA256SUMS.txt, folder listings) with a few quick retries on network
/// errors, 5xx and 429, so a momentary failure does not end a run before it starts.
struct MetadataClient: Sendable {
    let transport: any HTTPTransport
    var attempts = 4
    var baseDelay = 0.5

    func get(_ url: URL, headers extra: HTTPHeaders = HTTPHeaders(), bodyLimit: Int = 64 << 20) async throws -> HTTPResponse {
        var headers: HTTPHeaders = ["Accept-Encoding": "identity"]
        for field in extra { headers.set(field.name, field.value) }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await transport.send(
                    HTTPRequest(method: .get, url: url, headers: headers), bodyLimit: bodyLimit)
                let retryable = response.status == 429 || response.status == 408 || (500...599).contains(response.status)
                guard retryable, attempt < attempts else { return response }
                let retryAfter = response.headers["Retry-After"].flatMap(DownloadSink.retryAfter)
                try await Task.sleep(nanoseconds: UInt64(min(retryAfter ?? baseDelay * pow(2, Double(attempt - 1)), 60) * 1e9))
            } catch let error as TransportError {
                guard error.isRetryable, attempt < attempts else { throw PhysioError.network(error) }
                try await Task.sleep(nanoseconds: UInt64(baseDelay * pow(2, Double(attempt - 1)) * 1e9))
            }
        }
    }
}
