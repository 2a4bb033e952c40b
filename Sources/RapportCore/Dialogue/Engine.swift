/// A loaded bot with its trained ranker and decision policy: everything a
/// conversation needs that does not change while it runs. Build once, share freely.
public struct Engine: Sendable {
    public let bot: Bot
    public let ranker: any IntentRanker
    public let policy: DecisionPolicy
    private let patterns: PatternMatcher

    public init(bot: Bot, ranker: (any IntentRanker)? = nil, policy: DecisionPolicy? = nil) {
        self.bot = bot
        self.ranker = ranker ?? SimilarityMatcher(intents: bot.intents)
        self.policy = policy ?? DecisionPolicy(settings: bot.matching)
        self.patterns = PatternMatcher(intents: bot.intents)
    }

    /// Ranks and decides in one step; the ranking is kept for the debug view.
    /// A pattern that matches wins outright, with full confidence, before the
    /// ranker's opinion is considered.
    public func understand(_ message: String) -> Understanding {
        var ranking = ranker.rank(message)
        if let intent = patterns.match(message) {
            let winner = IntentCandidate(intent: intent, confidence: 1)
            ranking = [winner] + ranking.filter { $0.intent != intent }
            return Understanding(ranking: ranking, decision: .matched(winner), byPattern: true)
        }
        return Understanding(ranking: ranking, decision: policy.decide(ranking))
    }
}

/// How the engine read one customer message.
public struct Understanding: Hashable, Sendable {
    /// Every intent, best first.
    public var ranking: [IntentCandidate]
    public var decision: MatchDecision
    /// True when a declared pattern decided, not the ranker.
    public var byPattern = false

    public init(ranking: [IntentCandidate], decision: MatchDecision, byPattern: Bool = false) {
        self.ranking = ranking
        self.decision = decision
        self.byPattern = byPattern
    }

    /// The intent answered, if one was.
    public var matched: IntentCandidate? {
        if case .matched(let candidate) = decision { return candidate }
        return nil
    }
}
