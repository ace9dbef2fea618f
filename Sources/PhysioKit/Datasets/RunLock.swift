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
    /// Held shared by the shards of one count (`init(sharedAt:shards:)`), else exclusively.
    private let shared: Bool

    /// Takes the lock, or throws `.locked` naming its holder. With `waitSeconds`, first waits that long for
    /// the holder to finish. A lock file that still names a holder although nobody holds the lock was left
    /// by a run that died (`kill -9`, a crash, a reboot): it is taken over, and `staleHolder` hears whose.
    /// `waiting` hears the holder once when the wait begins.
    public init(
        at url: URL, waitSeconds: Double = 0, waiting: (String) -> Void = { _ in }, staleHolder: (String) -> Void = { _ in }
    ) throws(PhysioError) {
        try FileSystem.createDirectory(url.deletingLastPathComponent())
        let descriptor = try Self.openFile(url.path)
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
        Self.record(Self.holderLine(), in: descriptor)
        self.descriptor = descriptor
        self.url = url
        shared = false
    }

    /// A shard's hold on its dataset version's lock (`--shard I/N`), shared with the other shards of the
    /// same group (`ShardGroup`: the count and the selection the list is cut after): shards of another
    /// group would cut the list elsewhere and fetch the same files twice at once, and an unsharded run
    /// (which takes the lock exclusively) would overlap them all. The first shard in records its group
    /// in the lock file; `<lock>.gate` serialises that check, so the tasks of a Slurm array starting
    /// together all get in.
    public init(sharedAt url: URL, group: String) throws(PhysioError) {
        try FileSystem.createDirectory(url.deletingLastPathComponent())
        let gate = try Self.openFile(url.path + ".gate")
        while flock(gate, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let failure = errno
                close(gate)
                throw .filesystem(path: url.path + ".gate", detail: FileSystem.errorText(failure))
            }
        }
        defer {
            flock(gate, LOCK_UN)
            close(gate)
        }
        let descriptor = try Self.openFile(url.path)
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            // The first shard in: whatever the file says was left by runs that are gone.
            Self.record(group + Self.groupEnd + Self.holderLine(), in: descriptor)
            // flock converts a lock by dropping it first, so an unsharded run may slip in between: then
            // the shared lock is refused below and this shard stops, as it should.
        }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else {
            let holder = Self.readHolder(descriptor)
            close(descriptor)
            throw .locked(path: url.path, holder: holder.isEmpty ? "unknown process" : holder)
        }
        let holder = Self.readHolder(descriptor)
        let running = holder.firstRange(of: Self.groupEnd).map { String(holder[..<$0.lowerBound]) } ?? holder
        guard running == group else {
            close(descriptor)
            throw .shardGroupConflict(path: url.path, holder: holder, running: running, wanted: group)
        }
        self.descriptor = descriptor
        self.url = url
        shared = true
    }

    deinit {
        if shared {
            // The last shard out clears the record; the gate keeps a shard starting now from reading it half gone.
            if let gate = try? Self.openFile(url.path + ".gate") {
                flock(gate, LOCK_EX)
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { ftruncate(descriptor, 0) }
                flock(descriptor, LOCK_UN)
                close(descriptor)
                flock(gate, LOCK_UN)
                close(gate)
                return
            }
        } else {
            ftruncate(descriptor, 0)
        }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Between a shard group and its first holder in the lock file: "4 shards, the first pid 12 on …".
    private static let groupEnd = ", the first "

    private static func openFile(_ path: String) throws(PhysioError) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .filesystem(path: path, detail: FileSystem.errorText(errno)) }
        return descriptor
    }

    /// "pid 12 on node3 since 2026-12-01T04:00:00Z", naming this process.
    private static func holderLine() -> String {
        var hostName = [CChar](repeating: 0, count: 256)
        gethostname(&hostName, 255)
        let host = String(decoding: hostName.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // ISODate, not ISO8601DateFormatter: that one loads ICU and its data, megabytes of resident memory.
        return "pid \(getpid()) on \(host) since \(ISODate.format(Date()))"
    }

    private static func record(_ line: String, in descriptor: Int32) {
        ftruncate(descriptor, 0)
        _ = (line + "\n").withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    private static func readHolder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, 511, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingASCIISpace
    }
}
