import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real server from Debian's packages (tinyproxy, nginx) run on loopback for one test, from a config file
/// the test writes; stopped with SIGKILL so it never outlives the test.
final class LoopbackServer: @unchecked Sendable {
    let port: Int
    let directory: URL
    private let process: Process

    /// Starts `executable arguments` after writing `config` (with `@PORT@` and `@DIR@` filled in) to
    /// `<directory>/server.conf`, and waits until the port accepts connections.
    init(executable: String, arguments: [String], config: String, directory: URL, environment: [String: String] = [:]) async throws {
        // PATH first: a python3 with the test's packages (pyenv, a venv) before the system's.
        let searched = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin"]
        let found = searched.map { "\($0)/\(executable)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        let path = try #require(found, "\(executable) is not installed: scripts/install-test-deps installs it")
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let filled = config.replacingOccurrences(of: "@PORT@", with: String(port))
            .replacingOccurrences(of: "@DIR@", with: directory.path)
        try filled.write(to: directory.appendingPathComponent("server.conf"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments.map {
            $0.replacingOccurrences(of: "@DIR@", with: directory.path).replacingOccurrences(of: "@PORT@", with: String(port))
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The event: the port accepts a connection (bounded, so a server that fails to start fails the test).
        for _ in 0..<600 {
            if Self.accepts(port) { return }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        stop()
        Issue.record("\(executable) did not start listening on 127.0.0.1:\(port)")
        throw CancellationError()
    }

    /// An nginx configuration for a test: one worker in the foreground, every path under `@DIR@`, and
    /// `server` (its `server { … }` block) as the one site.
    static func nginxConfig(server: String) -> String {
        """
        daemon off;
        master_process off;
        error_log @DIR@/error.log;
        pid @DIR@/nginx.pid;
        events { worker_connections 256; }
        http {
          access_log @DIR@/access.log;
          client_body_temp_path @DIR@/tmp; proxy_temp_path @DIR@/tmp; fastcgi_temp_path @DIR@/tmp;
          uwsgi_temp_path @DIR@/tmp; scgi_temp_path @DIR@/tmp;
        \(server)
        }
        """
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// A port nothing listens on right now (the kernel's pick for an ephemeral bind).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
