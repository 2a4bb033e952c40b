import Foundation
import Testing
@testable import RapportCore

@Suite("A table's column for each day: today's and tomorrow's")
struct DayColumnsTests {
    static let london = TimeZone(identifier: "Europe/London")!
    static let row: [String: String] = Dictionary(uniqueKeysWithValues: zip(
        DayColumns.names.map { "stores.\($0)" },
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    ))

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func todayAndTomorrowFollowTheClockInTheBotsTimeZone() {
        // Friday 4 December 2026, noon.
        #expect(DayColumns.values(of: Self.row, table: "stores", at: Self.date("2026-12-04T12:00:00Z"), in: Self.london)
            == ["stores.today": "fri", "stores.tomorrow": "sat"])
        // Sunday evening: tomorrow is Monday.
        #expect(DayColumns.values(of: Self.row, table: "stores", at: Self.date("2026-12-06T20:00:00Z"), in: Self.london)
            == ["stores.today": "sun", "stores.tomorrow": "mon"])
        // 23:30 on Friday in UTC is already Saturday in Tokyo.
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        #expect(DayColumns.values(of: Self.row, table: "stores", at: Self.date("2026-12-04T23:30:00Z"), in: tokyo)["stores.today"] == "sat")
    }

    @Test func aBankHolidayTakesItsOwnColumnWhenThereIsOne() {
        var row = Self.row
        let monday = Self.date("2026-12-28T10:00:00Z")
        let holiday: Set<CalendarDay> = [CalendarDay(monday, in: Self.london)]
        #expect(DayColumns.values(of: row, table: "stores", at: monday, in: Self.london, bankHolidays: holiday)["stores.today"] == "mon",
                "without the column, the weekday's")
        row["stores.\(DayColumns.bankHoliday)"] = "holiday"
        let values = DayColumns.values(of: row, table: "stores", at: monday, in: Self.london, bankHolidays: holiday)
        #expect(values == ["stores.today": "holiday", "stores.tomorrow": "tue"])
    }

    @Test func aDatesOwnColumnComesFirst() {
        var row = Self.row
        let christmasEve = Self.date("2026-12-24T10:00:00Z")
        row["stores.\(DayColumns.column(for: CalendarDay(christmasEve, in: Self.london)))"] = "until 4pm"
        row["stores.\(DayColumns.bankHoliday)"] = "holiday"
        #expect(DayColumns.column(for: CalendarDay(christmasEve, in: Self.london)) == "hours_2026_12_24")
        #expect(DayColumns.values(of: row, table: "stores", at: christmasEve, in: Self.london,
                                  bankHolidays: [CalendarDay(christmasEve, in: Self.london)])
            == ["stores.today": "until 4pm", "stores.tomorrow": "fri"])
    }

    @Test func aRowMissingTheDayGivesNothing() {
        var row = Self.row
        row["stores.hours_sunday"] = nil
        // Saturday: tomorrow, Sunday, has no value, so neither placeholder is given.
        #expect(DayColumns.values(of: row, table: "stores", at: Self.date("2026-12-05T12:00:00Z"), in: Self.london).isEmpty)
        // Only a table with every day's column offers them (BotLoader).
        #expect(!DayColumns.cover(["hours_monday", "hours_tuesday"]))
        #expect(DayColumns.cover(DayColumns.names + ["store"]))
    }
}
