import ArgumentParser
import FoundationEssentials
import PhysioKit

extension ConnectionOptions {
    /// The account context (site, saved login, cookie jar, transport) for this invocation.
    func openSession() throws -> AccountSession {
        let baseURL = try resolveBaseURL()
        return try AccountSession.live(
            baseURL: baseURL, allowInsecureHTTP: allowInsecureHTTP, proxy: proxy, caFile: cacert, context: invocation,
            server: ServerArguments(commandWords), warn: warnAboutCredentials)
    }

    /// Credentials that were used but look wrong: said on stderr, once per login, never with the secret.
    private var warnAboutCredentials: @Sendable (String) -> Void {
        { Console.notice("physio: warning: \($0)") }
    }
}

/// Resolves `<slug>` to its latest version through the server, leaves `<slug>@<version>` as given.
func resolveVersion(_ specifier: DatasetSpecifier, session: AccountSession) async throws -> String {
    if let version = specifier.version { return version }
    return try await FetchEngine.latestVersion(of: specifier.slug, transport: session.transport, site: session.site)
}

extension ConnectionOptions {
    /// The session for a sync: flags first, then the environment, then physio.toml's `[data]` settings.
    func openSession(declared environment: DataEnvironment) throws -> AccountSession {
        let variables = invocation.environment
        let fromEnvironment = variables["PHYSIO_BASE_URL"].map { !$0.isEmpty } ?? false
        let flag = baseURL ?? (fromEnvironment ? nil : environment.baseURL)
        let url = try BaseURL.resolve(flag: flag, environment: variables, allowInsecureHTTP: allowInsecureHTTP)
        let proxyURL = proxy ?? (Self.proxyInEnvironment(variables) ? nil : environment.proxy)
        // The commands a sync prints (`physio sign-dua`, `physio login`) read no physio.toml: they carry what
        // it set, as flags.
        var typed = self
        typed.baseURL = flag
        typed.proxy = proxyURL
        return try AccountSession.live(
            baseURL: url, allowInsecureHTTP: allowInsecureHTTP, proxy: proxyURL, caFile: cacert, context: invocation,
            server: ServerArguments(typed.commandWords), warn: warnAboutCredentials)
    }

    private static func proxyInEnvironment(_ variables: [String: String]) -> Bool {
        ["https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"].contains { !(variables[$0] ?? "").isEmpty }
    }

    /// This process's share of the machine-wide connection budget for the session's server, applied to
    /// its transport; says so on stderr when it has to wait for another physio process (a notice: not under --quiet).
    /// `force` (`fetch --force`) lifts the cap to what was asked for.
    /// `mirrorConnections`: curl's per-host cap must let a mirror have that many.
    func connectionBudget(for session: AccountSession, wanted: Int, force: Bool = false, mirrorConnections: Int = 0) async throws -> ConnectionBudget {
        let configured = try ConnectionBudget.cap(invocation.environment)
        let cap = force ? max(configured, wanted) : configured
        let budget = try await BlockingIO.run { () throws in
            try ConnectionBudget.acquire(for: session.site, wanted: wanted, cap: cap, stateDirectory: session.store.directory) { cap in
                Console.notice("physio: other physio processes hold all \(cap) connections to \(session.site.origin.host); waiting for one.")
            }
        }
        budget.limitTransport(atLeast: mirrorConnections)
        return budget
    }
}
