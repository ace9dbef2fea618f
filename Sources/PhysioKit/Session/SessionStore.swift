import FoundationEssentials

/// Keeps one `StoredSession` per site under `$XDG_STATE_HOME/physio/` (default `~/.local/state/physio/`).
///
/// The file is `session-<host>-<port>.json`; the directory is created 0700 and the file written atomically as
/// 0600. Loading checks the open file: a file owned by someone else is refused, and a file that group or
/// others could read is **deleted and reported** (`sessionFileExposed`): its cookie may have leaked, so it is
/// not used again, and repairing the mode would hide that. The user logs in again to get a fresh session.
public struct SessionStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The store at `$XDG_STATE_HOME/physio`, or `~/.local/state/physio` when that is unset or not absolute
    /// (as the XDG Base Directory specification asks).
    public init(environment: [String: String], homeDirectory: String) {
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else {
            base = URL(fileURLWithPath: homeDirectory).appendingPathComponent(".local/state").path
        }
        directory = URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent("physio", isDirectory: true)
    }

    /// `session-physionet.org-443.json`, `session-127.0.0.1-8080.json`: characters outside `[A-Za-z0-9.-]` become `_`.
    public func fileURL(for site: PhysioNetSite) -> URL {
        let host = String(site.origin.host.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "_" })
        return directory.appendingPathComponent("session-\(host)-\(site.origin.port).json")
    }

    /// Saves `jar` as the session for `site`, replacing any previous one.
    public func save(
        _ jar: CookieJar, username: String, accountName: String? = nil, for site: PhysioNetSite, now: Date = Date()
    ) throws(PhysioError) {
        // Only cookies for this site's host are kept; expired ones are dropped.
        let cookies = jar.cookies.filter { cookie in
            let host = site.origin.host
            let belongs = cookie.hostOnly ? cookie.domain == host : (host == cookie.domain || host.hasSuffix("." + cookie.domain))
            return belongs && (cookie.expires.map { $0 > now } ?? true)
        }
        let session = StoredSession(
            baseURL: site.description, username: username, accountName: accountName, savedAt: now, cookies: cookies)
        try save(session, for: site)
    }

    public func save(_ session: StoredSession, for site: PhysioNetSite) throws(PhysioError) {
        let path = fileURL(for: site).path
        let encoder = PhysioJSON.encoder()
        let data: Data
        do {
            data = try encoder.encode(session)
        } catch {
            throw .sessionFileUnwritable(path: path, reason: "could not encode the session")
        }
        do {
            try SecureFile.makeDirectory(directory.path)
        } catch {
            throw .sessionFileUnwritable(path: path, reason: Self.reason(error))
        }
        do {
            // Owner-only from its creation (the temporary file is made 0600 before a byte is written).
            try FileSystem.writeAtomically(Array(data), to: URL(fileURLWithPath: path), mode: 0o600)
        } catch {
            throw .sessionFileUnwritable(path: path, reason: error.facts["detail"] ?? error.what)
        }
    }

    /// The saved session for `site`, or `nil` when there is none (or it belongs to another origin).
    public func load(for site: PhysioNetSite) throws(PhysioError) -> StoredSession? {
        let path = fileURL(for: site).path
        let contents: SecureFile.Contents
        do {
            guard let loaded = try SecureFile.load(path) else { return nil }
            contents = loaded
        } catch {
            throw .sessionFileUnreadable(path: path, reason: Self.reason(error))
        }
        guard contents.ownerID == SecureFile.currentUserID else { throw .sessionFileNotOwned(path: path) }
        guard contents.mode & 0o077 == 0 else {
            try? SecureFile.remove(path)
            throw .sessionFileExposed(path: path, mode: contents.mode)
        }
        let decoder = PhysioJSON.decoder()
        // Read the schema first so a newer file gets a clear message rather than a decoding failure.
        struct Schema: Decodable { var schemaVersion: Int }
        guard let schema = try? decoder.decode(Schema.self, from: Data(contents.bytes)) else {
            throw .sessionFileUnreadable(path: path, reason: "it is not a physio session file")
        }
        guard schema.schemaVersion <= StoredSession.currentSchemaVersion else {
            throw .sessionFileFromNewerVersion(path: path, schemaVersion: schema.schemaVersion)
        }
        guard let session = try? decoder.decode(StoredSession.self, from: Data(contents.bytes)) else {
            throw .sessionFileUnreadable(path: path, reason: "it is damaged")
        }
        return session.baseURL == site.description ? session : nil
    }

    /// Forgets the session for `site` (after `physio logout`); a missing file is fine.
    public func delete(for site: PhysioNetSite) throws(PhysioError) {
        let path = fileURL(for: site).path
        do {
            try SecureFile.remove(path)
        } catch {
            throw .sessionFileUnwritable(path: path, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: SecureFile.Failure) -> String {
        switch error {
        case .system(let text): return text
        }
    }
}
