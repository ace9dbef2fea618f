/// Parses the command line's `--fault SPEC` strings into a `FaultPlan`.
///
/// Syntax: `KIND[=ARGS][@GLOB][#N][%P]`. `@GLOB` scopes to a path glob (default `*`), `#N` to the first N
/// matching requests, `%P` to a probability 0...1 drawn from `--seed`. Kinds:
/// `drop-after=BYTES`, `stall=BYTES:SECONDS`, `status=CODE`, `429=RETRY_AFTER_SECONDS`, `rate=BYTES_PER_SECOND`,
/// `latency=SECONDS`, `flip=OFFSET`, `range-start=START`, `replace-after=REQUESTS`, `login-page`,
/// and the site-wide `session-expiry=SECONDS`, `max-conns=N[:close|stall]`, `password-check=SECONDS`.
public enum FaultSpecParser {
    public struct InvalidSpec: Error, CustomStringConvertible {
        public let spec: String
        public let reason: String
        public var description: String { "invalid fault spec '\(spec)': \(reason). See physionet-sim --help for the syntax." }
    }

    public static let syntaxHelp = """
        KIND[=ARGS][@GLOB][#N][%P]: drop-after=BYTES | stall=BYTES:SECONDS | status=CODE | 429=RETRY_AFTER | \
        rate=BYTES_PER_SEC | latency=SECONDS | flip=OFFSET | range-start=START | replace-after=REQUESTS | login-page | \
        session-expiry=SECONDS | max-conns=N[:close|stall] | password-check=SECONDS. @GLOB limits to matching paths (* spans /), #N to the \
        first N matching requests, %P to a seeded probability. Example: drop-after=1000@/files/x/1.0/big.bin#1
        """

    /// Adds the rule or site-wide setting described by `spec` to `plan`.
    public static func apply(_ spec: String, to plan: inout FaultPlan) throws {
        var rest = Substring(spec)
        var probability: Double?
        var firstRequests: Int?
        var glob = "*"
        if let percent = rest.lastIndex(of: "%") {
            guard let value = Double(rest[rest.index(after: percent)...]), (0...1).contains(value) else {
                throw InvalidSpec(spec: spec, reason: "%P must be a probability between 0 and 1")
            }
            probability = value
            rest = rest[..<percent]
        }
        if let hash = rest.lastIndex(of: "#") {
            guard let value = Int(rest[rest.index(after: hash)...]), value > 0 else {
                throw InvalidSpec(spec: spec, reason: "#N must be a positive count")
            }
            firstRequests = value
            rest = rest[..<hash]
        }
        if let at = rest.firstIndex(of: "@") {
            glob = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let parts = rest.split(separator: "=", maxSplits: 1)
        let kind = parts.first.map(String.init) ?? ""
        let argument = parts.count > 1 ? String(parts[1]) : ""
        let numbers = argument.split(separator: ":").map(String.init)

        func int64(_ index: Int = 0) throws -> Int64 {
            guard index < numbers.count, let value = Int64(numbers[index]), value >= 0 else {
                throw InvalidSpec(spec: spec, reason: "\(kind) needs a non-negative integer argument")
            }
            return value
        }
        func seconds(_ index: Int = 0) throws -> Double {
            guard index < numbers.count, let value = Double(numbers[index]), value >= 0 else {
                throw InvalidSpec(spec: spec, reason: "\(kind) needs a duration in seconds")
            }
            return value
        }

        let fault: Fault
        switch kind {
        case "drop-after": fault = .dropAfterBytes(try int64())
        case "stall": fault = .stall(afterBytes: try int64(0), seconds: try seconds(1))
        case "status":
            let code = try int64()
            guard (400...599).contains(code) else { throw InvalidSpec(spec: spec, reason: "status must be 400...599") }
            fault = .status(Int(code))
        case "429": fault = .tooManyRequests(retryAfterSeconds: Int(try int64()))
        case "rate": fault = .rateLimit(bytesPerSecond: Int(try int64()))
        case "latency": fault = .firstByteLatency(seconds: try seconds())
        case "flip": fault = .flipByte(offset: try int64())
        case "range-start": fault = .wrongRangeStart(try int64())
        case "replace-after": fault = .replaceFile(afterRequests: Int(try int64()))
        case "login-page": fault = .loginPageInsteadOfFile
        case "session-expiry":
            plan.sessionLifetimeSeconds = try seconds()
            return
        case "password-check":
            plan.passwordCheckSeconds = try seconds()
            return
        case "max-conns":
            let maximum = Int(try int64())
            let excess: FaultPlan.ConnectionCap.Excess
            switch numbers.count > 1 ? numbers[1] : "close" {
            case "close": excess = .close
            case "stall": excess = .stall
            default: throw InvalidSpec(spec: spec, reason: "max-conns takes :close or :stall")
            }
            plan.connectionCap = FaultPlan.ConnectionCap(maximumPerClient: maximum, excess: excess)
            return
        default:
            throw InvalidSpec(spec: spec, reason: "unknown fault kind '\(kind)'")
        }
        plan.rules.append(FaultRule(fault, path: glob, firstRequests: firstRequests, probability: probability))
    }

    public static func plan(from specs: [String], seed: UInt64 = 0) throws -> FaultPlan {
        var plan = FaultPlan(seed: seed)
        for spec in specs { try apply(spec, to: &plan) }
        return plan
    }
}
