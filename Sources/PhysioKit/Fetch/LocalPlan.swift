import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that must be transferred.
struct DownloadCandidate: Sendable {
    var path: DatasetPath
    var digest: SHA256Digest?
    var size: Int64?
    var bytesPresent: Int64
}

/// What the local data root already holds, checked against the remote list: files verified before whose
/// size, mtime and inode are unchanged (kept, and not even copied out of the inventory), files present but
/// unknown (hashed once, in parallel), inventory rows the list no longer names, and everything else to
/// download.
struct LocalPlan: Sendable {
    /// Files kept as they are, by state.
    var keptVerified = 0
    var keptUnverifiable = 0
    /// Path and size of every kept file, only when the plan is to be shown (`--dry-run`).
    var kept: [(path: DatasetPath, size: Int64?)] = []
    var toDownload: [DownloadCandidate] = []
    /// Files found present and verified by hashing in this run: new rows for the inventory.
    var hashed: [DatasetManifest.FileRecord] = []
    /// Inventory rows of files the selection covers but the list no longer names.
    var stale: [DatasetPath] = []

    var alreadyVerified: Int { keptVerified + keptUnverifiable + hashed.count }

    var bytesToDownload: Int64? {
        var total: Int64 = 0
        for candidate in toDownload {
            guard let size = candidate.size else { return nil }
            total += max(0, size - candidate.bytesPresent)
        }
        return total
    }

    mutating func fillSizes(from files: [RemoteDataset.File]) {
        let sizes = Dictionary(files.compactMap { file in file.size.map { (file.path, $0) } }, uniquingKeysWith: { a, _ in a })
        for index in toDownload.indices where toDownload[index].size == nil {
            toDownload[index].size = sizes[toDownload[index].path]
        }
    }

    func describe() -> [FetchSummary.PlannedFile] {
        let present = kept.map {
            FetchSummary.PlannedFile(path: $0.path.value, size: $0.size, bytesPresent: $0.size ?? 0, action: "keep (verified)")
        } + hashed.map {
            FetchSummary.PlannedFile(path: $0.path.value, size: $0.size, bytesPresent: $0.size ?? 0, action: "keep (verified)")
        }
        let fetch = toDownload.map {
            FetchSummary.PlannedFile(
                path: $0.path.value, size: $0.size, bytesPresent: $0.bytesPresent,
                action: $0.bytesPresent > 0 ? "resume" : "download")
        }
        return (present + fetch).sorted { $0.path < $1.path }
    }

    /// Merges the remote list with the inventory's rows for this dataset (none when there is no inventory
    /// yet), both in path order, so neither is turned into a dictionary; rows the list does not name are stale unless `keepsRow` says the selection
    /// does not cover them (another `--include`, or another shard).
    static func assess(
        _ files: [RemoteDataset.File], location: DatasetLocation, inventory: Inventory?, describing: Bool,
        keepsRow: @escaping @Sendable (DatasetPath) -> Bool
    ) async throws -> LocalPlan {
        // No partial folder (a first run): no file can have bytes to resume, so skip 20,000 failing stats.
        let partialsPossible = FileSystem.isDirectory(URL(fileURLWithPath: location.partialPath, isDirectory: true))
        let sorted = try await BlockingIO.run { () throws -> (LocalPlan, [RemoteDataset.File]) in
            var plan = LocalPlan()
            var toHash: [RemoteDataset.File] = []
            // No dataset folder (a first run): nothing is present, so no file needs a look.
            let datasetFolder = open(location.datasetPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { if datasetFolder >= 0 { close(datasetFolder) } }
            func judge(_ file: RemoteDataset.File, _ record: DatasetManifest.FileRecord?) {
                let identity = datasetFolder >= 0 ? FileSystem.identity(atPath: file.path.value, relativeTo: datasetFolder) : nil
                if let record, let identity, record.identity == identity, record.sha256 == file.digest || file.digest == nil,
                    record.state == .verified || (record.state == .unverifiable && file.digest == nil)
                {
                    if record.state == .verified { plan.keptVerified += 1 } else { plan.keptUnverifiable += 1 }
                    if describing { plan.kept.append((record.path, record.size)) }
                } else if identity != nil && file.digest != nil {
                    toHash.append(file)
                } else {
                    let known = record?.sha256 == file.digest ? record?.size : nil
                    let partial = partialsPossible ? FileSystem.identity(atPath: location.partialPath(for: file.path))?.size ?? 0 : 0
                    plan.toDownload.append(DownloadCandidate(path: file.path, digest: file.digest, size: file.size ?? known, bytesPresent: partial))
                }
            }
            let inOrder = zip(files, files.dropFirst()).allSatisfy { $0.path < $1.path }
            let ordered = inOrder ? files : files.sorted { $0.path < $1.path }
            var next = 0
            try inventory?.forEachFile(slug: location.slug, version: location.version) { record in
                while next < ordered.count && ordered[next].path < record.path {
                    judge(ordered[next], nil)
                    next += 1
                }
                if next < ordered.count && ordered[next].path == record.path {
                    judge(ordered[next], record)
                    next += 1
                } else if !keepsRow(record.path) {
                    plan.stale.append(record.path)
                }
            }
            while next < ordered.count {
                judge(ordered[next], nil)
                next += 1
            }
            return (plan, toHash)
        }
        var plan = sorted.0
        let hashed = try await hashInParallel(sorted.1, location: location)
        for (file, record) in hashed {
            if let record {
                plan.hashed.append(record)
            } else {
                let partial = FileSystem.identity(atPath: location.partialPath(for: file.path))?.size ?? 0
                plan.toDownload.append(DownloadCandidate(path: file.path, digest: file.digest, size: file.size, bytesPresent: partial))
            }
        }
        return plan
    }

    /// Hashes present-but-unrecorded files across all cores; a match becomes a verified record.
    static func hashInParallel(_ files: [RemoteDataset.File], location: DatasetLocation) async throws
        -> [(RemoteDataset.File, DatasetManifest.FileRecord?)]
    {
        guard !files.isEmpty else { return [] }
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (RemoteDataset.File, DatasetManifest.FileRecord?).self) { group in
            var results: [(RemoteDataset.File, DatasetManifest.FileRecord?)] = []
            var iterator = files.makeIterator()
            func addNext() {
                guard let file = iterator.next() else { return }
                group.addTask {
                    let path = location.finalPath(for: file.path)
                    return await BlockingIO.run {
                        let before = FileSystem.identity(atPath: path)
                        guard let digest = try? FileHashing.digest(ofPath: path), digest == file.digest, let before,
                            FileSystem.identity(atPath: path) == before
                        else { return (file, nil) }
                        return (file, DatasetManifest.FileRecord(
                            path: file.path, size: before.size, sha256: digest, state: .verified, verifiedAt: Date(),
                            identity: before))
                    }
                }
            }
            for _ in 0..<width { addNext() }
            while let result = try await group.next() {
                results.append(result)
                addNext()
            }
            return results
        }
    }
}
