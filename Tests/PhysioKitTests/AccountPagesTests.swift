import Testing

@testable import PhysioKit

@Suite("Account page parsing: credentialing, certification, agreements")
struct AccountPagesTests {
    @Test("credentialed, pending and not-credentialed pages")
    func credentialing() throws {
        #expect(try CredentialingStatus(html: PageFixtures.credentialed) == .credentialed(since: "Jan. 5, 2021, 3:45 p.m."))
        #expect(try CredentialingStatus(html: PageFixtures.pending)
            == .pending(submittedOn: "March 3, 2024", reviewStatus: "Awaiting a response from reference"))
        #expect(try CredentialingStatus(html: PageFixtures.notCredentialed) == .notCredentialed)
        #expect(try CredentialingStatus(html: PageFixtures.credentialed).isCredentialed)
        #expect(try !CredentialingStatus(html: PageFixtures.pending).isCredentialed)
    }

    @Test("the login form (an expired session) is not mistaken for a credentialing status")
    func credentialingUnrecognised() {
        #expect(throws: PageParseError.self) { try CredentialingStatus(html: PageFixtures.loginForm) }
    }

    @Test("certification groups, with N/A meaning empty")
    func certification() throws {
        let html = PageFixtures.certification(
            underReview: ["Other Training"], active: ["CITI Data or Specimens Only Research"], rejected: ["Old Course", "Bad Upload"])
        let summary = try TrainingSummary(html: html)
        #expect(summary.underReview == ["Other Training"])
        #expect(summary.active == ["CITI Data or Specimens Only Research"])
        #expect(summary.expired == [])
        #expect(summary.rejected == ["Old Course", "Bad Upload"])
        #expect(summary.isActive("citi data or  specimens only research"))
        #expect(!summary.isActive("Old Course"))
    }

    @Test("all groups N/A")
    func certificationEmpty() throws {
        #expect(try TrainingSummary(html: PageFixtures.certification()) == TrainingSummary())
        #expect(throws: PageParseError.self) { try TrainingSummary(html: PageFixtures.loginForm) }
    }

    @Test("signed agreements: rows, title and version matching")
    func agreements() throws {
        let html = PageFixtures.agreements([
            ("Oct. 12, 2024", "PhysioNet Credentialed Health Data Use Agreement 1.5.0", "MIMIC-IV (v3.1)"),
            ("Jan. 2, 2023", "PhysioNet Restricted Health Data Use Agreement 1.5.0", "Some (Parenthesised) Title (v1.0)"),
        ])
        let signed = try SignedAgreements(html: html)
        #expect(signed.agreements.count == 2)
        #expect(signed.agreements[0] == .init(signedOn: "Oct. 12, 2024",
            duaName: "PhysioNet Credentialed Health Data Use Agreement 1.5.0", projectTitle: "MIMIC-IV", version: "3.1"))
        #expect(signed.isSigned(title: "MIMIC-IV", version: "3.1"))
        #expect(!signed.isSigned(title: "MIMIC-IV", version: "3.0"), "a signature covers only its own version")
        #expect(signed.isSigned(title: "Some (Parenthesised) Title", version: "1.0"))
    }

    @Test("no agreements, and a page that is not the agreements page")
    func agreementsEmpty() throws {
        #expect(try SignedAgreements(html: PageFixtures.agreements([])).agreements.isEmpty)
        #expect(throws: PageParseError.self) { try SignedAgreements(html: PageFixtures.loginForm) }
    }

    @Test("pending page as served: date with time, withdraw form (§3.10)")
    func pendingAsServed() throws {
        #expect(try CredentialingStatus(html: PageFixtures.pendingAsServed)
            == .pending(submittedOn: "March 3, 2024, 10:15 a.m.", reviewStatus: "Awaiting review"))
    }

    @Test("certification page as served: div.mb-3 groups, N/A inside <ul>, footer lists ignored (§3.10)")
    func certificationAsServed() throws {
        let summary = try TrainingSummary(html: PageFixtures.certificationAsServed(
            active: ["CITI Data or Specimens Only Research"], rejected: []))
        #expect(summary == TrainingSummary(active: ["CITI Data or Specimens Only Research"]))
        #expect(try TrainingSummary(html: PageFixtures.certificationAsServed()) == TrainingSummary())
        let rejected = try TrainingSummary(html: PageFixtures.certificationAsServed(rejected: ["Old Course"]))
        #expect(rejected.rejected == ["Old Course"])
    }
}
