import Foundation
import PhysioKit
import Testing

@Suite("PhysioNetSite URLs and base-URL validation")
struct PhysioNetSiteTests {
    @Test("default site URLs")
    func defaultURLs() {
        let site = PhysioNetSite()
        #expect(site.loginURL.absoluteString == "https://physionet.org/login/")
        #expect(site.logoutURL.absoluteString == "https://physionet.org/logout/")
        #expect(site.credentialingURL.absoluteString == "https://physionet.org/settings/credentialing/")
        #expect(site.certificationURL.absoluteString == "https://physionet.org/settings/certification/")
        #expect(site.trainingURL.absoluteString == "https://physionet.org/settings/training/")
        #expect(site.agreementsURL.absoluteString == "https://physionet.org/settings/agreements/")
        #expect(site.projectURL(slug: "mimiciv").absoluteString == "https://physionet.org/content/mimiciv/")
        #expect(site.projectURL(slug: "mimiciv", version: "3.1").absoluteString == "https://physionet.org/content/mimiciv/3.1/")
        #expect(site.signDUAURL(slug: "mimiciv", version: "3.1").absoluteString == "https://physionet.org/sign-dua/mimiciv/3.1/")
        #expect(site.viewDUAURL(slug: "mimiciv", version: "3.1").absoluteString == "https://physionet.org/content/mimiciv/view-dua/3.1/")
        #expect(site.requestAccessStatusURL(slug: "x", version: "1.0").absoluteString == "https://physionet.org/request-access-status/x/1.0/")
        #expect(site.description == "https://physionet.org")
    }

    @Test("dataset URLs: one escaper for every segment, folder slashes kept, never an empty segment")
    func fileURLs() throws {
        let urls = PhysioNetSite().files(slug: "mimiciv", version: "3.1")
        #expect(urls.file(try DatasetPath(validating: "hosp/admissions.csv.gz")).absoluteString
            == "https://physionet.org/files/mimiciv/3.1/hosp/admissions.csv.gz")
        #expect(urls.file(try DatasetPath(validating: "a b/c#d?e%f+g.txt")).absoluteString
            == "https://physionet.org/files/mimiciv/3.1/a%20b/c%23d%3Fe%25f+g.txt")
        #expect(urls.file(try DatasetPath(validating: "é.dat")).absoluteString.hasSuffix("/%C3%A9.dat"))
        #expect(urls.checksumList.absoluteString == "https://physionet.org/files/mimiciv/3.1/SHA256SUMS.txt")
        #expect(urls.filesRoot.absoluteString == "https://physionet.org/files/mimiciv/3.1/")
        #expect(urls.folder("").absoluteString == "https://physionet.org/files/mimiciv/3.1/")
        // The server answers a doubled slash with 404 (docs/protocol.md §4): empty segments are dropped.
        #expect(urls.folder("hosp//sub/").absoluteString == "https://physionet.org/files/mimiciv/3.1/hosp/sub/")
        // A slug or version can never add a path segment of its own.
        #expect(PhysioNetSite().files(slug: "a/b", version: "1.0").filesRoot.absoluteString == "https://physionet.org/files/a%2Fb/1.0/")
        #expect(PhysioNetSite().projectURL(slug: "a b", version: "1.0").absoluteString == "https://physionet.org/content/a%20b/1.0/")
    }

    @Test("loopback simulator over http is accepted and normalised")
    func loopback() throws {
        let site = try PhysioNetSite.validate(baseURL: URL(string: "http://127.0.0.1:8080/")!)
        #expect(site.loginURL.absoluteString == "http://127.0.0.1:8080/login/")
        #expect(site.description == "http://127.0.0.1:8080")
        #expect(try PhysioNetSite.validate(baseURL: URL(string: "http://localhost:9")!).origin.port == 9)
    }

    @Test("unsafe base URLs are refused", arguments: [
        "http://physionet.org", "ftp://physionet.org", "https://alice:secret@physionet.org",
        "https://physionet.org/prefix/", "https://physionet.org/?q=1", "file:///etc/passwd",
    ])
    func refused(url: String) {
        #expect(throws: PhysioError.self) { try PhysioNetSite.validate(baseURL: URL(string: url)!) }
    }

    @Test("the refusal message never repeats a password from the URL")
    func refusalRedacts() {
        do {
            _ = try PhysioNetSite.validate(baseURL: URL(string: "https://alice:hunter2@physionet.org")!)
            Issue.record("expected a refusal")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("plain http to a remote host only with the explicit opt-in")
    func insecureOptIn() throws {
        let site = try PhysioNetSite.validate(baseURL: URL(string: "http://mirror.example:8000")!, allowInsecureHTTP: true)
        #expect(site.loginURL.absoluteString == "http://mirror.example:8000/login/")
    }

    @Test("folder URLs never yield an empty segment: `<ver>//LICENSE.txt` is a 404 on the real site (§3.10)")
    func noDoubleSlash() {
        let urls = PhysioNetSite().files(slug: "x", version: "1.0")
        for relative in ["/hosp", "//hosp", "hosp//sub", "a///b/", "", "/", "dir//"] {
            let url = urls.folder(relative).absoluteString
            #expect(!url.dropFirst("https://".count).contains("//"), "\(relative) → \(url)")
        }
        #expect(urls.folder("//hosp").absoluteString == "https://physionet.org/files/x/1.0/hosp/")
    }
}
