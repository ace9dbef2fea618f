import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The project page's citation box and the API's citation fields (docs/protocol.md §11).
@Suite("§3.10 citations")
struct CitationTests {
    static let doi = #"<a href="https://doi.org/10.13026/dp1f-ex47">https://doi.org/10.13026/dp1f-ex47</a>"#
    static let apa = "Johnson, A., Bulgarelli, L., Pollard, T., Horng, S., Celi, L. A., &amp; Mark, R. (2023). "
        + "MIMIC-IV Clinical Database Demo (version 2.2). <i>PhysioNet</i>. \(CitationTests.doi)."
    static let platform = "Goldberger, A., Amaral, L., Glass, L., Hausdorff, J., Ivanov, P. C., Mark, R., ... &amp; Stanley, H. E. "
        + "(2000). PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic "
        + "signals. Circulation [Online]. 101 (23), pp. e215–e220. RRID:SCR_007345."

    @Test("the box: the APA citation, a modal with the five styles, each with the DOI link, then PhysioNet's citation")
    func box() async throws {
        try await withSimulator { server throws in
            let page = try await SimClient(server).get("/content/mimic-iv-demo/2.2/").text
            #expect(page.contains("When using this resource, please cite:"))
            #expect(page.contains("<span>\(Self.apa)</span>"))
            #expect(page.contains(#"id="citationModal""#))
            var position = page.startIndex
            for style in ["MLA", "APA", "Chicago", "Harvard", "Vancouver"] {
                let row = try #require(page.range(of: "<tr><th>\(style)</th><td>", range: position..<page.endIndex), "\(style)")
                let end = try #require(page.range(of: "</td></tr>", range: row.upperBound..<page.endIndex))
                let cell = page[row.upperBound..<end.lowerBound]
                // Harvard's link is single-quoted, as the server writes it.
                #expect(cell.contains("https://doi.org/10.13026/dp1f-ex47'>") || cell.contains(Self.doi), "\(style)")
                #expect(cell.contains("(version 2.2)"), "\(style)")
                position = end.upperBound
            }
            #expect(page.contains("<tr><th>APA</th><td>\(Self.apa)</td></tr>"))
            #expect(page.contains(
                #"<tr><th>MLA</th><td>Johnson, A., et al. "MIMIC-IV Clinical Database Demo" (version 2.2). <i>PhysioNet</i> (2023), "#
                    + Self.doi + ".</td></tr>"))
            #expect(page.contains("<tr><th>Vancouver</th><td>Johnson A, Bulgarelli L, Pollard T, Horng S, Celi LA, Mark R. "))

            let platform = try #require(page.range(of: "Please include the standard citation for PhysioNet:"))
            #expect(page.contains(#"id="citationModalPlatform""#))
            #expect(page[platform.upperBound...].contains("<span>\(Self.platform)</span>"))
            // Below the header, above the Files section.
            let header = try #require(page.range(of: "Version: 2.2"))
            let files = try #require(page.range(of: #"<h2 id="files">"#))
            let box = try #require(page.range(of: "When using this resource"))
            #expect(header.upperBound < box.lowerBound && platform.upperBound < files.lowerBound)
        }
    }

    @Test("the year is the version's; the real DOIs of the MIMIC projects")
    func otherProjects() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let demo = try await client.get("/content/mimiciii-demo/1.4/").text
            #expect(demo.contains(
                #"<span>Johnson, A., Pollard, T., &amp; Mark, R. (2019). MIMIC-III Clinical Database Demo (version 1.4). <i>PhysioNet</i>. <a href="https://doi.org/10.13026/C2HM2Q">"#))
            let mimiciv = try await client.get("/content/mimiciv/3.1/").text
            #expect(mimiciv.contains(
                "<span>Johnson, A., Bulgarelli, L., Pollard, T., Gow, B., Moody, B., Horng, S., Celi, L. A., &amp; Mark, R. (2024). MIMIC-IV (version 3.1)."))
            #expect(mimiciv.contains("https://doi.org/10.13026/kpb9-mt58"))
            // The page still reads as before for a client: header version, badge, Files state.
            let page = try ProjectPage(html: mimiciv, project: ProjectVersionRef(slug: "mimiciv", version: "3.1"))
            #expect(page.version == "3.1")
            #expect(page.policy == .credentialed)
        }
    }

    @Test("a version without a DOI has no citation box, as a legacy project")
    func noDOI() async throws {
        try await withSimulator { server throws in
            let page = try await SimClient(server).get("/content/mimic-iv-demo-omop/0.9/").text
            #expect(!page.contains("please cite"))
            #expect(!page.contains("citationModal"))
        }
    }

    @Test("platformCitation false: the project's citation only")
    func withoutPlatformCitation() async throws {
        var fixture = defaultFixture
        fixture.site.platformCitation = false
        try await withSimulator(fixture: fixture) { server throws in
            let page = try await SimClient(server).get("/content/mimic-iv-demo/2.2/").text
            #expect(page.contains("<span>\(Self.apa)</span>"))
            #expect(page.contains(#"id="citationModal""#))
            #expect(!page.contains("Please include the standard citation"))
            #expect(!page.contains("citationModalPlatform"))
            #expect(!page.contains("Goldberger"))
        }
    }

    @Test("the older API's detail: doi, license name, publish_datetime, title, version; no authors")
    func apiDetail() async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server, userAgent: "physio/0.1.0").get("/api/v1/project/published/mimic-iv-demo/2.2/")
            #expect(response.status == 200)
            let detail = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(detail["doi"] as? String == "10.13026/dp1f-ex47")
            #expect((detail["license"] as? [String: Any])?["name"] as? String == "Open Data Commons Open Database License v1.0")
            #expect((detail["publish_datetime"] as? String)?.hasPrefix("2023-01-31T") == true)
            #expect(detail["title"] as? String == "MIMIC-IV Clinical Database Demo")
            #expect(detail["version"] as? String == "2.2")
            #expect(detail["authors"] == nil)
        }
    }

    @Test("the fixture fields are optional: a fixture without them still loads, platformCitation defaulting to true")
    func optionalFields() throws {
        let json = #"{"site": {"realm": "PhysioNet"}, "projects": [{"slug": "p", "title": "P", "versions": [{"version": "1.0", "published": "2020-01-01", "access": "OPEN", "files": {"folder": "x"}}]}]}"#
        let fixture = try JSONDecoder().decode(SimulatorFixture.self, from: Data(json.utf8))
        #expect(fixture.site.platformCitation)
        #expect(fixture.projects[0].authors.isEmpty)
        #expect(fixture.projects[0].versions[0].doi == nil)
    }
}
