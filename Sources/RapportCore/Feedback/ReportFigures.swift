import Foundation

/// The counts a satisfaction report is computed from, for a period: what a
/// store adds up where the rows are (in SQL, for a database), so the report
/// never needs every row. `init(sessions:turns:feedback:customers:)` adds them
/// up from records, the same way, for the store in memory and for tests.
public struct ReportFigures: Hashable, Sendable {
    /// Ratings of one intent: how many, and how many scored 4 or 5.
    public struct Ratings: Hashable, Sendable {
        public var count: Int
        public var satisfied: Int

        public init(count: Int, satisfied: Int) {
            self.count = count
            self.satisfied = satisfied
        }
    }

    /// A message not understood, as typed, how often, and where it first came
    /// (a position in the period's turns in order of time: lower is earlier).
    public struct Missed: Hashable, Sendable {
        public var text: String
        public var count: Int
        public var first: Int

        public init(text: String, count: Int, first: Int) {
            self.text = text
            self.count = count
            self.first = first
        }
    }

    /// Sessions started in the period, and those of them never handed to a person.
    public var conversations = 0
    public var contained = 0
    /// Handoffs by reason, among those sessions.
    public var handoffs: [String: Int] = [:]
    /// Customer messages in the period, and those the bot did not understand.
    public var customerMessages = 0
    public var missedMessages = 0
    /// Messages answered, by intent.
    public var answered: [String: Int] = [:]
    /// Feedback records in the period; those scoring 4 or 5; the sum of their scores.
    public var feedback = 0
    public var satisfied = 0
    public var scoreTotal = 0
    /// Ratings by the intent rated.
    public var rated: [String: Ratings] = [:]
    public var expectations: [AgainstExpectations: Int] = [:]
    /// Answers to "would you recommend us" (0 to 10): 9 and 10, 7 and 8, 0 to 6.
    public var promoters = 0, passives = 0, detractors = 0
    /// Customers known by name at each stage of the ladder (all of them, not just the period's).
    public var ladder: [LoyaltyStage: Int] = [:]
    /// The messages not understood, grouped by their exact text.
    public var missed: [Missed] = []

    public init() {}

    /// The figures of these records, which are the period's already.
    public init(sessions: [SessionRecord], turns: [TurnRecord], feedback records: [FeedbackRecord], customers: [CustomerProfile]) {
        conversations = sessions.count
        contained = sessions.filter { $0.handedOffAt == nil }.count
        for session in sessions { if let reason = session.handoffReason { handoffs[reason, default: 0] += 1 } }
        customerMessages = turns.count
        var missedByText: [String: Missed] = [:]
        let ordered = turns.sorted { ($0.at, $0.sessionID, $0.sequence) < ($1.at, $1.sessionID, $1.sequence) }
        for (position, turn) in ordered.enumerated() {
            if let intent = turn.intent { answered[intent, default: 0] += 1 }
            guard turn.missed else { continue }
            missedMessages += 1
            missedByText[turn.customerText, default: Missed(text: turn.customerText, count: 0, first: position)].count += 1
        }
        missed = missedByText.values.sorted { $0.first < $1.first }
        feedback = records.count
        for record in records {
            scoreTotal += record.score
            if record.score >= 4 { satisfied += 1 }
            if let intent = record.intent {
                rated[intent, default: Ratings(count: 0, satisfied: 0)].count += 1
                if record.score >= 4 { rated[intent]?.satisfied += 1 }
            }
            if let expectation = record.expectation { expectations[expectation, default: 0] += 1 }
            switch record.recommend {
            case let score? where score >= 9: promoters += 1
            case let score? where score >= 7: passives += 1
            case .some: detractors += 1
            case nil: break
            }
        }
        for customer in customers where !customer.isAnonymous { ladder[customer.stage, default: 0] += 1 }
    }
}
