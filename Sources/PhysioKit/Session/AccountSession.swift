import FoundationEssentials
import Synchronization

/// The account context every networked command shares: the site, the stored login (if any) loaded into
/// one cookie jar, and a transport that carries that jar. Commands never build these pieces separately, so
/// cookies only ever come from and go to this one site.
public final class AccountSession: Sendable {
    public let site: PhysioNetSite
    public let store: SessionStore
    public let jar: CookieJar
    public let transport: CookieJarTransport
    /// The network settings every transport of this command uses (agent, timeouts, proxy, CAs).
    public let configuration: TransportConfiguration
    /// The login saved by `physio login`, when there is one.
    public let stored: StoredSession?
    /// How a command physio prints reaches this site: the options this command was given for it.
    public let server: ServerArguments
    private let credentialContext: CredentialResolver.Context
    /// Unattended logins so far: the first one when no session was saved, then renewals as sessions expire.
    private struct UnattendedLogins {
        var renewals = 0
        var last: Date?
    }

    private let unattended = Mutex(UnattendedLogins())

    /// A session that served at least this long expired for real; a refusal sooner after a login is the
    /// server's answer, not an expiry, and gets no second renewal.
    static let genuineSessionSeconds: TimeInterval = 600

    public init(
        site: PhysioNetSite, store: SessionStore, credentialContext: CredentialResolver.Context,
        configuration: TransportConfiguration? = nil, server: ServerArguments = ServerArguments()
    ) throws(PhysioError) {
        self.site = site
        self.server = server
        self.configuration = configuration ?? .fromEnvironment(credentialContext.environment)
        self.store = store
        self.credentialContext = credentialContext
        stored = try store.load(for: site)
        jar = stored?.makeCookieJar() ?? CookieJar()
        transport = CookieJarTransport(base: CurlTransport(configuration: self.configuration), jar: jar)
    }

    /// The session of a command run with `run`'s environment, with the real terminal. `warn` hears about
    /// credentials that were used but look wrong (a password variable ending in a line break). `server`: the
    /// command's own options for reaching `baseURL`, for the commands it prints.
    public static func live(
        baseURL: URL, allowInsecureHTTP: Bool, proxy: String? = nil, caFile: String? = nil, context run: RunContext,
        server: ServerArguments = ServerArguments(), warn: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(PhysioError) -> AccountSession {
        let site = try PhysioNetSite.validate(baseURL: baseURL, allowInsecureHTTP: allowInsecureHTTP)
        let context = CredentialResolver.Context.live(run, warn: warn)
        return try AccountSession(
            site: site, store: SessionStore(environment: run.environment, homeDirectory: run.homeDirectory),
            credentialContext: context, configuration: run.transportConfiguration(proxy: proxy, caFile: caFile), server: server)
    }

    public var username: String? { stored?.username }

    /// The `~` this session's files are found under (`$HOME` first), for the other files a command reads.
    public var homeDirectory: String { credentialContext.homeDirectory }

    /// The credentials `fetch --auth wget-basic` sends: the same sources as a login, in the same order.
    public func resolveCredentials(username: String? = nil) throws(PhysioError) -> ResolvedCredentials {
        try CredentialResolver(context: credentialContext).resolve(for: site, username: username)
    }

    /// Logs in with the given credential sources and saves the session.
    public func logIn(username: String?, passwordFromStdin: Bool, interactive: Bool = true) async throws -> (LoginFlow.Result, CredentialSource) {
        var context = credentialContext
        if !interactive { context.prompter = nil }
        let resolved = try CredentialResolver(context: context).resolve(for: site, username: username, passwordFromStdin: passwordFromStdin)
        return (try await logIn(with: resolved), resolved.source)
    }

    /// Logs in from the unattended sources only (the environment, a password file, netrc), as `fetch` and
    /// `sync` do, and saves the session. `nil` when none of them holds credentials; throws when one does
    /// and the login fails (a refused password names its source).
    public func logInUnattended(username: String? = nil) async throws -> (LoginFlow.Result, CredentialSource)? {
        let resolver = CredentialResolver(context: credentialContext)
        // The saved session's user picks the netrc entry, but never overrides PHYSIONET_USERNAME: a password
        // from the environment is that user's, and pairing it with an older session's name would be refused.
        let environmentNamesUser = !(credentialContext.environment[CredentialResolver.usernameVariable] ?? "").isEmpty
        let preferred = username ?? (environmentNamesUser ? nil : stored?.username)
        guard let resolved = try resolver.resolveUnattended(for: site, username: preferred) else { return nil }
        return (try await logIn(with: resolved), resolved.source)
    }

    private func logIn(with resolved: ResolvedCredentials) async throws -> LoginFlow.Result {
        let result: LoginFlow.Result
        do {
            result = try await LoginFlow(transport: transport, cookieJar: jar, site: site).logIn(resolved.credentials)
        } catch let error as PhysioError where error.kind == .wrongCredentials {
            throw PhysioError.wrongCredentials(username: resolved.credentials.username, source: resolved.source)
        }
        // Saving fsyncs the file: blocking work, on the blocking-work executor.
        try await BlockingIO.run { [store, jar, site] () throws in
            try store.save(jar, username: result.username, accountName: result.accountName, for: site)
        }
        return result
    }

    /// A fresh login without any prompt (environment, password file or netrc only), for unattended runs: the
    /// first login when none was saved, and a renewal when the session expires. One quick renewal per run;
    /// another only after the session it replaces served `genuineSessionSeconds`, so a run of days survives
    /// the site's session lifetime while a server that keeps refusing is not asked again and again.
    /// `false` when no such credentials exist or no renewal is due; throws when the login itself fails
    /// (PhysioNet refused the password, the account is inactive, the server did not answer), so the run
    /// reports that rather than "not logged in".
    public func renewUnattended() async throws -> Bool {
        let allowed = unattended.withLock { logins -> Bool in
            let now = Date()
            let firstLogin = stored == nil && logins.last == nil
            let servedLong = logins.last.map { now.timeIntervalSince($0) >= Self.genuineSessionSeconds } ?? false
            guard firstLogin || logins.renewals == 0 || servedLong else { return false }
            if !firstLogin { logins.renewals += 1 }
            logins.last = now
            return true
        }
        guard allowed else { return false }
        return try await logInUnattended() != nil
    }

    /// `renewUnattended`, with any failure read as "not renewed" (for a renewal in the middle of a run,
    /// which then stops on the refusal it already has).
    public func renewWithoutPrompting() async -> Bool {
        (try? await renewUnattended()) ?? false
    }
}
