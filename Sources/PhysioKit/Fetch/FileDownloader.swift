import FoundationEssentials

/// One file of a dataset to bring to the verified state.
struct DownloadJob: Sendable {
    var path: DatasetPath
    var url: URL
    /// `nil` when the list has no checksum for it (the file will be unverifiable).
    var expectedDigest: SHA256Digest?
    var knownSize: Int64?
    /// Bytes of a partial file seen when the run was planned; 0 means none, so the first attempt
    /// needs no look at the disk.
    var bytesPresent: Int64 = 0
    /// Byte ranges to fetch in parallel (1: one stream).
    var segments = 1
    /// Counts this file's bytes as a single stream receives them, for a caller judging its rate.
    var received: TransferCounter?
    /// Bytes this file already cost before this attempt (a mirror that served other bytes, a probe's
    /// stream): counted in its outcome, or by the publisher, like the bytes of this attempt.
    var priorBytes: Int64 = 0
    /// The local copy this file replaces, to keep under `.physio/removed/` just before it is replaced.
    var keep: PreviousCopies.Keep?
}

/// How one file ended.
enum DownloadOutcome: Sendable {
    /// Verified (or unverifiable) and put in place; the run hears of it through the one completion path,
    /// `FilePublisher`'s `stored`, once the file exists at its path (a small file when the publisher has
    /// created it, a large one when it is renamed).
    case completed
    case failed(path: DatasetPath, failure: FileFailure, bytesTransferred: Int64)
}

/// Why a file could not be fetched; decides its reason text and the run's exit code.
enum FileFailure: Sendable, Equatable {
    case missingOnServer(status: Int)
    case integrity(expected: SHA256Digest, actual: SHA256Digest)
    case accessLost(status: Int)
    case htmlInsteadOfData
    case network(String)
    case serverError(status: Int)
    case local(String)
    /// With `--no-fallback`: the mirror lacked the file or served other bytes (what it answered).
    case mirrorDiverged(String)

    /// What this failure alone would make of the run: integrity and local problems need a person; a network
    /// failure is partial unless nothing at all arrived (`FetchEngine.exitCode`).
    var exitCode: PhysioExitCode {
        switch self {
        case .integrity: return .integrity
        case .local: return .localFilesystem
        case .network, .serverError: return .network
        case .missingOnServer, .accessLost, .htmlInsteadOfData, .mirrorDiverged: return .partial
        }
    }

    var reason: String {
        switch self {
        case .missingOnServer(let status): return "missing on the server (HTTP \(status))"
        case .integrity(let expected, let actual): return "SHA-256 mismatch after a clean re-download (expected \(expected), got \(actual))"
        case .accessLost(let status): return "access refused by the server (HTTP \(status))"
        case .htmlInsteadOfData: return "the server sent an HTML page (login or error page) instead of the file"
        case .network(let detail): return detail
        case .serverError(let status): return "server error (HTTP \(status)) persisted after retries"
        case .local(let detail): return detail
        case .mirrorDiverged(let received): return "the mirror diverged from PhysioNet's list (\(received)) and --no-fallback kept it from PhysioNet"
        }
    }
}

/// Brings one file to the verified state: resume or restart a `.part` file, stream and hash, retry with
/// backoff, and rename into place only when the SHA-256 matches (docs/protocol.md §6, §9, §14).
struct FileDownloader: Sendable {
    var transport: any HTTPTransport
    let location: DatasetLocation
    let retrier: Retrier
    let limiter: AdaptiveLimiter
    let progress: TransferProgress
    let events: FetchEventSink
    let directories: DirectoryCache
    /// Where verified files go: small ones (held in memory) to be created, every one to be reported stored.
    let publisher: FilePublisher
    /// The mirror this downloader fetches from, named in the records of the files it stores; `nil`: PhysioNet.
    var source: String? = nil
    /// Keeps the local copies that jobs with a `keep` replace.
    var previous: PreviousCopies? = nil

    /// The same downloader taking bytes from `mirror` over its own transport, naming it in its records.
    func fetching(from mirror: CloudMirror) -> FileDownloader {
        var copy = self
        copy.transport = CurlTransport(configuration: mirror.configuration)
        copy.source = mirror.name
        return copy
    }

    func download(_ job: DownloadJob) async throws -> DownloadOutcome {
        let partPath = location.partialPath(for: job.path)
        let infoPath = location.partialInfoPath(for: job.path)
        var integrityRetryUsed = false
        var transferred = job.priorBytes

        // A split download an earlier run left behind continues its ranges; a fresh large file may be split.
        // Ranges continue only where a checksum will judge the assembled bytes.
        let earlier = job.bytesPresent > 0 && job.expectedDigest != nil
            ? PartialFileInfo.load(fromPath: infoPath).flatMap { $0.canContinueRanges(size: job.knownSize ?? $0.totalSize) ? $0 : nil }
            : nil
        if let size = job.knownSize ?? earlier?.totalSize, earlier != nil || (job.segments > 1 && job.bytesPresent == 0) {
            try directories.ensureParent(ofPath: partPath)
            let segmented = SegmentedDownload(transport: transport, retrier: retrier, progress: progress)
            switch try await segmented.run(
                url: job.url, path: job.path, size: size, segments: job.segments, partPath: partPath, infoPath: infoPath,
                continuing: earlier)
            {
            case .complete(let digest, let info, let bytes):
                transferred += bytes
                if let outcome = try await complete(job, digest: digest, size: size, info: info, transferred: transferred) {
                    _ = limiter.succeeded()
                    return outcome
                }
                // A mismatch: the one clean re-download goes through a single stream.
                integrityRetryUsed = true
                events.emit(.retrying(path: job.path, attempt: 1, delay: 0, reason: "SHA-256 mismatch, downloading again from the start"))
            case .declined(let bytes):
                transferred += bytes
                discardPartial(partPath, infoPath)
            case .stopped(let failure, let bytes):
                return .failed(path: job.path, failure: failure, bytesTransferred: transferred + bytes)
            }
        }

        return try await retrier.run(path: job.path) { attempt in
            // Hashing an existing prefix can take seconds, so only then leave this thread.
            let mayHavePartial = attempt > 1 || job.bytesPresent > 0
            let resume = mayHavePartial && FileSystem.identity(atPath: partPath).map { $0.size > 0 } == true
                ? await BlockingIO.run { Self.prepareResume(partPath: partPath, infoPath: infoPath) }
                : Resume(offset: 0, hasher: nil, info: nil)
            var headers: HTTPHeaders = ["Accept-Encoding": "identity"]
            if resume.offset > 0 {
                headers.set("Range", "bytes=\(resume.offset)-")
                if let validator = resume.info?.ifRangeValidator { headers.set("If-Range", validator) }
            }
            let sink = DownloadSink(
                partPath: partPath, infoPath: infoPath, resumeOffset: resume.offset, prefixHasher: resume.hasher,
                path: job.path, progress: progress, directories: directories, received: job.received)
            /// The answer when no attempt is left after this one.
            func failed(_ failure: FileFailure) -> Result<DownloadOutcome, any Error> {
                .success(.failed(path: job.path, failure: failure, bytesTransferred: transferred))
            }
            let verdict: AttemptVerdict
            do {
                var request = HTTPRequest(method: .get, url: job.url, headers: headers)
                // Unknown sizes count as small: in datasets of many files, most files are.
                request.expectsLargeBody = (job.knownSize ?? 0) - resume.offset >= DownloadSink.resumableSize
                _ = try await transport.execute(request, into: sink)
                guard let digest = await sink.finish() else { throw DownloadInterruption.localWriteFailed(sink.writeFailure ?? "no data") }
                transferred += sink.bytesReceived
                if let total = sink.expectedTotal, total != sink.bytesInFile {
                    let reason = "received \(sink.bytesInFile) of \(total) bytes"
                    return .retry(reason: reason, giveUp: failed(.network("gave up after \(attempt) attempts: \(reason)")))
                }
                if let outcome = try await complete(
                    job, digest: digest, size: sink.bytesInFile, info: sink.info, body: sink.memoryBody, transferred: transferred)
                {
                    _ = limiter.succeeded()
                    return .done(outcome)
                }
                // Mismatch: one clean re-download from byte 0, then an integrity failure.
                if integrityRetryUsed {
                    return .done(.failed(path: job.path, failure: .integrity(expected: job.expectedDigest!, actual: digest), bytesTransferred: transferred))
                }
                integrityRetryUsed = true
                events.emit(.retrying(path: job.path, attempt: attempt, delay: 0, reason: "SHA-256 mismatch, downloading again from the start"))
                return .restart
            } catch is CancellationError {
                // Interrupted: the bytes received so far go to the `.part` file for the next run to resume.
                _ = await sink.finish()
                throw CancellationError()
            } catch let error as TransportError {
                _ = await sink.finish()
                transferred += sink.bytesReceived
                verdict = AttemptVerdict(error)
            } catch let interruption as DownloadInterruption {
                _ = await sink.finish()
                transferred += sink.bytesReceived
                switch interruption {
                case .rangeMismatch:
                    discardPartial(partPath, infoPath)
                    let reason = "the server answered a resume with other bytes; restarting"
                    return .retry(reason: reason, giveUp: failed(.network("gave up after \(attempt) attempts: \(reason)")))
                case .rangeNotSatisfiable(let total):
                    if let hasher = resume.hasher, total == nil || total == resume.offset {
                        // The partial file may already be whole: verify it instead of downloading again.
                        let digest = hasher.finalize()
                        if job.expectedDigest == nil || job.expectedDigest == digest,
                            let outcome = try await complete(
                                job, digest: digest, size: resume.offset, info: resume.info ?? PartialFileInfo(), transferred: transferred)
                        {
                            return .done(outcome)
                        }
                    }
                    discardPartial(partPath, infoPath)
                    let reason = "the server could not resume the partial file; restarting"
                    return .retry(reason: reason, giveUp: failed(.network("gave up after \(attempt) attempts: \(reason)")))
                default:
                    verdict = AttemptVerdict(interruption)!
                }
            }
            switch verdict {
            case .fail(let failure):
                return .done(.failed(path: job.path, failure: failure, bytesTransferred: transferred))
            case .retry(let reason, let retryAfter, let exhausted, let serverPushedBack, let refused):
                // The worker keeps its slot while it waits: a file owns its slot from start to end, retries
                // included, so the slot count is the connection count and never drifts when a wait is cancelled.
                if serverPushedBack, let limit = limiter.serverAskedToSlowDown() { events.emit(.concurrencyChanged(limit)) }
                return .retry(reason: reason, retryAfter: retryAfter, giveUp: failed(exhausted), refused: refused)
            }
        }
    }

    /// Puts a verified (or unverifiable) file in place: a partial file is renamed there and reported stored;
    /// a small file held in memory (`body`) is handed to the publisher, which creates it and then reports it.
    /// `nil` on a checksum mismatch, with the partial file deleted.
    private func complete(
        _ job: DownloadJob, digest: SHA256Digest, size: Int64, info: PartialFileInfo, body: [UInt8]? = nil, transferred: Int64
    ) async throws -> DownloadOutcome? {
        let partPath = location.partialPath(for: job.path)
        let infoPath = location.partialInfoPath(for: job.path)
        if let expected = job.expectedDigest, expected != digest {
            discardPartial(partPath, infoPath)
            return nil
        }
        var record = FileRecord(
            path: job.path, size: size, sha256: job.expectedDigest ?? digest,
            state: job.expectedDigest == nil ? .unverifiable : .verified,
            reason: job.expectedDigest == nil ? "no checksum published for this file" : nil,
            verifiedAt: Date(), etag: info.etag, lastModified: info.lastModified, source: source)
        let finalPath = location.finalPath(for: job.path)
        if let body {
            try publisher.submit(FilePublisher.Item(
                body: body, path: finalPath, record: record, bytesTransferred: transferred, keep: job.keep))
            return .completed
        }
        try directories.ensureParent(ofPath: finalPath)
        if let keep = job.keep { try previous?.preserve(keep) }
        try FileSystem.move(fromPath: partPath, toPath: finalPath)
        FileSystem.remove(atPath: infoPath)
        record.identity = FileSystem.identity(atPath: finalPath)
        publisher.report(record, bytesTransferred: transferred)
        return .completed
    }

    private func discardPartial(_ partPath: String, _ infoPath: String) {
        FileSystem.remove(atPath: partPath)
        FileSystem.remove(atPath: infoPath)
    }

    private struct Resume: @unchecked Sendable {
        var offset: Int64
        var hasher: SHA256Hasher?
        var info: PartialFileInfo?
    }

    /// Hashes the bytes already in a `.part` file once, so the download continues the same hash.
    private static func prepareResume(partPath: String, infoPath: String) -> Resume {
        let info = PartialFileInfo.load(fromPath: infoPath)
        if info?.segmented == true {
            // Ranges written in parallel may have left holes: not a prefix to continue.
            FileSystem.remove(atPath: partPath)
            FileSystem.remove(atPath: infoPath)
            return Resume(offset: 0, hasher: nil, info: nil)
        }
        guard let identity = FileSystem.identity(atPath: partPath), identity.size > 0,
            let hasher = try? FileHashing.hasher(overPath: partPath)
        else {
            return Resume(offset: 0, hasher: nil, info: nil)
        }
        return Resume(offset: identity.size, hasher: hasher, info: info)
    }
}
