/// The inventory's tables, and the migrations that bring an older database up to them. `PRAGMA
/// user_version` records how far a database has come; docs/inventory.md describes every column.
enum InventorySchema {
    /// Each step runs once, in order, in its own transaction. Append; never edit a released step.
    static let migrations: [String] = [
        """
        CREATE TABLE datasets (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL,
            version TEXT NOT NULL,
            base_url TEXT NOT NULL,
            layout TEXT NOT NULL,
            checksum_source TEXT NOT NULL,
            list_sha256 TEXT,
            list_validator TEXT,
            matches_pin INTEGER,
            trusted_server_over_pin INTEGER NOT NULL DEFAULT 0,
            fetched_at TEXT NOT NULL,
            physio_version TEXT NOT NULL,
            UNIQUE (slug, version)
        );
        CREATE TABLE files (
            dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            size INTEGER,
            sha256 BLOB,
            state TEXT NOT NULL CHECK (state IN ('verified', 'unverifiable', 'failed')),
            reason TEXT,
            verified_at TEXT,
            etag TEXT,
            last_modified TEXT,
            stat_size INTEGER,
            stat_mtime_ns INTEGER,
            stat_inode INTEGER,
            source TEXT,
            PRIMARY KEY (dataset_id, path)
        ) WITHOUT ROWID;
        """,
        // How to cite each dataset version (`physio cite`), read once from the project page and the API.
        """
        CREATE TABLE citations (
            slug TEXT NOT NULL,
            version TEXT NOT NULL,
            citation TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (slug, version)
        );
        """,
    ]

    static var latest: Int { migrations.count }

    /// Sets the connection up and migrates.
    ///
    /// The root's inventory uses WAL, so readers (`physio list`) never block the fetch that writes.
    /// `exclusive` is for a shard's part on a cluster's shared filesystem (NFS, Lustre), where WAL's
    /// shared-memory index is unsafe: one writer holds the file and keeps a rollback journal, and the part
    /// is a single self-contained file whenever the process is gone.
    /// `synchronous = NORMAL`: a commit may be lost in a crash, which only means those files are hashed
    /// again; a row never calls unsynced data verified, because the data is synced before its rows are
    /// written.
    /// `foreign_keys = OFF` (SQLite's default): physio deletes a dataset row only with its file rows
    /// (`Inventory.forget`, which deletes those first), and every file row it
    /// writes carries the id it has just read, so checking the parent of each row only cost time: about
    /// 8% of a checkpoint of 1,000 rows (`physio-bench inventory`).
    static func prepare(_ database: SQLiteDatabase, exclusive: Bool) throws(PhysioError) {
        if exclusive {
            try database.execute("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE")
        } else {
            // The WAL is folded into the database when the last connection closes, at the end of a run,
            // not by a commit that happens to pass 1,000 pages: that inline checkpoint fsyncs, and made a
            // checkpoint of 1,000 rows cost 20-35 ms instead of 2-3.
            try database.execute("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 65536")
        }
        try database.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF")
        let reached = try database.userVersion
        if reached > latest { throw .inventoryFromNewerPhysio(path: database.path, schema: reached) }
        for step in reached..<latest {
            try database.transaction { () throws(PhysioError) in
                // Another process opening the same new root may have run this step while we waited.
                guard try database.userVersion == step else { return }
                try database.execute(migrations[step])
                try database.execute("PRAGMA user_version = \(step + 1)")
            }
        }
    }
}
