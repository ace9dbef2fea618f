import FoundationEssentials
import Glibc
import PhysioKit
import Synchronization

/// stdout for results, stderr for everything else; one lock so progress redraws and messages never interleave.
enum Console {
    private static let lock = Mutex<Void>(())
    private static let quietMode = Atomic<Bool>(false)

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Whether stdout and stderr write to the same file (one terminal, or `2>&1`): a line printed on both
    /// would be read twice in one place.
    static var stdoutSharesStderr: Bool {
        var out = stat()
        var err = stat()
        guard fstat(STDOUT_FILENO, &out) == 0, fstat(STDERR_FILENO, &err) == 0 else { return false }
        return out.st_dev == err.st_dev && out.st_ino == err.st_ino
    }

    /// `--quiet`, set once by `reportingFailures` before a command's body runs: from then on `notice` prints
    /// nothing. One switch rather than a flag handed to every option group that may wait or warn, so no
    /// notice added later can forget it.
    static var quiet: Bool {
        get { quietMode.load(ordering: .relaxed) }
        set { quietMode.store(newValue, ordering: .relaxed) }
    }

    /// An error, or what a failure leaves to do: always printed, on stderr.
    static func error(_ text: String) {
        lock.withLock { _ in _ = write(STDERR_FILENO, text + "\n") }
    }

    /// A line that is not an error (a wait for a lock or a connection, a warning about something physio
    /// worked around): on stderr, and not at all under `--quiet`, which prints errors only, as `wget -q` does.
    static func notice(_ text: String) {
        guard !quiet else { return }
        error(text)
    }

    static func out(_ text: String) {
        lock.withLock { _ in _ = write(STDOUT_FILENO, text + "\n") }
    }

    /// Writes raw bytes to stderr (progress bar redraws).
    static func rawError(_ text: String) {
        lock.withLock { _ in _ = write(STDERR_FILENO, text) }
    }

    /// Writes a piece of a result to stdout; a failure (a full disk, a closed pipe) stops the command.
    static func outBytes(_ bytes: [UInt8]) throws(PhysioError) {
        let failure = lock.withLock { _ in bytes.withUnsafeBytes { FileSystem.writeAll(STDOUT_FILENO, $0) } }
        if failure != 0 { throw .filesystem(path: "standard output", detail: FileSystem.errorText(failure)) }
    }

    private static func write(_ descriptor: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { FileSystem.writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    }

    static func json(_ value: some Encodable) throws {
        try outBytes(Array(try PhysioJSON.encoder().encode(value)) + [UInt8(ascii: "\n")])
    }
}

/// Human-readable byte counts (1024-based, as PhysioNet's own pages show).
enum ByteFormat {
    private static let units = ["B", "KiB", "MiB", "GiB", "TiB"]

    /// `512 B`, `2.1 KiB`, `10.7 MiB`: one decimal, rounded half to even as `%.1f` rounds. Integer digits
    /// rather than printf through `CVarArg`: a dry run prints a size on each of its lines, 800,000 for
    /// MIMIC-IV-ECG.
    static func string(_ bytes: Int64) -> String {
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        guard unit > 0 else { return "\(bytes) B" }
        let tenths = Int64((value * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
