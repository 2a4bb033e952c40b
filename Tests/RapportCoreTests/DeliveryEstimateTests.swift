import Foundation
import Testing
@testable import RapportCore

@Suite("When an order placed now would arrive")
struct DeliveryEstimateTests {
    let london = TimeZone(identifier: "Europe/London")!
    /// Cutoff 14:00; standard 3 to 5 working days, express 1; Christmas Day and the 28th closed.
    let estimates = DeliveryEstimates(cutoffMinutes: 14 * 60, standard: 3...5, express: 1,
                                      closedOn: [CalendarDay(iso: "2026-12-25")!, CalendarDay(iso: "2026-12-28")!])

    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func beforeTheCutoffOnAWorkingDayItLeavesThatDay() {
        let (express, standard) = estimates.arrivals(ordered: at("2026-12-04T12:00:00Z"), in: london) // Friday noon
        #expect(express.description == "2026-12-07", "Monday")
        #expect(standard.lowerBound.description == "2026-12-09" && standard.upperBound.description == "2026-12-11")
    }

    @Test func afterTheCutoffOrAtTheWeekendItLeavesTheNextWorkingDay() {
        let friday = estimates.arrivals(ordered: at("2026-12-04T18:30:00Z"), in: london)
        #expect(friday.express.description == "2026-12-08", "leaves Monday, arrives Tuesday")
        #expect(friday.standard.upperBound.description == "2026-12-14")
        let sunday = estimates.arrivals(ordered: at("2026-12-06T09:00:00Z"), in: london)
        #expect(sunday.express == friday.express)
    }

    @Test func theCutoffIsInTheBotsTimeZone() {
        // Friday 3 July 2026, 13:30 UTC is 14:30 in London (summer time): past the cutoff, so it leaves on Monday.
        let (express, _) = estimates.arrivals(ordered: at("2026-07-03T13:30:00Z"), in: london)
        #expect(express.description == "2026-07-07")
    }

    @Test func bankHolidaysAreNoWorkingDays() {
        // Wednesday 23 December after 2pm: leaves Thursday 24th; the 25th, the weekend and the 28th are skipped.
        let (express, standard) = estimates.arrivals(ordered: at("2026-12-23T15:00:00Z"), in: london)
        #expect(express.description == "2026-12-29")
        #expect(standard.lowerBound.description == "2026-12-31" && standard.upperBound.description == "2027-01-04")
    }

    @Test func theDaysAreSaidInTheBotsWords() {
        let friday = estimates.placeholders(ordered: at("2026-12-04T18:30:00Z"), in: london, calendar: .english)
        #expect(friday == ["express_arrival": "Tuesday 8 December", "standard_arrival": "between Thursday 10 and Monday 14 December"])
        let christmas = estimates.placeholders(ordered: at("2026-12-23T15:00:00Z"), in: london, calendar: .english)
        #expect(christmas["standard_arrival"] == "between Thursday 31 December and Monday 4 January")
    }
}
