import FoundationEssentials
import Glibc
import PhysioKit
import Synchronization

/// `fetch --dry-run --json` (and `sync --dry-run --json`) without holding the plan. Each planned file goes,
/// encoded as it is made, to an unlinked temporary file; at the end the document (a `FetchSummary`, a
/// `SyncPlan`) is encoded with an empty top-level `plan` and printed around that file's bytes. Measured on a
/// list of 400,000 files: holding the plan and its JSON took 334 MiB. The output is byte for byte what
/// encoding the whole document prints (a test re-encodes it and compares).
final class StreamedPlanJSON<Entry: Encodable & Sendable>: Sendable {
    private struct Spool {
        let descriptor: Int32
        let encoder = PhysioJSON.encoder()
        var entries = 0
        var failure: Int32 = 0
    }

    private let spool: Mutex<Spool>

    init() throws(PhysioError) {
        let directory = invocation.temporaryDirectory
        let path = "\(directory)/physio-plan-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .filesystem(path: path, detail: FileSystem.errorText(errno) + "; set TMPDIR to a writable folder")
        }
        // Unlinked at once: the plan never outlives this process, however it ends.
        unlink(path)
        spool = Mutex(Spool(descriptor: descriptor))
    }

    deinit {
        _ = spool.withLock { close($0.descriptor) }
    }

    /// One planned file, as the array element the document's `plan` would hold (indented two levels).
    func append(_ file: Entry) {
        spool.withLock { spool in
            guard spool.failure == 0, let encoded = try? spool.encoder.encode(file) else { return }
            var bytes: [UInt8] = spool.entries == 0 ? [] : Array(",\n".utf8)
            bytes.reserveCapacity(encoded.count + 64)
            bytes += Array("    ".utf8)
            for byte in encoded {
                bytes.append(byte)
                if byte == UInt8(ascii: "\n") { bytes += Array("    ".utf8) }
            }
            spool.failure = bytes.withUnsafeBytes { FileSystem.writeAll(spool.descriptor, $0) }
            spool.entries += 1
        }
    }

    /// Prints `summary` (whose `plan` is empty) with the spooled plan in its place.
    func print(_ summary: some Encodable) throws {
        let emptyPlan = "\n  \"plan\" : [\n\n  ]"
        let text = String(decoding: try PhysioJSON.encoder().encode(summary), as: UTF8.self) + "\n"
        let (descriptor, entries, failure) = spool.withLock { ($0.descriptor, $0.entries, $0.failure) }
        if failure != 0 { throw PhysioError.filesystem(path: "the plan's temporary file", detail: FileSystem.errorText(failure)) }
        guard entries > 0 else {
            try Console.outBytes(Array(text.utf8))
            return
        }
        guard let marker = text.firstRange(of: emptyPlan) else {
            throw PhysioError.internalFailure("the summary's JSON has no empty plan to put the \(entries) planned files in")
        }
        try Console.outBytes(Array(text[..<marker.lowerBound].utf8) + Array("\n  \"plan\" : [\n".utf8))
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw PhysioError.filesystem(path: "the plan's temporary file", detail: FileSystem.errorText(errno)) }
            if count == 0 { break }
            try Console.outBytes(Array(buffer[..<count]))
            offset += off_t(count)
        }
        try Console.outBytes(Array("\n  ]".utf8) + Array(text[marker.upperBound...].utf8))
    }
}
