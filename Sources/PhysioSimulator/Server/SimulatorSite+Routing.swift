/// Dispatches a request to the route for its path (docs/protocol.md §1).
extension SimulatorSite {
    func route(_ request: SimulatorRequest) async -> SimulatorResponse {
        let path = request.path
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let slashed = path.hasSuffix("/")

        // A GCS bucket (`/<bucket>/<object>`), when the emulation is on: ahead of everything else, as it is another
        // server, which neither nginx's locations nor Django's slash rule apply to.
        if let bucket = parts.first, isBucketSegment(bucket) {
            return cloudStorageRoute(request, bucket: bucket)
        }
        switch parts.first {
        case "files":
            return await filesRoute(request, parts: Array(parts.dropFirst()))
        case "static":
            return staticRoute(request, parts: Array(parts.dropFirst()))
        case "protected":
            // nginx's internal location: never reachable from outside (docs/protocol.md §4).
            return ErrorPages.nginxNotFound()
        default:
            break
        }
        // Django's APPEND_SLASH: every application URL ends in a slash.
        // (File viewers, `/content/<slug>/<ver>/<file>`, match without one; their version is digits and dots, so
        // `/content/<slug>/get-zip/<ver>` is no viewer and gets the 301 as on the real site, docs/protocol.md §4.)
        let isFileViewer = parts.first == "content" && parts.count >= 4 && parts[2].allSatisfy { $0.isNumber || $0 == "." }
        if !slashed && path != "/" && !path.hasPrefix("/api/") && !isFileViewer {
            return DjangoHeaders.added(to: .redirect(301, to: path + "/" + (request.rawQuery.map { "?" + $0 } ?? "")))
        }
        return DjangoHeaders.added(to: applicationRoute(request, parts: parts))
    }

    /// The application's own URLs (everything nginx hands to Django).
    private func applicationRoute(_ request: SimulatorRequest, parts: [String]) -> SimulatorResponse {
        switch (parts.first, parts.count) {
        case (nil, _): return homePage(request)
        case ("ping", 1): return SimulatorResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")])
        case ("login", 1): return loginRoute(request)
        case ("logout", 1): return logoutRoute(request)
        case ("projects", 1): return projectsPage(request)
        case ("content", _): return contentRoute(request, parts: Array(parts.dropFirst()))
        case ("sign-dua", 3): return signDUARoute(request, slug: parts[1], version: parts[2])
        case ("settings", _): return settingsRoute(request, parts: Array(parts.dropFirst()))
        case ("request-access-status", 3): return requestAccessStatusPage(request, slug: parts[1], version: parts[2])
        case ("api", _): return apiRoute(request, parts: Array(parts.dropFirst()))
        case ("rest", 2) where parts[1] == "database-list": return databaseListRoute(request)
        default: return notFound(request)
        }
    }

    /// `/content/<slug>/…`: latest redirect, project pages, DUA/training/licence texts, ZIP.
    func contentRoute(_ request: SimulatorRequest, parts: [String]) -> SimulatorResponse {
        guard let slug = parts.first, let project = fixture.project(slug: slug) else { return notFound(request) }
        if parts.count == 1 {
            guard let latest = project.latestVersion else { return notFound(request) }
            // Relative Location, as Django's redirect() sends it (docs/protocol.md §10).
            return .redirect(302, to: "/content/\(slug)/\(latest.version)/")
        }
        switch parts[1] {
        case "view-dua" where parts.count == 3: return documentPage(request, project: project, version: parts[2], kind: .dua)
        case "view-required-training" where parts.count == 3:
            return documentPage(request, project: project, version: parts[2], kind: .training)
        case "view-license" where parts.count == 3: return documentPage(request, project: project, version: parts[2], kind: .license)
        case "get-zip" where parts.count == 3: return zipRoute(request, slug: slug, version: parts[2])
        case "files-panel" where parts.count == 3: return filesPanelRoute(request, project: project, version: parts[2])
        default:
            guard let version = project.version(parts[1]) else { return notFound(request) }
            return projectPage(request, project: project, version: version, subpath: parts.dropFirst(2).joined(separator: "/"))
        }
    }

    func settingsRoute(_ request: SimulatorRequest, parts: [String]) -> SimulatorResponse {
        guard let user = loggedInUser(request) else {
            return parts.isEmpty ? notFound(request) : loginRedirect(request)
        }
        switch (parts.first, parts.count) {
        case ("credentialing", 1): return credentialingPage(user: user)
        case ("certification", 1): return certificationPage(user: user)
        case ("training", 1): return trainingPage(user: user)
        case ("training", 2): return trainingDetailPage(request, user: user, id: parts[1])
        case ("agreements", 1): return agreementsPage(user: user)
        default: return notFound(request)
        }
    }

    func homePage(_ request: SimulatorRequest) -> SimulatorResponse {
        page(title: "PhysioNet", user: loggedInUser(request), content: "<h1>PhysioNet</h1><p>The research resource for complex physiologic signals (simulated).</p>")
    }

    func projectsPage(_ request: SimulatorRequest) -> SimulatorResponse {
        let user = loggedInUser(request)
        let items = fixture.projects.map { project in
            "<li><a href=\"/content/\(project.slug)/\">\(PageLayout.escape(project.title))</a></li>"
        }.joined(separator: "\n")
        return page(title: "Projects", user: user, content: "<h1>Projects</h1>\n<ul>\n\(items)\n</ul>")
    }
}
