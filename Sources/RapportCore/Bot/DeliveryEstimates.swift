import Foundation

/// When an order placed now would arrive (bot.yaml `delivery_estimates`), so
/// "if I order today, when would it get here?" gets days, not "3 to 5
/// working days". An order leaves the day it is placed when that is a working
/// day and it comes before `cutoffMinutes`, else the next working day; express
/// arrives `express` working days after that, standard `standard` working days
/// after it. Working days are Monday to Friday, except `closedOn` (the bot's
/// bank holidays, `support_hours.closed_on`).
public struct DeliveryEstimates: Hashable, Sendable {
    /// Minutes after midnight, in the bot's time zone: "14:00" is 840.
    public var cutoffMinutes: Int
    /// Working days after the order leaves, fewest to most.
    public var standard: ClosedRange<Int>
    public var express: Int
    public var closedOn: Set<CalendarDay>

    /// What replies may use once the bot has estimates: "Tuesday 8 December",
    /// and "between Thursday 10 and Monday 14 December".
    public static let placeholders: Set<String> = ["express_arrival", "standard_arrival"]

    public init(cutoffMinutes: Int, standard: ClosedRange<Int>, express: Int, closedOn: Set<CalendarDay> = []) {
        self.cutoffMinutes = cutoffMinutes
        self.standard = standard
        self.express = express
        self.closedOn = closedOn
    }

    public func isWorkingDay(_ day: CalendarDay) -> Bool { day.isWorkingDay(closedOn: closedOn) }

    /// The working day `count` working days after `day` (the next one, for 1).
    public func working(_ count: Int, after day: CalendarDay) -> CalendarDay { day.adding(workingDays: count, closedOn: closedOn) }

    /// The day an order placed at `date` leaves.
    public func leaves(ordered date: Date, in timeZone: TimeZone) -> CalendarDay {
        let today = CalendarDay(date, in: timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minutes = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return isWorkingDay(today) && minutes < cutoffMinutes ? today : working(1, after: today)
    }

    /// The arrival days of an order placed at `date`: express, and standard's first and last.
    public func arrivals(ordered date: Date, in timeZone: TimeZone) -> (express: CalendarDay, standard: ClosedRange<CalendarDay>) {
        let leaving = leaves(ordered: date, in: timeZone)
        return (working(express, after: leaving),
                working(standard.lowerBound, after: leaving)...working(standard.upperBound, after: leaving))
    }

    /// `express_arrival` and `standard_arrival` for an order placed at `date`, in the bot's words for days and months.
    public func placeholders(ordered date: Date, in timeZone: TimeZone, calendar: CalendarWords) -> [String: String] {
        let (express, standard) = arrivals(ordered: date, in: timeZone)
        let full = calendar.full
        let first = standard.lowerBound, last = standard.upperBound
        let range = first == last ? "on \(full(first))"
            : first.month == last.month ? "between \(calendar.weekday(of: first)) \(first.day) and \(full(last))"
            : "between \(full(first)) and \(full(last))"
        return ["express_arrival": full(express), "standard_arrival": range]
    }
}
