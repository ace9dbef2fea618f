import Foundation
import Testing
@testable import PhysioKit

@Suite("Locks and layouts")
struct LocalStateTests {
    func temporaryRoot() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("physio-test-\(UUID().uuidString)", isDirectory: true)
    }

    @Test("a second lock on the same dataset fails with the holder named; release frees it")
    func lockExcludes() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = DatasetLocation(root: root, slug: "demo", version: "1.0").lockFile
        var first: RunLock? = try RunLock(at: url)
        do {
            _ = try RunLock(at: url)
            Issue.record("second lock succeeded")
        } catch {
            #expect(error.exitCode == .locked)
            #expect(error.message.contains("pid \(getpid())"))
        }
        _ = first
        first = nil
        #expect(throws: Never.self) { _ = try RunLock(at: url) }
    }

    @Test("shards of one group share the dataset's lock; another count, another selection and an unsharded run are refused while they hold it")
    func shardLocks() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = DatasetLocation(root: root, slug: "demo", version: "1.0").lockFile
        let four = try Shard(index: 0, count: 4).group(selection: PathFilter())
        #expect(four == "4 shards")
        var first: RunLock? = try RunLock(sharedAt: url, group: four)
        var second: RunLock? = try RunLock(sharedAt: url, group: four)
        for other in [try Shard(index: 0, count: 8).group(selection: PathFilter()),
                      try Shard(index: 1, count: 4).group(selection: PathFilter(includes: ["hosp/*"]))] {
            do {
                _ = try RunLock(sharedAt: url, group: other)
                Issue.record("\(other) got in beside 4 shards")
            } catch {
                #expect(error.kind == .shardGroupConflict)
                #expect(error.exitCode == .locked)
                #expect(error.facts["running"] == "4 shards")
                #expect(error.message.contains("(4 shards) to join them"))
            }
        }
        #expect(try Shard(index: 1, count: 4).group(selection: PathFilter(includes: ["hosp/*"])) == "4 shards of --include 'hosp/*'")
        do {
            _ = try RunLock(at: url)
            Issue.record("an unsharded run got in beside shards")
        } catch {
            #expect(error.kind == .locked)
            #expect(error.message.contains("4 shards, the first pid \(getpid())"))
        }
        _ = (first, second)
        first = nil
        #expect(throws: PhysioError.self) { _ = try RunLock(sharedAt: url, group: "8 shards") }
        second = nil
        // The last shard out cleared the record: another group may start now, and then holds the lock.
        var eight: RunLock? = try RunLock(sharedAt: url, group: "8 shards")
        #expect(throws: PhysioError.self) { _ = try RunLock(sharedAt: url, group: "4 shards") }
        _ = eight
        eight = nil
        let whole = try RunLock(at: url)
        do {
            _ = try RunLock(sharedAt: url, group: "4 shards")
            Issue.record("a shard got in beside an unsharded run")
        } catch {
            #expect(error.kind == .locked)
        }
        _ = whole
    }

    @Test("dataset paths: the wget layout nests under host/files")
    func layouts() throws {
        let root = URL(fileURLWithPath: "/data")
        let path = try DatasetPath(validating: "hosp/a.csv")
        #expect(DatasetLocation(root: root, slug: "s", version: "1.0").finalURL(for: path).path == "/data/s/1.0/hosp/a.csv")
        #expect(DatasetLocation(root: root, slug: "s", version: "1.0", layout: .wget).finalURL(for: path).path == "/data/physionet.org/files/s/1.0/hosp/a.csv")
        #expect(DatasetLocation(root: root, slug: "s", version: "1.0").partialPath(for: path) == "/data/.physio/partial/s/1.0/hosp/a.csv.part")
    }
}
