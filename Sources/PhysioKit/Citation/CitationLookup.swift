import FoundationEssentials

/// Reads a dataset version's citation from the site: its project page (the citation box, the data use
/// agreement) and the published-project API's detail (title, licence, date). Two small requests, made once
/// per version: `FetchEngine` records the result in the inventory the first time it fetches the version.
struct CitationLookup {
    let client: SiteClient

    /// The older API family's project detail (docs/protocol.md §11): the fields a citation needs.
    private struct ProjectDetail: Decodable {
        struct License: Decodable {
            var name: String?
        }

        var title: String?
        var doi: String?
        var license: License?
        var publish_datetime: String?
    }

    /// The version's project page, or `nil` when it cannot be read.
    func projectPage(slug: String, version: String) async -> String? {
        guard let page = try? await client.get(client.site.projectURL(slug: slug, version: version), bodyLimit: 4 << 20),
            page.status == 200
        else { return nil }
        return page.text
    }

    /// `projectPage`: the page's HTML when the caller has read it already.
    func citation(slug: String, version: String, projectPage: String? = nil) async throws -> DatasetCitation? {
        let site = client.site
        let fetched: String?
        if let projectPage { fetched = projectPage } else { fetched = await self.projectPage(slug: slug, version: version) }
        guard let html = fetched else { return nil }
        let parsed = try? ProjectPage(html: html, project: ProjectVersionRef(slug: slug, version: version))
        var citation = DatasetCitation(slug: slug, version: version, title: parsed?.title ?? slug, dataUseAgreement: parsed?.duaName)

        let detailURL = site.baseURL.appendingPathComponent("api/v1/project/published/\(slug)/\(version)/")
        if let response = try? await client.get(detailURL, headers: ["Accept": "application/json"], bodyLimit: 1 << 20),
            response.status == 200, let detail = try? JSONDecoder().decode(ProjectDetail.self, from: Data(response.body))
        {
            citation.title = detail.title ?? citation.title
            citation.doi = detail.doi.flatMap { $0.isEmpty ? nil : $0 }
            citation.license = detail.license?.name
            citation.published = detail.publish_datetime.map { String($0.prefix(10)) }
        }
        citation.read(projectPage: html)
        return citation
    }
}
