/// One intent the matcher considered, with how confident it is (0 to 1).
public struct IntentCandidate: Hashable, Sendable, Codable {
    public var intent: String
    public var confidence: Double

    public init(intent: String, confidence: Double) {
        self.intent = intent
        self.confidence = confidence
    }
}

/// Ranks every intent of a bot for a message, best first. Deciding what to do
/// with the ranking is the `DecisionPolicy`'s job, not the ranker's.
public protocol IntentRanker: Sendable {
    func rank(_ message: String) -> [IntentCandidate]
    /// The ranking among the intents that may be considered (a follow-up only
    /// while its context is open). A ranker whose confidences share one total
    /// shares it among these alone, so an intent that cannot apply takes none
    /// of it.
    func rank(_ message: String, among allowed: (String) -> Bool) -> [IntentCandidate]
}

extension IntentRanker {
    /// By default the full ranking without the intents left out.
    public func rank(_ message: String, among allowed: (String) -> Bool) -> [IntentCandidate] {
        rank(message).filter { allowed($0.intent) }
    }
}

/// A ranker that can say how much memory its trained model takes.
public protocol ModelSizeReporting {
    /// Bytes held by the trained model (weights, vocabulary, frequencies).
    var modelBytes: Int { get }
}
