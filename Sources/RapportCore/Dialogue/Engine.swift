import Foundation

/// A loaded bot with its trained ranker and decision policy: everything a
/// conversation needs that does not change while it runs. Build once, share freely.
public struct Engine: Sendable {
    public let bot: Bot
    public let ranker: any IntentRanker
    public let policy: DecisionPolicy
    private let patterns: PatternMatcher
    public let entities: EntityExtractor
    /// Reads profile answers and volunteered facts.
    public let profileReader: ProfileReader
    public let profiling: ProfilingPolicy
    /// Entities whose text is a value (order numbers, dates, sums), not words about the intent.
    private let valueEntities: Set<String>
    /// The contexts each follow-up intent needs, for the intents that need one.
    private let contextual: [String: Set<String>]

    /// The ranker is trained on the examples as the engine reads messages:
    /// with entity values standing as their type (`masked(_:)`).
    public init(bot: Bot, ranker: (any IntentRanker)? = nil, policy: DecisionPolicy? = nil) {
        self.bot = bot
        self.policy = policy ?? DecisionPolicy(settings: bot.matching)
        self.patterns = PatternMatcher(intents: bot.intents)
        let entities = EntityExtractor(types: bot.entities)
        let valueEntities = Set(bot.entities.filter {
            if case .list = $0.recognizer { return false }
            return true
        }.map(\.name))
        self.entities = entities
        self.profileReader = ProfileReader(catalogue: bot.profile, entities: entities)
        self.profiling = ProfilingPolicy(catalogue: bot.profile)
        self.valueEntities = valueEntities
        self.contextual = Dictionary(bot.intents.filter { !$0.needsContext.isEmpty }.map { ($0.name, Set($0.needsContext)) }) { first, _ in first }
        if let ranker {
            self.ranker = ranker
        } else {
            let reference = Date(timeIntervalSince1970: 0) // dates only need finding here, not their value
            let masked = bot.intents.map { intent in
                var intent = intent
                intent.examples = intent.examples.map { example in
                    Self.masking(entities.extract(from: example, at: reference).filter { valueEntities.contains($0.entity) }, in: example)
                }
                return intent
            }
            self.ranker = LinearIntentClassifier(intents: masked)
        }
    }

    /// The word an entity's value is read as: "where is HP-10442" reads
    /// "where is entityordernumber", so the classifier learns from the
    /// presence of an order number (when examples show one), not from its digits.
    static func word(for entity: String) -> String {
        "entity" + entity.filter { $0.isLetter || $0.isNumber }
    }

    /// The message with these entities' text replaced by the words for their types.
    static func masking(_ matches: [EntityMatch], in message: String) -> String {
        guard !matches.isEmpty else { return message }
        var scalars = Array(message.unicodeScalars)
        for match in matches.sorted(by: { $0.start > $1.start }) where match.end <= scalars.count {
            scalars.replaceSubrange(match.start..<match.end, with: Array((" " + word(for: match.entity) + " ").unicodeScalars))
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// Ranks, decides and extracts entities in one step; the ranking is kept
    /// for the debug view. A pattern that matches wins outright, with full
    /// confidence, before the ranker's opinion is considered. `now` is when
    /// the message was sent: relative dates ("tomorrow") count from it.
    ///
    /// The ranker reads the values of pattern, date and amount entities as
    /// words for their types: the digits of an order number say nothing about
    /// the intent, and characters the model never saw would only lower its
    /// confidence. List entities (products, countries) are ordinary words and stay.
    ///
    /// Intents that need a context are left out of the ranking unless it is
    /// one of `contexts`, the contexts open in the conversation.
    public func understand(_ message: String, at now: Date, contexts: Set<String> = []) -> Understanding {
        let found = entities.extract(from: message, at: now)
        var ranking = ranker.rank(Self.masking(found.filter { valueEntities.contains($0.entity) }, in: message))
        if !contextual.isEmpty {
            ranking = ranking.filter { contextual[$0.intent].map { $0.isSubset(of: contexts) } ?? true }
        }
        if let intent = patterns.match(message, allowed: { contextual[$0].map { $0.isSubset(of: contexts) } ?? true }) {
            let winner = IntentCandidate(intent: intent, confidence: 1)
            ranking = [winner] + ranking.filter { $0.intent != intent }
            return Understanding(ranking: ranking, decision: .matched(winner), entities: found, byPattern: true)
        }
        return Understanding(ranking: ranking, decision: policy.decide(ranking), entities: found)
    }
}

/// How the engine read one customer message.
public struct Understanding: Hashable, Sendable {
    /// Every intent, best first.
    public var ranking: [IntentCandidate]
    public var decision: MatchDecision
    /// The entities found in the message, in the order they appear.
    public var entities: [EntityMatch]
    /// True when a declared pattern decided, not the ranker.
    public var byPattern = false
    /// Set when this message answered "did you mean A or B?": the message
    /// that raised the question, which the decision applies to.
    public var clarifiedMessage: String?
    /// Set when this message gave the slot the bot was asking for (or
    /// corrected one already given): the slot's name.
    public var slotAnswer: String?
    /// Set when this message answered a question of the bot's other than an
    /// intent's slot, for the debug view: "the profile question about first_name".
    public var answers: String?

    public init(
        ranking: [IntentCandidate], decision: MatchDecision, entities: [EntityMatch] = [],
        byPattern: Bool = false, clarifiedMessage: String? = nil
    ) {
        self.ranking = ranking
        self.decision = decision
        self.entities = entities
        self.byPattern = byPattern
        self.clarifiedMessage = clarifiedMessage
    }

    /// The intent a transcript's INTENT names: the one answered, or none
    /// when the message answered one of the bot's own questions.
    public var turnIntent: String? {
        answers == nil ? matched?.intent : nil
    }

    /// The intent answered, if one was.
    public var matched: IntentCandidate? {
        if case .matched(let candidate) = decision { return candidate }
        return nil
    }

    /// The confidence a turn is recorded with: the answered intent's, else
    /// the top candidate's, whether or not it was trusted.
    public var confidence: Double {
        matched?.confidence ?? ranking.first?.confidence ?? 0
    }
}
