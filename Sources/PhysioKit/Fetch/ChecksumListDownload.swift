import FoundationEssentials

/// Reads a large SHA256SUMS.txt over several connections. PhysioNet throttles each connection (users measure
/// 25-50 KB/s), and the list of a dataset of 800,000 files is about 80 MB: half an hour on one connection
/// before the first data byte. Measured here with nginx at 256 KiB/s a connection: the 1.9 MB list of 20,000
/// files took 7.5 s on one connection, most of a mirror fetch that then moved the data in under 2 s.
///
/// The first request asks for the first 64 KiB (with the usual conditions, so an unchanged list still costs
/// one 304); when the answer says the list is longer, the rest comes in ranges on up to `connections`
/// connections, each with `If-Range`, so a list replaced meanwhile is read again whole rather than spliced.
/// The first part is small because it travels alone: at first it was 1 MiB, and that MiB took 3 of the 5 s
/// the same mirror fetch spent on its list (Benchmarks/mirror.sh, session 6). A server without ranges (the
/// development server) just answers 200 with everything.
enum ChecksumListDownload {
    static let firstPart = 64 << 10
    /// Ranges smaller than this are not worth a connection of their own.
    static let smallestPart = 256 << 10

    static func get(_ url: URL, conditions: HTTPHeaders, client: SiteClient, connections: Int, bodyLimit: Int) async throws -> HTTPResponse {
        guard connections > 1 else { return try await client.get(url, headers: conditions, bodyLimit: bodyLimit) }
        var headers = conditions
        headers.set("Range", "bytes=0-\(firstPart - 1)")
        let first = try await client.get(url, headers: headers, bodyLimit: bodyLimit)
        // An empty list cannot satisfy a range: ask for it plainly.
        if first.status == 416 { return try await client.get(url, headers: conditions, bodyLimit: bodyLimit) }
        guard first.status == 206 else { return first }
        guard let range = first.headers["Content-Range"].flatMap(ContentRange.init), range.first == 0,
            let total = range.total, Int64(first.body.count) == (range.last ?? -1) + 1, total <= Int64(bodyLimit)
        else { return try await client.get(url, headers: conditions, bodyLimit: bodyLimit) }
        var whole = first
        whole.head.status = 200
        whole.head.headers.remove("Content-Range")
        guard total > Int64(first.body.count) else { return whole }

        // Without a validator the parts could not be tied to the same list: read it whole instead.
        guard let validator = first.headers["ETag"] ?? first.headers["Last-Modified"] else {
            return try await client.get(url, headers: conditions, bodyLimit: bodyLimit)
        }
        let start = Int64(first.body.count)
        let remaining = total - start
        let parts = Int(max(1, min(Int64(connections), (remaining + Int64(smallestPart) - 1) / Int64(smallestPart))))
        let size = (remaining + Int64(parts) - 1) / Int64(parts)
        let pieces = try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for part in 0..<parts {
                let from = start + Int64(part) * size
                let to = min(total, from + size) - 1
                group.addTask {
                    let headers: HTTPHeaders = ["Range": "bytes=\(from)-\(to)", "If-Range": validator]
                    let response = try await client.get(url, headers: headers, bodyLimit: bodyLimit)
                    guard response.status == 206, Int64(response.body.count) == to - from + 1,
                        response.headers["Content-Range"].flatMap(ContentRange.init)?.first == from
                    else { return (part, nil) }
                    return (part, response.body)
                }
            }
            var pieces = [[UInt8]?](repeating: nil, count: parts)
            for try await (part, bytes) in group { pieces[part] = bytes }
            return pieces
        }
        // A part that is not the asked-for slice of the same list: it changed meanwhile, so read it whole.
        guard pieces.allSatisfy({ $0 != nil }) else {
            return try await client.get(url, headers: HTTPHeaders(), bodyLimit: bodyLimit)
        }
        whole.body.reserveCapacity(Int(total))
        for piece in pieces { whole.body += piece ?? [] }
        whole.head.headers.set("Content-Length", String(total))
        return whole
    }
}
