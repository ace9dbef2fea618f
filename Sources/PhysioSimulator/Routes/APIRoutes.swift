import Foundation

/// Both JSON API families from the same data, `/api/v1/project/…` and `/api/v1/projects/…`
/// (docs/protocol.md §15).
extension SimulatorSite {
    func apiRoute(_ request: SimulatorRequest, parts: [String]) -> SimulatorResponse {
        guard parts.count >= 2, parts[0] == "v1" else { return apiNotFound() }
        // Without the newer family no URL pattern matches: Django's own 404 page, before any API auth
        // (docs/protocol.md §15).
        if parts[1] == "projects" && !servesNewerAPI { return notFound(request) }
        let rest = Array(parts.dropFirst(2))
        // API Basic auth is not UA-gated; wrong credentials fail even on public data
        // (docs/protocol.md §15).
        var apiUser = loggedInUser(request)
        if let header = request.header("Authorization") {
            guard let credentials = BasicCredentials(header: header), let user = fixture.user(matching: credentials.username),
                user.password == credentials.password
            else {
                if rest.contains("versions") || (parts[1] == "project" && rest.count == 2 && rest[0] == "published") {
                    return .json(401, ["detail": "Invalid username/password."], headers: [("WWW-Authenticate", "Basic realm=\"api\"")])
                }
                return .json(403, ["detail": "Invalid username/password."])
            }
            apiUser = user
        }
        switch parts[1] {
        case "project": return olderAPI(request, rest)
        case "projects": return newerAPI(request, rest, user: apiUser)
        default: return apiNotFound()
        }
    }

    private func apiNotFound() -> SimulatorResponse { .json(404, ["detail": "Not found."]) }

    /// `/api/v1/project/published/…` (2024 snapshot).
    private func olderAPI(_ request: SimulatorRequest, _ rest: [String]) -> SimulatorResponse {
        guard rest.first == "published" else { return apiNotFound() }
        switch rest.count {
        case 1:
            return .json(200, allVersions().map { olderListItem($0.0, $0.1) })
        case 2 where rest[1] == "search":
            guard let matches = search(request) else { return .json(400, ["error": "Invalid resource_type"]) }
            // Observed on the 2024 code: no parameters at all → `[]`, not every project
            // (docs/protocol.md §15).
            if (request.rawQuery ?? "").isEmpty { return .json(200, [Any]()) }
            return .json(200, matches.map { olderListItem($0.0, $0.1) })
        case 2:
            guard let project = fixture.project(slug: rest[1]) else { return .json(200, [Any]()) }
            return .json(200, project.versions.map { ["slug": project.slug, "title": project.title, "version": $0.version, "abstract": project.abstract] })
        case 3:
            guard let (project, version) = lookup(rest[1], rest[2]) else {
                return .json(404, ["detail": "No PublishedProject matches the given query."])
            }
            return .json(200, detail(project, version))
        default:
            return apiNotFound()
        }
    }

    /// `/api/v1/projects/…` (2025 family the official client uses).
    private func newerAPI(_ request: SimulatorRequest, _ rest: [String], user: FixtureUser?) -> SimulatorResponse {
        switch (rest.first, rest.count) {
        case ("published", 1):
            return .json(200, allVersions().map { newerListItem($0.0, $0.1) })
        case ("search", 1):
            guard let matches = search(request) else { return .json(400, ["error": "Invalid resource_type"]) }
            return .json(200, matches.map { newerListItem($0.0, $0.1) })
        case ("published", 4) where rest[3] == "sha256sums":
            guard let (_, version) = lookup(rest[1], rest[2]), let tree = tree(slug: rest[1], version: rest[2]) else {
                return .json(404, ["error": "Project not found"])
            }
            guard user != nil, evaluator(for: user).canDownload(slug: rest[1], version: version) else {
                return .json(403, ["error": "You do not have permission to access this project"])
            }
            guard let manifest = tree.files[VersionFileTree.manifestName], let bytes = try? FileContentReader.readAll(manifest) else {
                return .json(404, ["error": "SHA256SUMS.txt not found for this project"])
            }
            return SimulatorResponse(
                status: 200,
                headers: [("Content-Type", "text/plain"), ("Content-Disposition", "attachment; filename=\"SHA256SUMS.txt\"")],
                body: .bytes(bytes))
        default:
            break
        }
        guard rest.count >= 2, rest[1] == "versions", let project = fixture.project(slug: rest[0]) else {
            return .json(404, ["error": "Project not found"])
        }
        if rest.count == 2 {
            return .json(200, project.versions.map {
                ["slug": project.slug, "title": project.title, "version": $0.version, "abstract": project.abstract,
                 "citation": "\(project.title) (version \($0.version)). PhysioNet."]
            })
        }
        guard rest.count == 3, let version = project.version(rest[2]) else { return .json(404, ["error": "Version not found"]) }
        return .json(200, detail(project, version))
    }

    private func allVersions() -> [(FixtureProject, FixtureVersion)] {
        fixture.projects.flatMap { project in project.versions.map { (project, $0) } }
    }

    /// Matches on slug, title or abstract; nil for an invalid `resource_type`.
    private func search(_ request: SimulatorRequest) -> [(FixtureProject, FixtureVersion)]? {
        let term = (request.query["search_term"] ?? "").lowercased()
        let types = (request.rawQuery ?? "").split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return parts.first == "resource_type" && parts.count == 2 ? FormDecoding.unescape(String(parts[1])).lowercased() : nil
        }
        let valid: Set<String> = ["database", "software", "challenge", "model", "all"]
        guard types.allSatisfy(valid.contains) else { return nil }
        return allVersions().filter { project, _ in
            let typeMatches = types.isEmpty || types.contains("all") || types.contains(project.resourceType.lowercased())
            let textMatches = term.isEmpty || project.slug.contains(term) || project.title.lowercased().contains(term)
                || project.abstract.lowercased().contains(term)
            return typeMatches && textMatches
        }
    }

    private func sizes(_ project: FixtureProject, _ version: FixtureVersion) -> (Int64, Int64) {
        guard let tree = tree(slug: project.slug, version: version.version) else { return (0, 0) }
        return (tree.totalSize, ZipLayout.archiveSize(tree: tree, topFolder: ZipLayout.topFolder(project, version)))
    }

    private func olderListItem(_ project: FixtureProject, _ version: FixtureVersion) -> [String: Any] {
        let (main, zip) = sizes(project, version)
        return [
            "slug": project.slug, "title": project.title, "abstract": project.abstract,
            "license": ["name": version.license], "dua": version.dua.map { ["name": $0] as Any } ?? NSNull(),
            "main_storage_size": main, "compressed_storage_size": zip,
        ]
    }

    private func newerListItem(_ project: FixtureProject, _ version: FixtureVersion) -> [String: Any] {
        var item = olderListItem(project, version)
        item["version"] = version.version
        item["short_description"] = project.title
        item["core_doi"] = "10.13026/\(project.slug)"
        item["version_doi"] = doi(project, version)
        item["is_latest_version"] = project.latestVersion?.version == version.version
        item["publish_date"] = SimulatorDates.isoDay(version.publishedDate)
        return item
    }

    /// Both families' version detail: `doi`, `license.name`, `publish_datetime`, `title`, `version` and the rest,
    /// no authors (docs/protocol.md §11).
    private func detail(_ project: FixtureProject, _ version: FixtureVersion) -> [String: Any] {
        let (main, zip) = sizes(project, version)
        return [
            "slug": project.slug, "title": project.title, "version": version.version, "abstract": project.abstract,
            "license": ["name": version.license], "short_description": project.title,
            "project_home_page": "", "publish_datetime": SimulatorDates.apiDateTime(version.publishedDate),
            "doi": doi(project, version), "main_storage_size": main, "compressed_storage_size": zip,
        ]
    }

    /// The fixture's DOI; a made-up one in PhysioNet's prefix for a version the fixture gives none (real legacy
    /// versions have DOIs too, only no citation box).
    private func doi(_ project: FixtureProject, _ version: FixtureVersion) -> String {
        version.doi ?? "10.13026/\(project.slug)-\(version.version)"
    }

    /// `/rest/database-list/`: databases only, by publish date (deprecated upstream).
    func databaseListRoute(_ request: SimulatorRequest) -> SimulatorResponse {
        let databases = allVersions().filter { $0.0.resourceType == "Database" }
            .sorted { $0.1.publishedDate < $1.1.publishedDate }
        return .json(200, databases.map { ["slug": $0.0.slug, "version": $0.1.version, "title": $0.0.title] })
    }
}
