import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fetches one file of known size as byte ranges on several connections at once, into its `.part` file,
/// then hashes the assembled file.
///
/// PhysioNet throttles each connection (PROTOCOL.md §10: 25–50 KB/s), so a large file on one connection
/// becomes the tail of a run; spread over spare connections (within the per-host cap) it finishes in a
/// fraction of the time. Anything unexpected (no range support, a refusal, a file that changes between
/// ranges) declines, and the caller falls back to one resumable stream.
struct SegmentedDownload: Sendable {
    /// The smallest range worth a connection of its own.
    static let minimumSegment: Int64 = 512 << 10

    enum Outcome: Sendable {
        case complete(digest: SHA256Digest, info: PartialFileInfo, transferred: Int64)
        case declined(transferred: Int64)
    }

    private struct Declined: Error {}

    let transport: any HTTPTransport
    let policy: RetryPolicy
    let progress: TransferProgress
    let events: FetchEventSink

    /// How many ranges a file of `size` gets with `spare` connections beyond its own.
    static func segmentCount(size: Int64, spare: Int) -> Int {
        max(1, min(spare + 1, Int(size / minimumSegment), 8))
    }

    func run(url: URL, path: DatasetPath, size: Int64, segments: Int, partPath: String, infoPath: String) async throws -> Outcome {
        let descriptor = open(partPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .declined(transferred: 0) }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(size)) == 0 else { return .declined(transferred: 0) }
        // A crash mid-way leaves holes: the marker makes the next run start this file afresh.
        PartialFileInfo(totalSize: size, segmented: true).save(toPath: infoPath)

        let bounds = (0..<segments).map { index in
            (first: size * Int64(index) / Int64(segments), last: size * Int64(index + 1) / Int64(segments) - 1)
        }
        let transferred = TransferCounter()
        do {
            let infos = try await withThrowingTaskGroup(of: PartialFileInfo.self) { group in
                for range in bounds {
                    group.addTask {
                        try await fetchRange(
                            url: url, path: path, first: range.first, last: range.last, descriptor: descriptor, counter: transferred)
                    }
                }
                var collected: [PartialFileInfo] = []
                for try await info in group { collected.append(info) }
                return collected
            }
            // Different validators across ranges: the file changed mid-download, so its pieces do not belong together.
            guard Set(infos.map { $0.etag ?? $0.lastModified ?? "" }).count == 1 else {
                return .declined(transferred: transferred.value)
            }
            let digest = try await BlockingIO.run { try FileHashing.digest(ofPath: partPath) }
            return .complete(digest: digest, info: PartialFileInfo(etag: infos[0].etag, lastModified: infos[0].lastModified, totalSize: size), transferred: transferred.value)
        } catch is Declined {
            return .declined(transferred: transferred.value)
        }
    }

    /// One range, retried from where it stopped on network errors, 5xx and 429.
    private func fetchRange(
        url: URL, path: DatasetPath, first: Int64, last: Int64, descriptor: Int32, counter: TransferCounter
    ) async throws -> PartialFileInfo {
        var position = first
        var attempt = 0
        while true {
            try Task.checkCancellation()
            attempt += 1
            let sink = RangeWriteSink(descriptor: descriptor, start: position, last: last, progress: progress)
            var retryAfter: Double?
            var reason = "the range ended early"
            do {
                var request = HTTPRequest(url: url, headers: ["Accept-Encoding": "identity", "Range": "bytes=\(position)-\(last)"])
                request.expectsLargeBody = true
                _ = try await transport.execute(request, into: sink)
                position += sink.written
                counter.add(sink.written)
                if position > last, let info = sink.info { return info }
            } catch let error as TransportError where error.isRetryable {
                position += sink.written
                counter.add(sink.written)
                reason = error.description
            } catch let interruption as DownloadInterruption {
                guard case .httpStatus(let status, let after) = interruption, status == 408 || status == 429 || status >= 500 else {
                    throw Declined()
                }
                retryAfter = after
                reason = "HTTP \(status)"
            }
            guard attempt < policy.maximumAttemptsPerFile else { throw Declined() }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
            events.emit(.retrying(path: path, attempt: attempt, delay: delay, reason: "bytes \(position)-\(last): \(reason)"))
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
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
    private let descriptor: Int32
    private let start: Int64
    private let last: Int64
    private let progress: TransferProgress
    private(set) var written: Int64 = 0
    private(set) var info: PartialFileInfo?

    init(descriptor: Int32, start: Int64, last: Int64, progress: TransferProgress) {
        self.descriptor = descriptor
        self.start = start
        self.last = last
        self.progress = progress
    }

    func receiveHead(_ head: HTTPResponseHead) throws {
        guard head.status == 206 else {
            throw DownloadInterruption.httpStatus(head.status, retryAfterSeconds: head.headers["Retry-After"].flatMap(DownloadSink.retryAfter))
        }
        guard let range = head.headers["Content-Range"].flatMap(ContentRange.init), range.first == start, !head.isHTML else {
            throw DownloadInterruption.rangeMismatch(expectedStart: start)
        }
        info = PartialFileInfo(etag: head.headers["ETag"], lastModified: head.headers["Last-Modified"], totalSize: range.total)
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
        return .taken
    }
}
