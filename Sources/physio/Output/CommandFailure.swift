import ArgumentParser
import PhysioKit

/// Runs a command body and turns any failure into one clear line on stderr plus physio's exit code.
func reportingFailures(json: Bool = false, _ body: () async throws -> Int32) async throws {
    let code: Int32
    do {
        code = try await body()
    } catch let error as PhysioError {
        Console.error("physio: \(error.message)")
        if json { try? Console.json(FailureReport(error: error.message, exitCode: error.exitCode.rawValue)) }
        code = error.exitCode.rawValue
    } catch let error as PhysioAccessError {
        Console.error("physio: \(error.description)")
        if json { try? Console.json(FailureReport(error: error.description, exitCode: error.exitCode)) }
        code = error.exitCode
    } catch is CancellationError {
        Console.error("physio: interrupted; partial files are kept and the next run resumes them.")
        code = 130
    } catch {
        Console.error("physio: internal error: \(error). Please report this with the command you ran.")
        code = PhysioKit.ExitCode.internalError.rawValue
    }
    if code != 0 { throw ArgumentParser.ExitCode(code) }
}

private struct FailureReport: Encodable {
    var error: String
    var exitCode: Int32
}
