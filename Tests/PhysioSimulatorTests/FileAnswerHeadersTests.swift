import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Header details of `/files/` answers from the side-by-side check with the real front (docs/protocol.md §4, §6–§8).
@Suite("§3.10 /files/ answers: paths and headers")
struct FileAnswerHeadersTests {
    static let csp = "sandbox; default-src 'self'"

    @Test("an empty segment (`<ver>//LICENSE.txt`) is a 404, the single slash a 200")
    func doubleSlash() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/files/mimic-iv-demo/2.2/LICENSE.txt").status == 200)
            #expect(try await client.get("/files/mimic-iv-demo/2.2//LICENSE.txt").status == 404)
            #expect(try await client.get("/files/mimic-iv-demo/2.2/hosp//admissions.csv.gz").status == 404)
        }
    }

    @Test("listings: text/html; charset=utf-8, an empty-named Content-Disposition and the CSP")
    func listingHeaders() async throws {
        try await withSimulator { server throws in
            let listing = try await SimClient(server).get("/files/mimic-iv-demo/2.2/hosp/")
            #expect(listing.status == 200)
            #expect(listing.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(listing.headers["Content-Disposition"] == "inline; filename=")
            #expect(listing.headers["Content-Security-Policy"] == Self.csp)
            // The client still reads it as a listing, not as a data file.
            #expect(listing.head.isHTML)
            #expect(DirectoryListing(html: listing.text).entries.contains { $0.name == "admissions.csv.gz" })
        }
    }

    @Test("304 and 416 keep Content-Disposition and CSP; 404 keeps Content-Disposition; 206 has no Accept-Ranges")
    func conditionalAndErrorHeaders() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let path = "/files/mimic-iv-demo/2.2/LICENSE.txt"
            let full = try await client.get(path)
            #expect(full.headers["Accept-Ranges"] == "bytes")
            let etag = try #require(full.headers["ETag"])

            let notModified = try await client.get(path, headers: ["If-None-Match": etag])
            #expect(notModified.status == 304)
            #expect(notModified.headers["Content-Disposition"] == "inline; filename=LICENSE.txt")
            #expect(notModified.headers["Content-Security-Policy"] == Self.csp)

            let unsatisfiable = try await client.get(path, headers: ["Range": "bytes=99999999-"])
            #expect(unsatisfiable.status == 416)
            #expect(unsatisfiable.headers["Content-Disposition"] == "inline; filename=LICENSE.txt")
            #expect(unsatisfiable.headers["Content-Security-Policy"] == Self.csp)

            let partial = try await client.get(path, headers: ["Range": "bytes=0-9"])
            #expect(partial.status == 206)
            #expect(partial.headers["Accept-Ranges"] == nil)
            #expect(partial.headers["Content-Range"] == "bytes 0-9/25815")

            let missing = try await client.get("/files/mimic-iv-demo/2.2/hosp/missing.csv")
            #expect(missing.status == 404)
            #expect(missing.headers["Content-Disposition"] == "inline; filename=missing.csv")
            #expect(missing.headers["Content-Security-Policy"] == nil)
        }
    }
}
