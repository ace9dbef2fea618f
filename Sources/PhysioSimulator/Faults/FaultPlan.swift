/// Failures to inject, deterministic for a given seed: the simulator's answer to "what if PhysioNet misbehaves".
///
/// Each rule is scoped to a path glob and optionally to the first N requests that match it, so a test can say
/// "drop `/files/x/1.0/big.bin` after 1000 bytes, once". Site-wide faults (session lifetime, connection cap)
/// are plain properties.
public struct FaultPlan: Codable, Sendable, Equatable {
    /// Seeds the rules' `probability` draws, so a run with the same seed injects the same faults.
    public var seed: UInt64
    public var rules: [FaultRule]
    /// Sessions older than this behave as anonymous (the login expired mid-run).
    public var sessionLifetimeSeconds: Double?
    /// What each password check costs the server (PhysioNet hashes with PBKDF2: about 0.1 s a check, so a
    /// Basic client without cookies pays it on every request).
    public var passwordCheckSeconds: Double?
    /// At most this many simultaneous connections per client address.
    public var connectionCap: ConnectionCap?
    /// The only origin CSRF checks accept (as when the server trusts a different host name than the one
    /// the client used); nil trusts `http://<Host>`.
    public var trustedOrigin: String?

    public init(
        seed: UInt64 = 0, rules: [FaultRule] = [], sessionLifetimeSeconds: Double? = nil, connectionCap: ConnectionCap? = nil,
        trustedOrigin: String? = nil
    ) {
        self.trustedOrigin = trustedOrigin
        self.seed = seed
        self.rules = rules
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.connectionCap = connectionCap
    }

    public struct ConnectionCap: Codable, Sendable, Equatable {
        public enum Excess: String, Codable, Sendable {
            /// Excess connections are closed at once (the client sees a reset / empty reply).
            case close
            /// Excess connections are accepted but not served until a slot frees up.
            case stall
        }
        public var maximumPerClient: Int
        public var excess: Excess

        public init(maximumPerClient: Int, excess: Excess = .close) {
            self.maximumPerClient = maximumPerClient
            self.excess = excess
        }
    }
}

/// One fault, where it applies and how often.
public struct FaultRule: Codable, Sendable, Equatable {
    public var fault: Fault
    /// Glob over the request path: `*` matches any run of characters (including `/`), `?` one character.
    public var pathGlob: String
    /// Only the first N matching requests get the fault; nil = every matching request.
    public var firstRequests: Int?
    /// Chance (0...1) that a matching request gets the fault, drawn from the plan's seed; nil = always.
    public var probability: Double?

    public init(_ fault: Fault, path pathGlob: String = "*", firstRequests: Int? = nil, probability: Double? = nil) {
        self.fault = fault
        self.pathGlob = pathGlob
        self.firstRequests = firstRequests
        self.probability = probability
    }
}

public enum Fault: Codable, Sendable, Equatable {
    /// Close the connection after this many body bytes.
    case dropAfterBytes(Int64)
    /// Stop sending after `afterBytes` body bytes for `seconds`, then continue.
    case stall(afterBytes: Int64, seconds: Double)
    /// Answer with this status (500, 502, 503…) and a short HTML body instead of the real response.
    case status(Int)
    /// Answer 429 with `Retry-After: <seconds>`.
    case tooManyRequests(retryAfterSeconds: Int)
    /// Throttle the body to this many bytes per second.
    case rateLimit(bytesPerSecond: Int)
    /// Wait this long before sending the response head.
    case firstByteLatency(seconds: Double)
    /// Invert the byte at this offset of the file (counted from the start of the file, not the range).
    case flipByte(offset: Int64)
    /// Answer a Range request from this start instead of the one asked for (206 with a different start).
    case wrongRangeStart(Int64)
    /// After the first N matching requests the file is replaced: new content of the same size, new mtime/ETag.
    case replaceFile(afterRequests: Int)
    /// Serve the login page (200 `text/html`) in place of a data file, as an expired session on some sites does.
    case loginPageInsteadOfFile
}
