import PhysioKit
import PhysioSimulator
import Testing

/// nginx byte semantics in production mode (docs/protocol.md §6, §7).
@Suite("§3.5/§3.9 production bytes")
struct ProductionBytesTests {
    let path = "/files/mimiciii-demo/1.4/D_CPT.csv"

    @Test("full GET: 200 with Accept-Ranges, strong ETag, Last-Modified, app headers, exact bytes")
    func fullGet() async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server).get(path)
            #expect(response.status == 200)
            #expect(response.body == (try fixtureFile("mimiciii-demo/1.4/D_CPT.csv")))
            #expect(response.headers["Accept-Ranges"] == "bytes")
            #expect(response.headers["ETag"] == "\"5ca4a040-31ad\"")
            #expect(response.headers["Last-Modified"] == "Wed, 03 Apr 2019 12:00:00 GMT")
            #expect(response.headers["Content-Disposition"] == "inline; filename=D_CPT.csv")
            #expect(response.headers["Content-Security-Policy"] == "sandbox; default-src 'self'")
            #expect(response.head.mediaType == "text/csv")
        }
    }

    @Test("?download → attachment; content types by extension")
    func downloadAndTypes() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            #expect(try await client.get(path + "?download").headers["Content-Disposition"] == "attachment; filename=D_CPT.csv")
            #expect(try await client.head("/files/mimiciii-demo/1.4/LICENSE.txt").headers["Content-Type"] == "text/plain; charset=utf-8")
            #expect(try await client.head("/files/mimic-iv-demo/2.2/hosp/admissions.csv.gz").headers["Content-Type"] == "application/gzip")
            #expect(try await client.head("/content/mimiciii-demo/get-zip/1.4/").headers["Content-Type"] == "application/zip")
        }
    }

    @Test("Range → 206 with Content-Range; suffix and open-ended ranges")
    func ranges() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let whole = try fixtureFile("mimiciii-demo/1.4/D_CPT.csv")
            let first = try await client.get(path, headers: ["Range": "bytes=0-99"])
            #expect(first.status == 206)
            #expect(first.headers["Content-Range"] == "bytes 0-99/12717")
            #expect(first.body == Array(whole[0..<100]))
            let tail = try await client.get(path, headers: ["Range": "bytes=12700-"])
            #expect(tail.headers["Content-Range"] == "bytes 12700-12716/12717")
            #expect(tail.body == Array(whole[12700...]))
            let suffix = try await client.get(path, headers: ["Range": "bytes=-10"])
            #expect(suffix.body == Array(whole[(whole.count - 10)...]))
        }
    }

    @Test("unsatisfiable Range → 416 bytes */size")
    func unsatisfiable() async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server).get(path, headers: ["Range": "bytes=12717-"])
            #expect(response.status == 416)
            #expect(response.headers["Content-Range"] == "bytes */12717")
        }
    }

    @Test("If-Range: matching ETag → 206, other value → 200 full body")
    func ifRange() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let etag = try #require(try await client.head(path).headers["ETag"])
            let match = try await client.get(path, headers: ["Range": "bytes=10-19", "If-Range": etag])
            #expect(match.status == 206)
            let lastModified = "Wed, 03 Apr 2019 12:00:00 GMT"
            #expect(try await client.get(path, headers: ["Range": "bytes=10-19", "If-Range": lastModified]).status == 206)
            let mismatch = try await client.get(path, headers: ["Range": "bytes=10-19", "If-Range": "\"0-0\""])
            #expect(mismatch.status == 200)
            #expect(mismatch.body.count == 12717)
        }
    }

    @Test("If-None-Match and If-Modified-Since → 304; other values → 200")
    func conditional() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let head = try await client.head(path)
            let etag = try #require(head.headers["ETag"])
            let lastModified = try #require(head.headers["Last-Modified"])
            let byTag = try await client.get(path, headers: ["If-None-Match": etag])
            #expect(byTag.status == 304)
            #expect(byTag.body.isEmpty)
            #expect(try await client.get(path, headers: ["If-Modified-Since": lastModified]).status == 304)
            #expect(try await client.get(path, headers: ["If-None-Match": "\"other\""]).status == 200)
            #expect(try await client.get(path, headers: ["If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"]).status == 200)
        }
    }

    @Test("HEAD carries the exact Content-Length, ETag and Last-Modified")
    func head() async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server).head(path)
            #expect(response.status == 200)
            #expect(response.head.contentLength == 12717)
            #expect(response.headers["ETag"] != nil)
            #expect(response.headers["Last-Modified"] != nil)
            #expect(response.body.isEmpty)
        }
    }

    @Test("ZIP: real archive under <slugified-title>-<ver>/, Range supported")
    func zip() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            let response = try await client.get("/content/restricted-demo/get-zip/1.0/", headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(response.status == 200)
            #expect(response.headers["Content-Disposition"] == "attachment; filename=restricted-access-demo-1.0.zip")
            #expect(Array(response.body.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
            #expect(response.text.contains("restricted-access-demo-1.0/SHA256SUMS.txt"))
            #expect(response.text.contains("restricted-access-demo-1.0/data.csv"))
            let ranged = try await client.get(
                "/content/restricted-demo/get-zip/1.0/", headers: ["Authorization": basic("credentialed", "Cred-Pass-1"), "Range": "bytes=0-3"])
            #expect(ranged.status == 206)
            #expect(try await SimClient(server).get("/content/restricted-demo/get-zip/1.0/").status == 401)
        }
    }
}
