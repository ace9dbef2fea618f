import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .mirrorNeedsCredentials(source: "gs://", how: "\(commandVariable) could not be run (\(error.localizedDescription))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !token.isEmpty, !token.contains("\n") else {
            throw .mirrorNeedsCredentials(source: "gs://", how: "\(commandVariable) printed no token (exit \(process.terminationStatus))")
        }
        return GoogleAccessToken(value: token, origin: commandVariable)
    }
}
