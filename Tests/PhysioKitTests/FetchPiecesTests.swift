import Foundation
import Testing
@testable import PhysioKit

@Suite("Fetch building blocks")
struct FetchPiecesTests {
    @Test("download order: files of 64 KiB or more largest first, then the rest in path order, unknown sizes last")
    func downloadOrder() throws {
        let mib: Int64 = 1 << 20
        var files = FileList()
        let sizes: [Int64?] = [10, 3 * mib, nil, 5, 64 << 10, 60_000, nil, 8 * mib, 1]
        for (index, size) in sizes.enumerated() { files.append(try DatasetPath(validating: "f\(index)"), size: size) }
        var queue = [UInt32](0..<UInt32(sizes.count)).reversed().map { $0 }
        FetchEngine.sortForDownload(&queue, files: files)
        #expect(queue == [7, 1, 4, 0, 3, 5, 8, 2, 6])
    }

    func path(_ text: String) throws -> DatasetPath { try DatasetPath(validating: text) }

    @Test("include/exclude globs: file-name patterns, path patterns and folders")
    func pathFilter() throws {
        let filter = PathFilter(includes: ["*.csv.gz", "LICENSE.txt"], excludes: ["icu/"])
        #expect(filter.accepts(try path("hosp/admissions.csv.gz")))
        #expect(filter.accepts(try path("LICENSE.txt")))
        #expect(!filter.accepts(try path("icu/icustays.csv.gz")))
        #expect(!filter.accepts(try path("README.txt")))
        #expect(PathFilter(includes: ["hosp/*"]).accepts(try path("hosp/a/b.csv")))
        #expect(PathFilter().accepts(try path("anything")))
    }

    @Test("nginx autoindex listing: folders, exact sizes, escaped and truncated names")
    func autoindexListing() {
        let html = """
            <html>
            <head><title>Index of /static/published-projects/mimic-iv-demo/2.2/</title></head>
            <body>
            <h1>Index of /static/published-projects/mimic-iv-demo/2.2/</h1><hr><pre><a href="../">../</a>
            <a href="hosp/">hosp/</a>                                              31-Jan-2023 15:20                   -
            <a href="LICENSE.txt">LICENSE.txt</a>                                  31-Jan-2023 15:20               25815
            <a href="a%20very%20long%20file%20name%20that%20nginx%20truncates%20in%20text.csv">a very long file name that nginx truncates in..&gt;</a> 31-Jan-2023 15:20   12
            </pre><hr></body>
            </html>
            """
        let entries = DirectoryListing(html: html.replacingOccurrences(of: "\n", with: "\r\n")).entries
        #expect(entries.count == 3)
        #expect(entries[0] == .init(name: "hosp", isDirectory: true, size: nil))
        #expect(entries[1] == .init(name: "LICENSE.txt", isDirectory: false, size: 25815))
        #expect(entries[2].name == "a very long file name that nginx truncates in text.csv")
        #expect(entries[2].size == 12)
    }

    @Test("development listing: names only, folders unknown until probed")
    func developmentListing() {
        let html = """
            <!DOCTYPE html><html><body><ul>
            <li><a href="LICENSE.txt">LICENSE.txt</a></li>
            <li><a href="subdir">subdir</a></li>
            </ul></body></html>
            """
        let entries = DirectoryListing(html: html).entries
        #expect(entries.map(\.name) == ["LICENSE.txt", "subdir"])
        #expect(entries.allSatisfy { $0.isDirectory == nil && $0.size == nil })
    }

    @Test("base URL: loopback http allowed, remote http refused, credentials in the URL refused")
    func baseURLRules() throws {
        #expect(try BaseURL.resolve(flag: nil, environment: [:], allowInsecureHTTP: false) == PhysioNetSite.defaultBaseURL)
        #expect(try BaseURL.resolve(flag: nil, environment: ["PHYSIO_BASE_URL": "http://127.0.0.1:9/"], allowInsecureHTTP: false).absoluteString == "http://127.0.0.1:9")
        #expect(throws: PhysioError.self) { try BaseURL.resolve(flag: "http://physionet.org", environment: [:], allowInsecureHTTP: false) }
        #expect(try BaseURL.resolve(flag: "http://physionet.org", environment: [:], allowInsecureHTTP: true).host == "physionet.org")
        #expect(throws: PhysioError.self) { try BaseURL.resolve(flag: "https://user:pw@physionet.org", environment: [:], allowInsecureHTTP: false) }
        #expect(throws: PhysioError.self) { try BaseURL.resolve(flag: "ftp://physionet.org", environment: [:], allowInsecureHTTP: false) }
    }

    @Test("backoff grows, is jittered within bounds, and Retry-After wins")
    func retryDelays() {
        let policy = RetryPolicy(baseDelay: 1, maximumDelay: 8)
        for attempt in 1...6 {
            let exponential = min(8, pow(2, Double(attempt - 1)))
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
            #expect(delay >= exponential / 2 && delay <= exponential)
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: 7) == 7)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 10_000) == policy.maximumRetryAfter)
    }

    @Test("the limiter halves on push-back and creeps back up")
    func adaptiveLimiter() async {
        let limiter = AdaptiveLimiter(limit: 8)
        #expect(limiter.serverAskedToSlowDown() == 4)
        #expect(limiter.serverAskedToSlowDown() == 2)
        #expect(limiter.serverAskedToSlowDown() == 1)
        #expect(limiter.serverAskedToSlowDown() == nil)
        var raised: Int?
        for _ in 0..<4 { raised = limiter.succeeded() ?? raised }
        #expect(raised == 2)
    }

    @Test("exit codes: integrity beats partial; nothing obtained over the network is a network failure")
    func exitCodes() {
        let digest = SHA256Digest(bytes: [UInt8](repeating: 0, count: 32))
        #expect(FetchEngine.exitCode(for: [], succeeded: 3) == .success)
        #expect(FetchEngine.exitCode(for: [.missingOnServer(status: 404)], succeeded: 3) == .partial)
        #expect(FetchEngine.exitCode(for: [.network("x")], succeeded: 0) == .network)
        #expect(FetchEngine.exitCode(for: [.network("x")], succeeded: 1) == .partial)
        #expect(FetchEngine.exitCode(for: [.missingOnServer(status: 404), .integrity(expected: digest, actual: digest)], succeeded: 1) == .integrity)
    }
}
