import Foundation

/// `/files/<slug>/<ver>/<path>` (docs/protocol.md §3–§8) and nginx's `/static/published-projects/…` for open projects.
extension SimulatorSite {
    func filesRoute(_ request: SimulatorRequest, parts: [String]) async -> SimulatorResponse {
        guard parts.count >= 2, let (_, version) = lookup(parts[0], parts[1]),
            let tree = tree(slug: parts[0], version: parts[1])
        else { return notFound(request) }
        let slug = parts[0]
        let base = "/files/\(slug)/\(version.version)/"
        if parts.count == 2 && !request.path.hasSuffix("/") {
            return .redirect(301, to: base)
        }

        let decision = authorizeDownload(request, slug: slug, version: version)
        if let refusal = response(for: decision) { return refusal }
        guard case .granted(let setCookie) = decision else { return ErrorPages.forbiddenAccess(user: nil) }

        // An empty segment (`<ver>//LICENSE.txt`) names no file on the real site (docs/protocol.md §4), although
        // splitting the path would drop it.
        if request.path.contains("//") { return notFound(request) }
        let relative = parts.dropFirst(2).joined(separator: "/")
        var answer = serveVersionPath(
            request, slug: slug, version: version, tree: tree, relative: relative,
            internalPrefix: version.access == .open ? "/static/published-projects" : "/protected/published-projects")
        if let setCookie { answer.addHeader("Set-Cookie", setCookie) }
        return answer
    }

    /// nginx serves open projects' files directly, without the application (docs/protocol.md §4).
    func staticRoute(_ request: SimulatorRequest, parts: [String]) -> SimulatorResponse {
        guard parts.first == "published-projects", parts.count >= 3, let project = fixture.project(slug: parts[1]) else {
            return ErrorPages.nginxNotFound()
        }
        if parts.count == 3, parts[2].hasSuffix(".zip") {
            // The open projects' ZIP link: `/static/published-projects/<slug>/<slugified-title>-<ver>.zip`.
            guard let version = project.versions.first(where: { "\(project.slugifiedTitle)-\($0.version).zip" == parts[2] }),
                version.access == .open, !version.deprecated
            else { return ErrorPages.nginxNotFound() }
            return zipResponse(request, project: project, version: version, mode: .production)
        }
        guard let version = project.version(parts[2]), version.access == .open, !version.deprecated,
            let tree = tree(slug: project.slug, version: version.version)
        else { return ErrorPages.nginxNotFound() }
        let relative = parts.dropFirst(3).joined(separator: "/")
        return serveVersionPath(
            request, slug: project.slug, version: version, tree: tree, relative: relative,
            internalPrefix: "/static/published-projects", forceMode: .production)
    }

    /// A file, a listing or a directory redirect, after access was granted.
    private func serveVersionPath(
        _ request: SimulatorRequest, slug: String, version: FixtureVersion, tree: VersionFileTree, relative: String,
        internalPrefix: String, forceMode: SimulatorMode? = nil
    ) -> SimulatorResponse {
        let mode = forceMode ?? self.mode
        let trailingSlash = request.path.hasSuffix("/")
        let trimmed = trailingSlash && !relative.isEmpty ? String(relative.dropLast(relative.hasSuffix("/") ? 1 : 0)) : relative

        if tree.directories.contains(trimmed) {
            if !trailingSlash {
                switch mode {
                case .development:
                    return .redirect(302, to: request.path + "/")
                case .production:
                    // nginx redirects to its internal location: fine for /static, a 404 for /protected
                    // (docs/protocol.md §4).
                    let host = request.header("Host") ?? "127.0.0.1"
                    return .redirect(301, to: "http://\(host)\(internalPrefix)/\(slug)/\(version.version)/\(trimmed)/")
                }
            }
            switch mode {
            case .development:
                return SimulatorResponse(
                    status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
                    body: .bytes(DirectoryListing.development(tree: tree, directory: trimmed)))
            case .production:
                let title = "\(internalPrefix)/\(slug)/\(version.version)/" + (trimmed.isEmpty ? "" : trimmed + "/")
                let listing = DirectoryListing.autoindex(title: title, tree: tree, directory: trimmed)
                // The application's headers for a folder survive the internal redirect: its (empty) base name as
                // the filename, and the sandbox (docs/protocol.md §8).
                let headers = [("Content-Type", "text/html; charset=utf-8")] + FileHeaders.application(name: "", download: false)
                if request.method == "HEAD" {
                    return SimulatorResponse(status: 200, headers: headers, body: .none(contentLength: nil))
                }
                return SimulatorResponse(status: 200, headers: headers, body: .chunked(listing))
            }
        }
        guard !trailingSlash, let file = tree.files[trimmed] else {
            guard mode == .production else { return notFound(request) }
            // nginx's 404 keeps the application's Content-Disposition, not its CSP (docs/protocol.md §7).
            let name = trimmed.split(separator: "/").last.map(String.init) ?? ""
            return ErrorPages.nginxNotFound().withHeader("Content-Disposition", "inline; filename=\(name)")
        }
        if request.faults.loginPageInsteadOfFile {
            return loginForm(request, next: request.path, alert: nil)
        }
        let download = request.query["download"] != nil
        return StaticFileResponder(mode: mode).respond(
            to: request, file: file, revision: request.faults.fileRevision,
            headers: FileHeaders.application(name: file.name, download: download))
    }
}
