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
/// size, mtime and inode are unchanged (no re-hash), files present but unknown (hashed once, in
/// parallel), and everything else to download.
struct LocalPlan: Sendable {
    var alreadyVerified: [DatasetManifest.FileRecord] = []
    var toDownload: [DownloadCandidate] = []
    /// Files found present and verified by hashing in this run (their records are new).
    var newlyVerified = 0

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
        let previousFiles = previous?.files ?? []
        // No partial folder (a first run): no file can have bytes to resume, so skip 20,000 failing stats.
        let partialsPossible = FileSystem.isDirectory(URL(fileURLWithPath: location.partialPath, isDirectory: true))
        let sorted = await BlockingIO.run { () -> (LocalPlan, [RemoteDataset.File]) in
            var plan = LocalPlan()
            var toHash: [RemoteDataset.File] = []
            plan.alreadyVerified.reserveCapacity(min(files.count, previousFiles.count))
            // No dataset folder (a first run): nothing is present, so no file needs a look.
            let datasetFolder = open(location.datasetPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { if datasetFolder >= 0 { close(datasetFolder) } }
            for (file, record) in PreviousRecordLookup.pairs(files, previousFiles) {
                let identity = datasetFolder >= 0 ? FileSystem.identity(atPath: file.path.value, relativeTo: datasetFolder) : nil
                if let record, let identity, record.identity == identity, record.sha256 == file.digest || file.digest == nil,
                    record.state == .verified || (record.state == .unverifiable && file.digest == nil)
                {
                    plan.alreadyVerified.append(record)
                } else if identity != nil && file.digest != nil {
                    toHash.append(file)
                } else {
                    let known = record?.sha256 == file.digest ? record?.size : nil
                    let partial = partialsPossible ? FileSystem.identity(atPath: location.partialPath(for: file.path))?.size ?? 0 : 0
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
                plan.newlyVerified += 1
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

/// Pairs each remote file with its previous record by walking both lists in path order (manifests are
/// saved sorted; generated lists are too), instead of building a dictionary of every record: for
/// 20,000 files that saves megabytes of peak memory and thousands of hash lookups.
enum PreviousRecordLookup {
    static func pairs(
        _ files: [RemoteDataset.File], _ records: [DatasetManifest.FileRecord]
    ) -> [(RemoteDataset.File, DatasetManifest.FileRecord?)] {
        let recordsSorted = zip(records, records.dropFirst()).allSatisfy { $0.path < $1.path }
        guard recordsSorted else {
            // A hand-edited manifest: fall back to a dictionary.
            var byPath: [DatasetPath: DatasetManifest.FileRecord] = [:]
            for record in records where byPath[record.path] == nil { byPath[record.path] = record }
            return files.map { ($0, byPath[$0.path]) }
        }
        let order = zip(files, files.dropFirst()).allSatisfy { $0.path < $1.path }
            ? Array(files.indices) : files.indices.sorted { files[$0].path < files[$1].path }
        var result: [(RemoteDataset.File, DatasetManifest.FileRecord?)] = []
        result.reserveCapacity(files.count)
        var next = 0
        for index in order {
            let file = files[index]
            while next < records.count && records[next].path < file.path { next += 1 }
            let match = next < records.count && records[next].path == file.path ? records[next] : nil
            result.append((file, match))
        }
        return result
    }
}
