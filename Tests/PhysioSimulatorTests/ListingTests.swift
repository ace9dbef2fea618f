import PhysioKit
import PhysioSimulator
import Testing

/// nginx autoindex listings and directory redirects in production (docs/protocol.md §4, §8).
@Suite("§3.8 production listings")
struct ListingTests {
    @Test("open project: autoindex titled /static/…, directories first, exact sizes, chunked")
    func openListing() async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server).get("/files/mimic-iv-demo/2.2/")
            #expect(response.status == 200)
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(response.headers["Content-Length"] == nil)
            let text = response.text
            #expect(text.contains("<head><title>Index of /static/published-projects/mimic-iv-demo/2.2/</title></head>"))
            #expect(text.contains(#"<a href="../">../</a>"#))
            #expect(text.contains(#"<a href="LICENSE.txt">LICENSE.txt</a>                                        31-Jan-2023 12:00               25815"#))
            let hosp = try #require(text.range(of: #"<a href="hosp/">hosp/</a>"#))
            let license = try #require(text.range(of: #"<a href="LICENSE.txt">"#))
            #expect(hosp.lowerBound < license.lowerBound)
        }
    }

    @Test("protected project: title /protected/…; subfolder titles include the folder")
    func protectedListing() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            let auth: HTTPHeaders = ["Authorization": basic("credentialed", "Cred-Pass-1")]
            let root = try await client.get("/files/mimiciv/3.1/", headers: auth)
            #expect(root.text.contains("<title>Index of /protected/published-projects/mimiciv/3.1/</title>"))
            let sub = try await client.get("/files/mimiciv/3.1/hosp/", headers: auth)
            #expect(sub.text.contains("<title>Index of /protected/published-projects/mimiciv/3.1/hosp/</title>"))
            #expect(sub.text.contains(#"<a href="admissions.csv.gz">admissions.csv.gz</a>"#))
        }
    }

    @Test("directory without slash → 301 to the internal path: /static works, /protected is 404")
    func directoryRedirects() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            let open = try await client.get("/files/mimic-iv-demo/2.2/hosp")
            #expect(open.status == 301)
            let openLocation = try #require(open.head.location)
            #expect(openLocation.absoluteString.hasSuffix("/static/published-projects/mimic-iv-demo/2.2/hosp/"))
            #expect(try await client.transport.send(HTTPRequest(url: openLocation)).status == 200)

            let protected = try await client.get("/files/mimiciv/3.1/hosp", headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(protected.status == 301)
            let protectedLocation = try #require(protected.head.location)
            #expect(protectedLocation.absoluteString.hasSuffix("/protected/published-projects/mimiciv/3.1/hosp/"))
            let internalAnswer = try await client.transport.send(HTTPRequest(url: protectedLocation))
            #expect(internalAnswer.status == 404)
            #expect(internalAnswer.text.contains("<title>404 Not Found</title>"))
        }
    }

    @Test("a project without SHA256SUMS.txt: 404 for the manifest, nested listings for the crawl")
    func noManifest() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/files/nosums-demo/1.0/SHA256SUMS.txt").status == 404)
            let root = try await client.get("/files/nosums-demo/1.0/")
            #expect(!root.text.contains("SHA256SUMS.txt"))
            #expect(root.text.contains(#"<a href="sub/">sub/</a>"#))
            let nested = try await client.get("/files/nosums-demo/1.0/sub/deeper/")
            #expect(nested.text.contains(#"<a href="c.dat">c.dat</a>"#))
            let spaced = try await client.get("/files/nosums-demo/1.0/notes/")
            #expect(spaced.text.contains(#"<a href="read%20me.txt">read me.txt</a>"#))
            #expect(try await client.get("/files/nosums-demo/1.0/notes/read%20me.txt").body.count == 333)
        }
    }

    @Test("generated manifest: PhysioNet format, byte-sorted, not listing itself, matching the bytes served")
    func generatedManifest() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let manifest = try await client.get("/files/mimic-iv-demo-omop/0.9/SHA256SUMS.txt").text
            let lines = manifest.split(separator: "\n").map(String.init)
            let paths = lines.map { String($0.dropFirst(65)) }
            #expect(paths.contains("2_achilles_json/dashboard.json"))
            #expect(!paths.contains("SHA256SUMS.txt"))
            #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            for line in lines {
                let hex = String(line.prefix(64))
                #expect(line.dropFirst(64).first == " ")
                let body = try await client.get("/files/mimic-iv-demo-omop/0.9/" + line.dropFirst(65)).body
                #expect(SHA256Hasher.digest(of: body).hex == hex)
            }
        }
    }
}
