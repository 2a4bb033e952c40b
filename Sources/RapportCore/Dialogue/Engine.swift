/// A loaded bot with its trained ranker and decision policy: everything a
/// conversation needs that does not change while it runs. Build once, share freely.
public struct Engine: Sendable {
    public let bot: Bot
    public let ranker: any IntentRanker
    public let policy: DecisionPolicy

    public init(bot: Bot, ranker: (any IntentRanker)? = nil, policy: DecisionPolicy? = nil) {
        self.bot = bot
        self.ranker = ranker ?? SimilarityMatcher(intents: bot.intents)
        self.policy = policy ?? DecisionPolicy(settings: bot.matching)
    }

    /// Ranks and decides in one step; the ranking is kept for the debug view.
    public func understand(_ message: String) -> Understanding {
        let ranking = ranker.rank(message)
        return Understanding(ranking: ranking, decision: policy.decide(ranking))
    }
}

/// How the engine read one customer message.
public struct Understanding: Hashable, Sendable {
    /// Every intent, best first.
    public var ranking: [IntentCandidate]
    public var decision: MatchDecision

    /// The intent answered, if one was.
    public var matched: IntentCandidate? {
        if case .matched(let candidate) = decision { return candidate }
        return nil
    }
}
