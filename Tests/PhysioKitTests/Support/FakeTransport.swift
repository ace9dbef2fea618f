import Foundation
import PhysioKit
import Synchronization
import Testing

/// An in-memory `HTTPTransport` for unit tests: routes requests by method and path to canned responses or
/// handlers and records what was sent. Tests that need cookies put the real `CookieJarTransport` above it.
///
/// A request with no route fails the test loudly (an `Issue`) and gets a 599, so a forgotten stub cannot pass
/// by accident.
final class FakeTransport: HTTPTransport {
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var respond: @Sendable (HTTPRequest) throws -> FakeResponse
    }

    struct FakeResponse: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String

        init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: String = "") {
            self.status = status
            self.headers = headers
            self.body = body
        }

        static func redirect(to location: String, headers: HTTPHeaders = HTTPHeaders()) -> FakeResponse {
            var headers = headers
            headers.add("Location", location)
            return FakeResponse(status: 302, headers: headers)
        }
    }

    private let routes = Mutex<[Route]>([])
    private let sent = Mutex<[HTTPRequest]>([])

    /// Adds a route; later routes for the same method and path win, so a test can change the server's mind.
    func on(_ method: HTTPRequest.Method, _ path: String, _ respond: @escaping @Sendable (HTTPRequest) throws -> FakeResponse) {
        routes.withLock { $0.insert(Route(method: method, path: path, respond: respond), at: 0) }
    }

    func on(_ method: HTTPRequest.Method, _ path: String, _ response: FakeResponse) {
        on(method, path) { _ in response }
    }

    /// Every request as it went on the wire.
    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        let wire = request
        sent.withLock { $0.append(wire) }
        let route = routes.withLock { routes in
            routes.first { $0.method == wire.method && $0.path == wire.path }
        }
        let response: FakeResponse
        if let route {
            response = try route.respond(wire)
        } else {
            Issue.record("FakeTransport: no route for \(wire.method.rawValue) \(wire.path)")
            response = FakeResponse(status: 599)
        }
        let head = HTTPResponseHead(status: response.status, headers: response.headers, url: wire.url)
        try sink.receiveHead(head)
        let intake = try Array(response.body.utf8).withUnsafeBytes { try sink.receiveBody($0, resumer: TransferResumer {}) }
        #expect(intake == .taken, "FakeTransport delivers a body in one piece; a sink that pauses needs the real transport")
        return head
    }
}

/// A transport that always fails below HTTP, as an unreachable server does.
struct UnreachableTransport: HTTPTransport {
    func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        throw TransportError(kind: .connectionRefused, url: request.url.absoluteString, detail: "Connection refused")
    }
}

extension HTTPRequest {
    /// The URL's path exactly as sent, trailing slash included (`URL.path` drops it on Linux).
    var path: String {
        URLComponents(url: url, resolvingAgainstBaseURL: true)?.path ?? url.path
    }

    /// The decoded `application/x-www-form-urlencoded` body.
    var formFields: [String: String] {
        guard let body else { return [:] }
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}
