/// The faults that apply to one request, after matching the plan's rules against its path.
struct ActiveFaults: Sendable {
    var dropAfterBytes: Int64?
    var stall: (afterBytes: Int64, seconds: Double)?
    var status: Int?
    var retryAfterSeconds: Int?
    var bytesPerSecond: Int?
    var firstByteLatency: Double?
    var flipOffset: Int64?
    var wrongRangeStart: Int64?
    /// 0 = original file; 1 = replaced.
    var fileRevision = 0
    var loginPageInsteadOfFile = false

    /// Whether the body has to be streamed in small pieces rather than written at once.
    var shapesBody: Bool {
        dropAfterBytes != nil || stall != nil || bytesPerSecond != nil || flipOffset != nil
    }

    mutating func apply(_ fault: Fault) {
        switch fault {
        case .dropAfterBytes(let bytes): dropAfterBytes = bytes
        case .stall(let after, let seconds): stall = (after, seconds)
        case .status(let code): status = code
        case .tooManyRequests(let seconds): status = 429; retryAfterSeconds = seconds
        case .rateLimit(let rate): bytesPerSecond = max(1, rate)
        case .firstByteLatency(let seconds): firstByteLatency = seconds
        case .flipByte(let offset): flipOffset = offset
        case .wrongRangeStart(let start): wrongRangeStart = start
        case .replaceFile: fileRevision = 1
        case .loginPageInsteadOfFile: loginPageInsteadOfFile = true
        }
    }
}
