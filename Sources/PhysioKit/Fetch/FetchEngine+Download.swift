import FoundationEssentials

extension FetchEngine {
    struct DownloadRunOutcome {
        var stored = 0
        /// Of `stored`, those whose SHA-256 matched the list (the rest had no checksum).
        var storedVerified = 0
        var failures: [(path: DatasetPath, failure: FileFailure)] = []
        var bytes: Int64 = 0
        var accessLost = false
        /// A fresh login succeeded during the run.
        var renewedSession = false
        /// The signal that stopped the run, and how many cut transfers left bytes in their `.part` files.
        var interruptedBy: Int32?
        var partial = 0
        /// Of `failures`, files that were to replace a changed local copy.
        var failedReplacements = 0
        /// With a mirror: files by source, and what the mirror did not hold as listed.
        var filesBySource: [String: Int] = [:]
        var diverged: [MirrorDivergence] = []
        /// Replaced files whose previous (verified) bytes were kept, and the local copies kept.
        var previousKept = 0
        var localCopies: [FetchSummary.KeptFile] = []
    }

    /// Runs the transfers, large files first (`sortForDownload`), at most `concurrency` at once (fewer while the server pushes
    /// back), recording each result and checkpointing the new records into the inventory after a filesystem
    /// sync. Returns the records no checkpoint wrote; the caller writes them with the run's provenance.
    ///
    /// `concurrency` long-lived workers pull files from a shared queue (`DownloadRunState`); the adaptive
    /// limiter decides how many of them may transfer at a time. They run on the transfer thread
    /// (`CurlMultiLoop` is their executor), as curl -Z runs everything on one: a small file ends and the
    /// next one starts without a context switch.
    ///
    /// An interruption cancels the workers: transfers in flight stop and flush what they received to their
    /// `.part` files, and the run returns normally with `interruptedBy` set, so the caller still records
    /// every file verified so far.
    func download(
        _ queue: consuming DownloadQueue, planned: PlannedDownload, run fetch: FetchRun, transfers options: FetchOptions,
        inventory: Inventory, provenance: DatasetProvenance, mirror: CloudMirror?
    ) async throws -> (outcome: DownloadRunOutcome, unrecorded: [FileRecord]) {
        let urls = fetch.urls
        let location = fetch.location
        let retrier = fetch.retrier
        guard planned.filesToDownload > 0 else { return (DownloadRunOutcome(), []) }
        try FileSystem.createDirectory(location.datasetDirectory)
        try FileSystem.createDirectory(location.partialDirectory)

        let limiter = AdaptiveLimiter(limit: options.concurrency)
        let spares = SpareConnections(options.maximumConnections - options.concurrency)
        let started = Date()
        // What is left to transfer: known sizes less what partial files already hold.
        progress.setTotals(
            files: planned.filesToDownload, knownBytes: planned.knownBytesToDownload,
            filesOfUnknownSize: planned.filesOfUnknownSize, estimatedUnknownBytes: planned.estimatedUnknownBytes)
        let run = DownloadRunState(queue: queue)
        let flush = BackgroundFlush(folder: location.stateDirectory.path)
        let events = events
        @Sendable func stored(_ record: FileRecord, bytes: Int64) {
            progress.fileEnded(completed: true)
            run.stored(record, bytes: bytes)
            flush.stored(bytes: record.size ?? bytes)
            events.emit(.fileStored(path: record.path, state: record.state))
        }
        let directories = DirectoryCache()
        // Only a run that overwrites local copies has any to keep.
        let previous = planned.replaced == 0 ? nil : PreviousCopies(
            location: location, folder: fetch.removedFolder, keepsReplaced: options.keepsReplacedFiles, events: events)
        let publisher = FilePublisher(directories: directories, previous: previous, stored: stored)
        let downloader = FileDownloader(
            transport: transport, location: location, retrier: retrier,
            limiter: limiter, progress: progress, events: events, directories: directories, publisher: publisher,
            previous: previous)
        let mirrored = mirror.map { mirror in
            MirrorFetch(
                mirror: mirror,
                downloader: downloader.fetching(from: mirror),
                fallback: options.noFallback ? nil : downloader, fallbackLimit: options.fallbackConcurrency, urls: urls,
                events: events)
        }

        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, options.concurrency) {
                    group.addTask(executorPreference: CurlMultiLoop.shared) {
                        while interruption.signal == nil, let (candidate, generation) = try run.next() {
                            try publisher.check()
                            var job = DownloadJob(
                                path: candidate.path, url: urls.file(candidate.path), expectedDigest: candidate.digest,
                                knownSize: candidate.size, bytesPresent: candidate.bytesPresent,
                                keep: candidate.keep.map { PreviousCopies.Keep(path: candidate.path, kind: $0) })
                            await limiter.acquire()
                            progress.fileStarted()
                            // Spare connections split this file into ranges when that shortens the run and the
                            // server has not pushed back.
                            var borrowed = 0
                            var probing = false
                            if let size = job.knownSize, job.bytesPresent == 0, limiter.limit == options.concurrency {
                                switch Self.splitDecision(size: size, progress: progress, since: started, concurrency: options.concurrency) {
                                case .split:
                                    borrowed = spares.borrow(upTo: SegmentedDownload.segmentCount(size: size, spare: 8) - 1)
                                    job.segments = 1 + borrowed
                                case .probe:
                                    // Mirrors do not throttle a connection: nothing to find out there. Ranges
                                    // continue only where a checksum will judge the assembled bytes.
                                    probing = mirrored == nil && job.expectedDigest != nil
                                        && options.maximumConnections > options.concurrency
                                case .oneStream:
                                    break
                                }
                            }
                            let result: DownloadOutcome
                            do {
                                defer {
                                    spares.giveBack(borrowed)
                                    limiter.release()
                                }
                                do {
                                    if let mirrored {
                                        result = try await mirrored.download(job)
                                    } else if probing {
                                        (result, borrowed) = try await Self.downloadProbing(
                                            job, downloader: downloader, spares: spares, limiter: limiter,
                                            concurrency: options.concurrency, location: location,
                                            probeSeconds: options.splitProbeSeconds)
                                    } else {
                                        result = try await downloader.download(job)
                                    }
                                } catch is CancellationError {
                                    if FileSystem.identity(atPath: location.partialPath(for: job.path)).map({ $0.size > 0 }) == true {
                                        run.cut()
                                    }
                                    throw CancellationError()
                                }
                            }
                            switch result {
                            case .completed:
                                break
                            case .failed(let path, let failure, let bytes):
                                progress.fileEnded(completed: false)
                                if case .accessLost = failure,
                                    await run.retryAfterRefusal(startedUnder: generation, advisor: advisor, events: events)
                                {
                                    // Tried again where it stopped: its partial file (or split ranges) resumes.
                                    var again = candidate
                                    again.bytesPresent = FileSystem.identity(atPath: location.partialPath(for: candidate.path))?.size ?? 0
                                    run.retry(again, bytes: bytes)
                                    continue
                                }
                                run.failed(candidate, failure: failure, bytes: bytes)
                                events.emit(.fileFailed(path: path, reason: failure.reason))
                            }
                            if let records = run.checkpointDue(every: checkpointInterval) {
                                defer { run.checkpointWritten() }
                                try await Self.checkpoint(
                                    Inventory.Change(
                                        slug: location.slug, version: location.version,
                                        provenance: .keep(ifMissing: provenance), records: records),
                                    into: inventory, location: location)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch is CancellationError where interruption.signal != nil {
            // Stopped on request: what finished is recorded below like any other run's.
        } catch {
            // The files handed over are still created, so none is left half-made; like every file since the
            // last checkpoint they go unrecorded, and a rerun hashes them instead of downloading them again.
            try? await publisher.finish()
            throw error
        }
        try await publisher.finish()
        var (outcome, records) = run.takeResult()
        outcome.interruptedBy = interruption.signal
        if let kept = previous?.result {
            outcome.previousKept = kept.previous
            outcome.localCopies = kept.local
        }
        if let mirrored {
            let tally = mirrored.result
            outcome.filesBySource = [mirrored.mirror.name: tally.fromMirror, "physionet": tally.fromPhysioNet]
            outcome.diverged = tally.diverged
        }
        return (outcome, records)
    }

    /// Files from this size on start largest first: one of them starting last would be the tail of the run.
    /// At PhysioNet's 25-50 KB/s a connection a 64 KiB file takes 1-3 s; with 1 MiB here, a file just under
    /// it came last and cost run.sh's throttled demo tree a second (6.10 → 7.10 s).
    static let tailRiskSize: Int64 = 64 << 10

    /// The order files are downloaded in: those of `tailRiskSize` or more first, largest first; then the
    /// rest in path order, files of unknown size last. Small files in path order are made one folder
    /// after another, as `curl -Z` makes them, and their checkpoint rows are neighbours in the inventory's
    /// path-ordered table (1,000 scattered rows cost 14-15 ms, consecutive 5 ms, `physio-bench inventory`).
    /// A fresh fetch of 400,000 small files: 46.0 s sorted by size, 40.1 s so (Benchmarks/RESULTS.md).
    /// Indices follow path order (the list, or its window, is sorted).
    static func sortForDownload(_ queue: inout [UInt32], files: FileList) {
        func key(_ index: UInt32) -> Int64 {
            guard let size = files.size(Int(index)) else { return -1 }
            return size >= tailRiskSize ? size : 0
        }
        queue.sort { (key($0), $1) > (key($1), $0) }
    }

    enum SplitDecision: Equatable {
        case split, oneStream
        /// Start on one stream and let the file's own rate decide (`downloadProbing`).
        case probe
    }

    /// A connection under this rate is being throttled (PhysioNet: 25-50 KB/s); above it, a split's read-back
    /// costs more than it saves.
    static let throttledRate = 8_000_000.0

    /// Splitting costs a read-back to hash the assembled file, so it pays on throttled links: always for files
    /// up to 64 MiB (the read-back is negligible), and for larger ones once the run has seen connections
    /// deliver under 8 MB/s each. A large file that starts before the run has measured anything (the largest
    /// start first) is probed: without that it would always go on one connection, at one throttled
    /// connection's rate, however many connections were spare.
    static func splitDecision(size: Int64, progress: TransferProgress, since start: Date, concurrency: Int) -> SplitDecision {
        guard size >= 2 * SegmentedDownload.minimumSegment else { return .oneStream }
        if size <= 64 << 20 { return .split }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= 5 else { return .probe }
        let perConnection = Double(progress.snapshot.bytesDone) / elapsed / Double(max(1, concurrency))
        return perConnection < throttledRate ? .split : .oneStream
    }

    /// A large file on one stream first: the fastest way on a fast link (hashed as it streams, written past
    /// the page cache, no read-back). After `probeSeconds` its own rate decides: under `throttledRate`, with
    /// spare connections free, the stream stops where it is (its bytes stay in the `.part` file) and the rest
    /// of the file is fetched in ranges on the spare connections, then hashed by one read-back, which costs
    /// seconds against the hours a throttled gigabyte takes. Returns the outcome and the connections borrowed.
    static func downloadProbing(
        _ job: DownloadJob, downloader: FileDownloader, spares: SpareConnections, limiter: AdaptiveLimiter, concurrency: Int,
        location: DatasetLocation, probeSeconds: Double
    ) async throws -> (DownloadOutcome, borrowed: Int) {
        guard let size = job.knownSize else { return (try await downloader.download(job), 0) }
        let received = TransferCounter()
        let streamed = { var streamed = job; streamed.received = received; return streamed }()
        let infoPath = location.partialInfoPath(for: job.path)
        enum Step: Sendable {
            case finished(Result<DownloadOutcome, any Error>)
            case judged(borrowed: Int)
        }
        var (stream, borrowed) = await withTaskGroup(of: Step.self) { group in
            group.addTask {
                do { return .finished(.success(try await downloader.download(streamed))) } catch { return .finished(.failure(error)) }
            }
            group.addTask {
                do { try await Task.sleep(for: .seconds(probeSeconds)) } catch { return .judged(borrowed: 0) }
                // Slow because the server pushed back (429, 503): more connections would make it worse.
                guard Double(received.value) / probeSeconds < throttledRate, limiter.limit == concurrency else { return .judged(borrowed: 0) }
                // The stream's record must let ranges be tied to the same file (a validator, the size).
                guard let record = PartialFileInfo.load(fromPath: infoPath), record.ifRangeValidator != nil, record.totalSize == size
                else { return .judged(borrowed: 0) }
                return .judged(borrowed: spares.borrow(upTo: SegmentedDownload.segmentCount(size: size, spare: 8) - 1))
            }
            var stream: Result<DownloadOutcome, any Error> = .failure(CancellationError())
            var borrowed = 0
            while let step = await group.next() {
                switch step {
                case .finished(let result):
                    stream = result
                    group.cancelAll()
                case .judged(let count):
                    borrowed += count
                    // Stops the stream: it flushes what it received to the `.part` file and ends cancelled.
                    if count > 0 { group.cancelAll() }
                }
            }
            return (stream, borrowed)
        }
        // Finished (or failed) on its own before any split, or the run itself is being stopped.
        if case .success(let outcome) = stream { return (outcome, borrowed) }
        if case .failure(let error) = stream, !(error is CancellationError) || borrowed == 0 || Task.isCancelled {
            spares.giveBack(borrowed)
            throw error
        }
        var rest = job
        // The probe's bytes were transferred too (the summary counts what crossed the network).
        rest.priorBytes += received.value
        rest.bytesPresent = FileSystem.identity(atPath: location.partialPath(for: job.path))?.size ?? 0
        rest.segments = 1 + borrowed
        if rest.bytesPresent > 0 {
            if let split = PartialFileInfo.load(fromPath: infoPath)?.splitting(after: rest.bytesPresent, size: size, into: rest.segments) {
                split.save(toPath: infoPath)
            } else {
                // The record went missing meanwhile: the stream resumes alone, and the spares go back now.
                spares.giveBack(borrowed)
                borrowed = 0
                rest.segments = 1
            }
        }
        do {
            return (try await downloader.download(rest), borrowed)
        } catch {
            spares.giveBack(borrowed)
            throw error
        }
    }

    /// Makes every renamed file durable with one filesystem sync, then records them: the inventory never
    /// calls a file verified before its bytes are on disk.
    static func checkpoint(_ change: Inventory.Change, into inventory: Inventory, location: DatasetLocation) async throws {
        try await BlockingIO.run { () throws in
            FileSystem.syncFilesystem(containing: location.stateDirectory)
            try inventory.apply(change)
        }
    }
}
