import Foundation

/// The five common ways to segment customers, plus contact details.
public enum SegmentKind: String, Hashable, Sendable, CaseIterable {
    case contact, geographic, demographic, behavioural, benefit, psychographic
}

/// How a customer's answer (or the words they volunteered) is read into a value.
public enum AnswerReader: Hashable, Sendable {
    /// A first name: "Sam", "it's Sam", "call me Sam". Common words that are
    /// not names ("fine", "sorry") are refused.
    case name
    /// A short free answer ("Leeds", "I live in Leeds"), at most a few words.
    case text
    /// A whole number in a range ("34", "I'm 34").
    case number(ClosedRange<Int>)
    /// The values of an entity type found in the answer (an e-mail address;
    /// interests from a list). Several values of a list are joined with ", ".
    case entity(String)
}

/// One thing the bot may learn about a customer, from `intents/profile.yaml`.
public struct ProfileField: Hashable, Sendable {
    public var name: String
    /// How the bot names it to the customer: "your first name".
    public var label: String
    /// Words customers use for it ("email", "e-mail address"), for "forget my email".
    public var synonyms: [String]
    public var kind: SegmentKind
    /// Sensitivity: 1 (a first name) to 4 (interests and lifestyle). A field is
    /// asked for only once trust reaches its tier's threshold.
    public var tier: Int
    /// The question variants; none means the field is never asked, only
    /// volunteered or inferred.
    public var questions: [ResponseTemplate]
    /// Why the bot wants it, said when the customer asks "why do you need that?".
    public var purpose: [ResponseTemplate]
    /// What it is used for, said to a customer who asks unasked ("why do you
    /// need my email?"): the purpose without asking for it again.
    public var use: [ResponseTemplate]
    public var answer: AnswerReader
    /// Regular expressions (searched case-insensitively in the message as
    /// typed) whose first capture group is the value volunteered: "my name is (\w+)".
    public var volunteered: [String]
    /// An entity whose value, in a message the bot answered, is a guess at this field.
    public var inferredFrom: String?
    public var location: SourceLocation?

    public init(
        name: String, label: String, synonyms: [String] = [], kind: SegmentKind, tier: Int,
        questions: [ResponseTemplate], purpose: [ResponseTemplate], use: [ResponseTemplate] = [], answer: AnswerReader,
        volunteered: [String] = [], inferredFrom: String? = nil, location: SourceLocation? = nil
    ) {
        self.name = name
        self.label = label
        self.synonyms = synonyms
        self.kind = kind
        self.tier = tier
        self.questions = questions
        self.purpose = purpose
        self.use = use
        self.answer = answer
        self.volunteered = volunteered
        self.inferredFrom = inferredFrom
        self.location = location
    }
}

/// How trust moves, and how much of it each sensitivity tier needs.
public struct TrustRules: Hashable, Sendable {
    public var weights: [TrustEvent: Double]
    /// The trust a field of each tier needs before it is asked for, tier 1 first.
    public var tierThresholds: [Double]

    public static let `default` = TrustRules(
        weights: [
            .resolvedRequest: 4, .answeredQuestion: 3, .volunteered: 5, .returnVisit: 6,
            .goodFeedback: 8, .badFeedback: -8, .misunderstanding: -2, .refusal: -1,
        ],
        tierThresholds: [8, 20, 40, 60]
    )

    public init(weights: [TrustEvent: Double], tierThresholds: [Double]) {
        self.weights = weights
        self.tierThresholds = tierThresholds
    }

    public func weight(_ event: TrustEvent) -> Double { weights[event] ?? 0 }

    /// The trust a tier needs; tiers beyond the list need more than anyone has.
    public func threshold(tier: Int) -> Double {
        tier >= 1 && tier <= tierThresholds.count ? tierThresholds[tier - 1] : .infinity
    }
}

/// When the bot may ask a profile question.
public struct AskingRules: Hashable, Sendable {
    /// In a customer's first conversation, no question before this many messages.
    public var quietMessages: Int
    /// Whether a question may be asked in a customer's first conversation at all
    /// (after `quietMessages`); when not, asking starts on their return.
    public var inFirstConversation: Bool
    /// Customer messages between two questions, at least.
    public var messagesBetween: Int
    /// Questions in one conversation, at most.
    public var perConversation: Int
    /// Orders a client needs for the partnership level.
    public var partnershipOrders: Int

    public static let `default` = AskingRules(quietMessages: 3, messagesBetween: 3, perConversation: 2, partnershipOrders: 5)

    public init(quietMessages: Int, messagesBetween: Int, perConversation: Int, partnershipOrders: Int, inFirstConversation: Bool = true) {
        self.quietMessages = quietMessages
        self.inFirstConversation = inFirstConversation
        self.messagesBetween = messagesBetween
        self.perConversation = perConversation
        self.partnershipOrders = partnershipOrders
    }
}

/// What the bot says around profiling. Placeholders: `{field}` (a field's
/// label), `{value}`, `{facts}` (everything known, as a list), `{fields}`
/// (the labels of what is known), `{label}` (a solved request's label),
/// `{kept}` (everything an erasure would delete).
public struct ProfileTexts: Hashable, Sendable {
    /// After an answer or volunteered fact: "Thanks, I'll remember {field} is {value}."
    public var remembered: [ResponseTemplate]
    /// After "I'd rather not": no more questions about it.
    public var declined: [ResponseTemplate]
    /// "What do you know about me?" when nothing is known.
    public var knowsNothing: [ResponseTemplate]
    /// "Forget my email" when it is not known.
    public var notKnown: [ResponseTemplate]
    /// "Forget something" without saying what.
    public var whichField: [ResponseTemplate]
    /// "Delete all my data" confirmed: said as the conversation ends.
    public var erased: [ResponseTemplate]
    /// "Delete all my data", then "no".
    public var erasureCancelled: [ResponseTemplate]
    /// "Delete all my data", then an answer that is no clear yes or no: the
    /// question again, once, naming what would be lost (`{kept}`).
    public var erasureUnclear: [ResponseTemplate]
    /// A second answer that is no clear yes: nothing is deleted.
    public var erasureNotConfirmed: [ResponseTemplate]
    /// An answer to "shall I delete everything?" that names what the bot does
    /// not keep ("including my Pine Club account", signals.yaml
    /// `erasure_elsewhere`): where that is dealt with, said before the question again.
    public var erasureElsewhere: [ResponseTemplate]
    /// An answer to "shall I delete everything?" that only says what the
    /// customer has or has not with the shop ("I'm not a member, I just
    /// ordered once": signals.yaml `erasure_elsewhere.standing`): that it
    /// makes no difference, and the question again (`{kept}`).
    public var erasureStanding: [ResponseTemplate]
    /// A fact told while "shall I delete everything?" waits for its yes ("my
    /// email is ..."): not kept, and the customer told so.
    public var notKeptWhileErasing: [ResponseTemplate]
    /// Said by the front end instead of `erased` when the store could not erase everything.
    public var erasureFailed: [ResponseTemplate]
    /// Starting a conversation with an accountable customer whose last request was solved.
    public var checkBack: [ResponseTemplate]
    public var checkBackGood: [ResponseTemplate]
    public var checkBackBad: [ResponseTemplate]

    public static let `default` = ProfileTexts(
        remembered: [try! ResponseTemplate("Thanks, I'll remember that {field} is {value}.")],
        declined: [try! ResponseTemplate("No problem, I won't ask about that again.")],
        knowsNothing: [try! ResponseTemplate("I don't know anything about you yet, apart from our conversations.")],
        notKnown: [try! ResponseTemplate("I don't have {field}, so there is nothing to forget.")],
        whichField: [try! ResponseTemplate("Which detail should I forget? I know {fields}.")],
        erased: [try! ResponseTemplate("Done: I've deleted everything I knew about you, including our conversations. Goodbye.")],
        erasureCancelled: [try! ResponseTemplate("All right, I've deleted nothing.")],
        erasureUnclear: [try! ResponseTemplate("I only delete everything on a clear yes. Shall I delete {kept}? (yes or no)")],
        erasureNotConfirmed: [try! ResponseTemplate("I haven't deleted anything, as I didn't get a clear yes. Ask me again if you want everything deleted.")],
        erasureFailed: [try! ResponseTemplate("Sorry, I couldn't delete everything just now. Please ask again in a moment, or ask for a person.")],
        erasureElsewhere: [try! ResponseTemplate("I don't keep your account or membership, so deleting what I know won't close them: ask our team to.")],
        erasureStanding: [try! ResponseTemplate("That makes no difference: I can still delete {kept}. Shall I? (yes or no)")],
        notKeptWhileErasing: [try! ResponseTemplate("I haven't kept that, as you've asked me to delete what I know about you.")],
        checkBack: [try! ResponseTemplate("Last time you asked me about {label}. Did that work out as you expected?")],
        checkBackGood: [try! ResponseTemplate("Glad to hear it. What can I do for you today?")],
        checkBackBad: [try! ResponseTemplate("I'm sorry it didn't. Would you like me to pass you to a person who can put it right?")]
    )

    public init(
        remembered: [ResponseTemplate], declined: [ResponseTemplate], knowsNothing: [ResponseTemplate],
        notKnown: [ResponseTemplate], whichField: [ResponseTemplate], erased: [ResponseTemplate],
        erasureCancelled: [ResponseTemplate], erasureUnclear: [ResponseTemplate] = ProfileTexts.default.erasureUnclear,
        erasureNotConfirmed: [ResponseTemplate] = ProfileTexts.default.erasureNotConfirmed,
        erasureFailed: [ResponseTemplate] = ProfileTexts.default.erasureFailed,
        erasureElsewhere: [ResponseTemplate] = ProfileTexts.default.erasureElsewhere,
        erasureStanding: [ResponseTemplate] = ProfileTexts.default.erasureStanding,
        notKeptWhileErasing: [ResponseTemplate] = ProfileTexts.default.notKeptWhileErasing,
        checkBack: [ResponseTemplate], checkBackGood: [ResponseTemplate], checkBackBad: [ResponseTemplate]
    ) {
        self.remembered = remembered
        self.declined = declined
        self.knowsNothing = knowsNothing
        self.notKnown = notKnown
        self.whichField = whichField
        self.erased = erased
        self.erasureCancelled = erasureCancelled
        self.erasureUnclear = erasureUnclear
        self.erasureNotConfirmed = erasureNotConfirmed
        self.erasureFailed = erasureFailed
        self.erasureElsewhere = erasureElsewhere
        self.erasureStanding = erasureStanding
        self.notKeptWhileErasing = notKeptWhileErasing
        self.checkBack = checkBack
        self.checkBackGood = checkBackGood
        self.checkBackBad = checkBackBad
    }

    /// The placeholders each kind of text may use.
    public static let placeholders: Set<String> = ["field", "value", "facts", "fields", "label", "kept"]
}

/// A suggestion the bot makes to proactive customers after answering, when
/// the customer fits: personalisation by rules, as data.
public struct Offer: Hashable, Sendable {
    public var name: String
    public var when: CustomerCondition
    /// Intents after whose answer the offer may come; empty: after any request.
    public var after: [String]
    public var texts: [ResponseTemplate]
    public var location: SourceLocation?

    public init(name: String, when: CustomerCondition, after: [String] = [], texts: [ResponseTemplate], location: SourceLocation? = nil) {
        self.name = name
        self.when = when
        self.after = after
        self.texts = texts
        self.location = location
    }
}

/// Who a response variant or an offer is for: every part given must hold.
public struct CustomerCondition: Hashable, Sendable, CustomStringConvertible {
    public var stages: Set<LoyaltyStage>?
    public var levels: Set<RelationshipLevel>?
    /// Fields that must be known.
    public var known: [String] = []
    /// Fields whose value must be one of these (compared folded; a list value
    /// such as interests matches when any of its items does).
    public var values: [String: Set<String>] = [:]
    /// Slots of the intent that must be filled (`given: store`): only in an
    /// intent's replies, so one intent can answer "what are your hours?" in
    /// general and "when is the Leeds shop open?" from its data.
    public var given: [String] = []

    public init(
        stages: Set<LoyaltyStage>? = nil, levels: Set<RelationshipLevel>? = nil, known: [String] = [],
        values: [String: Set<String>] = [:], given: [String] = []
    ) {
        self.stages = stages
        self.levels = levels
        self.known = known
        self.values = values
        self.given = given
    }

    /// Whether any part is about the customer (stage, level, what is known),
    /// not only about the slots given.
    public var isAboutTheCustomer: Bool { stages != nil || levels != nil || !known.isEmpty || !values.isEmpty }

    /// Whether every part holds for this customer, with these slots filled.
    public func holds(for profile: CustomerProfile, level: RelationshipLevel, filled: Set<String> = []) -> Bool {
        if given.contains(where: { !filled.contains($0) }) { return false }
        if let stages, !stages.contains(profile.stage) { return false }
        if let levels, !levels.contains(level) { return false }
        if known.contains(where: { profile.facts[$0] == nil }) { return false }
        for (field, wanted) in values {
            guard let fact = profile.facts[field] else { return false }
            let items = fact.value.split(separator: ",").map { TextNormalizer.fold($0.trimmingCharacters(in: .whitespaces)) }
            if !items.contains(where: { wanted.contains($0) }) { return false }
        }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let stages { parts.append("stage " + stages.map(\.rawValue).sorted().joined(separator: "/")) }
        if let levels { parts.append("level " + levels.map(\.rawValue).sorted().joined(separator: "/")) }
        if !known.isEmpty { parts.append("knows " + known.joined(separator: ", ")) }
        if !given.isEmpty { parts.append("given " + given.joined(separator: ", ")) }
        for (field, wanted) in values.sorted(by: { $0.key < $1.key }) { parts.append("\(field) " + wanted.sorted().joined(separator: "/")) }
        return parts.joined(separator: ", ")
    }
}

/// Everything about profiling a bot declares in `intents/profile.yaml`.
public struct ProfileCatalogue: Hashable, Sendable {
    public var fields: [ProfileField]
    public var trust: TrustRules
    public var asking: AskingRules
    public var texts: ProfileTexts
    public var offers: [Offer]

    /// A bot with no profile.yaml: no questions, defaults for the rest.
    public static let empty = ProfileCatalogue(fields: [], trust: .default, asking: .default, texts: .default, offers: [])

    /// The context a profile question opens for one message, so "why do you
    /// need that?" can be a follow-up intent (`needs_context: profile_question`).
    public static let questionContext = "profile_question"

    /// The context a profile question leaves when the message after it was no
    /// answer: open for one more message, in which a bare answer ("its
    /// Chris") is still taken (`ProfileReader.lateAnswer`).
    public static func passedOverContext(_ field: String) -> String { "\(passedOverPrefix)\(field)" }

    /// The field a `passedOverContext` is about, or nil for any other context.
    public static func passedOverField(_ context: String) -> String? {
        context.hasPrefix(passedOverPrefix) ? String(context.dropFirst(passedOverPrefix.count)) : nil
    }

    private static let passedOverPrefix = "profile_question_passed_over:"

    public init(fields: [ProfileField], trust: TrustRules, asking: AskingRules, texts: ProfileTexts, offers: [Offer]) {
        self.fields = fields
        self.trust = trust
        self.asking = asking
        self.texts = texts
        self.offers = offers
    }

    public func field(named name: String) -> ProfileField? {
        fields.first { $0.name == name }
    }
}

/// What an intent does to the customer's profile, besides answering.
public enum ProfileAction: String, Hashable, Sendable, CaseIterable {
    /// "What do you know about me?": `{facts}` lists everything known.
    case showProfile = "show_profile"
    /// "Forget my email": removes that fact and never asks for it again.
    case forgetField = "forget_field"
    /// "Delete all my data": the response asks to confirm; "yes" erases everything.
    case eraseCustomer = "erase_customer"
    /// "Stop asking me questions".
    case stopProfiling = "stop_profiling"
    /// "You can ask me questions again".
    case resumeProfiling = "resume_profiling"
    /// "Why do you need that?", after a profile question: the field's purpose.
    case explainPurpose = "explain_purpose"
    /// "Why do you need my email?", "how did you get my name?", asked at any
    /// time: the named field's `use`, or its purpose while it is being asked for.
    case explainUse = "explain_use"

    /// "My name is Sam", "I live in Leeds": the reply confirms what was
    /// noted; the intent's responses are said only when nothing could be read.
    case introduce
    /// "I want to leave feedback": the bot asks its feedback questions (the intent's responses are not said).
    case giveFeedback = "give_feedback"

    /// What the replies of an `explain_use` intent may name in `when: {given:
    /// ...}`: `field` and `use`, filled when the message names a field that has a `use`.
    public static let explainUseGiven = ["field", "use"]
}

/// What an intent's answer is evidence of, for the loyalty ladder.
public enum LoyaltyEvidence: String, Hashable, Sendable, CaseIterable {
    /// Answering it with a lookup that found the record (an order) shows the customer has bought.
    case purchase
    /// The customer says they recommended the shop.
    case recommendation
}
