import Foundation

extension FetchEngine {
    struct DownloadRunOutcome {
        var stored = 0
        var failures: [(path: DatasetPath, failure: FileFailure)] = []
        var bytes: Int64 = 0
        var accessLost = false
        /// A fresh login succeeded during the run.
        var renewedSession = false
    }

    /// Runs the transfers, largest first, at most `concurrency` at once (fewer while the server pushes
    /// back), recording each result and checkpointing the manifest after a filesystem sync.
    func download(
        _ candidates: [DownloadCandidate], urls: DatasetURLs, location: DatasetLocation, options: FetchOptions,
        manifest: inout DatasetManifest
    ) async throws -> DownloadRunOutcome {
        var outcome = DownloadRunOutcome()
        guard !candidates.isEmpty else { return outcome }
        try FileSystem.createDirectory(location.datasetDirectory)
        try FileSystem.createDirectory(location.partialDirectory)

        let limiter = AdaptiveLimiter(limit: options.concurrency)
        let spares = SpareConnections(options.maximumConnections - options.concurrency)
        let started = Date()
        let downloader = FileDownloader(
            transport: transport, location: location, policy: options.retry, budget: RetryBudget(options.retry.runBudget),
            limiter: limiter, progress: progress, events: events, directories: DirectoryCache())
        progress.setTotals(files: candidates.count, bytes: candidates.reduce(Int64(0)) { total, next in
            guard let total, let size = next.size else { return nil }
            return total + size
        })

        // Largest first, so a big file never starts last and becomes the tail of the run.
        var queue = candidates.sorted { ($0.size ?? -1, $1.path) > ($1.size ?? -1, $0.path) }[...]
        var records = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var renewedSession = false
        var lastCheckpoint = Date()

        try await withThrowingTaskGroup(of: (DownloadCandidate, DownloadOutcome).self) { group in
            func start(_ candidate: DownloadCandidate) {
                var job = DownloadJob(
                    path: candidate.path, url: urls.file(candidate.path), expectedDigest: candidate.digest,
                    knownSize: candidate.size, bytesPresent: candidate.bytesPresent)
                group.addTask {
                    await limiter.acquire()
                    progress.fileStarted()
                    // Spare connections split this file into ranges when that shortens the run and the
                    // server has not pushed back.
                    var borrowed = 0
                    if let size = job.knownSize, job.bytesPresent == 0, limiter.limit == options.concurrency,
                        Self.worthSplitting(size: size, progress: progress, since: started, concurrency: options.concurrency)
                    {
                        borrowed = spares.borrow(upTo: SegmentedDownload.segmentCount(size: size, spare: 8) - 1)
                        job.segments = 1 + borrowed
                    }
                    let result = try await downloader.download(job)
                    spares.giveBack(borrowed)
                    limiter.release()
                    if case .stored = result { progress.fileEnded(completed: true) } else { progress.fileEnded(completed: false) }
                    return (candidate, result)
                }
            }
            for _ in 0..<max(1, options.concurrency) {
                guard let next = queue.popFirst() else { break }
                start(next)
            }
            while let (candidate, result) = try await group.next() {
                switch result {
                case .stored(let record, let bytes):
                    records[record.path] = record
                    outcome.stored += 1
                    outcome.bytes += bytes
                    events.emit(.fileStored(path: record.path, state: record.state))
                case .failed(let path, let failure, let bytes):
                    outcome.bytes += bytes
                    if case .accessLost = failure {
                        if !renewedSession, let advisor {
                            renewedSession = true
                            if await advisor.renewSession() {
                                outcome.renewedSession = true
                                events.emit(.warning("the login session had expired; logged in again and resuming"))
                                queue.insert(candidate, at: queue.startIndex)
                                if let next = queue.popFirst() { start(next) }
                                continue
                            }
                        }
                        outcome.accessLost = true
                        queue.removeAll()
                    }
                    outcome.failures.append((path, failure))
                    records[path] = DatasetManifest.FileRecord(
                        path: path, size: candidate.size, sha256: candidate.digest, state: .failed, reason: failure.reason)
                    events.emit(.fileFailed(path: path, reason: failure.reason))
                }
                if Date().timeIntervalSince(lastCheckpoint) >= checkpointInterval {
                    lastCheckpoint = Date()
                    manifest.files = Array(records.values)
                    try await checkpoint(manifest, location: location)
                }
                if let next = queue.popFirst() { start(next) }
            }
        }
        manifest.files = Array(records.values)
        return outcome
    }

    /// Splitting costs a read-back to hash the assembled file, so it pays on throttled links: always for files
    /// up to 64 MiB (the read-back is negligible), and for larger ones once the run has seen connections
    /// deliver under 8 MB/s each.
    static func worthSplitting(size: Int64, progress: TransferProgress, since start: Date, concurrency: Int) -> Bool {
        guard size >= 2 * SegmentedDownload.minimumSegment else { return false }
        if size <= 64 << 20 { return true }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= 5 else { return false }
        let perConnection = Double(progress.snapshot.bytesDone) / elapsed / Double(max(1, concurrency))
        return perConnection < 8_000_000
    }

    /// Makes every renamed file durable with one filesystem sync, then records them.
    private func checkpoint(_ manifest: DatasetManifest, location: DatasetLocation) async throws {
        try await ManifestStore.save(manifest, to: location) {
            FileSystem.syncFilesystem(containing: location.stateDirectory)
        }
    }
}
