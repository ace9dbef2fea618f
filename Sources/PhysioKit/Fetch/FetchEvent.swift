/// What a fetch reports while it runs; the CLI turns these into progress lines.
public enum FetchEvent: Sendable {
    case resolvedVersion(slug: String, version: String)
    /// `bytesToDownload` is exact, or `nil` when some sizes are unknown; then `estimatedBytesToDownload` may
    /// say about how much, from the project page's total.
    case planned(files: Int, toDownload: Int, bytesToDownload: Int64?, estimatedBytesToDownload: Int64?, alreadyVerified: Int)
    case fileStored(path: DatasetPath, state: FileRecord.State)
    case fileFailed(path: DatasetPath, reason: String)
    case retrying(path: DatasetPath, attempt: Int, delay: Double, reason: String)
    case concurrencyChanged(Int)
    /// A local copy that was not what physio verified is about to be replaced by the server's; it was kept.
    case keptLocalCopy(FetchSummary.KeptFile)
    case warning(String)
}

/// Where events go. The CLI supplies one; the default drops them.
public struct FetchEventSink: Sendable {
    private let handler: @Sendable (FetchEvent) -> Void

    public init(_ handler: @escaping @Sendable (FetchEvent) -> Void) {
        self.handler = handler
    }

    public static let ignore = FetchEventSink { _ in }

    public func emit(_ event: FetchEvent) {
        handler(event)
    }
}
