import Foundation

/// `/content/<slug>/<ver>/[subdir/|file]`: the project page and its Files section states (docs/protocol.md §11).
extension SimulatorSite {
    func projectPage(_ request: SimulatorRequest, project: FixtureProject, version: FixtureVersion, subpath: String) -> SimulatorResponse {
        let user = loggedInUser(request)
        let evaluator = evaluator(for: user)
        let slug = project.slug
        let authorised = evaluator.meetsRequirements(slug: slug, version: version)
        guard let tree = tree(slug: slug, version: version.version) else { return notFound(request) }

        var directory = ""
        if !subpath.isEmpty {
            let trimmed = subpath.hasSuffix("/") ? String(subpath.dropLast()) : subpath
            guard authorised && !version.deprecated else { return ErrorPages.forbiddenAccess(user: user) }
            if tree.directories.contains(trimmed) {
                directory = trimmed
            } else if let file = tree.files[trimmed], !request.path.hasSuffix("/") {
                return fileViewer(user: user, project: project, version: version, file: file)
            } else {
                return notFound(request)
            }
        }

        let latest = project.latestVersion?.version
        var content = """
            <h1>\(PageLayout.escape(project.title))</h1>
            <p>\(ProjectPageSections.resourceTypeBadge(project.resourceType)) \(ProjectPageSections.badge(version.access))</p>
            <p>Published: \(SimulatorDates.longDay(version.publishedDate)). Version: \(version.version)
            """
        if latest != version.version {
            content += " <a href=\"/content/\(slug)/\">&lt;View latest version&gt;</a></p>\n"
            content += "<div class=\"alert alert-warning\">This is <strong>not</strong> the latest version.</div>\n"
        } else {
            content += "</p>\n"
        }
        content += "<!-- wfdb-python: <p>Version: \(version.version)</p> -->\n"
        // Below the header, above the description, as on the real page (docs/protocol.md §11).
        content += CitationBox.html(project: project, version: version, platformCitation: fixture.site.platformCitation)
        content += "<div class=\"abstract\">\(project.abstract)</div>\n"
        content += ProjectPageSections.accessCard(slug: slug, version: version)
        // The real page has no versions card for a single-version project (docs/protocol.md §11).
        if project.versions.count > 1 { content += ProjectPageSections.versionsCard(project: project) }
        content += "<hr>\n<h2 id=\"files\">Files</h2>\n"
        content += filesSection(
            request, user: user, project: project, version: version, tree: tree, directory: directory,
            authorised: authorised, evaluator: evaluator)
        return page(title: "\(project.title) v\(version.version)", user: user, content: content)
    }

    /// The first matching state of docs/protocol.md §11.
    private func filesSection(
        _ request: SimulatorRequest, user: FixtureUser?, project: FixtureProject, version: FixtureVersion,
        tree: VersionFileTree, directory: String, authorised: Bool, evaluator: AccessEvaluator
    ) -> String {
        let slug = project.slug
        if version.deprecated {
            return "<p>The files for this project are no longer available.</p>\n"
        }
        if authorised && version.downloadsDisabled {
            return "<p>This project is access restricted and the files are only available via a research environment.</p>\n"
        }
        guard authorised else {
            return ProjectPageSections.restrictedAlert(
                slug: slug, version: version.version, unmet: evaluator.unmetRequirements(slug: slug, version: version))
        }
        let host = request.header("Host") ?? "127.0.0.1"
        let zipLink: String
        let zipName = "\(project.slugifiedTitle)-\(version.version).zip"
        let zipSize = ProjectPageSections.humanSize(ZipLayout.archiveSize(tree: tree, topFolder: ZipLayout.topFolder(project, version)))
        if version.access == .open {
            zipLink = "<li><a href=\"/static/published-projects/\(slug)/\(zipName)\">Download the ZIP file</a> (\(zipSize))</li>"
        } else {
            zipLink = "<li><a href=\"/content/\(slug)/get-zip/\(version.version)/\">Download the ZIP file</a> (\(zipSize))</li>"
        }
        let userOption = version.access == .open ? "" : " --user \(user?.username ?? "") --ask-password"
        return """
            <p>Total uncompressed size: \(ProjectPageSections.humanSize(tree.totalSize)).</p>
            <h5>Access the files</h5>
            <ul>
              \(zipLink)
              \(Self.mirrorItems(slug: slug, version: version.version, mirrors: version.mirrors))
              <li>Download the files using your terminal: <pre class="shell-command">wget -r -N -c -np\(userOption) http://\(host)/files/\(slug)/\(version.version)/</pre></li>
            </ul>
            <div id="files-panel" class="card">
            <div class="card-header">Folder Navigation: <a href="/content/\(slug)/\(version.version)/#files-panel">&lt;base&gt;</a>\(directory.isEmpty ? "" : "/" + PageLayout.escape(directory))</div>
            \(ProjectPageSections.fileTable(slug: slug, version: version.version, directory: directory, tree: tree))
            </div>

            """
    }

    /// The HTML viewer of a file (not its raw bytes).
    private func fileViewer(user: FixtureUser?, project: FixtureProject, version: FixtureVersion, file: VersionFile) -> SimulatorResponse {
        let preview = (try? FileContentReader.read(file, offset: 0, count: 4096)) ?? []
        let content = """
            <h1>\(PageLayout.escape(project.title)) v\(version.version): \(PageLayout.escape(file.path))</h1>
            <p><a href="/files/\(project.slug)/\(version.version)/\(ProjectPageSections.escapeHref(file.path))?download">Download</a> (\(ProjectPageSections.humanSize(file.size)))</p>
            <pre class="plain">\(PageLayout.escape(String(decoding: preview, as: UTF8.self)))</pre>
            """
        return page(title: file.name, user: user, content: content)
    }

    /// `files-panel` fragment: 404 (not 403) without access (docs/protocol.md §11).
    func filesPanelRoute(_ request: SimulatorRequest, project: FixtureProject, version: String) -> SimulatorResponse {
        let user = loggedInUser(request)
        guard let found = project.version(version), let tree = tree(slug: project.slug, version: version),
            evaluator(for: user).meetsRequirements(slug: project.slug, version: found), !found.deprecated
        else { return notFound(request) }
        let subdir = request.query["subdir"] ?? ""
        guard tree.directories.contains(subdir) else { return notFound(request) }
        return .html(200, ProjectPageSections.fileTable(slug: project.slug, version: version, directory: subdir, tree: tree))
    }

    enum DocumentKind { case dua, training, license }

    /// `view-dua`, `view-required-training` (anchors `#<id>`) and `view-license` texts.
    func documentPage(_ request: SimulatorRequest, project: FixtureProject, version: String, kind: DocumentKind) -> SimulatorResponse {
        guard let found = project.version(version) else { return notFound(request) }
        let user = loggedInUser(request)
        switch kind {
        case .dua:
            guard let dua = found.dua else { return notFound(request) }
            // The text ends with a link line back to the project version (docs/protocol.md §12).
            let back = "<p><a href=\"/content/\(project.slug)/\(found.version)/\">Back to \(PageLayout.escape(project.title)) v\(found.version)</a></p>"
            return page(
                title: dua, user: user,
                content: "<h1>\(PageLayout.escape(dua))</h1>\n\(Self.duaText(dua, project: project, version: found))\n\(back)")
        case .training:
            let items = found.requiredTrainings.map {
                "<h2 id=\"\($0.id)\">\(PageLayout.escape($0.name))</h2>\n<p>Complete the \(PageLayout.escape($0.name)) course and submit the completion report.</p>"
            }.joined(separator: "\n")
            return page(title: "Required training", user: user, content: "<h1>Required training</h1>\n\(items)")
        case .license:
            return page(title: found.license, user: user, content: "<h1>\(PageLayout.escape(found.license))</h1>\n<p>The licence text of \(PageLayout.escape(project.title)).</p>")
        }
    }

    /// The agreement's paragraphs, with no wrapping container (as on the real sign-dua and view-dua pages).
    static func duaText(_ name: String, project: FixtureProject, version: FixtureVersion) -> String {
        """
        <p>This \(PageLayout.escape(name)) governs the use of \(PageLayout.escape(project.title)) version \(version.version).</p>
        <p>The LICENSEE will not attempt to identify any individual or institution referenced in the data, will not share
        access to the data with anyone else, and will exercise all reasonable and prudent care to avoid disclosure.</p>
        """
    }

    /// The cloud lines of a mirrored project's Files section, as the real page words them.
    static func mirrorItems(slug: String, version: String, mirrors: [String]) -> String {
        mirrors.map { mirror in
            if mirror == "aws-open" {
                return "<li>Download the files using the AWS command line tools: <pre class=\"shell-command\">aws s3 sync --no-sign-request s3://physionet-open/\(slug)/\(version)/ DESTINATION</pre></li>"
            }
            return "<li>Access the files using the Google Cloud command line tools: <pre class=\"shell-command\">gsutil -m -u YOUR_PROJECT_ID cp -r \(mirror) DESTINATION</pre></li>"
        }.joined(separator: "\n  ")
    }
}
