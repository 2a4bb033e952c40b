import Foundation

/// A data table whose rows hold one column per day of the week
/// (`hours_monday` ... `hours_sunday`: a shop's hours each day) lets replies
/// say a row's value for today and tomorrow, in the bot's time zone:
/// `{stores.today}`, `{stores.tomorrow}` ("What time does the York shop close
/// today?" at nine on a Friday evening is Friday's hours, not the week's).
/// A column for a date (`hours_2026_12_24`) says that day's, before the
/// weekday's: the Christmas hours.
public enum DayColumns {
    /// The columns, Monday first (ISO 8601 weekday 1 to 7).
    public static let names = ["hours_monday", "hours_tuesday", "hours_wednesday", "hours_thursday",
                               "hours_friday", "hours_saturday", "hours_sunday"]

    /// The placeholders a table with every day column adds.
    public static let placeholders = ["today", "tomorrow"]

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
        return ["\(table).today": now, "\(table).tomorrow": next]
    }
}
