/// How many connections a run asks for and how it uses what it is granted: PhysioNet's share (8 at most
/// from one machine, shards together included), spare connections that split large files, and a mirror's
/// own count. `fetch`, `sync` and shards all take their numbers from here.
public struct ConnectionPlan: Sendable, Equatable {
    /// PhysioNet throttles and times out clients that open more connections than this (docs/protocol.md §14).
    public static let physioNetLimit = 8
    public static let defaultJobs = 4
    public static let defaultMirrorJobs = 16
    public static let mirrorJobsLimit = 64

    /// Files at once from PhysioNet.
    public var physioNetJobs: Int
    /// Connections to PhysioNet asked for: one per file, plus spare ones that split large files.
    public var physioNetConnections: Int
    /// Files at once from a mirror (when there is one).
    public var mirrorJobs: Int
    /// Connections a mirror needs on the shared transport: 0 without one.
    public var mirrorConnections: Int

    /// `jobs` is `-j` (or a dataset's `jobs`): PhysioNet's file count, or the mirror's with a named mirror.
    /// `force` lifts the cap of 8 on split connections. `shards` processes share PhysioNet's 8 connections:
    /// a sharded run from a named mirror falls back to PhysioNet on its share of them.
    public init(jobs: Int?, source: MirrorSource, noSplit: Bool = false, force: Bool = false, shards: Int = 1) {
        let namedMirror = source != .physionet && source != .auto
        if namedMirror {
            physioNetJobs = shards > 1 ? max(1, Self.physioNetLimit / shards) : Self.defaultJobs
        } else {
            physioNetJobs = jobs ?? Self.defaultJobs
        }
        physioNetConnections = noSplit ? physioNetJobs : (force ? 2 * physioNetJobs : min(Self.physioNetLimit, 2 * physioNetJobs))
        mirrorJobs = jobs ?? Self.defaultMirrorJobs
        mirrorConnections = source == .physionet ? 0 : min(Self.mirrorJobsLimit, 2 * mirrorJobs)
    }

    /// Refuses shards that together would open more than PhysioNet's limit, unless forced.
    public func checkShards(_ shards: Int, site: PhysioNetSite, force: Bool) throws(PhysioError) {
        let total = shards * physioNetJobs
        guard shards > 1, total > Self.physioNetLimit, !force, site.origin.host.hasSuffix("physionet.org") else { return }
        throw .usage(
            "\(shards) shards x -j \(physioNetJobs) would open \(total) connections to PhysioNet, above its safe limit of \(Self.physioNetLimit); lower -j or the shard count, or pass --force to insist.")
    }

    /// Sets the run's concurrency in `options` once the machine-wide budget granted `granted` connections.
    public func apply(granted: Int, to options: inout FetchOptions) {
        let granted = max(1, granted)
        options.concurrency = min(physioNetJobs, granted)
        options.maximumConnections = max(options.concurrency, min(physioNetConnections, granted))
        options.fallbackConcurrency = min(physioNetJobs, granted)
        options.listConnections = min(Self.physioNetLimit, granted)
        options.mirrorConcurrency = mirrorJobs
    }
}
