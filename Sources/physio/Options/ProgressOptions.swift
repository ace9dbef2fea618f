import ArgumentParser
import Glibc
import PhysioKit

/// How a long run reports progress: on stderr for people, and as JSON lines on a descriptor for programs.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    @Option(
        name: .customLong("progress-fd"),
        help: ArgumentHelp(
            "Also write progress as JSON lines to this open file descriptor, 4 a second and once at the end.",
            valueName: "n"))
    var progressFD: Int32?

    func validate() throws {
        guard let progressFD else { return }
        guard progressFD > 2 else {
            throw ValidationError("--progress-fd \(progressFD) would mix progress into stdin, stdout or stderr; pass a descriptor of 3 or more.")
        }
        guard fcntl(progressFD, F_GETFD) != -1 else {
            throw ValidationError("--progress-fd \(progressFD) is not an open file descriptor; open it for writing before running physio (e.g. `3>progress.jsonl`).")
        }
    }

    /// `dryRun`: the run only plans, and says so. `failuresInSummary`: the command lists failed files at
    /// the end where stderr's lines are read too (`Console.stdoutSharesStderr`), so the display leaves each
    /// failure to that list instead of printing it twice.
    func display(for progress: TransferProgress, dryRun: Bool = false, failuresInSummary: Bool = false) -> ProgressDisplay {
        ProgressDisplay(progress: progress, quiet: quiet, stream: progressFD, dryRun: dryRun, failuresInSummary: failuresInSummary)
    }
}
