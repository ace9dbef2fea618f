import Synchronization

/// What the simulator saw and sent, for tests to assert on. Thread-safe; `reset()` clears everything but the
/// live connection count.
public final class SimulatorCounters: Sendable {
    /// One request as received: method, path, query and every header in order.
    public struct RecordedRequest: Sendable, Equatable {
        public let method: String
        public let path: String
        public let query: String?
        public let headers: [Header]
        /// The status answered; nil while the response is still being produced.
        public var status: Int?
        /// Arrival number, unique for the server's lifetime (survives `reset()`).
        public let serial: Int

        public struct Header: Sendable, Equatable {
            public let name: String
            public let value: String
        }

        /// The first value of `name`, case-insensitive.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private struct State {
        var requestsByPath: [String: Int] = [:]
        var requestsByStatus: [Int: Int] = [:]
        var bodyBytesByPath: [String: Int64] = [:]
        var currentConnections = 0
        var peakConnections = 0
        var connectionsRefused = 0
        var passwordChecks = 0
        var requests: [RecordedRequest] = []
        var nextSerial = 0
    }

    private let state = Mutex(State())

    init() {}

    // MARK: Reading

    public var requestsByPath: [String: Int] { state.withLock { $0.requestsByPath } }
    public var requestsByStatus: [Int: Int] { state.withLock { $0.requestsByStatus } }
    public var bodyBytesByPath: [String: Int64] { state.withLock { $0.bodyBytesByPath } }
    public var currentConnections: Int { state.withLock { $0.currentConnections } }
    public var peakConnections: Int { state.withLock { $0.peakConnections } }
    /// Connections closed at once by the connection-cap fault.
    public var connectionsRefused: Int { state.withLock { $0.connectionsRefused } }
    /// Passwords the site verified (login form and HTTP Basic): each one costs the real server a PBKDF2
    /// hash, which is why a Basic client must keep its cookies.
    public var passwordChecks: Int { state.withLock { $0.passwordChecks } }
    /// Every request in arrival order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    public func requestCount(path: String) -> Int { state.withLock { $0.requestsByPath[path] ?? 0 } }
    public func requestCount(status: Int) -> Int { state.withLock { $0.requestsByStatus[status] ?? 0 } }
    public func bodyBytesSent(path: String) -> Int64 { state.withLock { $0.bodyBytesByPath[path] ?? 0 } }
    public func requests(path: String) -> [RecordedRequest] { state.withLock { $0.requests.filter { $0.path == path } } }

    /// Clears request, status and byte counts and the request log; the peak restarts from the current count.
    public func reset() {
        state.withLock {
            let current = $0.currentConnections
            let serial = $0.nextSerial
            $0 = State()
            $0.nextSerial = serial
            $0.currentConnections = current
            $0.peakConnections = current
        }
    }

    // MARK: Recording

    /// Records a request and returns its serial for `recordStatus`.
    func recordRequest(method: String, path: String, query: String?, headers: [(name: String, value: String)]) -> Int {
        state.withLock {
            $0.requestsByPath[path, default: 0] += 1
            let serial = $0.nextSerial
            $0.nextSerial += 1
            $0.requests.append(
                RecordedRequest(
                    method: method, path: path, query: query, headers: headers.map { .init(name: $0.name, value: $0.value) },
                    status: nil, serial: serial))
            return serial
        }
    }

    func recordStatus(_ status: Int, serial: Int) {
        state.withLock {
            $0.requestsByStatus[status, default: 0] += 1
            if let index = $0.requests.lastIndex(where: { $0.serial == serial }) { $0.requests[index].status = status }
        }
    }

    func recordBodyBytes(_ count: Int, path: String) {
        state.withLock { $0.bodyBytesByPath[path, default: 0] += Int64(count) }
    }

    func connectionOpened() {
        state.withLock {
            $0.currentConnections += 1
            $0.peakConnections = max($0.peakConnections, $0.currentConnections)
        }
    }

    func connectionClosed() {
        state.withLock { $0.currentConnections -= 1 }
    }

    func passwordChecked() {
        state.withLock { $0.passwordChecks += 1 }
    }

    func connectionRefused() {
        state.withLock { $0.connectionsRefused += 1 }
    }
}
