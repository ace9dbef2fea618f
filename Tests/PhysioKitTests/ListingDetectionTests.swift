import Foundation
import Testing

@testable import PhysioKit

/// Listings and files as the real front sends them (docs/protocol.md §8): a listing also carries
/// `Content-Disposition: inline; filename=` and the CSP sandbox, like a file. Only the media type tells them apart.
@Suite("Listing or file: the headers that decide")
struct ListingDetectionTests {
    let url = URL(string: "https://physionet.org/files/x/1.0/")!

    func head(_ headers: [(String, String)]) -> HTTPResponseHead {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name, value) }
        return HTTPResponseHead(status: 200, headers: fields, url: url)
    }

    @Test("a listing with a file's Content-Disposition is still HTML, and its entries are read")
    func listing() {
        let listing = head([
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Disposition", "inline; filename="),
            ("Content-Security-Policy", "sandbox; default-src 'self'"),
        ])
        #expect(listing.isHTML)
        let body = """
            <html>
            <head><title>Index of /static/published-projects/x/1.0/</title></head>
            <body>
            <h1>Index of /static/published-projects/x/1.0/</h1><hr><pre><a href="../">../</a>
            <a href="LICENSE.txt">LICENSE.txt</a>                                  31-Jan-2023 15:20               25815
            </pre><hr></body>
            </html>
            """
        #expect(DirectoryListing(html: body).entries == [.init(name: "LICENSE.txt", isDirectory: false, size: 25815)])
    }

    @Test("a data file with the same Content-Disposition and CSP is not HTML")
    func file() {
        let file = head([
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Disposition", "inline; filename=LICENSE.txt"),
            ("Content-Security-Policy", "sandbox; default-src 'self'"),
        ])
        #expect(!file.isHTML)
        #expect(!head([("Content-Type", "application/gzip"), ("Content-Disposition", "inline; filename=")]).isHTML)
    }
}
