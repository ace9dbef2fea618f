import Foundation
import Testing

@testable import PhysioKit

/// `physio prune`'s pieces: the age rule, the layout of `.physio/removed/` it reads, which versions are
/// old, and that a removal never reaches outside the data root nor deletes what physio did not verify.
@Suite("Prune: ages, the removed area, old versions")
struct PrunerTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }

    init() throws {
        directory = try TemporaryDirectory()
    }

    static func date(_ text: String) -> Date { ISODate.parse(text)! }

    @Test("an age is whole days or hours; an entry is older than it only once its day has ended that long ago, and 0d takes every entry")
    func ages() throws {
        #expect(PruneAge("30d")?.seconds == 30 * 86_400 && PruneAge("12h")?.seconds == 12 * 3_600 && PruneAge("0d")?.seconds == 0)
        for bad in ["", "30", "d", "3x", "1.5d", "-1d", "+1d", "１d", "9999999d", "40000d"] { #expect(PruneAge(bad) == nil, "\(bad)") }
        let now = Self.date("2026-12-06T13:00:00Z")
        #expect(PruneAge("12h")!.covers(day: "2026-12-05", now: now), "yesterday ended 13 hours ago")
        #expect(!PruneAge("14h")!.covers(day: "2026-12-05", now: now))
        #expect(!PruneAge("1h")!.covers(day: "2026-12-06", now: now), "today has not ended")
        #expect(PruneAge("0d")!.covers(day: "2026-12-06", now: now))
        #expect(!PruneAge("30d")!.covers(day: "2026-11-06", now: now) && PruneAge("30d")!.covers(day: "2026-11-05", now: now))
        #expect(!PruneAge("0d")!.covers(day: "2026-13-01", now: now) && !PruneAge("0d")!.covers(day: "latest", now: now))
    }

    func write(_ path: String, _ text: String = "x\n") throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test("the removed area's entries are <day>/<slug>/<version…> folders; anything else is neither counted nor removed, and a link is never followed")
    func removedAreaNeverLeavesTheRoot() throws {
        let outside = try TemporaryDirectory()
        try Data("precious\n".utf8).write(to: outside.url.appendingPathComponent("keep.txt"))
        try write(".physio/removed/2026-01-02/demo/1.0/a.csv", "12345\n")
        try write(".physio/removed/2026-01-02/demo/1.0.modified/notes/b.csv", "123\n")
        try write(".physio/removed/2026-01-02/stray.txt")
        try write(".physio/removed/not-a-day/demo/1.0/a.csv")
        try write(".physio/removed/2026-01-03/demo/odd name/a.csv")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent(".physio/removed/2026-01-02/demo/1.0/link").path, withDestinationPath: outside.path)

        let entries = RemovedArea.entries(root: root)
        #expect(entries.map { "\($0.day) \($0.slug) \($0.version) \($0.modified) \($0.files) \($0.bytes)" } == [
            "2026-01-02 demo 1.0 false 1 6", "2026-01-02 demo 1.0 true 1 4",
        ])
        let report = try Pruner(root: root, olderThan: PruneAge("0d")!, oldVersions: false, context: RunContext(environment: [:])).prune()
        #expect(report.removedEntries.count == 2 && report.files == 2 && report.bytes == 10)
        #expect(try String(contentsOf: outside.url.appendingPathComponent("keep.txt"), encoding: .utf8) == "precious\n")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".physio/removed/2026-01-02/stray.txt").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".physio/removed/2026-01-02/demo").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".physio/removed/not-a-day/demo/1.0/a.csv").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".physio/removed/2026-01-03/demo/odd name/a.csv").path))
    }

    static func provenance(_ version: String) -> DatasetProvenance {
        DatasetProvenance(
            slug: "demo", version: version, baseURL: "http://127.0.0.1:1", layout: .physio, checksumSource: .server,
            checksumListSHA256: nil, checksumListValidator: nil, matchesPin: nil, trustedServerOverPin: false, fetchedAt: Date())
    }

    /// Records every file now under `demo/<version>/` (but `skip`) as verified.
    func record(_ version: String, _ paths: [String], in inventory: Inventory) throws {
        let location = DatasetLocation(root: root, slug: "demo", version: version)
        let records = try paths.map { path -> FileRecord in
            let file = try DatasetPath(validating: path)
            let identity = FileSystem.identity(atPath: location.finalPath(for: file))
            return FileRecord(path: file, size: identity?.size, sha256: SHA256Hasher.digest(of: path), state: .verified, identity: identity)
        }
        try inventory.apply(Inventory.Change(slug: "demo", version: version, provenance: .replace(Self.provenance(version)), records: records))
    }

    @Test("an old version goes with its rows, partial files and emptied folders; a changed file is moved aside, an unrecorded one stays, and a linked folder's files outside the version are left")
    func oldVersionRemoval() throws {
        let outside = try TemporaryDirectory()
        try Data("elsewhere\n".utf8).write(to: outside.url.appendingPathComponent("x.csv"))
        for path in ["a.csv", "deep/b.csv", "edited.csv", "SHA256SUMS.txt", "mine.txt"] { try write("demo/1.0/\(path)") }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("demo/1.0/linked").path, withDestinationPath: outside.path)
        try write(".physio/partial/demo/1.0/big.bin.part")
        try write("demo/2.0/a.csv")
        let inventory = try Inventory.open(root: root)
        try record("1.0", ["a.csv", "deep/b.csv", "edited.csv", "linked/x.csv"], in: inventory)
        try record("2.0", ["a.csv"], in: inventory)
        try write("demo/1.0/edited.csv", "edited since\n")

        let pruner = Pruner(root: root, olderThan: .default, oldVersions: true, context: RunContext(environment: [:]))
        let plan = try pruner.plan()
        #expect(plan.oldVersions.map(\.version) == ["1.0"] && plan.oldVersions.first?.newerVersion == "2.0")
        #expect(plan.oldVersions.first?.files == 2 && plan.oldVersions.first?.changed == ["edited.csv"])
        let report = try pruner.prune()
        #expect(report.localCopies.map(\.path) == ["edited.csv"])
        let kept = try #require(report.localCopies.first?.keptAt)
        #expect(kept.hasSuffix(".physio/removed/\(RemovedArea.day(Date()))/demo/1.0.modified/edited.csv"))
        #expect(try String(contentsOf: URL(fileURLWithPath: kept), encoding: .utf8) == "edited since\n")
        #expect(report.leftInPlace == [root.appendingPathComponent("demo/1.0").path])
        let left = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("demo/1.0").path).sorted()
        #expect(left == ["linked", "mine.txt"], "the file physio did not record and the link stay; the rest is gone")
        #expect(try String(contentsOf: outside.url.appendingPathComponent("x.csv"), encoding: .utf8) == "elsewhere\n")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".physio/partial/demo").path))
        #expect(try inventory.allProvenance().map(\.version) == ["2.0"])
        var rows = 0
        try inventory.forEachFile(slug: "demo", version: "1.0") { _ in rows += 1 }
        #expect(rows == 0)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("demo/2.0/a.csv").path))
    }

    @Test("a version is old only beside a newer recorded one and when physio.toml does not declare it")
    func oldVersions() {
        let datasets = ["1.0", "1.10", "1.9"].map(Self.provenance)
        #expect(OldVersions.find(in: datasets, declared: DeclaredVersions()) == ["demo@1.0": "1.10", "demo@1.9": "1.10"])
        var declared = DeclaredVersions()
        declared.versions = ["demo@1.0"]
        #expect(OldVersions.find(in: datasets, declared: declared) == ["demo@1.9": "1.10"])
        #expect(OldVersions.find(in: [Self.provenance("1.0")], declared: DeclaredVersions()).isEmpty)
    }
}

extension PrunerTests {
    @Test("a prune of a root physio never wrote into removes nothing and leaves no lock file behind")
    func emptyRootStaysEmpty() throws {
        let report = try Pruner(root: root, olderThan: PruneAge("0d")!, oldVersions: true, context: RunContext(environment: [:])).prune()
        #expect(report.isEmpty && !report.dryRun)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }
}
