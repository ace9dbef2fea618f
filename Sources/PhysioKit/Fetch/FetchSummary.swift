import Foundation

/// The outcome of one fetch: printed as text, or as one JSON object with `--json`.
public struct FetchSummary: Codable, Sendable {
    public struct Counts: Codable, Sendable, Equatable {
        /// Files whose SHA-256 matches the list, whether downloaded now or already present.
        public var verified = 0
        /// Files transferred in this run.
        public var downloaded = 0
        /// Files already verified locally that needed no transfer.
        public var skipped = 0
        public var unverifiable = 0
        public var failed = 0
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public struct PlannedFile: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64?
        public var bytesPresent: Int64
        public var action: String
    }

    public var slug: String
    public var version: String
    public var root: String
    public var datasetDirectory: String
    public var counts = Counts()
    public var bytesTransferred: Int64 = 0
    public var seconds: Double = 0
    public var exitCode: Int32 = 0
    public var failures: [Failure] = []
    public var dryRun = false
    /// With `--dry-run`: what would be fetched.
    public var plan: [PlannedFile]?
    public var trustedServerOverPin = false
    /// `I/N` when this run covered one shard of the list.
    public var shard: String?
}
