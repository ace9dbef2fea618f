import Foundation
import PhysioKit

/// The pieces of a project page clients parse: badge, access card, versions card, restricted-access alert,
/// file table (docs/protocol.md §8, §11).
enum ProjectPageSections {
    static func badge(_ policy: FixtureVersion.AccessPolicy) -> String {
        switch policy {
        case .open: return #"<span class="badge badge-success"><i class="fas fa-lock-open"></i> Open Access</span>"#
        case .restricted: return #"<span class="badge badge-warning"><i class="fas fa-unlock-alt"></i> Restricted Access</span>"#
        case .credentialed: return #"<span class="badge badge-danger"><i class="fas fa-lock"></i> Credentialed Access</span>"#
        case .contributorReview: return #"<span class="badge badge-danger"><i class="fas fa-lock"></i> Contributor Review</span>"#
        }
    }

    /// The resource type (`Database`, `Software`, …) stands as a badge before the access badge (docs/protocol.md §11).
    static func resourceTypeBadge(_ type: String) -> String {
        "<span class=\"badge badge-dark\">\(PageLayout.escape(type))</span>"
    }

    static func accessCard(slug: String, version: FixtureVersion) -> String {
        let policyText: String
        switch version.access {
        case .open: policyText = "Anyone can access the files, as long as they conform to the terms of the specified license."
        case .restricted: policyText = "Only registered users who sign the specified data use agreement can access the files."
        case .credentialed: policyText = "Only credentialed users who sign the DUA can access the files."
        case .contributorReview:
            policyText = "Only credentialed users who sign the DUA can access the files. In addition, users must have individual studies reviewed by the contributor."
        }
        var card = """
            <div class="card"><div class="card-body">
            <p><strong>Access Policy:</strong><br>\n\(policyText)</p>
            <p><strong>License (for files):</strong><br>\n<a href="/content/\(slug)/view-license/\(version.version)/">\(PageLayout.escape(version.license))</a></p>

            """
        if let dua = version.dua {
            card += """
                <p><strong>Data Use Agreement:</strong><br><a href="/content/\(slug)/view-dua/\(version.version)/">\(PageLayout.escape(dua))</a></p>

                """
        }
        if (version.access == .credentialed || version.access == .contributorReview) && !version.requiredTrainings.isEmpty {
            card += "<p><strong>Required training:</strong><br>\n"
            for training in version.requiredTrainings {
                // Malformed exactly as on the real site: the start tag lacks its `>`, so the name runs on from the
                // closing quote of `href` (docs/protocol.md §11). Clients must read it leniently.
                card += "<a href=\"/content/\(slug)/view-required-training/\(version.version)/#\(training.id)\"\(PageLayout.escape(training.name))</a>\n"
            }
            card += "</p>\n"
        }
        return card + "</div></div>\n"
    }

    static func versionsCard(project: FixtureProject) -> String {
        let items = project.versions.sorted { DatasetSlug.isVersion($1.version, newerThan: $0.version) }.map { version in
            "<li class=\"list-group-item\"><a href=\"/content/\(project.slug)/\(version.version)/\">\(version.version)</a> - \(SimulatorDates.longDay(version.publishedDate))</li>"
        }
        return "<div class=\"card\"><h5 class=\"card-header\">Versions</h5>\n<ul class=\"list-group list-group-flush\">\n"
            + items.joined(separator: "\n") + "\n</ul></div>\n"
    }

    /// The restricted-access alert with one `<li>` per unmet requirement (docs/protocol.md §11).
    static func restrictedAlert(slug: String, version: String, unmet: [UnmetRequirement]) -> String {
        var items: [String] = []
        for requirement in unmet {
            switch requirement {
            case .credentialing:
                items.append(#"<li>be a <a href="/settings/credentialing/">credentialed user</a></li>"#)
            case .training(let trainings):
                let links = trainings.map {
                    "<li><a href=\"/content/\(slug)/view-required-training/\(version)/#\($0.id)\">\(PageLayout.escape($0.name))</a></li>"
                }.joined(separator: "\n      ")
                items.append("""
                    <li>complete required training:</li>
                          <ul>\(links)
                          You may submit your training <a href="/settings/training/">here</a>.</ul>
                    """)
            case .restrictedTraining:
                items.append(#"<li>finish required <a href="/settings/training/">training</a></li>"#)
            case .dataUseAgreement:
                items.append("<li><a href=\"/sign-dua/\(slug)/\(version)/\">sign the data use agreement</a> for the project</li>")
            case .contributorRequest:
                items.append("<li><a href=\"/request-access-status/\(slug)/\(version)/\">submit a request to the authors</a> to use the data for your project</li>")
            }
        }
        return """
            <div class="alert alert-danger col-md-8" role="alert">
              This is a restricted-access resource. To access the files, you must fulfill all of the following requirements:
              <ul>
                \(items.joined(separator: "\n    "))
              </ul>
            </div>

            """
    }

    /// The file table of a directory (docs/protocol.md §8): rounded sizes and local dates, unusable for verification.
    static func fileTable(slug: String, version: String, directory: String, tree: VersionFileTree) -> String {
        let (subdirectories, files) = tree.children(of: directory)
        var rows: [String] = []
        let prefix = directory.isEmpty ? "" : directory + "/"
        if !directory.isEmpty {
            rows.append(#"<tr class="parentdir"><td colspan="3"><a href="../#files-panel">Parent Directory</a></td></tr>"#)
        }
        for name in subdirectories {
            rows.append("<tr class=\"subdir\"><td><a href=\"\(escapeHref(name))/#files-panel\" data-dfp-dir=\"\(PageLayout.escape(prefix + name))\">\(PageLayout.escape(name))</a></td><td></td><td></td></tr>")
        }
        for file in files {
            let href = "/files/\(slug)/\(version)/\(escapeHref(prefix + file.name))"
            rows.append("""
                <tr><td><a href="\(escapeHref(file.name))">\(PageLayout.escape(file.name))</a>
                    <a class="download" href="\(href)?download" title="Download \(PageLayout.escape(file.name))"><i class="fa fa-download"></i></a></td>
                  <td>\(humanSize(file.size))</td><td>\(SimulatorDates.isoDay(file.modified))</td></tr>
                """)
        }
        return "<table class=\"files-panel table table-sm\">\n<thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead>\n<tbody>\n"
            + rows.joined(separator: "\n") + "\n</tbody>\n</table>\n"
    }

    /// Django's `filesizeformat`, 1024-based with one decimal.
    static func humanSize(_ bytes: Int64) -> String {
        if bytes < 1024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f", value) + " " + units[unit]
    }

    static func escapeHref(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
