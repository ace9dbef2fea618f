import ArgumentParser
import PhysioKit

/// Runs a command body and turns any failure into one clear line on stderr plus physio's exit code: the one
/// place where errors meet the user.
func reportingFailures(json: Bool = false, _ body: () async throws -> PhysioExitCode) async throws {
    let code: PhysioExitCode
    do {
        code = try await body()
    } catch let error as PhysioError {
        // A refused dataset first gets the same explanation `physio status` gives.
        if let report = error.report, !json { StatusPrinter.printProject(report) }
        Console.error("physio: \(error.message)")
        if json { try? Console.json(FailureReport(error: error.message, kind: error.kind, exitCode: error.exitCode)) }
        code = error.exitCode
    } catch {
        Console.error("physio: internal error: \(error). Please report this with the command you ran.")
        code = .internalError
    }
    if code != .success { throw ArgumentParser.ExitCode(code.rawValue) }
}

private struct FailureReport: Encodable {
    var error: String
    var kind: PhysioError.Kind
    var exitCode: PhysioExitCode
}
