import PhysioKit
import PhysioSimulator
import Testing

/// `/sign-dua/<slug>/<ver>/` (docs/protocol.md §12).
@Suite("§6 DUA signing")
struct DUASigningTests {
    @Test("form → POST agree → Access Granted → files open; duplicates are stored")
    func signingFlow() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("nodua", "NoDua-Pass-1")
            #expect(try await client.get("/files/mimiciii/1.4/LICENSE.txt").status == 403)
            let form = try await client.get("/sign-dua/mimiciii/1.4/")
            #expect(form.status == 200)
            #expect(form.text.contains("<h1>Sign Data Use Agreement - MIMIC-III Clinical Database v1.4</h1>"))
            #expect(form.text.contains(#"<button class="btn btn-lg btn-success" name="agree" type="submit">I agree</button>"#))
            let token = try #require(SimClient.csrfToken(in: form.text))
            let signed = try await client.post("/sign-dua/mimiciii/1.4/", fields: [("csrfmiddlewaretoken", token), ("agree", "")])
            #expect(signed.status == 200)
            #expect(signed.text.contains("<h1>Access Granted - MIMIC-III Clinical Database v1.4</h1>"))
            #expect(signed.text.contains("You are now approved to access its files."))
            #expect(try await client.get("/files/mimiciii/1.4/LICENSE.txt").status == 200)
            #expect(!(try await client.get("/content/mimiciii/1.4/").text.contains("/sign-dua/mimiciii/1.4/")))
            // Full access now: the form is gone.
            let again = try await client.get("/sign-dua/mimiciii/1.4/")
            #expect(again.status == 302)
            #expect(again.headers["Location"] == "/content/mimiciii/1.4/")
        }
    }

    @Test("signed but another requirement unmet: form still shown, each POST stores another signature")
    func duplicates() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("expired", "Expired-Pass-1")
            for _ in 0..<2 {
                let token = try #require(SimClient.csrfToken(in: try await client.get("/sign-dua/mimiciii/1.4/").text))
                #expect(try await client.post("/sign-dua/mimiciii/1.4/", fields: [("csrfmiddlewaretoken", token), ("agree", "")]).status == 200)
            }
            let agreements = try await client.get("/settings/agreements/").text
            #expect(agreements.components(separatedBy: "MIMIC-III Clinical Database (v1.4)").count - 1 == 3)
            #expect(try await client.get("/files/mimiciii/1.4/LICENSE.txt").status == 403)
        }
    }

    @Test("not credentialed → Credentialing Required; OPEN/CONTRIBUTOR_REVIEW → 302; POST without CSRF → 403")
    func refusals() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("uncredentialed", "Uncred-Pass-1")
            let page = try await client.get("/sign-dua/mimiciii/1.4/")
            #expect(page.text.contains("<h1>Credentialing Required</h1>"))
            #expect(try await client.get("/sign-dua/mimiciii-demo/1.4/").status == 302)
            #expect(try await client.get("/sign-dua/cr-demo/1.0/").status == 302)
            let restricted = try await client.get("/sign-dua/restricted-demo/1.0/")
            #expect(restricted.status == 200)
            #expect(try await client.post("/sign-dua/restricted-demo/1.0/", fields: [("agree", "")]).status == 403)
        }
    }

    @Test("as served (§3.10): agreement under an <h2>, no container, 'I do not agree'; view-dua ends with 'Back to'")
    func servedLayout() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("nodua", "NoDua-Pass-1")
            let form = try await client.get("/sign-dua/mimiciii/1.4/").text
            #expect(form.contains("</h1>\n<h2>PhysioNet Credentialed Health Data Use Agreement 1.5.0</h2>\n<p>This "))
            #expect(!form.contains("dua-text"))
            #expect(form.contains(#"href="/content/mimiciii/1.4/" role="button">I do not agree</a>"#))
            let preparation = try await DUASigner(transport: client.transport, site: try PhysioNetSite.validate(baseURL: server.baseURL))
                .prepare(slug: "mimiciii", version: "1.4")
            guard case .readyToSign(let heading, _) = preparation else {
                Issue.record("expected the form, got \(preparation)")
                return
            }
            #expect(heading == "Sign Data Use Agreement - MIMIC-III Clinical Database v1.4")

            let view = try await client.get("/content/mimiciii/view-dua/1.4/").text
            #expect(view.contains(#"<p><a href="/content/mimiciii/1.4/">Back to MIMIC-III Clinical Database v1.4</a></p>"#))
            let shown = AgreementText.readable(view)
            #expect(shown.contains("The LICENSEE will not attempt to identify"))
            #expect(!shown.contains("Back to MIMIC-III"))
        }
    }
}
