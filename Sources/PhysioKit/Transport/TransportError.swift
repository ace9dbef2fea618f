/// A transfer that failed below HTTP: no connection, a timeout, a dropped stream, TLS.
///
/// `detail` is libcurl's error-buffer text; URLs never carry credentials, so it is safe to show.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case hostNotFound
        case connectionRefused
        case connectTimeout
        /// No bytes for longer than the low-speed window.
        case stalled
        case timedOut
        /// The server closed or reset the connection before the response was complete.
        case connectionLost
        case tls
        /// The proxy could not be reached, or refused the tunnel (407: its credentials).
        case proxy
        case invalidURL
        case other
    }

    public let kind: Kind
    public let url: String
    public let detail: String
    public let curlCode: Int

    public init(kind: Kind, url: String, detail: String, curlCode: Int = 0) {
        self.kind = kind
        self.url = url
        self.detail = detail
        self.curlCode = curlCode
    }

    /// Worth another attempt after a pause: the network, not the request, failed.
    public var isRetryable: Bool {
        switch kind {
        case .connectionRefused, .connectTimeout, .stalled, .timedOut, .connectionLost, .other: return true
        case .hostNotFound, .tls, .proxy, .invalidURL: return false
        }
    }

    public var description: String {
        let what: String
        switch kind {
        case .hostNotFound: what = "could not resolve the host of \(url)"
        case .connectionRefused: what = "could not connect to \(url)"
        case .connectTimeout: what = "timed out connecting to \(url)"
        case .stalled: what = "the transfer of \(url) stalled (no data arriving)"
        case .timedOut: what = "the request to \(url) timed out"
        case .connectionLost: what = "the connection was lost while receiving \(url)"
        case .tls: what = "a TLS error occurred talking to \(url)"
        case .proxy: what = "the proxy would not connect to \(url)"
        case .invalidURL: what = "\(url) is not a valid http(s) URL"
        case .other: what = "the transfer of \(url) failed"
        }
        return detail.isEmpty ? what : "\(what): \(detail)"
    }
}
