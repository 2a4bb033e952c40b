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

@Suite("Where the clock is in today's hours")
struct DayColumnsNowTests {
    @Test func theTwoTimesAValueNames() {
        #expect(DayColumns.hours(in: "open 9:30am to 5:30pm") == DayColumns.Hours(opens: "9:30am", closes: "5:30pm", opensAt: 570, closesAt: 1050))
        #expect(DayColumns.hours(in: "open 11am to 4pm (bank holiday hours)")?.closesAt == 16 * 60)
        #expect(DayColumns.hours(in: "9 AM - 5.30 pm")?.opens == "9 AM")
        #expect(DayColumns.hours(in: "09:00-18:00") == DayColumns.Hours(opens: "09:00", closes: "18:00", opensAt: 540, closesAt: 1080))
        // Nothing to go by: closed all day, one time, a closing time before the opening, a bare number.
        #expect(DayColumns.hours(in: "closed (Christmas Day)") == nil)
        #expect(DayColumns.hours(in: "open from 10am") == nil)
        #expect(DayColumns.hours(in: "6pm to 9am") == nil)
        #expect(DayColumns.hours(in: "open 9 to 5") == nil, "hours with neither am/pm nor minutes are no times")
        #expect(DayColumns.hours(in: "open 9amazing to 5pm") == nil, "'am' must end the time")
        #expect(DayColumns.hours(in: "8:30 a.m. to 9:30 p.m.")?.closesAt == 21 * 60 + 30)
        #expect(DayColumns.hours(in: "12am to 12pm") == DayColumns.Hours(opens: "12am", closes: "12pm", opensAt: 0, closesAt: 720))
        // More than one stretch, or other numbers beside the hours: no way to tell, so nothing.
        #expect(DayColumns.hours(in: "open 10am to 1pm, 2pm to 5pm") == nil)
        #expect(DayColumns.hours(in: "open 9am to 12:30pm and 1:30pm to 5pm") == nil)
        #expect(DayColumns.hours(in: "parking £2.50, open 9am to 5pm")?.opens == "9am", "£2.50 is no time")
        #expect(DayColumns.hours(in: "open 9am, late night shopping till 8pm") == nil, "more than a word between")
    }

    @Test func beforeDuringAndAfterTheHoursInTheBotsTimeZone() {
        let london = DayColumnsTests.london
        var row = DayColumnsTests.row
        row["stores.hours_friday"] = "open 9am to 6pm"
        func now(_ time: String) -> [String: String] {
            DayColumns.values(of: row, table: "stores", at: DayColumnsTests.date("2026-12-04T\(time)Z"), in: london)
        }
        #expect(now("08:59:00")["stores.not_open_yet"] == "9am")
        #expect(now("09:00:00")["stores.open_now"] == "6pm")
        #expect(now("17:59:00")["stores.open_now"] == "6pm")
        #expect(now("18:00:00")["stores.closed_for_today"] == "6pm")
        #expect(now("12:00:00").keys.sorted() == ["stores.closes", "stores.open_now", "stores.opens", "stores.today", "stores.tomorrow"])
        // In summer, London is an hour ahead of UTC: 17:30 UTC is 18:30 there, after closing.
        row["stores.hours_monday"] = "open 9am to 6pm"
        let summer = DayColumns.values(of: row, table: "stores", at: DayColumnsTests.date("2026-07-06T17:30:00Z"), in: london)
        #expect(summer["stores.closed_for_today"] == "6pm")
        // A day closed all day names no times, so no moment is given.
        row["stores.hours_friday"] = "closed"
        #expect(now("12:00:00") == ["stores.today": "closed", "stores.tomorrow": "sat"])
    }
}
