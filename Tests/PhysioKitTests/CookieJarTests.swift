import Foundation
import Testing
@testable import PhysioKit

@Suite("Cookie jar")
struct CookieJarTests {
    let site = URL(string: "https://physionet.org/login/")!

    @Test("Django's cookies are stored and sent back to the same host only")
    func storesAndMatchesHost() {
        let jar = CookieJar()
        jar.store(setCookieHeaders: [
            "csrftoken=abc; expires=Fri, 26 Nov 2027 08:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax",
            "sessionid=s3cr3t; HttpOnly; Max-Age=43200; Path=/; SameSite=Lax; Secure",
        ], from: site)
        #expect(jar.cookieHeader(for: URL(string: "https://physionet.org/files/x/1.0/a")!) == "csrftoken=abc; sessionid=s3cr3t")
        #expect(jar.cookieHeader(for: URL(string: "https://evil.example/files/")!) == nil)
        #expect(jar.cookieHeader(for: URL(string: "https://sub.physionet.org/")!) == nil, "host-only cookies stay on their host")
        #expect(jar.value(named: "csrftoken", for: site) == "abc")
    }

    @Test("Secure cookies never go over plain http")
    func secureOnlyOverHTTPS() {
        let jar = CookieJar()
        jar.store(setCookieHeaders: ["sessionid=x; Secure; Path=/"], from: site)
        #expect(jar.cookieHeader(for: URL(string: "http://physionet.org/")!) == nil)
    }

    @Test("an expired Set-Cookie (logout) deletes the cookie")
    func logoutDeletes() {
        let jar = CookieJar()
        jar.store(setCookieHeaders: ["sessionid=x; Path=/"], from: site)
        jar.store(setCookieHeaders: ["sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"], from: site)
        #expect(jar.cookies.isEmpty)
    }

    @Test("cookies expire by Max-Age")
    func maxAgeExpiry() {
        let jar = CookieJar()
        let now = Date()
        jar.store(setCookieHeaders: ["sessionid=x; Max-Age=10; Path=/"], from: site, now: now)
        #expect(jar.cookieHeader(for: site, now: now.addingTimeInterval(5)) == "sessionid=x")
        #expect(jar.cookieHeader(for: site, now: now.addingTimeInterval(11)) == nil)
    }

    @Test("a Domain the server does not belong to is refused; a parent domain is shared with subdomains")
    func domainRules() {
        let jar = CookieJar()
        jar.store(setCookieHeaders: ["a=1; Domain=example.com", "b=2; Domain=physionet.org"], from: URL(string: "https://www.physionet.org/")!)
        #expect(jar.cookies.map(\.name) == ["b"])
        #expect(jar.cookieHeader(for: URL(string: "https://physionet.org/")!) == "b=2")
    }

    @Test("paths match on segment boundaries")
    func pathMatching() {
        let jar = CookieJar()
        jar.store(setCookieHeaders: ["p=1; Path=/files"], from: site)
        #expect(jar.cookieHeader(for: URL(string: "https://physionet.org/files/a")!) == "p=1")
        #expect(jar.cookieHeader(for: URL(string: "https://physionet.org/filesystem")!) == nil)
    }
}

@Suite("HTTP helpers")
struct HTTPHelperTests {
    @Test("HTTP dates parse in both cookie and RFC 1123 forms")
    func httpDates() throws {
        let date = try #require(HTTPDate.parse("Thu, 01 Jan 1970 00:00:10 GMT"))
        #expect(date.timeIntervalSince1970 == 10)
        #expect(HTTPDate.parse("Fri, 26-Nov-2027 08:00:00 GMT") != nil)
        #expect(HTTPDate.parse("Tue, 14 Nov 2023 22:13:20 GMT")?.timeIntervalSince1970 == 1_700_000_000)
        #expect(HTTPDate.parse("not a date") == nil)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")?.timeIntervalSince1970 == 784_111_777, "RFC 850, two-digit year")
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994")?.timeIntervalSince1970 == 784_111_777, "asctime")
        // A header from a broken or hostile server is refused, never a crash.
        #expect(HTTPDate.parse("Thu, 01 Jan 5000000000 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Thu, 01 Jan 99999999999999999999 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Thu, 32 Jan 2024 00:00:00 GMT") == nil)
    }

    @Test("Content-Range forms")
    func contentRange() {
        let range = ContentRange("bytes 100-199/1000")
        #expect(range?.first == 100 && range?.last == 199 && range?.total == 1000)
        #expect(ContentRange("bytes */1000")?.total == 1000)
        #expect(ContentRange("bytes 5-1/10") == nil)
        #expect(ContentRange("items 0-1/2") == nil)
    }

    @Test("form encoding escapes like browsers do")
    func formEncoding() {
        #expect(FormEncoding.escape("a b&c=d/é") == "a+b%26c%3Dd%2F%C3%A9")
    }

    @Test("CookieJarTransport sends matching cookies, stores Set-Cookie, and never follows a redirect")
    func cookieJarTransport() async throws {
        let server = FakeTransport()
        server.on(.get, "/files/p/1.0/data", .redirect(to: "/protected/published-projects/p/1.0/data/",
            headers: ["Set-Cookie": "testcookie=1; HttpOnly; Path=/; SameSite=Lax"]))
        server.on(.get, "/files/p/1.0/data/", .init(body: "listing"))
        let client = CookieJarTransport(base: server, jar: CookieJar())
        let redirect = try await client.send(HTTPRequest(url: URL(string: "https://physionet.org/files/p/1.0/data")!))
        #expect(redirect.status == 302)
        #expect(server.requests.count == 1, "the 301/302 into /protected/ is returned, not followed")
        let listing = try await client.send(HTTPRequest(url: URL(string: "https://physionet.org/files/p/1.0/data/")!))
        #expect(listing.text == "listing")
        #expect(server.requests.last?.headers["Cookie"] == "testcookie=1")
        _ = try? await client.send(HTTPRequest(url: URL(string: "https://elsewhere.example/files/p/1.0/data/")!))
        #expect(server.requests.last?.headers["Cookie"] == nil, "cookies stay with their host")
    }
}
