import PhysioKit

/// The text form of `physio status` (also printed when a fetch is refused).
enum StatusPrinter {
    static func describe(_ status: CredentialingStatus) -> String {
        switch status {
        case .credentialed(let since): return "credentialed since \(since)"
        case .pending(let submitted, let review): return "credentialing application pending (submitted \(submitted); \(review))"
        case .notCredentialed: return "not credentialed"
        }
    }

    /// `loginSource`: where the credentials of a login made just now came from (none: a saved session).
    /// `server`: the run's options for reaching `site`, which the `physio login` it names carries.
    static func printAccount(
        site: PhysioNetSite, server: ServerArguments, username: String?, loginSource: CredentialSource? = nil, expired: Bool,
        account: AccessReport.Account?
    ) {
        guard let username else {
            let login = server.physio(["login"])
            Console.out(expired
                ? "Account: the saved session on \(site) has expired. Run `\(login)`."
                : "Account: not logged in to \(site). Run `\(login)` to see your own status.")
            return
        }
        Console.out("Account: \(username) on \(site)" + (loginSource.map { " (logged in with credentials from \($0))" } ?? ""))
        if let credentialing = account?.credentialing {
            var line = "  Credentialing: \(credentialing.status)"
            if let date = credentialing.credentialedOn { line += " since \(date)" }
            if let submitted = credentialing.submittedOn { line += " (submitted \(submitted)" + (credentialing.reviewStatus.map { "; \($0))" } ?? ")") }
            Console.out(line)
        }
        if let trainings = account?.trainings {
            func names(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ", ") }
            Console.out("  Training: active: \(names(trainings.active)); under review: \(names(trainings.underReview)); "
                + "expired: \(names(trainings.expired)); rejected: \(names(trainings.rejected))")
        }
    }

    static func printProject(_ report: AccessReport) {
        Console.out("")
        Console.out("\(report.slug) \(report.version): \(report.title)\(report.isLatestVersion ? "" : " (not the latest version)")")
        Console.out("  Policy: \(report.policy.badgeText)")
        if let dua = report.duaName { Console.out("  Data use agreement: \(dua)" + (report.duaSigned.map { $0 ? " (signed)" : " (not signed)" } ?? "")) }
        if !report.requiredTrainings.isEmpty {
            Console.out("  Required training: \(report.requiredTrainings.map(\.name).joined(separator: ", "))")
        }
        if !report.mirrors.isEmpty {
            let open = report.policy == .open ? "" : "; link your cloud account at \(report.cloudSettingsURL ?? "/settings/cloud/") first"
            // The list and hashes still come from the site, so the fetch carries the run's options for it.
            let fetch = report.server.physio(["fetch", "\(report.slug)@\(report.version)", "--source", report.mirrors[0]])
            Console.out("  Cloud mirrors: \(report.mirrors.joined(separator: ", ")) (`\(fetch)`\(open))")
        }
        if report.hasAccess {
            Console.out("  Access: yes")
            return
        }
        if report.needsLogin {
            Console.out("  Access: log in to see your status (`\(report.server.physio(["login"]))`); the project requires:")
        } else {
            Console.out("  Access: no (\(report.filesState.rawValue))")
        }
        for requirement in report.unmetRequirements {
            // The explanation already names the page where it is fixed (`fixURL`).
            Console.out("  - \(requirement.explanation)")
        }
        for warning in report.warnings { Console.out("  warning: \(warning)") }
    }

    /// `--quiet`: what keeps a project from being downloaded, on stderr (it is an error); nothing for one
    /// that is accessible.
    static func printUnmet(_ report: AccessReport) {
        guard !report.hasAccess else { return }
        for requirement in report.unmetRequirements {
            Console.error("  - \(requirement.explanation)")
        }
    }
}
