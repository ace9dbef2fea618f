import PhysioKit
import PhysioSimulator
import Testing

/// Every row of the `/files/` status tables of docs/protocol.md §3 and §5 (protected project unless stated), as
/// served over HTTPS (a TLS front), where the Basic rule applies; then the same over plain http, where it does
/// not (§5).
@Suite("§3.3 auth matrix")
struct AuthMatrixTests {
    let protectedFile = "/files/mimiciii/1.4/SHA256SUMS.txt"

    @Test("OPEN project: anyone, any UA → 200", arguments: ["Wget/1.21.3", "physio/0.1.0", "curl/8.0"])
    func openProjectAnyone(userAgent: String) async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let response = try await SimClient(server, userAgent: userAgent).get("/files/mimiciii-demo/1.4/LICENSE.txt")
            #expect(response.status == 200)
        }
    }

    @Test("anonymous, UA not allowlisted → 403 HTML, no challenge")
    func anonymousOtherUA() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let response = try await SimClient(server, userAgent: "physio/0.1.0").get(protectedFile)
            #expect(response.status == 403)
            #expect(response.text.contains("<h1>Forbidden Access<br />(403)</h1>"))
            #expect(response.text.contains("You dont have access to see this page"))
            #expect(response.headers["WWW-Authenticate"] == nil)
        }
    }

    @Test("UA not allowlisted + correct Basic → 403", arguments: ["physio/0.1.0", "python-requests/2.31", "MyTool Wget/1.21"])
    func basicWithOtherUA(userAgent: String) async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let response = try await SimClient(server, userAgent: userAgent).get(
                protectedFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(response.status == 403)
        }
    }

    @Test("anonymous, Wget/ UA, no Authorization → 401 challenge + testcookie, empty body", arguments: ["Wget/1.21.3", "libwfdb/10.7"])
    func anonymousWgetChallenge(userAgent: String) async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let response = try await SimClient(server, userAgent: userAgent).get(protectedFile)
            #expect(response.status == 401)
            #expect(response.headers["WWW-Authenticate"] == #"Basic realm="PhysioNet", charset="UTF-8""#)
            #expect(response.headers["Set-Cookie"] == "testcookie=1; HttpOnly; Path=/; SameSite=Lax")
            #expect(response.body.isEmpty)
        }
    }

    @Test("OPEN project: Basic without a cookie still costs a password check per request, right or wrong; a bound sessionid none (§3.10b)")
    func openProjectBasicCost() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server, cookies: false)
            let openFile = "/files/mimiciii-demo/1.4/LICENSE.txt"
            #expect(try await client.get(openFile).status == 200)
            #expect(server.counters.passwordChecks == 0, "no Authorization, no check")
            #expect(try await client.get(openFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1")]).status == 200)
            #expect(try await client.get(openFile, headers: ["Authorization": basic("credentialed", "wrong")]).status == 200)
            #expect(server.counters.passwordChecks == 2, "each cookieless Basic request is hashed, open version or not")
            let bound = try await client.get(
                openFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1"), "Cookie": "testcookie=1"])
            #expect(server.counters.passwordChecks == 3)
            let sessionCookie = try #require(bound.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init))
            #expect(sessionCookie.hasPrefix("sessionid="))
            #expect(try await client.get(openFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1"), "Cookie": sessionCookie]).status == 200)
            #expect(server.counters.passwordChecks == 3, "the bound sessionid skips the hash")
            // Without a Wget/ agent the header is ignored, and so costs nothing.
            let other = SimClient(server, userAgent: "physio/0.1.0", cookies: false)
            #expect(try await other.get(openFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1")]).status == 200)
            #expect(server.counters.passwordChecks == 3)
        }
    }

    @Test("Wget/ UA, wrong password → 401")
    func wgetWrongPassword() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let response = try await SimClient(server).get(protectedFile, headers: ["Authorization": basic("credentialed", "wrong")])
            #expect(response.status == 401)
            #expect(response.headers["WWW-Authenticate"] != nil)
        }
    }

    @Test("Wget/ UA, right password, no access → 403")
    func wgetRightPasswordNoAccess() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let response = try await SimClient(server).get(protectedFile, headers: ["Authorization": basic("nodua", "NoDua-Pass-1")])
            #expect(response.status == 403)
        }
    }

    @Test("Wget/ UA, right password, access → 200; sessionid only when a cookie was sent")
    func wgetRightPasswordAccess() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server, cookies: false)
            let plain = try await client.get(protectedFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(plain.status == 200)
            #expect(plain.headers["Set-Cookie"] == nil)
            let withCookie = try await client.get(
                protectedFile, headers: ["Authorization": basic("credentialed@EXAMPLE.org", "Cred-Pass-1"), "Cookie": "testcookie=1"])
            #expect(withCookie.status == 200)
            #expect(withCookie.headers["Set-Cookie"]?.hasPrefix("sessionid=") == true)
        }
    }

    @Test("that Basic sessionid alone → 401 (Wget/) / 403 (other UA); with any Authorization → 200")
    func basicBindingSession() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server, cookies: false)
            let first = try await client.get(
                protectedFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1"), "Cookie": "testcookie=1"])
            let setCookie = try #require(first.headers["Set-Cookie"])
            let session = String(setCookie.split(separator: ";")[0])
            #expect(try await client.get(protectedFile, headers: ["Cookie": session]).status == 401)
            let other = SimClient(server, userAgent: "physio/0.1.0", cookies: false)
            #expect(try await other.get(protectedFile, headers: ["Cookie": session]).status == 403)
            let quirk = try await client.get(protectedFile, headers: ["Cookie": session, "Authorization": basic("credentialed", "nope")])
            #expect(quirk.status == 200)
            // Not a login: status pages still redirect.
            #expect(try await client.get("/settings/credentialing/", headers: ["Cookie": session]).status == 302)
        }
    }

    @Test("logged-in cookie, no access → 403, never a redirect", arguments: ["physio/0.1.0", "Wget/1.21.3"])
    func cookieNoAccess(userAgent: String) async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server, userAgent: userAgent)
            #expect(try await client.logIn("nodua", "NoDua-Pass-1").status == 302)
            let response = try await client.get(protectedFile)
            #expect(response.status == 403)
            #expect(response.headers["WWW-Authenticate"] == nil)
        }
    }

    @Test("logged-in cookie, access → 200 with any UA")
    func cookieAccess() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server, userAgent: "physio/0.1.0")
            try await client.logIn("credentialed", "Cred-Pass-1")
            #expect(try await client.get(protectedFile).status == 200)
            #expect(try await client.get("/content/mimiciii/get-zip/1.4/").status == 200)
        }
    }

    @Test("cookie expired or logged out → same as anonymous")
    func loggedOut() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            try await client.logIn("credentialed", "Cred-Pass-1")
            #expect(try await client.get(protectedFile).status == 200)
            let logout = try await client.get("/logout/")
            #expect(logout.status == 302)
            #expect(logout.headers["Location"] == "/")
            #expect(try await client.get(protectedFile).status == 401)
        }
    }

    @Test("deprecated files or downloads disabled → no access (401/403)")
    func gatedVersions() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/files/deprecated-demo/1.0/data.csv").status == 401)
            try await client.logIn("credentialed", "Cred-Pass-1")
            #expect(try await client.get("/files/deprecated-demo/1.0/data.csv").status == 403)
            #expect(try await client.get("/files/cloud-only/1.0/data.csv").status == 403)
        }
    }

    @Test("unknown slug/version or missing file → 404; /files/<slug>/<ver> → 301")
    func notFoundAndSlash() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/files/no-such-project/1.0/x.csv").status == 404)
            #expect(try await client.get("/files/mimiciii-demo/9.9/").status == 404)
            #expect(try await client.get("/files/mimiciii-demo/").status == 404)
            let missing = try await client.get("/files/mimiciii-demo/1.4/ADMISSIONS.csv")
            #expect(missing.status == 404)
            #expect(missing.text.contains("<title>404 Not Found</title>"))
            let redirect = try await client.get("/files/mimiciii-demo/1.4")
            #expect(redirect.status == 301)
            #expect(redirect.headers["Location"] == "/files/mimiciii-demo/1.4/")
        }
    }

    @Test("the ZIP route without its trailing slash → 301 to the slashed URL (§3.10), before any access check")
    func zipWithoutSlash() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server, userAgent: "physio/0.1.0")
            let redirect = try await client.get("/content/mimiciii/get-zip/1.4")
            #expect(redirect.status == 301)
            #expect(redirect.headers["Location"] == "/content/mimiciii/get-zip/1.4/")
            #expect(try await client.get("/content/mimiciii/get-zip/1.4/").status == 403)
            // A file viewer (`/content/<slug>/<ver>/<file>`) still matches without a slash.
            #expect(try await client.get("/content/mimiciii-demo/1.4/D_CPT.csv").status == 200)
        }
    }

    @Test("a POST never uses Basic, even with a Wget/ UA")
    func postIgnoresBasic() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            let response = try await client.transport.send(
                HTTPRequest(method: .post, url: server.url(protectedFile), headers: ["Authorization": basic("credentialed", "Cred-Pass-1")], body: []))
            #expect(response.status == 403)
        }
    }

    @Test("plain http in production: Authorization is ignored, anonymous Wget gets 403 with no challenge, the right password too")
    func basicIgnoredOverPlainHTTP() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            let anonymous = try await client.get(protectedFile)
            #expect(anonymous.status == 403)
            #expect(anonymous.headers["WWW-Authenticate"] == nil)
            let right = try await client.get(protectedFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(right.status == 403)
            #expect(server.counters.passwordChecks == 0)
            // The front's X-Forwarded-Proto is what makes a request HTTPS to the application.
            let forwarded = try await client.get(
                protectedFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1"), "X-Forwarded-Proto": "https"])
            #expect(forwarded.status == 200)
            #expect(server.counters.passwordChecks == 1)
        }
    }

    @Test("a development server honours Basic over plain http")
    func basicOverHTTPInDevelopment() async throws {
        try await withSimulator(mode: .development) { server throws in
            let response = try await SimClient(server).get(protectedFile, headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(response.status == 200)
        }
    }
}
