import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The inventory and shards end to end: real `physio` processes against the simulator, real SQLite files.
@Suite("inventory and shards", .timeLimit(.minutes(3)))
struct InventoryAndShardTests {
    static let demo = (slug: "mimic-iv-demo", version: "2.2")

    /// Paths of the demo's files that the simulator serves (its one absent file excluded).
    static func served(_ workspace: Workspace) throws -> [String] {
        let list = try #require(PinnedChecksums.list(slug: demo.slug, version: demo.version))
        return list.entries.map(\.path.value).filter { $0 != "icu/chartevents.csv.gz" }
    }

    @Test("three shards run at once cover the list exactly once; merge joins them and names the one failed file")
    func shardsCoverOnce() async throws {
        try await withWorkspace { workspace in
            let results = try await withThrowingTaskGroup(of: PhysioProcess.Result.self) { group in
                for index in 0..<3 {
                    group.addTask {
                        try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--shard", "\(index)/3", "-j", "2", "--json", "--quiet")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let summaries = try results.map(decodeSummary)
            #expect(Set(summaries.compactMap(\.shard)) == ["0/3", "1/3", "2/3"])
            #expect(summaries.map(\.counts.downloaded).reduce(0, +) == 33)
            #expect(summaries.map(\.counts.failed).reduce(0, +) == 1)
            // Exactly once: the server sent every served file's bytes once in all.
            for path in try Self.served(workspace) {
                let requests = workspace.server.counters.requests(path: "/files/mimic-iv-demo/2.2/\(path)").filter { $0.method == "GET" }
                #expect(requests.count == 1 || requests.allSatisfy { $0.header("range") != nil }, "\(path): \(requests.count) GETs")
            }
            for index in 0..<3 {
                let part = try Shard(index: index, count: 3).partFile(root: workspace.dataRoot, slug: "mimic-iv-demo", version: "2.2")
                #expect(FileManager.default.fileExists(atPath: part.path))
            }
            #expect(!FileManager.default.fileExists(atPath: Inventory.mainFile(root: workspace.dataRoot).path), "shards never write the root's inventory")

            let merge = try await workspace.physio("inventory", "merge", "mimic-iv-demo@2.2", "--json")
            #expect(merge.exitCode == 8, "stderr: \(merge.stderr)")
            let report = try JSONDecoder().decode(ShardMerge.Report.self, from: Data(merge.stdout.utf8))
            #expect(report.parts == ["0-of-3.sqlite", "1-of-3.sqlite", "2-of-3.sqlite"])
            #expect(report.listed == 34 && report.verified == 33)
            #expect(report.failed == ["icu/chartevents.csv.gz"] && report.uncovered.isEmpty)

            // After the merge the root is an ordinary fetched root: a plain rerun downloads nothing.
            let rerun = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--json", "--quiet")
            let again = try decodeSummary(rerun)
            #expect(again.counts.skipped == 33 && again.counts.downloaded == 0)
            let verify = try await workspace.physio("verify", "mimic-iv-demo@2.2")
            #expect(verify.stdout.contains("33 verified"), "\(verify.stdout) \(verify.stderr)")
        }
    }

    @Test("while shards of one count run, a shard of another count, an unsharded fetch and a merge exit 10; one of the same count joins")
    func shardCountsExclude() async throws {
        try await withWorkspace { workspace in
            // This process stands for a running shard of 2 (a real flock, as a physio process takes it).
            let location = DatasetLocation(root: workspace.dataRoot, slug: "mimic-iv-demo-omop", version: "0.9")
            var running: RunLock? = try RunLock(sharedAt: location.lockFile, group: try Shard(index: 0, count: 2).group(selection: PathFilter()))
            let otherCount = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--shard", "0/3", "--quiet")
            #expect(otherCount.exitCode == 10, "stderr: \(otherCount.stderr)")
            #expect(otherCount.stderr.contains("(2 shards) to join them") && otherCount.stderr.contains("pid \(getpid())"), "stderr: \(otherCount.stderr)")
            let whole = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--quiet")
            #expect(whole.exitCode == 10 && whole.stderr.contains("2 shards"), "stderr: \(whole.stderr)")
            let sameCount = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--shard", "1/2", "--quiet")
            #expect(sameCount.exitCode == 0, "stderr: \(sameCount.stderr)")
            let merge = try await workspace.physio("inventory", "merge", "mimic-iv-demo-omop@0.9")
            #expect(merge.exitCode == 10 && merge.stderr.contains("2 shards"), "stderr: \(merge.stderr)")
            _ = running
            running = nil
            let afterwards = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--shard", "0/3", "--quiet")
            #expect(afterwards.exitCode == 0, "stderr: \(afterwards.stderr)")
        }
    }

    @Test("a shard that never ran is reported by merge as files not covered, exit 8")
    func missingShard() async throws {
        try await withWorkspace { workspace in
            for index in [0, 2] {
                let result = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--shard", "\(index)/3", "--quiet")
                #expect([0, 8].contains(result.exitCode), "stderr: \(result.stderr)")
            }
            let merge = try await workspace.physio("inventory", "merge", "mimic-iv-demo@2.2", "--json")
            #expect(merge.exitCode == 8)
            let report = try JSONDecoder().decode(ShardMerge.Report.self, from: Data(merge.stdout.utf8))
            #expect(!report.uncovered.isEmpty && report.uncovered.count + report.verified + report.failed.count == 34, "\(report)")
            // What is missing is exactly shard 1's part, as its dry run lists it.
            let plan = try decodeSummary(try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--shard", "1/3", "--dry-run", "--json"))
            #expect(report.uncovered == (plan.plan ?? []).map(\.path))

            let noParts = try await workspace.physio("inventory", "merge", "mimiciii-demo@1.4")
            #expect(noParts.exitCode == 2 && noParts.stderr.contains("--shard"), "\(noParts.stderr)")
        }
    }

    @Test("--shard auto takes a Slurm array task or a Kubernetes completion index; bad shards are usage errors")
    func schedulerShards() async throws {
        try await withWorkspace { workspace in
            let slurm = try await workspace.physio(
                "fetch", "mimic-iv-demo@2.2", "--shard", "auto", "--json", "--quiet",
                extraEnvironment: ["SLURM_ARRAY_TASK_ID": "11", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "2"])
            #expect(try decodeSummary(slurm).shard == "1/2")
            let kubernetes = try await workspace.physio(
                "fetch", "mimic-iv-demo@2.2", "--shard", "auto", "--shards", "2", "--json", "--quiet",
                extraEnvironment: ["JOB_COMPLETION_INDEX": "0"])
            #expect(try decodeSummary(kubernetes).shard == "0/2")
            let merge = try await workspace.physio("inventory", "merge", "mimic-iv-demo@2.2", "--json")
            let report = try JSONDecoder().decode(ShardMerge.Report.self, from: Data(merge.stdout.utf8))
            #expect(report.uncovered.isEmpty && report.verified == 33)

            let none = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--shard", "auto")
            #expect(none.exitCode == 2 && none.stderr.contains("SLURM_ARRAY_TASK_ID"), "\(none.stderr)")
            let outOfRange = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--shard", "3/3")
            #expect(outOfRange.exitCode == 2 && outOfRange.stderr.contains("0 to 2"), "\(outOfRange.stderr)")
        }
    }

    @Test("a root fetched by an earlier physio (JSON manifest) is imported once: nothing is downloaded again")
    func legacyRootImported() async throws {
        try await withWorkspace { workspace in
            let first = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--quiet")
            #expect(first.exitCode == 8)
            // Turn the root back into what physio 0.1 left: a JSON manifest and no inventory.
            let inventory = try #require(try Inventory.existing(root: workspace.dataRoot))
            let manifest = try #require(try inventory.manifest(slug: "mimic-iv-demo", version: "2.2"))
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: Inventory.mainFile(root: workspace.dataRoot).path + suffix)
            }
            var json: [UInt8] = []
            try InventoryExport.write([manifest.provenance], from: inventory, format: .json) { json += $0 }
            let legacy = workspace.dataRoot.appendingPathComponent(".physio/manifests/mimic-iv-demo/2.2.json")
            try FileSystem.writeAtomically(json, to: legacy)
            workspace.server.counters.reset()

            let rerun = try await workspace.physio("fetch", "mimic-iv-demo@2.2", "--json", "--quiet")
            let summary = try decodeSummary(rerun)
            #expect(summary.counts.skipped == 33 && summary.counts.downloaded == 0, "\(rerun.stderr)")
            #expect(workspace.server.counters.requests.filter { $0.path.hasSuffix(".csv.gz") && $0.method == "GET" }.count == 1,
                    "only the file that was never obtained is asked for again")
            #expect(FileManager.default.fileExists(atPath: legacy.path + ".migrated") && !FileManager.default.fileExists(atPath: legacy.path))

            let csv = try await workspace.physio("inventory", "export", "--csv")
            #expect(csv.exitCode == 0)
            #expect(csv.stdout.split(separator: "\n").count == 35, "a header and 34 rows")
            #expect(csv.stdout.contains("mimic-iv-demo,2.2,icu/chartevents.csv.gz,"))
            let list = try await workspace.physio("list", "--json")
            #expect(list.stdout.contains("\"verified\" : 33"), "\(list.stdout)")
        }
    }

    @Test("shards x -j above 8 against physionet.org is refused before any request, unless --force")
    func politeness() async throws {
        try await withWorkspace { workspace in
            let refused = try await workspace.physio(
                "fetch", "mimic-iv-demo@2.2", "--base-url", "https://physionet.org", "--shard", "0/4", "-j", "3")
            #expect(refused.exitCode == 2)
            #expect(refused.stderr.contains("12 connections") && refused.stderr.contains("--force"), "\(refused.stderr)")
        }
    }
}
