import Foundation

/// `physio verify`: checks local files against their inventory rows, by stat facts (instant) or by
/// re-hashing everything in parallel (`full`). Rows are read a page at a time, so memory stays flat
/// whatever the dataset's size.
public struct DatasetVerifier: Sendable {
    public struct Report: Codable, Sendable {
        public var slug: String
        public var version: String
        public var datasetDirectory: String
        public var checked = 0
        public var verified = 0
        public var unverifiable = 0
        /// Content no longer matches (full), or stat facts changed (quick).
        public var changed: [String] = []
        public var missing: [String] = []
        /// Files the last fetch could not obtain.
        public var failed: [String] = []
        public var full: Bool
        /// `I/N` when this run checked one shard of the rows.
        public var shard: String?
    }

    /// Rows read and checked per page.
    static let pageSize = 4096

    public init() {}

    /// Checks `provenance`'s files. A shard checks its part of the rows and writes nothing (the shards of a
    /// cluster share one inventory, which only one writer may hold); otherwise rows whose stat facts
    /// changed with their content intact (`full`) are brought up to date.
    public func verify(
        _ provenance: DatasetProvenance, inventory: Inventory, root: URL, full: Bool, shard: Shard? = nil
    ) async throws -> Report {
        let location = provenance.location(root: root)
        let lock = shard == nil ? try RunLock(at: location.lockFile) : nil
        defer { withExtendedLifetime(lock) {} }

        var report = Report(
            slug: provenance.slug, version: provenance.version, datasetDirectory: location.datasetDirectory.path, full: full,
            shard: shard?.description)
        var selected: [DatasetManifest.FileRecord]?
        if let shard { selected = try await Self.rows(of: provenance, in: inventory, shard: shard) }
        var after: DatasetPath?
        var offset = 0
        while true {
            let page: [DatasetManifest.FileRecord]
            if let selected {
                page = Array(selected[offset..<min(selected.count, offset + Self.pageSize)])
                offset += page.count
            } else {
                let start = after
                page = try await BlockingIO.run { () throws in
                    try inventory.files(slug: provenance.slug, version: provenance.version, after: start, limit: Self.pageSize)
                }
            }
            guard let last = page.last else { break }
            after = last.path
            let results = try await check(page, location: location, full: full)
            var updated: [DatasetManifest.FileRecord] = []
            for (record, result) in zip(page, results) {
                report.checked += 1
                switch result {
                case .intact(let identity):
                    if record.state == .unverifiable { report.unverifiable += 1 } else { report.verified += 1 }
                    if identity != record.identity {
                        var fresh = record
                        fresh.identity = identity
                        fresh.verifiedAt = Date()
                        updated.append(fresh)
                    }
                case .changed: report.changed.append(record.path.value)
                case .missing: report.missing.append(record.path.value)
                case .notObtained: report.failed.append(record.path.value)
                }
            }
            if !updated.isEmpty && shard == nil {
                let change = Inventory.Change(
                    slug: provenance.slug, version: provenance.version, provenance: .keep(ifMissing: provenance), records: updated)
                try await BlockingIO.run { () throws in try inventory.apply(change) }
            }
        }
        return report
    }

    /// A shard's rows: the split is by path and size over all rows, as `fetch --shard` splits the list.
    private static func rows(of provenance: DatasetProvenance, in inventory: Inventory, shard: Shard) async throws
        -> [DatasetManifest.FileRecord]
    {
        try await BlockingIO.run { () throws in
            var sizes: [Int64] = []
            try inventory.forEachFile(slug: provenance.slug, version: provenance.version) { sizes.append(Shard.costPerFile + max(0, $0.size ?? 0)) }
            let range = Shard.boundaries(weights: sizes, count: shard.count)[shard.index]
            sizes = []
            var rows: [DatasetManifest.FileRecord] = []
            var index = 0
            try inventory.forEachFile(slug: provenance.slug, version: provenance.version) { record in
                if range.contains(index) { rows.append(record) }
                index += 1
            }
            return rows
        }
    }

    private enum FileCheck: Sendable {
        case intact(FileIdentity)
        case changed
        case missing
        case notObtained
    }

    /// Checks records with bounded concurrency: one file at a time per core when hashing, and batches of
    /// 512 stat calls otherwise.
    private func check(_ records: [DatasetManifest.FileRecord], location: DatasetLocation, full: Bool) async throws -> [FileCheck] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let width = full ? cores : 2 * cores
        let batch = full ? 1 : 512
        var results = [FileCheck](repeating: .missing, count: records.count)
        try await withThrowingTaskGroup(of: (Int, [FileCheck]).self) { group in
            var next = 0
            func addNext() {
                guard next < records.count else { return }
                let range = next..<min(records.count, next + batch)
                next = range.upperBound
                let slice = Array(records[range])
                group.addTask {
                    await BlockingIO.run { (range.lowerBound, slice.map { Self.check($0, location: location, full: full) }) }
                }
            }
            for _ in 0..<width { addNext() }
            while let (start, checks) = try await group.next() {
                results.replaceSubrange(start..<(start + checks.count), with: checks)
                addNext()
            }
        }
        return results
    }

    private static func check(_ record: DatasetManifest.FileRecord, location: DatasetLocation, full: Bool) -> FileCheck {
        if record.state == .failed { return .notObtained }
        let path = location.finalPath(for: record.path)
        guard let identity = FileSystem.identity(atPath: path) else { return .missing }
        if !full { return identity == record.identity ? .intact(identity) : .changed }
        guard let digest = try? FileHashing.digest(ofPath: path) else { return .missing }
        if record.state == .unverifiable || digest == record.sha256 { return .intact(identity) }
        return .changed
    }
}
