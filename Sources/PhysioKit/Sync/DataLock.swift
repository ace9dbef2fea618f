import FoundationEssentials
import TOMLKit

/// `physio.lock`: what a sync resolved, per dataset: the version, the SHA-256 of its SHA256SUMS.txt (which
/// names every file's hash, so it is the identity of the whole dataset), the selection, the file count and
/// bytes, where it came from and when that entry last changed. With it, `physio sync --locked` gives a
/// colleague the same bytes or a clear error. Written with sorted keys and datasets in a stable order, and
/// an entry keeps its time while nothing in it changes, so the file only differs when the data does.
public struct DataLock: Sendable, Equatable {
    public static let fileName = "physio.lock"
    static let formatVersion = 1

    public struct Entry: Sendable, Equatable {
        public var slug: String
        /// What physio.toml asked for: an exact version or `latest`.
        public var requested: String
        public var version: String
        public var listSHA256: String
        public var include: [String]
        public var exclude: [String]
        public var files: Int
        public var bytes: Int64
        public var source: String
        public var syncedAt: String

        public init(
            slug: String, requested: String, version: String, listSHA256: String, include: [String], exclude: [String],
            files: Int, bytes: Int64, source: String, syncedAt: String
        ) {
            self.slug = slug
            self.requested = requested
            self.version = version
            self.listSHA256 = listSHA256
            self.include = include
            self.exclude = exclude
            self.files = files
            self.bytes = bytes
            self.source = source
            self.syncedAt = syncedAt
        }

        /// The same data and selection, whenever it was written.
        func sameContent(as other: Entry) -> Bool {
            var other = other
            other.syncedAt = syncedAt
            return self == other
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The entry for a dataset as physio.toml declares it.
    public func entry(slug: String, requested: String) -> Entry? {
        entries.first { $0.slug == slug && $0.requested == requested }
    }

    /// The lock beside `environmentFile`, or `nil` when there is none yet.
    public static func load(beside environmentFile: URL) throws(PhysioError) -> DataLock? {
        let file = environmentFile.deletingLastPathComponent().appendingPathComponent(fileName)
        guard FileSystem.exists(file) else { return nil }
        let text: String
        do {
            text = String(decoding: try FileSystem.readBytes(atPath: file.path), as: UTF8.self)
        } catch {
            throw .configurationUnreadable(path: file.path, reason: error.reason)
        }
        return try parse(text, path: file.path)
    }

    static func parse(_ text: String, path: String) throws(PhysioError) -> DataLock {
        func broken(_ what: String) -> PhysioError {
            .configuration(path: path, line: 1, problem: what, fix: "physio writes this file; restore it from version control, or delete it and run `physio sync`.")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .configuration(
                path: path, line: error.source.begin.line, problem: "this is not valid TOML (\(error.description))",
                fix: "Restore it from version control, or delete it and run `physio sync`.")
        } catch {
            throw broken("this is not valid TOML")
        }
        guard let format = table["lock-version"]?.int else { throw broken("it has no lock-version") }
        guard format <= formatVersion else {
            throw broken("it was written by a newer physio (lock-version \(format))")
        }
        var lock = DataLock()
        for element in table["dataset"]?.array ?? TOMLArray() {
            guard let entry = element.table, let slug = entry["slug"]?.string, let requested = entry["requested"]?.string,
                let version = entry["version"]?.string, let list = entry["list-sha256"]?.string,
                let files = entry["files"]?.int, let bytes = entry["bytes"]?.int, let source = entry["source"]?.string,
                let syncedAt = entry["synced-at"]?.string
            else { throw broken("a [[dataset]] entry is incomplete") }
            let include = (entry["include"]?.array).map { $0.compactMap(\.string) } ?? []
            let exclude = (entry["exclude"]?.array).map { $0.compactMap(\.string) } ?? []
            lock.entries.append(Entry(
                slug: slug, requested: requested, version: version, listSHA256: list, include: include, exclude: exclude,
                files: files, bytes: Int64(bytes), source: source, syncedAt: syncedAt))
        }
        return lock
    }

    /// The file's text: a header, `lock-version`, then one `[[dataset]]` per entry by slug and request, keys
    /// sorted. Written by hand, not by TOMLKit's encoder, because the order and spacing are the point.
    public func rendered() -> String {
        var out = """
            # physio.lock: written by `physio sync`. Keep it beside physio.toml (in version control, with your
            # code): `physio sync --locked` then fetches exactly these bytes or fails.

            lock-version = \(Self.formatVersion)

            """
        for entry in entries.sorted(by: { ($0.slug, $0.requested) < ($1.slug, $1.requested) }) {
            out += "\n[[dataset]]\n"
            out += "bytes = \(entry.bytes)\n"
            out += "exclude = \(Self.quoted(entry.exclude))\n"
            out += "files = \(entry.files)\n"
            out += "include = \(Self.quoted(entry.include))\n"
            out += "list-sha256 = \(Self.quoted(entry.listSHA256))\n"
            out += "requested = \(Self.quoted(entry.requested))\n"
            out += "slug = \(Self.quoted(entry.slug))\n"
            out += "source = \(Self.quoted(entry.source))\n"
            out += "synced-at = \(Self.quoted(entry.syncedAt))\n"
            out += "version = \(Self.quoted(entry.version))\n"
        }
        return out
    }

    /// Writes the lock beside `environmentFile` (atomically) when its text changed.
    public func write(beside environmentFile: URL) throws(PhysioError) {
        let file = environmentFile.deletingLastPathComponent().appendingPathComponent(Self.fileName)
        let text = rendered()
        if let existing = try? String(contentsOf: file, encoding: .utf8), existing == text { return }
        try FileSystem.writeAtomically(Array(text.utf8), to: file)
    }

    /// This lock with `entry` in place of the one for the same dataset; the old time stays when nothing changed.
    public func updating(_ entry: Entry) -> DataLock {
        var copy = self
        if let index = copy.entries.firstIndex(where: { $0.slug == entry.slug && $0.requested == entry.requested }) {
            if !copy.entries[index].sameContent(as: entry) { copy.entries[index] = entry }
        } else {
            copy.entries.append(entry)
        }
        return copy
    }

    /// Only the entries physio.toml still declares.
    public func keeping(_ datasets: [DataEnvironment.Dataset]) -> DataLock {
        DataLock(entries: entries.filter { entry in
            datasets.contains { $0.slug == entry.slug && $0.version.description == entry.requested }
        })
    }

    static func quoted(_ values: [String]) -> String {
        "[" + values.map(quoted).joined(separator: ", ") + "]"
    }

    /// A TOML basic string.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += PrintfFormat.string("\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
