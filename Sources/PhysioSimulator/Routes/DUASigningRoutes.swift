/// `/sign-dua/<slug>/<ver>/` exactly as docs/protocol.md §12 describes, including the duplicate-signature pitfall.
extension SimulatorSite {
    func signDUARoute(_ request: SimulatorRequest, slug: String, version: String) -> SimulatorResponse {
        guard let (project, found) = lookup(slug, version) else { return notFound(request) }
        guard let user = loggedInUser(request) else { return loginRedirect(request) }
        let evaluator = evaluator(for: user)
        let projectPage = "/content/\(slug)/\(version)/"
        let signable = found.access == .restricted || found.access == .credentialed
        if found.deprecated || !signable || evaluator.meetsRequirements(slug: slug, version: found) {
            return .redirect(302, to: projectPage)
        }
        if found.access == .credentialed && !user.isCredentialed {
            let content = """
                <h1>Credentialing Required</h1>
                <p>In order to access a restricted-access resource, you must first be a <a href="/settings/credentialing/">credentialed user</a>.</p>
                """
            return page(title: "Credentialing Required", user: user, content: content)
        }
        let title = "\(project.title) v\(version)"
        if request.method == "POST" {
            if CSRFProtection.rejection(for: request, trustedOrigin: faults.plan.trustedOrigin) != nil {
                return ErrorPages.csrfFailure(user: user)
            }
            guard request.formFields["agree"] != nil else { return signForm(request, user: user, project: project, version: found) }
            // Every POST stores a signature, duplicates included, as the real server does.
            agreements.sign(username: user.username, slug: slug, version: version)
            let content = """
                <h1>Access Granted - \(PageLayout.escape(title))</h1>
                <p>Thank you for signing the data use agreement for \(PageLayout.escape(title)). You are now approved to access its files.</p>
                <p><a href="\(projectPage)">Return to the project page</a></p>
                """
            return page(title: "Access Granted", user: user, content: content)
        }
        return signForm(request, user: user, project: project, version: found)
    }

    private func signForm(_ request: SimulatorRequest, user: FixtureUser, project: FixtureProject, version: FixtureVersion) -> SimulatorResponse {
        let existing = request.cookies[CSRFProtection.cookieName].flatMap { CSRFProtection.unmask($0) }
        let secret = existing ?? CSRFProtection.newSecret()
        // The agreement's name as an <h2>, its text straight after, no container; then the form (docs/protocol.md §12).
        let dua = version.dua ?? "Data Use Agreement"
        let content = """
            <h1>Sign Data Use Agreement - \(PageLayout.escape(project.title)) v\(version.version)</h1>
            <h2>\(PageLayout.escape(dua))</h2>
            \(Self.duaText(dua, project: project, version: version))
            <form method="POST">
              <input type="hidden" name="csrfmiddlewaretoken" value="\(CSRFProtection.mask(secret))">
              <button class="btn btn-lg btn-success" name="agree" type="submit">I agree</button>
              <a class="btn btn-lg btn-danger" href="/content/\(project.slug)/\(version.version)/" role="button">I do not agree</a>
            </form>
            """
        var response = page(title: "Sign Data Use Agreement", user: user, content: content)
        if existing == nil {
            response.addHeader("Set-Cookie", "\(CSRFProtection.cookieName)=\(secret); \(CSRFProtection.cookieAttributes)")
        }
        return response
    }

    /// Contributor-review requests of the logged-in user for one version.
    func requestAccessStatusPage(_ request: SimulatorRequest, slug: String, version: String) -> SimulatorResponse {
        guard let user = loggedInUser(request) else { return loginRedirect(request) }
        guard let (project, _) = lookup(slug, version) else { return notFound(request) }
        let rows = user.accessRequests.filter { $0.slug == slug && $0.version == version }.map {
            "<tr><td>\($0.status.rawValue.capitalized)</td><td>\($0.expires ?? "-")</td></tr>"
        }
        let body = rows.isEmpty
            ? "<p>You have not submitted any access requests for this project.</p>"
            : "<table class=\"table\"><tr><th>Status</th><th>Expires</th></tr>\n\(rows.joined(separator: "\n"))\n</table>"
        return page(
            title: "Access requests", user: user,
            content: "<h1>Access Requests - \(PageLayout.escape(project.title)) v\(version)</h1>\n\(body)")
    }
}
