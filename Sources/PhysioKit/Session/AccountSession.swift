import Foundation
import Synchronization

/// The account context every networked command shares: the site, the stored login (if any) loaded into
/// one cookie jar, and a transport that carries that jar. Commands never build these pieces separately, so
/// cookies only ever come from and go to this one site.
public final class AccountSession: Sendable {
    public let site: PhysioNetSite
    public let store: SessionStore
    public let jar: CookieJar
    public let transport: CookieJarTransport
    /// The login saved by `physio login`, when there is one.
    public let stored: StoredSession?
    private let credentialContext: CredentialResolver.Context
    /// Unattended re-logins happen at most once per run: a second refusal is a real answer, not an expiry.
    private let renewed = Mutex(false)

    public init(site: PhysioNetSite, store: SessionStore, credentialContext: CredentialResolver.Context) throws(PhysioError) {
        self.site = site
        self.store = store
        self.credentialContext = credentialContext
        stored = try store.load(for: site)
        jar = stored?.makeCookieJar() ?? CookieJar()
        transport = CookieJarTransport(base: CurlTransport(configuration: .fromEnvironment(credentialContext.environment)), jar: jar)
    }

    /// The real process environment, home directory and terminal.
    public static func live(baseURL: URL, allowInsecureHTTP: Bool) throws(PhysioError) -> AccountSession {
        let site = try PhysioNetSite.validate(baseURL: baseURL, allowInsecureHTTP: allowInsecureHTTP)
        let context = CredentialResolver.Context.live()
        return try AccountSession(
            site: site, store: SessionStore(environment: context.environment, homeDirectory: context.homeDirectory),
            credentialContext: context)
    }

    public var username: String? { stored?.username }

    /// Logs in with the given credential sources and saves the session.
    public func logIn(username: String?, passwordFromStdin: Bool, interactive: Bool = true) async throws -> (LoginFlow.Result, CredentialSource) {
        var context = credentialContext
        if !interactive { context.prompter = nil }
        let resolved = try CredentialResolver(context: context).resolve(for: site, username: username, passwordFromStdin: passwordFromStdin)
        let result = try await LoginFlow(transport: transport, cookieJar: jar, site: site).logIn(resolved.credentials)
        try store.save(jar, username: result.username, accountName: result.accountName, for: site)
        return (result, resolved.source)
    }

    /// A fresh login without any prompt (environment or netrc only), for unattended runs whose session
    /// expired. `false` when no such credentials exist or the login failed.
    public func renewWithoutPrompting() async -> Bool {
        let first = renewed.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return false }
        do {
            _ = try await logIn(username: stored?.username, passwordFromStdin: false, interactive: false)
            return true
        } catch {
            return false
        }
    }
}
