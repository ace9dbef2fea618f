import Foundation

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
            } else if let number = Int(token) {
                if token.count == 4 { year = number } else if day == nil { day = number } else if year == nil {
                    year = number < 70 ? 2000 + number : 1900 + number
                }
            }
        }
        guard let day, let month, let year, let time else { return nil }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = time[0]
        components.minute = time[1]
        components.second = time[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
