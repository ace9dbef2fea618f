import Foundation
import PhysioKit
import Testing

@Suite("AccountProbe")
struct AccountProbeTests {
    @Test("isLoggedIn: 200 yes, 302 to /login/ no, other statuses are errors")
    func probe() async throws {
        let server = FakeLoginServer()
        let probe = AccountProbe(transport: server.client, site: server.site)
        #expect(try await probe.isLoggedIn() == false)
        _ = try await server.flow.logIn(Credentials(username: "alice", password: "hunter2"))
        #expect(try await probe.isLoggedIn() == true)
        server.transport.on(.get, "/settings/credentialing/", .init(status: 500))
        await #expect(throws: PhysioError.self) { try await probe.isLoggedIn() }
    }

    @Test("logout GETs /logout/ and the expired cookie leaves the jar")
    func logout() async throws {
        let server = FakeLoginServer()
        _ = try await server.flow.logIn(Credentials(username: "alice", password: "hunter2"))
        server.transport.on(.get, "/logout/", .redirect(to: "/", headers: [
            "Set-Cookie": #"sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"#,
        ]))
        let probe = AccountProbe(transport: server.client, site: server.site)
        try await probe.logout()
        #expect(server.transport.requests.last?.path == "/logout/")
        #expect(server.jar.value(named: "sessionid", for: server.site.credentialingURL) == nil)
        #expect(try await probe.isLoggedIn() == false)
    }

    @Test("account summary reads credentialing and certification; an expired session says so")
    func summary() async throws {
        let server = FakeLoginServer()
        let probe = AccountProbe(transport: server.client, site: server.site)
        await #expect(throws: PhysioError.sessionExpired(host: "physionet.org")) { try await probe.accountSummary() }
        _ = try await server.flow.logIn(Credentials(username: "alice", password: "hunter2"))
        server.transport.on(.get, "/settings/certification/", .init(body: PageFixtures.certification(active: ["CITI"])))
        let summary = try await probe.accountSummary()
        #expect(summary.accountName == "alice")
        #expect(summary.credentialing?.isCredentialed == true)
        #expect(summary.trainings?.active == ["CITI"])
    }
}
