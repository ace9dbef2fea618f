import FoundationEssentials
import Synchronization

/// The real transport: one request, one answer, on libcurl's shared loop thread.
///
/// It follows no redirect (`CURLOPT_FOLLOWLOCATION` stays off) and knows nothing of cookies or credentials:
/// every caller in this domain needs to see a 302 itself, and cookies are the business of
/// `CookieJarTransport` above it.
public final class CurlTransport: HTTPTransport {
    public let configuration: TransportConfiguration
    private let loop: CurlMultiLoop

    public init(configuration: TransportConfiguration = TransportConfiguration()) {
        self.configuration = configuration
        self.loop = CurlMultiLoop.shared
    }

    public func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        let cancelHandle = Mutex<CurlTransfer?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let transfer = CurlTransfer(
                    request: request, sink: sink, configuration: configuration, continuation: continuation, loop: loop)
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
