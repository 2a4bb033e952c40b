import Foundation

/// Where an order stands against the day it is due (the `due` column of
/// `orders.csv`), counted in the shop's time zone.
public struct OrderDue: Hashable, Sendable {
    public enum Standing: Hashable, Sendable {
        /// Its status says it is done with (delivered, cancelled...): it cannot be late.
        case settled
        /// Due in this many days (1: tomorrow).
        case upcoming(days: Int)
        case dueToday
        /// The due day was this many days ago (1: yesterday).
        case late(days: Int)
    }

    public var due: CalendarDay
    public var standing: Standing

    public var isLate: Bool {
        if case .late = standing { return true }
        return false
    }

    /// Days past the due day for an order still on its way, else 0.
    public var daysLate: Int {
        if case .late(let days) = standing { return days }
        return 0
    }

    /// How an order stands. Nil when `due` is empty or not a `yyyy-MM-dd`
    /// day: the order has no due day to be late against.
    ///
    /// - Parameters:
    ///   - status: the row's status, compared with `settled` with capitals
    ///     and accents ignored.
    ///   - now: the moment of the customer's message.
    ///   - timeZone: the shop's, where "today" is (a message at 00:30 in
    ///     London on the 5th is the 5th there, though it is the 4th in UTC
    ///     in summer).
    ///   - settled: the statuses of orders that can no longer be late.
    public static func assess(due: String, status: String, at now: Date, in timeZone: TimeZone, settled: Set<String>) -> OrderDue? {
        guard let day = CalendarDay(iso: due) else { return nil }
        let folded = TextNormalizer.fold(status.trimmingCharacters(in: .whitespaces))
        if settled.contains(where: { TextNormalizer.fold($0) == folded }) { return OrderDue(due: day, standing: .settled) }
        let ahead = CalendarDay(now, in: timeZone).days(to: day)
        let standing: Standing = ahead > 0 ? .upcoming(days: ahead) : ahead == 0 ? .dueToday : .late(days: -ahead)
        return OrderDue(due: day, standing: standing)
    }

    public init(due: CalendarDay, standing: Standing) {
        self.due = due
        self.standing = standing
    }

    /// The values a reply about the order may use: `{days_late}` (a number),
    /// `{due_date}` (`yyyy-MM-dd`) and `{due_words}` (from `texts`).
    public func placeholders(texts: DueDateTexts, calendar: CalendarWords, at now: Date, in timeZone: TimeZone) -> [String: String] {
        ["days_late": String(daysLate), "due_date": due.description, "due_words": words(texts: texts, calendar: calendar, at: now, in: timeZone)]
    }

    /// "due yesterday", "3 days late", "due today", "due tomorrow", "due on
    /// Friday 4 December", as `texts` words them. A settled order is only
    /// ever "due" on its day, never late.
    public func words(texts: DueDateTexts, calendar: CalendarWords, at now: Date, in timeZone: TimeZone) -> String {
        let ahead = CalendarDay(now, in: timeZone).days(to: due)
        var values = calendar.placeholders(for: due)
        values["days"] = String(abs(ahead))
        let text: ResponseTemplate
        switch (standing, ahead) {
        case (_, 0): text = texts.dueToday
        case (_, 1): text = texts.dueTomorrow
        case (_, -1): text = texts.dueYesterday
        case (.late, _): text = texts.late
        default: text = texts.dueOn
        }
        return text.render(values)
    }
}

/// How the bot words a due day: bot.yaml's `due_dates:`. Each text may use
/// `{weekday}`, `{day}`, `{month}`, `{year}` (of the due day) and `{days}`
/// (how many days away or past).
public struct DueDateTexts: Hashable, Sendable {
    /// The statuses of orders that can no longer be late (delivered, cancelled...).
    public var settled: Set<String>
    public var dueToday: ResponseTemplate
    public var dueTomorrow: ResponseTemplate
    public var dueYesterday: ResponseTemplate
    /// Two days or more past the due day.
    public var late: ResponseTemplate
    /// Any other day: two days or more ahead, or past for a settled order.
    public var dueOn: ResponseTemplate
    /// How many days late an order is overdue: too late to ask the customer
    /// to wait any longer (`overdue_after:`, optional). Replies for such an
    /// order are kept with `when: {given: [overdue]}`.
    public var overdueAfter: Int?
    /// The working days a bank may take to show a refund (`refund_shows_within:`,
    /// optional): after that many working days past a record's refund day
    /// (its `refunded` column) are over, the refund is overdue, and replies for it are
    /// kept with `when: {given: [refund_overdue]}`.
    public var refundShowsWithin: Int?

    public init(settled: Set<String>, dueToday: ResponseTemplate, dueTomorrow: ResponseTemplate, dueYesterday: ResponseTemplate,
                late: ResponseTemplate, dueOn: ResponseTemplate, overdueAfter: Int? = nil, refundShowsWithin: Int? = nil) {
        self.settled = settled
        self.overdueAfter = overdueAfter
        self.refundShowsWithin = refundShowsWithin
        self.dueToday = dueToday
        self.dueTomorrow = dueTomorrow
        self.dueYesterday = dueYesterday
        self.late = late
        self.dueOn = dueOn
    }

    /// The placeholders the texts may use.
    public static let placeholders: Set<String> = CalendarWords.dayPlaceholders.union(["days"])

    /// The placeholders a reply may use: what `OrderDue.placeholders` gives,
    /// and `late` (the due words, only when the order is late: the dialogue
    /// manager fills it so `when: {given: [late]}` picks the late replies),
    /// and `overdue` (the same, only from `overdue_after` days late).
    public static let replyPlaceholders: Set<String> = ["days_late", "due_date", "due_words", "late", "overdue"]

    /// The placeholders a reply about a row with a `refunded` column may use,
    /// with `refund_shows_within`: `refunded_on` ("Friday 27 November"),
    /// `refunded_days` (how many days ago), and `refund_overdue` (the same
    /// number, only once the working days a bank may take are over).
    public static let refundPlaceholders: Set<String> = ["refunded_on", "refunded_days", "refund_overdue"]

    /// Whether an order `days` late is overdue: too late to ask for more patience.
    public func isOverdue(daysLate days: Int) -> Bool {
        guard let overdueAfter else { return false }
        return days >= overdueAfter
    }

    /// The keys of bot.yaml's `due_dates:` and the text each one sets.
    public static var keys: [(String, WritableKeyPath<DueDateTexts, ResponseTemplate>)] { [
        ("due_today", \.dueToday), ("due_tomorrow", \.dueTomorrow), ("due_yesterday", \.dueYesterday), ("late", \.late), ("due_on", \.dueOn),
    ] }
}

extension Bot {
    /// `{due_words}`, `{days_late}` and `{due_date}` for a looked-up row with
    /// a `due` column (and a `status` one), at `now`; empty without
    /// `due_dates` in bot.yaml or without a due day in the row.
    public func dueDatePlaceholders(due: String, status: String, at now: Date) -> [String: String] {
        guard let dueDateTexts,
              let standing = OrderDue.assess(due: due, status: status, at: now, in: timeZone, settled: dueDateTexts.settled) else { return [:] }
        return standing.placeholders(texts: dueDateTexts, calendar: calendar, at: now, in: timeZone)
    }

    /// `{refunded_on}`, `{refunded_days}` and, once the last of
    /// `refund_shows_within` working days after it is over, `{refund_overdue}`, for a looked-up row refunded on
    /// `refunded` (`yyyy-MM-dd`) at `now`: "the refund went back on Thursday
    /// 12 November, 24 days ago" should be showing by now. Working days are
    /// Monday to Friday except the bot's bank holidays. Empty without
    /// `refund_shows_within`, or for a day that is not one or is still to come.
    public func refundPlaceholders(refunded: String, at now: Date) -> [String: String] {
        guard let within = dueDateTexts?.refundShowsWithin, let day = CalendarDay(iso: refunded) else { return [:] }
        let today = CalendarDay(now, in: timeZone)
        let days = day.days(to: today)
        guard days >= 0 else { return [:] }
        // The last day a bank may take: the `within`th working day after the refund. Once it is over, the
        // refund should be showing (a refund of Friday 27 November by Friday 4 December, so overdue from the 5th).
        let lastDay = day.adding(workingDays: within, closedOn: supportHours?.closedOn ?? [])
        var values = ["refunded_on": calendar.full(day), "refunded_days": String(days)]
        if lastDay.days(to: today) > 0 { values["refund_overdue"] = String(days) }
        return values
    }
}
