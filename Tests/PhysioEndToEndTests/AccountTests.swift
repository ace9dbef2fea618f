import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Logins, `physio status` per account state, credential sources and the session file's safety.
@Suite("accounts and access", .timeLimit(.minutes(3)))
struct AccountTests {
    static let passwords = [
        "credentialed": "Cred-Pass-1", "nodua": "NoDua-Pass-1", "expired": "Expired-Pass-1", "pending": "Pending-Pass-1",
        "uncredentialed": "Uncred-Pass-1", "reviewing": "Review-Pass-1",
    ]

    static func credentials(_ user: String) -> [String: String] {
        ["PHYSIONET_USERNAME": user, "PHYSIONET_PASSWORD": passwords[user]!]
    }

    /// No output and no file physio wrote may contain the password.
    static func expectNoSecret(_ password: String, in workspace: Workspace, outputs: [PhysioProcess.Result]) throws {
        for output in outputs { #expect(!output.allOutput.contains(password), "password in output") }
        for file in workspace.allFiles() where !file.path.contains("/home/.netrc") {
            let data = try Data(contentsOf: file)
            #expect(data.range(of: Data(password.utf8)) == nil, "password in \(file.path)")
        }
    }

    @Test("login from the environment saves a 0600 session in a 0700 folder; whoami and logout work")
    func loginWhoamiLogout() async throws {
        try await withWorkspace { workspace in
            let login = try await workspace.physio("login", extraEnvironment: Self.credentials("credentialed"))
            #expect(login.exitCode == 0, "stderr: \(login.stderr)")
            #expect(login.stdout.contains("Logged in to \(URLOrigin(workspace.baseURL)) as credentialed"))
            let folder = workspace.stateDirectory.appendingPathComponent("physio")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(files.count == 1)
            let session = folder.appendingPathComponent(files[0])
            #expect(try FileManager.default.attributesOfItem(atPath: session.path)[.posixPermissions] as? Int == 0o600)
            #expect(try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int == 0o700)
            let whoami = try await workspace.physio("whoami")
            #expect(whoami.exitCode == 0)
            #expect(whoami.stdout.contains("credentialed on") && whoami.stdout.contains("session valid"))
            let logout = try await workspace.physio("logout")
            #expect(logout.exitCode == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
            let after = try await workspace.physio("whoami")
            #expect(after.exitCode == 5)
            try Self.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [login, whoami, logout, after])
        }
    }

    @Test("a wrong password is rejected with exit 5 and a message that names the user, not the password")
    func wrongPassword() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("login", extraEnvironment: ["PHYSIONET_USERNAME": "credentialed", "PHYSIONET_PASSWORD": "Not-The-Pass-9"])
            #expect(result.exitCode == 5, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("credentialed"))
            #expect(result.stderr.lowercased().contains("password"))
            try Self.expectNoSecret("Not-The-Pass-9", in: workspace, outputs: [result])
        }
    }

    @Test("--password-stdin with --username, and the primary e-mail as the login name")
    func passwordStdinAndEmail() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("login", "--username", "credentialed@example.org", "--password-stdin", input: "Cred-Pass-1\n")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("standard input"))
            try Self.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [result])
        }
    }

    @Test("netrc: used when 0600, refused with a chmod hint when readable by others")
    func netrc() async throws {
        try await withWorkspace { workspace in
            let netrc = workspace.home.appendingPathComponent(".netrc")
            try Data("machine \(workspace.baseURL.host!) login nodua password NoDua-Pass-1\n".utf8).write(to: netrc)
            chmod(netrc.path, 0o644)
            let refused = try await workspace.physio("login", extraEnvironment: ["NETRC": netrc.path])
            #expect(refused.exitCode == 2, "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains("chmod 600"))
            chmod(netrc.path, 0o600)
            let accepted = try await workspace.physio("login", extraEnvironment: ["NETRC": netrc.path])
            #expect(accepted.exitCode == 0, "stderr: \(accepted.stderr)")
            #expect(accepted.stdout.contains("as nodua"))
        }
    }

    @Test("a CSRF/Origin rejection is reported as such, distinct from wrong credentials and an unreachable server")
    func csrfRejectedAndUnreachable() async throws {
        try await withWorkspace(faults: FaultPlan(trustedOrigin: "https://physionet.org")) { workspace in
            let rejected = try await workspace.physio("login", extraEnvironment: Self.credentials("credentialed"))
            #expect(rejected.exitCode == 4, "stderr: \(rejected.stderr)")
            // The real site's CSRF failure page gives no reason (docs/protocol.md §2): the message names the checks.
            #expect(rejected.stderr.contains("refused the login form submission"), "stderr: \(rejected.stderr)")
            #expect(rejected.stderr.contains("Origin/Referer check failed"), "stderr: \(rejected.stderr)")
            #expect(!rejected.stderr.contains("correct username"))
            let unreachable = try await workspace.physio(
                "login", extraEnvironment: Self.credentials("credentialed").merging(["PHYSIO_BASE_URL": "http://127.0.0.1:9"]) { $1 })
            #expect(unreachable.exitCode == 4)
            #expect(unreachable.stderr.contains("127.0.0.1:9"))
            #expect(!unreachable.stderr.contains("Origin"))
            try Self.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [rejected, unreachable])
        }
    }

    @Test("no terminal and no credentials: a clear error and exit 5")
    func noCredentials() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("login")
            #expect(result.exitCode == 5, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("PHYSIONET_USERNAME"))
        }
    }

    struct StatusCase: Sendable, CustomStringConvertible {
        var user: String?
        var project: String
        var exitCode: Int32
        var requirementKinds: [String]
        var fixPaths: [String]
        var description: String { "\(user ?? "anonymous") → \(project)" }
    }

    static let statusCases: [StatusCase] = [
        StatusCase(user: "credentialed", project: "mimiciii@1.4", exitCode: 0, requirementKinds: [], fixPaths: []),
        StatusCase(user: "nodua", project: "mimiciii@1.4", exitCode: 6, requirementKinds: ["signDUA"], fixPaths: ["/sign-dua/mimiciii/1.4/"]),
        StatusCase(user: "expired", project: "mimiciii@1.4", exitCode: 6, requirementKinds: ["training"], fixPaths: ["/content/mimiciii/view-required-training/1.4/#1"]),
        StatusCase(user: "pending", project: "mimiciii@1.4", exitCode: 6, requirementKinds: ["credentialing", "training", "signDUA"],
                   fixPaths: ["/settings/credentialing/", "/content/mimiciii/view-required-training/1.4/#1", "/sign-dua/mimiciii/1.4/"]),
        StatusCase(user: "uncredentialed", project: "mimiciii@1.4", exitCode: 6, requirementKinds: ["credentialing", "training", "signDUA"],
                   fixPaths: ["/settings/credentialing/", "/content/mimiciii/view-required-training/1.4/#1", "/sign-dua/mimiciii/1.4/"]),
        StatusCase(user: "nodua", project: "restricted-demo@1.0", exitCode: 6, requirementKinds: ["signDUA"], fixPaths: ["/sign-dua/restricted-demo/1.0/"]),
        StatusCase(user: "nodua", project: "cr-demo@1.0", exitCode: 6, requirementKinds: ["contributorRequest"], fixPaths: ["/request-access-status/cr-demo/1.0/"]),
        StatusCase(user: "credentialed", project: "cr-demo@1.0", exitCode: 0, requirementKinds: [], fixPaths: []),
        StatusCase(user: nil, project: "mimiciii@1.4", exitCode: 5, requirementKinds: ["credentialing", "training", "signDUA"],
                   fixPaths: ["/settings/credentialing/", "/content/mimiciii/view-required-training/1.4/#1", "/sign-dua/mimiciii/1.4/"]),
        StatusCase(user: nil, project: "mimiciii-demo", exitCode: 0, requirementKinds: [], fixPaths: []),
    ]

    @Test("status names exactly the unmet requirements with absolute fix URLs", arguments: statusCases)
    func status(_ testCase: StatusCase) async throws {
        try await withWorkspace { workspace in
            if let user = testCase.user {
                let login = try await workspace.physio("login", extraEnvironment: Self.credentials(user))
                #expect(login.exitCode == 0, "stderr: \(login.stderr)")
            }
            let result = try await workspace.physio("status", testCase.project, "--json")
            #expect(result.exitCode == testCase.exitCode, "stdout: \(result.stdout) stderr: \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let projects = try #require(json["projects"] as? [[String: Any]])
            let unmet = try #require(projects.first?["unmetRequirements"] as? [[String: Any]])
            #expect(unmet.compactMap { $0["kind"] as? String } == testCase.requirementKinds)
            let base = workspace.baseURL.absoluteString.hasSuffix("/") ? String(workspace.baseURL.absoluteString.dropLast()) : workspace.baseURL.absoluteString
            #expect(unmet.compactMap { $0["fixURL"] as? String } == testCase.fixPaths.map { base + $0 })
            let text = try await workspace.physio("status", testCase.project)
            #expect(text.exitCode == testCase.exitCode)
            for path in testCase.fixPaths { #expect(text.stdout.contains(base + path)) }
        }
    }

    @Test("status shows the account: credentialing state and trainings grouped by state")
    func accountSummary() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: Self.credentials("reviewing")).exitCode == 0)
            let result = try await workspace.physio("status")
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("Account: reviewing"))
            #expect(result.stdout.contains("under review: CITI Data or Specimens Only Research"))
            #expect(result.stdout.contains("rejected: CITI Biomedical Research"))
            #expect(try await workspace.physio("login", extraEnvironment: Self.credentials("pending")).exitCode == 0)
            let pending = try await workspace.physio("status", "--json")
            #expect(pending.stdout.contains("\"reviewStatus\" : \"Awaiting review\""))
        }
    }
}
