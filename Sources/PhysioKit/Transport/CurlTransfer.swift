import CCurl
import CPhysioShims
import FoundationEssentials
import Synchronization

/// One request's easy handle and its callbacks. Created by `CurlTransport`, then owned by the loop thread:
/// every method except `cancel` runs there, which is why the mutable state needs no lock.
final class CurlTransfer: @unchecked Sendable {
    private let request: HTTPRequest
    private let sink: any ResponseSink
    private let configuration: TransportConfiguration
    private let continuation: CheckedContinuation<HTTPResponseHead, any Error>
    private let cancelled = Atomic<Bool>(false)

    private var easy: UnsafeMutableRawPointer?
    private var pool: CurlHandlePool?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var status = 0
    private var fields = HTTPHeaders()
    private var head: HTTPResponseHead?
    private var sinkError: (any Error)?
    private var finished = false
    /// Paused by its sink and not resumed yet: such a handle is not pooled, since a later libcurl may keep
    /// the pause on the next transfer that reuses it.
    private var paused = false
    /// Handed to the sink with every piece of body; a sink that is full calls it once it has room.
    private var resumer: TransferResumer!

    init(
        request: HTTPRequest,
        sink: any ResponseSink,
        configuration: TransportConfiguration,
        continuation: CheckedContinuation<HTTPResponseHead, any Error>,
        loop: CurlMultiLoop
    ) {
        self.request = request
        self.sink = sink
        self.configuration = configuration
        self.continuation = continuation
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        resumer = TransferResumer { [weak self, loop] in
            if let self { loop.unpause(self) }
        }
    }

    deinit {
        errorBuffer.deallocate()
    }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    // MARK: Setup

    /// Sets every option a request needs, including those a previous GET on a pooled handle set, so a
    /// handle that last carried a GET needs no `curl_easy_reset` (see `CurlHandlePool`).
    func makeEasyHandle(pool: CurlHandlePool) -> Result<UnsafeMutableRawPointer, TransportError> {
        self.pool = pool
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            request.url.host != nil
        else {
            return .failure(TransportError(kind: .invalidURL, url: request.url.redactedString, detail: ""))
        }
        guard let easy = pool.take() else {
            return .failure(TransportError(kind: .other, url: request.url.redactedString, detail: "curl_easy_init failed"))
        }
        self.easy = easy
        let me = Unmanaged.passUnretained(self).toOpaque()

        _ = physio_easy_set_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = physio_easy_set_string(easy, CURLOPT_URL, request.url.absoluteString)
        _ = physio_easy_set_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = physio_easy_set_long(easy, CURLOPT_NOSIGNAL, 1)
        // Redirects are the policy layer's decision (cookies and credentials must not cross origins).
        _ = physio_easy_set_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        _ = physio_easy_set_string(easy, CURLOPT_USERAGENT, configuration.userAgent)
        _ = physio_easy_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeoutSeconds * 1000))
        _ = physio_easy_set_long(easy, CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedBytesPerSecond)
        _ = physio_easy_set_long(easy, CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedTimeSeconds)
        _ = physio_easy_set_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        // Set on every request, as pooled handles keep their options. An explicit proxy wins over the
        // environment's; the tunnel keeps cookies and credentials away from any proxy.
        if let proxy = configuration.proxy { _ = physio_easy_set_string(easy, CURLOPT_PROXY, proxy) }
        _ = physio_easy_set_long(easy, CURLOPT_HTTPPROXYTUNNEL, 1)
        if let caFile = configuration.caFile { _ = physio_easy_set_string(easy, CURLOPT_CAINFO, caFile) }
        // Set or cleared on every request: a pooled handle that signed for a mirror must never sign (or send
        // the key pair) to another host.
        if let signature = configuration.awsSignature {
            _ = physio_easy_set_string(easy, CURLOPT_AWS_SIGV4, signature.provider)
            _ = physio_easy_set_string(easy, CURLOPT_USERPWD, "\(signature.accessKeyID):\(signature.secretAccessKey)")
        } else {
            _ = physio_easy_set_pointer(easy, CURLOPT_AWS_SIGV4, nil)
            _ = physio_easy_set_pointer(easy, CURLOPT_USERPWD, nil)
        }
        // Larger reads mean fewer callbacks per megabyte on fast links; set either way, as pooled handles
        // keep their options.
        _ = physio_easy_set_long(easy, CURLOPT_BUFFERSIZE, request.expectsLargeBody ? 256 * 1024 : Int(CURL_MAX_WRITE_SIZE))

        switch request.method {
        case .get:
            _ = physio_easy_set_long(easy, CURLOPT_HTTPGET, 1)
        case .head:
            _ = physio_easy_set_long(easy, CURLOPT_NOBODY, 1)
        case .post:
            let body = request.body ?? []
            _ = physio_easy_set_long(easy, CURLOPT_POST, 1)
            _ = physio_easy_set_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBufferPointer { buffer in
                // COPYPOSTFIELDS copies, so the Swift array need not outlive this call.
                _ = physio_easy_set_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        // curl adds "Expect: 100-continue" to larger POSTs; PhysioNet forms do not need the extra round trip.
        // Only on POSTs: SigV4 signing would sign the empty header curl then leaves out, and S3 refuses that.
        if request.method == .post { list = curl_slist_append(list, "Expect:") }
        for field in request.headers {
            list = curl_slist_append(list, "\(field.name): \(field.value)")
        }
        for field in configuration.fixedHeaders {
            list = curl_slist_append(list, "\(field.name): \(field.value)")
        }
        headerList = list
        _ = physio_easy_set_pointer(easy, CURLOPT_HTTPHEADER, list)

        _ = physio_easy_set_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        }
        _ = physio_easy_set_pointer(easy, CURLOPT_HEADERDATA, me)
        _ = physio_easy_set_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length))
        }
        _ = physio_easy_set_pointer(easy, CURLOPT_WRITEDATA, me)
        _ = physio_easy_set_long(easy, CURLOPT_NOPROGRESS, 0)
        _ = physio_easy_set_progress_callback(easy) { userdata, _, _, _, _ in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
            return transfer.isCancelled ? 1 : 0
        }
        _ = physio_easy_set_pointer(easy, CURLOPT_XFERINFODATA, me)
        return .success(easy)
    }

    // MARK: Callbacks (loop thread)

    /// Parses one header line as bytes: a dataset of many small files sends hundreds of thousands of them,
    /// so only the name and value become Strings (names are short enough to need no allocation).
    private func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) -> Bool {
        // Trim CR/LF as bytes: Swift treats "\r\n" as one Character, so String suffix checks miss it.
        var end = raw.count
        while end > 0 && (raw[end - 1] == 0x0A || raw[end - 1] == 0x0D) { end -= 1 }
        if end >= 5 && raw[0] == 0x48 && raw[1] == 0x54 && raw[2] == 0x54 && raw[3] == 0x50 && raw[4] == 0x2F {
            // "HTTP/": a new status line, so a fresh response (after 1xx, or the final one).
            status = Self.statusCode(in: UnsafeRawBufferPointer(rebasing: raw[..<end]))
            fields = HTTPHeaders(reservingCapacity: 12)
            return true
        }
        if end == 0 {
            guard status >= 200 else { return true }
            let complete = HTTPResponseHead(status: status, headers: fields, url: request.url)
            head = complete
            do {
                try sink.receiveHead(complete)
                return true
            } catch {
                sinkError = error
                return false
            }
        }
        guard let colon = raw[..<end].firstIndex(of: UInt8(ascii: ":")) else { return true }
        let name = ASCIIText.trimmedString(UnsafeRawBufferPointer(rebasing: raw[..<colon]))
        let value = ASCIIText.trimmedString(UnsafeRawBufferPointer(rebasing: raw[(colon + 1)..<end]))
        fields.add(name, value)
        return true
    }

    /// The three-digit code after "HTTP/x.y "; 0 when the line has none.
    private static func statusCode(in line: UnsafeRawBufferPointer) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        var code = 0
        var digits = 0
        var index = space + 1
        while index < line.count, line[index] >= 0x30, line[index] <= 0x39, digits < 3 {
            code = code * 10 + Int(line[index] - 0x30)
            digits += 1
            index += 1
        }
        return digits == 3 ? code : 0
    }

    /// The write callback's answer: all bytes taken, `CURL_WRITEFUNC_PAUSE` when the sink is full (curl keeps
    /// the bytes and offers them again after `unpause`), or 0 to abort.
    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !isCancelled else { return 0 }
        do {
            switch try sink.receiveBody(bytes, resumer: resumer) {
            case .taken: return bytes.count
            case .paused:
                paused = true
                return Int(CURL_WRITEFUNC_PAUSE)
            }
        } catch {
            sinkError = error
            return 0
        }
    }

    /// Lets a paused transfer receive again (loop thread). curl may deliver the held bytes right here.
    func unpause() {
        guard let easy, !finished, paused else { return }
        paused = false
        _ = curl_easy_pause(easy, CURLPAUSE_CONT)
    }

    // MARK: Completion (loop thread)

    func complete(curlCode: CURLcode) {
        let detail = String(cString: errorBuffer)
        let result: Result<HTTPResponseHead, any Error>
        if let sinkError {
            result = .failure(sinkError)
        } else if isCancelled {
            result = .failure(CancellationError())
        } else if curlCode == CURLE_OK, let head {
            result = .success(head)
        } else {
            result = .failure(transportError(curlCode, detail: detail))
        }
        finish(result)
    }

    func fail(_ error: TransportError) {
        finish(.failure(error))
    }

    private func finish(_ result: Result<HTTPResponseHead, any Error>) {
        guard !finished else { return }
        finished = true
        if let easy {
            if let pool, !paused { pool.give(easy, reset: request.method != .get) } else { curl_easy_cleanup(easy) }
        }
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        continuation.resume(with: result)
    }

    private func transportError(_ code: CURLcode, detail: String) -> TransportError {
        let url = request.url.redactedString
        let kind: TransportError.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: kind = .hostNotFound
        case _ where detail.contains("CONNECT tunnel failed") || detail.contains("proxy"):
            kind = .proxy
        case CURLE_COULDNT_CONNECT: kind = .connectionRefused
        case CURLE_OPERATION_TIMEDOUT:
            if head == nil && status == 0 && detail.lowercased().contains("connect") {
                kind = .connectTimeout
            } else if detail.lowercased().contains("too slow") {
                kind = .stalled
            } else {
                kind = .timedOut
            }
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            kind = .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE:
            kind = .tls
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_PROXY:
            kind = .proxy
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidURL
        case CURLE_OK:
            // curl succeeded but no complete response head arrived.
            kind = .connectionLost
        default: kind = .other
        }
        var text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if kind == .tls { text += " (trusted certificate authorities: \(configuration.caFile ?? "the system store"))" }
        return TransportError(kind: kind, url: url, detail: text, curlCode: Int(code.rawValue))
    }
}
