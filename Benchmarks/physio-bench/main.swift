import Foundation
import PhysioKit

// Micro-benchmarks for the hot paths a download manager cannot afford to get wrong:
//   physio-bench sha256 [seconds]   SHA-256 throughput over 1 MiB chunks (compare: openssl speed -evp sha256)
//   physio-bench inventory [files]  inventory checkpoint of 1,000 rows and a full scan, at a given dataset size
//   physio-bench hex [count]        parsing 64-digit hex digests, as each line of a SHA256SUMS.txt is read
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first ?? "sha256" {
case "inventory":
    // The inventory's cost per checkpoint must not grow with the dataset: fill it with N rows, then time
    // writes of 1,000 changed rows (as a checkpoint of a long fetch makes) and a full path-order scan.
    let count = Int(arguments.dropFirst().first ?? "400000") ?? 400000
    let digest = SHA256Digest(bytes: [UInt8](repeating: 7, count: 32))
    func record(_ index: Int, _ stamp: Int64) -> FileRecord {
        FileRecord(
            path: try! DatasetPath(validating: "p\(index % 100)/s\(index / 100 % 20)/record-\(index).dat"), size: 4096,
            sha256: digest, state: .verified, verifiedAt: Date(), etag: "\"6b093053-9ee\"",
            identity: FileIdentity(size: 4096, modifiedNanoseconds: stamp, inode: UInt64(index)))
    }
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("physio-bench-\(getpid())")
    let inventory = try Inventory.open(root: root)
    let provenance = DatasetProvenance(
        slug: "bench", version: "1.0", baseURL: "http://127.0.0.1", layout: .physio, checksumSource: .server,
        checksumListSHA256: digest, matchesPin: nil, trustedServerOverPin: false, fetchedAt: Date())
    var start = Date()
    for batch in stride(from: 0, to: count, by: 10_000) {
        let records = (batch..<min(count, batch + 10_000)).map { record($0, 1) }
        try inventory.apply(Inventory.Change(slug: "bench", version: "1.0", provenance: .replace(provenance), records: records))
    }
    let fill = Date().timeIntervalSince(start)
    // Consecutive rows, as a fetch finishes files in list (path) order; and rows scattered over the whole table.
    // Indices in path order: consecutive indices are 100 folders apart.
    let pathOrder = (0..<count).map { (record($0, 1).path, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    // This VM's wall times swing by 2x between runs; the CPU time of each checkpoint says more about a change.
    func cpuSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
    func checkpoints(_ pick: (Int, Int) -> Int) throws -> (wall: [Double], cpu: [Double]) {
        var times: [Double] = []
        var cpu: [Double] = []
        for round in 0..<20 {
            let records = (0..<1000).map { record(pick($0, round), Int64(round + 2)) }
            let start = Date()
            let startCPU = cpuSeconds()
            try inventory.apply(Inventory.Change(slug: "bench", version: "1.0", provenance: .keep(ifMissing: provenance), records: records))
            cpu.append(cpuSeconds() - startCPU)
            times.append(Date().timeIntervalSince(start))
        }
        return (times.sorted(), cpu.sorted())
    }
    let consecutive = try checkpoints { index, round in pathOrder[(count / 8 + round * 1000 + index) % count] }
    let scattered = try checkpoints { index, round in (index * 397 + round * 7919) % count }
    start = Date()
    var scanned = 0
    try inventory.forEachFile(slug: "bench", version: "1.0") { _ in scanned += 1 }
    let scan = Date().timeIntervalSince(start)
    let size = FileSystem.identity(of: Inventory.mainFile(root: root))?.size ?? 0
    print(String(
        format: "inventory of %d files (%.1f MiB): fill %.2fs; checkpoint of 1,000 changed rows, median (max) of 20: consecutive %.2f ms (%.2f; CPU %.2f ms), scattered %.2f ms (%.2f; CPU %.2f ms); path-order scan %.3fs",
        scanned, Double(size) / 1048576, fill, consecutive.wall[10] * 1000, consecutive.wall[19] * 1000, consecutive.cpu[10] * 1000,
        scattered.wall[10] * 1000, scattered.wall[19] * 1000, scattered.cpu[10] * 1000, scan))
    // `physio inventory export --json`: every row encoded on its own by Foundation's encoder, streamed out.
    start = Date()
    var exported = 0
    try InventoryExport.write([provenance], from: inventory, format: .json) { exported += $0.count }
    print(String(format: "inventory export --json of %d files: %.2fs, %.1f MiB", count, Date().timeIntervalSince(start), Double(exported) / 1048576))
    try? FileManager.default.removeItem(at: root)
case "hex":
    // Digest parsing, as every line of a SHA256SUMS.txt takes it (twice on a refresh).
    let count = Int(arguments.dropFirst().first ?? "4000000") ?? 4_000_000
    let digits = Array("0123456789abcdef".utf8)
    let flat = (0..<1024).flatMap { line in (0..<64).map { digits[($0 * 7 + line * 13) % 16] } }
    var checksum = 0
    let start = Date()
    flat.withUnsafeBytes { all in
        let first = SHA256Digest(hexBytes: UnsafeRawBufferPointer(rebasing: all[0..<64]))
        for index in 0..<count {
            let line = (index & 1023) * 64
            if SHA256Digest(hexBytes: UnsafeRawBufferPointer(rebasing: all[line..<(line + 64)])) == first { checksum += 1 }
        }
    }
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "SHA256Digest(hexBytes:): %.1f ns a digest over %d (%d matched the first)", elapsed / Double(count) * 1e9, count, checksum))
default:
    let seconds = Double(arguments.dropFirst().first ?? "3") ?? 3
    let chunk = [UInt8]((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let hasher = SHA256Hasher()
    var bytes = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        for _ in 0..<64 { hasher.update(chunk) }
        bytes += 64 << 20
    }
    let elapsed = Date().timeIntervalSince(start)
    _ = hasher.finalize()
    print(String(format: "PhysioKit SHA256Hasher: %.0f MB/s (%.2f GB/s) over %d MiB in %.2fs", Double(bytes) / elapsed / 1e6, Double(bytes) / elapsed / 1e9, bytes >> 20, elapsed))
}
