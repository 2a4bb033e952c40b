/// Where a piece of the bot's knowledge was written, for error messages and
/// for support staff tracing a reply back to its file.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A quick-reply choice offered with a reply, for hosts that show buttons.
/// The reply's text must read well without it.
public struct QuickReply: Hashable, Sendable {
    /// What the button says.
    public var title: String
    /// What is sent as the customer's message when it is pressed.
    public var message: String

    public init(title: String, message: String? = nil) {
        self.title = title
        self.message = message ?? title
    }
}

/// Something a customer may want, with the ways they say it and the ways the bot answers.
public struct Intent: Hashable, Sendable {
    /// Customer messages a context lasts for when the intent does not say.
    public static let defaultContextTurns = 3

    public var name: String
    /// The file (topic) the intent was declared in, without its extension.
    public var topic: String
    /// One line for support staff and `/help`: what the intent is for.
    public var summary: String?
    /// What the customer sees when the bot offers this intent as a choice
    /// ("Did you mean delivery costs or delivery times?"): a few words.
    public var label: String
    public var examples: [String]
    public var responses: [ResponseTemplate]
    /// Short answers to one detail of the answer ("cost": "Click and collect
    /// is free."), said instead of the whole answer when the customer asks
    /// only that: with the intent's own words ("is click and collect free?"),
    /// or just after its answer ("is it free?"). The detail names are those
    /// of the lexicon's `details`, which holds the words that ask for each.
    public var details: [IntentDetail]
    /// The details of these names it has, in its own order.
    public func details(named names: [String]) -> [IntentDetail] { details.filter { names.contains($0.name) } }
    /// Said when the customer tells more about the request just answered,
    /// which its answer again could not meet ("the staff in the Manchester
    /// shop were rude" after the complaint's "tell me what happened"):
    /// instead of the bot ladder's `repeated`, and a person is offered.
    public var toldMore: [ResponseTemplate]
    /// When true, the intent only exchanges pleasantries ("thanks", "ok",
    /// "hello", "you've been brilliant"): said beside a question, it is set
    /// aside for the question, and said just after an answer, it closes that
    /// request, the moment for a personal question (`pleasantry: true`).
    public var isPleasantry: Bool
    /// When true, answering this intent ends the conversation (a goodbye).
    public var endsConversation: Bool
    /// When true, answering this intent hands the conversation to a person.
    public var handsOff: Bool
    /// Choices offered with this intent's replies.
    public var quickReplies: [QuickReply]
    /// Phrasings that always mean this intent, checked before the classifier.
    public var patterns: [IntentPattern]
    /// Values the intent needs before it answers, asked for when missing.
    public var slots: [SlotSpec]
    /// The context answering this intent opens, for follow-ups ("and to
    /// Ireland?" after a delivery question), and for how many messages it lasts.
    public var setsContext: String?
    public var contextTurns: Int
    /// The contexts that must be open for this intent to be considered at
    /// all: a follow-up means nothing on its own ("no" only answers a question).
    public var needsContext: [String]
    /// Data the answer is looked up in, by a slot's value.
    public var lookup: Lookup?
    /// The slot whose value `lookup` finds a row by.
    public var lookupSlot: SlotSpec? { lookup.flatMap { lookup in slots.first { $0.name == lookup.slot } } }

    /// Whether a reply of this intent says something of the record it looks
    /// up: it waits on the key (`when: {given: [order_number]}`), or uses the
    /// key, a column of the row (`{orders.status}`) or what a due day gives
    /// (`{late}`).
    public func speaksOfTheRecord(_ reply: ResponseTemplate) -> Bool {
        guard let lookup, let key = lookupSlot else { return false }
        if reply.condition?.given.contains(key.name) == true { return true }
        return reply.placeholders.contains { placeholder in
            placeholder.name == key.name || placeholder.name.hasPrefix(lookup.table + ".") || DueDateTexts.replyPlaceholders.contains(placeholder.name)
        }
    }
    /// Whether the fallback ladder may suggest this intent as a topic
    /// (false for small talk: "saying hello" is no help to someone lost).
    public var suggestible: Bool
    /// Whether answering it deals with a customer's request (false for small
    /// talk): it raises trust, makes a suspect a prospect, and may be checked back on.
    public var resolves: Bool
    /// What the intent does to the customer's profile ("what do you know about me?").
    public var action: ProfileAction?
    /// What answering it proves for the loyalty ladder.
    public var evidence: LoyaltyEvidence?
    /// Whether answering it is a moment to ask for feedback: the customer
    /// winds down ("thanks", "that's all").
    public var asksFeedback: Bool
    /// The confidence the ranker must have to answer it (beyond the bot's
    /// threshold): for intents whose answer changes something, such as
    /// switching off questions, where a wrong guess costs more than asking
    /// to rephrase. A pattern that matches always answers it.
    public var minimumConfidence: Double?
    /// Entities a message asking this never holds: the intent is not read
    /// for a message that names one ("the order number is HP-10610 I think"
    /// gives the number; it does not ask where to find it).
    public var notWith: Set<String> = []
    /// Whether a question asking yes or no ("are they touchscreen friendly?", "is the jumper itchy?") hears
    /// "Yes." or "No." before the answer, when the answer holds the words asked about (`yes_no: true`).
    public var answersYesNo = false
    public var location: SourceLocation?

    /// Whether answering it only answers a request: one the ladder may
    /// suggest, with no action on the profile, no handoff and no goodbye.
    /// Such an answer may stand beside another in one message, and becomes
    /// what the conversation is on.
    public var isPlainRequest: Bool { suggestible && action == nil && !handsOff && !endsConversation }

    /// Whether answering it does nothing and solves nothing: small talk
    /// ("what can you do?", "thanks"), with no action on the profile, no
    /// handoff and no goodbye.
    public var isSmallTalk: Bool { !resolves && action == nil && !handsOff && !endsConversation }

    public init(
        name: String,
        topic: String = "general",
        summary: String? = nil,
        label: String? = nil,
        examples: [String],
        responses: [ResponseTemplate],
        details: [IntentDetail] = [],
        toldMore: [ResponseTemplate] = [],
        endsConversation: Bool = false,
        handsOff: Bool = false,
        quickReplies: [QuickReply] = [],
        patterns: [IntentPattern] = [],
        suggestible: Bool = true,
        slots: [SlotSpec] = [],
        lookup: Lookup? = nil,
        setsContext: String? = nil,
        contextTurns: Int = Intent.defaultContextTurns,
        needsContext: [String] = [],
        resolves: Bool = true,
        action: ProfileAction? = nil,
        evidence: LoyaltyEvidence? = nil,
        asksFeedback: Bool = false,
        minimumConfidence: Double? = nil,
        isPleasantry: Bool = false,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.topic = topic
        self.summary = summary
        self.label = label ?? name.replacingOccurrences(of: "_", with: " ")
        self.examples = examples
        self.responses = responses
        self.details = details
        self.toldMore = toldMore
        self.endsConversation = endsConversation
        self.handsOff = handsOff
        self.quickReplies = quickReplies
        self.patterns = patterns
        self.suggestible = suggestible
        self.slots = slots
        self.lookup = lookup
        self.setsContext = setsContext
        self.contextTurns = contextTurns
        self.needsContext = needsContext
        self.resolves = resolves
        self.action = action
        self.evidence = evidence
        self.asksFeedback = asksFeedback
        self.minimumConfidence = minimumConfidence
        self.isPleasantry = isPleasantry
        self.location = location
    }
}

/// One detail an intent can answer on its own, and the replies that answer it.
public struct IntentDetail: Hashable, Sendable {
    /// A name from the lexicon's `details` ("cost", "time").
    public var name: String
    public var responses: [ResponseTemplate]
    /// Where the detail was written, for problems found across files.
    public var location: SourceLocation?

    public init(name: String, responses: [ResponseTemplate], location: SourceLocation? = nil) {
        self.name = name
        self.responses = responses
        self.location = location
    }
}

/// The settings the decision policy uses to turn a ranking into a decision.
public struct MatchingSettings: Hashable, Sendable {
    /// Below this confidence the top intent is not trusted: the message is out
    /// of scope and the bot falls back.
    public var confidenceThreshold: Double
    /// When the runner-up's confidence is within this of the top one's, the bot
    /// asks which of the two the customer meant. 0 never asks.
    public var clarifyMargin: Double

    public static let `default` = MatchingSettings(confidenceThreshold: 0.45, clarifyMargin: 0.1)

    public init(confidenceThreshold: Double, clarifyMargin: Double = 0) {
        self.confidenceThreshold = confidenceThreshold
        self.clarifyMargin = clarifyMargin
    }
}

/// A whole bot: its identity, shared values, and intents. Built by a loader,
/// used read-only by the engine.
public struct Bot: Sendable {
    /// The name the bot introduces itself with.
    public var name: String
    /// Values any response may use as `{placeholder}` (shop name, phone number...).
    public var variables: [String: String]
    /// Said once when a conversation starts.
    public var welcome: [ResponseTemplate]
    /// Said when no intent is confident enough.
    public var fallback: [ResponseTemplate]
    /// Said when the customer leaves without saying goodbye (Ctrl-D, `/quit`).
    public var farewell: [ResponseTemplate]
    /// Asks which of two intents the customer meant; `{option_1}` and
    /// `{option_2}` are the two intents' labels.
    public var clarify: [ResponseTemplate]
    /// The fallback ladder's later steps: the second miss in a row suggests
    /// the closest topics (`{suggestions}`); the third, or clear frustration,
    /// offers a person; then what is said when the customer accepts or declines.
    public var ladder: FallbackLadder
    /// What is said around slot filling: cancelled, resuming after a change of topic.
    public var slotTexts: SlotTexts
    /// What is said when a customer comes back to an unfinished conversation, and when they go quiet.
    public var sessionTexts: SessionTexts
    /// What the bot says when it asks for feedback and when it gets some.
    public var feedbackTexts: FeedbackTexts
    public var intents: [Intent]
    /// The things customers mention that the bot picks out of messages.
    public var entities: [EntityType]
    /// Data shipped with the bot that answers can look up, by name.
    public var tables: [String: DataTable]
    public var matching: MatchingSettings
    /// The profile fields the bot may learn, trust rules, and offers (`profile.yaml`).
    public var profile: ProfileCatalogue
    /// How the bot reads short answers, moods, cancellations, negation and
    /// sarcasm: its lexicon (`signals.yaml`). A bot without one reads none.
    public var signals: CustomerSignals
    /// When the team works, and how the bot says when a person will answer
    /// (`support_hours:`); nil when bot.yaml does not say.
    public var supportHours: SupportHours?
    public var supportTexts: SupportTexts?
    /// How the bot words an order's due day (`due_dates:`); nil when bot.yaml does not say.
    public var dueDateTexts: DueDateTexts?
    /// The names of days and months the bot says (`calendar:`; English by default).
    public var calendar: CalendarWords
    /// Limits in days by name (`time_limits:`, "returns: 30"): when the latest
    /// day in the past the customer named ("bought it 5 weeks ago") is more
    /// than a limit's days before today, replies may use `past_<name>` (and
    /// pick variants `when: {given: [past_<name>]}`), and `within_<name>`
    /// when it is not; `days_since` is how many days ago that day was.
    public var timeLimits: [String: Int]
    /// Limits stretched for a season, by the limit's name (`extended_limits:`,
    /// "returns: {bought_from: 2026-11-01, until: 2027-01-31}"): a day named
    /// from `boughtFrom` on is within the limit until `until`, however many
    /// days ago it was, and replies may pick variants `when: {given: [extended_<name>]}`.
    public var limitExtensions: [String: LimitExtension]
    /// When an order placed now would arrive (`delivery_estimates:`): any
    /// reply may then use `{express_arrival}` and `{standard_arrival}`.
    public var deliveryEstimates: DeliveryEstimates?
    /// Tables whose rows are their owners' alone (`private_records:`), with
    /// what is said instead of a row named as someone else's by a lookup that
    /// has no `someone_else` of its own.
    public var privateRecords: [String: [ResponseTemplate]] = [:]

    /// What is said instead of the record of `intent`'s lookup named as
    /// someone else's ("what's in HP-10655? it's my wife's"), and its source
    /// for coverage: the lookup's own `someone_else`, else its table's
    /// `private_records`; nil when whoever names a record may hear it.
    public func someoneElse(of intent: Intent) -> (texts: [ResponseTemplate], source: VariantChoice.Source)? {
        guard let lookup = intent.lookup else { return nil }
        if !lookup.someoneElse.isEmpty { return (lookup.someoneElse, .someoneElse(intent: intent.name)) }
        guard let texts = privateRecords[lookup.table], !texts.isEmpty else { return nil }
        return (texts, .privateRecord(table: lookup.table))
    }

    /// What any reply may wait on with `when: {given: [handed_off]}`: filled
    /// once the conversation has been passed to a person, so a reply that
    /// would offer one says it is with the team already.
    public static let handedOffGiven = "handed_off"
    /// What a reply looking up a record may wait on with `when: {given: [came_not_sent]}`: filled
    /// when the customer says a thing of an order that came in part has come, which its record
    /// has not sent ("boots came, no socks", then "HP-10588", whose record sent the socks), with those things.
    public static let cameNotSentGiven = "came_not_sent"

    /// What any reply may wait on with `when: {given: [declined_<detail>]}`,
    /// for a detail of signals.yaml: filled once the customer has said they
    /// do not want it ("I don't want a refund, I just want the jumper" fills
    /// `declined_refund`), so a reply offers only what is left.
    public static func declinedGiven(_ detail: String) -> String { "declined_" + detail }

    /// What any reply may wait on with `when: {given: [told_<detail>]}`, for a
    /// detail of signals.yaml: filled once the customer has said one of its
    /// phrases in a statement, before any word that denies ("I bought it in the
    /// Manchester shop, paid cash" fills `told_shop_purchase` and `told_cash`),
    /// so a later reply fits what they told ("can I still get a refund
    /// without a receipt?" is answered for cash paid in a shop).
    public static func toldGiven(_ detail: String) -> String { "told_" + detail }

    /// The placeholders `timeLimits` fills: `days_since`, and `past_<name>` or `within_<name>` for each limit;
    /// and `season_<name>`, its extension's `say:` (after a space) while it is in season (`seasons(today:)`), else nothing.
    public static func timePlaceholders(_ limits: [String: Int]) -> Set<String> {
        limits.isEmpty ? [] : Set(["days_since"] + limits.keys.flatMap { ["past_" + $0, "within_" + $0, "extended_" + $0, seasonPlaceholder($0)] })
    }

    /// `{season_<name>}`: what a limit's extension says while it is in season.
    public static func seasonPlaceholder(_ limit: String) -> String { "season_" + limit }

    /// `{season_<name>}` for each limit today: its extension's `say:`, after a space, while something bought
    /// today is covered by it for longer than the limit (`LimitExtension.inSeason`); else nothing, so a reply
    /// reads the same as without it.
    public func seasons(today: CalendarDay) -> [String: String] {
        Dictionary(uniqueKeysWithValues: timeLimits.map { name, limit in
            let say = limitExtensions[name].flatMap { $0.inSeason(today, limit: limit) ? $0.say : nil }
            return (Self.seasonPlaceholder(name), say.map { " " + $0 } ?? "")
        })
    }

    public init(
        name: String,
        variables: [String: String] = [:],
        welcome: [ResponseTemplate],
        fallback: [ResponseTemplate],
        farewell: [ResponseTemplate],
        clarify: [ResponseTemplate] = Bot.defaultClarify,
        ladder: FallbackLadder = .default,
        slotTexts: SlotTexts = .default,
        sessionTexts: SessionTexts = .default,
        feedbackTexts: FeedbackTexts = .default,
        intents: [Intent],
        entities: [EntityType] = [],
        tables: [String: DataTable] = [:],
        matching: MatchingSettings = .default,
        profile: ProfileCatalogue = .empty,
        lexicon: Lexicon = .empty,
        supportHours: SupportHours? = nil,
        supportTexts: SupportTexts? = nil,
        dueDateTexts: DueDateTexts? = nil,
        calendar: CalendarWords = .english,
        timeLimits: [String: Int] = [:],
        limitExtensions: [String: LimitExtension] = [:],
        deliveryEstimates: DeliveryEstimates? = nil
    ) {
        self.name = name
        self.variables = variables
        self.welcome = welcome
        self.fallback = fallback
        self.farewell = farewell
        self.clarify = clarify
        self.ladder = ladder
        self.slotTexts = slotTexts
        self.sessionTexts = sessionTexts
        self.feedbackTexts = feedbackTexts
        self.intents = intents
        self.entities = entities
        self.tables = tables
        self.matching = matching
        self.profile = profile
        self.signals = CustomerSignals(lexicon: lexicon)
        self.supportHours = supportHours
        self.supportTexts = supportTexts
        self.dueDateTexts = dueDateTexts
        self.calendar = calendar
        self.timeLimits = timeLimits
        self.limitExtensions = limitExtensions
        self.deliveryEstimates = deliveryEstimates
    }

    /// The placeholders only a clarifying question may use.
    public static let clarifyPlaceholders: Set<String> = ["option_1", "option_2"]

    /// The clarifying question of a bot that does not write its own.
    public static let defaultClarify = [
        try! ResponseTemplate("Sorry, I want to be sure: did you mean 1. {option_1}, or 2. {option_2}?"),
    ]

    public func intent(named name: String) -> Intent? {
        intents.first { $0.name == name }
    }

    /// The placeholders a response in this bot may use: the built-in ones and the bot's variables.
    public var knownPlaceholders: Set<String> {
        Set(variables.keys).union(ResponseTemplate.builtInPlaceholders).union(profile.fields.map(\.name))
    }
}

/// What the bot says as it fails to understand, step by step.
public struct FallbackLadder: Hashable, Sendable {
    /// The second miss in a row: `{suggestions}` lists the closest intents' labels.
    public var suggest: [ResponseTemplate]
    /// The third miss in a row: offer a person.
    public var offerHandoff: [ResponseTemplate]
    /// Clear frustration (angry words, shouting): apologise and offer a person.
    public var offerHandoffFrustrated: [ResponseTemplate]
    /// The customer accepted: a person is on the way.
    public var handoffAccepted: [ResponseTemplate]
    /// The customer declined: carry on.
    public var handoffDeclined: [ResponseTemplate]

    /// The placeholder only `suggest` may use.
    public static let suggestPlaceholders: Set<String> = ["suggestions"]

    /// A message longer than this many characters is not read: the bot says so.
    public static let longestMessage = 2_000
    /// Said for a message over `longestMessage`; `{limit}` is the limit.
    public var tooLong: [ResponseTemplate]
    /// Said for a message in another language (`CustomerSignals.isInOtherLanguage`)
    /// that the bot cannot read: written mostly in a script other than Latin
    /// when it matches on words, or one it found no answer for.
    public var otherLanguage: [ResponseTemplate]
    /// Said once in a conversation, before the answer to the first message
    /// in another language that the bot could answer: it answers in English.
    public var inEnglish: [ResponseTemplate] = [
        try! ResponseTemplate("I can only write in English, so I'll answer in English."),
    ]
    /// The placeholder only `too_long` may use.
    public static let tooLongPlaceholders: Set<String> = ["limit"]
    /// Said instead of the bot's last reply word for word (which would tell
    /// the customer nothing new), offering a person; `{label}` is the intent's label.
    public var repeated: [ResponseTemplate] = [
        try! ResponseTemplate("That would be the same answer as I just gave, so it may not be what you need. Could you tell me a bit more, or would you like me to pass you to a person?"),
    ]
    /// The placeholder only `repeated` may use.
    public static let repeatedPlaceholders: Set<String> = ["label"]
    /// Said when the same words would come again for something that is no
    /// request (small talk) or while a question waits: `{reply}` is what was said.
    public var saidBefore: [ResponseTemplate] = [try! ResponseTemplate("As I said: {reply}")]
    /// Before the answer of an intent that answers yes or no (`yes_no: true`) to such a question, when the
    /// answer holds the word asked about: "Yes. Our gloves: ... touchscreen fingertips." `{reply}` is the answer.
    public var answerYes: [ResponseTemplate] = [try! ResponseTemplate("Yes. {reply}")]
    /// The same when the word stands denied in the answer: "No. Our wool jumper: ... isn't itchy."
    public var answerNo: [ResponseTemplate] = [try! ResponseTemplate("No. {reply}")]
    /// Said when a message only says what the customer does not want ("I'm
    /// not unhappy, just asking"): nothing is done, and the bot asks what they would like.
    public var declinedRequest: [ResponseTemplate] = [try! ResponseTemplate("Understood. What would you like to know?")]
    /// Said when the customer asks the bot to do what it described ("ok do
    /// that please"): it cannot, says so, and offers a person; `{label}` is what it was about.
    public var cannotAct: [ResponseTemplate] = [
        try! ResponseTemplate("I can't do that myself from here, I'm afraid: I can only tell you how. Would you like me to pass you to someone in our team who can?"),
    ]
    /// Said when the customer asks what to do next ("so what do I do now?",
    /// `act.next_phrases`) just after an answer: what to do is in that answer,
    /// and a person can take it from there; `{label}` is what it was about.
    public var nextStep: [ResponseTemplate] = [
        try! ResponseTemplate("What to do next is in my last answer. If that isn't possible, or didn't work, someone in our team can take it from here: shall I pass you to them?"),
    ]
    /// Said when the customer asks whether the bot did what it described ("so
    /// is that done?", `act.done_phrases`): nothing was done, as it cannot act;
    /// `{label}` is what it was about.
    public var notDone: [ResponseTemplate] = [
        try! ResponseTemplate("I can't do anything myself from here, so nothing has been changed in this chat: what I know is in my answer above. Shall I pass you to someone in our team who can?"),
    ]
    /// Said before the offer of a person again, when a message while the
    /// offer waits tells more but asks nothing new ("ordered it like 10th
    /// nov" just after a late order's answer offered a person).
    public var noted: [ResponseTemplate] = [try! ResponseTemplate("Thanks, that's noted.")]
    /// Said for a message the bot does not understand after it passed the
    /// conversation to a person: it is the team's to answer, and no ladder
    /// (rephrase, topics, a person again) follows. When a person will
    /// answer (`support_hours`' `say:`) follows it.
    public var handedOver: [ResponseTemplate] = [
        try! ResponseTemplate("I've passed our conversation to the team, and they'll see anything you add here."),
    ]
    /// After the handoff, in place of `handedOver` for a message that tells
    /// something ("it needs to be here by the 20th"): it is kept for the team.
    /// Empty: `handedOver`.
    public var handedOverNoted: [ResponseTemplate] = []
    /// ...for a question the bot cannot answer ("how long will that take"):
    /// the team will answer it. Empty: `handedOver`.
    public var handedOverQuestion: [ResponseTemplate] = []
    /// ...for a request to act ("ok do that then", "can you send another
    /// one"): the bot cannot, the team can. Empty: `handedOver`.
    public var handedOverAsked: [ResponseTemplate] = []
    /// ...for "what happens now?": what the team does next. Empty: `handedOver`.
    public var handedOverNext: [ResponseTemplate] = []
    /// Said when the customer says the problem the conversation is on is
    /// solved ("actually sorry, found it, it was there on the 14th"): no
    /// offer of a person, no question of it again. Empty: the message is read
    /// as any other.
    public var solved: [ResponseTemplate] = []
    /// Said when the customer asks for another person's details ("can you tell
    /// me her phone number?", "what's her email on the account?"): the bot
    /// gives out no one's. Empty: the message is read as any other.
    public var someoneElsesDetails: [ResponseTemplate] = []
    /// Once a person has the conversation, words of an answer that ask the
    /// customer to get one ("ask me for a person and we'll chase it") and what
    /// they become ("our team will chase it"), longest first. Matched ignoring
    /// case; a capital at the start of the words is kept. Empty: answers are
    /// said as written.
    public var withTheTeam: [Rewording] = [] {
        didSet { withTheTeam.sort { $0.words.count > $1.words.count } }
    }

    public struct Rewording: Hashable, Sendable {
        public var words: String
        public var becomes: String
        public init(words: String, becomes: String) {
            self.words = words
            self.becomes = becomes
        }
    }

    /// `text` as said once a person has the conversation (`withTheTeam`).
    public func forTheTeam(_ text: String) -> String {
        var text = text
        for rewording in withTheTeam {
            let words = rewording.words, becomes = rewording.becomes
            var searchFrom = text.startIndex
            while let found = text.range(of: words, options: .caseInsensitive, range: searchFrom..<text.endIndex) {
                let capital = text[found.lowerBound].isUppercase && !(words.first?.isUppercase ?? false)
                let replacement = capital ? becomes.prefix(1).uppercased() + becomes.dropFirst() : becomes
                text.replaceSubrange(found, with: replacement)
                searchFrom = text.index(found.lowerBound, offsetBy: replacement.count)
            }
        }
        return text
    }
    /// Said when the bot has nothing more to say about a request: a detail
    /// asked alone ("how long?") that the answer just given has no short
    /// answer for. A person is offered; `{label}` is what the answer was about.
    public var nothingMore: [ResponseTemplate] = [
        try! ResponseTemplate("I'm afraid that's all I can tell you about {label}. Would you like me to pass you to someone in our team who can tell you more?"),
    ]
    /// Said for a question the bot does not understand, asked in a
    /// conversation on a request ("can I park there?" after a shop's
    /// address): a question that clear needs an answer, not a rephrasing,
    /// and the bot has none, so it says so rather than guess, and offers a person.
    public var cannotAnswer: [ResponseTemplate] = [
        try! ResponseTemplate("I'm not sure about that one, and I'd rather not guess. Would you like me to pass you to someone in our team who can tell you?"),
    ]
    /// Said before the answer when the customer names a thing that the
    /// record looked up (or in focus) does not hold: "I can't see {thing} in
    /// {key}". `{thing}` is as the customer wrote it, `{key}` the record's key.
    public var notInRecord: [ResponseTemplate] = [
        try! ResponseTemplate("I can't see {thing} in {key}."),
    ]
    public static let notInRecordPlaceholders: Set<String> = ["thing", "key"]
    /// Said before the answer for anyone when the customer says a thing has
    /// come that its record (a row whose `arrived` column is `no`) says has
    /// not: the record is behind, and its answer would tell the customer they
    /// do not have what they hold. `{key}` is the record's key.
    public var arrivedNotInRecord: [ResponseTemplate] = [
        try! ResponseTemplate("{key} doesn't show as delivered yet, so thank you for telling me."),
    ]
    public static let arrivedNotInRecordPlaceholders: Set<String> = ["key"]
    /// The placeholder only `said_before` may use.
    public static let saidBeforePlaceholders: Set<String> = ["reply"]

    public static let `default` = FallbackLadder(
        suggest: [try! ResponseTemplate("Sorry, I'm still not sure what you need. I can help with {suggestions}. Is it one of those?")],
        offerHandoff: [try! ResponseTemplate("I'm sorry, I'm not getting this right. Would you like me to pass you to a person?")],
        offerHandoffFrustrated: [try! ResponseTemplate("I'm sorry this has been frustrating. Would you like me to pass you to a person?")],
        handoffAccepted: [try! ResponseTemplate("I'm passing you to a member of our team now. They'll see what we've talked about, so you won't have to repeat yourself.")],
        handoffDeclined: [try! ResponseTemplate("No problem. What would you like to ask?")],
        tooLong: [try! ResponseTemplate("Sorry, that message is too long for me: I can read up to {limit} characters. Could you put your question in a sentence or two?")],
        otherLanguage: [try! ResponseTemplate("Sorry, I can only chat in English for now. If you'd like a person who can help, just say \"human\".")]
    )

    public init(
        suggest: [ResponseTemplate], offerHandoff: [ResponseTemplate], offerHandoffFrustrated: [ResponseTemplate],
        handoffAccepted: [ResponseTemplate], handoffDeclined: [ResponseTemplate],
        tooLong: [ResponseTemplate], otherLanguage: [ResponseTemplate]
    ) {
        self.suggest = suggest
        self.offerHandoff = offerHandoff
        self.offerHandoffFrustrated = offerHandoffFrustrated
        self.handoffAccepted = handoffAccepted
        self.handoffDeclined = handoffDeclined
        self.tooLong = tooLong
        self.otherLanguage = otherLanguage
    }

    /// Misses in a row before the bot suggests topics, and before it offers a person.
    public static let suggestAfter = 2
    public static let offerAfter = 3
}

/// What the bot says about the conversation itself: picking up an unfinished
/// one, and a customer who has gone quiet.
public struct SessionTexts: Hashable, Sendable {
    /// Said after the welcome when the customer's last conversation stopped
    /// while the bot was waiting for something; `{label}` is what it was about.
    public var pickUp: [ResponseTemplate]
    /// The customer would rather start afresh.
    public var pickUpDeclined: [ResponseTemplate]
    /// The host says the customer has been quiet for a while, the first time.
    public var stillThere: [ResponseTemplate]
    /// Still quiet: the bot closes the conversation.
    public var timedOut: [ResponseTemplate]

    public static let `default` = SessionTexts(
        pickUp: [try! ResponseTemplate("Last time we didn't finish {label}. Shall we pick up where we left off?")],
        pickUpDeclined: [try! ResponseTemplate("No problem, let's start afresh. What can I do for you?")],
        stillThere: [try! ResponseTemplate("Are you still there? Take your time: I'm here when you're ready.")],
        timedOut: [try! ResponseTemplate("It's gone quiet, so I'll close this chat. Just write again whenever you like.")]
    )

    public init(pickUp: [ResponseTemplate], pickUpDeclined: [ResponseTemplate], stillThere: [ResponseTemplate], timedOut: [ResponseTemplate]) {
        self.pickUp = pickUp
        self.pickUpDeclined = pickUpDeclined
        self.stillThere = stillThere
        self.timedOut = timedOut
    }

    /// The placeholder only `pick_up` may use.
    public static let pickUpPlaceholders: Set<String> = ["label"]
}


/// A time limit stretched for a season (`Bot.limitExtensions`): Christmas
/// presents bought from 1 November can come back until 31 January.
public struct LimitExtension: Hashable, Sendable {
    /// The first day of purchase it covers.
    public var boughtFrom: CalendarDay
    /// The last day it lasts to.
    public var until: CalendarDay
    /// What replies say of it while it covers what is bought today for longer than the usual limit (`say:`),
    /// as `{season_<name>}`: "(for Christmas, anything bought from 1 November can come back until 31 January)".
    public var say: String?

    public init(boughtFrom: CalendarDay, until: CalendarDay, say: String? = nil) {
        self.boughtFrom = boughtFrom
        self.until = until
        self.say = say
    }

    /// Whether something bought today is covered for longer than the usual `limit` in days: bought from
    /// `boughtFrom`, and today's `limit` days end before `until` (from 2 January, 30 days reach past 31 January).
    public func inSeason(_ today: CalendarDay, limit: Int) -> Bool {
        today >= boughtFrom && today.days(to: until) > limit
    }

    /// Whether a day bought (named by the customer) is within the limit today by this extension.
    public func covers(_ bought: CalendarDay, today: CalendarDay) -> Bool {
        bought >= boughtFrom && today <= until
    }
}
