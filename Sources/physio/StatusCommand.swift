import ArgumentParser
import FoundationEssentials
import PhysioKit

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show your PhysioNet account and, per project, exactly which access requirement is missing.",
        discussion: """
            Exit 0 when every named project is accessible, 6 when a requirement is missing, 5 when not logged in \
            and a named project needs a login. Works logged out too.
            """)

    @Argument(help: "Projects to check: <slug> (latest version) or <slug>@<version>.")
    var datasets: [DatasetSpecifier] = []

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print one JSON object on stdout.")
    var json = false

    struct Report: Encodable {
        var site: String
        var loggedInAs: String?
        var account: AccessReport.Account?
        var projects: [AccessReport]
        var exitCode: PhysioExitCode
    }

    func run() async throws {
        try await reportingFailures(json: json) { () async throws -> PhysioExitCode in
            let session = try connection.openSession()
            var account: AccessReport.Account?
            var loggedIn = false
            if session.stored != nil {
                let probe = AccountProbe(transport: session.transport, site: session.site)
                loggedIn = try await probe.isLoggedIn()
                if loggedIn {
                    let summary = try await probe.accountSummary()
                    var credentialing: AccessReport.Credentialing?
                    if let status = summary.credentialing { credentialing = AccessReport.Credentialing(status) }
                    account = AccessReport.Account(username: session.username, credentialing: credentialing, trainings: summary.trainings)
                }
            }
            let checker = AccessChecker(transport: session.transport, site: session.site)
            var projects: [AccessReport] = []
            for specifier in datasets {
                let version = try await resolveVersion(specifier, session: session)
                projects.append(try await checker.check(
                    slug: specifier.slug, version: version, expectedUsername: loggedIn ? session.username : nil,
                    includeAccountDetails: false))
            }
            let code = PhysioExitCode.mostSevere(projects.map { project -> PhysioExitCode in
                project.hasAccess ? .success : (project.needsLogin ? .notLoggedIn : .accessDenied)
            })
            if json {
                try Console.json(Report(site: session.site.description, loggedInAs: loggedIn ? session.username : nil,
                                        account: account, projects: projects, exitCode: code))
            } else {
                StatusPrinter.printAccount(site: session.site, username: loggedIn ? session.username : nil,
                                           expired: session.stored != nil && !loggedIn, account: account)
                for project in projects { StatusPrinter.printProject(project) }
            }
            return code
        }
    }
}
