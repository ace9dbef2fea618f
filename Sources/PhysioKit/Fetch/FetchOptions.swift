import Foundation

/// Everything `physio fetch` was asked to do.
public struct FetchOptions: Sendable {
    public var slug: String
    /// `nil`: the latest version, resolved from the server.
    public var version: String?
    public var root: URL
    public var layout: DatasetLocation.Layout
    public var filter: PathFilter
    public var concurrency: Int
    public var dryRun: Bool
    public var trustServer: Bool
    public var retry: RetryPolicy

    public init(
        slug: String, version: String? = nil, root: URL, layout: DatasetLocation.Layout = .physio,
        filter: PathFilter = PathFilter(), concurrency: Int = 4, dryRun: Bool = false, trustServer: Bool = false,
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.slug = slug
        self.version = version
        self.root = root
        self.layout = layout
        self.filter = filter
        self.concurrency = concurrency
        self.dryRun = dryRun
        self.trustServer = trustServer
        self.retry = retry
    }
}

