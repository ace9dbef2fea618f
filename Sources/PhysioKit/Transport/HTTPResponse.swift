import FoundationEssentials

/// Status line and headers of a response, available before its body.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The URL that produced this response (after any redirects the transport followed).
    public var url: URL

    public init(status: Int, headers: HTTPHeaders, url: URL) {
        self.status = status
        self.headers = headers
        self.url = url
    }

    public var isRedirect: Bool { (300..<400).contains(status) && status != 304 }

    /// The `Location` header resolved against the request URL.
    public var location: URL? {
        guard let value = headers["Location"] else { return nil }
        return URL(string: value, relativeTo: url)?.absoluteURL
    }

    /// `Content-Type` without parameters, lower-cased.
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.utf8.firstIndex(of: UInt8(ascii: ";")).map { value[..<$0] } ?? value[...]
        return type.trimmingASCIISpace.lowercased()
    }

    /// Whether the body is an HTML page (`text/html`, any case, any parameters). Checked for every file
    /// downloaded, so it compares bytes rather than building the lower-cased media type.
    public var isHTML: Bool {
        guard let value = headers["Content-Type"] else { return false }
        var type = value.utf8.drop(while: ASCIIText.isSpace).prefix { $0 != UInt8(ascii: ";") }[...]
        while let last = type.last, ASCIIText.isSpace(last) { type = type.dropLast() }
        return ASCIIText.equalIgnoringCase(type, "text/html".utf8)
    }

    public var contentLength: Int64? {
        headers["Content-Length"].flatMap { Int64($0.trimmingASCIISpace) }
    }
}

/// A response whose body was collected in memory (pages, small documents).
public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: [UInt8]

    public var status: Int { head.status }
    public var headers: HTTPHeaders { head.headers }
    public var text: String { String(decoding: body, as: UTF8.self) }

    public init(head: HTTPResponseHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }
}
