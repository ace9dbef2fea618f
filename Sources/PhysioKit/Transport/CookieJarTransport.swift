/// Carries one `CookieJar` over another transport: adds the `Cookie` header a request's URL matches and
/// stores every `Set-Cookie` the answer brings. The transport below only moves bytes.
///
/// Redirects are never followed (docs/protocol.md §4: nginx redirects a folder without its slash into an
/// internal `/protected/` path that 404s), so a cookie set on one answer only ever returns to the origin
/// the jar's matching rules allow.
public struct CookieJarTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let jar: CookieJar

    public init(base: any HTTPTransport, jar: CookieJar) {
        self.base = base
        self.jar = jar
    }

    public func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        var wire = request
        if !wire.headers.contains("Cookie"), let cookies = jar.cookieHeader(for: wire.url) {
            wire.headers.set("Cookie", cookies)
        }
        return try await base.execute(wire, into: CookieStoringSink(target: sink, jar: jar))
    }
}

/// Stores the cookies of a response head before the caller sees it.
private final class CookieStoringSink: ResponseSink {
    private let target: any ResponseSink
    private let jar: CookieJar

    init(target: any ResponseSink, jar: CookieJar) {
        self.target = target
        self.jar = jar
    }

    func receiveHead(_ head: HTTPResponseHead) throws {
        jar.store(setCookieHeaders: head.headers.values(for: "Set-Cookie"), from: head.url)
        try target.receiveHead(head)
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws -> BodyIntake {
        try target.receiveBody(bytes, resumer: resumer)
    }
}
