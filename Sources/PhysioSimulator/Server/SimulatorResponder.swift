import Foundation
import Hummingbird
import NIOCore

/// Request context carrying the client address (the key for per-client limits).
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let client: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// The single Hummingbird responder: records the request, picks its faults, routes it, records the status.
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimulatorRequestContext

    let site: SimulatorSite

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        let rawPath = request.uri.path
        let path = rawPath.removingPercentEncoding ?? rawPath
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        // HTTPTypes moves `Host` into the `:authority` pseudo-header; put it back where routes look for it.
        if let authority = request.head.authority, !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.insert((name: "Host", value: authority), at: 0)
        }
        let serial = site.counters.recordRequest(method: request.method.rawValue, path: path, query: request.uri.query, headers: headers)

        var simulated = SimulatorRequest(
            method: request.method.rawValue, path: path, rawQuery: request.uri.query, headers: headers,
            body: Array(buffer: body), client: context.client)
        simulated.faults = site.faults.faults(forPath: path)

        if let latency = simulated.faults.firstByteLatency {
            try await Task.sleep(for: .seconds(latency))
        }
        var answer: SimulatorResponse
        if let status = simulated.faults.status {
            answer = ErrorPages.injected(status: status)
            if let retryAfter = simulated.faults.retryAfterSeconds { answer.addHeader("Retry-After", String(retryAfter)) }
        } else {
            answer = await site.route(simulated)
        }
        if simulated.method == "HEAD", case .bytes(let bytes) = answer.body {
            // A HEAD answer keeps the GET's framing but never carries the bytes.
            answer.body = .none(contentLength: Int64(bytes.count))
        }
        if site.faults.plan.connectionCap != nil {
            // A capped client must not park idle keep-alive connections on its slots, or waiting connections
            // would never be admitted: ask the client to close after each response.
            answer.addHeader("Connection", "close")
        }
        site.counters.recordStatus(answer.status, serial: serial)
        return ResponseEmitter(faults: simulated.faults, counters: site.counters, path: path).response(for: answer)
    }
}
