/// What the engine does with a ranking: answer an intent or fall back.
public enum MatchDecision: Hashable, Sendable {
    case matched(IntentCandidate)
    /// Nothing was confident enough; carries the best candidate, if any, for the debug view.
    case fallback(best: IntentCandidate?)
}

/// Turns a ranking into a decision. Kept apart from the ranker so the
/// thresholds are settings, not buried in the matcher.
public struct DecisionPolicy: Hashable, Sendable {
    public var settings: MatchingSettings

    public init(settings: MatchingSettings) {
        self.settings = settings
    }

    public func decide(_ ranking: [IntentCandidate]) -> MatchDecision {
        guard let best = ranking.first else { return .fallback(best: nil) }
        // Nothing in common with any example is never a match, whatever the threshold.
        let trusted = best.confidence > 0 && best.confidence >= settings.confidenceThreshold
        return trusted ? .matched(best) : .fallback(best: best)
    }
}
