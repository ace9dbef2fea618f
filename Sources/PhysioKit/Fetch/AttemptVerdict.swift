/// How a failed attempt at a file's bytes is judged, the same for a whole file and for one of its ranges:
/// worth another attempt, or the file's failure.
enum AttemptVerdict: Sendable, Equatable {
    /// Worth another attempt: why, the server's `Retry-After`, what the file fails with when no attempt is
    /// left, whether the server asked for fewer connections (429, 503, timeouts), which the run's limiter
    /// heeds, and whether it refused the connection, which `Retrier` gives up on within its window.
    case retry(reason: String, retryAfter: Double?, exhausted: FileFailure, serverPushedBack: Bool, refused: Bool = false)
    case fail(FileFailure)

    /// The verdict on an answer that stopped a download. `nil` for a resume or range the server answered
    /// with other bytes (`rangeMismatch`, `rangeNotSatisfiable`): what that means depends on the caller.
    init?(_ interruption: DownloadInterruption) {
        switch interruption {
        case .rangeMismatch, .rangeNotSatisfiable:
            return nil
        case .htmlInsteadOfData:
            self = .fail(.htmlInsteadOfData)
        case .localWriteFailed(let detail):
            self = .fail(.local(detail))
        case .httpStatus(let status, let retryAfter):
            switch status {
            case 404, 410: self = .fail(.missingOnServer(status: status))
            case 401, 403: self = .fail(.accessLost(status: status))
            case _ where Retrier.isRetryable(status: status):
                self = .retry(
                    reason: "HTTP \(status)", retryAfter: retryAfter, exhausted: .serverError(status: status),
                    serverPushedBack: status == 429 || status == 503)
            default: self = .fail(.serverError(status: status))
            }
        }
    }

    /// The verdict on a transfer that failed below HTTP.
    init(_ error: TransportError) {
        guard error.isRetryable else {
            self = .fail(.network(error.description))
            return
        }
        self = .retry(
            reason: error.description, retryAfter: nil, exhausted: .network(error.description),
            serverPushedBack: error.kind == .connectTimeout || error.kind == .stalled, refused: error.kind == .connectionRefused)
    }
}
