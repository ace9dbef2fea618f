import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Logins, `physio status` per account state, credential sources and the session file's safety.
@Suite("accounts and access", .timeLimit(.minutes(3)))
struct AccountTests {
    static let passwords = [
        "credentialed": "Cred-Pass-1", "nodua": "NoDua-Pass-1", "expired": "Expired-Pass-1", "pending": "Pending-Pass-1",
        "uncredentialed": "Uncred-Pass-1", "reviewing": "Review-Pass-1", "reference": "Reference-Pass-1",
        "approval": "Approval-Pass-1", "rejected": "Rejected-Pass-1",
    ]

    static func credentials(_ user: String) -> [String: String] {
        ["PHYSIONET_USERNAME": user, "PHYSIONET_PASSWORD": passwords[user]!]
    }

    /// No output and no file physio wrote may contain the password.
    /// `except`: files the test itself wrote the password into (a netrc, a password file).
    static func expectNoSecret(_ password: String, in workspace: Workspace, outputs: [PhysioProcess.Result], except: [URL] = []) throws {
        for output in outputs { #expect(!output.allOutput.contains(password), "password in output") }
        let written = Set(except.map(\.standardizedFileURL.path))
        for file in workspace.allFiles() where !file.path.contains("/home/.netrc") && !written.contains(file.standardizedFileURL.path) {
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

    struct AdviceCase: Sendable, CustomStringConvertible {
        var user: String?
        /// `action` of each unmet requirement of mimiciii 1.4, in the page's order (`nil`: anonymous).
        var actions: [String?]
        /// Phrases the text must show, and phrases it must not (advice the account's state contradicts).
        var says: [String]
        var neverSays: [String]
        var description: String { user ?? "anonymous" }
    }

    static let adviceCases: [AdviceCase] = [
        AdviceCase(
            user: "pending", actions: ["wait", "submitTraining", "signDUA"],
            says: ["is pending (Awaiting review): nothing to do but wait for PhysioNet to review it; follow it at", "You have not submitted CITI"],
            neverSays: ["apply for credentialing", "You are not a credentialed"]),
        AdviceCase(
            user: "reference", actions: ["wait", "signDUA"],
            says: ["(Awaiting a response from reference): nothing to do but wait for your reference to answer PhysioNet"],
            neverSays: ["apply for credentialing", "You are not a credentialed"]),
        AdviceCase(
            user: "approval", actions: ["wait", "signDUA"],
            says: ["(Awaiting final approval): nothing to do but wait for PhysioNet's final approval"],
            neverSays: ["apply for credentialing"]),
        AdviceCase(
            user: "reviewing", actions: ["wait"],
            says: ["Your CITI Data or Specimens Only Research report is under review: nothing to do but wait; see it at"],
            neverSays: ["You have not", "submit"]),
        AdviceCase(
            user: "rejected", actions: ["submitTraining"],
            says: ["PhysioNet rejected your CITI Data or Specimens Only Research report; submit a new one at"],
            neverSays: ["You have not"]),
        AdviceCase(
            user: "expired", actions: ["submitTraining"],
            says: ["Your CITI Data or Specimens Only Research training has expired; complete it again and submit the new report at"],
            neverSays: ["You have not"]),
        AdviceCase(
            user: "uncredentialed", actions: ["apply", "submitTraining", "signDUA"],
            says: ["You are not a credentialed PhysioNet user; apply for credentialing at", "You have not submitted CITI"],
            neverSays: ["wait"]),
        AdviceCase(
            user: nil, actions: [nil, nil, nil],
            says: ["the project requires:", "Credentialing: only credentialed PhysioNet users may download it",
                   "Training: CITI Data or Specimens Only Research", "Data use agreement: signed for mimiciii 1.4"],
            neverSays: ["You are not", "You have not"]),
    ]

    @Test("the requirement list says what the account's state calls for: apply, wait, or submit again", arguments: adviceCases)
    func requirementAdvice(_ testCase: AdviceCase) async throws {
        try await withWorkspace { workspace in
            if let user = testCase.user {
                let login = try await workspace.physio("login", extraEnvironment: Self.credentials(user))
                #expect(login.exitCode == 0, "stderr: \(login.stderr)")
            }
            let text = try await workspace.physio("status", "mimiciii@1.4")
            for phrase in testCase.says { #expect(text.stdout.contains(phrase), "missing \"\(phrase)\" in:\n\(text.stdout)") }
            let requirements = text.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  - ") }.joined(separator: "\n")
            for phrase in testCase.neverSays { #expect(!requirements.contains(phrase), "\"\(phrase)\" in:\n\(requirements)") }

            let json = try await workspace.physio("status", "mimiciii@1.4", "--json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let unmet = try #require((object["projects"] as? [[String: Any]])?.first?["unmetRequirements"] as? [[String: Any]])
            #expect(unmet.map { $0["action"] as? String } == testCase.actions, "\(unmet)")

            // A refused fetch prints the same advice before its one-line error.
            if let user = testCase.user {
                let fetch = try await workspace.physio("fetch", "mimiciii@1.4", extraEnvironment: Self.credentials(user))
                #expect(fetch.exitCode == 6, "stderr: \(fetch.stderr)")
                for phrase in testCase.says { #expect(fetch.stdout.contains(phrase), "fetch: missing \"\(phrase)\" in:\n\(fetch.stdout)") }
            }
        }
    }
}
