import FoundationEssentials

/// How old an entry of `.physio/removed/` must be for `physio prune` to remove it: a whole number of days
/// or hours, written `30d` or `12h`.
///
/// An entry is dated by its day folder only, so its age is certain only from the end of that day (UTC):
/// an entry is older than the age when its day ended longer ago than that, and with `0d` every entry is,
/// today's included. Nothing younger than the age is ever removed, whatever time of day its files came.
public struct PruneAge: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Int64
    /// As written: `30d`.
    public let description: String

    public static let `default` = PruneAge("30d")!

    /// `nil` for anything but digits followed by `d` or `h`, or an age over 100 years.
    public init?(_ text: String) {
        guard let unit = text.last, unit == "d" || unit == "h" else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int64(digits)
        else { return nil }
        let seconds = count * (unit == "d" ? 86_400 : 3_600)
        guard seconds <= 100 * 366 * 86_400 else { return nil }
        self.seconds = seconds
        description = text
    }

    /// Whether the entries of the day folder `day` (`YYYY-MM-DD`) are older than this at `now`; `false` for
    /// a name that is not a day.
    func covers(day: String, now: Date) -> Bool {
        guard let start = RemovedArea.date(ofDay: day) else { return false }
        if seconds == 0 { return start <= now }
        return now.timeIntervalSince(start) - 86_400 > Double(seconds)
    }
}
