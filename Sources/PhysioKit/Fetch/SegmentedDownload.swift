import FoundationEssentials
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fetches one file of known size as byte ranges on several connections at once, into its `.part` file,
/// then hashes the assembled file.
///
/// PhysioNet throttles each connection (docs/protocol.md §14: 25–50 KB/s), so a large file on one connection
/// becomes the tail of a run; spread over spare connections (within the per-host cap) it finishes in a
/// fraction of the time. Anything unexpected (no range support, a refusal, a file that changes between
/// ranges) declines, and the caller falls back to one resumable stream.
struct SegmentedDownload: Sendable {
    /// The smallest range worth a connection of its own.
    static let minimumSegment: Int64 = 512 << 10

    enum Outcome: Sendable {
        case complete(digest: SHA256Digest, info: PartialFileInfo, transferred: Int64)
        /// The server will not serve these ranges as one file (no range support, a file that changed): the
        /// partial bytes are worthless, and the caller starts over with one stream.
        case declined(transferred: Int64)
        /// A failure that says nothing against the bytes already here (a refusal, an outage that outlasted
        /// the retries, a full disk): the partial file and its record stay for the next attempt or run.
        case stopped(FileFailure, transferred: Int64)
    }

    private struct Declined: Error {}

    private struct Stopped: Error {
        var failure: FileFailure
    }

    let transport: any HTTPTransport
    let retrier: Retrier
    let progress: TransferProgress

    /// How many ranges a file of `size` gets with `spare` connections beyond its own.
    static func segmentCount(size: Int64, spare: Int) -> Int {
        max(1, min(spare + 1, Int(size / minimumSegment), 8))
    }

    /// Fetches the file in `segments` ranges, or, given the record of an earlier split download of it
    /// (`PartialFileInfo.canContinueRanges`), continues each of its ranges where it stopped.
    func run(
        url: URL, path: DatasetPath, size: Int64, segments: Int, partPath: String, infoPath: String,
        continuing earlier: PartialFileInfo? = nil
    ) async throws -> Outcome {
        try Task.checkCancellation()
        let descriptor = open(partPath, O_RDWR | O_CREAT | O_CLOEXEC | (earlier == nil ? O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else { return .declined(transferred: 0) }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(size)) == 0 else { return .declined(transferred: 0) }
        let ranges = earlier?.ranges ?? (0..<segments).map { index in
            let first = size * Int64(index) / Int64(segments)
            return PartialFileInfo.RangeProgress(first: first, last: size * Int64(index + 1) / Int64(segments) - 1, next: first)
        }
        // The file now has holes: the record makes the next run continue these ranges (or start afresh).
        let record = RangeProgressRecord(
            PartialFileInfo(etag: earlier?.etag, lastModified: earlier?.lastModified, totalSize: size, segmented: true, ranges: ranges),
            path: infoPath)
        record.save()
        let transferred = TransferCounter()
        do {
            // At most `segments` ranges at once: the connections this file was lent (one, when continuing).
            var unfinished = ranges.enumerated().filter { $0.element.next <= $0.element.last }[...]
            let infos = try await withThrowingTaskGroup(of: PartialFileInfo.self) { group in
                func startNext() {
                    guard let (index, range) = unfinished.popFirst() else { return }
                    group.addTask {
                        try await fetchRange(
                            url: url, path: path, index: index, first: range.next, last: range.last, descriptor: descriptor,
                            counter: transferred, record: record, ifRange: earlier?.ifRangeValidator)
                    }
                }
                for _ in 0..<max(1, segments) { startNext() }
                var collected: [PartialFileInfo] = []
                for try await info in group {
                    collected.append(info)
                    startNext()
                }
                return collected
            }
            await record.settle()
            // Different validators across ranges (or against the earlier run's): the file changed mid-download,
            // so its pieces do not belong together.
            let validators = (infos + (earlier.map { [$0] } ?? [])).map { $0.etag ?? $0.lastModified ?? "" }
            guard Set(validators).count == 1 else { return .declined(transferred: transferred.value) }
            let first = earlier ?? infos[0]
            let digest = try await BlockingIO.run { try FileHashing.digest(ofPath: partPath) }
            return .complete(
                digest: digest, info: PartialFileInfo(etag: first.etag, lastModified: first.lastModified, totalSize: size),
                transferred: transferred.value)
        } catch is Declined {
            await record.settle()
            return .declined(transferred: transferred.value)
        } catch let stop as Stopped {
            await record.settle()
            return .stopped(stop.failure, transferred: transferred.value)
        } catch {
            // Interrupted: the ranges' progress stays recorded for the next run.
            await record.settle()
            throw error
        }
    }

    /// One range, retried from where it stopped under the run's one rule (`Retrier`).
    private func fetchRange(
        url: URL, path: DatasetPath, index: Int, first: Int64, last: Int64, descriptor: Int32, counter: TransferCounter,
        record: RangeProgressRecord, ifRange: String?
    ) async throws -> PartialFileInfo {
        var position = first
        return try await retrier.run(path: path) { attempt in
            let sink = RangeWriteSink(
                path: path, descriptor: descriptor, start: position, last: last, progress: progress, record: record, index: index)
            let verdict: AttemptVerdict
            do {
                var request = HTTPRequest(url: url, headers: ["Accept-Encoding": "identity", "Range": "bytes=\(position)-\(last)"])
                // Continuing an earlier run's ranges, or retrying once the server named its version of the file:
                // a file that changed since answers 200, which declines.
                if let validator = ifRange ?? (attempt > 1 ? record.info.ifRangeValidator : nil) {
                    request.headers.set("If-Range", validator)
                }
                request.expectsLargeBody = true
                _ = try await transport.execute(request, into: sink)
                position += sink.written
                counter.add(sink.written)
                if position > last, let info = sink.info { return .done(info) }
                verdict = .retry(reason: "the range ended early", retryAfter: nil, exhausted: .network("a range ended early"), serverPushedBack: false)
            } catch let error as TransportError {
                position += sink.written
                counter.add(sink.written)
                verdict = AttemptVerdict(error)
            } catch let interruption as DownloadInterruption {
                // 200 (Range ignored, or If-Range saw another file), another start, 416: not one file in ranges.
                guard let judged = AttemptVerdict(interruption) else { throw Declined() }
                verdict = judged
            }
            switch verdict {
            case .fail(let failure):
                throw Stopped(failure: failure)
            case .retry(let reason, let retryAfter, let exhausted, _, let refused):
                return .retry(
                    reason: "bytes \(position)-\(last): \(reason)", retryAfter: retryAfter, giveUp: .failure(Stopped(failure: exhausted)),
                    refused: refused)
            }
        }
    }
}

/// Bytes received across a file's ranges.
final class TransferCounter: Sendable {
    private let total = Mutex<Int64>(0)
    func add(_ count: Int64) { total.withLock { $0 += count } }
    var value: Int64 { total.withLock { $0 } }
}

/// Writes one range's body at its offset in the shared `.part` file. Runs on the transport thread.
final class RangeWriteSink: ResponseSink, @unchecked Sendable {
    private let path: DatasetPath
    private let descriptor: Int32
    private let start: Int64
    private let last: Int64
    private let progress: TransferProgress
    private let record: RangeProgressRecord
    private let index: Int
    private(set) var written: Int64 = 0
    private(set) var info: PartialFileInfo?

    init(
        path: DatasetPath, descriptor: Int32, start: Int64, last: Int64, progress: TransferProgress, record: RangeProgressRecord,
        index: Int
    ) {
        self.path = path
        self.descriptor = descriptor
        self.start = start
        self.last = last
        self.progress = progress
        self.record = record
        self.index = index
    }

    func receiveHead(_ head: HTTPResponseHead) throws {
        // A whole file where a range was asked for: the server ignores ranges (or If-Range saw another file).
        guard case .range(let total) = try DataResponseHead.judge(head, path: path, from: start) else {
            throw DownloadInterruption.rangeMismatch(expectedStart: start)
        }
        info = PartialFileInfo(etag: head.headers["ETag"], lastModified: head.headers["Last-Modified"], totalSize: total)
        record.noteValidators(etag: head.headers["ETag"], lastModified: head.headers["Last-Modified"])
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer, resumer: TransferResumer) throws -> BodyIntake {
        guard bytes.count > 0 else { return .taken }
        guard start + written + Int64(bytes.count) <= last + 1 else {
            throw DownloadInterruption.localWriteFailed("the server sent more bytes than the range asked for")
        }
        let code = FileSystem.writeAll(descriptor, bytes, at: start + written)
        if code != 0 { throw DownloadInterruption.localWriteFailed(FileSystem.errorText(code)) }
        written += Int64(bytes.count)
        progress.add(bytes: Int64(bytes.count))
        record.advance(index, by: Int64(bytes.count))
        return .taken
    }
}
