import Foundation
import RapportCore
import Yams

/// Reads the parts of bot.yaml about time: `support_hours:` (when the team
/// works and how the bot says when a person will answer), `due_dates:` (how
/// an order's due day is worded) and `calendar:` (the names of days and
/// months). Every problem is reported at its line and column.
enum SupportHoursLoader {
    static let supportKeys = ["time_zone", "open", "closed_on", "when", "how", "meanwhile", "say", "say_again"]
    static let dayKeys = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let stateKeys = ["open", "closed"]
    static let dueKeys = ["settled", "overdue_after", "refund_shows_within"] + DueDateTexts.keys.map(\.0)
    static let calendarKeys = ["weekdays", "months"]

    /// One text with only `allowed` placeholders; nil (reported) otherwise.
    private static func text(_ node: Node?, _ what: String, in parent: Node, allowed: Set<String>, fields: inout YAMLFields) -> ResponseTemplate? {
        guard let node else {
            fields.report(parent, "\(what) is missing")
            return nil
        }
        guard let text = fields.nonBlankText(node, describing: what) else { return nil }
        do {
            let template = try ResponseTemplate(text, location: fields.location(of: node))
            for placeholder in template.placeholders where !allowed.contains(placeholder.name) {
                let list = allowed.sorted().map { "{\($0)}" }.joined(separator: ", ")
                fields.report(at: fields.contentLocation(of: node, offset: placeholder.offset),
                              "unknown placeholder {\(placeholder.name)} in \(what); it may use \(list.isEmpty ? "none" : list)")
                return nil
            }
            return template
        } catch {
            fields.report(at: fields.contentLocation(of: node, offset: error.offset), "in \(what), \(error.problem)")
            return nil
        }
    }

    // MARK: - support_hours

    static func readSupport(_ node: Node, variables: Set<String>, fields: inout YAMLFields) -> (SupportHours, SupportTexts)? {
        guard let map = fields.mapping(node, describing: "'support_hours'") else { return nil }
        let entries = fields.entries(of: map, allowed: supportKeys, in: "'support_hours'")
        var valid = true
        var timeZone: TimeZone?
        if let zoneNode = entries["time_zone"]?.value {
            if let name = fields.nonBlankText(zoneNode, describing: "'time_zone'") {
                timeZone = TimeZone(identifier: name)
                if timeZone == nil {
                    fields.report(zoneNode, "'\(name)' is not a time zone; write a name from the tz database, like Europe/London")
                }
            }
        } else {
            fields.report(node, "'support_hours' has no 'time_zone:'; say where the hours are kept, like Europe/London")
        }
        var week: [[SupportHours.Span]] = Array(repeating: [], count: 7)
        if let openNode = entries["open"]?.value, let openMap = fields.mapping(openNode, describing: "'open' in 'support_hours'") {
            let days = fields.entries(of: openMap, allowed: dayKeys, in: "'open' in 'support_hours'")
            for (index, day) in dayKeys.enumerated() {
                guard let dayNode = days[day]?.value else { continue } // a day not listed is closed
                if let spans = readSpans(dayNode, day: day, fields: &fields) { week[index] = spans } else { valid = false }
            }
        } else {
            if entries["open"] == nil { fields.report(node, "'support_hours' has no 'open:'; give the hours of each day the team works, like monday: 9:00-17:30") }
            valid = false
        }
        var closedOn: Set<CalendarDay> = []
        if let closedNode = entries["closed_on"]?.value {
            if let list = fields.sequence(closedNode, describing: "'closed_on'") {
                for item in list {
                    guard let text = fields.nonBlankText(item, describing: "a day in 'closed_on'") else { valid = false; continue }
                    guard let day = CalendarDay(iso: text) else {
                        fields.report(item, "'\(text)' in 'closed_on' is not a day written yyyy-mm-dd, like 2026-12-25")
                        valid = false
                        continue
                    }
                    closedOn.insert(day)
                }
            } else {
                valid = false
            }
        }
        let texts = readSupportTexts(entries, node: node, variables: variables, fields: &fields)
        guard valid, let timeZone, let texts, let hours = SupportHours(timeZone: timeZone, week: week, closedOn: closedOn) else { return nil }
        if week.allSatisfy(\.isEmpty) {
            fields.report(node, "'support_hours' opens on no day; give the hours of at least one day under 'open:'")
            return nil
        }
        return (hours, texts)
    }

    private static func readSupportTexts(
        _ entries: [String: (key: Node, value: Node)], node: Node, variables: Set<String>, fields: inout YAMLFields
    ) -> SupportTexts? {
        var valid = true
        var when: [String: ResponseTemplate] = [:]
        if let whenNode = entries["when"]?.value, let map = fields.mapping(whenNode, describing: "'when' in 'support_hours'") {
            let keys = SupportTexts.whenKeys.map(\.0)
            let parts = fields.entries(of: map, allowed: keys, in: "'when' in 'support_hours'")
            for key in keys {
                if let parsed = text(parts[key]?.value, "'\(key)' in 'support_hours: when'", in: whenNode, allowed: SupportTexts.whenPlaceholders, fields: &fields) {
                    when[key] = parsed
                } else {
                    valid = false
                }
            }
        } else {
            if entries["when"] == nil { fields.report(node, "'support_hours' has no 'when:'; give the words for now, today, tomorrow, this_week and later") }
            valid = false
        }
        func byState(_ key: String, extra: Set<String> = []) -> (open: ResponseTemplate, closed: ResponseTemplate)? {
            guard let stateNode = entries[key]?.value else {
                fields.report(node, "'support_hours' has no '\(key):'; give its 'open:' and 'closed:' texts")
                return nil
            }
            guard let map = fields.mapping(stateNode, describing: "'\(key)' in 'support_hours'") else { return nil }
            let parts = fields.entries(of: map, allowed: stateKeys, in: "'\(key)' in 'support_hours'")
            let open = text(parts["open"]?.value, "'open' in 'support_hours: \(key)'", in: stateNode, allowed: variables.union(extra), fields: &fields)
            let closed = text(parts["closed"]?.value, "'closed' in 'support_hours: \(key)'", in: stateNode, allowed: variables.union(extra), fields: &fields)
            guard let open, let closed else { return nil }
            return (open, closed)
        }
        let how = byState("how"), meanwhile = byState("meanwhile")
        // The sentence after a handoff is optional; when given, it must be whole.
        let say = entries["say"] == nil ? nil : byState("say", extra: SupportTexts.sayPlaceholders)
        if entries["say"] != nil && say == nil { valid = false }
        // Its shorter form for later replies is optional too, and only beside it.
        let sayAgain = entries["say_again"] == nil ? nil : byState("say_again", extra: SupportTexts.sayPlaceholders)
        if entries["say_again"] != nil && sayAgain == nil { valid = false }
        if let sayAgainNode = entries["say_again"]?.value, entries["say"] == nil {
            fields.report(sayAgainNode, "'support_hours' has 'say_again:' but no 'say:'; give 'say:' first, the sentence said after a handoff")
            valid = false
        }
        guard valid, let how, let meanwhile, let now = when["now"], let today = when["today"], let tomorrow = when["tomorrow"],
              let thisWeek = when["this_week"], let later = when["later"] else { return nil }
        var texts = SupportTexts(now: now, today: today, tomorrow: tomorrow, thisWeek: thisWeek, later: later,
                                 howOpen: how.open, howClosed: how.closed, meanwhileOpen: meanwhile.open, meanwhileClosed: meanwhile.closed)
        texts.sayOpen = say?.open
        texts.sayClosed = say?.closed
        texts.sayAgainOpen = sayAgain?.open
        texts.sayAgainClosed = sayAgain?.closed
        return texts
    }

    /// `closed`, or spans like `9:00-17:30` separated by commas.
    private static func readSpans(_ node: Node, day: String, fields: inout YAMLFields) -> [SupportHours.Span]? {
        guard let text = fields.nonBlankText(node, describing: "the hours of \(day)") else { return nil }
        if text.lowercased() == "closed" { return [] }
        var spans: [SupportHours.Span] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let opens = minutes(ends[0]), let closes = minutes(ends[1]), let span = SupportHours.Span(opens: opens, closes: closes) else {
                fields.report(node, "'\(part.trimmingCharacters(in: .whitespaces))' in the hours of \(day) is not a stretch of the day like 9:00-17:30 (24-hour clock, opening before closing; 'closed' for none)")
                return nil
            }
            if let overlapping = spans.first(where: { $0.opens < span.closes && span.opens < $0.closes }) {
                fields.report(node, "the hours of \(day) overlap (\(describe(overlapping)) and \(describe(span))); write each stretch once")
                return nil
            }
            spans.append(span)
        }
        return spans
    }

    /// `9:00` or `09:00` as minutes after midnight; `24:00` is midnight at the end of the day.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
        return hour * 60 + minute
    }

    private static func describe(_ span: SupportHours.Span) -> String {
        func clock(_ minutes: Int) -> String { "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + String(minutes % 60) }
        return "\(clock(span.opens))-\(clock(span.closes))"
    }

    // MARK: - due_dates

    static func readDueDates(_ node: Node, fields: inout YAMLFields) -> DueDateTexts? {
        guard let map = fields.mapping(node, describing: "'due_dates'") else { return nil }
        let entries = fields.entries(of: map, allowed: dueKeys, in: "'due_dates'")
        var settled: Set<String>?
        if let settledNode = entries["settled"]?.value {
            if let list = fields.sequence(settledNode, describing: "'settled' in 'due_dates'") {
                var statuses: Set<String> = []
                var valid = true
                for item in list {
                    if let status = fields.nonBlankText(item, describing: "a status in 'settled'") { statuses.insert(status) } else { valid = false }
                }
                if valid { settled = statuses }
            }
        } else {
            fields.report(node, "'due_dates' has no 'settled:'; list the statuses of orders that can no longer be late, like [delivered, cancelled]")
        }
        var parsed: [String: ResponseTemplate] = [:]
        for (key, _) in DueDateTexts.keys {
            if let template = text(entries[key]?.value, "'\(key)' in 'due_dates'", in: node, allowed: DueDateTexts.placeholders, fields: &fields) {
                parsed[key] = template
            }
        }
        var overdueAfter: Int?
        if let overdueNode = entries["overdue_after"]?.value {
            guard let days = fields.wholeDays(overdueNode, describing: "'overdue_after' in 'due_dates' (days late)",
                                              named: "'overdue_after' in 'due_dates'", in: 2...365, like: 5) else { return nil }
            overdueAfter = days
        }
        var refundShowsWithin: Int?
        if let withinNode = entries["refund_shows_within"]?.value {
            guard let days = fields.wholeDays(withinNode, describing: "'refund_shows_within' in 'due_dates' (working days)",
                                              named: "'refund_shows_within' in 'due_dates'", in: 1...60, like: 5) else { return nil }
            refundShowsWithin = days
        }
        guard let settled, let today = parsed["due_today"], let tomorrow = parsed["due_tomorrow"], let yesterday = parsed["due_yesterday"],
              let late = parsed["late"], let dueOn = parsed["due_on"] else { return nil }
        return DueDateTexts(settled: settled, dueToday: today, dueTomorrow: tomorrow, dueYesterday: yesterday, late: late, dueOn: dueOn,
                            overdueAfter: overdueAfter, refundShowsWithin: refundShowsWithin)
    }

    // MARK: - calendar

    static func readCalendar(_ node: Node, fields: inout YAMLFields) -> CalendarWords? {
        guard let map = fields.mapping(node, describing: "'calendar'") else { return nil }
        let entries = fields.entries(of: map, allowed: calendarKeys, in: "'calendar'")
        func names(_ key: String, count: Int, example: String) -> [String]? {
            guard let listNode = entries[key]?.value else {
                fields.report(node, "'calendar' has no '\(key):'; list the \(count) names, \(example)")
                return nil
            }
            guard let list = fields.sequence(listNode, describing: "'\(key)' in 'calendar'") else { return nil }
            let read = list.compactMap { fields.nonBlankText($0, describing: "a name in '\(key)'") }
            guard read.count == list.count else { return nil }
            guard read.count == count else {
                fields.report(listNode, "'\(key)' in 'calendar' has \(read.count) names; it needs \(count), \(example)")
                return nil
            }
            return read
        }
        let weekdays = names("weekdays", count: 7, example: "Monday first")
        let months = names("months", count: 12, example: "January first")
        guard let weekdays, let months else { return nil }
        return CalendarWords(weekdays: weekdays, months: months)
    }
}
