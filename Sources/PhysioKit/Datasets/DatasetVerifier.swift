import FoundationEssentials

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
    static let pageSize = 16_384

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
        var selected: [Row]?
        if let shard { selected = try await Self.rows(of: provenance, in: inventory, shard: shard) }
        var after: DatasetPath?
        var offset = 0
        while true {
            let page: [Row]
            if let selected {
                page = Array(selected[offset..<min(selected.count, offset + Self.pageSize)])
                offset += page.count
            } else {
                let start = after
                page = try await BlockingIO.run { () throws in
                    try inventory.knownFiles(slug: provenance.slug, version: provenance.version, after: start, limit: Self.pageSize)
                }
            }
            guard let last = page.last else { break }
            after = last.path
            let results = try await check(page, location: location, full: full)
            var updated: [(path: DatasetPath, identity: FileIdentity)] = []
            for (row, result) in zip(page, results) {
                report.checked += 1
                switch result {
                case .intact(let identity):
                    if row.file.state == .unverifiable { report.unverifiable += 1 } else { report.verified += 1 }
                    if identity != row.file.identity { updated.append((row.path, identity)) }
                case .changed: report.changed.append(row.path.value)
                case .missing: report.missing.append(row.path.value)
                case .notObtained: report.failed.append(row.path.value)
                }
            }
            if !updated.isEmpty && shard == nil {
                let now = Date()
                let updates = updated
                try await BlockingIO.run { () throws in
                    try inventory.updateIdentities(slug: provenance.slug, version: provenance.version, updates, at: now)
                }
            }
        }
        return report
    }

    typealias Row = (path: DatasetPath, file: Inventory.KnownFile)

    /// A shard's rows: the split is by path and size over all rows, as `fetch --shard` splits the list.
    private static func rows(of provenance: DatasetProvenance, in inventory: Inventory, shard: Shard) async throws -> [Row] {
        try await BlockingIO.run { () throws in
            var sizes: [Int64] = []
            try inventory.forEachKnownFile(slug: provenance.slug, version: provenance.version) { _, row in
                sizes.append(Shard.costPerFile + max(0, row.size ?? 0))
            }
            let range = Shard.boundaries(weights: sizes, count: shard.count)[shard.index]
            sizes = []
            var rows: [Row] = []
            var index = 0
            try inventory.forEachKnownFile(slug: provenance.slug, version: provenance.version) { path, row in
                if range.contains(index) { rows.append((DatasetPath(checkedUTF8: path), row)) }
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

    /// Checks a page of rows: their stat facts on all cores at once (`StatTable`, as a fetch's plan takes
    /// them), and with `full` the SHA-256 of every present file, one file per core.
    private func check(_ rows: [Row], location: DatasetLocation, full: Bool) async throws -> [FileCheck] {
        let present = await StatTable.take(count: rows.count, under: location.datasetPath) { index, stat in
            var path = rows[index].path.value
            return path.withUTF8 { stat(UnsafeRawBufferPointer($0)) }
        }
        var results = rows.indices.map { index -> FileCheck in
            let row = rows[index].file
            if row.state == .failed { return .notObtained }
            guard let identity = present.identity(index) else { return .missing }
            // With `full`, intact only until its hash says otherwise (below).
            return full || identity == row.identity ? .intact(identity) : .changed
        }
        guard full else { return results }
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: (Int, FileCheck).self) { group in
            var pending = results.indices.filter { if case .intact = results[$0] { true } else { false } }.makeIterator()
            func addNext() {
                guard let index = pending.next(), case .intact(let identity) = results[index] else { return }
                let row = rows[index]
                group.addTask {
                    await BlockingIO.run {
                        guard let digest = try? FileHashing.digest(ofPath: location.finalPath(for: row.path)) else { return (index, .missing) }
                        let matches = row.file.state == .unverifiable || digest == row.file.sha256
                        return (index, matches ? .intact(identity) : .changed)
                    }
                }
            }
            for _ in 0..<cores { addNext() }
            while let (index, check) = try await group.next() {
                results[index] = check
                addNext()
            }
        }
        return results
    }
}
