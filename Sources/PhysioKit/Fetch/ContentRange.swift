import FoundationEssentials

/// `Content-Range: bytes <first>-<last>/<total>` or `bytes */<total>` (on 416).
struct ContentRange: Equatable, Sendable {
    var first: Int64?
    var last: Int64?
    var total: Int64?

    init?(_ header: String) {
        let trimmed = header.trimmingASCIISpace
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst(6).trimmingASCIISpace
        let halves = spec.split(separator: "/", maxSplits: 1)
        guard halves.count == 2 else { return nil }
        total = halves[1] == "*" ? nil : Int64(halves[1])
        if halves[0] == "*" {
            first = nil
            last = nil
        } else {
            let bounds = halves[0].split(separator: "-", maxSplits: 1)
            guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last else {
                return nil
            }
            self.first = first
            self.last = last
        }
    }
}
