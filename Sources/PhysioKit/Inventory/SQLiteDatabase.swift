import CSQLite

/// One SQLite connection and the handful of calls the inventory makes: statements prepared once and
/// reused, values bound by position, rows read by column. Not thread-safe on its own: `Inventory` owns
/// one behind a lock and uses it only from blocking-work threads.
final class SQLiteDatabase {
    let path: String
    private let handle: OpaquePointer

    /// Opens (creating when asked) the database at `path`. A busy database is waited on for up to a
    /// minute: another physio process on the same root holds the write lock only for short transactions.
    init(path: String, create: Bool = true) throws(PhysioError) {
        self.path = path
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let detail = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(opened)
            throw .inventory(path: path, detail: detail)
        }
        handle = opened
        sqlite3_busy_timeout(handle, 60_000)
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws(PhysioError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw failure(status) }
    }

    func prepare(_ sql: String) throws(PhysioError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status) }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs `body` in one write transaction (taken at once, so two writers queue on the busy timeout
    /// instead of failing halfway), committed when it returns and rolled back when it throws.
    func transaction<T>(_ body: () throws(PhysioError) -> T) throws(PhysioError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// `PRAGMA user_version`: the schema version the migrations have reached.
    var userVersion: Int {
        get throws(PhysioError) {
            let statement = try prepare("PRAGMA user_version")
            return try statement.step() ? Int(statement.int64(0)) : 0
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    func failure(_ status: Int32) -> PhysioError {
        if status & 0xFF == SQLITE_BUSY || status & 0xFF == SQLITE_LOCKED { return .inventoryBusy(path: path) }
        return .inventory(path: path, detail: String(cString: sqlite3_errmsg(handle)))
    }
}

/// A prepared statement. Binding positions start at 1 and columns at 0, as in SQLite's C API.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase

    /// SQLite copies bound text and blobs (`SQLITE_TRANSIENT`), so callers' buffers may go away at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit {
        sqlite3_finalize(statement)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(statement, index)
            return
        }
        _ = value.withCString { text in sqlite3_bind_text(statement, index, text, -1, Self.transient) }
    }

    /// A digest as its 32 bytes, without an array in between.
    func bind(_ index: Int32, digest: SHA256Digest?) {
        guard let digest else {
            sqlite3_bind_null(statement, index)
            return
        }
        digest.withRawBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    /// Advances to the next row: `true` while there is one, `false` when done.
    @discardableResult
    func step() throws(PhysioError) -> Bool {
        let status = sqlite3_step(statement)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        throw database.failure(status)
    }

    /// Clears the bindings and rewinds, ready for the next use.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// Runs a statement that returns no rows, then resets it.
    func run() throws(PhysioError) {
        defer { reset() }
        try step()
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column's bytes (text or blob), handed to `body` without a copy (valid only inside it); `nil`
    /// for NULL.
    func withBlob<T, E: Error>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T? {
        guard let bytes = sqlite3_column_blob(statement, column) else { return nil }
        return try body(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))))
    }
}
