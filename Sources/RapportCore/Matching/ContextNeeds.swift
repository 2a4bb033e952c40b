/// The contexts each follow-up intent needs (`needs_context`), and the one
/// rule for which intents may be considered: an intent is a candidate only
/// while every context it needs is open; an intent that needs none always is.
/// "France" means a delivery country only after a delivery question.
public struct ContextNeeds: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// The contexts needed, by intent name, for the intents that need one.
    public let needed: [String: Set<String>]

    public init(_ needed: [String: Set<String>]) {
        self.needed = needed.filter { !$0.value.isEmpty }
    }

    public init(dictionaryLiteral elements: (String, Set<String>)...) {
        self.init(Dictionary(elements) { first, _ in first })
    }

    /// What `intents` declare with `needs_context`.
    public init(intents: [Intent]) {
        self.init(Dictionary(intents.filter { !$0.needsContext.isEmpty }.map { ($0.name, Set($0.needsContext)) }) { first, _ in first })
    }

    /// True when no intent needs a context: nothing is ever left out.
    public var isEmpty: Bool { needed.isEmpty }

    /// Whether `intent` may be considered while `open` are the open contexts.
    public func allows(_ intent: String, open: Set<String>) -> Bool {
        needed[intent].map { $0.isSubset(of: open) } ?? true
    }

    /// The ranking among the intents that can be considered while `open` are
    /// the open contexts: the others take no share of the confidence.
    public func rank(_ message: String, with ranker: any IntentRanker, open: Set<String>) -> [IntentCandidate] {
        isEmpty ? ranker.rank(message) : ranker.rank(message, among: { allows($0, open: open) })
    }
}
