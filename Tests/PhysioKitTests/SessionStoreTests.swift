import Foundation
import PhysioKit
import Testing

@Suite("SessionStore files and modes")
struct SessionStoreTests {
    let home: TemporaryDirectory
    let site: PhysioNetSite

    init() throws {
        home = try TemporaryDirectory()
        site = try PhysioNetSite.validate(baseURL: URL(string: "http://127.0.0.1:8080")!)
    }

    func loggedInJar() -> CookieJar {
        let jar = CookieJar()
        jar.store(setCookieHeaders: [
            "sessionid=SESSIONSECRET123; HttpOnly; Max-Age=43200; Path=/; SameSite=Lax",
            "csrftoken=CSRFVALUE; Max-Age=31449600; Path=/; SameSite=Lax",
        ], from: site.loginURL)
        jar.store(setCookieHeaders: ["tracker=1; Path=/"], from: URL(string: "https://elsewhere.example/")!)
        return jar
    }

    @Test("XDG_STATE_HOME/physio, else ~/.local/state/physio; one file per origin")
    func locations() {
        let xdg = SessionStore(environment: ["XDG_STATE_HOME": "/x/state"], homeDirectory: "/home/a")
        #expect(xdg.directory.path == "/x/state/physio")
        #expect(SessionStore(environment: ["XDG_STATE_HOME": "relative"], homeDirectory: "/home/a").directory.path == "/home/a/.local/state/physio")
        #expect(SessionStore(environment: [:], homeDirectory: "/home/a").directory.path == "/home/a/.local/state/physio")
        #expect(xdg.fileURL(for: site).lastPathComponent == "session-127.0.0.1-8080.json")
        #expect(xdg.fileURL(for: PhysioNetSite()).lastPathComponent == "session-physionet.org-443.json")
    }

    @Test("save creates a 0700 directory and a 0600 file; load round-trips; the password is nowhere")
    func saveAndLoad() throws {
        let store = SessionStore(environment: ["XDG_STATE_HOME": home.path + "/state"], homeDirectory: home.path)
        try store.save(loggedInJar(), username: "alice", accountName: "alice", for: site)
        let file = store.fileURL(for: site).path
        #expect(TemporaryDirectory.mode(of: store.directory.path) == 0o700)
        #expect(TemporaryDirectory.mode(of: home.path + "/state") == 0o700)
        #expect(TemporaryDirectory.mode(of: file) == 0o600)

        let loaded = try #require(try store.load(for: site))
        #expect(loaded.username == "alice")
        #expect(loaded.hasLiveSessionCookie())
        #expect(loaded.makeCookieJar().value(named: "sessionid", for: site.credentialingURL) == "SESSIONSECRET123")
        #expect(!loaded.cookies.contains { $0.name == "tracker" }, "cookies of other hosts are not kept")
        #expect(!"\(loaded)".contains("SESSIONSECRET123"))
        #expect(!String(reflecting: loaded).contains("SESSIONSECRET123"))

        let contents = try String(contentsOfFile: file, encoding: .utf8)
        #expect(contents.contains("alice"))
        #expect(!contents.contains("hunter2"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(leftovers == ["session-127.0.0.1-8080.json"], "no temporary files are left behind")
    }

    @Test("a looser existing directory is tightened and a replaced file stays 0600")
    func tightening() throws {
        let store = SessionStore(directory: home.url.appendingPathComponent("physio"))
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        chmod(store.directory.path, 0o755)
        try home.write("physio/session-127.0.0.1-8080.json", "{}", mode: 0o600)
        try store.save(loggedInJar(), username: "alice", for: site)
        #expect(TemporaryDirectory.mode(of: store.directory.path) == 0o700)
        #expect(TemporaryDirectory.mode(of: store.fileURL(for: site).path) == 0o600)
    }

    @Test("a session file readable by others is discarded and reported")
    func exposed() throws {
        let store = SessionStore(directory: home.url.appendingPathComponent("physio"))
        try store.save(loggedInJar(), username: "alice", for: site)
        let file = store.fileURL(for: site).path
        chmod(file, 0o644)
        #expect(throws: PhysioError.sessionFileExposed(path: file, mode: 0o644)) { try store.load(for: site) }
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try store.load(for: site) == nil)
    }

    @Test("missing, deleted, other-origin, damaged and newer files")
    func edgeCases() throws {
        let store = SessionStore(directory: home.url.appendingPathComponent("physio"))
        #expect(try store.load(for: site) == nil)
        try store.delete(for: site)  // nothing to delete is fine

        try store.save(loggedInJar(), username: "alice", for: site)
        try store.delete(for: site)
        #expect(try store.load(for: site) == nil)

        let https = try PhysioNetSite.validate(baseURL: URL(string: "https://127.0.0.1:8080")!)
        try store.save(loggedInJar(), username: "alice", for: site)
        #expect(try store.load(for: https) == nil, "a file written for http://… is not used for https://…")

        let file = store.fileURL(for: site).path
        try home.write("physio/session-127.0.0.1-8080.json", "not json", mode: 0o600)
        #expect(throws: PhysioError.sessionFileUnreadable(path: file, reason: "it is not a physio session file")) {
            try store.load(for: site)
        }
        try home.write("physio/session-127.0.0.1-8080.json", #"{"schemaVersion": 99}"#, mode: 0o600)
        #expect(throws: PhysioError.sessionFileFromNewerVersion(path: file, schemaVersion: 99)) {
            try store.load(for: site)
        }
    }
}
