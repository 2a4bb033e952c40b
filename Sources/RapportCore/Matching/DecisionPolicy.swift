/// What the engine does with a ranking: answer an intent, ask which of two
/// the customer meant, or say it did not understand.
public enum MatchDecision: Hashable, Sendable {
    case matched(IntentCandidate)
    /// The top two are too close to call: ask the customer which one they meant.
    case ambiguous(IntentCandidate, IntentCandidate)
    /// Nothing was confident enough (out of scope); carries the best candidate,
    /// if any, for the debug view.
    case fallback(best: IntentCandidate?)

    /// Whether nothing was understood.
    public var isFallback: Bool {
        if case .fallback = self { true } else { false }
    }
}

/// Turns a ranking into a decision. Kept apart from the ranker so the
/// thresholds are settings (bot.yaml's `matching:`), not buried in the matcher:
/// - the top candidate below `confidenceThreshold` is out of scope;
/// - otherwise, when the runner-up is within `clarifyMargin` of it, ask which;
/// - otherwise answer the top candidate.
public struct DecisionPolicy: Hashable, Sendable {
    public var settings: MatchingSettings

    public init(settings: MatchingSettings) {
        self.settings = settings
    }

    public func decide(_ ranking: [IntentCandidate]) -> MatchDecision {
        guard let best = ranking.first else { return .fallback(best: nil) }
        // Nothing in common with any example is never a match, whatever the threshold.
        guard best.confidence > 0, best.confidence >= settings.confidenceThreshold else { return .fallback(best: best) }
        if ranking.count > 1, settings.clarifyMargin > 0, best.confidence - ranking[1].confidence < settings.clarifyMargin {
            return .ambiguous(best, ranking[1])
        }
        return .matched(best)
    }
}
