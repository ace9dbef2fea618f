import Foundation
import Synchronization
import Testing

@testable import PhysioKit

/// The download state machine (`FileDownloader`, `SegmentedDownload`, `DownloadSink`, `DataResponseHead`,
/// `AttemptVerdict`) over an in-memory file server: drops, stalls, wrong `Content-Range`, an HTML page, 416,
/// a changed validator, retried statuses, whole files and split ones.
@Suite("FileDownloader: one file to the verified state")
struct FileDownloaderTests {
    let directory: TemporaryDirectory
    let location: DatasetLocation
    let events = EventLog()

    init() throws {
        directory = try TemporaryDirectory()
        location = DatasetLocation(root: directory.url, slug: "demo", version: "1.0")
    }

    /// Deterministic bytes that differ at every offset a resume could start from.
    static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }

    static func file(_ bytes: [UInt8], type: String = "application/gzip", etag: String = "\"v1\"") -> FakeFileServer.File {
        FakeFileServer.File(bytes: bytes, etag: etag, contentType: type)
    }

    struct Run {
        var outcome: DownloadOutcome
        /// What the one completion path reported: each stored file with its bytes transferred.
        var stored: [(record: FileRecord, bytes: Int64)]
        var transferred: Int64? { stored.first?.bytes }
    }

    func download(
        _ name: String, _ bytes: [UInt8], from server: any HTTPTransport, segments: Int = 1, bytesPresent: Int64 = 0,
        limiter: AdaptiveLimiter = AdaptiveLimiter(limit: 4)
    ) async throws -> Run {
        let stored = Mutex<[(record: FileRecord, bytes: Int64)]>([])
        let directories = DirectoryCache()
        let publisher = FilePublisher(directories: directories) { record, bytes in stored.withLock { $0.append((record, bytes)) } }
        let events = self.events
        let downloader = FileDownloader(
            transport: server, location: location,
            retrier: Retrier(policy: RetryPolicy(baseDelay: 0, maximumDelay: 0), events: FetchEventSink { event in events.record(event) }),
            limiter: limiter, progress: TransferProgress(), events: .ignore, directories: directories, publisher: publisher)
        let path = try DatasetPath(validating: name)
        let job = DownloadJob(
            path: path, url: URL(string: "http://files.test/files/demo/1.0/\(name)")!,
            expectedDigest: SHA256Hasher.digest(of: bytes), knownSize: Int64(bytes.count), bytesPresent: bytesPresent,
            segments: segments)
        let outcome = try await downloader.download(job)
        try await publisher.finish()
        return Run(outcome: outcome, stored: stored.withLock { $0 })
    }

    /// The file at its final path holds exactly `bytes`, and no partial file is left.
    func expectStored(_ run: Run, _ name: String, _ bytes: [UInt8]) throws {
        if case .failed(_, let failure, _) = run.outcome { Issue.record("\(name) failed: \(failure.reason)") }
        #expect(run.stored.map(\.record.path.value) == [name], "reported stored once, through the one completion path")
        #expect(run.stored.first?.record.state == .verified)
        let path = try DatasetPath(validating: name)
        #expect(try FileSystem.readBytes(atPath: location.finalPath(for: path)) == bytes)
        #expect(FileSystem.identity(atPath: location.partialPath(for: path)) == nil)
    }

    func failure(_ run: Run) -> FileFailure? {
        if case .failed(_, let failure, _) = run.outcome { return failure }
        return nil
    }

    static let large = bytes(1_500_000)

    @Test("a dataset's own .html file is data, whole or split across ranges", arguments: [1, 2])
    func datasetHTML(segments: Int) async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/doc/big.html": Self.file(Self.large, type: "text/html")])
        let run = try await download("doc/big.html", Self.large, from: server, segments: segments)
        try expectStored(run, "doc/big.html", Self.large)
        #expect(server.requests.count == segments)
    }

    @Test("a login page in place of a .csv.gz fails the file at once, whole or split", arguments: [1, 2])
    func loginPageInsteadOfData(segments: Int) async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/hosp/labevents.csv.gz": Self.file(Self.large)], faults: [.htmlPage, .htmlPage])
        let run = try await download("hosp/labevents.csv.gz", Self.large, from: server, segments: segments)
        #expect(failure(run) == .htmlInsteadOfData)
        #expect(FileSystem.identity(atPath: location.finalPath(for: try DatasetPath(validating: "hosp/labevents.csv.gz"))) == nil)
    }

    @Test("a dropped connection resumes with Range and If-Range from the byte it reached")
    func dropResumes() async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)], faults: [.dropAfter(300_000)])
        let run = try await download("a.dat", Self.large, from: server)
        try expectStored(run, "a.dat", Self.large)
        let resume = try #require(server.requests.dropFirst().first)
        #expect(resume.headers["Range"] == "bytes=300000-")
        #expect(resume.headers["If-Range"] == "\"v1\"")
        #expect(run.transferred == Int64(Self.large.count))
    }

    @Test("a stall is retried and tells the limiter to slow down")
    func stallSlowsDown() async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)], faults: [.stall])
        let limiter = AdaptiveLimiter(limit: 4)
        let run = try await download("a.dat", Self.large, from: server, limiter: limiter)
        try expectStored(run, "a.dat", Self.large)
        #expect(limiter.limit < 4)
        #expect(server.requests.count == 2)
    }

    @Test("a resume answered with other bytes starts the file over from byte 0")
    func wrongContentRange() async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)], faults: [.dropAfter(300_000), .wrongContentRange])
        let run = try await download("a.dat", Self.large, from: server)
        try expectStored(run, "a.dat", Self.large)
        #expect(server.requests.count == 3)
        #expect(server.requests[2].headers["Range"] == nil)
    }

    @Test("416 on a partial file that is already whole verifies it without downloading again")
    func rangeNotSatisfiableOnWholePartial() async throws {
        let path = try DatasetPath(validating: "a.dat")
        try FileManager.default.createDirectory(
            atPath: (location.partialPath(for: path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(Self.large).write(to: URL(fileURLWithPath: location.partialPath(for: path)))
        let server = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)])
        let run = try await download("a.dat", Self.large, from: server, bytesPresent: Int64(Self.large.count))
        try expectStored(run, "a.dat", Self.large)
        #expect(server.requests.count == 1)
        #expect(run.transferred == 0)
    }

    @Test("a validator that changed since the drop: If-Range gets the whole file, which replaces the partial one")
    func changedValidator() async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)], faults: [.dropAfter(300_000)])
        // The drop happens inside the first request; the server's copy is touched before the resume.
        let touched = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large, etag: "\"v2\"")])
        let both = SwitchingTransport(first: server, then: touched)
        let run = try await download("a.dat", Self.large, from: both)
        try expectStored(run, "a.dat", Self.large)
        #expect(touched.requests.first?.headers["If-Range"] == "\"v1\"")
        #expect(run.transferred == 300_000 + Int64(Self.large.count))
    }

    @Test("503 with Retry-After is retried; 404 fails at once as missing")
    func statuses() async throws {
        let busy = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)], faults: [.status(503, retryAfter: "0")])
        try expectStored(try await download("a.dat", Self.large, from: busy), "a.dat", Self.large)
        #expect(events.all.contains { if case .retrying(_, _, _, let reason) = $0 { reason == "HTTP 503" } else { false } })
        let gone = FakeFileServer(files: [:])
        let run = try await download("b.dat", Self.large, from: gone)
        #expect(failure(run) == .missingOnServer(status: 404))
        #expect(gone.requests.count == 1)
    }

    @Test("a split file whose range drops continues that range where it stopped")
    func splitRangeDrop() async throws {
        let server = FakeFileServer(files: ["/files/demo/1.0/a.dat": Self.file(Self.large)], faults: [.dropAfter(100_000)])
        let run = try await download("a.dat", Self.large, from: server, segments: 2)
        try expectStored(run, "a.dat", Self.large)
        let ranges = server.requests.compactMap { $0.headers["Range"] }
        #expect(ranges.count == 3)
        #expect(ranges.contains("bytes=100000-749999") || ranges.contains("bytes=850000-1499999"))
    }

    @Test("a refused connection ends a file within the refused-connection window, as it ends the list request")
    func refusedConnection() async throws {
        let refusing = RefusingTransport()
        let downloader = FileDownloader(
            transport: refusing, location: location,
            retrier: Retrier(policy: RetryPolicy(baseDelay: 0.001, maximumDelay: 0.001, refusedConnectionSeconds: 0)),
            limiter: AdaptiveLimiter(limit: 4), progress: TransferProgress(), events: .ignore, directories: DirectoryCache(),
            publisher: FilePublisher(directories: DirectoryCache()) { _, _ in })
        let job = DownloadJob(
            path: try DatasetPath(validating: "a.dat"), url: URL(string: "http://files.test/files/demo/1.0/a.dat")!,
            expectedDigest: SHA256Hasher.digest(of: Self.large), knownSize: Int64(Self.large.count))
        guard case .failed(_, .network, _) = try await downloader.download(job) else {
            Issue.record("a refused connection should fail the file as a network failure")
            return
        }
        #expect(refusing.count == 1, "no retry once the window is spent (the default eight attempts otherwise)")
    }

    @Test("a small file is held in memory and handed to the publisher, which creates it")
    func smallFilePublished() async throws {
        let small = Self.bytes(10_000)
        let server = FakeFileServer(files: ["/files/demo/1.0/s.csv": Self.file(small, type: "text/csv")])
        let run = try await download("s.csv", small, from: server)
        try expectStored(run, "s.csv", small)
    }
}

/// Answers the first request from one server and every later one from another: a file changed on the
/// server between two attempts.
final class SwitchingTransport: HTTPTransport, Sendable {
    let first: FakeFileServer
    let then: FakeFileServer
    private let used = Mutex(false)

    init(first: FakeFileServer, then: FakeFileServer) {
        self.first = first
        self.then = then
    }

    func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        let wasUsed = used.withLock { used in
            defer { used = true }
            return used
        }
        return try await (wasUsed ? then : first).execute(request, into: sink)
    }
}

/// The retry events a run emitted.
final class EventLog: Sendable {
    private let events = Mutex<[FetchEvent]>([])
    func record(_ event: FetchEvent) { events.withLock { $0.append(event) } }
    var all: [FetchEvent] { events.withLock { $0 } }
}

/// Refuses every connection, counting the attempts.
final class RefusingTransport: HTTPTransport, Sendable {
    private let attempts = Mutex(0)
    var count: Int { attempts.withLock { $0 } }

    func execute(_ request: HTTPRequest, into sink: any ResponseSink) async throws -> HTTPResponseHead {
        attempts.withLock { $0 += 1 }
        throw TransportError(kind: .connectionRefused, url: request.url.absoluteString, detail: "Connection refused")
    }
}
