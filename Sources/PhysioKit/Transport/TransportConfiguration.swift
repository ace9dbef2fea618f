/// Settings every request of one transport shares.
public struct TransportConfiguration: Sendable {
    /// Sent as `User-Agent`. PhysioNet asks tools for a distinctive one (PROTOCOL.md §3.2).
    public var userAgent: String
    /// Time allowed to establish a connection.
    public var connectTimeoutSeconds: Double
    /// A transfer slower than `lowSpeedBytesPerSecond` for this long is abandoned as stalled.
    public var lowSpeedTimeSeconds: Int
    public var lowSpeedBytesPerSecond: Int

    public init(
        userAgent: String = PhysioVersion.userAgent,
        connectTimeoutSeconds: Double = 10,
        lowSpeedTimeSeconds: Int = 60,
        lowSpeedBytesPerSecond: Int = 1
    ) {
        self.userAgent = userAgent
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.lowSpeedTimeSeconds = lowSpeedTimeSeconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
    }
}

extension TransportConfiguration {
    /// The defaults, tuned by `PHYSIO_CONNECT_TIMEOUT_SECONDS` and `PHYSIO_LOW_SPEED_SECONDS` (how long a
    /// transfer may deliver nothing before it is abandoned and resumed) for slow or flaky networks.
    public static func fromEnvironment(_ environment: [String: String]) -> TransportConfiguration {
        var configuration = TransportConfiguration()
        if let seconds = environment["PHYSIO_CONNECT_TIMEOUT_SECONDS"].flatMap(Double.init), seconds > 0 {
            configuration.connectTimeoutSeconds = seconds
        }
        if let seconds = environment["PHYSIO_LOW_SPEED_SECONDS"].flatMap(Int.init), seconds > 0 {
            configuration.lowSpeedTimeSeconds = seconds
        }
        return configuration
    }
}
