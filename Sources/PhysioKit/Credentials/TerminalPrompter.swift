import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Asks the person at the terminal for credentials. Injected so tests never touch a real terminal.
public protocol CredentialPrompter: Sendable {
    /// Shows `prompt` and reads one line with echo on; `nil` at end of input.
    func readLine(prompt: String) throws -> String?
    /// Shows `prompt` and reads one line with echo off; `nil` at end of input.
    func readSecret(prompt: String) throws -> String?
}

/// Prompts on `/dev/tty` (not stdout/stderr, which may be redirected) with echo turned off for secrets.
///
/// Echo is restored before `readSecret` returns or throws. A signal that kills the process while echo is off
/// would leave it off; PhysioKit installs no signal handlers (that is the executable's business), so the CLI
/// should restore the terminal in its SIGINT handler if it installs one.
public struct TerminalPrompter: CredentialPrompter {
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { "no terminal to prompt on: \(reason)" }
    }

    public init() {}

    /// Whether standard input is a terminal: prompting only makes sense then (a pipe means a script).
    public static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    public func readLine(prompt: String) throws -> String? {
        try withTerminal { fd in
            Self.show(prompt, on: fd)
            return Self.readLine(from: fd)
        }
    }

    public func readSecret(prompt: String) throws -> String? {
        try withTerminal { fd in
            Self.show(prompt, on: fd)
            var original = termios()
            guard tcgetattr(fd, &original) == 0 else { return Self.readLine(from: fd) }
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(fd, TCSAFLUSH, &silent)
            defer { _ = tcsetattr(fd, TCSAFLUSH, &original) }
            return Self.readLine(from: fd)
        }
    }

    private func withTerminal<T>(_ body: (Int32) throws -> T) throws -> T {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw Unavailable(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try body(fd)
    }

    private static func show(_ text: String, on fd: Int32) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Reads byte by byte up to a newline, so nothing after the line is consumed.
    private static func readLine(from fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
