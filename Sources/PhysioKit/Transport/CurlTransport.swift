import Foundation
import Synchronization

/// The real transport: libcurl on the shared loop thread, with PhysioKit's own cookie jar and redirect rules.
///
/// Redirects are followed here rather than by curl (`CURLOPT_FOLLOWLOCATION` stays off) so that cookies are
/// matched per hop by the jar and `Authorization`/`Cookie` headers the caller set never reach another origin.
public final class CurlTransport: HTTPTransport {
    public let configuration: TransportConfiguration
    private let loop: CurlMultiLoop

    public init(configuration: TransportConfiguration = TransportConfiguration()) {
        self.configuration = configuration
        self.loop = CurlMultiLoop.shared
    }

    public func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        var current = request
        var hops = 0
        while true {
            var wire = current
            if let jar = configuration.cookieJar, !wire.headers.contains("Cookie"),
                let cookies = jar.cookieHeader(for: wire.url)
            {
                wire.headers.set("Cookie", cookies)
            }
            let hopSink = RedirectHopSink(target: sink, jar: configuration.cookieJar, swallowsRedirects: current.followsRedirects)
            let head = try await performOnce(wire, sink: hopSink)
            guard current.followsRedirects, head.isRedirect, let next = head.location else { return head }
            hops += 1
            guard hops <= current.maximumRedirects else {
                throw TransportError(kind: .tooManyRedirects, url: request.url.redactedString, detail: "")
            }
            current = current.redirected(to: next, status: head.status)
        }
    }

    private func performOnce(_ request: HTTPRequest, sink: any ResponseSink) async throws -> HTTPResponseHead {
        let cancelHandle = Mutex<CurlTransfer?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let transfer = CurlTransfer(
                    request: request, sink: sink, configuration: configuration, continuation: continuation)
                let alreadyCancelled = cancelHandle.withLock { slot -> Bool in
                    slot = transfer
                    return Task.isCancelled
                }
                if alreadyCancelled { transfer.cancel() }
                loop.start(transfer)
            }
        } onCancel: {
            cancelHandle.withLock { $0?.cancel() }
            loop.wake()
        }
    }
}

/// Stores cookies from every hop and hides the bodies of redirects that are about to be followed.
private final class RedirectHopSink: ResponseSink {
    private let target: any ResponseSink
    private let jar: CookieJar?
    private let swallowsRedirects: Bool
    private let forwarding = Atomic<Bool>(true)

    init(target: any ResponseSink, jar: CookieJar?, swallowsRedirects: Bool) {
        self.target = target
        self.jar = jar
        self.swallowsRedirects = swallowsRedirects
    }

    func receiveHead(_ head: HTTPResponseHead) throws {
        jar?.store(setCookieHeaders: head.headers.values(for: "Set-Cookie"), from: head.url)
        let swallow = swallowsRedirects && head.isRedirect && head.location != nil
        forwarding.store(!swallow, ordering: .relaxed)
        if !swallow { try target.receiveHead(head) }
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) throws {
        if forwarding.load(ordering: .relaxed) { try target.receiveBody(bytes) }
    }
}

extension HTTPRequest {
    /// The request to send after a redirect: method per RFC 9110 practice, and no caller-set credentials
    /// or cookies once the origin changes.
    func redirected(to next: URL, status: Int) -> HTTPRequest {
        var copy = self
        if URLOrigin(next) != URLOrigin(url) {
            copy.headers.remove("Authorization")
            copy.headers.remove("Cookie")
        }
        if status == 303 || (method == .post && (status == 301 || status == 302)) {
            copy.method = .get
            copy.body = nil
            copy.headers.remove("Content-Type")
        }
        copy.url = next
        return copy
    }
}
