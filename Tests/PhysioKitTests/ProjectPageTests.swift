import Testing

@testable import PhysioKit

@Suite("ProjectPage parsing")
struct ProjectPageTests {
    let mimic = ProjectVersionRef(slug: "mimiciv", version: "3.1")
    let site = PhysioNetSite()

    @Test("credentialed project, logged in, only the DUA item left")
    func onlyDUAMissing() throws {
        let html = PageFixtures.project(user: "alice", files: PageFixtures.restrictedAlert(items: [
            PageFixtures.duaItem(slug: "mimiciv", version: "3.1"),
        ]))
        let page = try ProjectPage(html: html, project: mimic)
        #expect(page.title == "MIMIC-IV")
        #expect(page.version == "3.1")
        #expect(page.isLatest)
        #expect(page.policy == .credentialed)
        #expect(page.duaName == "PhysioNet Credentialed Health Data Use Agreement 1.5.0")
        #expect(page.requiredTrainings == [RequiredTraining(id: "3", name: "CITI Data or Specimens Only Research")])
        #expect(page.viewer == .loggedIn(username: "alice"))
        #expect(page.filesState == .restricted([.signDUA(project: mimic)]))
    }

    @Test("anonymous visitor sees every item, mapped by link target in page order")
    func anonymousAllItems() throws {
        let html = PageFixtures.project(files: PageFixtures.restrictedAlert(items: [
            PageFixtures.credentialingItem, PageFixtures.trainingItem(slug: "mimiciv", version: "3.1"),
            PageFixtures.duaItem(slug: "mimiciv", version: "3.1"),
        ]))
        let page = try ProjectPage(html: html, project: mimic)
        #expect(page.viewer == .anonymous)
        let training = RequiredTraining(id: "3", name: "CITI Data or Specimens Only Research")
        #expect(page.filesState == .restricted([.credentialing, .training([training], project: mimic), .signDUA(project: mimic)]))
    }

    @Test("items are recognised by link target even when reworded and reordered")
    func rewordedItems() throws {
        let alert = """
            <div class='alert   alert-danger' role=alert>This is a restricted-access resource.
            <ul><LI><A HREF="/request-access-status/mimiciv/3.1/">Ask the authors</A></LI>
            <li>Please <a class="x" href="/settings/credentialing/">get credentialed</a></li></ul></div>
            """
        let page = try ProjectPage(html: PageFixtures.project(badge: .contributor, files: alert), project: mimic)
        #expect(page.policy == .contributorReview)
        #expect(page.filesState == .restricted([.contributorRequest(project: mimic), .credentialing]))
    }

    @Test("a restricted project's unnamed training item links the training settings page")
    func restrictedTrainingItem() throws {
        let project = ProjectVersionRef(slug: "demo", version: "1.0")
        let html = PageFixtures.project(slug: "demo", version: "1.0", badge: .restricted, trainings: false,
            files: PageFixtures.restrictedAlert(items: [PageFixtures.restrictedTrainingItem, PageFixtures.duaItem(slug: "demo", version: "1.0")]))
        let page = try ProjectPage(html: html, project: project)
        #expect(page.policy == .restricted)
        #expect(page.filesState == .restricted([.training([], project: project), .signDUA(project: project)]))
        #expect(AccessRequirement.training([], project: project).fixURL(site: site).absoluteString == "https://physionet.org/settings/training/")
    }

    @Test("open project with files accessible, older version")
    func openAccessible() throws {
        let project = ProjectVersionRef(slug: "mimic-iv-demo", version: "2.1")
        let html = PageFixtures.project(slug: "mimic-iv-demo", version: "2.1", title: "MIMIC-IV Clinical Database Demo",
            badge: .open, latest: false, dua: nil, trainings: false,
            files: PageFixtures.accessibleFiles(slug: "mimic-iv-demo", version: "2.1", user: nil))
        let page = try ProjectPage(html: html, project: project)
        #expect(page.policy == .open)
        #expect(page.isLatest == false)
        #expect(page.duaName == nil)
        #expect(page.requiredTrainings.isEmpty)
        #expect(page.filesState == .accessible)
        #expect(page.totalUncompressedSize == 13_107_200, "12.5 MB, 1024-based as PhysioNet prints it")
    }

    @Test("the Files section's total size in bytes; none when the page states none")
    func totalSize() throws {
        #expect(ProjectPage.humanSize("512 bytes.") == 512)
        #expect(ProjectPage.humanSize("1 byte") == 1)
        #expect(ProjectPage.humanSize("4.0 KB.") == 4096)
        #expect(ProjectPage.humanSize("1.5 GB.\nAccess the files") == 1_610_612_736)
        #expect(ProjectPage.humanSize("2 TB") == 2_199_023_255_552)
        #expect(ProjectPage.humanSize("") == nil)
        #expect(ProjectPage.humanSize("large") == nil)
        #expect(ProjectPage.humanSize("12 parsecs") == nil)
        let restricted = PageFixtures.project(files: PageFixtures.restrictedAlert(items: [PageFixtures.credentialingItem]))
        #expect(try ProjectPage(html: restricted, project: mimic).totalUncompressedSize == nil)
    }

    @Test("deprecated, embargoed and research-environment states; the first marker in the Files section wins")
    func otherStates() throws {
        let deprecated = PageFixtures.project(files: "<p>The files for this version of the project (3.1) are no longer available. The latest version of this project is <a href='/content/mimiciv/3.2/'>3.2</a></p>")
        #expect(try ProjectPage(html: deprecated, project: mimic).filesState == .deprecated)

        let embargo = PageFixtures.project(files: "<p>The files in this project version are under embargo until: <strong>Jan. 5, 2026</strong>.</p><p>Check back later.</p>")
        #expect(try ProjectPage(html: embargo, project: mimic).filesState == .embargoed(until: "Jan. 5, 2026"))

        let research = PageFixtures.project(files: "<div class=\"alert alert-info\">This project is access restricted and the files are only available via a research environment.</div>")
        #expect(try ProjectPage(html: research, project: mimic).filesState == .researchEnvironmentOnly)
    }

    @Test("the deprecated wfdb comment does not supply the version; the header does")
    func versionFromHeaderNotComment() throws {
        let html = PageFixtures.project(version: "3.1", files: PageFixtures.accessibleFiles(slug: "mimiciv", version: "3.1", user: "alice"))
        #expect(try ProjectPage(html: html, project: mimic).version == "3.1")
    }

    @Test("a page without a policy badge or Files state is refused, not guessed")
    func unrecognised() {
        #expect(throws: PageParseError.self) {
            try ProjectPage(html: "<html><body><h1>Maintenance</h1></body></html>", project: mimic)
        }
        let noFiles = PageFixtures.project(files: "<p>Something else entirely.</p>")
        #expect(throws: PageParseError.self) { try ProjectPage(html: noFiles, project: mimic) }
    }

    @Test("fix URLs and explanations for each requirement")
    func fixURLs() {
        let training = AccessRequirement.training([RequiredTraining(id: "3", name: "CITI")], project: mimic)
        #expect(AccessRequirement.credentialing.fixURL(site: site).absoluteString == "https://physionet.org/settings/credentialing/")
        #expect(training.fixURL(site: site).absoluteString == "https://physionet.org/content/mimiciv/view-required-training/3.1/#3")
        #expect(AccessRequirement.signDUA(project: mimic).fixURL(site: site).absoluteString == "https://physionet.org/sign-dua/mimiciv/3.1/")
        #expect(AccessRequirement.contributorRequest(project: mimic).fixURL(site: site).absoluteString
            == "https://physionet.org/request-access-status/mimiciv/3.1/")
        let someone = AccessReport.Account(username: "alice")
        #expect(training.explanation(site: site, account: someone).contains("CITI"))
        #expect(AccessRequirement.signDUA(project: mimic).explanation(site: site, account: someone).contains("physio sign-dua mimiciv@3.1"))
        #expect(AccessRequirement.signDUA(project: mimic).explanation(site: site, account: nil).contains("physio sign-dua mimiciv@3.1"))
    }

    @Test("page as served: type badge first, no versions card, training link missing its '>' (§3.10)")
    func servedLayout() throws {
        // Authorised: the access card is the only place naming the training, so its malformed link must be read.
        let html = PageFixtures.projectAsServed(
            user: "alice", files: PageFixtures.accessibleFiles(slug: "mimiciv", version: "3.1", user: "alice"))
        let page = try ProjectPage(html: html, project: mimic)
        #expect(page.policy == .credentialed)
        #expect(page.requiredTrainings == [RequiredTraining(id: "1", name: "CITI Data or Specimens Only Research")])
        #expect(page.duaName == "PhysioNet Credentialed Health Data Use Agreement 1.5.0")
        #expect(page.isLatest)
        #expect(page.filesState == .accessible)
    }
}
