import Foundation
import Testing
@testable import RapportCore

private func span(_ opens: String, _ closes: String) -> SupportHours.Span {
    func minutes(_ clock: String) -> Int {
        let parts = clock.split(separator: ":").compactMap { Int($0) }
        return parts[0] * 60 + parts[1]
    }
    return SupportHours.Span(opens: minutes(opens), closes: minutes(closes))!
}

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// Harbour & Pine's team: weekdays 9:00-17:30, Saturday 10:00-16:00, Sunday
/// closed, and closed on Christmas Day, Boxing Day and New Year's Day.
private let shop = SupportHours(
    timeZone: TimeZone(identifier: "Europe/London")!,
    week: Array(repeating: [span("9:00", "17:30")], count: 5) + [[span("10:00", "16:00")], []],
    closedOn: [day("2026-12-25"), day("2026-12-26"), day("2027-01-01")])!

private let texts = SupportTexts(
    now: try! ResponseTemplate("now"),
    today: try! ResponseTemplate("today at {time}"),
    tomorrow: try! ResponseTemplate("tomorrow at {time}"),
    thisWeek: try! ResponseTemplate("on {weekday} at {time}"),
    later: try! ResponseTemplate("on {weekday} {day} {month} at {time}"),
    howOpen: try! ResponseTemplate("here in this chat"),
    howClosed: try! ResponseTemplate("by email at {shop_email}"),
    meanwhileOpen: try! ResponseTemplate("Stay in this chat."),
    meanwhileClosed: try! ResponseTemplate("Meanwhile, you can track your order at {site}."))

private func when(_ now: String, hours: SupportHours = shop) -> String? {
    texts.when(hours.answer(at: utc(now)), calendar: .english)
}

@Suite("Support hours: when will a person answer?")
struct SupportHoursTests {
    @Test("open and closed around the edges of the day (London time)", arguments: [
        ("2026-12-03T08:59:00Z", false), ("2026-12-03T09:00:00Z", true), ("2026-12-03T17:29:59Z", true),
        ("2026-12-03T17:30:00Z", false), ("2026-12-05T10:30:00Z", true), ("2026-12-05T16:00:00Z", false),
        ("2026-12-06T12:00:00Z", false), ("2026-12-25T12:00:00Z", false), ("2027-01-01T12:00:00Z", false),
        // In summer London is an hour ahead: 08:30 UTC is 09:30 there.
        ("2026-07-06T08:30:00Z", true), ("2026-07-06T16:45:00Z", false),
    ])
    func isOpen(now: String, open: Bool) {
        #expect(shop.isOpen(at: utc(now)) == open)
    }

    @Test("the words for when", arguments: [
        ("2026-12-03T14:00:00Z", "now"),                          // Thursday afternoon
        ("2026-12-03T17:29:00Z", "now"),                          // just before closing
        ("2026-12-03T17:30:00Z", "tomorrow at 9:00"),             // closing time
        ("2026-12-03T06:15:00Z", "today at 9:00"),                // early morning
        ("2026-12-03T23:00:00Z", "tomorrow at 9:00"),             // late at night
        ("2026-12-04T23:00:00Z", "tomorrow at 10:00"),            // Friday night: Saturday's hours
        ("2026-12-05T16:00:00Z", "on Monday at 9:00"),            // Saturday after closing
        ("2026-12-06T12:00:00Z", "tomorrow at 9:00"),             // Sunday
        ("2026-12-24T18:00:00Z", "on Monday at 9:00"),            // Christmas Eve: closed 25, 26, Sunday
        ("2026-12-31T17:45:00Z", "on Saturday at 10:00"),         // New Year's Eve: closed on New Year's Day
        ("2027-01-01T00:00:00Z", "tomorrow at 10:00"),            // New Year's Day itself
    ])
    func words(now: String, expected: String) {
        #expect(when(now) == expected)
    }

    @Test("the weekend the clocks go forward: Monday 9:00 is 08:00 UTC")
    func springForward() throws {
        // Saturday 28 March 2026 after closing (GMT); clocks go forward early on Sunday 29.
        let opening = try #require(shop.nextOpening(after: utc("2026-03-28T16:30:00Z")))
        #expect(opening == utc("2026-03-30T08:00:00Z"))
        #expect(when("2026-03-28T16:30:00Z") == "on Monday at 9:00")
        #expect(when("2026-03-29T23:30:00Z") == "today at 9:00") // 00:30 BST on Monday
        #expect(shop.isOpen(at: utc("2026-03-30T08:00:00Z")))
        #expect(!shop.isOpen(at: utc("2026-03-30T07:59:00Z")))
    }

    @Test("the weekend the clocks go back: Monday 9:00 is 09:00 UTC again")
    func fallBack() throws {
        #expect(shop.isOpen(at: utc("2026-10-24T14:59:00Z")))   // 15:59 BST on Saturday
        #expect(!shop.isOpen(at: utc("2026-10-24T15:00:00Z")))  // 16:00 BST
        let opening = try #require(shop.nextOpening(after: utc("2026-10-24T15:00:00Z")))
        #expect(opening == utc("2026-10-26T09:00:00Z"))
        #expect(when("2026-10-25T23:30:00Z") == "tomorrow at 9:00") // Sunday 23:30 GMT
    }

    @Test("the next opening is strictly after the moment, even while open")
    func nextOpeningWhileOpen() {
        #expect(shop.nextOpening(after: utc("2026-12-03T09:00:00Z")) == utc("2026-12-04T09:00:00Z"))
        #expect(shop.nextOpening(after: utc("2026-12-03T08:59:00Z")) == utc("2026-12-03T09:00:00Z"))
    }

    @Test("a closure of a week or more names the date")
    func longClosure() {
        let closed = Set((0..<12).map { day("2026-12-21").adding(days: $0) }) // to New Year's Day
        let hours = SupportHours(timeZone: shop.timeZone, week: shop.week, closedOn: closed)!
        #expect(when("2026-12-19T17:00:00Z", hours: hours) == "on Saturday 2 January at 10:00")
    }

    @Test("a day may have more than one stretch: lunch is closed")
    func lunch() {
        let hours = SupportHours(timeZone: shop.timeZone, week: Array(repeating: [span("9:00", "12:30"), span("13:30", "17:00")], count: 7))!
        #expect(when("2026-12-03T12:45:00Z", hours: hours) == "today at 13:30")
        #expect(when("2026-12-03T13:30:00Z", hours: hours) == "now")
    }

    @Test("a team that never works: no time, and no values for the replies")
    func never() {
        let hours = SupportHours(timeZone: shop.timeZone, week: Array(repeating: [], count: 7))!
        #expect(hours.nextOpening(after: utc("2026-12-03T12:00:00Z")) == nil)
        #expect(hours.answer(at: utc("2026-12-03T12:00:00Z")) == .never)
        #expect(texts.placeholders(hours: hours, at: utc("2026-12-03T12:00:00Z"), calendar: .english).isEmpty)
    }

    @Test("the handoff's values, open and closed, with the bot's variables filled")
    func placeholders() {
        let variables = ["shop_email": "help@example.com", "site": "example.com"]
        #expect(texts.placeholders(hours: shop, at: utc("2026-12-03T14:00:00Z"), calendar: .english, variables: variables) == [
            "person_when": "now", "person_how": "here in this chat", "person_meanwhile": "Stay in this chat.",
        ])
        #expect(texts.placeholders(hours: shop, at: utc("2026-12-05T23:00:00Z"), calendar: .english, variables: variables) == [
            "person_when": "on Monday at 9:00", "person_how": "by email at help@example.com",
            "person_meanwhile": "Meanwhile, you can track your order at example.com.",
        ])
    }

    @Test("a time the clocks skip is read an hour later")
    func skippedTime() {
        let hours = SupportHours(timeZone: shop.timeZone, week: Array(repeating: [span("1:30", "3:00")], count: 7))!
        // 01:30 on Sunday 29 March 2026 does not exist in London: 02:30 BST is 01:30 UTC.
        #expect(hours.nextOpening(after: utc("2026-03-28T12:00:00Z")) == utc("2026-03-29T01:30:00Z"))
    }
}
