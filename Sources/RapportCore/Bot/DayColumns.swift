import Foundation

/// A data table whose rows hold one column per day of the week
/// (`hours_monday` ... `hours_sunday`: a shop's hours each day) lets replies
/// say a row's value for today and tomorrow, in the bot's time zone:
/// `{stores.today}`, `{stores.tomorrow}` ("What time does the York shop close
/// today?" at nine on a Friday evening is Friday's hours, not the week's).
/// A column for a date (`hours_2026_12_24`) says that day's, before the
/// weekday's: the Christmas hours. When today's value names two times ("open
/// 9:30am to 5:30pm", "09:00-18:00"), the clock says where in them it is, so
/// a reply can say "open now, until 5:30pm" rather than the day's hours at
/// eleven at night (`Now`).
public enum DayColumns {
    /// The columns, Monday first (ISO 8601 weekday 1 to 7).
    public static let names = ["hours_monday", "hours_tuesday", "hours_wednesday", "hours_thursday",
                               "hours_friday", "hours_saturday", "hours_sunday"]

    /// The placeholders a table with every day column adds: the day's values,
    /// and, when today's names its opening and closing times, those times
    /// (`opens`, `closes`) and one of `open_now`, `not_open_yet` and
    /// `closed_for_today`, which replies pick variants by
    /// (`when: {given: [stores.open_now]}`).
    public static let placeholders = ["today", "tomorrow", "opens", "closes"] + Now.allCases.map(\.rawValue)

    /// Where the clock is in today's hours.
    public enum Now: String, CaseIterable, Sendable {
        case notOpenYet = "not_open_yet"
        case openNow = "open_now"
        case closedForToday = "closed_for_today"
    }

    /// Today's opening and closing times, as written, and in minutes from midnight.
    public struct Hours: Equatable, Sendable {
        public var opens: String
        public var closes: String
        public var opensAt: Int
        public var closesAt: Int
    }

    /// The first two times a value names, when the second is later the same
    /// day: "open 9:30am to 5:30pm (late night)", "09:00-18:00". A time is
    /// an hour with am or pm ("9am", "5.30 pm") or one with minutes
    /// ("17:30"); "closed (Christmas Day)" names none.
    public static func hours(in value: String) -> Hours? {
        let scalars = Array(value.unicodeScalars)
        var times: [(text: String, minutes: Int)] = []
        var index = 0
        func digits(from start: Int) -> (Int, Int)? {
            var end = start
            while end < scalars.count, end - start < 2, CharacterSet.decimalDigits.contains(scalars[end]), scalars[end].isASCII { end += 1 }
            guard end > start else { return nil }
            return (Int(String(String.UnicodeScalarView(scalars[start..<end])))!, end)
        }
        while index < scalars.count, times.count < 2 {
            let before = index > 0 ? scalars[index - 1] : " "
            guard scalars[index].isASCII, CharacterSet.decimalDigits.contains(scalars[index]),
                  !CharacterSet.alphanumerics.contains(before), let (hour, afterHour) = digits(from: index) else {
                index += 1
                continue
            }
            var end = afterHour
            var minute: Int?
            if end + 2 < scalars.count, scalars[end] == ":" || scalars[end] == ".",
               let (read, afterMinute) = digits(from: end + 1), afterMinute == end + 3 {
                minute = read
                end = afterMinute
            }
            var meridiem = end
            while meridiem < scalars.count, scalars[meridiem] == " " { meridiem += 1 }
            let suffix = String(String.UnicodeScalarView(scalars[meridiem..<min(meridiem + 2, scalars.count)])).lowercased()
            let closed = meridiem + 2 >= scalars.count || !CharacterSet.letters.contains(scalars[meridiem + 2])
            var minutes: Int?
            if (suffix == "am" || suffix == "pm") && closed, (1...12).contains(hour), (minute ?? 0) < 60 {
                minutes = (hour % 12 + (suffix == "pm" ? 12 : 0)) * 60 + (minute ?? 0)
                end = meridiem + 2
            } else if let minute, hour < 24, minute < 60 {
                minutes = hour * 60 + minute
            }
            if let minutes {
                times.append((String(String.UnicodeScalarView(scalars[index..<end])), minutes))
            }
            index = end
        }
        guard times.count == 2, times[1].minutes > times[0].minutes else { return nil }
        return Hours(opens: times[0].text, closes: times[1].text, opensAt: times[0].minutes, closesAt: times[1].minutes)
    }

    /// Whether a table's columns hold a column for every day.
    public static func cover(_ columns: [String]) -> Bool {
        names.allSatisfy(columns.contains)
    }

    /// The column for a bank holiday (`support_hours`' `closed_on` days), when the table has it.
    public static let bankHoliday = "hours_bank_holiday"

    /// The column for one date, which comes before the weekday's and a bank
    /// holiday's: `hours_2026_12_24` (Christmas Eve's hours).
    public static func column(for day: CalendarDay) -> String {
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "hours_\(day.year)_\(two(day.month))_\(two(day.day))"
    }

    /// `{table.today}` and `{table.tomorrow}` for a row with every day column; none otherwise.
    /// A bank holiday's is the `hours_bank_holiday` column's, if there is one.
    public static func values(
        of row: [String: String], table: String, at date: Date, in timeZone: TimeZone, bankHolidays: Set<CalendarDay> = []
    ) -> [String: String] {
        let today = CalendarDay(date, in: timeZone)
        func value(_ day: CalendarDay) -> String? {
            if let dated = row["\(table).\(column(for: day))"] { return dated }
            if bankHolidays.contains(day), let holiday = row["\(table).\(bankHoliday)"] { return holiday }
            return row["\(table).\(names[day.weekday - 1])"]
        }
        guard let now = value(today), let next = value(today.adding(days: 1)) else { return [:] }
        var values = ["\(table).today": now, "\(table).tomorrow": next]
        if let hours = hours(in: now) {
            let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
            let minute = Int((local - 86_400 * (local / 86_400).rounded(.down)) / 60)
            let moment: Now = minute < hours.opensAt ? .notOpenYet : minute < hours.closesAt ? .openNow : .closedForToday
            values["\(table).opens"] = hours.opens
            values["\(table).closes"] = hours.closes
            values["\(table).\(moment.rawValue)"] = moment == .notOpenYet ? hours.opens : hours.closes
        }
        return values
    }
}
