import FoundationEssentials
import Glibc

/// HTTP dates (`Thu, 01 Jan 1970 00:00:00 GMT`, also the older `01-Jan-1970` cookie form), always UTC.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    public static func parse(_ text: String) -> Date? {
        let tokens = text.split { !$0.isLetter && !$0.isNumber && $0 != ":" }.map(String.init)
        var day: Int?, month: Int?, year: Int?, time: [Int]?
        for token in tokens {
            if token.contains(":") {
                let pieces = token.split(separator: ":").compactMap { Int($0) }
                if pieces.count == 3 { time = pieces }
            } else if let index = months.firstIndex(of: String(token.prefix(3)).lowercased()), token.count >= 3,
                token.first?.isLetter == true
            {
                month = index + 1
            } else if token.count <= 4, let number = Int(token) {
                if token.count == 4 { year = number } else if day == nil { day = number } else if year == nil {
                    year = number < 70 ? 2000 + number : 1900 + number
                }
            }
        }
        guard let day, let month, let year, let time else { return nil }
        guard (1601...9999).contains(year), (1...31).contains(day), (0...23).contains(time[0]), (0...59).contains(time[1]), (0...60).contains(time[2])
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(time[0])
        parts.tm_min = Int32(time[1])
        parts.tm_sec = Int32(time[2])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
