import Foundation

/// When the shop's team answers customers: bot.yaml's `support_hours:`.
/// Pure: the moment to judge comes in as a `Date`, the rules as values.
public struct SupportHours: Hashable, Sendable {
    /// A stretch of one day when the team works, in minutes after midnight
    /// local time: `opens` inclusive, `closes` exclusive (1440 is midnight).
    public struct Span: Hashable, Sendable {
        public var opens: Int
        public var closes: Int

        public init?(opens: Int, closes: Int) {
            guard 0 <= opens, opens < closes, closes <= 1_440 else { return nil }
            self.opens = opens
            self.closes = closes
        }
    }

    /// Where the hours are kept: a day's hours are that time zone's wall clock.
    public var timeZone: TimeZone
    /// Seven days, Monday first; an empty day is closed.
    public var week: [[Span]]
    /// Days the team does not work whatever the weekday (bank holidays).
    public var closedOn: Set<CalendarDay>

    /// Nil unless `week` has seven days.
    public init?(timeZone: TimeZone, week: [[Span]], closedOn: Set<CalendarDay> = []) {
        guard week.count == 7 else { return nil }
        self.timeZone = timeZone
        self.week = week.map { $0.sorted { $0.opens < $1.opens } }
        self.closedOn = closedOn
    }

    /// The spans the team works on `day`.
    public func spans(on day: CalendarDay) -> [Span] {
        closedOn.contains(day) ? [] : week[day.weekday - 1]
    }

    /// Whether someone in the team is working at `date`.
    public func isOpen(at date: Date) -> Bool {
        let (day, minute) = local(date)
        return spans(on: day).contains { $0.opens <= minute && minute < $0.closes }
    }

    /// The first moment after `date` (strictly) when a working stretch
    /// starts; nil when the team never works (every day closed). Looks a
    /// year and a week ahead, beyond any run of closed days.
    public func nextOpening(after date: Date) -> Date? {
        let (today, minute) = local(date)
        for offset in 0...372 {
            let day = today.adding(days: offset)
            for span in spans(on: day) where offset > 0 || span.opens > minute {
                return instant(day, minute: span.opens)
            }
        }
        return nil
    }

    /// When a person will answer a customer writing at `now`.
    public func answer(at now: Date) -> SupportAnswer {
        if isOpen(at: now) { return .now }
        guard let opening = nextOpening(after: now) else { return .never }
        let (day, minute) = local(opening)
        return .at(day: day, minute: minute, daysAhead: CalendarDay(now, in: timeZone).days(to: day))
    }

    /// `date` in the hours' time zone: its day, and minutes after midnight.
    func local(_ date: Date) -> (day: CalendarDay, minute: Int) {
        let seconds = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        let days = Int((seconds / 86_400).rounded(.down))
        return (CalendarDay(daysSinceEpoch: days), Int(((seconds - Double(days) * 86_400) / 60).rounded(.down)))
    }

    /// The moment the wall clock in the time zone shows `minute` on `day`.
    /// A time skipped by a clock change (01:30 on the last Sunday of March
    /// in London) gives the moment an hour later; a repeated one (01:30 on
    /// the last Sunday of October), the second.
    func instant(_ day: CalendarDay, minute: Int) -> Date {
        let wall = Double(day.daysSinceEpoch) * 86_400 + Double(minute) * 60
        // The offset at the wall time read as UTC, then at the guess it gives: right on both sides of a change.
        let guess = wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall)))
        let settled = wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
        return Date(timeIntervalSince1970: settled)
    }
}

/// When a person will answer, as `SupportHours.answer(at:)` works it out.
public enum SupportAnswer: Hashable, Sendable {
    /// The team is working.
    case now
    /// The team starts again at `minute` after midnight on `day`, `daysAhead` days from today (0: later today).
    case at(day: CalendarDay, minute: Int, daysAhead: Int)
    /// The hours name no working day at all.
    case never
}

/// How the bot words when and how a person will answer: the texts of
/// bot.yaml's `support_hours:`. The `when` texts may use `{time}` (24-hour,
/// `9:00`, `14:00`) and `{weekday}`, `{day}`, `{month}`, `{year}`.
public struct SupportTexts: Hashable, Sendable {
    /// The team is working: "now".
    public var now: ResponseTemplate
    /// Later today: "today at {time}".
    public var today: ResponseTemplate
    /// "tomorrow at {time}".
    public var tomorrow: ResponseTemplate
    /// Within the coming week: "on {weekday} at {time}".
    public var thisWeek: ResponseTemplate
    /// A week or more ahead: "on {weekday} {day} {month} at {time}".
    public var later: ResponseTemplate
    /// How the team reaches the customer while working, and when not (`{person_how}`).
    public var howOpen: ResponseTemplate
    public var howClosed: ResponseTemplate
    /// What the customer can do in the meantime, while working and when not (`{person_meanwhile}`).
    public var meanwhileOpen: ResponseTemplate
    public var meanwhileClosed: ResponseTemplate
    /// The sentence said after every handoff, while working and when not
    /// (`say:`), with `{person_when}`, `{person_how}` and `{person_meanwhile}`:
    /// when a person will answer, how they reach the customer, and what to do meanwhile.
    public var sayOpen: ResponseTemplate?
    public var sayClosed: ResponseTemplate?
    /// The shorter sentence for a handoff's later replies, once `say:` has been
    /// said in the conversation (`say_again:`), with the same placeholders; `say:` when not given.
    public var sayAgainOpen: ResponseTemplate?
    public var sayAgainClosed: ResponseTemplate?
    /// The placeholders `say:` may use besides the bot's variables.
    public static let sayPlaceholders: Set<String> = ["person_when", "person_how", "person_meanwhile"]

    public init(now: ResponseTemplate, today: ResponseTemplate, tomorrow: ResponseTemplate, thisWeek: ResponseTemplate, later: ResponseTemplate,
                howOpen: ResponseTemplate, howClosed: ResponseTemplate, meanwhileOpen: ResponseTemplate, meanwhileClosed: ResponseTemplate) {
        self.now = now
        self.today = today
        self.tomorrow = tomorrow
        self.thisWeek = thisWeek
        self.later = later
        self.howOpen = howOpen
        self.howClosed = howClosed
        self.meanwhileOpen = meanwhileOpen
        self.meanwhileClosed = meanwhileClosed
    }

    /// The placeholders the `when` texts may use.
    public static let whenPlaceholders: Set<String> = CalendarWords.dayPlaceholders.union(["time"])

    /// The placeholders the dialogue manager fills in a handoff's replies.
    public static let replyPlaceholders: Set<String> = ["person_when", "person_how", "person_meanwhile"]

    /// The keys of `support_hours: when:` and the text each one sets.
    public static var whenKeys: [(String, WritableKeyPath<SupportTexts, ResponseTemplate>)] { [
        ("now", \.now), ("today", \.today), ("tomorrow", \.tomorrow), ("this_week", \.thisWeek), ("later", \.later),
    ] }

    /// The words for when a person will answer: "now", "today at 14:00",
    /// "tomorrow at 9:00", "on Monday at 9:00", "on Friday 1 January at 9:00".
    /// Nil for `.never`.
    public func when(_ answer: SupportAnswer, calendar: CalendarWords) -> String? {
        switch answer {
        case .now: return now.render([:])
        case .never: return nil
        case .at(let day, let minute, let daysAhead):
            var values = calendar.placeholders(for: day)
            values["time"] = "\(minute / 60):" + (minute % 60 < 10 ? "0" : "") + String(minute % 60)
            let text = daysAhead == 0 ? today : daysAhead == 1 ? tomorrow : daysAhead < 7 ? thisWeek : later
            return text.render(values)
        }
    }

    /// `{person_when}`, `{person_how}` and `{person_meanwhile}` for a
    /// handoff at `now`, the how and meanwhile texts filled from `variables`
    /// (the bot's, such as `{site}`). Empty when the team never works:
    /// the replies without them are said.
    public func placeholders(
        hours: SupportHours, at now: Date, calendar: CalendarWords, variables: [String: String] = [:]
    ) -> [String: String] {
        let answer = hours.answer(at: now)
        guard let when = when(answer, calendar: calendar) else { return [:] }
        let open = answer == .now
        return [
            "person_when": when,
            "person_how": (open ? howOpen : howClosed).render(variables),
            "person_meanwhile": (open ? meanwhileOpen : meanwhileClosed).render(variables),
        ]
    }

    /// The sentence for after a handoff at `now` (`say:`, or `say_again:` when
    /// `again` and given), filled in; nil without `say:` or when the team never works.
    public func sentence(hours: SupportHours, at now: Date, calendar: CalendarWords, variables: [String: String] = [:], again: Bool = false) -> String? {
        let values = placeholders(hours: hours, at: now, calendar: calendar, variables: variables)
        let open = hours.answer(at: now) == .now
        guard !values.isEmpty, let first = open ? sayOpen : sayClosed else { return nil }
        let template = again ? (open ? sayAgainOpen : sayAgainClosed) ?? first : first
        return template.render(variables.merging(values) { _, new in new })
    }
}

extension Bot {
    /// The time zone the bot counts days in: its support hours', else UTC.
    public var timeZone: TimeZone { supportHours?.timeZone ?? TimeZone(identifier: "UTC")! }

    /// `{person_when}`, `{person_how}` and `{person_meanwhile}` for a handoff
    /// at `now`, to pass as the extra values of `handoff_accepted` and of a
    /// handoff intent's replies (their `when: {given: [person_when]}`
    /// variants are chosen then). Empty without `support_hours`, or when the
    /// team never works: the other variants are said.
    public func handoffPlaceholders(at now: Date) -> [String: String] {
        guard let supportHours, let supportTexts else { return [:] }
        var values = variables
        values["bot_name"] = name
        return supportTexts.placeholders(hours: supportHours, at: now, calendar: calendar, variables: values)
    }

    /// What the bot says after handing over at `now`: when a person will
    /// answer, how, and what the customer can do meanwhile (bot.yaml's
    /// `support_hours: say:`, or `say_again:` when `again`: said before in the
    /// conversation); nil when bot.yaml does not say.
    public func handoffTiming(at now: Date, again: Bool = false) -> String? {
        guard let supportHours, let supportTexts else { return nil }
        var values = variables
        values["bot_name"] = name
        return supportTexts.sentence(hours: supportHours, at: now, calendar: calendar, variables: values, again: again)
    }
}
