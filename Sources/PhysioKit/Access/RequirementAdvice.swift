import FoundationEssentials

/// What one unmet requirement calls for, given what the account's settings pages say (docs/protocol.md §13).
///
/// The project page lists the same items (credentialing, training, DUA) whatever the account's state: only the
/// settings pages tell "apply" from "wait" from "submit again". So the advice is built from both: an
/// application awaiting review (or a reference, or final approval) means wait and follow it at its page; a
/// training report under review means wait; a rejected or expired one, submit a new report; none at all,
/// apply or submit. For an anonymous visitor it lists what the project requires, without guessing about a
/// user it does not know.
public struct RequirementAdvice: Sendable, Equatable {
    /// What the user does next, as a stable machine name for `--json`.
    public enum Action: String, Sendable, Codable {
        /// Apply for credentialing.
        case apply
        /// Nothing: PhysioNet (or a reference) has the next move.
        case wait
        /// Complete a training and submit its report (again, when rejected or expired).
        case submitTraining
        case signDUA
        case requestAccess
    }

    /// `nil` for an anonymous visitor: the project's requirement, not a step for a user physio does not know.
    public var action: Action?
    /// One or two sentences, naming the page where it is seen or done.
    public var explanation: String

    /// The advice for `requirement`. `account` is `nil` for an anonymous visitor; its `credentialing` or
    /// `trainings` are `nil` when those pages were not read (or had an unknown layout). `server`: the run's
    /// options for reaching `site`, which the `physio sign-dua` it names carries so that it signs there.
    public init(
        _ requirement: AccessRequirement, site: PhysioNetSite, account: AccessReport.Account?, server: ServerArguments = ServerArguments()
    ) {
        let url = requirement.fixURL(site: site).absoluteString
        func signCommand(_ project: ProjectVersionRef) -> PrintedCommand {
            server.physio(["sign-dua", "\(project.slug)@\(project.version)"])
        }
        let trainingURL = site.trainingURL.absoluteString
        guard let account else {
            action = nil
            switch requirement {
            case .credentialing:
                explanation = "Credentialing: only credentialed PhysioNet users may download it (apply at \(url))."
            case .training(let trainings, _):
                let what = trainings.isEmpty ? "the training the project names" : trainings.map(\.name).joined(separator: ", ")
                explanation = "Training: \(what) (see \(url); completion reports are submitted at \(trainingURL))."
            case .signDUA(let project):
                explanation = "Data use agreement: signed for \(project) (at \(url) or with `\(signCommand(project))`)."
            case .contributorRequest(let project):
                explanation = "Access request: accepted by the authors of \(project) (submit one at \(url))."
            }
            return
        }
        switch requirement {
        case .credentialing:
            self = Self.credentialing(account.credentialing, url: url)
        case .training(let trainings, _):
            self = Self.training(trainings, summary: account.trainings, site: site, url: url)
        case .signDUA(let project):
            action = .signDUA
            explanation = "You have not signed the data use agreement for \(project); sign it at \(url) or with `\(signCommand(project))`."
        case .contributorRequest(let project):
            action = .requestAccess
            explanation = "The authors of \(project) have not accepted an access request from you; submit or check one at \(url)."
        }
    }

    private init(_ action: Action?, _ explanation: String) {
        self.action = action
        self.explanation = explanation
    }

    private static func credentialing(_ status: AccessReport.Credentialing?, url: String) -> RequirementAdvice {
        switch status?.status {
        case "notCredentialed":
            return RequirementAdvice(.apply, "You are not a credentialed PhysioNet user; apply for credentialing at \(url).")
        case "pending":
            let submitted = status?.submittedOn.map { " (submitted \($0))" } ?? ""
            let review = status?.reviewStatus ?? "Awaiting review"
            let lowered = review.lowercased()
            let waitingFor =
                lowered.contains("reference") ? "your reference to answer PhysioNet"
                : lowered.contains("final approval") ? "PhysioNet's final approval"
                : "PhysioNet to review it"
            return RequirementAdvice(
                .wait, "Your credentialing application\(submitted) is pending (\(review)): nothing to do but wait for \(waitingFor); follow it at \(url).")
        default:
            // Unknown layout, or a credentialed account the page still asks to credential (a stale page).
            return RequirementAdvice(.apply, "The project requires a credentialed PhysioNet account; apply, or follow your application, at \(url).")
        }
    }

    /// Where a training stands on the certification page; the most hopeful state wins (a new report under
    /// review outranks the rejected or expired one it replaces).
    private enum TrainingState {
        case none, expired, rejected, underReview, active
    }

    private static func state(of name: String, in summary: TrainingSummary) -> TrainingState {
        let wanted = HTMLScanner.normalize(name).lowercased()
        func holds(_ list: [String]) -> Bool { list.contains { HTMLScanner.normalize($0).lowercased() == wanted } }
        if holds(summary.active) { return .active }
        if holds(summary.underReview) { return .underReview }
        if holds(summary.rejected) { return .rejected }
        if holds(summary.expired) { return .expired }
        return .none
    }

    private static func training(
        _ trainings: [RequiredTraining], summary: TrainingSummary?, site: PhysioNetSite, url: String
    ) -> RequirementAdvice {
        let trainingURL = site.trainingURL.absoluteString
        let certificationURL = site.certificationURL.absoluteString
        guard let summary else {
            let what = trainings.isEmpty ? "the required training" : trainings.map(\.name).joined(separator: ", ")
            return RequirementAdvice(.submitTraining, "The project requires \(what); see \(url) and submit the completion report at \(trainingURL).")
        }
        guard !trainings.isEmpty else {
            // A Restricted project links the training page without naming a course.
            if !summary.underReview.isEmpty && summary.active.isEmpty {
                return RequirementAdvice(
                    .wait, "Your training report (\(summary.underReview.joined(separator: ", "))) is under review: nothing to do but wait; see it at \(certificationURL).")
            }
            return RequirementAdvice(.submitTraining, "You have not completed the required training; see \(url) and submit the completion report there.")
        }
        var sentences: [String] = []
        var action = RequirementAdvice.Action.wait
        for training in trainings {
            let name = training.name
            switch state(of: name, in: summary) {
            case .underReview:
                sentences.append("Your \(name) report is under review: nothing to do but wait; see it at \(certificationURL).")
            case .rejected:
                action = .submitTraining
                sentences.append("PhysioNet rejected your \(name) report; submit a new one at \(trainingURL) (what it must show: \(url)).")
            case .expired:
                action = .submitTraining
                sentences.append("Your \(name) training has expired; complete it again and submit the new report at \(trainingURL) (see \(url)).")
            case .none:
                action = .submitTraining
                sentences.append("You have not submitted \(name); complete it (see \(url)) and submit the report at \(trainingURL).")
            case .active:
                // Active here yet unmet on the project page: the page knows better (a validity rule, a newer
                // requirement); say what it asks for without claiming why.
                action = .submitTraining
                sentences.append("The project still asks for \(name), although your account lists it as active; see \(url).")
            }
        }
        return RequirementAdvice(action, sentences.joined(separator: " "))
    }
}
