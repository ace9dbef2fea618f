import Foundation
import PhysioKit

/// Runs the real `physio` executable (built next to this test bundle) as a child process.
struct PhysioProcess {
    struct Result: Sendable {
        var exitCode: Int32
        var stdout: String
        var stderr: String
        var seconds: Double

        /// Everything the process printed, for secret scans.
        var allOutput: String { stdout + stderr }
    }

    static var executable: URL {
        // The test runner is `.build/<config>/physioPackageTests.xctest`; `physio` sits beside it.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("physio")
    }

    /// Runs `physio arguments` (or another `executable` that runs it, such as a shell opening a descriptor)
    /// with `environment` only (plus PATH), stdin from `input` (or /dev/null), killed with SIGKILL after
    /// `timeout` seconds.
    static func run(
        _ arguments: [String], environment: [String: String], input: String? = nil, timeout: Double = 120,
        currentDirectory: URL? = nil, executable: String? = nil
    ) async throws -> Result {
        let started = Date()
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Self.executable
        process.arguments = arguments
        var environment = environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        process.environment = environment
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
            kill(pid, SIGKILL)
        }
        async let out = BlockingIO.run { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let err = BlockingIO.run { stderr.fileHandleForReading.readDataToEndOfFile() }
        let (outData, errData) = await (out, err)
        await BlockingIO.run { process.waitUntilExit() }
        watchdog.cancel()
        return Result(
            exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(started))
    }

    /// Starts `physio` without waiting, for tests that kill it mid-run; its stdout and stderr go to `stdout`
    /// and `stderr` when given.
    static func start(_ arguments: [String], environment: [String: String], stdout: Pipe? = nil, stderr: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `process` has `file` open (it has reached the lock or the slot it waits for), or has ended.
    static func waitUntil(_ process: Process, opens file: URL) async throws {
        let folder = "/proc/\(process.processIdentifier)/fd"
        let paths = [file.path, file.resolvingSymlinksInPath().path]
        for _ in 0..<2_000 where process.isRunning {
            let open = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.contains { descriptor in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(descriptor)")).map(paths.contains) ?? false
            } ?? false
            if open { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    /// Waits for a process started with pipes and returns what it printed.
    static func finish(_ process: Process, stdout: Pipe, stderr: Pipe) async -> Result {
        async let out = BlockingIO.run { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let err = BlockingIO.run { stderr.fileHandleForReading.readDataToEndOfFile() }
        let (outData, errData) = await (out, err)
        await BlockingIO.run { process.waitUntilExit() }
        return Result(
            exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), seconds: 0)
    }
}
