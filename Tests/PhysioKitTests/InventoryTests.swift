import Foundation
import Testing
@testable import PhysioKit

@Suite("The SQLite inventory")
struct InventoryTests {
    static func temporaryRoot() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("physio-inventory-\(UUID().uuidString)", isDirectory: true)
    }

    static func provenance(_ slug: String = "demo", _ version: String = "1.0", at seconds: Double = 1_000) -> DatasetProvenance {
        DatasetProvenance(
            slug: slug, version: version, baseURL: "http://127.0.0.1:1", layout: .physio, checksumSource: .server,
            checksumListSHA256: SHA256Hasher.digest(of: "list"), checksumListValidator: "\"v1\"", matchesPin: true,
            trustedServerOverPin: false, fetchedAt: Date(timeIntervalSince1970: seconds))
    }

    static func record(_ path: String, _ state: FileRecord.State = .verified, size: Int64 = 1) throws -> FileRecord {
        FileRecord(
            path: try DatasetPath(validating: path), size: size, sha256: SHA256Hasher.digest(of: path), state: state,
            reason: state == .failed ? "missing on the server (HTTP 404)" : nil,
            verifiedAt: state == .verified ? Date(timeIntervalSince1970: 2_000) : nil, etag: "\"e,\"\"1\"",
            identity: FileIdentity(size: size, modifiedNanoseconds: 1_700_000_000_123_456_789, inode: 1_234_567_890_123))
    }

    @Test("rows round-trip every field and come back in DatasetPath's byte order")
    func roundTripInPathOrder() throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let inventory = try Inventory.open(root: root)
        let paths = ["b.txt", "a/b", "a.b", "a-b", "A/z", "é/x", "a/b/c", "ab"]
        let records = try paths.map { try Self.record($0) } + [try Self.record("zz", .failed)]
        try inventory.apply(Inventory.Change(slug: "demo", version: "1.0", provenance: .replace(Self.provenance()), records: records))

        let loaded = try #require(try inventory.manifest(slug: "demo", version: "1.0"))
        #expect(loaded.provenance == Self.provenance())
        #expect(loaded.files.map(\.path) == records.map(\.path).sorted(), "SQLite's order is the merge order the plan relies on")
        #expect(Set(loaded.files.map(\.path.value)) == Set(records.map(\.path.value)))
        for record in records {
            #expect(loaded.files.first { $0.path == record.path } == record)
        }
        #expect(try inventory.summary(slug: "demo", version: "1.0") == Inventory.Summary(files: 9, bytes: 8, verified: 8, unverifiable: 0, failed: 1))
    }

    @Test("a change touches only the rows it names; keep leaves the provenance, replace updates it")
    func changesAreLocal() throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let inventory = try Inventory.open(root: root)
        try inventory.apply(Inventory.Change(
            slug: "demo", version: "1.0", provenance: .replace(Self.provenance()),
            records: try ["a", "b", "c"].map { try Self.record($0) }))
        var changed = try Self.record("b", .failed)
        changed.size = 7
        let later = Self.provenance(at: 5_000)
        try inventory.apply(Inventory.Change(
            slug: "demo", version: "1.0", provenance: .keep(ifMissing: later), records: [changed],
            removed: [try DatasetPath(validating: "c")]))
        let loaded = try #require(try inventory.manifest(slug: "demo", version: "1.0"))
        #expect(loaded.files.map(\.path.value) == ["a", "b"])
        #expect(loaded.files[1] == changed)
        #expect(loaded.fetchedAt == Self.provenance().fetchedAt, "keep does not rewrite an existing dataset row")
        try inventory.apply(Inventory.Change(slug: "demo", version: "1.0", provenance: .replace(later)))
        #expect(try inventory.provenance(slug: "demo", version: "1.0")?.fetchedAt == later.fetchedAt)
        #expect(try inventory.manifest(slug: "demo", version: "1.0")?.files.count == 2, "replacing provenance keeps the files")
    }

    @Test("pages walk every row once, in order, whatever the page size")
    func pages() throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let inventory = try Inventory.open(root: root)
        let records = try (0..<1_000).map { try Self.record("d\($0 % 7)/f\($0)") }
        try inventory.apply(Inventory.Change(slug: "demo", version: "1.0", provenance: .replace(Self.provenance()), records: records))
        var seen: [DatasetPath] = []
        var after: DatasetPath?
        while case let page = try inventory.knownFiles(slug: "demo", version: "1.0", after: after, limit: 97), let last = page.last {
            seen += page.map(\.path)
            after = last.path
        }
        #expect(seen == records.map(\.path).sorted())
    }

    @Test("an earlier physio's JSON manifest is imported once and kept as .json.migrated")
    func legacyImport() throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = DatasetManifest(Self.provenance(), files: try ["x/1", "x/2"].map { try Self.record($0) })
        let legacy = LegacyManifests.folder(under: root).appendingPathComponent("demo/1.0.json")
        try FileSystem.writeAtomically(Array(try PhysioJSON.encoder().encode(manifest)), to: legacy)

        let inventory = try Inventory.open(root: root)
        #expect(try inventory.manifest(slug: "demo", version: "1.0") == manifest)
        #expect(!FileSystem.exists(legacy))
        #expect(FileSystem.exists(legacy.appendingPathExtension("migrated")))
        // Reopening imports nothing again: a row removed since stays removed.
        try inventory.apply(Inventory.Change(
            slug: "demo", version: "1.0", provenance: .keep(ifMissing: Self.provenance()), removed: [try DatasetPath(validating: "x/1")]))
        #expect(try Inventory.open(root: root).manifest(slug: "demo", version: "1.0")?.files.map(\.path.value) == ["x/2"])
    }

    @Test("a manifest or an inventory from a newer physio is refused, not misread")
    func newerSchemasRefused() throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let legacy = LegacyManifests.folder(under: root).appendingPathComponent("demo/1.0.json")
        try FileSystem.writeAtomically(Array(#"{"schemaVersion": 99, "future": true}"#.utf8), to: legacy)
        #expect { try Inventory.open(root: root) } throws: { ($0 as? PhysioError)?.kind == .manifestFromNewerPhysio }
        #expect(FileSystem.exists(legacy), "the foreign manifest is left alone")

        let other = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: other) }
        _ = try Inventory.open(root: other)
        try SQLiteDatabase(path: Inventory.mainFile(root: other).path).execute("PRAGMA user_version = 99")
        #expect { try Inventory.open(root: other) } throws: {
            ($0 as? PhysioError)?.kind == .inventoryFromNewerPhysio && ($0 as? PhysioError)?.exitCode == .localFilesystem
        }
    }

    @Test("two connections (two processes on one root) write different datasets at once")
    func concurrentWriters() async throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Inventory.open(root: root)
        let second = try Inventory(at: Inventory.mainFile(root: root))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (inventory, slug) in [(first, "one"), (second, "two")] {
                group.addTask {
                    try await BlockingIO.run { () throws in
                        for batch in 0..<50 {
                            try inventory.apply(Inventory.Change(
                                slug: slug, version: "1.0", provenance: .keep(ifMissing: Self.provenance(slug)),
                                records: try (0..<20).map { try Self.record("b\(batch)/f\($0)") }))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try first.summary(slug: "one", version: "1.0").files == 1_000)
        #expect(try first.summary(slug: "two", version: "1.0").files == 1_000)
    }

    @Test("merge joins shard parts, newest provenance wins, and the export reads back as the JSON manifest")
    func mergeAndExport() throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let parts = try (0..<2).map { index in
            let part = try Shard(index: index, count: 2).partFile(root: root, slug: "demo", version: "1.0")
            let inventory = try Inventory(at: part, exclusive: true)
            try inventory.apply(Inventory.Change(
                slug: "demo", version: "1.0", provenance: .replace(Self.provenance(at: Double(1_000 + index))),
                records: try ["p\(index)/a", "p\(index)/b,\"q\""].map { try Self.record($0) }))
            return part
        }
        #expect(Shard.parts(root: root, slug: "demo", version: "1.0") == parts)
        let main = try Inventory.open(root: root)
        #expect(try parts.map { try main.merge(part: $0, slug: "demo", version: "1.0") } == [2, 2])
        let merged = try #require(try main.manifest(slug: "demo", version: "1.0"))
        #expect(merged.files.count == 4)
        #expect(merged.fetchedAt == Date(timeIntervalSince1970: 1_001))

        var json: [UInt8] = []
        try InventoryExport.write([merged.provenance], from: main, format: .json) { json += $0 }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(DatasetManifest.self, from: Data(json)) == merged)

        var csv: [UInt8] = []
        try InventoryExport.write([merged.provenance], from: main, format: .csv) { csv += $0 }
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 5 && lines[0] + "\n" == InventoryExport.csvHeader)
        #expect(lines.contains { $0.hasPrefix(#"demo,1.0,"p0/b,""q""",1,"#) }, "quoted per RFC 4180: \(lines)")
    }
}

@Suite("Shards")
struct ShardTests {
    static func files(_ sizes: [Int64?]) throws -> FileList {
        var list = FileList()
        for (offset, size) in sizes.enumerated() { list.append(try DatasetPath(validating: String(format: "f%05d", offset)), size: size) }
        return list
    }

    static func paths(_ list: FileList) -> [DatasetPath] { list.indices.map(list.path) }

    @Test("N shards cover the list exactly once, in contiguous path ranges, whatever N")
    func exactlyOnce() throws {
        var generator = SystemRandomNumberGenerator()
        let list = try Self.files((0..<1_001).map { _ in Bool.random(using: &generator) ? Int64.random(in: 0...50_000_000, using: &generator) : nil })
        for count in [1, 2, 3, 7, 64, 1_001, 5_000] {
            let shuffled = list.selecting(list.indices.shuffled())
            let parts = try (0..<count).map { try Shard(index: $0, count: count).select(shuffled) }
            #expect(parts.flatMap(Self.paths) == Self.paths(list), "\(count) shards")
        }
    }

    @Test("shards balance bytes plus a per-file cost")
    func balanced() throws {
        // One huge file and many small: the huge one gets a shard nearly to itself.
        let list = try Self.files([10 << 30] + Array(repeating: 1_000, count: 999))
        let parts = try (0..<4).map { try Shard(index: $0, count: 4).select(list) }
        #expect(parts[0].count == 1, "the huge file takes a shard to itself")
        let counts = parts.dropFirst().map(\.count)
        #expect(parts.allSatisfy { $0.isSorted })
        #expect(counts.max()! - counts.min()! <= 1, "the small files spread evenly over the rest: \(counts)")
        // Equal weights: shard sizes differ by at most one file.
        let even = try Self.files(Array(repeating: 10, count: 1_001))
        let sizes = try (0..<3).map { try Shard(index: $0, count: 3).select(even).count }
        #expect(sizes.max()! - sizes.min()! <= 1 && sizes.reduce(0, +) == 1_001, "\(sizes)")
    }

    @Test("I/N and the schedulers' variables parse; anything else is a usage error naming the fix")
    func parsing() throws {
        #expect(try Shard(parsing: "3/8") == Shard(index: 3, count: 8))
        for bad in ["8/8", "-1/4", "1/0", "a/b", "1", "1/2/3"] {
            #expect { try Shard(parsing: bad) } throws: { ($0 as? PhysioError)?.exitCode == .usage }
        }
        let slurm = ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try Shard.fromScheduler(slurm, count: nil) == Shard(index: 3, count: 4))
        #expect(try Shard.fromScheduler(["JOB_COMPLETION_INDEX": "2"], count: 5) == Shard(index: 2, count: 5))
        // A resubmitted part of an array (`--array=3,5`) would split the list differently: refused.
        let subset = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_MAX": "5", "SLURM_ARRAY_TASK_COUNT": "2"]
        #expect { try Shard.fromScheduler(subset, count: nil) } throws: {
            ($0 as? PhysioError)?.message.contains("--shard I/N") == true
        }
        #expect { try Shard.fromScheduler(["JOB_COMPLETION_INDEX": "2"], count: nil) } throws: {
            ($0 as? PhysioError)?.message.contains("--shards") == true
        }
        #expect { try Shard.fromScheduler([:], count: nil) } throws: { ($0 as? PhysioError)?.exitCode == .usage }
    }
}
