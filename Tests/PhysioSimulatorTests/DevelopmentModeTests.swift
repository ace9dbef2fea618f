import PhysioKit
import PhysioSimulator
import Testing

/// Django runserver semantics in development mode (docs/protocol.md §7, §8).
@Suite("§3.6 development mode")
struct DevelopmentModeTests {
    let path = "/files/mimiciii-demo/1.4/D_CPT.csv"

    @Test("Range ignored → 200 full body, no Content-Range, Accept-Ranges, ETag or Last-Modified")
    func rangeIgnored() async throws {
        try await withSimulator(mode: .development) { server throws in
            let response = try await SimClient(server).get(path, headers: ["Range": "bytes=2-5"])
            #expect(response.status == 200)
            #expect(response.body == (try fixtureFile("mimiciii-demo/1.4/D_CPT.csv")))
            for header in ["Content-Range", "Accept-Ranges", "ETag", "Last-Modified"] {
                #expect(response.headers[header] == nil, "unexpected \(header)")
            }
            #expect(response.head.contentLength == 12717)
            #expect(response.headers["Content-Disposition"] == "inline; filename=D_CPT.csv")
        }
    }

    @Test("conditional requests never give 304")
    func noConditionals() async throws {
        try await withSimulator(mode: .development) { server throws in
            let response = try await SimClient(server).get(path, headers: ["If-Modified-Since": "Wed, 03 Apr 2019 12:00:00 GMT", "If-None-Match": "*"])
            #expect(response.status == 200)
        }
    }

    @Test("HEAD → 200 without Content-Length")
    func headWithoutLength() async throws {
        try await withSimulator(mode: .development) { server throws in
            let response = try await SimClient(server).head(path)
            #expect(response.status == 200)
            #expect(response.headers["Content-Length"] == nil)
        }
    }

    @Test("bare <ul> listing, byte-sorted, directories without trailing slash; directory without slash → 302")
    func listing() async throws {
        try await withSimulator(mode: .development) { server throws in
            let client = SimClient(server)
            let listing = try await client.get("/files/mimic-iv-demo/2.2/")
            #expect(listing.status == 200)
            #expect(listing.text.hasPrefix("<!DOCTYPE html><html><body><ul>"))
            #expect(listing.text.contains(#"<li><a href="hosp">hosp</a></li>"#))
            #expect(listing.text.contains(#"<li><a href="LICENSE.txt">LICENSE.txt</a></li>"#))
            let order = ["LICENSE.txt", "README.txt", "SHA256SUMS.txt", "demo_subject_id.csv", "hosp", "icu"].map {
                listing.text.range(of: "href=\"\($0)\"")!.lowerBound
            }
            #expect(order == order.sorted())
            let redirect = try await client.get("/files/mimic-iv-demo/2.2/hosp")
            #expect(redirect.status == 302)
            #expect(redirect.headers["Location"] == "/files/mimic-iv-demo/2.2/hosp/")
        }
    }

    @Test("404 is Django's debug page")
    func debugNotFound() async throws {
        try await withSimulator(mode: .development) { server throws in
            let client = SimClient(server)
            for missing in ["/files/mimiciii-demo/1.4/ADMISSIONS.csv", "/content/no-such-project/"] {
                let response = try await client.get(missing)
                #expect(response.status == 404)
                #expect(response.text.contains("<title>Page not found at \(missing)</title>"))
            }
        }
    }
}
