import Foundation
import PhysioKit
import Testing

@Suite("AccessChecker and AccessReport")
struct AccessCheckerTests {
    let site = PhysioNetSite()
    let mimic = ProjectVersionRef(slug: "mimiciv", version: "3.1")

    func transport(projectPage: String, loggedIn: Bool, agreements: String? = nil) -> FakeTransport {
        let transport = FakeTransport()
        transport.on(.get, "/content/mimiciv/3.1/", .init(body: projectPage))
        if loggedIn {
            transport.on(.get, "/settings/credentialing/", .init(body: PageFixtures.credentialed))
            transport.on(.get, "/settings/certification/", .init(body: PageFixtures.certification(active: ["CITI Data or Specimens Only Research"])))
            transport.on(.get, "/settings/agreements/", .init(body: agreements ?? PageFixtures.agreements([])))
        }
        return transport
    }

    @Test("anonymous on a credentialed project: needs login, every requirement, no account section")
    func anonymous() async throws {
        let page = PageFixtures.project(files: PageFixtures.restrictedAlert(items: [
            PageFixtures.credentialingItem, PageFixtures.trainingItem(slug: "mimiciv", version: "3.1"), PageFixtures.duaItem(slug: "mimiciv", version: "3.1"),
        ]))
        let fake = transport(projectPage: page, loggedIn: false)
        let report = try await AccessChecker(transport: fake, site: site).check(slug: "mimiciv", version: "3.1")
        #expect(report.needsLogin)
        #expect(!report.hasAccess)
        #expect(report.loggedInAs == nil)
        #expect(report.account == nil)
        #expect(report.duaSigned == nil, "an anonymous page cannot tell whether the DUA is signed")
        #expect(report.unmetRequirements.map(\.kind) == ["credentialing", "training", "signDUA"])
        #expect(report.unmetRequirements[1].trainings == ["CITI Data or Specimens Only Research"])
        #expect(report.blockingError == .loginRequired(slug: "mimiciv", version: "3.1"))
        #expect(report.blockingError?.exitCode == .notLoggedIn)
        #expect(fake.requests.count == 1, "no account pages fetched when anonymous")
    }

    @Test("logged in, only the DUA missing: duaSigned false, fix URL is the sign page, account summary present")
    func onlyDUA() async throws {
        let page = PageFixtures.project(user: "alice", files: PageFixtures.restrictedAlert(items: [PageFixtures.duaItem(slug: "mimiciv", version: "3.1")]))
        let report = try await AccessChecker(transport: transport(projectPage: page, loggedIn: true), site: site)
            .check(slug: "mimiciv", version: "3.1", expectedUsername: "alice")
        #expect(report.loggedInAs == "alice")
        #expect(!report.needsLogin)
        #expect(!report.sessionExpired)
        #expect(report.duaSigned == false)
        #expect(report.unmetRequirements.map(\.fixURL) == ["https://physionet.org/sign-dua/mimiciv/3.1/"])
        #expect(report.account?.credentialing?.status == "credentialed")
        #expect(report.account?.trainings?.active == ["CITI Data or Specimens Only Research"])
        #expect(report.requirements == [.signDUA(project: mimic)])
        #expect(report.blockingError == .accessRequirementsMissing(slug: "mimiciv", version: "3.1", requirements: [.signDUA(project: mimic)]))
        #expect(report.blockingError?.exitCode == .accessDenied)
    }

    @Test("the commands a report names carry the run's options for its server, quoted for the shell")
    func commandsReachTheSameServer() async throws {
        let server = ServerArguments(["--base-url", "http://127.0.0.1:8080", "--cacert", "/etc/my ca.pem"])
        let words = "--base-url http://127.0.0.1:8080 --cacert '/etc/my ca.pem'"
        let duaOnly = PageFixtures.project(user: "alice", files: PageFixtures.restrictedAlert(items: [PageFixtures.duaItem(slug: "mimiciv", version: "3.1")]))
        let refused = try await AccessChecker(transport: transport(projectPage: duaOnly, loggedIn: true), site: site, server: server)
            .check(slug: "mimiciv", version: "3.1", expectedUsername: "alice")
        #expect(refused.unmetRequirements.first?.explanation.contains("`physio sign-dua mimiciv@3.1 \(words)`") == true,
                "\(refused.unmetRequirements)")
        #expect(refused.blockingError?.message.contains("`physio status mimiciv@3.1 \(words)`") == true, "\(String(describing: refused.blockingError))")

        let anonymousPage = PageFixtures.project(files: PageFixtures.restrictedAlert(items: [PageFixtures.duaItem(slug: "mimiciv", version: "3.1")]))
        let anonymous = try await AccessChecker(transport: transport(projectPage: anonymousPage, loggedIn: false), site: site, server: server)
            .check(slug: "mimiciv", version: "3.1")
        #expect(anonymous.unmetRequirements.first?.explanation.contains("`physio sign-dua mimiciv@3.1 \(words)`") == true)
        #expect(anonymous.blockingError?.message.contains("`physio login \(words)`") == true, "\(String(describing: anonymous.blockingError))")

        // Without options (the default server, or PHYSIO_BASE_URL in the environment) the commands stay bare.
        let bare = try await AccessChecker(transport: transport(projectPage: duaOnly, loggedIn: true), site: site).check(slug: "mimiciv", version: "3.1")
        #expect(bare.unmetRequirements.first?.explanation.contains("`physio sign-dua mimiciv@3.1`") == true)
    }

    @Test("logged in, training missing but DUA signed")
    func trainingOnly() async throws {
        let page = PageFixtures.project(user: "alice", files: PageFixtures.restrictedAlert(items: [PageFixtures.trainingItem(slug: "mimiciv", version: "3.1")]))
        let report = try await AccessChecker(transport: transport(projectPage: page, loggedIn: true), site: site).check(slug: "mimiciv", version: "3.1")
        #expect(report.duaSigned == true)
        #expect(report.unmetRequirements.map(\.kind) == ["training"])
        #expect(report.unmetRequirements[0].fixURL == "https://physionet.org/content/mimiciv/view-required-training/3.1/#3")
    }

    @Test("accessible: access, DUA signed, no blocking error; account pages can be skipped")
    func accessible() async throws {
        let page = PageFixtures.project(user: "alice", files: PageFixtures.accessibleFiles(slug: "mimiciv", version: "3.1", user: "alice"))
        let fake = transport(projectPage: page, loggedIn: true)
        let report = try await AccessChecker(transport: fake, site: site).check(slug: "mimiciv", version: "3.1", includeAccountDetails: false)
        #expect(report.hasAccess)
        #expect(report.duaSigned == true)
        #expect(report.unmetRequirements.isEmpty)
        #expect(report.blockingError == nil)
        #expect(fake.requests.count == 1)
    }

    @Test("embargoed page: DUA state comes from the agreements page")
    func embargoUsesAgreements() async throws {
        let page = PageFixtures.project(user: "alice", files: "<p>The files in this project version are under embargo until: Jan. 5, 2026.</p>")
        let agreements = PageFixtures.agreements([("Oct. 1, 2024", "DUA", "MIMIC-IV (v3.1)")])
        let report = try await AccessChecker(transport: transport(projectPage: page, loggedIn: true, agreements: agreements), site: site)
            .check(slug: "mimiciv", version: "3.1")
        #expect(report.filesState == .embargoed)
        #expect(report.embargoedUntil == "Jan. 5, 2026")
        #expect(report.duaSigned == true)
        #expect(report.blockingError == .filesUnavailable(slug: "mimiciv", version: "3.1", reason: "they are under embargo until Jan. 5, 2026"))
    }

    @Test("a stored session that the page does not reflect is reported as expired")
    func sessionExpired() async throws {
        let page = PageFixtures.project(files: PageFixtures.restrictedAlert(items: [PageFixtures.duaItem(slug: "mimiciv", version: "3.1")]))
        let report = try await AccessChecker(transport: transport(projectPage: page, loggedIn: false), site: site)
            .check(slug: "mimiciv", version: "3.1", expectedUsername: "alice")
        #expect(report.sessionExpired)
        #expect(report.blockingError == .sessionExpired(host: "physionet.org"))
    }

    @Test("open project: no login needed, no DUA question")
    func openProject() async throws {
        let page = PageFixtures.project(badge: .open, dua: nil, trainings: false, files: PageFixtures.accessibleFiles(slug: "mimiciv", version: "3.1", user: nil))
        let report = try await AccessChecker(transport: transport(projectPage: page, loggedIn: false), site: site).check(slug: "mimiciv", version: "3.1")
        #expect(report.policy == .open)
        #expect(!report.needsLogin)
        #expect(report.hasAccess)
        #expect(report.duaSigned == nil)
    }

    @Test("unknown project and unrecognised page")
    func failures() async throws {
        let fake = FakeTransport()
        fake.on(.get, "/content/nope/1.0/", .init(status: 404, body: "Not Found"))
        fake.on(.get, "/content/odd/1.0/", .init(body: "<html>maintenance</html>"))
        let checker = AccessChecker(transport: fake, site: site)
        await #expect(throws: PhysioError.projectNotFound(slug: "nope", version: "1.0")) { try await checker.check(slug: "nope", version: "1.0") }
        await #expect(throws: PhysioError.unrecognisedPage(url: "https://physionet.org/content/odd/1.0/", expected: "access policy badge")) {
            try await checker.check(slug: "odd", version: "1.0")
        }
    }

    @Test("JSON has stable keys and no secrets")
    func json() async throws {
        let page = PageFixtures.project(user: "alice", files: PageFixtures.restrictedAlert(items: [PageFixtures.duaItem(slug: "mimiciv", version: "3.1")]))
        let report = try await AccessChecker(transport: transport(projectPage: page, loggedIn: true), site: site).check(slug: "mimiciv", version: "3.1")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["slug", "version", "title", "projectURL", "isLatestVersion", "policy", "duaName",
            "requiredTrainings", "filesState", "loggedInAs", "needsLogin", "sessionExpired", "hasAccess", "duaSigned",
            "unmetRequirements", "account", "warnings", "mirrors"])
        #expect(object["policy"] as? String == "credentialed")
        let decoded = try JSONDecoder().decode(AccessReport.self, from: data)
        #expect(decoded.unmetRequirements == report.unmetRequirements)
        #expect(!String(decoding: data, as: UTF8.self).contains("sessionid"))
    }
}
