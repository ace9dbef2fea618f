import Foundation
import PhysioKit
import Testing

/// A fake PhysioNet login endpoint that behaves like Django's (docs/protocol.md §2): CSRF cookie + form token +
/// Origin checks, rotation of `csrftoken` at login, and 302 for an already-logged-in POST without checking.
struct FakeLoginServer {
    /// The server side: routes and the record of what arrived.
    let transport: FakeTransport
    let jar: CookieJar
    /// The client side: the real cookie handling above the fake server, as `AccountSession` builds it.
    let client: CookieJarTransport
    let site: PhysioNetSite

    init(site: PhysioNetSite = PhysioNetSite(), password: String = "hunter2") {
        self.site = site
        jar = CookieJar()
        transport = FakeTransport()
        client = CookieJarTransport(base: transport, jar: jar)
        let origin = site.description
        transport.on(.get, "/login/", .init(headers: ["Set-Cookie": "csrftoken=COOKIETOKEN; Max-Age=31449600; Path=/; SameSite=Lax"],
            body: PageFixtures.loginForm))
        transport.on(.post, "/login/") { request in
            let cookie = request.headers["Cookie"] ?? ""
            if cookie.contains("sessionid=LIVE") {
                return .redirect(to: "/settings/credentialing/")  // already logged in: no check at all
            }
            guard cookie.contains("csrftoken=COOKIETOKEN"), request.formFields["csrfmiddlewaretoken"] == "formtoken0123456789" else {
                return .init(status: 403, body: PageFixtures.csrfFailure("CSRF token missing."))
            }
            guard request.headers["Origin"] == origin else {
                return .init(status: 403, body: PageFixtures.csrfFailure("Origin checking failed - \(request.headers["Origin"] ?? "null") does not match any trusted origins."))
            }
            guard request.formFields["username"] == "alice", request.formFields["password"] == password else {
                return .init(body: PageFixtures.wrongPassword)
            }
            return .redirect(to: request.formFields["next"] ?? "/projects/", headers: HTTPHeaders([
                ("Set-Cookie", "sessionid=LIVE; HttpOnly; Max-Age=43200; Path=/; SameSite=Lax"),
                ("Set-Cookie", "csrftoken=ROTATED; Max-Age=31449600; Path=/; SameSite=Lax"),
            ]))
        }
        transport.on(.get, "/settings/credentialing/") { request in
            (request.headers["Cookie"] ?? "").contains("sessionid=LIVE")
                ? .init(body: PageFixtures.credentialed)
                : .redirect(to: "/login/?next=/settings/credentialing/")
        }
    }

    var flow: LoginFlow { LoginFlow(transport: client, cookieJar: jar, site: site) }
}

@Suite("LoginFlow against a fake transport")
struct LoginFlowTests {
    let alice = Credentials(username: "alice", password: "hunter2")

    @Test("success: GET form, POST with CSRF material, Origin and Referer, confirm with credentialing page")
    func success() async throws {
        let server = FakeLoginServer()
        let result = try await server.flow.logIn(alice)
        #expect(result.username == "alice")
        #expect(result.accountName == "alice")
        #expect(result.credentialing == .credentialed(since: "Jan. 5, 2021, 3:45 p.m."))

        let requests = server.transport.requests
        #expect(requests.map { "\($0.method.rawValue) \($0.path)" } == ["GET /login/", "POST /login/", "GET /settings/credentialing/"])
        let post = requests[1]
        #expect(post.headers["Origin"] == "https://physionet.org")
        #expect(post.headers["Referer"] == "https://physionet.org/login/")
        #expect(post.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(post.formFields == ["csrfmiddlewaretoken": "formtoken0123456789", "username": "alice", "password": "hunter2",
            "next": "/settings/credentialing/"])
        #expect(server.jar.value(named: "sessionid", for: server.site.credentialingURL) == "LIVE")
        #expect(server.jar.value(named: "csrftoken", for: server.site.credentialingURL) == "ROTATED", "the rotated token is kept")
    }

    @Test("the simulator's origin is sent as Origin")
    func simulatorOrigin() async throws {
        let site = try PhysioNetSite.validate(baseURL: URL(string: "http://127.0.0.1:8080")!)
        let server = FakeLoginServer(site: site)
        _ = try await server.flow.logIn(alice)
        #expect(server.transport.requests[1].headers["Origin"] == "http://127.0.0.1:8080")
    }

    @Test("wrong password → wrongCredentials, message names the user and never the password")
    func wrongPassword() async throws {
        let server = FakeLoginServer()
        let wrong = Credentials(username: "alice", password: "WRONGPASS")
        await #expect(throws: PhysioError.wrongCredentials(username: "alice")) { try await server.flow.logIn(wrong) }
        #expect(!PhysioError.wrongCredentials(username: "alice").description.contains("WRONGPASS"))
        #expect(server.transport.requests.count == 2, "no confirmation request after a rejection")
    }

    @Test("CSRF rejection (missing token cookie) → csrfRejected with Django's reason")
    func csrfRejected() async throws {
        let server = FakeLoginServer()
        // This login form sets no csrftoken cookie, but the server demands it.
        server.transport.on(.get, "/login/", .init(body: PageFixtures.loginForm))
        await #expect(throws: PhysioError.loginFormUnrecognised(url: "https://physionet.org/login/")) {
            try await server.flow.logIn(alice)
        }
        // With the cookie present but a server that rejects the token anyway:
        let strict = FakeLoginServer()
        strict.transport.on(.post, "/login/", .init(status: 403, body: PageFixtures.csrfFailure("CSRF token missing.")))
        await #expect(throws: PhysioError.csrfRejected(reason: "CSRF token missing.")) { try await strict.flow.logIn(alice) }
    }

    @Test("Origin rejection → csrfRejected naming the origin check")
    func originRejected() async throws {
        let server = FakeLoginServer()
        server.transport.on(.post, "/login/", .init(status: 403,
            body: PageFixtures.csrfFailure("Origin checking failed - https://proxy.example does not match any trusted origins.")))
        do {
            _ = try await server.flow.logIn(alice)
            Issue.record("expected csrfRejected")
        } catch let error as PhysioError {
            #expect(error.kind == .csrfRejected, "got \(error)")
            #expect(error.facts["reason"]?.hasPrefix("Origin checking failed") == true)
            #expect(error.exitCode == .network)
        }
    }

    @Test("a stale session is cleared before login, so its 302 cannot fake a success")
    func staleSessionCleared() async throws {
        let server = FakeLoginServer()
        server.jar.store(setCookieHeaders: ["sessionid=LIVE; Path=/"], from: server.site.loginURL)
        let wrong = Credentials(username: "alice", password: "WRONGPASS")
        await #expect(throws: PhysioError.wrongCredentials(username: "alice")) { try await server.flow.logIn(wrong) }
        #expect(server.transport.requests.allSatisfy { !($0.headers["Cookie"] ?? "").contains("sessionid") })
    }

    @Test("a 302 from POST /login/ is not trusted without the confirming 200")
    func redirectNotTrusted() async throws {
        let server = FakeLoginServer()
        // The server answers 302 (as for an already-logged-in session) but sets no usable session.
        server.transport.on(.post, "/login/", .redirect(to: "/settings/credentialing/"))
        await #expect(throws: PhysioError.loginNotConfirmed(username: "alice")) { try await server.flow.logIn(alice) }
        #expect(server.transport.requests.last?.path == "/settings/credentialing/")
    }

    @Test("unexpected statuses and an unreachable server map to distinct errors")
    func unexpected() async throws {
        let server = FakeLoginServer()
        server.transport.on(.get, "/login/", .init(status: 503, body: "maintenance"))
        await #expect(throws: PhysioError.unexpectedResponse(url: "https://physionet.org/login/", status: 503, during: "loading the login form")) {
            try await server.flow.logIn(alice)
        }
        let flow = LoginFlow(transport: UnreachableTransport(), cookieJar: CookieJar(), site: PhysioNetSite())
        do {
            _ = try await flow.logIn(alice)
            Issue.record("expected serverUnreachable")
        } catch let error as PhysioError {
            #expect(error == .serverUnreachable(url: "https://physionet.org/login/", detail: "connection refused"))
            #expect(error.exitCode == .network)
        }
    }

    @Test("a 403 with PhysioNet's reason-less page → csrfRejected, exit code 4 (§3.10)")
    func reasonlessRejection() async throws {
        let server = FakeLoginServer()
        server.transport.on(.post, "/login/", .init(status: 403, body: PageFixtures.forbidden))
        do {
            _ = try await server.flow.logIn(alice)
            Issue.record("expected csrfRejected")
        } catch let error as PhysioError {
            #expect(error.kind == .csrfRejected, "got \(error)")
            #expect(error.exitCode == .network)
        }
    }
}
