import Foundation
import PhysioKit

/// Runs `physio` on a pseudo-terminal (through Python's `pty`), answering one prompt: for commands that
/// refuse to act without a person at a terminal, such as `sign-dua`, and for output only a terminal gets
/// (the progress bar). stdout and stderr both go to the terminal, so `stdout` holds all of it.
enum TerminalSession {
    static let driver = #"""
        import os, pty, select, sys, time
        program, prompt, answer = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(program, [program] + sys.argv[4:])
        seen, answered, deadline = b"", False, time.time() + 60
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            if prompt and not answered and prompt in seen:
                os.write(fd, answer + b"\n")
                answered = True
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(seen.decode("utf-8", "replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """#

    /// Runs `physio arguments` (or `executable`, such as a shell running a printed command) on a terminal,
    /// typing `answer` once `prompt` appears; no prompt answers nothing.
    static func run(
        _ arguments: [String], answering prompt: String = "", with answer: String = "", environment: [String: String],
        executable: String? = nil
    ) async throws -> PhysioProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", driver, executable ?? PhysioProcess.executable.path, prompt, answer] + arguments
        var environment = environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = await BlockingIO.run { output.fileHandleForReading.readDataToEndOfFile() }
        await BlockingIO.run { process.waitUntilExit() }
        return PhysioProcess.Result(exitCode: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "", seconds: 0)
    }
}
