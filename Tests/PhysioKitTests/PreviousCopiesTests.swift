import Foundation
import Synchronization
import Testing

@testable import PhysioKit

/// Nothing a fetch overwrites is lost: the plan tells physio's verified bytes of a file the server changed
/// from a local change (and from bytes physio never verified), and `PreviousCopies` keeps whichever it is
/// under `.physio/removed/` as the new file takes its name.
@Suite("Previous copies: what a fetch overwrites is kept")
struct PreviousCopiesTests {
    let directory: TemporaryDirectory
    let location: DatasetLocation

    init() throws {
        directory = try TemporaryDirectory()
        location = DatasetLocation(root: directory.url, slug: "demo", version: "1.0")
    }

    func write(_ path: String, _ text: String) throws {
        let url = location.finalURL(for: try DatasetPath(validating: path))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func identity(_ path: String) throws -> FileIdentity {
        try #require(FileSystem.identity(atPath: location.finalPath(for: try DatasetPath(validating: path))))
    }

    static func list(_ files: [(String, String)]) throws -> FileList {
        let text = files.map { "\(SHA256Hasher.digest(of: Array($0.1.utf8)).hex)  \($0.0)\n" }.joined()
        return try FileList(checksumList: Array(text.utf8)).sorted()
    }

    @Test("the plan marks a local change and bytes physio never verified, and leaves physio's own bytes of a changed file unmarked, hashing only files whose stat changed")
    func planTellsLocalChanges() async throws {
        try write("changed-upstream.csv", "old\n")
        try write("edited.csv", "edited by hand\n")
        try write("touched.csv", "old touched\n")
        try write("unknown.csv", "someone else's\n")
        try write("same.csv", "same\n")
        let inventory = try Inventory.open(root: directory.url)
        func row(_ path: String, _ text: String, identity: FileIdentity) throws -> FileRecord {
            FileRecord(
                path: try DatasetPath(validating: path), size: Int64(text.utf8.count), sha256: SHA256Hasher.digest(of: Array(text.utf8)),
                state: .verified, verifiedAt: Date(), identity: identity)
        }
        var touched = try identity("touched.csv")
        touched.modifiedNanoseconds -= 1_000_000_000
        let provenance = DatasetProvenance(
            slug: "demo", version: "1.0", baseURL: "http://127.0.0.1:1", layout: .physio, checksumSource: .server,
            checksumListSHA256: nil, checksumListValidator: nil, matchesPin: nil, trustedServerOverPin: false, fetchedAt: Date())
        let recorded = try identity("changed-upstream.csv")
        try inventory.apply(Inventory.Change(slug: "demo", version: "1.0", provenance: .replace(provenance), records: [
            try row("changed-upstream.csv", "old\n", identity: recorded),
            // Verified as "original", edited since: its stat facts changed, and so did its bytes.
            try row("edited.csv", "original\n", identity: FileIdentity(size: 9, modifiedNanoseconds: 1, inode: 1)),
            // The bytes its row recorded, with another mtime (a restore from backup).
            try row("touched.csv", "old touched\n", identity: touched),
            try row("same.csv", "same\n", identity: try identity("same.csv")),
        ]))
        let files = try Self.list([
            ("changed-upstream.csv", "new\n"), ("edited.csv", "original\n"), ("touched.csv", "new touched\n"),
            ("unknown.csv", "theirs\n"), ("same.csv", "same\n"),
        ])
        // Same size, same mtime, same inode, other bytes: a file whose stat facts match its row is taken as
        // what physio verified without being read, so this one counts as physio's bytes.
        let unread = location.finalPath(for: try DatasetPath(validating: "changed-upstream.csv"))
        var before = stat()
        #expect(stat(unread, &before) == 0)
        let handle = try #require(FileHandle(forWritingAtPath: unread))
        try handle.write(contentsOf: Data("OLD\n".utf8))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, unread, &times, 0) == 0)
        #expect(try identity("changed-upstream.csv") == recorded, "the stat facts still match the row")
        let plan = try await LocalPlan.assess(files, location: location, inventory: inventory, describing: false) { _ in false }
        func named(_ indices: some Sequence<UInt32>) -> Set<String> { Set(indices.map { files.path(Int($0)).value }) }
        #expect(plan.keptVerified == 1)
        #expect(named(plan.toDownload) == ["changed-upstream.csv", "edited.csv", "touched.csv", "unknown.csv"])
        #expect(named(plan.replaced) == named(plan.toDownload), "each of them overwrites a local copy")
        #expect(Dictionary(uniqueKeysWithValues: plan.localChanges.map { (files.path(Int($0.key)).value, $0.value) }) == [
            "edited.csv": .changedSinceVerified, "unknown.csv": .unrecorded,
        ])
    }

    struct Harness {
        let downloader: FileDownloader
        let publisher: FilePublisher
        let previous: PreviousCopies
        /// What the queue would carry for each file (`DownloadQueue`).
        let kinds: [UInt32: PreviousCopies.Kind]
        let events: EventLog
    }

    /// A downloader whose jobs keep what they replace: `a.csv` as physio's verified bytes, `b.csv` as a local change.
    func harness(server: FakeFileServer, keepsReplaced: Bool = true) throws -> Harness {
        var plan = LocalPlan()
        plan.replaced = [0, 1]
        plan.localChanges = [1: .changedSinceVerified]
        let events = EventLog()
        let sink = FetchEventSink { events.record($0) }
        let previous = PreviousCopies(
            location: location, folder: RemovedArea.versionFolder(root: directory.url, slug: "demo", version: "1.0"),
            keepsReplaced: keepsReplaced, events: sink)
        let directories = DirectoryCache()
        let publisher = FilePublisher(directories: directories, previous: previous) { _, _ in }
        let downloader = FileDownloader(
            transport: server, location: location, retrier: Retrier(policy: RetryPolicy(baseDelay: 0, maximumDelay: 0)),
            limiter: AdaptiveLimiter(limit: 2), progress: TransferProgress(), events: sink, directories: directories,
            publisher: publisher, previous: previous)
        return Harness(
            downloader: downloader, publisher: publisher, previous: previous,
            kinds: PreviousCopies.kinds(of: plan, keepsReplaced: keepsReplaced), events: events)
    }

    func job(_ index: Int, _ name: String, _ bytes: [UInt8], kinds: [UInt32: PreviousCopies.Kind]) throws -> DownloadJob {
        let path = try DatasetPath(validating: name)
        return DownloadJob(
            path: path, url: URL(string: "http://files.test/files/demo/1.0/\(name)")!, expectedDigest: SHA256Hasher.digest(of: bytes),
            knownSize: Int64(bytes.count), keep: kinds[UInt32(index)].map { PreviousCopies.Keep(path: path, kind: $0) })
    }

    @Test("physio's bytes of a changed file go to removed/<day>/<slug>/<version>, a local change to <version>.modified with an event, small files and large alike; a second replacement the same day keeps both")
    func keptBesideTheNewBytes() async throws {
        let small = Array("new small\n".utf8)
        let large = (0..<(600 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let server = FakeFileServer(files: [
            "/files/demo/1.0/a.csv": FakeFileServer.File(bytes: small, etag: "\"a\"", contentType: "text/csv"),
            "/files/demo/1.0/b.csv": FakeFileServer.File(bytes: large, etag: "\"b\"", contentType: "text/csv"),
        ])
        try write("a.csv", "verified a\n")
        try write("b.csv", "edited b\n")
        let run = try harness(server: server)
        #expect(try await run.downloader.download(try job(0, "a.csv", small, kinds: run.kinds)).isCompleted)
        #expect(try await run.downloader.download(try job(1, "b.csv", large, kinds: run.kinds)).isCompleted)
        try await run.publisher.finish()

        let day = RemovedArea.day(Date())
        let removed = directory.url.appendingPathComponent(".physio/removed/\(day)/demo")
        #expect(try Data(contentsOf: location.finalURL(for: try DatasetPath(validating: "a.csv"))) == Data(small))
        #expect(try Data(contentsOf: location.finalURL(for: try DatasetPath(validating: "b.csv"))) == Data(large))
        #expect(try String(contentsOf: removed.appendingPathComponent("1.0/a.csv"), encoding: .utf8) == "verified a\n")
        #expect(try String(contentsOf: removed.appendingPathComponent("1.0.modified/b.csv"), encoding: .utf8) == "edited b\n")
        let result = run.previous.result
        #expect(result.previous == 1)
        let kept = FetchSummary.KeptFile(path: "b.csv", keptAt: removed.appendingPathComponent("1.0.modified/b.csv").path, cause: .changedSinceVerified)
        #expect(result.local == [kept])
        #expect(run.events.all.contains { if case .keptLocalCopy(let file) = $0 { file == kept } else { false } })

        // The server changes a.csv again the same day: both earlier versions stay.
        let newer = Array("newer small\n".utf8)
        let changedAgain = FakeFileServer(files: ["/files/demo/1.0/a.csv": FakeFileServer.File(bytes: newer, etag: "\"a2\"", contentType: "text/csv")])
        let again = try harness(server: changedAgain)
        #expect(try await again.downloader.download(try job(0, "a.csv", newer, kinds: again.kinds)).isCompleted)
        try await again.publisher.finish()
        #expect(try String(contentsOf: removed.appendingPathComponent("1.0/a.csv"), encoding: .utf8) == "verified a\n")
        #expect(try Data(contentsOf: removed.appendingPathComponent("1.0/a.csv.1")) == Data(small))
    }

    @Test("with sync --prune physio's bytes of a changed file are not kept, a local change still is; a failed download keeps nothing")
    func pruneKeepsOnlyLocalChanges() async throws {
        let small = Array("new\n".utf8)
        let server = FakeFileServer(files: [
            "/files/demo/1.0/a.csv": FakeFileServer.File(bytes: small, etag: "\"a\"", contentType: "text/csv"),
            "/files/demo/1.0/b.csv": FakeFileServer.File(bytes: small, etag: "\"b\"", contentType: "text/csv"),
        ], faults: [.status(404)])
        try write("a.csv", "verified a\n")
        try write("b.csv", "edited b\n")
        let run = try harness(server: server, keepsReplaced: false)
        // b.csv's first request is refused with 404: it fails, and its local copy stays where it was.
        #expect(try await !run.downloader.download(try job(1, "b.csv", small, kinds: run.kinds)).isCompleted)
        #expect(try await run.downloader.download(try job(0, "a.csv", small, kinds: run.kinds)).isCompleted)
        try await run.publisher.finish()
        #expect(run.previous.result.previous == 0 && run.previous.result.local.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(".physio/removed").path))
        #expect(try String(contentsOf: location.finalURL(for: try DatasetPath(validating: "b.csv")), encoding: .utf8) == "edited b\n")

        let again = try harness(server: server, keepsReplaced: false)
        #expect(try await again.downloader.download(try job(1, "b.csv", small, kinds: again.kinds)).isCompleted)
        try await again.publisher.finish()
        #expect(again.previous.result.local.map(\.path) == ["b.csv"])
    }
}

extension DownloadOutcome {
    var isCompleted: Bool {
        if case .completed = self { return true }
        return false
    }
}
