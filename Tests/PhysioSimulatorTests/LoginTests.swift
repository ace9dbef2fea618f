import PhysioKit
import PhysioSimulator
import Testing

/// `/login/` and `/logout/` quirks of docs/protocol.md §2.
@Suite("§2 login")
struct LoginTests {
    @Test("GET /login/ shows the exact markers and sets csrftoken")
    func formMarkers() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let page = try await client.get("/login/?next=/settings/agreements/")
            #expect(page.status == 200)
            for marker in [
                #"<form action="/login/" method="post" class="form-signin">"#,
                #"<input type="password" name="password" class="form-control" placeholder="Password" required id="id_password">"#,
                #"<input type="hidden" name="next" value="/settings/agreements/" />"#,
                #"<button id="login" class="btn btn-lg btn-primary btn-block" type="submit">Log In</button>"#,
                #"id="nav_login""#,
            ] {
                #expect(page.text.contains(marker), "missing \(marker)")
            }
            #expect(SimClient.csrfToken(in: page.text)?.count == 64)
            #expect(client.csrfCookie?.count == 32)
        }
    }

    @Test("success → 302 to next, new sessionid, rotated csrftoken")
    func success() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let token = try await client.formToken("/login/")
            let before = try #require(client.csrfCookie)
            let response = try await client.post(
                "/login/", fields: [("csrfmiddlewaretoken", token), ("username", "credentialed"), ("password", "Cred-Pass-1"),
                                    ("next", "/settings/credentialing/"), ("remember", "on")])
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/settings/credentialing/")
            #expect(client.sessionCookie != nil)
            #expect(client.csrfCookie != nil && client.csrfCookie != before)
            let probe = try await client.get("/settings/credentialing/")
            #expect(probe.status == 200)
            #expect(probe.text.contains(#"id="nav_account_dropdown""#))
            #expect(probe.text.contains(#"<i class="fa fa-user"></i> credentialed"#))
            #expect(probe.text.contains(#"<a id="nav_logout""#))
        }
    }

    @Test("an external next goes to /projects/")
    func externalNext() async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server).logIn("nodua", "NoDua-Pass-1", next: "https://evil.example/")
            #expect(response.headers["Location"] == "/projects/")
        }
    }

    @Test("wrong password → 200 with alert-danger", arguments: [("credentialed", "cred-pass-1"), ("nobody", "x"), ("credentialed2@example.org", "Cred-Pass-1")])
    func wrongCredentials(username: String, password: String) async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let response = try await client.logIn(username, password)
            #expect(response.status == 200)
            #expect(response.text.contains(#"<div class="alert alert-danger"><strong>Please enter a correct username/email and password. Note that the password field is case-sensitive.</strong></div>"#))
            #expect(client.sessionCookie == nil)
        }
    }

    @Test("primary e-mail or username, case-insensitive", arguments: ["CREDENTIALED@Example.org", "Credentialed"])
    func emailLogin(login: String) async throws {
        try await withSimulator { server throws in
            #expect(try await SimClient(server).logIn(login, "Cred-Pass-1").status == 302)
        }
    }

    @Test("CSRF token missing → 403")
    func csrfMissing() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            _ = try await client.get("/login/")
            let response = try await client.post("/login/", fields: [("username", "credentialed"), ("password", "Cred-Pass-1")])
            #expect(response.status == 403)
            // The real site renders its plain 403 page: no CSRF wording, no reason (docs/protocol.md §2).
            #expect(response.text.contains("You dont have access to see this page"))
            #expect(!response.text.contains("CSRF"))
            guard case .csrfRejected = LoginPage.classify(response) else {
                Issue.record("the client must read a 403 to the login POST as a CSRF/Origin rejection")
                return
            }
        }
    }

    @Test("X-CSRFToken header with the cookie value is accepted")
    func csrfHeader() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            _ = try await client.get("/login/")
            let cookie = try #require(client.csrfCookie)
            let response = try await client.post(
                "/login/", fields: [("username", "credentialed"), ("password", "Cred-Pass-1")], headers: ["X-CSRFToken": cookie])
            #expect(response.status == 302)
        }
    }

    @Test("foreign Origin → 403, reason-less like every CSRF failure")
    func foreignOrigin() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let token = try await client.formToken("/login/")
            let response = try await client.post(
                "/login/", fields: [("csrfmiddlewaretoken", token), ("username", "credentialed"), ("password", "Cred-Pass-1")],
                headers: ["Origin": "https://evil.example"])
            #expect(response.status == 403)
            #expect(!response.text.contains("Origin checking failed"))
            guard case .csrfRejected = LoginPage.classify(response) else {
                Issue.record("the client must read a 403 to the login POST as a CSRF/Origin rejection")
                return
            }
        }
    }

    @Test("already logged in → 302 without checking the posted credentials")
    func alreadyLoggedIn() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            try await client.logIn("credentialed", "Cred-Pass-1")
            let token = try #require(SimClient.csrfToken(in: try await client.get("/sign-dua/mimiciv/3.0/").text))
            let response = try await client.post(
                "/login/", fields: [("csrfmiddlewaretoken", token), ("username", "nobody"), ("password", "wrong"), ("next", "/settings/agreements/")])
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/settings/agreements/")
            #expect(try await client.get("/login/").status == 302)
        }
    }

    @Test("login-required pages redirect anonymous visitors", arguments: [
        "/settings/credentialing/", "/settings/certification/", "/settings/training/", "/settings/agreements/",
        "/sign-dua/mimiciii/1.4/", "/request-access-status/cr-demo/1.0/",
    ])
    func loginRequired(path: String) async throws {
        try await withSimulator { server throws in
            let response = try await SimClient(server).get(path)
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/login/?next=\(path)")
        }
    }

    @Test("Django pages carry no-store, Vary and X-Frame-Options; csrftoken has expires= and Max-Age (§3.10)")
    func djangoHeaders() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let form = try await client.get("/login/")
            #expect(form.headers["Cache-Control"]?.hasPrefix("no-store") == true)
            #expect(form.headers["Vary"] == "Cookie")
            #expect(form.headers["X-Frame-Options"] == "DENY")
            let csrf = try #require(form.head.headers.values(for: "Set-Cookie").first { $0.hasPrefix("csrftoken=") })
            #expect(csrf.contains("; expires=") && csrf.contains("; Max-Age=31449600"))
            // nginx serves file bytes without them (docs/protocol.md §7).
            #expect(try await client.get("/files/mimic-iv-demo/2.2/LICENSE.txt").headers["X-Frame-Options"] == nil)
        }
    }

    @Test("GET /logout/: anonymous → 302 with no Set-Cookie; with a session → the cookie is cleared")
    func logout() async throws {
        try await withSimulator { server throws in
            let anonymous = try await SimClient(server).get("/logout/")
            #expect(anonymous.status == 302)
            #expect(anonymous.headers["Location"] == "/")
            #expect(anonymous.head.headers.values(for: "Set-Cookie").isEmpty)

            let client = SimClient(server)
            try await client.logIn("credentialed", "Cred-Pass-1")
            let out = try await client.get("/logout/")
            #expect(out.status == 302)
            #expect(out.head.headers.values(for: "Set-Cookie").contains { $0.hasPrefix("sessionid=\"\"; expires=Thu, 01 Jan 1970") })
            #expect(try await client.get("/settings/credentialing/").status == 302)
        }
    }
}
