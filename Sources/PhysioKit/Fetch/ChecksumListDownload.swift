import FoundationEssentials

/// Reads a large SHA256SUMS.txt over several connections. PhysioNet throttles each connection (users measure
/// 25-50 KB/s), and the list of a dataset of 800,000 files is about 80 MB: half an hour on one connection
/// before the first data byte. Measured here with nginx at 256 KiB/s a connection: the 1.9 MB list of 20,000
/// files took 7.5 s on one connection, most of a mirror fetch that then moved the data in under 2 s.
///
/// The first request asks for the first 64 KiB (with the usual conditions, so an unchanged list still costs
/// one 304); when the answer says the list is longer, the rest comes in ranges on up to `connections`
/// connections at once, each with `If-Range`, so a list replaced meanwhile is read again whole rather than spliced.
/// The first part is small because it travels alone: a first part of 1 MiB took 3 of the 5 s the same mirror
/// fetch spent on its list (Benchmarks/mirror.sh). A server without ranges (the development server) just
/// answers 200 with everything.
///
/// A list longer than `spoolAbove` read in ranges goes into a spool file in `spoolDirectory`, each
/// part written in its place as it arrives, so the run never holds it; parts are at most `largestPart`.
/// A list answered whole (a server without ranges, one connection) is held in memory.
enum ChecksumListDownload {
    static let firstPart = 64 << 10
    /// Ranges smaller than this are not worth a connection of their own.
    static let smallestPart = 256 << 10
    /// Parts in flight are held until written: at most `connections` of these.
    static let largestPart = 2 << 20

    /// The final response's head and its body: the list when the status is 200.
    static func get(
        _ url: URL, conditions: HTTPHeaders, client: SiteClient, connections: Int, bodyLimit: Int, spoolDirectory: String,
        spoolAbove: Int = ListBytes.inMemoryLimit
    ) async throws -> (HTTPResponseHead, ListBytes) {
        func whole(_ headers: HTTPHeaders) async throws -> (HTTPResponseHead, ListBytes) {
            let response = try await client.get(url, headers: headers, bodyLimit: bodyLimit)
            return (response.head, ListBytes(response.body))
        }
        guard connections > 1 else { return try await whole(conditions) }
        var headers = conditions
        headers.set("Range", "bytes=0-\(firstPart - 1)")
        let first = try await client.get(url, headers: headers, bodyLimit: bodyLimit)
        // An empty list cannot satisfy a range: ask for it plainly.
        if first.status == 416 { return try await whole(conditions) }
        guard first.status == 206 else { return (first.head, ListBytes(first.body)) }
        guard let range = first.headers["Content-Range"].flatMap(ContentRange.init), range.first == 0,
            let total = range.total, Int64(first.body.count) == (range.last ?? -1) + 1, total <= Int64(bodyLimit)
        else { return try await whole(conditions) }
        var head = first.head
        head.status = 200
        head.headers.remove("Content-Range")
        head.headers.set("Content-Length", String(total))
        guard total > Int64(first.body.count) else { return (head, ListBytes(first.body)) }

        // Without a validator the parts could not be tied to the same list: read it whole instead.
        guard let validator = first.headers["ETag"] ?? first.headers["Last-Modified"] else {
            return try await whole(conditions)
        }
        let start = Int64(first.body.count)
        let remaining = total - start
        // Parts of about a quarter of a connection's share (at most `largestPart`), at most `connections` in
        // flight, each written into its place as it arrives: the run holds a few parts, never the list.
        let partSize = min(
            Int64(largestPart),
            max(Int64(smallestPart), (remaining + Int64(4 * connections) - 1) / Int64(4 * connections)))
        let parts = Int((remaining + partSize - 1) / partSize)
        let assembled = total > Int64(spoolAbove)
            ? try await BlockingIO.run { () throws in try ListBytes.spool(count: Int(total), in: spoolDirectory) }
            : nil
        var inMemory = assembled == nil ? [UInt8](repeating: 0, count: Int(total)) : []
        func place(_ bytes: [UInt8], at offset: Int) async throws {
            if let assembled {
                try await BlockingIO.run { () throws in try assembled.write(bytes, at: offset) }
            } else {
                inMemory.replaceSubrange(offset..<offset + bytes.count, with: bytes)
            }
        }
        try await place(first.body, at: 0)
        let complete = try await withThrowingTaskGroup(of: (Int64, [UInt8]?).self) { group in
            var next = 0
            func startNext() {
                guard next < parts else { return }
                let from = start + Int64(next) * partSize
                let to = min(total, from + partSize) - 1
                next += 1
                group.addTask {
                    let headers: HTTPHeaders = ["Range": "bytes=\(from)-\(to)", "If-Range": validator]
                    let response = try await client.get(url, headers: headers, bodyLimit: bodyLimit)
                    guard response.status == 206, Int64(response.body.count) == to - from + 1,
                        response.headers["Content-Range"].flatMap(ContentRange.init)?.first == from
                    else { return (from, nil) }
                    return (from, response.body)
                }
            }
            for _ in 0..<min(connections, parts) { startNext() }
            for try await (from, bytes) in group {
                // Not the asked-for slice of the same list: it changed meanwhile.
                guard let bytes else {
                    group.cancelAll()
                    return false
                }
                try await place(bytes, at: Int(from))
                startNext()
            }
            return true
        }
        // A part that is not the asked-for slice of the same list: it changed meanwhile, so read it whole.
        guard complete else { return try await whole(HTTPHeaders()) }
        return (head, assembled ?? ListBytes(inMemory))
    }
}
