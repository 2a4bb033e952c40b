import Foundation
import Testing
@testable import RapportCore

/// A moment written as ISO 8601 with its offset ("2026-12-03T12:00:00Z").
func utc(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("not a moment: \(text)") }
    return date
}

private let london = TimeZone(identifier: "Europe/London")!
private let texts = DueDateTexts(
    settled: ["delivered", "cancelled", "returned"],
    dueToday: try! ResponseTemplate("due today"),
    dueTomorrow: try! ResponseTemplate("due tomorrow"),
    dueYesterday: try! ResponseTemplate("due yesterday"),
    late: try! ResponseTemplate("{days} days late"),
    dueOn: try! ResponseTemplate("due on {weekday} {day} {month}"))

private func words(_ due: String, status: String = "on its way", at now: String, in zone: TimeZone = london) -> String? {
    let date = utc(now)
    return OrderDue.assess(due: due, status: status, at: date, in: zone, settled: texts.settled)?
        .words(texts: texts, calendar: .english, at: date, in: zone)
}

@Suite("Calendar days")
struct CalendarDayTests {
    @Test("weekdays and day counts hold across month, year and leap-day ends", arguments: [
        ("2026-12-04", 5, "2026-12-05"), ("2026-12-31", 4, "2027-01-01"), ("2028-02-28", 1, "2028-02-29"),
        ("2027-02-28", 7, "2027-03-01"), ("1970-01-01", 4, "1970-01-02"), ("1969-12-31", 3, "1970-01-01"),
    ])
    func arithmetic(day: String, weekday: Int, next: String) throws {
        let parsed = try #require(CalendarDay(iso: day))
        #expect(parsed.weekday == weekday)
        #expect(parsed.adding(days: 1).description == next)
        #expect(parsed.days(to: try #require(CalendarDay(iso: next))) == 1)
    }

    @Test("only real days written yyyy-mm-dd are days", arguments: ["", "2027-02-29", "2026-13-01", "2026-4-01", "03/12/2026", "2026-12-03T10:00", " "])
    func notDays(text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }

    @Test("the day at a moment depends on the time zone")
    func dayInZone() {
        let date = utc("2026-07-04T23:30:00Z")
        #expect(CalendarDay(date, in: london).description == "2026-07-05") // 00:30 BST
        #expect(CalendarDay(date, in: TimeZone(identifier: "UTC")!).description == "2026-07-04")
        #expect(CalendarDay(date, in: TimeZone(identifier: "America/New_York")!).description == "2026-07-04")
    }
}

@Suite("Due dates: is an order late?")
struct DueDateTests {
    @Test("words for the due day, counted in London", arguments: [
        ("2026-12-02", "2026-12-03T12:00:00Z", "due yesterday"),
        ("2026-11-30", "2026-12-03T12:00:00Z", "3 days late"),
        ("2026-12-03", "2026-12-03T23:59:00Z", "due today"),
        ("2026-12-04", "2026-12-03T00:01:00Z", "due tomorrow"),
        ("2026-12-11", "2026-12-03T12:00:00Z", "due on Friday 11 December"),
        // Year and month ends, a leap year.
        ("2026-12-31", "2027-01-01T09:00:00Z", "due yesterday"),
        ("2026-12-30", "2027-01-01T09:00:00Z", "2 days late"),
        ("2027-01-02", "2026-12-31T09:00:00Z", "due on Saturday 2 January"),
        ("2027-02-27", "2027-03-01T09:00:00Z", "2 days late"),
        ("2028-02-28", "2028-03-01T09:00:00Z", "2 days late"),
        // The night the clocks go forward, and back.
        ("2026-03-27", "2026-03-29T00:30:00Z", "2 days late"),
        ("2026-10-25", "2026-10-25T23:30:00Z", "due today"),
    ])
    func wording(due: String, now: String, expected: String) {
        #expect(words(due, at: now) == expected)
    }

    @Test("late or not, and by how many days")
    func lateness() throws {
        let now = utc("2026-12-03T12:00:00Z")
        let late = try #require(OrderDue.assess(due: "2026-11-30", status: "delayed", at: now, in: london, settled: texts.settled))
        #expect(late.isLate)
        #expect(late.daysLate == 3)
        #expect(late.standing == .late(days: 3))
        let today = try #require(OrderDue.assess(due: "2026-12-03", status: "on its way", at: now, in: london, settled: texts.settled))
        #expect(!today.isLate)
        #expect(today.daysLate == 0)
        #expect(OrderDue.assess(due: "2026-12-10", status: "packed", at: now, in: london, settled: [])?.standing == .upcoming(days: 7))
    }

    @Test("just after midnight in London is the next day there, whatever UTC says")
    func timeZones() {
        // 00:30 BST on 5 July is 23:30 UTC on 4 July.
        #expect(words("2026-07-04", at: "2026-07-04T23:30:00Z") == "due yesterday")
        #expect(words("2026-07-04", at: "2026-07-04T23:30:00Z", in: TimeZone(identifier: "UTC")!) == "due today")
        // 03:00 UTC on 3 December is still 2 December in New York.
        #expect(words("2026-12-02", at: "2026-12-03T03:00:00Z", in: TimeZone(identifier: "America/New_York")!) == "due today")
        #expect(words("2026-12-02", at: "2026-12-03T03:00:00Z") == "due yesterday")
    }

    @Test("a settled order is never late, whatever its due day", arguments: ["delivered", "Delivered", " cancelled ", "returned"])
    func settled(status: String) throws {
        let now = utc("2026-12-03T12:00:00Z")
        let due = try #require(OrderDue.assess(due: "2026-11-01", status: status, at: now, in: london, settled: texts.settled))
        #expect(due.standing == .settled)
        #expect(!due.isLate)
        #expect(due.placeholders(texts: texts, calendar: .english, at: now, in: london)
            == ["days_late": "0", "due_date": "2026-11-01", "due_words": "due on Sunday 1 November"])
    }

    @Test("no due day, or one that is not yyyy-mm-dd: nothing to be late against", arguments: ["", "  ", "soon", "3/12/2026", "2026-02-30"])
    func noDueDay(due: String) {
        #expect(OrderDue.assess(due: due, status: "on its way", at: utc("2026-12-03T12:00:00Z"), in: london, settled: []) == nil)
    }

    @Test("the reply's values")
    func placeholders() throws {
        let now = utc("2026-12-03T12:00:00Z")
        let due = try #require(OrderDue.assess(due: "2026-11-30", status: "delayed", at: now, in: london, settled: texts.settled))
        #expect(due.placeholders(texts: texts, calendar: .english, at: now, in: london)
            == ["days_late": "3", "due_date": "2026-11-30", "due_words": "3 days late"])
    }

    @Test("another language needs only other texts and calendar words")
    func otherLanguage() throws {
        let french = DueDateTexts(
            settled: ["livrée"], dueToday: try ResponseTemplate("prévue aujourd'hui"), dueTomorrow: try ResponseTemplate("prévue demain"),
            dueYesterday: try ResponseTemplate("prévue hier"), late: try ResponseTemplate("en retard de {days} jours"),
            dueOn: try ResponseTemplate("prévue le {weekday} {day} {month}"))
        let calendar = try #require(CalendarWords(
            weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
            months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]))
        let now = utc("2026-12-03T12:00:00Z")
        let due = try #require(OrderDue.assess(due: "2026-12-11", status: "en route", at: now, in: london, settled: french.settled))
        #expect(due.words(texts: french, calendar: calendar, at: now, in: london) == "prévue le vendredi 11 décembre")
        #expect(OrderDue.assess(due: "2026-11-11", status: "Livrée", at: now, in: london, settled: french.settled)?.standing == .settled)
    }
}

@Suite("Refund days: should a refund be showing by now?")
struct RefundDayTests {
    /// A bot whose banks take up to 5 working days to show a refund, closed on `closedOn`.
    private func bot(within: Int? = 5, closedOn: Set<CalendarDay> = []) throws -> Bot {
        var refundTexts = texts
        refundTexts.refundShowsWithin = within
        let hours = try #require(SupportHours(timeZone: london, week: Array(repeating: [], count: 7), closedOn: closedOn))
        return Bot(name: "Test", welcome: [], fallback: [], farewell: [], intents: [], supportHours: hours, dueDateTexts: refundTexts)
    }

    @Test("overdue once the last working day a bank may take is over (refunded Friday 27 November)", arguments: [
        ("2026-11-27T15:00:00Z", "0", false),
        ("2026-12-04T12:00:00Z", "7", false), // the fifth working day: it may still show today
        ("2026-12-04T23:30:00Z", "7", false), // still the 4th in London
        ("2026-12-05T00:30:00Z", "8", true), // the fifth working day is over
        ("2026-12-07T09:00:00Z", "10", true),
        ("2026-12-28T09:00:00Z", "31", true),
    ])
    func overdue(now: String, days: String, overdue: Bool) throws {
        let values = try bot().refundPlaceholders(refunded: "2026-11-27", at: utc(now))
        #expect(values["refunded_on"] == "Friday 27 November")
        #expect(values["refunded_days"] == days)
        #expect((values["refund_overdue"] != nil) == overdue)
        if overdue { #expect(values["refund_overdue"] == days) }
    }

    @Test("a bank holiday is no working day")
    func bankHoliday() throws {
        let monday = try #require(CalendarDay(iso: "2026-11-30"))
        let values = try bot(closedOn: [monday]).refundPlaceholders(refunded: "2026-11-27", at: utc("2026-12-07T09:00:00Z"))
        #expect(values["refund_overdue"] == nil) // Monday 7 December is the fifth working day now
        #expect(values["refunded_days"] == "10")
        #expect(try bot(closedOn: [monday]).refundPlaceholders(refunded: "2026-11-27", at: utc("2026-12-08T09:00:00Z"))["refund_overdue"] == "11")
    }

    @Test("nothing without refund_shows_within, without a day, or for a day still to come")
    func nothing() throws {
        #expect(try bot(within: nil).refundPlaceholders(refunded: "2026-11-27", at: utc("2026-12-28T09:00:00Z")).isEmpty)
        #expect(try bot().refundPlaceholders(refunded: "", at: utc("2026-12-28T09:00:00Z")).isEmpty)
        #expect(try bot().refundPlaceholders(refunded: "2027-01-05", at: utc("2026-12-28T09:00:00Z")).isEmpty)
    }
}
