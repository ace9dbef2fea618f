import Foundation
import PhysioKit
import Testing

@Suite("Netrc parsing and loading")
struct NetrcTests {
    @Test("machine, default, account, comments, quoted values and macdef blocks")
    func parse() throws {
        let text = """
            # my credentials
            machine example.com login bob password "pw with spaces"
            macdef init
            cd /pub
            machine evil.example login mallory password stolen

            machine PhysioNet.org
                login alice
                password s3cr#t   account acct   # trailing comment
            default login anon password guest
            """
        let netrc = try Netrc(parsing: text)
        #expect(netrc.entries.count == 3, "the machine inside the macdef body is not an entry")
        let physionet = try #require(netrc.entry(forHost: "physionet.org"))
        #expect(physionet.login == "alice")
        #expect(physionet.password == "s3cr#t")
        #expect(physionet.account == "acct")
        #expect(netrc.entry(forHost: "example.com")?.password == "pw with spaces")
        #expect(netrc.entry(forHost: "evil.example")?.login == "anon", "falls back to default")
        #expect(netrc.entry(forHost: "127.0.0.1")?.machine == nil)
    }

    @Test("an explicit login skips entries for other accounts")
    func loginFilter() throws {
        let netrc = try Netrc(parsing: "machine physionet.org login alice password a\nmachine physionet.org login bob password b")
        #expect(netrc.entry(forHost: "physionet.org", login: "bob")?.password == "b")
        #expect(netrc.entry(forHost: "physionet.org", login: "carol") == nil)
    }

    @Test("a keyword without a value is an error with its line")
    func malformed() {
        #expect(throws: Netrc.ParseError(line: 2, reason: "`password` has no value")) {
            try Netrc(parsing: "machine a login b\npassword")
        }
    }

    @Test("descriptions redact the password")
    func redaction() throws {
        let entry = try #require(try Netrc(parsing: "machine h login u password topsecret").entries.first)
        #expect(!"\(entry)".contains("topsecret"))
        #expect(!String(reflecting: entry).contains("topsecret"))
    }

    @Test("NETRC overrides ~/.netrc")
    func path() {
        #expect(NetrcLoader(environment: [:], homeDirectory: "/home/a").path == "/home/a/.netrc")
        #expect(NetrcLoader(environment: ["NETRC": "/tmp/n"], homeDirectory: "/home/a").path == "/tmp/n")
        #expect(NetrcLoader(environment: ["NETRC": ""], homeDirectory: "/home/a/").path == "/home/a/.netrc")
    }

    @Test("a missing file is no netrc; a 0600 file is read")
    func load() throws {
        let dir = try TemporaryDirectory()
        let loader = NetrcLoader(environment: [:], homeDirectory: dir.path)
        #expect(try loader.load() == nil)
        try dir.write(".netrc", "machine physionet.org login alice password pw", mode: 0o600)
        #expect(try loader.load()?.entry(forHost: "physionet.org")?.login == "alice")
    }

    @Test("group- or world-accessible netrc files are refused with the chmod fix", arguments: [0o644, 0o640, 0o604, 0o620, 0o602])
    func insecure(mode: Int) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("netrc", "machine physionet.org login alice password pw", mode: mode_t(mode))
        let loader = NetrcLoader(environment: ["NETRC": path], homeDirectory: dir.path)
        do {
            _ = try loader.load()
            Issue.record("expected a refusal")
        } catch {
            #expect(error == .netrcInsecurePermissions(path: path, mode: UInt16(mode)))
            #expect(error.description.contains("chmod 600 \(path)"))
            #expect(!error.description.contains("pw"))
        }
    }
}
