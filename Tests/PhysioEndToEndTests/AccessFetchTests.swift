import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Fetching protected projects: the access check before any download, login renewal mid-run, Basic mode.
@Suite("fetch: protected projects", .serialized, .timeLimit(.minutes(3)))
struct AccessFetchTests {
    @Test("a credentialed user with a signed DUA fetches mimiciii; credentials from the environment, never leaked")
    func credentialedFetch() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii", "--json", "--quiet", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            #expect(summary.version == "1.4")
            #expect(summary.counts.verified > 3)
            #expect(summary.counts.failed == 0)
            // The session is kept, so the next run needs no credentials at all.
            let again = try await workspace.physio("fetch", "mimiciii@1.4", "--json", "--quiet")
            #expect(again.exitCode == 0, "stderr: \(again.stderr)")
            try AccountTests.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [result, again])
            // Neither the database nor its write-ahead log holds the session cookie.
            let inventory = Inventory.mainFile(root: workspace.dataRoot)
            var stored = try Data(contentsOf: inventory)
            stored += (try? Data(contentsOf: URL(fileURLWithPath: inventory.path + "-wal"))) ?? Data()
            #expect(stored.count > 0 && stored.range(of: Data("sessionid".utf8)) == nil)
        }
    }

    @Test("a missing DUA: the status explanation with the sign-dua URL, exit 6, nothing written")
    func missingDUA() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii@1.4", extraEnvironment: AccountTests.credentials("nodua"))
            #expect(result.exitCode == 6, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("\(workspace.baseURL.absoluteString)/sign-dua/mimiciii/1.4/"))
            #expect(result.stderr.contains("sign the data use agreement"))
            #expect(!FileManager.default.fileExists(atPath: workspace.dataRoot.path), "nothing written")
            try AccountTests.expectNoSecret("NoDua-Pass-1", in: workspace, outputs: [result])
        }
    }

    @Test("expired training: exit 6 naming the training and where to renew it")
    func expiredTraining() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii@1.4", extraEnvironment: AccountTests.credentials("expired"))
            #expect(result.exitCode == 6, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("CITI Data or Specimens Only Research"))
            #expect(result.stdout.contains("/content/mimiciii/view-required-training/1.4/#1"))
        }
    }

    @Test("no login and no credentials: exit 5 with the way to log in, nothing written")
    func anonymous() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii@1.4")
            #expect(result.exitCode == 5, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("physio login"))
            #expect(!FileManager.default.fileExists(atPath: workspace.dataRoot.path))
        }
    }

    @Test("deprecated files and research-environment-only projects are explained, not retried")
    func unavailableFiles() async throws {
        try await withWorkspace { workspace in
            let deprecated = try await workspace.physio("fetch", "deprecated-demo@1.0")
            #expect(deprecated.exitCode == 6, "stderr: \(deprecated.stderr)")
            #expect(deprecated.stderr.contains("no longer available"))
            let cloud = try await workspace.physio("fetch", "cloud-only@1.0", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(cloud.exitCode == 6, "stderr: \(cloud.stderr)")
            #expect(cloud.stderr.contains("research environment"))
        }
    }

    /// mimiciii at 150 KB/s per file, one connection: the saved login (2.5 s lifetime) expires mid-run.
    static let slowRun = FaultPlan(
        rules: [FaultRule(.rateLimit(bytesPerSecond: 150_000), path: "/files/mimiciii/1.4/*")], sessionLifetimeSeconds: 2.5)

    @Test("the session expires mid-run: physio logs in again from the environment and finishes")
    func reloginMidRun() async throws {
        try await withWorkspace(faults: Self.slowRun) { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: AccountTests.credentials("credentialed")).exitCode == 0)
            let result = try await workspace.physio("fetch", "mimiciii@1.4", "-j", "1", "--json", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("logged in again"))
            #expect(workspace.server.counters.requestCount(status: 403) >= 1, "the server did refuse the expired session")
            #expect(try decodeSummary(result).counts.failed == 0)
        }
    }

    @Test("the session expires mid-run without non-interactive credentials: exit 5, finished files kept")
    func expiryWithoutCredentials() async throws {
        try await withWorkspace(faults: Self.slowRun) { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: AccountTests.credentials("credentialed")).exitCode == 0)
            let result = try await workspace.physio("fetch", "mimiciii@1.4", "-j", "1")
            #expect(result.exitCode == 5, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("physio login"))
            let manifest = try #require(try workspace.manifest("mimiciii", "1.4"))
            #expect(manifest.files.contains { $0.state == .verified }, "files finished before the expiry are kept")
        }
    }

    @Test("--auth wget-basic: Basic with a Wget/ agent on /files/ only; pages and API never see the password; one password check per run")
    func wgetBasic() async throws {
        try await withWorkspace(behindTLSFront: true) { workspace in
            let result = try await workspace.physio("fetch", "mimiciii@1.4", "--auth", "wget-basic", "--quiet", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests
            let files = requests.filter { $0.path.hasPrefix("/files/") }
            #expect(!files.isEmpty)
            #expect(files.allSatisfy { $0.header("User-Agent")?.hasPrefix("Wget/") == true })
            // As Wget does: the first request goes out without credentials and is challenged (401, testcookie);
            // it is repeated with Basic, and every later request carries Basic from the start.
            let bare = files.filter { $0.header("Authorization") == nil }
            #expect(bare.count == 1 && bare.first?.status == 401, "\(bare.map { "\($0.method) \($0.path) \($0.status ?? 0)" })")
            #expect(requests.filter { !$0.path.hasPrefix("/files/") }.allSatisfy { $0.header("Authorization") == nil })
            // The server's cookies are kept for the run: the password is hashed once, not once per file.
            #expect(workspace.server.counters.passwordChecks == 1)
            // The repeated request returns the testcookie, which binds the sessionid every later one carries.
            let cookies: [String] = files.dropFirst().map { $0.header("Cookie") ?? "" }
            #expect(cookies.first == "testcookie=1", "\(cookies)")
            #expect(cookies.dropFirst().allSatisfy { $0.contains("sessionid=") }, "\(cookies)")
            // ... and never written to disk in this mode.
            // (The state folder holds only the machine-wide connection slots, which name no one.)
            let state = (try? FileManager.default.contentsOfDirectory(atPath: workspace.stateDirectory.path + "/physio")) ?? []
            #expect(state.allSatisfy { $0 == "connections" }, "\(state)")
            try AccountTests.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [result])
        }
    }

    @Test("--auth wget-basic over plain http: says Basic needs https (exit 2) instead of blaming a requirement")
    func wgetBasicOverPlainHTTP() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii@1.4", "--auth", "wget-basic", "--quiet", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(result.exitCode == 2, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("only over https"))
            #expect(!result.stderr.contains("physio status"))
            #expect(workspace.server.counters.passwordChecks == 0)
        }
    }

    @Test("the default cookie mode sends a physio/ agent and no Authorization header anywhere")
    func cookieModeHeaders() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii@1.4", "--quiet", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let requests = workspace.server.counters.requests
            #expect(requests.allSatisfy { $0.header("Authorization") == nil })
            #expect(requests.allSatisfy { $0.header("User-Agent")?.hasPrefix("physio/") == true })
        }
    }

    @Test("sign-dua at a terminal: shows the agreement, signs on 'I agree', grants access, and never signs twice")
    func signDUAInteractively() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: AccountTests.credentials("nodua")).exitCode == 0)
            let declined = try await TerminalSession.run(
                ["sign-dua", "mimiciii@1.4"], answering: "Type 'I agree'", with: "no thanks", environment: workspace.environment)
            #expect(declined.exitCode == 6, "output: \(declined.stdout)")
            #expect(declined.stdout.contains("Not signed"))
            let signed = try await TerminalSession.run(
                ["sign-dua", "mimiciii@1.4"], answering: "Type 'I agree'", with: "I agree", environment: workspace.environment)
            #expect(signed.exitCode == 0, "output: \(signed.stdout)")
            #expect(signed.stdout.contains("PhysioNet Credentialed Health Data Use Agreement 1.5.0"))
            #expect(signed.stdout.contains("Signed the data use agreement for mimiciii 1.4"))
            let again = try await TerminalSession.run(
                ["sign-dua", "mimiciii@1.4"], answering: "Type 'I agree'", with: "I agree", environment: workspace.environment)
            #expect(again.exitCode == 0)
            #expect(again.stdout.contains("already signed"))
            let posts = workspace.server.counters.requests(path: "/sign-dua/mimiciii/1.4/").filter { $0.method == "POST" }
            #expect(posts.count == 1, "exactly one signature was posted")
            #expect(try await workspace.physio("status", "mimiciii@1.4").exitCode == 0)
        }
    }

    @Test("sign-dua refuses without a terminal")
    func signDUANeedsTerminal() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: AccountTests.credentials("nodua")).exitCode == 0)
            let result = try await workspace.physio("sign-dua", "mimiciii@1.4")
            #expect(result.exitCode == 2, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("terminal"))
        }
    }
}
