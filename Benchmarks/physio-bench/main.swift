import Foundation
import PhysioKit

// Micro-benchmarks for the hot paths a download manager cannot afford to get wrong:
//   physio-bench sha256 [seconds]   SHA-256 throughput over 1 MiB chunks (compare: openssl speed -evp sha256)
//   physio-bench manifest [files]   manifest encode + atomic save + load for a large dataset
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first ?? "sha256" {
case "manifest":
    let count = Int(arguments.dropFirst().first ?? "20000") ?? 20000
    let digest = SHA256Digest(bytes: [UInt8](repeating: 7, count: 32))
    let files = (0..<count).map { index in
        DatasetManifest.FileRecord(
            path: try! DatasetPath(validating: "p\(index % 100)/s\(index / 100 % 20)/record-\(index).dat"), size: 4096,
            sha256: digest, state: .verified, verifiedAt: Date(), etag: "\"6b093053-9ee\"",
            identity: FileIdentity(size: 4096, modifiedNanoseconds: 1_700_000_000_000_000_000, inode: UInt64(index)))
    }
    let manifest = DatasetManifest(
        slug: "bench", version: "1.0", baseURL: "http://127.0.0.1", layout: .physio, checksumSource: .server,
        checksumListSHA256: digest, matchesPin: nil, trustedServerOverPin: false, fetchedAt: Date(), files: files)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("physio-bench-\(getpid())")
    let location = DatasetLocation(root: root, slug: "bench", version: "1.0")
    var start = Date()
    try ManifestStore.save(manifest, to: location)
    let saved = Date().timeIntervalSince(start)
    start = Date()
    let loaded = try ManifestStore.load(location)
    let load = Date().timeIntervalSince(start)
    let size = FileSystem.identity(of: location.manifestFile)?.size ?? 0

    print(String(format: "manifest of %d files (%.1f MiB): save %.3fs, load %.3fs", loaded?.files.count ?? 0, Double(size) / 1048576, saved, load))
    try? FileManager.default.removeItem(at: root)
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
