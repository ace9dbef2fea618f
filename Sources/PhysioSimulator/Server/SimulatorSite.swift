import Foundation

/// The simulated physionet.org: fixture data, live state (sessions, signatures, faults, counters) and the
/// routes, which live in extensions, one area per file.
final class SimulatorSite: Sendable {
    /// Projects and file trees; a test may change them while the server runs (`SimulatorServer.publish`, …).
    let content: SiteContent
    let mode: SimulatorMode
    /// The site's time: the wall clock, moved on by tests (`SimulatorServer.advanceClock`) instead of waiting.
    let clock = SimulatorClock()
    let sessions: SessionStore
    let agreements = AgreementStore()
    let faults: FaultInjector
    let counters: SimulatorCounters
    let zips = ZipCache()
    /// Requests arrive through a TLS-terminating front (production nginx, which tells the application with
    /// `X-Forwarded-Proto: https`), so the site serves them with HTTPS semantics.
    let behindTLSFront: Bool
    /// Whether `/api/v1/projects/…` (the 2025 family) is served. The 2024 code the real site was checked
    /// against answers it with its 404 page (docs/protocol.md §15), so it is off unless asked for.
    let servesNewerAPI: Bool
    /// The GCS buckets served beside the site (`/<bucket>/<object>`); nil serves none.
    let cloudStorage: CloudStorageEmulation?
    let objectChecksums = ObjectChecksumCache()

    init(
        fixture: SimulatorFixture, mode: SimulatorMode, faults: FaultPlan, counters: SimulatorCounters,
        behindTLSFront: Bool = false, servesNewerAPI: Bool = false, cloudStorage: CloudStorageEmulation? = nil
    ) throws {
        try cloudStorage?.validate(against: fixture)
        content = try SiteContent(fixture: fixture)
        self.cloudStorage = cloudStorage
        self.behindTLSFront = behindTLSFront
        self.servesNewerAPI = servesNewerAPI
        self.mode = mode
        self.faults = FaultInjector(plan: faults)
        self.counters = counters
        sessions = SessionStore(clock: clock)
    }

    /// The fixture as it stands now, versions published since the start included.
    var fixture: SimulatorFixture { content.fixture }

    func tree(slug: String, version: String) -> VersionFileTree? {
        content.tree(slug: slug, version: version)
    }

    // MARK: Who is asking

    /// The user of a valid form login (not a Basic binding), honouring the site lifetime and the
    /// session-expiry fault.
    func loggedInUser(_ request: SimulatorRequest) -> FixtureUser? {
        guard let session = currentSession(request), session.isLogin else { return nil }
        return fixture.user(matching: session.username)
    }

    /// Whether the request reached the site over HTTPS: through the configured front, or as a proxy in
    /// front of it says with `X-Forwarded-Proto`.
    func isHTTPS(_ request: SimulatorRequest) -> Bool {
        behindTLSFront || request.header("X-Forwarded-Proto")?.lowercased() == "https"
    }

    /// Verifies a password and counts the check (the real server hashes it with PBKDF2 each time).
    func passwordMatches(_ user: FixtureUser, _ password: String) -> Bool {
        counters.passwordChecked()
        // The hash is CPU work on the server's worker, so it holds the worker as the real one does.
        if let cost = faults.plan.passwordCheckSeconds, cost > 0 { Thread.sleep(forTimeInterval: cost) }
        return user.password == password
    }

    func currentSession(_ request: SimulatorRequest) -> SessionStore.Session? {
        sessions.session(request.cookies["sessionid"], lifetime: sessionLifetime)
    }

    var sessionLifetime: Double {
        let configured = Double(fixture.site.sessionLifetimeSeconds)
        return faults.plan.sessionLifetimeSeconds.map { min($0, configured) } ?? configured
    }

    func evaluator(for user: FixtureUser?) -> AccessEvaluator {
        AccessEvaluator(user: user, signatures: user.map { agreements.signatures(of: $0.username) } ?? [], now: clock.now)
    }

    /// `sessionid` cookie attributes: HttpOnly, Lax, no Secure on the plain-http simulator (docs/protocol.md §2).
    func sessionCookie(_ key: String) -> String {
        let lifetime = fixture.site.sessionLifetimeSeconds
        let expires = SimulatorDates.httpDate(Date().addingTimeInterval(TimeInterval(lifetime)))
        return "sessionid=\(key); expires=\(expires); HttpOnly; Max-Age=\(lifetime); Path=/; SameSite=Lax"
    }

    // MARK: Shared answers

    func notFound(_ request: SimulatorRequest) -> SimulatorResponse {
        ErrorPages.notFound(path: request.path, mode: mode, user: loggedInUser(request))
    }

    /// Login-required pages answer anonymous visitors with a redirect to the login form (docs/protocol.md §1).
    func loginRedirect(_ request: SimulatorRequest) -> SimulatorResponse {
        .redirect(302, to: "/login/?next=\(FormDecoding.escapeQueryValue(request.path))")
    }

    func page(_ status: Int = 200, title: String, user: FixtureUser?, content: String) -> SimulatorResponse {
        .html(status, PageLayout.render(title: title, user: user, content: content))
    }

    /// Finds `slug` and `version` or nil, for routes whose unknown project is a 404.
    func lookup(_ slug: String, _ version: String) -> (FixtureProject, FixtureVersion)? {
        guard let project = fixture.project(slug: slug), let found = project.version(version) else { return nil }
        return (project, found)
    }
}
