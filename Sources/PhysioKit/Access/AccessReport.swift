import FoundationEssentials

/// Everything known about one user's access to one project version, for `physio status` and the fetch check.
///
/// `Codable` with stable keys for `--json` (encode with `.sortedKeys`); it holds no secrets. Optional facts
/// that could not be determined are `null`/absent rather than guessed.
public struct AccessReport: Codable, Sendable, Equatable {
    /// An unmet requirement as shown to users and scripts.
    public struct Requirement: Codable, Sendable, Equatable {
        /// `credentialing`, `training`, `signDUA` or `contributorRequest`.
        public var kind: String
        public var explanation: String
        public var fixURL: String
        /// Training names, for `training` when the page named them.
        public var trainings: [String]?
        /// What the account's state calls for: `apply`, `wait`, `submitTraining`, `signDUA` or
        /// `requestAccess`; absent for an anonymous visitor.
        public var action: String?
    }

    public struct Credentialing: Codable, Sendable, Equatable {
        /// `credentialed`, `pending` or `notCredentialed`.
        public var status: String
        public var credentialedOn: String?
        public var submittedOn: String?
        public var reviewStatus: String?

        public init(_ status: CredentialingStatus) {
            self.status = status.kind
            switch status {
            case .credentialed(let since): credentialedOn = since
            case .pending(let submitted, let review):
                submittedOn = submitted
                reviewStatus = review
            case .notCredentialed: break
            }
        }
    }

    public struct Account: Codable, Sendable, Equatable {
        public var username: String?
        public var credentialing: Credentialing?
        public var trainings: TrainingSummary?

        public init(username: String?, credentialing: Credentialing? = nil, trainings: TrainingSummary? = nil) {
            self.username = username
            self.credentialing = credentialing
            self.trainings = trainings
        }
    }

    public var slug: String
    public var version: String
    public var title: String
    public var projectURL: String
    public var isLatestVersion: Bool
    public var policy: AccessPolicy
    public var duaName: String?
    public var requiredTrainings: [RequiredTraining]
    public var filesState: ProjectFilesState.Kind
    public var embargoedUntil: String?
    /// The account the project page was rendered for; `nil` when anonymous.
    public var loggedInAs: String?
    /// Anonymous and the project is not open: log in first.
    public var needsLogin: Bool
    /// A session was expected (a stored one was used) but the page was rendered for an anonymous visitor.
    public var sessionExpired: Bool
    /// Whether `/files/` will serve this version to this user.
    public var hasAccess: Bool
    /// Whether this version's DUA is signed; `nil` when not applicable (OPEN, CONTRIBUTOR_REVIEW) or unknown.
    public var duaSigned: Bool?
    public var unmetRequirements: [Requirement]
    /// Present when logged in.
    public var account: Account?
    /// Non-fatal problems (an account page with an unknown layout).
    public var warnings: [String]

    /// The unmet requirements as values (not encoded; `unmetRequirements` is their JSON form).
    public var requirements: [AccessRequirement] = []
    /// Cloud copies the project page offers, as `--source` values (empty when it shows none).
    public var mirrors: [String] = []
    /// Where an account links its cloud identities to be granted the credentialed buckets.
    public var cloudSettingsURL: String?
    /// How the commands this report names reach its site (not encoded: the run's options, not a fact of the
    /// project).
    public var server = ServerArguments()

    enum CodingKeys: String, CodingKey {
        case slug, version, title, projectURL, isLatestVersion, policy, duaName, requiredTrainings, filesState
        case embargoedUntil, loggedInAs, needsLogin, sessionExpired, hasAccess, duaSigned, unmetRequirements
        case account, warnings, mirrors, cloudSettingsURL
    }

    /// The error a download should stop with, or `nil` when the files can be fetched.
    public var blockingError: PhysioError? {
        if hasAccess { return nil }
        if sessionExpired { return .sessionExpired(host: URL(string: projectURL)?.host ?? "PhysioNet", server: server) }
        if needsLogin { return .loginRequired(slug: slug, version: version, server: server) }
        switch filesState {
        case .deprecated:
            return .filesUnavailable(slug: slug, version: version, reason: "this version's files are no longer available")
        case .embargoed:
            return .filesUnavailable(slug: slug, version: version, reason: "they are under embargo until \(embargoedUntil ?? "a later date")")
        case .researchEnvironmentOnly:
            return .filesUnavailable(slug: slug, version: version, reason: "they are only available via a research environment")
        case .accessible, .restricted:
            return .accessRequirementsMissing(slug: slug, version: version, requirements: requirements, server: server)
        }
    }
}
