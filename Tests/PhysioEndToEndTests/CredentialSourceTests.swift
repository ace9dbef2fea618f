import Foundation
import PhysioKit
import PhysioSimulator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Where unattended credentials come from (the environment, a password file, netrc under `$HOME` or
/// `$NETRC`), what a refused password says, and `status` logging in with them as `fetch` does.
@Suite("credential sources", .timeLimit(.minutes(3)))
struct CredentialSourceTests {
    static let wrong = ["PHYSIONET_USERNAME": "credentialed", "PHYSIONET_PASSWORD": "Not-The-Pass-9"]

    /// What a refused password must say, and must not.
    static func expectRefusal(_ text: String, naming source: String) {
        #expect(text.contains("refused the password for credentialed"), "\(text)")
        #expect(text.contains(source), "names where the credentials came from: \(text)")
        #expect(!text.contains("must be logged in"), "\(text)")
        #expect(!text.contains("`physio login` first"), "\(text)")
        #expect(!text.contains("credentialed PhysioNet user"), "nothing about credentialing: \(text)")
        #expect(!text.contains("Credentialing:"), "no requirement list: \(text)")
    }

    @Test("a refused password: fetch and sync say PhysioNet refused it, name the source, exit 5, nothing about credentialing")
    func refusedPassword() async throws {
        try await withWorkspace { workspace in
            let fetch = try await workspace.physio("fetch", "mimiciii@1.4", extraEnvironment: Self.wrong)
            #expect(fetch.exitCode == 5, "stderr: \(fetch.stderr)")
            Self.expectRefusal(fetch.allOutput, naming: "PHYSIONET_PASSWORD")

            let netrc = workspace.directory.appendingPathComponent("netrc")
            try Data("machine \(workspace.baseURL.host!) login credentialed password Not-The-Pass-9\n".utf8).write(to: netrc)
            chmod(netrc.path, 0o600)
            let fromNetrc = try await workspace.physio("fetch", "mimiciii@1.4", extraEnvironment: ["NETRC": netrc.path])
            #expect(fromNetrc.exitCode == 5, "stderr: \(fromNetrc.stderr)")
            Self.expectRefusal(fromNetrc.allOutput, naming: "netrc file \(netrc.path)")

            try FileManager.default.createDirectory(at: workspace.dataRoot, withIntermediateDirectories: true)
            let toml = workspace.dataRoot.appendingPathComponent("physio.toml")
            try Data("[[dataset]]\nslug = \"mimiciii\"\nversion = \"1.4\"\n".utf8).write(to: toml)
            let sync = try await workspace.physio("sync", "--file", toml.path, extraEnvironment: Self.wrong)
            #expect(sync.exitCode == 5, "stdout: \(sync.stdout) stderr: \(sync.stderr)")
            Self.expectRefusal(sync.allOutput, naming: "PHYSIONET_PASSWORD")
            try AccountTests.expectNoSecret("Not-The-Pass-9", in: workspace, outputs: [fetch, fromNetrc, sync], except: [netrc])
        }
    }

    @Test("PHYSIONET_PASSWORD_FILE: one trailing newline removed, a 0644 secret file accepted, its content never shown")
    func passwordFile() async throws {
        try await withWorkspace { workspace in
            // As a Kubernetes secret volume mounts it: world-readable, ending in the newline `echo` wrote.
            let secret = workspace.directory.appendingPathComponent("secret-physionet")
            try Data("Cred-Pass-1\n".utf8).write(to: secret)
            chmod(secret.path, 0o644)
            let file = ["PHYSIONET_USERNAME": "credentialed", "PHYSIONET_PASSWORD_FILE": secret.path]
            let login = try await workspace.physio("login", extraEnvironment: file)
            #expect(login.exitCode == 0, "stderr: \(login.stderr)")
            #expect(login.stdout.contains("PHYSIONET_PASSWORD_FILE=\(secret.path)"), "\(login.stdout)")
            #expect(try await workspace.physio("logout").exitCode == 0)

            let fetch = try await workspace.physio("fetch", "mimiciii@1.4", "--quiet", extraEnvironment: file)
            #expect(fetch.exitCode == 0, "stderr: \(fetch.stderr)")

            // Only one newline is the file's: a second one is part of what was written, and refused as such.
            try Data("Cred-Pass-1\n\n".utf8).write(to: secret)
            #expect(try await workspace.physio("logout").exitCode == 0)
            let twoNewlines = try await workspace.physio("login", extraEnvironment: file)
            #expect(twoNewlines.exitCode == 5, "stderr: \(twoNewlines.stderr)")
            #expect(twoNewlines.stderr.contains("refused the password for credentialed"))
            #expect(twoNewlines.stderr.contains(secret.path))

            let missing = try await workspace.physio(
                "login", extraEnvironment: file.merging(["PHYSIONET_PASSWORD_FILE": secret.path + ".absent"]) { $1 })
            #expect(missing.exitCode == 2, "stderr: \(missing.stderr)")
            #expect(missing.stderr.contains("\(secret.path).absent") && missing.stderr.contains("does not exist"))

            let both = try await workspace.physio("login", extraEnvironment: file.merging(["PHYSIONET_PASSWORD": "Cred-Pass-1"]) { $1 })
            #expect(both.exitCode == 2, "stderr: \(both.stderr)")
            #expect(both.stderr.contains("Both PHYSIONET_PASSWORD and PHYSIONET_PASSWORD_FILE are set"))
            try AccountTests.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [login, fetch, twoNewlines, missing, both], except: [secret])
        }
    }

    @Test("a PHYSIONET_PASSWORD that ends in a newline gets a warning, and the newline no PhysioNet password has is dropped")
    func environmentPasswordWithNewline() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio(
                "login", extraEnvironment: ["PHYSIONET_USERNAME": "credentialed", "PHYSIONET_PASSWORD": "Cred-Pass-1\n"])
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("warning: PHYSIONET_PASSWORD ends in a line break"), "\(result.stderr)")
            #expect(!result.stderr.contains("Cred-Pass-1"))
            let clean = try await workspace.physio("login", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(clean.exitCode == 0)
            #expect(!clean.stderr.contains("warning"))
        }
    }

    @Test("~ is $HOME: the netrc and the session store follow it; NETRC, when set, wins")
    func homeFromEnvironment() async throws {
        try await withWorkspace { workspace in
            // No NETRC and no XDG_STATE_HOME: only HOME says where ~ is (not the passwd entry of the test's user).
            var environment = workspace.environment
            environment["NETRC"] = nil
            environment["XDG_STATE_HOME"] = nil
            let netrc = workspace.home.appendingPathComponent(".netrc")
            try Data("machine \(workspace.baseURL.host!) login nodua password NoDua-Pass-1\n".utf8).write(to: netrc)
            chmod(netrc.path, 0o600)
            let login = try await PhysioProcess.run(["login"], environment: environment)
            #expect(login.exitCode == 0, "stderr: \(login.stderr)")
            #expect(login.stdout.contains("as nodua") && login.stdout.contains("netrc file \(netrc.path)"), "\(login.stdout)")
            let store = workspace.home.appendingPathComponent(".local/state/physio")
            let saved = (try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []
            #expect(saved.contains { $0.hasPrefix("session-") }, "the session is under $HOME/.local/state/physio: \(saved)")
            let whoami = try await PhysioProcess.run(["whoami"], environment: environment)
            #expect(whoami.exitCode == 0 && whoami.stdout.contains("nodua"), "stdout: \(whoami.stdout) stderr: \(whoami.stderr)")

            let elsewhere = workspace.directory.appendingPathComponent("other-netrc")
            try Data("machine \(workspace.baseURL.host!) login credentialed password Cred-Pass-1\n".utf8).write(to: elsewhere)
            chmod(elsewhere.path, 0o600)
            environment["NETRC"] = elsewhere.path
            let fromNETRC = try await PhysioProcess.run(["login"], environment: environment)
            #expect(fromNETRC.exitCode == 0, "stderr: \(fromNETRC.stderr)")
            #expect(fromNETRC.stdout.contains("as credentialed") && fromNETRC.stdout.contains(elsewhere.path))
            _ = try await PhysioProcess.run(["logout"], environment: environment)
        }
    }

    @Test("status logs in with the credentials fetch would use (environment, password file, netrc), without prompting")
    func statusLogsInUnattended() async throws {
        try await withWorkspace { workspace in
            let fromEnvironment = try await workspace.physio("status", "mimiciii@1.4", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(fromEnvironment.exitCode == 0, "stdout: \(fromEnvironment.stdout) stderr: \(fromEnvironment.stderr)")
            #expect(fromEnvironment.stdout.contains("Account: credentialed on"))
            #expect(fromEnvironment.stdout.contains("logged in with credentials from the environment variables"))
            #expect(fromEnvironment.stdout.contains("Credentialing: credentialed"))
            #expect(fromEnvironment.stdout.contains("Access: yes"))
            // The login is kept, as fetch keeps it: the next status needs no credentials.
            let saved = try await workspace.physio("status", "--json")
            #expect(saved.stdout.contains("\"loggedInAs\" : \"credentialed\""), "\(saved.stdout)")
            #expect(try await workspace.physio("logout").exitCode == 0)

            let secret = workspace.directory.appendingPathComponent("password")
            try Data("Review-Pass-1\n".utf8).write(to: secret)
            let fromFile = try await workspace.physio(
                "status", "--json", extraEnvironment: ["PHYSIONET_USERNAME": "reviewing", "PHYSIONET_PASSWORD_FILE": secret.path])
            #expect(fromFile.exitCode == 0, "stderr: \(fromFile.stderr)")
            #expect(fromFile.stdout.contains("\"loggedInAs\" : \"reviewing\""), "\(fromFile.stdout)")
            #expect(try await workspace.physio("logout").exitCode == 0)

            let netrc = workspace.directory.appendingPathComponent("netrc")
            try Data("machine \(workspace.baseURL.host!) login nodua password NoDua-Pass-1\n".utf8).write(to: netrc)
            chmod(netrc.path, 0o600)
            let fromNetrc = try await workspace.physio("status", "mimiciii@1.4", extraEnvironment: ["NETRC": netrc.path])
            #expect(fromNetrc.exitCode == 6, "stderr: \(fromNetrc.stderr)")
            #expect(fromNetrc.stdout.contains("Account: nodua on") && fromNetrc.stdout.contains("netrc file \(netrc.path)"))
            #expect(try await workspace.physio("logout").exitCode == 0)

            let refused = try await workspace.physio("status", extraEnvironment: Self.wrong)
            #expect(refused.exitCode == 5, "stdout: \(refused.stdout) stderr: \(refused.stderr)")
            Self.expectRefusal(refused.stderr, naming: "PHYSIONET_PASSWORD")

            // No credentials anywhere: anonymous, as before.
            let anonymous = try await workspace.physio("status")
            #expect(anonymous.exitCode == 0)
            #expect(anonymous.stdout.contains("not logged in"))
            try AccountTests.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [fromEnvironment, saved])
        }
    }

    @Test("an expired session of another user: the unattended login is PHYSIONET_USERNAME's, not the old session's name")
    func expiredSessionOfAnotherUser() async throws {
        try await withWorkspace { workspace in
            #expect(try await workspace.physio("login", extraEnvironment: AccountTests.credentials("nodua")).exitCode == 0)
            // The server no longer knows the saved cookie: as after its expiry.
            let folder = workspace.stateDirectory.appendingPathComponent("physio")
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("session-") })
            let path = folder.appendingPathComponent(file)
            var session = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
            var cookies = try #require(session["cookies"] as? [[String: Any]])
            for index in cookies.indices where cookies[index]["name"] as? String == "sessionid" { cookies[index]["value"] = "expired0000" }
            session["cookies"] = cookies
            try JSONSerialization.data(withJSONObject: session).write(to: path)
            chmod(path.path, 0o600)

            let status = try await workspace.physio("status", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(status.exitCode == 0, "stdout: \(status.stdout) stderr: \(status.stderr)")
            #expect(status.stdout.contains("Account: credentialed on"), "\(status.stdout)")
        }
    }

    @Test("--auth wget-basic sends credentials only after a 401 challenge: an open dataset never carries them or costs a password check")
    func wgetBasicOnlyAfterChallenge() async throws {
        try await withWorkspace(behindTLSFront: true) { workspace in
            let open = try await workspace.physio(
                "fetch", "mimic-iv-demo-omop@0.9", "--auth", "wget-basic", "--quiet", extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(open.exitCode == 0, "stderr: \(open.stderr)")
            let files = workspace.server.counters.requests.filter { $0.path.hasPrefix("/files/") }
            #expect(files.count > 3)
            #expect(files.allSatisfy { $0.header("Authorization") == nil }, "an open version never challenges, so never gets the password")
            #expect(workspace.server.counters.passwordChecks == 0)

            // A refused password is said as such (a 401 to the credentials), not as a missing requirement.
            let refused = try await workspace.physio("fetch", "mimiciii@1.4", "--auth", "wget-basic", "--quiet", extraEnvironment: Self.wrong)
            #expect(refused.exitCode == 5, "stderr: \(refused.stderr)")
            Self.expectRefusal(refused.stderr, naming: "PHYSIONET_PASSWORD")
            try AccountTests.expectNoSecret("Cred-Pass-1", in: workspace, outputs: [open])
            try AccountTests.expectNoSecret("Not-The-Pass-9", in: workspace, outputs: [refused])
        }
    }
}
