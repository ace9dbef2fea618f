import Glibc

/// Runs a user's command line through `/bin/sh -c` and collects what it prints: for commands that hand physio
/// a credential (`gcloud auth print-access-token`). Its standard error goes to /dev/null, so nothing it says
/// about the credential reaches physio's output. Blocks until the command ends: call it off the cooperative
/// pool. Foundation's `Process` would do, but it lives in the full Foundation module, which physio does not
/// link (see `PrintfFormat`). The command inherits no other descriptor of physio's: every one physio opens
/// is close-on-exec (files with O_CLOEXEC, libcurl's sockets, the signal pipe, this pipe).
enum ShellCommand {
    struct Outcome {
        var status: Int32
        var output: [UInt8]
    }

    /// The command's exit status (128 + the signal number when a signal ended it) and its standard output;
    /// throws the system's reason when it could not be started.
    static func run(_ commandLine: String) throws(SystemFailure) -> Outcome {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SystemFailure(reason: FileSystem.errorText(errno)) }
        defer { close(ends[0]) }
        // Neither end leaks into another child started meanwhile (a concurrent spawn would hold the write end
        // open and delay this one's end of output).
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addclose(&actions, ends[1])
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        var child = pid_t()
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(commandLine), nil]
        defer { arguments.forEach { free($0) } }
        let started = posix_spawn(&child, "/bin/sh", &actions, nil, arguments, environ)
        close(ends[1])
        guard started == 0 else { throw SystemFailure(reason: FileSystem.errorText(started)) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(ends[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[..<count]
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import: the wait status's layout.
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output: output)
    }
}
