import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cap on connections to one server shared by every physio process of this user on this machine (default
/// 8, `PHYSIO_MAX_CONNECTIONS`), so three timers starting at once do not open 24 connections to PhysioNet,
/// which throttles and times out clients that open many.
///
/// The state is one small file per server under `$XDG_STATE_HOME/physio/connections/`, and a slot is a lock
/// on one of its bytes: an open-file-description lock (`F_OFD_SETLK`), which the kernel releases when the
/// process ends however it ends, so a killed run never leaks a slot, and which two budgets in one process
/// also respect. A run takes the free slots it wants (at least one, waiting for one when none is free)
/// and its transport opens no more connections than it holds.
public final class ConnectionBudget: Sendable {
    public static let defaultCap = 8
    public static let capVariable = "PHYSIO_MAX_CONNECTIONS"

    /// Connections this process may open to the host.
    public let granted: Int
    public let cap: Int
    private let descriptor: Int32

    // Linux's open-file-description lock command (<fcntl.h> with _GNU_SOURCE; Swift's Glibc omits them).
    private static let setLock: Int32 = 37

    /// The cap: `PHYSIO_MAX_CONNECTIONS` when it is a positive number, else 8.
    public static func cap(_ environment: [String: String]) throws(PhysioError) -> Int {
        guard let text = environment[capVariable], !text.isEmpty else { return defaultCap }
        guard let value = Int(text), value >= 1 else {
            throw .usage("\(capVariable)=\(text) is not a positive whole number; set it to the most connections physio may open to one server at once (default 8).")
        }
        return value
    }

    /// The file that holds the slots for `site`, in physio's state folder (`SessionStore.directory`).
    public static func file(for site: PhysioNetSite, stateDirectory: URL) -> URL {
        let name = "\(site.origin.host)-\(site.origin.port)"
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "_" })
        return stateDirectory.appendingPathComponent("connections/\(safe).slots", isDirectory: false)
    }

    /// Takes up to `wanted` slots of `cap` for `site`. When every slot is held, calls `waiting` once and
    /// blocks until one is released (run it on `BlockingIO`).
    public static func acquire(
        for site: PhysioNetSite, wanted: Int, cap: Int, stateDirectory: URL, waiting: (_ cap: Int) -> Void = { _ in }
    ) throws(PhysioError) -> ConnectionBudget {
        let url = file(for: site, stateDirectory: stateDirectory)
        try FileSystem.createDirectory(url.deletingLastPathComponent(), mode: 0o700)
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .filesystem(path: url.path, detail: FileSystem.errorText(errno)) }
        let want = max(1, min(wanted, cap))
        var held = takeFree(descriptor, cap: cap, want: want)
        if held.isEmpty {
            waiting(cap)
            // A blocking lock waits for one particular slot, whose holder may run for days while others
            // finish; trying them all five times a second takes whichever frees first.
            while held.isEmpty {
                usleep(200_000)
                held = takeFree(descriptor, cap: cap, want: want)
            }
        }
        return ConnectionBudget(granted: held.count, cap: cap, descriptor: descriptor)
    }

    private init(granted: Int, cap: Int, descriptor: Int32) {
        self.granted = granted
        self.cap = cap
        self.descriptor = descriptor
    }

    deinit {
        // Closing the last descriptor of the open file description releases every slot it holds.
        close(descriptor)
    }

    /// Applies the grant to this process's transfers. curl's cap is per host, so a run that also reads a
    /// mirror raises it to the mirror's connections (`atLeast`) and bounds its PhysioNet requests itself.
    public func limitTransport(atLeast floor: Int = 0) {
        CurlMultiLoop.shared.limitConnectionsPerHost(max(granted, floor))
    }

    private static func takeFree(_ descriptor: Int32, cap: Int, want: Int) -> [Int] {
        var held: [Int] = []
        for slot in 0..<cap where held.count < want {
            if lock(descriptor, slot: slot) { held.append(slot) }
        }
        return held
    }

    private static func lock(_ descriptor: Int32, slot: Int) -> Bool {
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        request.l_start = off_t(slot)
        request.l_len = 1
        request.l_pid = 0
        while true {
            if fcntl(descriptor, setLock, &request) == 0 { return true }
            if errno == EINTR { continue }
            return false
        }
    }
}
