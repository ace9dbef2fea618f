import FoundationEssentials

/// `physio inventory merge`: joins the parts that the shards of one dataset version recorded into the
/// root's inventory, then checks the result against the dataset's SHA256SUMS.txt, so a shard that never
/// ran, died, or failed files is reported rather than silently leaving a hole.
public enum ShardMerge {
    public struct Report: Codable, Sendable {
        public var slug: String
        public var version: String
        /// The part files joined, by name (`I-of-N.sqlite`).
        public var parts: [String] = []
        public var rowsMerged = 0
        /// Files the list names.
        public var listed = 0
        public var verified = 0
        /// Listed files no part recorded: a shard did not run or was cut short.
        public var uncovered: [String] = []
        /// Listed files a shard recorded as failed or whose digest differs from the list.
        public var failed: [String] = []

        public var complete: Bool { uncovered.isEmpty && failed.isEmpty && listed > 0 }
    }

    public static func merge(root: URL, slug: String, version: String) async throws -> Report {
        let parts = Shard.parts(root: root, slug: slug, version: version)
        guard !parts.isEmpty else {
            throw PhysioError.usage(
                "No shard parts for \(slug)@\(version) under \(root.path)/.physio/shards; run `physio fetch \(slug)@\(version) --shard I/N` first.")
        }
        return try await BlockingIO.run { () throws -> Report in
            // Not while shards (or an unsharded fetch) of this version still write: they hold its lock.
            let lock = try RunLock(at: DatasetLocation(root: root, slug: slug, version: version).lockFile)
            defer { withExtendedLifetime(lock) {} }
            let inventory = try Inventory.open(root: root)
            var report = Report(slug: slug, version: version)
            for part in parts {
                report.rowsMerged += try inventory.merge(part: part, slug: slug, version: version)
                report.parts.append(part.lastPathComponent)
            }
            guard let provenance = try inventory.provenance(slug: slug, version: version) else {
                throw PhysioError.usage("The shard parts of \(slug)@\(version) hold no record of that dataset; rerun the shards.")
            }
            let listFile = provenance.location(root: root).datasetDirectory.appendingPathComponent("SHA256SUMS.txt")
            guard FileSystem.exists(listFile) else {
                // A dataset without a published list: nothing to check coverage against.
                report.verified = try inventory.summary(slug: slug, version: version).verified
                return report
            }
            let text = String(decoding: try FileSystem.readAll(listFile), as: UTF8.self)
            let entries = try ChecksumList(parsing: text).entries.sorted { $0.path < $1.path }
            report.listed = entries.count
            var next = 0
            try inventory.forEachFile(slug: slug, version: version) { record in
                while next < entries.count && entries[next].path < record.path {
                    report.uncovered.append(entries[next].path.value)
                    next += 1
                }
                guard next < entries.count, entries[next].path == record.path else { return }
                if record.state == .verified && record.sha256 == entries[next].digest {
                    report.verified += 1
                } else {
                    report.failed.append(record.path.value)
                }
                next += 1
            }
            report.uncovered += entries[next...].map(\.path.value)
            return report
        }
    }
}
