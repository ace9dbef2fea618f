import Foundation
import PhysioKit
import Testing

/// What each unmet requirement calls for, from the account's state (docs/protocol.md §13), without a server.
@Suite("RequirementAdvice by account state")
struct RequirementAdviceTests {
    let site = PhysioNetSite()
    let project = ProjectVersionRef(slug: "mimiciv", version: "3.1")
    var citi: AccessRequirement { .training([RequiredTraining(id: "1", name: "CITI Data")], project: project) }

    func account(_ credentialing: CredentialingStatus? = nil, _ trainings: TrainingSummary? = nil) -> AccessReport.Account {
        AccessReport.Account(username: "alice", credentialing: credentialing.map(AccessReport.Credentialing.init), trainings: trainings)
    }

    @Test("credentialing: apply when not credentialed; wait, naming who has the next move, when pending")
    func credentialing() {
        let apply = RequirementAdvice(.credentialing, site: site, account: account(.notCredentialed))
        #expect(apply.action == .apply && apply.explanation.contains("apply for credentialing at https://physionet.org/settings/credentialing/"))
        for (review, who) in [
            ("Awaiting review", "PhysioNet to review it"), ("Awaiting a response from reference", "your reference"),
            ("Awaiting final approval", "final approval"),
        ] {
            let wait = RequirementAdvice(.credentialing, site: site, account: account(.pending(submittedOn: "May 2, 2026", reviewStatus: review)))
            #expect(wait.action == .wait)
            #expect(wait.explanation.contains("(submitted May 2, 2026) is pending (\(review))"), "\(wait.explanation)")
            #expect(wait.explanation.contains(who) && !wait.explanation.contains("apply for"), "\(wait.explanation)")
        }
        // Pages not read (or an unknown layout): the requirement, and where to act on it, without a guess.
        let unknown = RequirementAdvice(.credentialing, site: site, account: account())
        #expect(unknown.explanation.hasPrefix("The project requires a credentialed PhysioNet account"))
    }

    @Test("training: under review waits; rejected, expired or absent submits; a new report under review outranks a rejected one")
    func training() {
        func advice(_ summary: TrainingSummary) -> RequirementAdvice { RequirementAdvice(citi, site: site, account: account(.notCredentialed, summary)) }
        let review = advice(TrainingSummary(underReview: ["CITI Data"]))
        #expect(review.action == .wait && review.explanation.contains("under review: nothing to do but wait"))
        #expect(review.explanation.contains("/settings/certification/"))
        let rejected = advice(TrainingSummary(rejected: ["CITI  data"]))
        #expect(rejected.action == .submitTraining && rejected.explanation.contains("rejected your CITI Data report; submit a new one"))
        let expired = advice(TrainingSummary(expired: ["CITI Data"]))
        #expect(expired.action == .submitTraining && expired.explanation.contains("has expired"))
        let none = advice(TrainingSummary(rejected: ["Another course"]))
        #expect(none.action == .submitTraining && none.explanation.contains("You have not submitted CITI Data"))
        let resubmitted = advice(TrainingSummary(underReview: ["CITI Data"], rejected: ["CITI Data"]))
        #expect(resubmitted.action == .wait, "\(resubmitted.explanation)")
        // An unnamed training (Restricted projects) waits only when a report is under review and none is active.
        let unnamed = AccessRequirement.training([], project: project)
        #expect(RequirementAdvice(unnamed, site: site, account: account(nil, TrainingSummary(underReview: ["X"]))).action == .wait)
        #expect(RequirementAdvice(unnamed, site: site, account: account(nil, TrainingSummary())).action == .submitTraining)
    }

    @Test("anonymous: the project's requirements, no action and never \"You are not\" or \"You have not\"")
    func anonymous() {
        for requirement in [AccessRequirement.credentialing, citi, .signDUA(project: project), .contributorRequest(project: project)] {
            let advice = RequirementAdvice(requirement, site: site, account: nil)
            #expect(advice.action == nil)
            #expect(!advice.explanation.contains("You are not") && !advice.explanation.contains("You have not"), "\(advice.explanation)")
            #expect(advice.explanation.contains(requirement.fixURL(site: site).absoluteString))
        }
    }
}
