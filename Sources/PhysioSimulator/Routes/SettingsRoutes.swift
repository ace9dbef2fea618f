import Foundation

/// Login-required status pages (docs/protocol.md §13): credentialing, training status and form, signed agreements.
extension SimulatorSite {
    func credentialingPage(user: FixtureUser) -> SimulatorResponse {
        let status: String
        let credentialing = user.credentialing
        let date = credentialing.date.flatMap { SimulatorDates.parse($0) }
        switch credentialing.status {
        case .credentialed:
            status = "<p><i class=\"fas fa-check\" style=\"color:green\"></i> Your account was successfully credentialed on \(date.map { SimulatorDates.longDateTime($0) } ?? "")</p>"
        case .pending:
            status = """
                <p><b>Your credentialing application was submitted on \(date.map { SimulatorDates.longDateTime($0) } ?? "")</b>.</p>
                <p>Status of your application: \(PageLayout.escape(credentialing.reviewStatus ?? "Awaiting review")).</p>
                <p>We aim to reach a decision within one week. Please check back later.</p>
                <form action="/settings/credentialing/" method="post">
                  <input type="hidden" name="csrfmiddlewaretoken" value="\(CSRFProtection.mask(CSRFProtection.newSecret()))">
                  <button class="btn btn-danger" name="withdraw_credentialing" type="submit">Withdraw Application</button>
                </form>
                """
        case .notCredentialed:
            status = "<p>Your account is not credentialed. You may <a href=\"/credential-application/\">apply for access</a>.</p>"
        }
        let content = """
            <h1>Credentialing</h1>
            <div class="alert alert-warning">
            \(status)
            </div>
            <p><a href="/settings/credentialing/applications/">View my applications</a></p>
            """
        return page(title: "Credentialing", user: user, content: content)
    }

    func certificationPage(user: FixtureUser) -> SimulatorResponse {
        let now = Date()
        let visible = user.trainings.filter { $0.status != .withdrawn }
        let groups: [(String, [FixtureUser.Training])] = [
            ("Under review", visible.filter { $0.status == .review }),
            ("Active", visible.filter { $0.isValid(at: now) }),
            ("Expired", visible.filter { $0.isExpired(at: now) }),
            ("Rejected", visible.filter { $0.status == .rejected }),
        ]
        // As on the real page: each group in a `div.mb-3`, and an empty group's `<ul>` holding `<p>N/A</p>`
        // (docs/protocol.md §13).
        var content = "<h1>Certification</h1>\n"
        for (heading, trainings) in groups {
            content += "<div class=\"mb-3\">\n<h4>\(heading)</h4>\n<ul class=\"list-group\">\n"
            if trainings.isEmpty { content += "<p>N/A</p>\n" }
            for training in trainings {
                content += "<li class=\"list-group-item d-flex justify-content-between align-items-center\"><div>\(PageLayout.escape(training.typeName)) </div> <a href=\"/settings/training/\(training.id)/\" class=\"btn btn-sm btn-primary\" role=\"button\">View</a></li>\n"
            }
            content += "</ul>\n</div>\n"
        }
        return page(title: "Certification", user: user, content: content)
    }

    func trainingPage(user: FixtureUser) -> SimulatorResponse {
        let now = Date()
        var warnings = ""
        for training in user.trainings where training.isValid(at: now) {
            guard let expiry = training.expiry else { continue }
            let days = Int(expiry.timeIntervalSince(now) / 86400)
            if days <= 30 {
                warnings += "<div class=\"alert alert-warning\">Your \(PageLayout.escape(training.typeName)) training will expire in \(days) days.</div>\n"
            }
        }
        let content = """
            <h1>Training</h1>
            \(warnings)<form method="post" enctype="multipart/form-data" action="/settings/training/">
              <select name="training_type" id="id_training_type"><option value="1">CITI Data or Specimens Only Research</option></select>
              <input type="file" name="completion_report" id="id_completion_report">
              <button class="btn btn-primary" type="submit">Submit</button>
            </form>
            """
        return page(title: "Training", user: user, content: content)
    }

    func trainingDetailPage(_ request: SimulatorRequest, user: FixtureUser, id: String) -> SimulatorResponse {
        guard let number = Int(id), let training = user.trainings.first(where: { $0.id == number }) else { return notFound(request) }
        let submitted = SimulatorDates.parse(training.processed).map { SimulatorDates.longDay($0) } ?? training.processed
        var content = """
            <h4>\(PageLayout.escape(training.typeName)) Training</h4>
            <p>Submitted: \(submitted)</p>
            <p>Status: \(training.status.rawValue)</p>
            """
        if training.status == .rejected {
            content += "\n<p>Reviewer comments: \(PageLayout.escape(training.reviewerComments ?? "The completion report could not be verified."))</p>"
        }
        return page(title: "Training", user: user, content: content)
    }

    func agreementsPage(user: FixtureUser) -> SimulatorResponse {
        let all = user.signedAgreements + agreements.signatures(of: user.username)
        var content = "<h2>Data Use Agreements</h2>\n"
        if all.isEmpty {
            content += "<p>No agreements found.</p>\n"
        } else {
            content += "<p>You have signed the following Data Use Agreements:</p> <table class=\"table\">\n"
            for (index, signature) in all.enumerated() {
                guard let (project, version) = lookup(signature.slug, signature.version) else { continue }
                let date = SimulatorDates.parse(signature.date).map { SimulatorDates.longDay($0) } ?? signature.date
                content += "<tr><td>\(date)</td><td>\(PageLayout.escape(version.dua ?? ""))</td><td>\(PageLayout.escape(project.title)) (v\(version.version))</td><td><a href=\"/settings/agreements/\(index + 1)/\" class=\"btn btn-sm btn-primary\">View</a></td></tr>\n"
            }
            content += "</table>\n"
        }
        return page(title: "Data Use Agreements", user: user, content: content)
    }
}
