import FoundationEssentials

/// One HTTP request as the transport sends it. Policy (cookies, credentials, retries) is decided above.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case head = "HEAD"
        case post = "POST"
    }

    public var method: Method
    public var url: URL
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// Announces a large body (a data file of a megabyte or more, or of unknown size), which the transport
    /// then reads in larger pieces: fewer callbacks per megabyte on fast links. Small bodies keep curl's
    /// default buffer, because curl allocates the buffer per transfer and 256 KiB for each of 20,000 small
    /// files is a measurable cost.
    public var expectsLargeBody = false

    public init(
        method: Method = .get,
        url: URL,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8]? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A POST of `application/x-www-form-urlencoded` fields, encoded as HTML forms do.
    public static func form(url: URL, fields: [(String, String)], headers: HTTPHeaders = HTTPHeaders()) -> HTTPRequest {
        var headers = headers
        headers.set("Content-Type", "application/x-www-form-urlencoded")
        let encoded = fields.map { "\(FormEncoding.escape($0.0))=\(FormEncoding.escape($0.1))" }.joined(separator: "&")
        return HTTPRequest(method: .post, url: url, headers: headers, body: Array(encoded.utf8))
    }
}

/// `application/x-www-form-urlencoded` escaping (WHATWG): unreserved bytes stay, space becomes `+`.
public enum FormEncoding {
    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "-"),
                UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out.append("+")
            default:
                out.append("%")
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            }
        }
        return out
    }

    private static func hexDigit(_ nibble: UInt8) -> Character {
        Character(Unicode.Scalar(nibble < 10 ? nibble + 48 : nibble + 55))
    }
}
