import PhysioKit
import PhysioSimulator
import Testing

/// Project pages (docs/protocol.md §11): badge, access card, versions, and the Files section state per user.
@Suite("§5 project pages")
struct ProjectPageTests {
    static let credentialing = #"<li>be a <a href="/settings/credentialing/">credentialed user</a></li>"#
    static let training = #"<a href="/content/mimiciii/view-required-training/1.4/#1">CITI Data or Specimens Only Research</a>"#
    static let dua = #"<li><a href="/sign-dua/mimiciii/1.4/">sign the data use agreement</a> for the project</li>"#
    static let alert = "This is a restricted-access resource. To access the files, you must fulfill all of the following requirements:"

    @Test("/content/<slug>/ → relative 302 to the latest; unknown → 404")
    func latestRedirect() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let response = try await client.get("/content/mimiciv/")
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/content/mimiciv/3.1/")
            #expect(try await client.get("/content/no-such-project/").status == 404)
        }
    }

    @Test("header, badge, access card, versions card, not-latest markers")
    func markers() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let old = try await client.get("/content/mimiciv/3.0/").text
            #expect(old.contains(#"<span class="badge badge-danger"><i class="fas fa-lock"></i> Credentialed Access</span>"#))
            #expect(old.contains("Published: July 23, 2024. Version: 3.0"))
            #expect(old.contains(#"<a href="/content/mimiciv/">&lt;View latest version&gt;</a>"#))
            #expect(old.contains("This is <strong>not</strong> the latest version."))
            #expect(old.contains("<!-- wfdb-python: <p>Version: 3.0</p> -->"))
            #expect(old.contains(#"<li class="list-group-item"><a href="/content/mimiciv/3.1/">3.1</a> - Oct. 11, 2024</li>"#))
            #expect(old.contains(#"<strong>Data Use Agreement:</strong><br><a href="/content/mimiciv/view-dua/3.0/">PhysioNet Credentialed Health Data Use Agreement 1.5.0</a>"#))
            #expect(old.contains("<strong>Required training:</strong>"))
            let latest = try await client.get("/content/mimiciv/3.1/").text
            #expect(!latest.contains("not</strong> the latest"))
            let open = try await client.get("/content/mimiciii-demo/1.4/").text
            #expect(open.contains(#"<span class="badge badge-success"><i class="fas fa-lock-open"></i> Open Access</span>"#))
            #expect(open.contains(#"<pre class="shell-command">wget -r -N -c -np http://"#))
            #expect(open.contains(#"<a class="download" href="/files/mimiciii-demo/1.4/D_CPT.csv?download""#))
            let restricted = try await client.get("/content/restricted-demo/1.0/").text
            #expect(restricted.contains("Restricted Access</span>"))
            let review = try await client.get("/content/cr-demo/1.0/").text
            #expect(review.contains("Contributor Review</span>"))
            #expect(review.contains(#"<a href="/request-access-status/cr-demo/1.0/">submit a request to the authors</a>"#))
        }
    }

    @Test("anonymous users see every requirement")
    func anonymous() async throws {
        try await withSimulator { server throws in
            let page = try await SimClient(server).get("/content/mimiciii/1.4/")
            #expect(page.status == 200)
            #expect(page.text.contains(Self.alert))
            #expect(page.text.contains(Self.credentialing))
            #expect(page.text.contains(Self.training))
            #expect(page.text.contains(Self.dua))
            #expect(page.text.contains(#"id="nav_login""#))
        }
    }

    /// (user, password, expects credentialing item, training item, DUA item)
    static let cases: [(String, String, Bool, Bool, Bool)] = [
        ("nodua", "NoDua-Pass-1", false, false, true),
        ("expired", "Expired-Pass-1", false, true, false),
        ("pending", "Pending-Pass-1", true, true, true),
        ("uncredentialed", "Uncred-Pass-1", true, true, true),
        ("reviewing", "Review-Pass-1", false, true, false),
    ]

    @Test("only the unmet requirements are listed", arguments: cases)
    func perUser(_ user: String, _ password: String, credentialing: Bool, training: Bool, dua: Bool) async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn(user, password)
            let page = try await client.get("/content/mimiciii/1.4/")
            #expect(page.text.contains(Self.alert))
            #expect(page.text.contains(Self.credentialing) == credentialing)
            #expect(page.text.contains(Self.training) == training)
            #expect(page.text.contains(Self.dua) == dua)
            #expect(try await client.get("/content/mimiciii/1.4/subdir-that-is-not-there/").status == 403)
        }
    }

    @Test("authorised user: files section, --user in the wget line, subdirectory pages")
    func authorised() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("credentialed", "Cred-Pass-1")
            let page = try await client.get("/content/mimiciv/3.1/").text
            #expect(!page.contains(Self.alert))
            #expect(page.contains("<h5>Access the files</h5>"))
            #expect(page.contains("wget -r -N -c -np --user credentialed --ask-password http://"))
            #expect(page.contains(#"<tr class="subdir"><td><a href="hosp/#files-panel" data-dfp-dir="hosp">hosp</a>"#))
            let sub = try await client.get("/content/mimiciv/3.1/hosp/")
            #expect(sub.status == 200)
            #expect(sub.text.contains(#"<tr class="parentdir">"#))
            #expect(try await client.get("/content/mimiciv/3.1/nope/").status == 404)
            #expect(try await client.get("/content/cr-demo/1.0/").text.contains("<h5>Access the files</h5>"))
        }
    }

    @Test("deprecated and research-environment-only states")
    func gatedStates() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/content/deprecated-demo/1.0/").text.contains("The files for this project are no longer available."))
            try await client.logIn("credentialed", "Cred-Pass-1")
            #expect(try await client.get("/content/cloud-only/1.0/").text.contains(
                "This project is access restricted and the files are only available via a research environment."))
        }
    }

    @Test("status pages show each user's state (§7)")
    func statusPages() async throws {
        try await withSimulator { server throws in
            let credentialed = SimClient(server)
            try await credentialed.logIn("credentialed", "Cred-Pass-1")
            #expect(try await credentialed.get("/settings/credentialing/").text.contains(
                "Your account was successfully credentialed on Jan. 5, 2021, 3:45 p.m."))
            let agreements = try await credentialed.get("/settings/agreements/").text
            #expect(agreements.contains("<td>PhysioNet Credentialed Health Data Use Agreement 1.5.0</td><td>MIMIC-III Clinical Database (v1.4)</td>"))

            let pending = SimClient(server)
            try await pending.logIn("pending", "Pending-Pass-1")
            #expect(try await pending.get("/settings/credentialing/").text.contains("<p>Status of your application: Awaiting review.</p>"))
            #expect(try await pending.get("/settings/agreements/").text.contains("<p>No agreements found.</p>"))

            let uncredentialed = SimClient(server)
            try await uncredentialed.logIn("uncredentialed", "Uncred-Pass-1")
            #expect(try await uncredentialed.get("/settings/credentialing/").text.contains("<p>Your account is not credentialed. "))

            let reviewing = SimClient(server)
            try await reviewing.logIn("reviewing", "Review-Pass-1")
            let certification = try await reviewing.get("/settings/certification/").text
            let underReview = try #require(certification.range(of: "<h4>Under review</h4>"))
            let active = try #require(certification.range(of: "<h4>Active</h4>"))
            #expect(certification[underReview.upperBound..<active.lowerBound].contains("CITI Data or Specimens Only Research"))
            #expect(certification.contains("<h4>Rejected</h4>"))

            let expired = SimClient(server)
            try await expired.logIn("expired", "Expired-Pass-1")
            let expiredPage = try await expired.get("/settings/certification/").text
            let expiredHeading = try #require(expiredPage.range(of: "<h4>Expired</h4>"))
            #expect(expiredPage[expiredHeading.upperBound...].contains("CITI Data or Specimens Only Research"))
        }
    }

    @Test("as served (§3.10): type badge first, versions card only with several versions, malformed training link")
    func servedLayout() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("credentialed", "Cred-Pass-1")
            let single = try await client.get("/content/mimiciii/1.4/").text
            let type = try #require(single.range(of: #"<span class="badge badge-dark">Database</span>"#))
            let access = try #require(single.range(of: "Credentialed Access</span>"))
            #expect(type.upperBound < access.lowerBound)
            #expect(!single.contains(#"<h5 class="card-header">Versions</h5>"#))
            #expect(try await client.get("/content/mimiciv/3.1/").text.contains(#"<h5 class="card-header">Versions</h5>"#))
            #expect(single.contains(#"<a href="/content/mimiciii/view-required-training/1.4/#1"CITI Data or Specimens Only Research</a>"#))

            // This user has access, so the access card is the only place naming the training: the client reads it.
            let page = try ProjectPage(html: single, project: ProjectVersionRef(slug: "mimiciii", version: "1.4"))
            #expect(page.filesState == .accessible)
            #expect(page.policy == .credentialed)
            #expect(page.requiredTrainings == [RequiredTraining(id: "1", name: "CITI Data or Specimens Only Research")])
        }
    }

    @Test("status pages as served (§3.10): pending date with time and withdraw form; certification layout")
    func servedStatusPages() async throws {
        try await withSimulator { server throws in
            let pending = SimClient(server)
            try await pending.logIn("pending", "Pending-Pass-1")
            let credentialing = try await pending.get("/settings/credentialing/").text
            #expect(credentialing.contains("Withdraw Application</button>"))
            guard case .pending(let submitted, let status) = try CredentialingStatus(html: credentialing) else {
                Issue.record("expected a pending status")
                return
            }
            #expect(submitted.hasSuffix("a.m.") || submitted.hasSuffix("p.m."), "date with time: \(submitted)")
            #expect(!submitted.hasSuffix(".."))
            #expect(status == "Awaiting review")

            let reviewing = SimClient(server)
            try await reviewing.logIn("reviewing", "Review-Pass-1")
            let certification = try await reviewing.get("/settings/certification/").text
            #expect(certification.contains("<h1>Certification</h1>"))
            #expect(certification.contains("<div class=\"mb-3\">\n<h4>Active</h4>\n<ul class=\"list-group\">\n<p>N/A</p>\n</ul>"))
            let summary = try TrainingSummary(html: certification)
            #expect(summary.underReview == ["CITI Data or Specimens Only Research"])
            #expect(summary.active.isEmpty && summary.expired.isEmpty)
        }
    }
}
