import FoundationEssentials

/// The OAuth access token for a `gs://` mirror: `GOOGLE_OAUTH_ACCESS_TOKEN`, else the output of the command in
/// `PHYSIO_GCS_TOKEN_COMMAND` (such as `gcloud auth print-access-token`), run through `/bin/sh`. The token goes
/// into the mirror's own `Authorization` header only; it is never printed or stored.
struct GoogleAccessToken: Sendable {
    var value: String
    var origin: String

    static let variable = "GOOGLE_OAUTH_ACCESS_TOKEN"
    static let commandVariable = "PHYSIO_GCS_TOKEN_COMMAND"

    static func find(environment: [String: String]) throws(PhysioError) -> GoogleAccessToken {
        if let token = environment[variable], !token.isEmpty {
            return GoogleAccessToken(value: token, origin: variable)
        }
        guard let command = environment[commandVariable], !command.isEmpty else {
            throw .mirrorNeedsCredentials(
                source: "gs://", how: "set \(variable), or \(commandVariable)=\"gcloud auth print-access-token\"")
        }
        let outcome: ShellCommand.Outcome
        do {
            outcome = try ShellCommand.run(command)
        } catch {
            throw .mirrorNeedsCredentials(source: "gs://", how: "\(commandVariable) could not be run (\(error.reason))")
        }
        let token = String(decoding: outcome.output, as: UTF8.self).trimmingASCIISpace
        guard outcome.status == 0, !token.isEmpty, !token.contains("\n") else {
            throw .mirrorNeedsCredentials(source: "gs://", how: "\(commandVariable) printed no token (exit \(outcome.status))")
        }
        return GoogleAccessToken(value: token, origin: commandVariable)
    }
}
