import FoundationEssentials

/// `physio outdated`: for each dataset of physio.toml, the version the root holds and the latest one
/// published, without syncing anything. One request per project (the redirect of its page).
public struct OutdatedCheck: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var slug: String
        /// As physio.toml asks: an exact version or `latest`.
        public var requested: String
        /// The version physio.lock (else the inventory) records for it; `nil` when never synced.
        public var current: String?
        public var latest: String
        /// `latest` is newer than what the root holds (or than the pin).
        public var outdated: Bool
    }

    public let transport: any HTTPTransport
    public let site: PhysioNetSite
    public let retry: RetryPolicy

    public init(transport: any HTTPTransport, site: PhysioNetSite, retry: RetryPolicy = RetryPolicy()) {
        self.transport = transport
        self.site = site
        self.retry = retry
    }

    /// Without a physio.toml: every dataset the inventory of `root` records, its newest local version
    /// against the latest published (`requested` is that local version).
    public func run(recordedIn root: URL) async throws -> [Entry] {
        let recorded = try await BlockingIO.run { () throws in try Inventory.existing(root: root)?.allProvenance() ?? [] }
        var newestLocal: [String: String] = [:]
        for provenance in recorded {
            if let known = newestLocal[provenance.slug], !DatasetSlug.isVersion(provenance.version, newerThan: known) { continue }
            newestLocal[provenance.slug] = provenance.version
        }
        var latest = LatestVersions(transport: transport, site: site, retry: retry)
        var entries: [Entry] = []
        for (slug, current) in newestLocal.sorted(by: { $0.key < $1.key }) {
            let newest = try await latest.version(of: slug)
            entries.append(Entry(
                slug: slug, requested: current, current: current, latest: newest,
                outdated: DatasetSlug.isVersion(newest, newerThan: current)))
        }
        return entries
    }

    public func run(_ environment: DataEnvironment) async throws -> [Entry] {
        let lock = try DataLock.load(beside: environment.file)
        let inventory = try await BlockingIO.run { () throws in try Inventory.existing(root: environment.root) }
        let recorded = try await BlockingIO.run { () throws in try inventory?.allProvenance() ?? [] }
        var latest = LatestVersions(transport: transport, site: site, retry: retry)
        var entries: [Entry] = []
        for declared in environment.datasets {
            let newest = try await latest.version(of: declared.slug)
            let current = lock?.entry(slug: declared.slug, requested: declared.version.description)?.version
                ?? declared.version.pinned.flatMap { pinned in recorded.contains { $0.slug == declared.slug && $0.version == pinned } ? pinned : nil }
                ?? recorded.filter { $0.slug == declared.slug }.map(\.version)
                    .max { DatasetSlug.isVersion($1, newerThan: $0) }
            let reference = declared.version.pinned ?? current
            entries.append(Entry(
                slug: declared.slug, requested: declared.version.description, current: current, latest: newest,
                outdated: reference.map { DatasetSlug.isVersion(newest, newerThan: $0) } ?? true))
        }
        return entries
    }
}
