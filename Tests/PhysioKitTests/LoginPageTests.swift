import Foundation
import Testing

@testable import PhysioKit

@Suite("LoginPage: CSRF token and POST /login/ outcomes")
struct LoginPageTests {
    let url = URL(string: "https://physionet.org/login/")!

    func response(_ status: Int, _ body: String, location: String? = nil) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let location { headers.add("Location", location) }
        return HTTPResponse(head: HTTPResponseHead(status: status, headers: headers, url: url), body: Array(body.utf8))
    }

    @Test("the csrfmiddlewaretoken is found whatever the attribute order and quoting")
    func token() {
        #expect(LoginPage.csrfToken(in: PageFixtures.loginForm) == "formtoken0123456789")
        #expect(LoginPage.csrfToken(in: "<INPUT value='abc' type=hidden name=csrfmiddlewaretoken>") == "abc")
        #expect(LoginPage.csrfToken(in: "<input name=\"username\">") == nil)
    }

    @Test("302 is success; 200 with alert-danger is wrong credentials; inactive account")
    func outcomes() {
        #expect(LoginPage.classify(response(302, "", location: "/settings/credentialing/"))
            == .success(location: URL(string: "https://physionet.org/settings/credentialing/")))
        #expect(LoginPage.classify(response(200, PageFixtures.wrongPassword)) == .wrongCredentials)
        let inactive = PageFixtures.page(user: nil, main: "<div class=\"alert alert-danger\">This account has not been activated. Please check your email for the activation link.</div>")
        #expect(LoginPage.classify(response(200, inactive)) == .inactiveAccount)
        #expect(LoginPage.classify(response(200, PageFixtures.loginForm)) == .unexpected(status: 200))
        #expect(LoginPage.classify(response(500, "oops")) == .unexpected(status: 500))
    }

    @Test("CSRF 403 pages yield their reason")
    func csrf() {
        #expect(LoginPage.classify(response(403, PageFixtures.csrfFailure("CSRF token missing.")))
            == .csrfRejected(reason: "CSRF token missing."))
        #expect(LoginPage.classify(response(403, PageFixtures.csrfFailure("Origin checking failed - https://evil.example does not match any trusted origins.")))
            == .csrfRejected(reason: "Origin checking failed - https://evil.example does not match any trusted origins."))
        #expect(LoginPage.classify(response(403, PageFixtures.csrfFailure("Referer checking failed - no Referer.")))
            == .csrfRejected(reason: "Referer checking failed - no Referer."))

    }

    @Test("PhysioNet's own 403 page, which gives no reason, is still a CSRF rejection (§3.10)")
    func reasonless403() {
        guard case .csrfRejected(let reason) = LoginPage.classify(response(403, PageFixtures.forbidden)) else {
            Issue.record("a 403 to the form POST must be a CSRF/Origin rejection")
            return
        }
        #expect(reason.contains("CSRF") && reason.contains("Origin"))
        #expect(!reason.contains("dont have access"), "the page's text is not a reason")
    }
}
