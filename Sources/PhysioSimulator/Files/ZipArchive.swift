import Foundation
import Synchronization

/// A stored (uncompressed) ZIP of a whole version under one top folder `<slugified-title>-<ver>/`
/// (docs/protocol.md §16). No ZIP64: versions over 4 GiB are out of scope for the simulator.
enum ZipLayout {
    static func topFolder(_ project: FixtureProject, _ version: FixtureVersion) -> String {
        "\(project.slugifiedTitle)-\(version.version)/"
    }

    /// Exact archive size without building it (the API's `compressed_storage_size`).
    static func archiveSize(tree: VersionFileTree, topFolder: String) -> Int64 {
        tree.files.values.reduce(Int64(22)) { total, file in
            let nameLength = Int64((topFolder + file.path).utf8.count)
            return total + 30 + nameLength + file.size + 46 + nameLength
        }
    }

    static func build(tree: VersionFileTree, topFolder: String) throws -> [UInt8] {
        var out = [UInt8]()
        var central = [UInt8]()
        let (time, date) = dosDateTime(tree.modified)
        var count = 0
        for file in tree.sortedFiles {
            let name = Array((topFolder + file.path).utf8)
            let data = try FileContentReader.readAll(file)
            let crc = CRC32.checksum(data)
            let offset = UInt32(out.count)
            out.append(le32: 0x0403_4b50)
            out.append(le16: 20)
            out.append(le16: 0x0800)  // names are UTF-8
            out.append(le16: 0)  // stored
            out.append(le16: time)
            out.append(le16: date)
            out.append(le32: crc)
            out.append(le32: UInt32(data.count))
            out.append(le32: UInt32(data.count))
            out.append(le16: UInt16(name.count))
            out.append(le16: 0)
            out += name
            out += data

            central.append(le32: 0x0201_4b50)
            central.append(le16: 20)
            central.append(le16: 20)
            central.append(le16: 0x0800)
            central.append(le16: 0)
            central.append(le16: time)
            central.append(le16: date)
            central.append(le32: crc)
            central.append(le32: UInt32(data.count))
            central.append(le32: UInt32(data.count))
            central.append(le16: UInt16(name.count))
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le32: 0o100644 << 16)
            central.append(le32: offset)
            central += name
            count += 1
        }
        let centralOffset = UInt32(out.count)
        out += central
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(central.count))
        out.append(le32: centralOffset)
        out.append(le16: 0)
        return out
    }

    private static func dosDateTime(_ date: Date) -> (UInt16, UInt16) {
        let c = SimulatorDates.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let time = UInt16(c.hour! << 11 | c.minute! << 5 | c.second! / 2)
        let day = UInt16(max(0, c.year! - 1980) << 9 | c.month! << 5 | c.day!)
        return (time, day)
    }
}

/// Built archives by `slug/version`, so repeated and ranged ZIP requests see identical bytes. Each is kept with
/// the revision of the tree it was built from (`VersionFileTree.revision`): a version changed while the server
/// runs gets a new archive instead of the stale one.
final class ZipCache: Sendable {
    private let archives = Mutex<[String: (revision: Int, bytes: [UInt8])]>([:])

    func archive(key: String, revision: Int, build: () throws -> [UInt8]) rethrows -> [UInt8] {
        if let cached = archives.withLock({ $0[key] }), cached.revision == revision { return cached.bytes }
        let built = try build()
        archives.withLock { archives in
            // A request that began before a change must not put back the archive of the older tree.
            if let kept = archives[key], kept.revision > revision { return }
            archives[key] = (revision, built)
        }
        return built
    }
}

enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension [UInt8] {
    mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
