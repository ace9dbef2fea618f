import Foundation

/// `physio verify`: checks local files against their manifest, by stat facts (instant) or by re-hashing
/// everything in parallel (`full`).
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
    }

    public init() {}

    public func verify(manifestAt url: URL, root: URL, full: Bool) async throws -> Report {
        guard var manifest = try ManifestStore.load(from: url) else {
            throw PhysioError.filesystem(path: url.path, detail: "no manifest there")
        }
        let location = DatasetLocation(
            root: root, slug: manifest.slug, version: manifest.version, layout: manifest.layout,
            host: URL(string: manifest.baseURL)?.host ?? "physionet.org")
        let lock = try RunLock(at: location.lockFile)
        defer { withExtendedLifetime(lock) {} }

        var report = Report(slug: manifest.slug, version: manifest.version, datasetDirectory: location.datasetDirectory.path, full: full)
        let records = manifest.files
        let results = try await check(records, location: location, full: full)
        var updated = false
        for (index, result) in results.enumerated() {
            let record = records[index]
            report.checked += 1
            switch result {
            case .intact(let identity):
                if record.state == .unverifiable { report.unverifiable += 1 } else { report.verified += 1 }
                if identity != record.identity {
                    manifest.files[index].identity = identity
                    manifest.files[index].verifiedAt = Date()
                    updated = true
                }
            case .changed: report.changed.append(record.path.value)
            case .missing: report.missing.append(record.path.value)
            case .notObtained: report.failed.append(record.path.value)
            }
        }
        if updated {
            let finished = manifest
            try await BlockingIO.run { () throws in try ManifestStore.save(finished, to: location) }
        }
        return report
    }

    private enum FileCheck: Sendable {
        case intact(FileIdentity)
        case changed
        case missing
        case notObtained
    }

    /// Checks every record with bounded concurrency: one file at a time per core when hashing, and batches
    /// of 512 stat calls otherwise, so a dataset of 400,000 files never queues 400,000 blocking jobs.
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
        let url = location.finalURL(for: record.path)
        guard let identity = FileSystem.identity(of: url) else { return .missing }
        if !full { return identity == record.identity ? .intact(identity) : .changed }
        guard let digest = try? FileHashing.digest(of: url) else { return .missing }
        if record.state == .unverifiable || digest == record.sha256 { return .intact(identity) }
        return .changed
    }
}
