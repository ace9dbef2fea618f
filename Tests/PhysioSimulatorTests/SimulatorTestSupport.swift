import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The default fixture, loaded once per test process.
let defaultFixture: SimulatorFixture = {
    do { return try SimulatorFixture.loadDefault() } catch { fatalError("default fixture: \(error)") }
}()

/// Starts a simulator on an ephemeral port (with the default fixture unless given another), runs `body`, and
/// always stops it.
func withSimulator(
    fixture: SimulatorFixture = defaultFixture, mode: SimulatorMode = .production, faults: FaultPlan = FaultPlan(),
    behindTLSFront: Bool = false, newerAPI: Bool = false, cloudStorage: CloudStorageEmulation? = nil,
    _ body: (SimulatorServer) async throws -> Void
) async throws {
    let server = try await SimulatorServer.start(
        fixture: fixture, mode: mode, faults: faults, behindTLSFront: behindTLSFront, newerAPI: newerAPI,
        cloudStorage: cloudStorage)
    do {
        try await body(server)
        await server.stop()
    } catch {
        await server.stop()
        throw error
    }
}

/// One browser-like client: PhysioKit's real libcurl transport with its own cookie jar.
struct SimClient {
    let server: SimulatorServer
    let jar: CookieJar
    let transport: any HTTPTransport

    init(_ server: SimulatorServer, userAgent: String = "Wget/1.21.3", cookies: Bool = true, lowSpeedTime: Int = 60) {
        self.server = server
        jar = CookieJar()
        let curl = CurlTransport(configuration: TransportConfiguration(userAgent: userAgent, lowSpeedTimeSeconds: lowSpeedTime))
        transport = cookies ? CookieJarTransport(base: curl, jar: jar) : curl
    }

    func get(_ path: String, headers: HTTPHeaders = HTTPHeaders()) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: .get, url: server.url(path), headers: headers))
    }

    func head(_ path: String, headers: HTTPHeaders = HTTPHeaders()) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: .head, url: server.url(path), headers: headers))
    }

    func post(_ path: String, fields: [(String, String)], headers: HTTPHeaders = HTTPHeaders()) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest.form(url: server.url(path), fields: fields, headers: headers))
    }

    /// The form token of the page at `path` (login form, DUA form).
    func formToken(_ path: String) async throws -> String {
        let page = try await get(path)
        return try #require(Self.csrfToken(in: page.text))
    }

    /// Logs in through the form as a browser would; returns the POST's response.
    @discardableResult
    func logIn(_ username: String, _ password: String, next: String = "/settings/credentialing/") async throws -> HTTPResponse {
        let token = try await formToken("/login/")
        return try await post(
            "/login/", fields: [("csrfmiddlewaretoken", token), ("username", username), ("password", password), ("next", next)])
    }

    var csrfCookie: String? { jar.value(named: "csrftoken", for: server.baseURL) }
    var sessionCookie: String? { jar.value(named: "sessionid", for: server.baseURL) }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrfmiddlewaretoken" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

func basic(_ username: String, _ password: String) -> String {
    "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
}

/// Bytes of a file of the shipped fixture, for comparing with what was served.
func fixtureFile(_ relative: String) throws -> [UInt8] {
    let url = SimulatorFixture.defaultFixtureURL.deletingLastPathComponent().appendingPathComponent("files/" + relative)
    return Array(try Data(contentsOf: url))
}
