import Foundation
import Testing
@testable import RapportIntents
import RapportCore

private let supportHours = """
    support_hours:
      time_zone: Europe/London
      open:
        monday: "9:00-12:30, 13:30-17:30"
        saturday: 10:00-16:00
        sunday: closed
      closed_on: [2026-12-25]
      when:
        now: now
        today: today at {time}
        tomorrow: tomorrow at {time}
        this_week: on {weekday} at {time}
        later: on {weekday} {day} {month} at {time}
      how:
        open: here
        closed: by email from {shop_name}
      meanwhile:
        open: Stay here.
        closed: Have a look at our site.

    """

private let dueDates = """
    due_dates:
      settled: [delivered, cancelled]
      due_today: due today
      due_tomorrow: due tomorrow
      due_yesterday: due yesterday
      late: "{days} days late"
      due_on: due on {weekday} {day} {month}

    """

private let handoffTopic = """
    intents:
      - name: human_agent
        handoff: true
        examples: [a person please]
        responses:
          - text: "A person will answer {person_when}, {person_how}. {person_meanwhile}"
            when: {given: [person_when]}
          - A person will answer.

    """

@Suite("Loading support hours, due dates and calendar words")
struct SupportHoursLoaderTests {
    @Test func supportHoursAreRead() throws {
        let bot = try load([("bot.yaml", validSettings + supportHours), ("help.yaml", handoffTopic)])
        let hours = try #require(bot.supportHours)
        #expect(hours.timeZone.identifier == "Europe/London")
        #expect(hours.week[0] == [SupportHours.Span(opens: 540, closes: 750)!, SupportHours.Span(opens: 810, closes: 1_050)!])
        #expect(hours.week[1].isEmpty) // a day not listed is closed
        #expect(hours.week[5] == [SupportHours.Span(opens: 600, closes: 960)!])
        #expect(hours.closedOn == [CalendarDay(year: 2026, month: 12, day: 25)!])
        #expect(bot.supportTexts?.howClosed.source == "by email from {shop_name}")
        #expect(bot.intents.first?.responses.first?.condition?.given == ["person_when"])
    }

    @Test func dueDatesAndCalendarAreRead() throws {
        let calendar = """
            calendar:
              weekdays: [lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche]
              months: [janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre]

            """
        let bot = try load([("bot.yaml", validSettings + dueDates + calendar), ("smalltalk.yaml", validTopic)])
        #expect(bot.dueDateTexts?.settled == ["delivered", "cancelled"])
        #expect(bot.dueDateTexts?.late.source == "{days} days late")
        #expect(bot.calendar.weekdays.first == "lundi")
        #expect(try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic)]).calendar == .english)
    }

    @Test func handoffPlaceholdersNeedSupportHours() {
        let found = problems([("bot.yaml", validSettings), ("help.yaml", handoffTopic)])
        #expect(found.contains { $0.contains("unknown placeholder {person_when}") }, "\(found)")
    }

    @Test func handoffAcceptedMayWaitOnWhenAPersonAnswers() throws {
        let accepted = """
            handoff_accepted:
              - text: "Passing you on: they'll answer {person_when}."
                when: {given: [person_when]}
              - Passing you on.

            """
        let bot = try load([("bot.yaml", validSettings + supportHours + accepted), ("smalltalk.yaml", validTopic)])
        #expect(bot.ladder.handoffAccepted.count == 2)
        let elsewhere = """
            handoff_declined:
              - text: "Fine: {person_when}."
                when: {given: [person_when]}
              - Fine.

            """
        #expect(!problems([("bot.yaml", validSettings + supportHours + elsewhere), ("smalltalk.yaml", validTopic)]).isEmpty)
    }

    @Test func sayAgainIsTheShortFormOfSay() throws {
        let say = "  say:\n    open: Someone will answer {person_how}.\n    closed: We answer {person_when}, {person_how}. {person_meanwhile}\n"
        let again = "  say_again:\n    open: Someone will answer soon.\n    closed: We read it {person_when}.\n"
        let bot = try load([("bot.yaml", validSettings + supportHours + say + again), ("smalltalk.yaml", validTopic)])
        let night = BundledSupportHoursTests.at("2026-12-06T23:00:00Z"), noon = BundledSupportHoursTests.at("2026-12-07T11:00:00Z") // Sunday night, Monday
        #expect(bot.handoffTiming(at: night) == "We answer tomorrow at 9:00, by email from Harbour & Pine. Have a look at our site.")
        #expect(bot.handoffTiming(at: night, again: true) == "We read it tomorrow at 9:00.")
        #expect(bot.handoffTiming(at: noon, again: true) == "Someone will answer soon.")
        // Without say_again, the whole sentence again.
        let plain = try load([("bot.yaml", validSettings + supportHours + say), ("smalltalk.yaml", validTopic)])
        #expect(plain.handoffTiming(at: night, again: true) == plain.handoffTiming(at: night))
        // Not alone, nor with a placeholder it cannot fill.
        let alone = problems([("bot.yaml", validSettings + supportHours + again), ("smalltalk.yaml", validTopic)])
        #expect(alone.count == 1 && alone.first?.contains("has 'say_again:' but no 'say:'") == true, "\(alone)")
        let unknown = problems([("bot.yaml", validSettings + supportHours + say + again.replacingOccurrences(of: "soon", with: "{person_name}")), ("smalltalk.yaml", validTopic)])
        #expect(unknown.count == 1 && unknown.first?.contains("{person_name}") == true, "\(unknown)")
    }

    @Test("mistakes in support_hours are located", arguments: [
        ("      time_zone: Europe/Londres\n", "intents/bot.yaml:11:14: error: 'Europe/Londres' is not a time zone"),
        ("      open: {monday: 9:00-25:00}\n", "intents/bot.yaml:12:18: error: '9:00-25:00' in the hours of monday is not a stretch of the day"),
        ("      open: {monday: 17:00-9:00}\n", "intents/bot.yaml:12:18: error: '17:00-9:00' in the hours of monday is not a stretch of the day"),
        ("      open: {monday: '9:00-13:00, 12:00-17:00'}\n", "intents/bot.yaml:12:18: error: the hours of monday overlap (9:00-13:00 and 12:00-17:00)"),
        ("      open: {mondy: 9:00-17:00, tuesday: 9:00-17:00}\n", "intents/bot.yaml:12:10: error: unknown key 'mondy' in 'open' in 'support_hours'; did you mean 'monday'?"),
        ("      open: {sunday: closed}\n", "intents/bot.yaml:11:3: error: 'support_hours' opens on no day"),
        ("      closed_on: [25/12/2026]\n", "intents/bot.yaml:16:15: error: '25/12/2026' in 'closed_on' is not a day written yyyy-mm-dd"),
    ])
    func supportMistakes(line: String, problem: String) {
        // Replaces the key of the same name in the valid block.
        let key = line.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" }
        var lines = supportHours.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let start = lines.firstIndex(where: { $0.hasPrefix("  \(key):") }) {
            var end = start + 1
            while end < lines.count, lines[end].hasPrefix("    ") { end += 1 }
            lines.replaceSubrange(start..<end, with: [String(line.dropLast()).replacingOccurrences(of: "      ", with: "  ", options: .anchored)])
        }
        let found = problems([("bot.yaml", validSettings + lines.joined(separator: "\n")), ("smalltalk.yaml", validTopic)])
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix(problem) == true, "\(found)")
    }

    @Test func overdueAfterIsAWholeNumberOfDays() throws {
        let files = { (line: String) in [("bot.yaml", validSettings + dueDates + line), ("smalltalk.yaml", validTopic)] }
        #expect(try load(files("")).dueDateTexts?.overdueAfter == nil)
        let texts = try #require(try load(files("  overdue_after: 5\n")).dueDateTexts)
        #expect(texts.overdueAfter == 5)
        #expect(!texts.isOverdue(daysLate: 4) && texts.isOverdue(daysLate: 5) && texts.isOverdue(daysLate: 12))
        #expect(problems(files("  overdue_after: 2.5\n")) == [
            "intents/bot.yaml:17:18: error: 'overdue_after' in 'due_dates' is 2.5; give a whole number of days, like 5",
        ])
        #expect(problems(files("  overdue_after: soon\n")) == [
            "intents/bot.yaml:17:18: error: 'overdue_after' in 'due_dates' (days late) must be a number from 2.0 to 365.0",
        ])
    }

    @Test func refundShowsWithinIsAWholeNumberOfWorkingDays() throws {
        let files = { (line: String) in [("bot.yaml", validSettings + dueDates + line), ("smalltalk.yaml", validTopic)] }
        #expect(try load(files("")).dueDateTexts?.refundShowsWithin == nil)
        #expect(try load(files("  refund_shows_within: 5\n")).dueDateTexts?.refundShowsWithin == 5)
        #expect(problems(files("  refund_shows_within: 0\n")).count == 1)
        #expect(problems(files("  refund_shows_within: soon\n")).first?.hasPrefix("intents/bot.yaml:17:24: error: 'refund_shows_within' in 'due_dates'") == true)
    }

    /// A returns topic whose second reply says `text` and waits on `given` (a YAML list's items).
    static func returnsTopic(saying text: String, given: String) -> String {
        """
        intents:
          - name: return_item
            examples: [can I return it]
            responses:
              - Returns are free for 30 days.
              - text: "\(text)"
                when: {given: [\(given)]}

        """
    }

    @Test func timeLimitsAreWholeDaysAndGiveTheirPlaceholders() throws {
        let returnsTopic = Self.returnsTopic(saying: "That was {days_since} days ago, past our 30 days.", given: "past_returns")
        let files = { (limits: String) in [("bot.yaml", validSettings + limits), ("returns.yaml", returnsTopic)] }
        #expect(try load(files("time_limits:\n  returns: 30\n")).timeLimits == ["returns": 30])
        // Without the limit, nothing fills {days_since} or past_returns, so a reply can neither use nor wait on them.
        let without = problems(files(""))
        #expect(without.contains { $0.contains("unknown placeholder {days_since}") }, "\(without)")
        let waiting = problems([("bot.yaml", validSettings), ("returns.yaml", returnsTopic.replacingOccurrences(of: "{days_since} days ago", with: "long ago"))])
        #expect(waiting.contains { $0.contains("'given' in 'when' names 'past_returns'") }, "\(waiting)")
        #expect(problems(files("time_limits:\n  returns: 2.5\n")).first
                == "intents/bot.yaml:11:12: error: 'returns' in 'time_limits' is 2.5; give a whole number of days, like 30")
        #expect(problems(files("time_limits:\n  Returns Window: 30\n")).first
                == "intents/bot.yaml:11:3: error: 'Returns Window' in 'time_limits' is not a name: use lower-case letters, digits and '_', like returns")
    }

    @Test func extendedLimitsNameALimitAndTwoDaysInOrder() throws {
        let returnsTopic = Self.returnsTopic(saying: "Christmas returns cover it.", given: "within_returns, extended_returns")
        let limits = "time_limits:\n  returns: 30\n"
        let files = { (extended: String) in [("bot.yaml", validSettings + limits + extended), ("returns.yaml", returnsTopic)] }
        let bot = try load(files("extended_limits:\n  returns: {bought_from: 2026-11-01, until: 2027-01-31}\n"))
        let stretched = try #require(bot.limitExtensions["returns"])
        #expect(stretched.boughtFrom.description == "2026-11-01" && stretched.until.description == "2027-01-31")
        #expect(problems(files("extended_limits:\n  refunds: {bought_from: 2026-11-01, until: 2027-01-31}\n")).first
                == "intents/bot.yaml:13:3: error: 'refunds' in 'extended_limits' is not in 'time_limits' (returns); extend a limit that is there")
        #expect(problems(files("extended_limits:\n  returns: {bought_from: 1 November, until: 2027-01-31}\n")).first
                == "intents/bot.yaml:13:26: error: 'bought_from' of 'returns' in 'extended_limits' is '1 November', not a day; write it like 2026-11-01")
        #expect(problems(files("extended_limits:\n  returns: {bought_from: 2027-02-01, until: 2027-01-31}\n")).first
                == "intents/bot.yaml:13:12: error: 'returns' in 'extended_limits' ends (2027-01-31) before it starts (2027-02-01)")
        #expect(problems(files("extended_limits:\n  returns: {until: 2027-01-31}\n")).first
                == "intents/bot.yaml:13:12: error: 'returns' in 'extended_limits' has no 'bought_from'; give a day like 2026-11-01")
    }

    @Test func anExtensionSaysItsSeasonOnlyWhileItCoversWhatIsBoughtTodayForLonger() throws {
        let returnsTopic = Self.returnsTopic(saying: "Christmas returns cover it.", given: "within_returns, extended_returns")
        let limits = "time_limits:\n  returns: 30\n"
        let extended = "extended_limits:\n  returns: {bought_from: 2026-11-01, until: 2027-01-31, say: \"(and until 31 January for Christmas)\"}\n"
        let bot = try load([("bot.yaml", validSettings + limits + extended), ("returns.yaml", returnsTopic)])
        func season(_ day: String) throws -> String? { bot.seasons(today: try #require(CalendarDay(iso: day)))["season_returns"] }
        #expect(try season("2026-12-06") == " (and until 31 January for Christmas)")
        #expect(try season("2026-11-01") == " (and until 31 January for Christmas)")
        #expect(try season("2026-12-31") == " (and until 31 January for Christmas)")
        // From 1 January, the usual 30 days reach 31 January or past it: the season says nothing more.
        #expect(try season("2027-01-01") == "")
        #expect(try season("2027-01-25") == "")
        #expect(try season("2027-02-01") == "")
        #expect(try season("2026-10-31") == "")
        // Without `say`, the placeholder is there and empty, so a reply may use it all the same.
        let silent = try load([("bot.yaml", validSettings + limits + "extended_limits:\n  returns: {bought_from: 2026-11-01, until: 2027-01-31}\n"),
                               ("returns.yaml", returnsTopic)])
        #expect(silent.seasons(today: try #require(CalendarDay(iso: "2026-12-06")))["season_returns"] == "")
        #expect(problems([("bot.yaml", validSettings + limits + "extended_limits:\n  returns: {bought_from: 2026-11-01, until: 2027-01-31, say: \" \"}\n"),
                          ("returns.yaml", returnsTopic)]).first?.contains("'say' of 'returns' in 'extended_limits'") == true)
    }

    @Test func deliveryEstimatesNeedACutoffAndTwoCounts() throws {
        let topic = """
            intents:
              - name: delivery_times
                examples: [when would it arrive]
                responses:
                  - "Ordered now, on {express_arrival} with express, or {standard_arrival}."

            """
        let files = { (estimates: String) in [("bot.yaml", validSettings + estimates), ("delivery.yaml", topic)] }
        let bot = try load(files("delivery_estimates: {cutoff: \"14:00\", standard: [3, 5], express: 1}\n"))
        #expect(bot.deliveryEstimates?.cutoffMinutes == 840 && bot.deliveryEstimates?.standard == 3...5 && bot.deliveryEstimates?.express == 1)
        // Without estimates, nothing fills the arrival days.
        #expect(problems(files("")).contains { $0.contains("unknown placeholder {express_arrival}") })
        #expect(problems(files("delivery_estimates: {cutoff: 2pm, standard: [3, 5], express: 1}\n")).first
                == "intents/bot.yaml:10:30: error: 'cutoff' in 'delivery_estimates' is '2pm', not a time of day; write it like \"14:00\"")
        #expect(problems(files("delivery_estimates: {cutoff: \"14:00\", standard: [5, 3], express: 1}\n")).first
                == "intents/bot.yaml:10:49: error: 'standard' in 'delivery_estimates' is [5, 3]; put the fewest working days first, like [3, 5]")
        #expect(problems(files("delivery_estimates: {cutoff: \"14:00\", standard: [3, 5]}\n")).first
                == "intents/bot.yaml:10:21: error: 'delivery_estimates' has no 'express'; it needs cutoff (like \"14:00\"), standard (like [3, 5]) and express (like 1)")
    }

    @Test func textsMayUseOnlyTheirPlaceholders() {
        let found = problems([("bot.yaml", validSettings + dueDates.replacingOccurrences(of: "{days} days late", with: "{daze} days late")),
                              ("smalltalk.yaml", validTopic)])
        #expect(found == ["intents/bot.yaml:15:10: error: unknown placeholder {daze} in 'late' in 'due_dates'; it may use {day}, {days}, {month}, {weekday}, {year}"])
        let calendar = problems([("bot.yaml", validSettings + "calendar:\n  weekdays: [Mon, Tue]\n  months: []\n"), ("smalltalk.yaml", validTopic)])
        #expect(calendar.count == 2)
    }
}

@Suite("The bundled bot's support hours and due dates")
struct BundledSupportHoursTests {
    static let bot: Bot = {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents").path
        do { return try BotLoader.load(directory: folder) } catch { fatalError("\(error)") }
    }()

    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static let closedHow = "here in this chat (you'll see it when you come back) or by email if you've given us your address"

    @Test("a handoff says when and how a person will answer", arguments: [
        ("2026-12-03T14:00:00Z", "now", "here in this chat"),                  // Thursday afternoon
        ("2026-12-03T23:00:00Z", "tomorrow at 9:00", closedHow),
        ("2026-12-05T17:00:00Z", "on Monday at 9:00", closedHow),              // Saturday evening
        ("2026-12-24T19:00:00Z", "on Saturday at 10:00", closedHow),           // Christmas Day closed
        ("2026-12-31T18:30:00Z", "on Saturday at 10:00", closedHow),           // New Year's Day closed
    ])
    func handoff(now: String, when: String, how: String) throws {
        let values = Self.bot.handoffPlaceholders(at: Self.at(now))
        #expect(values["person_when"] == when)
        #expect(values["person_how"] == how)
        // What follows every handoff (support_hours say:), filled in.
        let said = try #require(Self.bot.handoffTiming(at: Self.at(now)))
        #expect(!said.contains("{"))
        if when == "now" {
            #expect(said == "Someone will answer you here in this chat in a few minutes. Please keep this chat open.")
        } else {
            #expect(said.contains("a person will pick this up \(when) and reply \(how)."), "\(said)")
            #expect(said.hasPrefix("Our team isn't working right now: "), "\(said)")
        }
    }

    @Test func dueDatesAreWorded() {
        let now = Self.at("2026-12-03T12:00:00Z")
        #expect(Self.bot.dueDatePlaceholders(due: "2026-11-30", status: "delayed", at: now)
            == ["due_words": "3 days late", "days_late": "3", "due_date": "2026-11-30"])
        #expect(Self.bot.dueDatePlaceholders(due: "2026-11-30", status: "delivered", at: now)["days_late"] == "0")
        #expect(Self.bot.dueDatePlaceholders(due: "", status: "delayed", at: now).isEmpty)
    }
}
