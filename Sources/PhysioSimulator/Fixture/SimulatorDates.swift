import Foundation

/// Date parsing and the formats PhysioNet's pages and nginx print.
enum SimulatorDates {
    /// Accepts `YYYY-MM-DD` (midnight UTC) or a full ISO 8601 date-time.
    static func parse(_ text: String) -> Date? {
        if text.count == 10 {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            var components = DateComponents()
            components.year = parts[0]
            components.month = parts[1]
            components.day = parts[2]
            components.hour = 12
            return utcCalendar.date(from: components)
        }
        return try? Date(text, strategy: .iso8601)
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// US Eastern without DST rules: the pages only need a stable, plausible rendering.
    static let easternCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600)!
        return calendar
    }()

    private static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// Django's `N` (Associated Press month abbreviations).
    private static let apMonths = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// RFC 9110 IMF-fixdate, as in `Last-Modified`.
    static func httpDate(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return "\(weekdays[c.weekday! - 1]), \(pad(c.day!)) \(shortMonths[c.month! - 1]) \(c.year!) "
            + "\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!)) GMT"
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let month = shortMonths.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return utcCalendar.date(from: DateComponents(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2]))
    }

    /// nginx autoindex: `31-Jan-2023 15:20` (UTC).
    static func autoindexDate(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(pad(c.day!))-\(shortMonths[c.month! - 1])-\(c.year!) \(pad(c.hour!)):\(pad(c.minute!))"
    }

    /// `2023-01-31`, the project page's file-table and header format.
    static func isoDay(_ date: Date) -> String {
        let c = easternCalendar.dateComponents([.year, .month, .day], from: date)
        return "\(c.year!)-\(pad(c.month!))-\(pad(c.day!))"
    }

    /// Django `N j, Y`: `Jan. 31, 2023`.
    static func longDay(_ date: Date) -> String {
        let c = easternCalendar.dateComponents([.year, .month, .day], from: date)
        return "\(apMonths[c.month! - 1]) \(c.day!), \(c.year!)"
    }

    /// Django `N j, Y, P`: `Jan. 5, 2021, 3:45 p.m.` (US Eastern).
    static func longDateTime(_ date: Date) -> String {
        let c = easternCalendar.dateComponents([.hour, .minute], from: date)
        let hour = c.hour!, minute = c.minute!
        let time: String
        if hour == 0 && minute == 0 {
            time = "midnight"
        } else if hour == 12 && minute == 0 {
            time = "noon"
        } else {
            let twelve = hour % 12 == 0 ? 12 : hour % 12
            let suffix = hour < 12 ? "a.m." : "p.m."
            time = minute == 0 ? "\(twelve) \(suffix)" : "\(twelve):\(pad(minute)) \(suffix)"
        }
        return "\(longDay(date)), \(time)"
    }

    /// The API's `publish_datetime`: ISO 8601 with microseconds and the Eastern offset.
    static func apiDateTime(_ date: Date) -> String {
        let c = easternCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = easternCalendar.timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return "\(c.year!)-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!)).000000"
            + "\(sign)\(pad(magnitude / 3600)):\(pad((magnitude % 3600) / 60))"
    }

    static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
