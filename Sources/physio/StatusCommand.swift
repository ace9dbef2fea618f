import ArgumentParser
import FoundationEssentials
import PhysioKit

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show your PhysioNet account and, per project, exactly which access requirement is missing.",
        discussion: """
            Exit 0 when every named project is accessible, 6 when a requirement is missing, 5 when not logged in \
            and a named project needs a login, or when PhysioNet refuses the password. Works logged out too. \
            Without a valid saved session it logs in as `fetch` would, from PHYSIONET_USERNAME with \
            PHYSIONET_PASSWORD or PHYSIONET_PASSWORD_FILE, or the netrc entry, never prompting, and keeps that \
            session; so a script can check access before it downloads. --quiet prints nothing when every \
            project is accessible, and otherwise only what is missing, on stderr.
            """)

    @Argument(help: "Projects to check: <slug> (latest version) or <slug>@<version>.")
    var datasets: [DatasetSpecifier] = []

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print one JSON object on stdout.")
    var json = false

    @Flag(name: .long, help: "Print nothing when every named project is accessible; only what is missing otherwise (on stderr).")
    var quiet = false

    struct Report: Encodable {
        var site: String
        var loggedInAs: String?
        var account: AccessReport.Account?
        var projects: [AccessReport]
        var exitCode: PhysioExitCode
    }

    func run() async throws {
        try await reportingFailures(json: json, quiet: quiet) { () async throws -> PhysioExitCode in
            let session = try connection.openSession()
            let probe = AccountProbe(transport: session.transport, site: session.site)
            var username: String?
            var loginSource: CredentialSource?
            if session.stored != nil, try await probe.isLoggedIn() {
                username = session.username
            } else if let (result, source) = try await session.logInUnattended() {
                // The credentials fetch would use: a refused password stops here with exit 5, naming its source.
                username = result.username
                loginSource = source
            }
            var account: AccessReport.Account?
            if username != nil {
                let summary = try await probe.accountSummary()
                var credentialing: AccessReport.Credentialing?
                if let status = summary.credentialing { credentialing = AccessReport.Credentialing(status) }
                account = AccessReport.Account(username: username, credentialing: credentialing, trainings: summary.trainings)
            }
            let loggedIn = username != nil
            let checker = AccessChecker(session: session)
            var projects: [AccessReport] = []
            for specifier in datasets {
                let version = try await resolveVersion(specifier, session: session)
                projects.append(try await checker.check(
                    slug: specifier.slug, version: version, expectedUsername: username,
                    includeAccountDetails: false, knownAccount: account))
            }
            let code = PhysioExitCode.mostSevere(projects.map { project -> PhysioExitCode in
                project.hasAccess ? .success : (project.needsLogin ? .notLoggedIn : .accessDenied)
            })
            if json {
                try Console.json(Report(site: session.site.description, loggedInAs: username,
                                        account: account, projects: projects, exitCode: code))
            } else if quiet {
                // Errors only, as `wget -q`: each project that cannot be downloaded, and why.
                for project in projects {
                    guard let error = project.blockingError else { continue }
                    Console.error("physio: " + (error.kind == .accessRequirementsMissing ? error.what : error.message))
                    StatusPrinter.printUnmet(project)
                }
            } else {
                StatusPrinter.printAccount(site: session.site, server: session.server, username: username, loginSource: loginSource,
                                           expired: session.stored != nil && !loggedIn, account: account)
                for project in projects { StatusPrinter.printProject(project) }
            }
            return code
        }
    }
}
