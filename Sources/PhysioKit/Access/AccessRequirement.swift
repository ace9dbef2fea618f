import FoundationEssentials

/// One unmet requirement from a project page's restricted-access alert (docs/protocol.md §11), with where to fix it.
///
/// Items are identified by link target, never by wording: `/settings/credentialing/` → credentialing,
/// `view-required-training` or `/settings/training/` → training, `/sign-dua/` → DUA, `/request-access-status/` →
/// contributor request.
public enum AccessRequirement: Sendable, Hashable {
    /// The user must be a credentialed user.
    case credentialing
    /// The user must complete (and submit) these trainings; the list is empty when the page only links
    /// `/settings/training/` without naming them (RESTRICTED projects).
    case training([RequiredTraining], project: ProjectVersionRef)
    /// The user must sign this version's data use agreement.
    case signDUA(project: ProjectVersionRef)
    /// The user must have an accepted access request with the authors.
    case contributorRequest(project: ProjectVersionRef)

    /// A stable machine name for `--json` output.
    public var kind: String {
        switch self {
        case .credentialing: return "credentialing"
        case .training: return "training"
        case .signDUA: return "signDUA"
        case .contributorRequest: return "contributorRequest"
        }
    }

    /// The absolute URL of the page where the user fixes this requirement.
    public func fixURL(site: PhysioNetSite) -> URL {
        switch self {
        case .credentialing:
            return site.credentialingURL
        case .training(let trainings, let project):
            // The project's own training page says exactly which course is needed and links the submission
            // form; without a named training, the submission page itself is the place to go.
            if let first = trainings.first(where: { $0.id != nil }) {
                return site.requiredTrainingURL(slug: project.slug, version: project.version, trainingID: first.id)
            }
            return site.trainingURL
        case .signDUA(let project):
            return site.signDUAURL(slug: project.slug, version: project.version)
        case .contributorRequest(let project):
            return site.requestAccessStatusURL(slug: project.slug, version: project.version)
        }
    }

    /// A short phrase for lists in error messages ("sign the data use agreement").
    public var summary: String {
        switch self {
        case .credentialing: return "become a credentialed user"
        case .training(let trainings, _):
            return trainings.isEmpty
                ? "complete the required training"
                : "complete the training " + trainings.map(\.name).joined(separator: ", ")
        case .signDUA: return "sign the data use agreement"
        case .contributorRequest: return "have a request accepted by the project's authors"
        }
    }

    /// One line for humans: what is missing and what to do about it, as the account's state calls for
    /// (`nil`: an anonymous visitor, who gets the project's requirement instead).
    public func explanation(site: PhysioNetSite, account: AccessReport.Account?) -> String {
        RequirementAdvice(self, site: site, account: account).explanation
    }
}
