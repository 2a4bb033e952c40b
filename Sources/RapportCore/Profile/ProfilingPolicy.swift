/// When the bot may ask for one more piece of the customer's profile, and
/// which: the fishing expedition that asks little at first and more as trust grows.
public struct ProfilingPolicy: Hashable, Sendable {
    public var catalogue: ProfileCatalogue

    public init(catalogue: ProfileCatalogue) {
        self.catalogue = catalogue
    }

    /// Where the conversation is, as far as asking is concerned.
    public struct Moment: Hashable, Sendable {
        /// Customer messages in this conversation so far, this one included.
        public var messages: Int
        /// The message number of the last profile question in this conversation, if any.
        public var lastQuestionAt: Int?
        /// Profile questions asked in this conversation.
        public var questionsAsked: Int
        /// True only when the customer's own request was just answered and
        /// nothing else is waiting (no slot to fill, no question pending, no handoff).
        public var requestDealtWith: Bool
        /// Fields already asked in this conversation (answered, refused or passed over).
        public var notNow: Set<String>

        public init(messages: Int, lastQuestionAt: Int?, questionsAsked: Int, requestDealtWith: Bool, notNow: Set<String> = []) {
            self.messages = messages
            self.lastQuestionAt = lastQuestionAt
            self.questionsAsked = questionsAsked
            self.requestDealtWith = requestDealtWith
            self.notNow = notNow
        }
    }

    /// Why no question is asked now, for the debug view and tests.
    public enum Silence: Hashable, Sendable {
        case anonymous, optedOut, requestNotDealtWith, firstMessagesOfFirstVisit, coolingDown, enoughThisConversation
        /// The catalogue asks nothing in a customer's first conversation (`first_conversation: false`).
        case firstVisit
        /// Every field the trust allows is known, declined or never asked.
        case nothingToAsk
    }

    /// The field to ask for now, or why not.
    public func nextQuestion(for profile: CustomerProfile, at moment: Moment) -> Result<ProfileField, Silence> {
        let rules = catalogue.asking
        if profile.isAnonymous { return .failure(.anonymous) }
        if !profile.profilingOn { return .failure(.optedOut) }
        if !moment.requestDealtWith { return .failure(.requestNotDealtWith) }
        if profile.visits <= 1 && !rules.inFirstConversation { return .failure(.firstVisit) }
        if profile.visits <= 1 && moment.messages < rules.quietMessages { return .failure(.firstMessagesOfFirstVisit) }
        if moment.questionsAsked >= rules.perConversation { return .failure(.enoughThisConversation) }
        if let last = moment.lastQuestionAt, moment.messages.subtracting(saturating: last) < rules.messagesBetween { return .failure(.coolingDown) }
        let candidates = catalogue.fields.enumerated().filter { _, field in
            !field.questions.isEmpty && profile.facts[field.name] == nil && profile.declined[field.name] == nil
                && !moment.notNow.contains(field.name)
                && profile.trust >= catalogue.trust.threshold(tier: field.tier)
        }
        // The least sensitive first; within a tier, the catalogue's order.
        guard let best = candidates.min(by: { ($0.element.tier, $0.offset) < ($1.element.tier, $1.offset) }) else {
            return .failure(.nothingToAsk)
        }
        return .success(best.element)
    }
}

extension ProfilingPolicy.Silence: Error {}
