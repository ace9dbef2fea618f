import ArgumentParser
import PhysioKit

/// Runs a command body and turns any failure into one clear line on stderr plus physio's exit code: the one
/// place where errors meet the user. `quiet` (`--quiet`) silences every notice of the run (`Console.notice`)
/// and keeps a refused dataset's explanation to its unmet requirements, on stderr with the error.
func reportingFailures(json: Bool = false, quiet: Bool = false, _ body: () async throws -> PhysioExitCode) async throws {
    Console.quiet = quiet
    let code: PhysioExitCode
    do {
        code = try await body()
    } catch let error as PhysioError {
        // A refused dataset first gets the explanation `physio status` gives; under --quiet only what is
        // missing, which is part of the error, on stderr after it.
        if let report = error.report, !json, !quiet { StatusPrinter.printProject(report) }
        Console.error("physio: \(error.message)")
        if let report = error.report, !json, quiet { StatusPrinter.printUnmet(report) }
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
