import FoundationEssentials

/// Reads a project page (and, when logged in, the account's status pages) and says whether the user can
/// download, and if not, what is missing and where to fix it (docs/protocol.md §11, §13).
///
/// Uses the transport's cookie jar as it is: with a restored session the pages are rendered for that user,
/// without one for an anonymous visitor. It never changes anything on the server.
public struct AccessChecker: Sendable {
    public let transport: any HTTPTransport
    public let site: PhysioNetSite
    /// How the commands the report names (`physio sign-dua`, `physio login`) reach this site.
    public let server: ServerArguments

    public init(transport: any HTTPTransport, site: PhysioNetSite, server: ServerArguments = ServerArguments()) {
        self.transport = transport
        self.site = site
        self.server = server
    }

    /// The checker of `session`'s site, through its transport (and so its login), naming commands that
    /// reach the same server.
    public init(session: AccountSession) {
        self.init(transport: session.transport, site: session.site, server: session.server)
    }

    /// Fetches and parses `/content/<slug>/<version>/`: 404 → `projectNotFound`.
    public func projectPage(slug: String, version: String) async throws -> ProjectPage {
        let url = site.projectURL(slug: slug, version: version)
        let response = try await SiteClient(transport: transport, site: site).get(url)
        switch response.status {
        case 200:
            do {
                return try ProjectPage(html: response.text, project: ProjectVersionRef(slug: slug, version: version))
            } catch {
                throw PhysioError.unrecognisedPage(url: url.absoluteString, expected: error.expected)
            }
        case 404:
            throw PhysioError.projectNotFound(slug: slug, version: version)
        default:
            throw PhysioError.unexpectedResponse(url: url.absoluteString, status: response.status, during: "reading the project page")
        }
    }

    /// The access report for `slug` `version`.
    ///
    /// - Parameters:
    ///   - expectedUsername: the stored session's user, if one was loaded; a page rendered anonymously then
    ///     sets `sessionExpired`.
    ///   - includeAccountDetails: also read credentialing, certification and agreements pages when logged in
    ///     (three more requests; `status` wants them, a fetch whose files are accessible does not).
    ///   - knownAccount: the account's state when the caller has already read it (`status` reads it once for
    ///     every project); used, when logged in, instead of reading the pages again.
    public func check(
        slug: String, version: String, expectedUsername: String? = nil, includeAccountDetails: Bool = true,
        knownAccount: AccessReport.Account? = nil
    ) async throws -> AccessReport {
        let page = try await projectPage(slug: slug, version: version)
        let loggedIn = page.viewer.username != nil
        var warnings: [String] = []
        var account: AccessReport.Account?
        var agreements: SignedAgreements?
        if loggedIn, let knownAccount {
            account = knownAccount
            account?.username = page.viewer.username.flatMap { $0.isEmpty ? nil : $0 } ?? knownAccount.username
        } else if loggedIn && includeAccountDetails {
            let details = try await accountDetails(warnings: &warnings)
            account = AccessReport.Account(
                username: page.viewer.username.flatMap { $0.isEmpty ? nil : $0 },
                credentialing: details.credentialing.map(AccessReport.Credentialing.init),
                trainings: details.trainings)
            agreements = details.agreements
        } else if loggedIn {
            account = AccessReport.Account(username: page.viewer.username.flatMap { $0.isEmpty ? nil : $0 })
        }
        return Self.report(page: page, site: site, expectedUsername: expectedUsername, account: account,
            agreements: agreements, warnings: warnings, server: server)
    }

    /// Builds the report from already-parsed pages (pure; unit-testable without a transport). `server`: how
    /// the commands it names reach `site`.
    public static func report(
        page: ProjectPage, site: PhysioNetSite, expectedUsername: String? = nil, account: AccessReport.Account? = nil,
        agreements: SignedAgreements? = nil, warnings: [String] = [], server: ServerArguments = ServerArguments()
    ) -> AccessReport {
        let loggedInAs = page.viewer.username
        let anonymous = loggedInAs == nil
        var unmet: [AccessRequirement] = []
        var embargoedUntil: String?
        switch page.filesState {
        case .restricted(let requirements): unmet = requirements
        case .embargoed(let until): embargoedUntil = until
        default: break
        }
        let hasAccess = page.filesState == .accessible

        var duaSigned: Bool?
        if page.policy.requiresDUASignature {
            switch page.filesState {
            case .accessible, .researchEnvironmentOnly:
                // Both mean every requirement, the signature included, is met.
                duaSigned = true
            case .restricted(let requirements) where !anonymous:
                duaSigned = !requirements.contains { if case .signDUA = $0 { true } else { false } }
            default:
                // Anonymous pages list every item; deprecated/embargoed pages list none: ask the agreements page.
                duaSigned = agreements.map { $0.isSigned(title: page.title, version: page.version) }
            }
        }

        var report = AccessReport(
            slug: page.project.slug,
            version: page.project.version,
            title: page.title,
            projectURL: site.projectURL(slug: page.project.slug, version: page.project.version).absoluteString,
            isLatestVersion: page.isLatest,
            policy: page.policy,
            duaName: page.duaName,
            requiredTrainings: page.requiredTrainings,
            filesState: page.filesState.kind,
            embargoedUntil: embargoedUntil,
            loggedInAs: loggedInAs.flatMap { $0.isEmpty ? nil : $0 },
            needsLogin: anonymous && page.policy.requiresLogin,
            sessionExpired: anonymous && expectedUsername != nil,
            hasAccess: hasAccess,
            duaSigned: duaSigned,
            unmetRequirements: unmet.map { requirement in
                var trainings: [String]?
                if case .training(let named, _) = requirement, !named.isEmpty { trainings = named.map(\.name) }
                // Anonymous: what the project requires. Logged in: what this account's state calls for (an
                // account whose pages were not read gets the project's requirement with where to act on it).
                let advice = RequirementAdvice(
                    requirement, site: site, account: anonymous ? nil : (account ?? AccessReport.Account(username: loggedInAs)),
                    server: server)
                return AccessReport.Requirement(
                    kind: requirement.kind, explanation: advice.explanation,
                    fixURL: requirement.fixURL(site: site).absoluteString, trainings: trainings, action: advice.action?.rawValue)
            },
            account: anonymous ? nil : account,
            warnings: warnings)
        report.requirements = unmet
        report.server = server
        report.mirrors = page.mirrors
        if !page.mirrors.isEmpty { report.cloudSettingsURL = site.baseURL.appendingPathComponent("settings/cloud/").absoluteString }
        return report
    }

    private struct AccountDetails {
        var credentialing: CredentialingStatus?
        var trainings: TrainingSummary?
        var agreements: SignedAgreements?
    }

    /// Reads the three account pages. A layout that is not recognised becomes a warning, not a failure: these
    /// pages enrich the report, the project page alone decides access.
    private func accountDetails(warnings: inout [String]) async throws -> AccountDetails {
        let requester = SiteClient(transport: transport, site: site)
        var details = AccountDetails()
        let credentialing = try await requester.accountPage(site.credentialingURL, during: "reading credentialing status")
        do { details.credentialing = try CredentialingStatus(html: credentialing.text) } catch {
            warnings.append("\(site.credentialingURL.absoluteString): \(error.description)")
        }
        let certification = try await requester.accountPage(site.certificationURL, during: "reading training status")
        do { details.trainings = try TrainingSummary(html: certification.text) } catch {
            warnings.append("\(site.certificationURL.absoluteString): \(error.description)")
        }
        let agreements = try await requester.accountPage(site.agreementsURL, during: "reading signed agreements")
        do { details.agreements = try SignedAgreements(html: agreements.text) } catch {
            warnings.append("\(site.agreementsURL.absoluteString): \(error.description)")
        }
        return details
    }
}
