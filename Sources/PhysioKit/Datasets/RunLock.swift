import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Excludes concurrent physio runs on one dataset version. An advisory `flock`, so the kernel releases it
/// when the holder dies (even by `kill -9`); the file also records PID, host and start time for the message.
public final class RunLock: Sendable {
    private let descriptor: Int32
    public let url: URL

    /// Takes the lock, or throws `.locked` naming its holder. With `waitSeconds`, first waits that long for
    /// the holder to finish. A lock file that still names a holder although nobody holds the lock was left
    /// by a run that died (`kill -9`, a crash, a reboot): it is taken over, and `staleHolder` hears whose.
    /// `waiting` hears the holder once when the wait begins.
    public init(
        at url: URL, waitSeconds: Double = 0, waiting: (String) -> Void = { _ in }, staleHolder: (String) -> Void = { _ in }
    ) throws(PhysioError) {
        try FileSystem.createDirectory(url.deletingLastPathComponent())
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .filesystem(path: url.path, detail: FileSystem.errorText(errno)) }
        // flock cannot wait with a deadline; a tenth of a second between tries costs nothing next to a run.
        let deadline = Date().addingTimeInterval(waitSeconds)
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if !announced && waitSeconds > 0 {
                announced = true
                waiting(Self.readHolder(descriptor))
            }
            guard Date() < deadline else {
                let holder = Self.readHolder(descriptor)
                close(descriptor)
                throw .locked(path: url.path, holder: holder.isEmpty ? "unknown process" : holder)
            }
            usleep(100_000)
        }
        let previous = Self.readHolder(descriptor)
        if !previous.isEmpty { staleHolder(previous) }
        var hostName = [CChar](repeating: 0, count: 256)
        gethostname(&hostName, 255)
        let host = String(decoding: hostName.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // ISODate, not ISO8601DateFormatter: that one loads ICU and its data, megabytes of resident memory.
        let stamp = ISODate.format(Date())
        let line = "pid \(getpid()) on \(host) since \(stamp)\n"
        ftruncate(descriptor, 0)
        _ = line.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = descriptor
        self.url = url
    }

    deinit {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, 511, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingASCIISpace
    }
}
