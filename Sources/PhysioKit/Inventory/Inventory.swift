import FoundationEssentials

/// What a data root holds, in one SQLite database (`<root>/.physio/inventory.sqlite`): a row per dataset
/// version (its provenance) and a row per file (size, SHA-256, state, validators, and the stat facts seen
/// when it was verified). A run writes only the rows that changed, in short batched transactions, so the
/// cost of recording progress does not grow with the dataset; readers walk files in path order, which is
/// how plans merge them with the server's sorted list without holding either in memory twice.
///
/// Every method blocks: callers run them on `BlockingIO`. One connection per process, behind a lock;
/// other processes on the same root share the file through SQLite's own locking (WAL, busy timeout).
///
/// `@unchecked Sendable`: the one mutable part, the connection, is only ever used under `lock`.
public final class Inventory: @unchecked Sendable {
    public let url: URL
    private let database: SQLiteDatabase
    private let lock = BlockingLock()

    func withConnection<T>(_ body: (SQLiteDatabase) throws(PhysioError) -> T) throws(PhysioError) -> T {
        try lock.withLock { () throws(PhysioError) -> T in try body(database) }
    }

    /// The inventory of a data root.
    public static func mainFile(root: URL) -> URL {
        root.standardizedFileURL.appendingPathComponent(".physio/inventory.sqlite", isDirectory: false)
    }

    /// Opens or creates the inventory at `url`, migrating it to the current schema. `exclusive` is for a
    /// file only one process ever writes (a shard's part on a cluster filesystem).
    public init(at url: URL, exclusive: Bool = false) throws(PhysioError) {
        try FileSystem.createDirectory(url.deletingLastPathComponent())
        let database = try SQLiteDatabase(path: url.path)
        try InventorySchema.prepare(database, exclusive: exclusive)
        self.url = url
        self.database = database
    }

    /// The data root's inventory, created on first use; JSON manifests of earlier physio versions are
    /// imported once and kept as `*.json.migrated`.
    public static func open(root: URL) throws(PhysioError) -> Inventory {
        let inventory = try Inventory(at: mainFile(root: root))
        try LegacyManifests.importAll(under: root, into: inventory)
        return inventory
    }

    /// The data root's inventory for commands that only read it: `nil` when the root has never been
    /// fetched into (nothing is created then).
    public static func existing(root: URL) throws(PhysioError) -> Inventory? {
        guard FileSystem.exists(mainFile(root: root)) || LegacyManifests.present(under: root) else { return nil }
        return try open(root: root)
    }

    // MARK: Datasets

    private static let provenanceColumns = """
        slug, version, base_url, layout, checksum_source, list_sha256, list_validator, matches_pin, \
        trusted_server_over_pin, fetched_at, physio_version
        """

    /// The upsert clause that replaces a dataset row's provenance and keeps its id (and so its files).
    private static let replacingProvenance = """
        ON CONFLICT (slug, version) DO UPDATE SET base_url = excluded.base_url, layout = excluded.layout,
            checksum_source = excluded.checksum_source, list_sha256 = excluded.list_sha256,
            list_validator = excluded.list_validator, matches_pin = excluded.matches_pin,
            trusted_server_over_pin = excluded.trusted_server_over_pin, fetched_at = excluded.fetched_at,
            physio_version = excluded.physio_version
        """

    public func provenance(slug: String, version: String) throws(PhysioError) -> DatasetProvenance? {
        try withConnection { database throws(PhysioError) -> DatasetProvenance? in
            let query = try database.prepare("SELECT \(Self.provenanceColumns) FROM datasets WHERE slug = ?1 AND version = ?2")
            query.bind(1, slug)
            query.bind(2, version)
            return try query.step() ? try Self.provenance(from: query) : nil
        }
    }

    /// Every dataset version in the inventory, by slug then version.
    public func allProvenance() throws(PhysioError) -> [DatasetProvenance] {
        try withConnection { database throws(PhysioError) -> [DatasetProvenance] in
            let query = try database.prepare("SELECT \(Self.provenanceColumns) FROM datasets ORDER BY slug, version")
            var result: [DatasetProvenance] = []
            while try query.step() { result.append(try Self.provenance(from: query)) }
            return result
        }
    }

    private static func provenance(from row: SQLiteStatement) throws(PhysioError) -> DatasetProvenance {
        guard let layout = row.string(3).flatMap(DatasetLocation.Layout.init(rawValue:)),
            let source = row.string(4).flatMap(DatasetProvenance.ChecksumSource.init(rawValue:)),
            let fetchedAt = row.string(9).flatMap(ISODate.parse)
        else { throw .inventory(path: "datasets", detail: "a dataset row holds values this physio does not know") }
        return DatasetProvenance(
            slug: row.string(0) ?? "", version: row.string(1) ?? "", baseURL: row.string(2) ?? "", layout: layout,
            checksumSource: source, checksumListSHA256: row.string(5).flatMap { SHA256Digest(hex: $0) },
            checksumListValidator: row.string(6), matchesPin: row.optionalInt64(7).map { $0 != 0 },
            trustedServerOverPin: row.int64(8) != 0, fetchedAt: fetchedAt, physioVersion: row.string(10) ?? "")
    }

    // MARK: Writing

    /// One batch of changes to one dataset version, applied in a single transaction.
    public struct Change: Sendable {
        public enum ProvenanceUpdate: Sendable {
            /// Leave the dataset row as it is (it must exist, or `ifMissing` creates it).
            case keep(ifMissing: DatasetProvenance)
            /// Write this provenance, creating or replacing the row.
            case replace(DatasetProvenance)
        }

        public var slug: String
        public var version: String
        public var provenance: ProvenanceUpdate
        public var records: [FileRecord]
        public var removed: [DatasetPath]

        public init(
            slug: String, version: String, provenance: ProvenanceUpdate, records: [FileRecord] = [],
            removed: [DatasetPath] = []
        ) {
            self.slug = slug
            self.version = version
            self.provenance = provenance
            self.records = records
            self.removed = removed
        }
    }

    /// Applies `change` in one transaction: its cost is the rows it names, whatever the dataset's size.
    public func apply(_ change: Change) throws(PhysioError) {
        try withConnection { database throws(PhysioError) in
            try database.transaction { () throws(PhysioError) in
                let id: Int64
                switch change.provenance {
                case .keep(let initial):
                    if let existing = try Self.datasetID(slug: change.slug, version: change.version, in: database) {
                        id = existing
                    } else {
                        id = try Self.write(initial, in: database)
                    }
                case .replace(let provenance):
                    id = try Self.write(provenance, in: database)
                }
                if !change.records.isEmpty {
                    let insert = try database.prepare("""
                        INSERT OR REPLACE INTO files (dataset_id, path, size, sha256, state, reason, verified_at, etag, \
                        last_modified, stat_size, stat_mtime_ns, stat_inode, source) \
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                        """)
                    for record in change.records {
                        insert.bind(1, id)
                        insert.bind(2, record.path.value)
                        insert.bind(3, record.size)
                        insert.bind(4, digest: record.sha256)
                        insert.bind(5, record.state.rawValue)
                        insert.bind(6, record.reason)
                        insert.bind(7, record.verifiedAt.map(ISODate.format))
                        insert.bind(8, record.etag)
                        insert.bind(9, record.lastModified)
                        insert.bind(10, record.identity?.size)
                        insert.bind(11, record.identity?.modifiedNanoseconds)
                        insert.bind(12, record.identity.map { Int64(bitPattern: $0.inode) })
                        insert.bind(13, record.source)
                        try insert.run()
                    }
                }
                if !change.removed.isEmpty {
                    let delete = try database.prepare("DELETE FROM files WHERE dataset_id = ?1 AND path = ?2")
                    for path in change.removed {
                        delete.bind(1, id)
                        delete.bind(2, path.value)
                        try delete.run()
                    }
                }
            }
        }
    }

    private static func datasetID(slug: String, version: String, in database: SQLiteDatabase) throws(PhysioError) -> Int64? {
        let query = try database.prepare("SELECT id FROM datasets WHERE slug = ?1 AND version = ?2")
        query.bind(1, slug)
        query.bind(2, version)
        return try query.step() ? query.int64(0) : nil
    }

    /// Creates or replaces a dataset's row, keeping its id (and so its files).
    @discardableResult
    private static func write(_ provenance: DatasetProvenance, in database: SQLiteDatabase) throws(PhysioError) -> Int64 {
        let upsert = try database.prepare("""
            INSERT INTO datasets (\(provenanceColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            \(replacingProvenance)
            """)
        upsert.bind(1, provenance.slug)
        upsert.bind(2, provenance.version)
        upsert.bind(3, provenance.baseURL)
        upsert.bind(4, provenance.layout.rawValue)
        upsert.bind(5, provenance.checksumSource.rawValue)
        upsert.bind(6, provenance.checksumListSHA256?.hex)
        upsert.bind(7, provenance.checksumListValidator)
        upsert.bind(8, provenance.matchesPin.map { $0 ? 1 : 0 })
        upsert.bind(9, provenance.trustedServerOverPin ? 1 : 0)
        upsert.bind(10, ISODate.format(provenance.fetchedAt))
        upsert.bind(11, provenance.physioVersion)
        try upsert.run()
        guard let id = try datasetID(slug: provenance.slug, version: provenance.version, in: database) else {
            throw .inventory(path: database.path, detail: "the dataset row just written cannot be read back")
        }
        return id
    }

    // MARK: Reading files

    private static let fileColumns = """
        path, size, sha256, state, reason, verified_at, etag, last_modified, stat_size, stat_mtime_ns, stat_inode, source
        """

    /// Calls `body` with every file row of a dataset in path order (byte order, as `DatasetPath` sorts),
    /// one at a time: the caller decides what to keep.
    public func forEachFile(
        slug: String, version: String, _ body: (FileRecord) throws(PhysioError) -> Void
    ) throws(PhysioError) {
        try withConnection { database throws(PhysioError) in
            let query = try database.prepare("""
                SELECT \(Self.fileColumns) FROM files WHERE dataset_id = (SELECT id FROM datasets WHERE slug = ?1 AND version = ?2)
                ORDER BY path
                """)
            query.bind(1, slug)
            query.bind(2, version)
            while try query.step() { try body(try Self.record(from: query)) }
        }
    }

    /// What a plan needs of a file row: its verdict and the stat facts, not its validators or dates.
    public struct KnownFile: Sendable {
        public var sha256: SHA256Digest?
        public var state: FileRecord.State
        public var size: Int64?
        public var identity: FileIdentity?
    }

    /// Calls `body` with every file row of a dataset in path order, lean: the path as SQLite's own bytes
    /// (valid only during the call) and only the columns a plan reads. A no-op refresh of 400,000 files
    /// walks every row, and building a `DatasetPath` and a full record for each cost more than the rest
    /// of that walk together.
    /// `after`/`through`: only the rows after the one path and up to the other (a window of a long list).
    public func forEachKnownFile(
        slug: String, version: String, after lower: DatasetPath? = nil, through upper: DatasetPath? = nil,
        _ body: (UnsafeRawBufferPointer, KnownFile) throws(PhysioError) -> Void
    ) throws(PhysioError) {
        try withConnection { database throws(PhysioError) in
            // Bounds only where given, so SQLite walks just the window's part of the (dataset, path) key.
            let bounds = (lower == nil ? "" : " AND path > ?3") + (upper == nil ? "" : " AND path <= ?4")
            let query = try database.prepare("""
                SELECT path, sha256, state, size, stat_size, stat_mtime_ns, stat_inode FROM files
                WHERE dataset_id = (SELECT id FROM datasets WHERE slug = ?1 AND version = ?2)\(bounds) ORDER BY path
                """)
            query.bind(1, slug)
            query.bind(2, version)
            if let lower { query.bind(3, lower.value) }
            if let upper { query.bind(4, upper.value) }
            while try query.step() {
                let known = try Self.known(from: query)
                try query.withBlob(0) { path throws(PhysioError) in try body(path, known) }
            }
        }
    }

    /// Up to `limit` lean rows after `path` (from the first when `nil`), in path order: what `verify`
    /// checks, a page at a time, without the validators and dates it does not read.
    public func knownFiles(slug: String, version: String, after path: DatasetPath?, limit: Int) throws(PhysioError)
        -> [(path: DatasetPath, file: KnownFile)]
    {
        try withConnection { database throws(PhysioError) -> [(path: DatasetPath, file: KnownFile)] in
            let query = try database.prepare("""
                SELECT path, sha256, state, size, stat_size, stat_mtime_ns, stat_inode FROM files
                WHERE dataset_id = (SELECT id FROM datasets WHERE slug = ?1 AND version = ?2) AND path > ?3
                ORDER BY path LIMIT ?4
                """)
            query.bind(1, slug)
            query.bind(2, version)
            query.bind(3, path?.value ?? "")
            query.bind(4, Int64(limit))
            var page: [(path: DatasetPath, file: KnownFile)] = []
            page.reserveCapacity(limit)
            while try query.step() {
                guard let text = query.string(0), let path = try? DatasetPath(validating: text) else {
                    throw .inventory(path: database.path, detail: "a file row holds an unsafe path")
                }
                page.append((path, try Self.known(from: query)))
            }
            return page
        }
    }

    /// Records that files were found intact again with new stat facts (`verify --full` after a copy or a
    /// restore), leaving the rest of their rows as they are.
    public func updateIdentities(
        slug: String, version: String, _ updates: [(path: DatasetPath, identity: FileIdentity)], at time: Date
    ) throws(PhysioError) {
        try withConnection { database throws(PhysioError) in
            try database.transaction { () throws(PhysioError) in
                let update = try database.prepare("""
                    UPDATE files SET stat_size = ?3, stat_mtime_ns = ?4, stat_inode = ?5, verified_at = ?6
                    WHERE dataset_id = (SELECT id FROM datasets WHERE slug = ?1 AND version = ?2) AND path = ?7
                    """)
                for (path, identity) in updates {
                    update.bind(1, slug)
                    update.bind(2, version)
                    update.bind(3, identity.size)
                    update.bind(4, identity.modifiedNanoseconds)
                    update.bind(5, Int64(bitPattern: identity.inode))
                    update.bind(6, ISODate.format(time))
                    update.bind(7, path.value)
                    try update.run()
                }
            }
        }
    }

    /// Columns 1 to 6 of a lean row: sha256, state, size, stat_size, stat_mtime_ns, stat_inode.
    private static func known(from query: SQLiteStatement) throws(PhysioError) -> KnownFile {
        guard let state = query.withBlob(2, { FileRecord.State(utf8: $0) }) ?? nil else {
            throw .inventory(path: "files", detail: "a file row holds an unknown state")
        }
        var identity: FileIdentity?
        if let size = query.optionalInt64(4), let modified = query.optionalInt64(5), let inode = query.optionalInt64(6) {
            identity = FileIdentity(size: size, modifiedNanoseconds: modified, inode: UInt64(bitPattern: inode))
        }
        return KnownFile(
            sha256: query.withBlob(1) { SHA256Digest(raw: $0) } ?? nil, state: state, size: query.optionalInt64(3),
            identity: identity)
    }

    private static func record(from row: SQLiteStatement) throws(PhysioError) -> FileRecord {
        // Rows were written by physio from checked paths; a row that fails the check was edited by hand.
        guard let text = row.string(0), let path = try? DatasetPath(validating: text),
            let state = row.string(3).flatMap(FileRecord.State.init(rawValue:))
        else { throw .inventory(path: "files", detail: "a file row holds an unsafe path or an unknown state") }
        var identity: FileIdentity?
        if let size = row.optionalInt64(8), let modified = row.optionalInt64(9), let inode = row.optionalInt64(10) {
            identity = FileIdentity(size: size, modifiedNanoseconds: modified, inode: UInt64(bitPattern: inode))
        }
        return FileRecord(
            path: path, size: row.optionalInt64(1), sha256: row.withBlob(2) { SHA256Digest(raw: $0) } ?? nil, state: state,
            reason: row.string(4), verifiedAt: row.string(5).flatMap(ISODate.parse), etag: row.string(6),
            lastModified: row.string(7), identity: identity, source: row.string(11))
    }

    /// A dataset's provenance and all its rows, in the export shape. For small datasets and tests; a large
    /// one is read with `forEachFile`.
    public func manifest(slug: String, version: String) throws(PhysioError) -> DatasetManifest? {
        guard let provenance = try provenance(slug: slug, version: version) else { return nil }
        var files: [FileRecord] = []
        try forEachFile(slug: slug, version: version) { files.append($0) }
        return DatasetManifest(provenance, files: files)
    }

    /// Counts and bytes of one dataset's files, computed by SQLite (no row leaves it).
    public struct Summary: Sendable, Equatable {
        public var files = 0
        public var bytes: Int64 = 0
        public var verified = 0
        public var unverifiable = 0
        public var failed = 0
    }

    public func summary(slug: String, version: String) throws(PhysioError) -> Summary {
        try withConnection { database throws(PhysioError) -> Summary in
            let query = try database.prepare("""
                SELECT count(*), coalesce(sum(CASE WHEN state != 'failed' THEN size END), 0),
                    count(CASE WHEN state = 'verified' THEN 1 END), count(CASE WHEN state = 'unverifiable' THEN 1 END),
                    count(CASE WHEN state = 'failed' THEN 1 END)
                FROM files WHERE dataset_id = (SELECT id FROM datasets WHERE slug = ?1 AND version = ?2)
                """)
            query.bind(1, slug)
            query.bind(2, version)
            guard try query.step() else { return Summary() }
            return Summary(
                files: Int(query.int64(0)), bytes: query.int64(1), verified: Int(query.int64(2)),
                unverifiable: Int(query.int64(3)), failed: Int(query.int64(4)))
        }
    }

    // MARK: Shards

    /// Copies a shard's part (another inventory file) into this one for `slug`@`version`: its file rows
    /// replace the rows of the same paths, and its provenance replaces this one's when newer. Returns the
    /// number of file rows copied.
    public func merge(part: URL, slug: String, version: String) throws(PhysioError) -> Int {
        try withConnection { database throws(PhysioError) -> Int in
            let attach = try database.prepare("ATTACH DATABASE ?1 AS part")
            attach.bind(1, part.path)
            try attach.run()
            defer { try? database.execute("DETACH DATABASE part") }
            return try database.transaction { () throws(PhysioError) -> Int in
                let provenance = try database.prepare("""
                    INSERT INTO main.datasets (\(Self.provenanceColumns))
                    SELECT \(Self.provenanceColumns) FROM part.datasets WHERE slug = ?1 AND version = ?2
                    \(Self.replacingProvenance) WHERE excluded.fetched_at >= main.datasets.fetched_at
                    """)
                provenance.bind(1, slug)
                provenance.bind(2, version)
                try provenance.run()
                let files = try database.prepare("""
                    INSERT OR REPLACE INTO main.files (dataset_id, \(Self.fileColumns))
                    SELECT (SELECT id FROM main.datasets WHERE slug = ?1 AND version = ?2), \(Self.fileColumns)
                    FROM part.files WHERE dataset_id = (SELECT id FROM part.datasets WHERE slug = ?1 AND version = ?2)
                    """)
                files.bind(1, slug)
                files.bind(2, version)
                try files.run()
                return database.changes
            }
        }
    }
}
