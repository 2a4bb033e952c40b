import Foundation

/// What support staff read: satisfaction, where the bot and the service fall
/// short, and who the customers are, over a period. Computed from stored
/// records; pure.
public struct SatisfactionReport: Hashable, Sendable {
    /// One intent's volume and satisfaction.
    public struct IntentLine: Hashable, Sendable {
        public var intent: String
        /// Customer messages it answered.
        public var answered: Int
        /// Feedback records rating it, and the share of them scoring 4 or 5.
        public var ratings: Int
        public var csat: Double?
    }

    /// A message the bot did not understand, and how often it came.
    public struct Unmatched: Hashable, Sendable {
        public var text: String
        public var count: Int
    }

    public var since: Date?
    public var until: Date?
    public var conversations: Int
    public var customerMessages: Int
    public var feedbackCount: Int
    /// Share of scores that are 4 or 5; nil without feedback.
    public var csat: Double?
    public var averageScore: Double?
    /// Net promoter score (% promoters − % detractors) and its parts; nil without answers.
    public var nps: Double?
    public var promoters = 0, passives = 0, detractors = 0
    /// Answers about expectations: below (dissatisfied), met (satisfied), above (delighted).
    public var expectations: [AgainstExpectations: Int] = [:]
    /// Worst satisfaction first, then the busiest.
    public var intents: [IntentLine] = []
    /// Share of conversations that ended without a person.
    public var containment: Double?
    public var handoffs: [String: Int] = [:]
    /// Share of customer messages the bot did not understand.
    public var fallbackRate: Double?
    /// Customers at each stage of the ladder of loyalty (all customers, not just the period's).
    public var ladder: [LoyaltyStage: Int] = [:]
    /// The most frequent messages not understood, masked, for review.
    public var unmatched: [Unmatched] = []

    /// The profitability/loyalty quadrants need what each customer spends,
    /// which rapport does not know: said in the report rather than guessed.
    public static let quadrantsUnavailable =
        "profitability x loyalty quadrants need order values per customer, which the store does not have"

    public init(
        sessions: [SessionRecord], turns: [TurnRecord], feedback: [FeedbackRecord], customers: [CustomerProfile],
        since: Date? = nil, until: Date? = nil, unmatchedLimit: Int = 10
    ) {
        self.since = since
        self.until = until
        conversations = sessions.count
        customerMessages = turns.count
        feedbackCount = feedback.count
        if !feedback.isEmpty {
            csat = Double(feedback.filter { $0.score >= 4 }.count) / Double(feedback.count)
            averageScore = Double(feedback.map(\.score).reduce(0, +)) / Double(feedback.count)
        }
        let recommendations = feedback.compactMap(\.recommend)
        if !recommendations.isEmpty {
            promoters = recommendations.filter { $0 >= 9 }.count
            detractors = recommendations.filter { $0 <= 6 }.count
            passives = recommendations.count - promoters - detractors
            nps = 100 * Double(promoters - detractors) / Double(recommendations.count)
        }
        for record in feedback {
            if let expectation = record.expectation { expectations[expectation, default: 0] += 1 }
        }
        var answered: [String: Int] = [:]
        for turn in turns { if let intent = turn.intent { answered[intent, default: 0] += 1 } }
        var rated: [String: [Int]] = [:]
        for record in feedback { if let intent = record.intent { rated[intent, default: []].append(record.score) } }
        intents = Set(answered.keys).union(rated.keys).map { intent in
            let scores = rated[intent] ?? []
            return IntentLine(
                intent: intent, answered: answered[intent] ?? 0, ratings: scores.count,
                csat: scores.isEmpty ? nil : Double(scores.filter { $0 >= 4 }.count) / Double(scores.count))
        }.sorted { lhs, rhs in
            // Rated intents, worst first; then the unrated, busiest first.
            switch (lhs.csat, rhs.csat) {
            case let (l?, r?) where l != r: return l < r
            case (.some, nil): return true
            case (nil, .some): return false
            default: return (lhs.answered, rhs.intent) > (rhs.answered, lhs.intent)
            }
        }
        if !sessions.isEmpty {
            containment = Double(sessions.filter { $0.handedOffAt == nil }.count) / Double(sessions.count)
        }
        for session in sessions { if let reason = session.handoffReason { handoffs[reason, default: 0] += 1 } }
        if !turns.isEmpty {
            fallbackRate = Double(turns.filter(\.missed).count) / Double(turns.count)
        }
        for customer in customers where !customer.isAnonymous { ladder[customer.stage, default: 0] += 1 }
        // Not understood: grouped by their folded words, shown as first typed.
        var groups: [String: (text: String, count: Int, first: Int)] = [:]
        for (index, turn) in turns.enumerated() where turn.missed {
            let key = TextNormalizer.tokens(turn.customerText).joined(separator: " ")
            guard !key.isEmpty else { continue }
            if let group = groups[key] {
                groups[key] = (group.text, group.count + 1, group.first)
            } else {
                groups[key] = (turn.customerText, 1, index)
            }
        }
        unmatched = groups.values.sorted { ($0.count, -$0.first) > ($1.count, -$1.first) }
            .prefix(unmatchedLimit).map { Unmatched(text: $0.text, count: $0.count) }
    }
}
