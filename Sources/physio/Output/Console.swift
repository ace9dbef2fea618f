import Foundation
import PhysioKit
import Synchronization

/// stdout for results, stderr for everything else; one lock so progress redraws and messages never interleave.
enum Console {
    private static let lock = Mutex<Void>(())

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ text: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }

    static func out(_ text: String) {
        lock.withLock { _ in FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    /// Writes raw bytes to stderr (progress bar redraws).
    static func rawError(_ text: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data(text.utf8)) }
    }

    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let bytes = try encoder.encode(value) + Data("\n".utf8)
        lock.withLock { _ in FileHandle.standardOutput.write(bytes) }
    }
}

/// Human-readable byte counts (1024-based, as PhysioNet's own pages show).
enum ByteFormat {
    static func string(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
