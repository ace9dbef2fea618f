import Foundation

/// A file that must be transferred.
struct DownloadCandidate: Sendable {
    var path: DatasetPath
    var digest: SHA256Digest?
    var size: Int64?
    var bytesPresent: Int64
}

/// What the local data root already holds, checked against the remote list: files verified before whose
/// size, mtime and inode are unchanged (no re-hash), files present but unknown (hashed once, in
/// parallel), and everything else to download.
struct LocalPlan: Sendable {
    var alreadyVerified: [DatasetManifest.FileRecord] = []
    var toDownload: [DownloadCandidate] = []

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

    func describe(location: DatasetLocation) -> [FetchSummary.PlannedFile] {
        let present = alreadyVerified.map {
            FetchSummary.PlannedFile(path: $0.path.value, size: $0.size, bytesPresent: $0.size ?? 0, action: "keep (verified)")
        }
        let fetch = toDownload.map {
            FetchSummary.PlannedFile(
                path: $0.path.value, size: $0.size, bytesPresent: $0.bytesPresent,
                action: $0.bytesPresent > 0 ? "resume" : "download")
        }
        return (present + fetch).sorted { $0.path < $1.path }
    }

    static func assess(
        _ files: [RemoteDataset.File], location: DatasetLocation, previous: DatasetManifest?
    ) async throws -> LocalPlan {
        let previousRecords = Dictionary(
            (previous?.files ?? []).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = await BlockingIO.run { () -> (LocalPlan, [RemoteDataset.File]) in
            var plan = LocalPlan()
            var toHash: [RemoteDataset.File] = []
            for file in files {
                let record = previousRecords[file.path]
                let identity = FileSystem.identity(of: location.finalURL(for: file.path))
                if let record, let identity, record.identity == identity, record.sha256 == file.digest || file.digest == nil,
                    record.state == .verified || (record.state == .unverifiable && file.digest == nil)
                {
                    plan.alreadyVerified.append(record)
                } else if identity != nil && file.digest != nil {
                    toHash.append(file)
                } else {
                    let known = record?.sha256 == file.digest ? record?.size : nil
                    let partial = FileSystem.identity(of: location.partialURL(for: file.path))?.size ?? 0
                    plan.toDownload.append(DownloadCandidate(path: file.path, digest: file.digest, size: file.size ?? known, bytesPresent: partial))
                }
            }
            return (plan, toHash)
        }
        var plan = sorted.0
        let hashed = try await hashInParallel(sorted.1, location: location)
        for (file, record) in hashed {
            if let record {
                plan.alreadyVerified.append(record)
            } else {
                let partial = FileSystem.identity(of: location.partialURL(for: file.path))?.size ?? 0
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
                    let url = location.finalURL(for: file.path)
                    return await BlockingIO.run {
                        let before = FileSystem.identity(of: url)
                        guard let digest = try? FileHashing.digest(of: url), digest == file.digest, let before,
                            FileSystem.identity(of: url) == before
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
