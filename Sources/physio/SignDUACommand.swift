import ArgumentParser
import FoundationEssentials
import PhysioKit

struct SignDUACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-dua",
        abstract: "Read and sign a project version's data use agreement (interactive only).",
        discussion: """
            Shows the agreement, then signs it only when you type 'I agree'. Refuses without a terminal, and \
            when the agreement is already signed (PhysioNet would store a duplicate signature).
            """)

    @Argument(help: "The project version: <slug>@<version> (a DUA covers exactly one version).")
    var dataset: DatasetSpecifier

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard dataset.version != nil else {
            throw ValidationError("Name the version: a data use agreement is signed per version, e.g. `physio sign-dua mimiciii@1.4`.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            guard TerminalPrompter.standardInputIsTerminal else {
                throw PhysioError.usage("Signing a data use agreement needs you at a terminal to read it and type 'I agree'; physio never signs unattended.")
            }
            let session = try connection.openSession()
            let slug = dataset.slug
            let version = dataset.version!
            let checker = AccessChecker(session: session)
            let before = try await checker.check(slug: slug, version: version, expectedUsername: session.username, includeAccountDetails: false)
            if let blocking = before.blockingError, before.needsLogin || before.sessionExpired { throw blocking }
            guard before.policy.requiresDUASignature else {
                Console.out("\(slug) \(version) (\(before.policy.badgeText)) has no data use agreement to sign here.")
                return .success
            }
            if before.duaSigned == true {
                Console.out("The data use agreement for \(slug) \(version) is already signed; nothing to do (signing again would store a duplicate).")
                return .success
            }
            let signer = DUASigner(transport: session.transport, site: session.site)
            let preparation = try await signer.prepare(slug: slug, version: version)
            let token: String
            switch preparation {
            case .nothingToSign:
                Console.out("PhysioNet has nothing to sign for \(slug) \(version) (already granted, or not signable).")
                return .success
            case .credentialingRequired:
                throw PhysioError.accessDenied(
                    slug: slug, version: version,
                    detail: "the agreement can only be signed by a credentialed user; apply at \(session.site.credentialingURL.absoluteString)",
                    server: session.server)
            case .readyToSign(_, let formToken):
                token = formToken
            }
            let agreement = try await session.transport.send(HTTPRequest(url: session.site.viewDUAURL(slug: slug, version: version)))
            // The agreement and the question go to the terminal itself, as a password prompt does.
            let question = "\n\(before.duaName ?? "Data use agreement") for \(before.title) v\(version)\n\n"
                + AgreementText.readable(agreement.text) + "\n\n"
                + "Type 'I agree' to sign as \(session.username ?? "this account"), anything else to cancel: "
            let answer: String?
            do {
                answer = try TerminalPrompter().readLine(prompt: question)?.trimmingASCIISpace
            } catch {
                throw PhysioError.usage("Signing a data use agreement needs you at a terminal (\(error)); physio never signs unattended.")
            }
            guard answer == "I agree" else {
                if answer?.lowercased() == "i agree" {
                    // PhysioNet's own form accepts only these exact words; near enough is not a signature.
                    Console.out("Not signed: type I agree exactly (capital I), as PhysioNet's form asks. Run `\(session.server.physio(["sign-dua", "\(slug)@\(version)"]))` again.")
                } else {
                    Console.out("Not signed.")
                }
                return .accessDenied
            }
            try await signer.sign(slug: slug, version: version, formToken: token)
            let after = try await checker.check(slug: slug, version: version, expectedUsername: session.username, includeAccountDetails: false)
            Console.out("Signed the data use agreement for \(slug) \(version).")
            if !after.hasAccess { StatusPrinter.printProject(after) }
            return after.hasAccess ? .success : .accessDenied
        }
    }
}
