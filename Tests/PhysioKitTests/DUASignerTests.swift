import Foundation
import PhysioKit
import Testing

@Suite("DUASigner")
struct DUASignerTests {
    let site = PhysioNetSite()
    let form = PageFixtures.page(user: "alice", main: """
        <h1>Sign Data Use Agreement - MIMIC-IV v3.1</h1><p>The DUA text.</p>
        <form method="POST"><input type="hidden" name="csrfmiddlewaretoken" value="DUATOKEN">
        <button class="btn btn-lg btn-success" name="agree" type="submit">I agree</button></form>
        """)

    @Test("prepare shows the form; sign posts agree= with CSRF, Origin and Referer and expects Access Granted")
    func signs() async throws {
        let fake = FakeTransport()
        fake.on(.get, "/sign-dua/mimiciv/3.1/", .init(body: form))
        fake.on(.post, "/sign-dua/mimiciv/3.1/", .init(body: PageFixtures.page(user: "alice", main: "<h1>Access Granted - MIMIC-IV v3.1</h1>")))
        let signer = DUASigner(transport: fake, site: site)
        let preparation = try await signer.prepare(slug: "mimiciv", version: "3.1")
        #expect(preparation == .readyToSign(heading: "Sign Data Use Agreement - MIMIC-IV v3.1", formToken: "DUATOKEN"))
        try await signer.sign(slug: "mimiciv", version: "3.1", formToken: "DUATOKEN")
        let post = try #require(fake.requests.last)
        #expect(post.formFields == ["csrfmiddlewaretoken": "DUATOKEN", "agree": ""])
        #expect(post.headers["Origin"] == "https://physionet.org")
        #expect(post.headers["Referer"] == "https://physionet.org/sign-dua/mimiciv/3.1/")
    }

    @Test("redirect to the project page, credentialing required, anonymous, and a failed POST")
    func otherAnswers() async throws {
        let fake = FakeTransport()
        fake.on(.get, "/sign-dua/open/1.0/", .redirect(to: "/content/open/1.0/"))
        fake.on(.get, "/sign-dua/cred/1.0/", .init(body: PageFixtures.page(user: "bob", main: "<h1>Credentialing Required</h1>")))
        fake.on(.get, "/sign-dua/anon/1.0/", .redirect(to: "/login/?next=/sign-dua/anon/1.0/"))
        fake.on(.post, "/sign-dua/down/1.0/", .init(status: 503, body: "maintenance"))
        let signer = DUASigner(transport: fake, site: site)
        #expect(try await signer.prepare(slug: "open", version: "1.0") == .nothingToSign)
        #expect(try await signer.prepare(slug: "cred", version: "1.0") == .credentialingRequired)
        await #expect(throws: PhysioError.sessionExpired(host: "physionet.org")) { try await signer.prepare(slug: "anon", version: "1.0") }
        await #expect(throws: PhysioError.unexpectedResponse(url: "https://physionet.org/sign-dua/down/1.0/", status: 503, during: "signing the data use agreement")) {
            try await signer.sign(slug: "down", version: "1.0", formToken: "t")
        }
    }

    @Test("the form as served: agreement under an <h2>, no container, an 'I do not agree' link (§3.10)")
    func servedForm() async throws {
        let served = PageFixtures.page(user: "alice", main: """
            <h1>Sign Data Use Agreement - MIMIC-IV v3.1</h1>
            <h2>PhysioNet Credentialed Health Data Use Agreement 1.5.0</h2>
            <p>The LICENSEE will not attempt to identify any individual.</p>
            <form method="POST"><input type="hidden" name="csrfmiddlewaretoken" value="DUATOKEN">
            <button class="btn btn-lg btn-success" name="agree" type="submit">I agree</button>
            <a class="btn btn-lg btn-danger" href="/content/mimiciv/3.1/" role="button">I do not agree</a></form>
            """)
        let fake = FakeTransport()
        fake.on(.get, "/sign-dua/mimiciv/3.1/", .init(body: served))
        let preparation = try await DUASigner(transport: fake, site: site).prepare(slug: "mimiciv", version: "3.1")
        #expect(preparation == .readyToSign(heading: "Sign Data Use Agreement - MIMIC-IV v3.1", formToken: "DUATOKEN"))
    }

    @Test("the view-dua text shown to the user drops the closing 'Back to <title> v<ver>' link (§3.10)")
    func agreementText() {
        let html = PageFixtures.page(user: "alice", main: """
            <h1>PhysioNet Credentialed Health Data Use Agreement 1.5.0</h1>
            <p>The LICENSEE will not attempt to identify any individual.</p>
            <p>Back to the text: &amp; more.</p>
            <p><a href="/content/mimiciv/3.1/">Back to MIMIC-IV v3.1</a></p>
            """)
        let text = AgreementText.readable(html)
        #expect(text.hasPrefix("PhysioNet Credentialed Health Data Use Agreement 1.5.0"))
        #expect(text.hasSuffix("Back to the text: & more."), "only the final link line is navigation")
        #expect(!text.contains("Back to MIMIC-IV"))
    }
}
