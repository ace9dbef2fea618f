import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Both JSON API families (docs/protocol.md §15), from the same data.
@Suite("§8 JSON API")
struct APITests {
    func json(_ response: HTTPResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body))
    }

    @Test("older family: list, versions, detail, unknowns, wrong Basic")
    func olderFamily() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server, userAgent: "physio/0.1.0")
            let list = try #require(try json(try await client.get("/api/v1/project/published/")) as? [[String: Any]])
            #expect(list.contains { $0["slug"] as? String == "mimiciii-demo" })
            #expect(list.allSatisfy { $0["version"] == nil })
            let versions = try #require(try json(try await client.get("/api/v1/project/published/mimiciv/")) as? [[String: Any]])
            #expect(versions.map { $0["version"] as? String } == ["3.0", "3.1"])
            #expect(try await client.get("/api/v1/project/published/nope/").text == "[]")
            let detail = try #require(try json(try await client.get("/api/v1/project/published/mimiciii-demo/1.4/")) as? [String: Any])
            #expect((detail["publish_datetime"] as? String)?.hasPrefix("2019-04-03T") == true)
            let missing = try await client.get("/api/v1/project/published/nope/1.0/")
            #expect(missing.status == 404)
            #expect(missing.text.contains("No PublishedProject matches the given query."))
            let wrong = try await client.get("/api/v1/project/published/", headers: ["Authorization": basic("credentialed", "x")])
            #expect(wrong.status == 403)
            #expect(try await client.get("/api/v1/project/published/search/?resource_type=bogus").status == 400)
            // Without parameters the 2024 search answers `[]` (docs/protocol.md §15); a type filters.
            #expect(try await client.get("/api/v1/project/published/search/").text == "[]")
            let databases = try #require(
                try json(try await client.get("/api/v1/project/published/search/?resource_type=database")) as? [[String: Any]])
            #expect(databases.contains { $0["slug"] as? String == "mimiciv" })
        }
    }

    @Test("newer family, when enabled: is_latest_version, versions, sha256sums needs access")
    func newerFamily() async throws {
        try await withSimulator(newerAPI: true) { server throws in
            let client = SimClient(server, userAgent: "PhysioNet-Python-Client/1.0")
            let list = try #require(try json(try await client.get("/api/v1/projects/published/")) as? [[String: Any]])
            let mimiciv = list.filter { $0["slug"] as? String == "mimiciv" }
            #expect(mimiciv.map { $0["is_latest_version"] as? Bool } == [false, true])
            #expect(try await client.get("/api/v1/projects/mimiciv/versions/").status == 200)
            #expect(try await client.get("/api/v1/projects/mimiciii/versions/1.4/").status == 200)
            #expect(try await client.get("/api/v1/projects/published/mimiciii/1.4/sha256sums/").status == 403)
            let sums = try await client.get(
                "/api/v1/projects/published/mimiciii/1.4/sha256sums/", headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(sums.status == 200)
            let viaFiles = try await client.get("/files/mimiciii/1.4/SHA256SUMS.txt", headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(viaFiles.status == 403)  // Basic with a non-Wget UA on /files/
            #expect(sums.text.split(separator: "\n").count == 5)
        }
    }

    @Test("by default the newer family is absent, as on the 2024 code: Django's HTML 404, before any API auth (§3.10)")
    func newerFamilyAbsent() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server, userAgent: "PhysioNet-Python-Client/1.0")
            for path in ["/api/v1/projects/published/", "/api/v1/projects/mimiciv/versions/", "/api/v1/projects/search/?search_term=mimic"] {
                let response = try await client.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.head.isHTML, "\(path)")
            }
            let withWrongBasic = try await client.get("/api/v1/projects/published/", headers: ["Authorization": basic("credentialed", "x")])
            #expect(withWrongBasic.status == 404)
        }
    }
}
