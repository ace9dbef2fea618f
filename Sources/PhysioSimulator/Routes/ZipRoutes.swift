/// `/content/<slug>/get-zip/<ver>/`: the whole version as a ZIP, behind the same matrix as `/files/`
/// (docs/protocol.md §16).
extension SimulatorSite {
    func zipRoute(_ request: SimulatorRequest, slug: String, version: String) -> SimulatorResponse {
        guard let (project, found) = lookup(slug, version) else { return notFound(request) }
        let decision = authorizeDownload(request, slug: slug, version: found)
        if let refusal = response(for: decision) { return refusal }
        var answer = zipResponse(request, project: project, version: found, mode: mode)
        if case .granted(let setCookie?) = decision { answer.addHeader("Set-Cookie", setCookie) }
        return answer
    }

    func zipResponse(_ request: SimulatorRequest, project: FixtureProject, version: FixtureVersion, mode: SimulatorMode) -> SimulatorResponse {
        guard let tree = tree(slug: project.slug, version: version.version) else { return notFound(request) }
        let top = ZipLayout.topFolder(project, version)
        let bytes: [UInt8]
        do {
            bytes = try zips.archive(key: "\(project.slug)/\(version.version)", revision: tree.revision) {
                try ZipLayout.build(tree: tree, topFolder: top)
            }
        } catch {
            return ErrorPages.injected(status: 500)
        }
        let name = "\(project.slugifiedTitle)-\(version.version).zip"
        // Dated by the version's last change, so a changed version's archive gets new validators even at the
        // same size.
        let file = VersionFile(path: name, size: Int64(bytes.count), modified: tree.lastChange, source: .memory(bytes))
        return StaticFileResponder(mode: mode).respond(
            to: request, file: file, revision: 0, headers: [("Content-Disposition", "attachment; filename=\(name)")])
    }
}
