/// "Did you mean A or B?", waiting for the customer's answer.
public struct PendingClarification: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The message that was too close to call.
    public var message: String
    /// The two intents offered, in the order they were offered.
    public var options: [IntentCandidate]
    /// The entities of that message, used when the answer is chosen.
    public var entities: [EntityMatch]

    public init(message: String, options: [IntentCandidate], entities: [EntityMatch]) {
        self.message = message
        self.options = options
        self.entities = entities
    }

    public var description: String { "which of " + options.map(\.intent).joined(separator: " or ") }

    /// How the customer answered.
    public enum Answer: Hashable, Sendable {
        /// One of the options: by number ("2", "the second one") or by its words.
        case option(IntentCandidate)
        /// Neither ("neither", "no", "something else").
        case neither
        /// Not an answer to the question: a new message, handled as usual.
        case somethingElse
    }

    private static let firstWords: Set<String> = ["1", "1st", "first", "former"]
    private static let secondWords: Set<String> = ["2", "2nd", "second", "latter"]
    private static let neitherWords: Set<String> = ["neither", "none", "nor"]
    /// Words that say nothing about which option: "the first one please".
    private static let filler: Set<String> = [
        "the", "a", "an", "one", "option", "number", "i", "meant", "mean", "it", "is", "am", "are", "please", "that", "this",
        "yes", "yeah", "yep", "ok", "okay", "thanks", "thank", "you", "your", "think", "about", "my", "was", "do", "want", "to",
        "for", "of", "in", "on", "and", "or", "what", "how", "can", "with", "me", "we", "be", "have", "not", "some", "something",
    ]
    /// Longer replies are new messages, even if they share a word with an option.
    private static let longestAnswer = 6

    /// - Parameter understanding: how the engine read the reply on its own.
    public func resolve(_ reply: String, understanding: Understanding, engine: Engine) -> Answer {
        let words = TextNormalizer.tokens(reply)
        let content = words.filter { !Self.filler.contains($0) }
        guard !words.isEmpty, content.count <= Self.longestAnswer, options.count == 2 else { return .somethingElse }
        // A number or position chooses only in a short reply that mentions no
        // sum or date ("is it £2?" is a new question, not option 2).
        if content.count <= 2 && understanding.entities.isEmpty {
            let saysFirst = words.contains { Self.firstWords.contains($0) } || words == ["one"]
            let saysSecond = words.contains { Self.secondWords.contains($0) } || words == ["two"]
            if saysFirst != saysSecond { return .option(saysFirst ? options[0] : options[1]) }
        }
        if words.contains(where: { Self.neitherWords.contains($0) }) || ["no", "nope", "something else", "no thanks", "other"].contains(words.joined(separator: " ")) {
            return .neither
        }
        // A reply the bot understands on its own is a new request, unless it is one of the options.
        if let matched = understanding.matched {
            if let option = options.first(where: { $0.intent == matched.intent }) { return .option(option) }
            return .somethingElse
        }
        // The words of an option's label or name ("the delivery costs", "costs").
        let scores = options.map { option -> Int in
            let label = engine.bot.intent(named: option.intent)?.label ?? option.intent
            let known = Set(TextNormalizer.tokens(label) + TextNormalizer.tokens(option.intent.replacingOccurrences(of: "_", with: " ")))
                .subtracting(Self.filler)
            return content.filter { known.contains($0) }.count
        }
        if scores[0] != scores[1] { return .option(scores[0] > scores[1] ? options[0] : options[1]) }
        return .somethingElse
    }
}
