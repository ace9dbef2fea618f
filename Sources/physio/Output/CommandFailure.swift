import ArgumentParser
import PhysioKit

/// Runs a command body and turns any failure into one clear line on stderr plus physio's exit code: the one
/// place where errors meet the user.
func reportingFailures(json: Bool = false, _ body: () async throws -> Int32) async throws {
    let code: Int32
    do {
        code = try await body()
    } catch let error as PhysioError {
        // A refused dataset first gets the same explanation `physio status` gives.
        if let report = error.report, !json { StatusPrinter.printProject(report) }
        Console.error("physio: \(error.message)")
        if json { try? Console.json(FailureReport(error: error.message, kind: error.kind, exitCode: error.exitCode.rawValue)) }
        code = error.exitCode.rawValue
    } catch {
        Console.error("physio: internal error: \(error). Please report this with the command you ran.")
        code = PhysioExitCode.internalError.rawValue
    }
    if code != 0 { throw ArgumentParser.ExitCode(code) }
}

private struct FailureReport: Encodable {
    var error: String
    var kind: String
    var exitCode: Int32
}
