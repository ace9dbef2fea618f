import ArgumentParser
import PhysioKit

/// `--wait-lock SECONDS`, for the commands that take a lock another physio run may hold (fetch, sync, prune).
struct LockWaitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Wait up to this long for another physio run holding the same lock to finish (default: exit 10 at once).",
        valueName: "seconds"))
    var waitLock: Double = 0

    func validate() throws {
        guard waitLock >= 0 else { throw ValidationError("--wait-lock takes a number of seconds, 0 or more.") }
    }

    /// Says once on stderr that `what` is held and how long this run waits (a notice: not under --quiet, whose
    /// run then just takes longer, as a cron job's should).
    func announceWait(_ what: String) -> (String) -> Void {
        { holder in Console.notice("physio: another physio run holds the lock of \(what) (\(holder)); waiting up to \(Int(waitLock)) s.") }
    }
}
