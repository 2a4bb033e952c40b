import Foundation

/// A day on the calendar, with no time and no time zone: a due date, a day
/// the team is closed. Counted with plain arithmetic on the proleptic
/// Gregorian calendar, so no daylight-saving change can make a day 23 or 25
/// hours long.
public struct CalendarDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1 (January) to 12.
    public var month: Int
    /// 1 to 31.
    public var day: Int

    /// A real day (`2027-02-29` is not one), else nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let round = CalendarDay(daysSinceEpoch: Self.days(year: year, month: month, day: day))
        guard round.year == year, round.month == month, round.day == day else { return nil }
        self = round
    }

    /// `yyyy-MM-dd`, as the bot's data tables write dates; nil for anything else.
    public init?(iso text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day it is at `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        self.init(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    /// The day `days` after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shifted + 2) / 5 + 1
        month = shifted < 10 ? shifted + 3 : shifted - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int { Self.days(year: year, month: month, day: day) }

    /// 1 for Monday to 7 for Sunday (ISO 8601).
    public var weekday: Int {
        let monday0 = (daysSinceEpoch + 3) % 7 // 1970-01-01 was a Thursday
        return (monday0 < 0 ? monday0 + 7 : monday0) + 1
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + count) }

    /// Whole days from `self` to `other`: 1 when `other` is the next day.
    public func days(to other: CalendarDay) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Monday to Friday, and not one of `closedOn` (bank holidays).
    public func isWorkingDay(closedOn: Set<CalendarDay>) -> Bool { weekday <= 5 && !closedOn.contains(self) }

    /// The working day `count` working days after `self` (the next one, for 1), `closedOn` left out.
    public func adding(workingDays count: Int, closedOn: Set<CalendarDay>) -> CalendarDay {
        var day = self
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if day.isWorkingDay(closedOn: closedOn) { left -= 1 }
        }
        return day
    }

    public var description: String {
        let pad = { (n: Int, width: Int) in String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    /// Howard Hinnant's days_from_civil.
    private static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// The names of the days and months the bot says. `english` is the one
/// place these words are written in code; a bot in another language gives
/// its own under `calendar:` in bot.yaml.
public struct CalendarWords: Hashable, Sendable {
    /// Monday first: seven names.
    public var weekdays: [String]
    /// January first: twelve names.
    public var months: [String]

    /// `nil` unless there are exactly seven weekdays and twelve months.
    public init?(weekdays: [String], months: [String]) {
        guard weekdays.count == 7, months.count == 12 else { return nil }
        self.weekdays = weekdays
        self.months = months
    }

    public static let english = CalendarWords(
        weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    )!

    public func weekday(of day: CalendarDay) -> String { weekdays[day.weekday - 1] }
    public func month(of day: CalendarDay) -> String { months[day.month - 1] }
    /// "Friday 27 November": the day as replies say it.
    public func full(_ day: CalendarDay) -> String { "\(weekday(of: day)) \(day.day) \(month(of: day))" }

    /// The values a text about `day` may use: `{weekday}`, `{day}` (no
    /// leading zero), `{month}`, `{year}`.
    public func placeholders(for day: CalendarDay) -> [String: String] {
        ["weekday": weekday(of: day), "day": String(day.day), "month": month(of: day), "year": String(day.year)]
    }

    /// The placeholders `placeholders(for:)` fills.
    public static let dayPlaceholders: Set<String> = ["weekday", "day", "month", "year"]
}
