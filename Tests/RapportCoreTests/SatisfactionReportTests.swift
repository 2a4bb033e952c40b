import Foundation
import Testing
@testable import RapportCore

@Suite("The satisfaction report")
struct SatisfactionReportTests {
    static let day = Date(timeIntervalSince1970: 1_800_000_000)

    static func turn(_ session: String, _ sequence: Int, _ text: String, _ intent: String?, missed: Bool = false) -> TurnRecord {
        TurnRecord(sessionID: session, sequence: sequence, at: day, customerText: text, intent: intent, confidence: 0.5, replies: [], missed: missed)
    }

    static func rating(_ session: String, _ intent: String, _ score: Int, _ expectation: AgainstExpectations? = nil, recommend: Int? = nil) -> FeedbackRecord {
        FeedbackRecord(customerID: "c", sessionID: session, intent: intent, score: score, comment: nil, at: day,
                       expectation: expectation, recommend: recommend)
    }

    /// Four conversations, one handed over; ten messages, two not understood (the same words); five ratings.
    static let report: SatisfactionReport = {
        let sessions = [
            SessionRecord(id: "s1", customerID: "a", channel: "console", startedAt: day),
            SessionRecord(id: "s2", customerID: "b", channel: "protocol", startedAt: day),
            SessionRecord(id: "s3", customerID: "c", channel: "protocol", startedAt: day, handedOffAt: day, handoffReason: "frustration"),
            SessionRecord(id: "s4", customerID: "d", channel: "protocol", startedAt: day),
        ]
        let turns = [
            turn("s1", 1, "where is my order", "order_status"), turn("s1", 2, "thanks", "thanks"),
            turn("s2", 1, "how much is delivery", "delivery_costs"), turn("s2", 2, "Blorp zingle!", nil, missed: true),
            turn("s3", 1, "blorp   zingle", nil, missed: true), turn("s3", 2, "where is my order", "order_status"),
            turn("s3", 3, "4", nil), // an answer to a feedback question: not a miss
            turn("s4", 1, "where is my order", "order_status"), turn("s4", 2, "something odd", nil, missed: true),
            turn("s4", 3, "how much is delivery", "delivery_costs"),
        ]
        let feedback = [
            rating("s1", "order_status", 5, .above, recommend: 10), rating("s2", "delivery_costs", 4, .met, recommend: 9),
            rating("s3", "order_status", 1, .below, recommend: 2), rating("s4", "order_status", 2, .below),
            rating("s4", "delivery_costs", 5, .met, recommend: 7),
        ]
        var customers = ["a", "b", "c", "d"].map { CustomerProfile(id: $0) }
        customers[0].stage = .client
        customers[1].stage = .prospect
        customers[2].stage = .prospect
        customers.append(CustomerProfile(id: CustomerProfile.anonymousPrefix + "x"))
        return SatisfactionReport(sessions: sessions, turns: turns, feedback: feedback, customers: customers)
    }()

    @Test func theHeadlineFigures() {
        let report = Self.report
        #expect(report.conversations == 4)
        #expect(report.feedbackCount == 5)
        #expect(report.csat == 0.6) // 5, 4, 5 of five ratings
        #expect(report.averageScore == 3.4)
        #expect(report.promoters == 2 && report.passives == 1 && report.detractors == 1)
        #expect(report.nps == 25) // (2 - 1) / 4
        #expect(report.expectations == [.above: 1, .met: 2, .below: 2])
        #expect(report.containment == 0.75)
        #expect(report.handoffs == ["frustration": 1])
        #expect(report.fallbackRate == 0.3) // three missed of ten
        #expect(report.ladder == [.client: 1, .prospect: 2, .suspect: 1], "anonymous customers are not on the ladder")
    }

    @Test func intentsWorstFirst() {
        #expect(Self.report.intents.map(\.intent) == ["order_status", "delivery_costs", "thanks"])
        #expect(Self.report.intents[0] == .init(intent: "order_status", answered: 3, ratings: 3, csat: 1.0 / 3))
        #expect(Self.report.intents[1] == .init(intent: "delivery_costs", answered: 2, ratings: 2, csat: 1))
    }

    @Test func theMessagesNotUnderstoodAreGroupedMostFrequentFirst() {
        #expect(Self.report.unmatched == [.init(text: "Blorp zingle!", count: 2), .init(text: "something odd", count: 1)])
    }

    @Test func nothingToReportIsNotAnError() {
        let empty = SatisfactionReport(sessions: [], turns: [], feedback: [], customers: [])
        #expect(empty.csat == nil && empty.nps == nil && empty.containment == nil && empty.fallbackRate == nil)
        #expect(empty.intents.isEmpty && empty.unmatched.isEmpty)
    }
}
