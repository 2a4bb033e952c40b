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

    /// The opening and closing times a value names: exactly two times, the
    /// second later the same day, with only a short word or a dash between
    /// them ("open 9:30am to 5:30pm (late night)", "09:00-18:00"). A time is
    /// an hour with am or pm ("9am", "5.30 pm", "8:30 a.m.") or one with a
    /// colon and minutes ("17:30"). Nil for anything else: "closed
    /// (Christmas Day)", "open 10am to 1pm, 2pm to 5pm" (more than one
    /// stretch), "open from 10am", "9 to 5".
    public static func hours(in value: String) -> Hours? {
        let scalars = Array(value.unicodeScalars)
        func isDigit(_ index: Int) -> Bool { index < scalars.count && scalars[index].isASCII && CharacterSet.decimalDigits.contains(scalars[index]) }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(scalars[$1].value) - 48 } }
        /// "am" or "pm" (also "a.m.") from `index`, ending the word: its end, and whether it is pm.
        func meridiem(at index: Int) -> (end: Int, pm: Bool)? {
            var letters = "", end = index
            while end < scalars.count, letters.count < 2, CharacterSet.letters.contains(scalars[end]) || scalars[end] == "." && !letters.isEmpty {
                if scalars[end] != "." { letters.unicodeScalars.append(scalars[end]) }
                end += 1
            }
            if end < scalars.count, scalars[end] == "." { end += 1 }
            guard end >= scalars.count || !CharacterSet.letters.contains(scalars[end]) else { return nil }
            switch letters.lowercased() {
            case meridiems.am: return (end, false)
            case meridiems.pm: return (end, true)
            default: return nil
            }
        }
        var times: [(start: Int, end: Int, minutes: Int)] = []
        var index = 0
        while index < scalars.count {
            guard isDigit(index), index == 0 || !CharacterSet.alphanumerics.contains(scalars[index - 1]) && scalars[index - 1] != "." else {
                index += 1
                continue
            }
            var end = index
            while isDigit(end) { end += 1 }
            let hour = number(index..<end)
            guard end - index <= 2 else { index = end; continue }
            var minute: Int?, colon = false
            if end + 2 < scalars.count, scalars[end] == ":" || scalars[end] == ".", isDigit(end + 1), isDigit(end + 2), !isDigit(end + 3) {
                minute = number((end + 1)..<(end + 3))
                colon = scalars[end] == ":"
                end += 3
            }
            var after = end
            while after < scalars.count, scalars[after] == " " || scalars[after] == "\u{00A0}" || scalars[after] == "\u{202F}" { after += 1 }
            if let (meridiemEnd, pm) = meridiem(at: after), (1...12).contains(hour), (minute ?? 0) < 60 {
                times.append((index, meridiemEnd, (hour % 12 + (pm ? 12 : 0)) * 60 + (minute ?? 0)))
                end = meridiemEnd
            } else if let minute, colon, hour < 24, minute < 60, end >= scalars.count || !CharacterSet.letters.contains(scalars[end]) {
                times.append((index, end, hour * 60 + minute))
            }
            index = end
        }
        guard times.count == 2, times[1].minutes > times[0].minutes else { return nil }
        // Between them, a short word or a dash ("to", "-", "bis", "à"): not a list of hours.
        let between = String(String.UnicodeScalarView(scalars[times[0].end..<times[1].start])).trimmingCharacters(in: .whitespaces)
        guard between.count <= 3, !between.contains(where: { $0.isNumber || $0 == "," || $0 == ";" }) else { return nil }
        func text(_ time: (start: Int, end: Int, minutes: Int)) -> String {
            String(String.UnicodeScalarView(scalars[time.start..<time.end]))
        }
        return Hours(opens: text(times[0]), closes: text(times[1]), opensAt: times[0].minutes, closesAt: times[1].minutes)
    }

    /// The words after an hour that say morning or afternoon (English, as
    /// the bundled data tables write their hours).
    static let meridiems = (am: "am", pm: "pm")

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
