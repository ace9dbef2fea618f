import Foundation
import PhysioKit
import Synchronization
import Testing

/// A scripted terminal: answers prompts from a queue and records which prompts were shown, echo on or off.
final class ScriptedPrompter: CredentialPrompter {
    private let state: Mutex<(answers: [String?], shown: [String])>

    init(_ answers: [String?]) {
        state = Mutex((answers, []))
    }

    var shown: [String] { state.withLock { $0.shown } }

    func readLine(prompt: String) throws -> String? { next("echo:" + prompt) }
    func readSecret(prompt: String) throws -> String? { next("secret:" + prompt) }

    private func next(_ prompt: String) -> String? {
        state.withLock { state in
            state.shown.append(prompt)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
    }
}

@Suite("CredentialResolver source order")
struct CredentialResolverTests {
    let site = PhysioNetSite()
    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory()
    }

    func resolver(
        env: [String: String] = [:], stdin: String? = nil, tty: Bool = false, prompter: (any CredentialPrompter)? = nil
    ) -> CredentialResolver {
        CredentialResolver(context: .init(
            environment: env, homeDirectory: home.path, standardInputIsTerminal: tty,
            readStandardInputLine: { stdin }, prompter: prompter))
    }

    func writeNetrc(_ text: String = "machine physionet.org login netrcuser password netrcpw") throws {
        try home.write(".netrc", text, mode: 0o600)
    }

    @Test("--password-stdin wins over everything and strips only the line ending")
    func stdinFirst() throws {
        try writeNetrc()
        let env = ["PHYSIONET_USERNAME": "envuser", "PHYSIONET_PASSWORD": "envpw"]
        let resolved = try resolver(env: env, stdin: " pw with space \r\n").resolve(for: site, username: "alice", passwordFromStdin: true)
        #expect(resolved.credentials == Credentials(username: "alice", password: " pw with space "))
        #expect(resolved.source == .passwordStdin)
        let fromEnvName = try resolver(env: env, stdin: "pw\n").resolve(for: site, passwordFromStdin: true)
        #expect(fromEnvName.credentials.username == "envuser")
    }

    @Test("--password-stdin without any username, or with an empty line, is refused")
    func stdinErrors() {
        #expect(throws: PhysioError.passwordStdinNeedsUsername) {
            try resolver(stdin: "pw\n").resolve(for: site, passwordFromStdin: true)
        }
        #expect(throws: PhysioError.emptyPassword(source: "standard input")) {
            try resolver(stdin: "\n").resolve(for: site, username: "alice", passwordFromStdin: true)
        }
    }

    @Test("environment before netrc; --username overrides PHYSIONET_USERNAME")
    func environmentSecond() throws {
        try writeNetrc()
        let env = ["PHYSIONET_USERNAME": "envuser", "PHYSIONET_PASSWORD": "envpw"]
        let resolved = try resolver(env: env).resolve(for: site)
        #expect(resolved.credentials == Credentials(username: "envuser", password: "envpw"))
        #expect(resolved.source == .environment)
        #expect(try resolver(env: env).resolve(for: site, username: "bob").credentials.username == "bob")
    }

    @Test("PHYSIONET_PASSWORD_FILE: the file less one line ending, any mode, after PHYSIONET_PASSWORD's place and before netrc")
    func passwordFile() throws {
        try writeNetrc()
        let file = try home.write("secret", "pw with space \n", mode: 0o644)
        let env = ["PHYSIONET_USERNAME": "envuser", "PHYSIONET_PASSWORD_FILE": file]
        let resolved = try #require(try resolver(env: env).resolveUnattended(for: site))
        #expect(resolved.credentials == Credentials(username: "envuser", password: "pw with space "))
        #expect(resolved.source == .passwordFile(path: file))
        #expect(resolved.source.description.contains(file))
        try home.write("secret", "crlf\r\n", mode: 0o400)
        #expect(try resolver(env: env).resolve(for: site).credentials.password == "crlf")
        try home.write("secret", "two\n\n", mode: 0o600)
        #expect(try resolver(env: env).resolve(for: site).credentials.password == "two\n", "only one newline is the file's")
        try home.write("secret", "\n", mode: 0o600)
        #expect(throws: PhysioError.emptyPassword(source: "PHYSIONET_PASSWORD_FILE (\(file))")) { try resolver(env: env).resolve(for: site) }
    }

    @Test("a password file that cannot be used stops resolution, naming the file, never its content")
    func passwordFileProblems() throws {
        let absent = home.path + "/absent"
        #expect(throws: PhysioError.passwordFileUnreadable(variable: "PHYSIONET_PASSWORD_FILE", path: absent, reason: "it does not exist")) {
            try resolver(env: ["PHYSIONET_USERNAME": "u", "PHYSIONET_PASSWORD_FILE": absent]).resolve(for: site)
        }
        let directory = home.path + "/folder"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(throws: PhysioError.passwordFileUnreadable(variable: "PHYSIONET_PASSWORD_FILE", path: directory, reason: "not a regular file")) {
            try resolver(env: ["PHYSIONET_USERNAME": "u", "PHYSIONET_PASSWORD_FILE": directory]).resolve(for: site)
        }
        let big = try home.write("big", String(repeating: "x", count: 5000), mode: 0o600)
        do {
            _ = try resolver(env: ["PHYSIONET_USERNAME": "u", "PHYSIONET_PASSWORD_FILE": big]).resolve(for: site)
            Issue.record("a 5000-byte file is not a password file")
        } catch {
            #expect(error.kind == .passwordFileUnreadable)
            #expect(!error.message.contains("xxxx"))
        }
        let file = try home.write("secret", "pw", mode: 0o600)
        #expect(throws: PhysioError.conflictingPasswordSources("PHYSIONET_PASSWORD", "PHYSIONET_PASSWORD_FILE")) {
            try resolver(env: ["PHYSIONET_USERNAME": "u", "PHYSIONET_PASSWORD": "pw", "PHYSIONET_PASSWORD_FILE": file]).resolve(for: site)
        }
        #expect(throws: PhysioError.passwordWithoutUsername(source: CredentialSource.passwordFile(path: file).description)) {
            try resolver(env: ["PHYSIONET_PASSWORD_FILE": file]).resolve(for: site)
        }
    }

    @Test("a PHYSIONET_PASSWORD ending in a line break is warned about and used without it; other whitespace is kept")
    func environmentPasswordLineEnding() throws {
        let warnings = Mutex<[String]>([])
        let context = CredentialResolver.Context(
            environment: ["PHYSIONET_USERNAME": "u", "PHYSIONET_PASSWORD": " secret\n"], homeDirectory: home.path,
            standardInputIsTerminal: false, readStandardInputLine: { nil }, prompter: nil,
            warn: { message in warnings.withLock { $0.append(message) } })
        #expect(try CredentialResolver(context: context).resolve(for: site).credentials.password == " secret")
        let said = warnings.withLock { $0 }
        #expect(said.count == 1 && said[0].contains("PHYSIONET_PASSWORD ends in a line break"))
        #expect(!said[0].contains("secret"))
        var clean = context
        clean.environment["PHYSIONET_PASSWORD"] = "secret "
        #expect(try CredentialResolver(context: clean).resolve(for: site).credentials.password == "secret ")
        #expect(warnings.withLock { $0.count } == 1)
    }

    @Test("the unattended sources give nil, not an error, when none has credentials")
    func unattendedNone() throws {
        #expect(try resolver(tty: true, prompter: ScriptedPrompter(["a", "b"])).resolveUnattended(for: site) == nil)
    }

    @Test("~ is $HOME when it is an absolute path, else the password database's")
    func homeDirectory() {
        #expect(HomeDirectory.path(environment: ["HOME": "/srv/physio"]) == "/srv/physio")
        let database = FileManager.default.homeDirectoryForCurrentUser.path
        #expect(HomeDirectory.path(environment: [:]) == database)
        #expect(HomeDirectory.path(environment: ["HOME": ""]) == database)
        #expect(HomeDirectory.path(environment: ["HOME": "relative/home"]) == database)
    }

    @Test("netrc for the site's host, then its default entry")
    func netrcThird() throws {
        try writeNetrc("machine other.org login x password y\ndefault login defuser password defpw")
        let resolved = try resolver().resolve(for: site)
        #expect(resolved.credentials == Credentials(username: "defuser", password: "defpw"))
        #expect(resolved.source == .netrc(path: home.path + "/.netrc"))
        try writeNetrc()
        #expect(try resolver().resolve(for: site).credentials.username == "netrcuser")
        let simulator = try PhysioNetSite.validate(baseURL: URL(string: "http://127.0.0.1:8080")!)
        try writeNetrc("machine 127.0.0.1 login simuser password simpw")
        #expect(try resolver().resolve(for: simulator).credentials.username == "simuser")
    }

    @Test("an insecure netrc stops resolution instead of being skipped")
    func insecureNetrc() throws {
        try home.write(".netrc", "machine physionet.org login a password b", mode: 0o644)
        #expect(throws: PhysioError.netrcInsecurePermissions(path: home.path + "/.netrc", mode: 0o644)) {
            try resolver(tty: true, prompter: ScriptedPrompter(["a", "b"])).resolve(for: site)
        }
    }

    @Test("the prompt is last, asks the password with echo off, and only on a TTY")
    func promptLast() throws {
        let prompter = ScriptedPrompter(["alice", "typed"])
        let resolved = try resolver(tty: true, prompter: prompter).resolve(for: site)
        #expect(resolved.credentials == Credentials(username: "alice", password: "typed"))
        #expect(resolved.source == .prompt)
        #expect(prompter.shown.count == 2)
        #expect(prompter.shown[0].hasPrefix("echo:"))
        #expect(prompter.shown[1].hasPrefix("secret:"))

        let known = ScriptedPrompter(["typed"])
        #expect(try resolver(env: ["PHYSIONET_USERNAME": "bob"], tty: true, prompter: known).resolve(for: site).credentials.username == "bob")
        #expect(known.shown.count == 1, "a known username is not asked again")

        let unused = ScriptedPrompter(["alice", "typed"])
        #expect(throws: PhysioError.noCredentials(host: "physionet.org")) {
            try resolver(tty: false, prompter: unused).resolve(for: site)
        }
        #expect(unused.shown.isEmpty, "no prompt when stdin is not a terminal")
    }

    @Test("no source: the error says how to provide credentials")
    func noSource() {
        do {
            _ = try resolver().resolve(for: site)
            Issue.record("expected noCredentials")
        } catch {
            #expect(error == .noCredentials(host: "physionet.org"))
            for hint in ["PHYSIONET_USERNAME", "PHYSIONET_PASSWORD", "netrc", "--password-stdin"] {
                #expect(error.description.contains(hint))
            }
        }
    }

    @Test("Credentials never show the password")
    func redaction() {
        let credentials = Credentials(username: "alice", password: "hunter2")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped, "\([credentials])"] {
            #expect(!text.contains("hunter2"), "\(text)")
            #expect(text.contains("alice"))
        }
    }
}
