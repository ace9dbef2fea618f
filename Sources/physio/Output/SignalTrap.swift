import FoundationEssentials
import PhysioKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into a `RunInterruption`, so a fetch stops in good order: partial files
/// flushed, verified files recorded, a line saying how to resume, exit 130 or 143. A second SIGINT exits at
/// once (after ending the progress line), for a user who does not want to wait for the flush.
///
/// The handler only writes the signal number to a pipe (async-signal-safe); a thread of its own reads the
/// pipe and does the real work outside signal context.
enum SignalTrap {
    nonisolated(unsafe) private static var pipeWriteEnd: Int32 = -1
    nonisolated(unsafe) private static var received: Int32 = 0

    static func install(_ interruption: RunInterruption) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        // Not inherited by commands physio runs (PHYSIO_GCS_TOKEN_COMMAND).
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let readEnd = ends[0]
        pipeWriteEnd = ends[1]
        received = 0
        DedicatedThread.start {
            var signalNumber: Int32 = 0
            while read(readEnd, &signalNumber, MemoryLayout<Int32>.size) == MemoryLayout<Int32>.size {
                interruption.interrupt(signal: signalNumber)
            }
        }
        for signalNumber in [SIGINT, SIGTERM] {
            _ = signal(signalNumber) { signalNumber in
                if signalNumber == SIGINT && SignalTrap.received != 0 {
                    var newline: UInt8 = 10
                    _ = write(STDERR_FILENO, &newline, 1)
                    _exit(130)
                }
                SignalTrap.received = signalNumber
                var number = signalNumber
                _ = write(SignalTrap.pipeWriteEnd, &number, MemoryLayout<Int32>.size)
            }
        }
        // A parent (a test runner, a job scheduler) may have started us with these signals blocked.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGINT)
        sigaddset(&unblocked, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }
}
