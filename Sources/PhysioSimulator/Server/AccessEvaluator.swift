import Foundation

/// One requirement a user has not met for a project version: the items of the restricted-access alert
/// (docs/protocol.md §11).
enum UnmetRequirement: Equatable, Sendable {
    case credentialing
    /// The required trainings the user lacks (CREDENTIALED, CONTRIBUTOR_REVIEW).
    case training([FixtureVersion.RequiredTraining])
    /// RESTRICTED with required trainings: listed, but not checked by the access decision (docs/protocol.md §11).
    case restrictedTraining
    case dataUseAgreement
    case contributorRequest
}

extension FixtureVersion.RequiredTraining: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.id == b.id && a.name == b.name }
}

/// The access decision of docs/protocol.md §11, separated from the deprecated/downloads-disabled gates.
struct AccessEvaluator {
    let user: FixtureUser?
    /// Fixture signatures plus the ones made while the server runs.
    let signatures: [FixtureUser.SignedAgreement]
    let now: Date

    /// Requirements shown as unmet on the project page; anonymous users see all of them.
    func unmetRequirements(slug: String, version: FixtureVersion) -> [UnmetRequirement] {
        let policy = version.access
        guard policy != .open else { return [] }
        var unmet: [UnmetRequirement] = []
        let needsCredentials = policy == .credentialed || policy == .contributorReview
        if needsCredentials && !(user?.isCredentialed ?? false) { unmet.append(.credentialing) }
        if needsCredentials && !version.requiredTrainings.isEmpty {
            let missing = version.requiredTrainings.filter { required in
                !(user?.trainings.contains { $0.typeID == required.id && $0.isValid(at: now) } ?? false)
            }
            if !missing.isEmpty { unmet.append(.training(user == nil ? version.requiredTrainings : missing)) }
        }
        if policy == .restricted && !version.requiredTrainings.isEmpty {
            let missing = version.requiredTrainings.contains { required in
                !(user?.trainings.contains { $0.typeID == required.id && $0.isValid(at: now) } ?? false)
            }
            if missing { unmet.append(.restrictedTraining) }
        }
        if (policy == .restricted || policy == .credentialed) && !hasSigned(slug: slug, version: version.version) {
            unmet.append(.dataUseAgreement)
        }
        if policy == .contributorReview {
            let granted = user?.accessRequests.contains {
                $0.slug == slug && $0.version == version.version && $0.grantsAccess(at: now)
            } ?? false
            if !granted { unmet.append(.contributorRequest) }
        }
        return unmet
    }

    /// Whether the requirements of the policy hold (not yet the file gates).
    func meetsRequirements(slug: String, version: FixtureVersion) -> Bool {
        if version.access == .open { return true }
        guard user != nil else { return false }
        return unmetRequirements(slug: slug, version: version).allSatisfy { $0 == .restrictedTraining }
    }

    /// `/files/` access: requirements plus the gates every policy shares (docs/protocol.md §3, §11).
    func canDownload(slug: String, version: FixtureVersion) -> Bool {
        !version.deprecated && !version.downloadsDisabled && meetsRequirements(slug: slug, version: version)
    }

    func hasSigned(slug: String, version: String) -> Bool {
        guard let user else { return false }
        return (user.signedAgreements + signatures).contains { $0.slug == slug && $0.version == version }
    }
}
