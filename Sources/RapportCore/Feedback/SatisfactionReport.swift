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

    /// The report of these records, which are the period's already.
    public init(
        sessions: [SessionRecord], turns: [TurnRecord], feedback: [FeedbackRecord], customers: [CustomerProfile],
        since: Date? = nil, until: Date? = nil, unmatchedLimit: Int = 10
    ) {
        self.init(
            figures: ReportFigures(sessions: sessions, turns: turns, feedback: feedback, customers: customers),
            since: since, until: until, unmatchedLimit: unmatchedLimit)
    }

    /// The report of a period's figures, as a store adds them up.
    public init(figures: ReportFigures, since: Date? = nil, until: Date? = nil, unmatchedLimit: Int = 10) {
        self.since = since
        self.until = until
        conversations = figures.conversations
        customerMessages = figures.customerMessages
        feedbackCount = figures.feedback
        if figures.feedback > 0 {
            csat = Double(figures.satisfied) / Double(figures.feedback)
            averageScore = Double(figures.scoreTotal) / Double(figures.feedback)
        }
        (promoters, passives, detractors) = (figures.promoters, figures.passives, figures.detractors)
        let recommendations = promoters + passives + detractors
        if recommendations > 0 {
            nps = 100 * Double(promoters - detractors) / Double(recommendations)
        }
        expectations = figures.expectations
        intents = Set(figures.answered.keys).union(figures.rated.keys).map { intent in
            let ratings = figures.rated[intent] ?? ReportFigures.Ratings(count: 0, satisfied: 0)
            return IntentLine(
                intent: intent, answered: figures.answered[intent] ?? 0, ratings: ratings.count,
                csat: ratings.count == 0 ? nil : Double(ratings.satisfied) / Double(ratings.count))
        }.sorted { lhs, rhs in
            // Rated intents, worst first; then the unrated, busiest first.
            switch (lhs.csat, rhs.csat) {
            case let (l?, r?) where l != r: return l < r
            case (.some, nil): return true
            case (nil, .some): return false
            default: return (lhs.answered, rhs.intent) > (rhs.answered, lhs.intent)
            }
        }
        if figures.conversations > 0 {
            containment = Double(figures.contained) / Double(figures.conversations)
        }
        handoffs = figures.handoffs
        if figures.customerMessages > 0 {
            fallbackRate = Double(figures.missedMessages) / Double(figures.customerMessages)
        }
        ladder = figures.ladder
        // Not understood: grouped by their folded words, shown as first typed.
        var groups: [String: (text: String, count: Int, first: Int)] = [:]
        for message in figures.missed {
            let key = TextNormalizer.tokens(message.text).joined(separator: " ")
            guard !key.isEmpty else { continue }
            if let group = groups[key] {
                groups[key] = group.first <= message.first
                    ? (group.text, group.count + message.count, group.first)
                    : (message.text, group.count + message.count, message.first)
            } else {
                groups[key] = (message.text, message.count, message.first)
            }
        }
        unmatched = groups.values.sorted { ($0.count, -$0.first) > ($1.count, -$1.first) }
            .prefix(unmatchedLimit).map { Unmatched(text: $0.text, count: $0.count) }
    }
}
