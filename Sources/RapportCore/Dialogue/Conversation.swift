import Foundation

/// Something that happened to a conversation. Times come in with the event:
/// the engine has no clock of its own.
public enum ConversationEvent: Hashable, Sendable {
    /// A new conversation opens; the bot greets.
    case started(at: Date)
    /// The customer sent a message.
    case customerSaid(String, at: Date)
    /// The customer asked to start over (`/restart`): state is cleared, the bot greets again.
    case restarted(at: Date)
    /// The customer left (Ctrl-D, `/quit`, the host closed the session).
    case ended(at: Date)
    /// The host says the customer has been quiet for a while: the first time
    /// the bot asks if they are still there, the second it closes the conversation.
    case timedOut(at: Date)
    /// The customer rated the conversation: satisfaction from 1 (very unhappy)
    /// to 5 (very happy), with an optional comment. Accepted after the end too.
    case feedbackGiven(score: Int, comment: String?, at: Date)
    /// The customer wants to leave feedback (`/feedback` in the console): the
    /// bot asks its questions one at a time.
    case feedbackRequested(at: Date)
}

/// A conversation of the same customer that stopped while the bot was waiting
/// for something (an order number, "did you mean A or B?"): what a new
/// conversation may offer to pick up.
public struct UnfinishedConversation: Hashable, Sendable, Codable {
    public var sessionID: String
    public var filling: SlotFilling?
    public var pendingClarification: PendingClarification?
    public var slots: [String: String]
    public var lastIntent: String?
    public var topic: String?
    public var contexts: [String: Int]

    /// What an earlier conversation's state leaves to pick up.
    public init(sessionID: String, state: DialogueState) {
        self.sessionID = sessionID
        filling = state.filling
        pendingClarification = state.pendingClarification
        slots = state.slots
        lastIntent = state.lastIntent
        topic = state.topic
        contexts = state.contexts
    }
}

/// What a returning customer's last conversation leaves for the next one:
/// the things it was about when it stopped (an order, their Pine Club
/// membership) and whether a person has it. "Me again, about the candles" or
/// "has anyone looked into it yet?" goes on from there, not from "What's your
/// order number?".
public struct EarlierConversation: Hashable, Sendable, Codable {
    /// Its session.
    public var session: String
    /// The things in focus when it stopped, most recent first.
    public var focus: [Focus.Item]
    /// When a person was last given a conversation of the customer's (this
    /// one, or one before it), which one, and why.
    public var handedOffAt: Date?
    public var handedOffSession: String?
    public var handoffReason: HandoffSummary.Reason?
    /// When it last went on (its end, or its start when it never ended).
    public var at: Date

    /// How long a conversation is gone on from: a customer back after longer
    /// starts afresh.
    public static let keptFor: TimeInterval = 14 * 24 * 3600
    /// How long a person is taken to have it after it was passed to them: the
    /// team answers within a working day or two, and the bot cannot see
    /// whether they have closed it since.
    public static let handoffKeptFor: TimeInterval = 3 * 24 * 3600

    public init(session: String, focus: [Focus.Item], handedOff: SessionRecord? = nil, at: Date) {
        self.session = session
        self.focus = focus
        self.handedOffAt = handedOff?.handedOffAt
        self.handedOffSession = handedOff?.id
        self.handoffReason = handedOff?.handoffReason.flatMap(HandoffSummary.Reason.init(rawValue:))
        self.at = at
    }

    /// What the saved state of the session `record` leaves, and the latest
    /// session of the customer's a person was given (`handedOff`, as the store
    /// says: not one that only carried a handoff and never handed it on).
    public init(_ record: SessionRecord, state: DialogueState, handedOff: SessionRecord?) {
        self.init(session: record.id, focus: state.focus.items, handedOff: handedOff, at: record.endedAt ?? record.startedAt)
    }
}

/// What a driver must carry out after a transition, besides showing the replies.
public enum ConversationEffect: Hashable, Sendable {
    /// Persist this exchange.
    case recordTurn(TurnRecord)
    /// Persist this feedback before acknowledging it: a front end that cannot
    /// must not show the acknowledgement.
    case recordFeedback(FeedbackRecord)
    /// The conversation is over; the driver closes the session.
    case endSession(at: Date)
    /// A person should take over; the summary is for the agent.
    case handoff(HandoffSummary)
    /// An earlier conversation of the customer's that never ended is closed:
    /// this one has offered to pick it up, or it had nothing left to do.
    case closeEarlierSession(String, at: Date)
    /// Apply these changes to the customer's stored profile (never sent for anonymous customers).
    case updateProfile(customer: String, changes: [ProfileChange])
    /// The customer confirmed "delete all my data": erase everything kept
    /// about them, this conversation included. The conversation is over.
    case eraseCustomer(String)
    /// The customer withdrew a fact ("forget my email"): remove its value from
    /// everything kept about them (their messages, the bot's replies).
    case redact(customer: String, value: String)
    /// The conversation had ended and starts over (`/restart`): the session is open again.
    case reopenSession

    /// The customer this effect erases, if it is an erasure.
    public var erasedCustomer: String? {
        if case .eraseCustomer(let customer) = self { return customer }
        return nil
    }

    /// The name of the event a host or transcript sees for this effect, if any.
    public var eventName: String? {
        switch self {
        case .recordTurn, .recordFeedback, .updateProfile, .closeEarlierSession, .redact, .reopenSession: return nil
        case .endSession: return EventName.sessionEnded
        case .handoff: return EventName.handoff
        case .eraseCustomer: return EventName.customerErased
        }
    }
}

/// The names of the events hosts (`rapport serve`) and transcripts (`EVENT`) see.
public enum EventName {
    public static let sessionEnded = "session_ended"
    public static let handoff = "handoff"
    public static let customerErased = "customer_erased"
    public static let all = [handoff, sessionEnded, customerErased]
}

/// One line of the conversation, for summaries.
public struct Exchange: Hashable, Sendable, Codable {
    public enum Speaker: String, Hashable, Sendable {
        case customer, bot
    }

    public var speaker: Speaker
    public var text: String

    public init(_ speaker: Speaker, _ text: String) {
        self.speaker = speaker
        self.text = text
    }
}

/// What an agent taking over needs to know without asking the customer again.
public struct HandoffSummary: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable {
        /// The customer asked for a person.
        case customerRequest = "customer_request"
        /// The bot failed to understand several times in a row and the customer accepted a person.
        case repeatedMisses = "repeated_misses"
        /// The customer sounded frustrated and accepted a person.
        case frustration
        /// The last solved request did not meet the customer's expectations, and they accepted a person.
        case dissatisfied
    }

    public var reason: Reason
    /// The customer's first message: usually what they came for.
    public var firstMessage: String?
    /// The last intent answered before the handoff, and its topic.
    public var lastIntent: String?
    public var topic: String?
    /// Messages the bot did not understand in this conversation.
    public var misses: Int
    /// The slots filled so far (order number, dates...), by name.
    public var slots: [String: String] = [:]
    /// What the customer has told the bot about themselves (name, city...), by field.
    public var profile: [String: String] = [:]
    /// Where the customer stands on the ladder of loyalty.
    public var stage: LoyaltyStage = .suspect
    /// The latest lines of the conversation, oldest first (at most `DialogueState.recentLimit`).
    public var transcript: [Exchange]
    /// When the conversation was handed over.
    public var at: Date?
    /// The customer's earlier conversation, handed over already, that this
    /// one goes on with (`EarlierConversation`): the same case for the team.
    public var continues: String?

    public init(
        reason: Reason, firstMessage: String? = nil, lastIntent: String? = nil, topic: String? = nil, misses: Int = 0,
        slots: [String: String] = [:], profile: [String: String] = [:], stage: LoyaltyStage = .suspect,
        transcript: [Exchange] = [], at: Date? = nil, continues: String? = nil
    ) {
        self.continues = continues
        self.reason = reason
        self.firstMessage = firstMessage
        self.lastIntent = lastIntent
        self.topic = topic
        self.misses = misses
        self.slots = slots
        self.profile = profile
        self.stage = stage
        self.transcript = transcript
        self.at = at
    }
}

/// One exchange as the store keeps it.
public struct TurnRecord: Hashable, Sendable {
    public var sessionID: String
    public var sequence: Int
    public var at: Date
    public var customerText: String
    /// The intent answered, or nil when the bot fell back or the message
    /// answered one of its own questions.
    public var intent: String?
    /// The top candidate's confidence, whether or not it was trusted.
    public var confidence: Double
    public var replies: [String]
    /// True when the bot did not understand the message: what support staff review.
    public var missed: Bool

    public init(
        sessionID: String, sequence: Int, at: Date, customerText: String,
        intent: String?, confidence: Double, replies: [String], missed: Bool = false
    ) {
        self.missed = missed
        self.sessionID = sessionID
        self.sequence = sequence
        self.at = at
        self.customerText = customerText
        self.intent = intent
        self.confidence = confidence
        self.replies = replies
    }

    /// The customer's words as stored: a message the bot did not answer
    /// (no intent) is kept for support staff to review, without contact or
    /// card details (`PersonalDataMask`).
    public static func stored(_ text: String, intent: String?) -> String {
        intent == nil ? PersonalDataMask.mask(text) : text
    }
}

/// Which variant of which reply list the bot used, for coverage reports.
public struct VariantChoice: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case welcome, fallback, farewell, clarify
        case suggest, offerHandoff, offerHandoffFrustrated, handoffAccepted, handoffDeclined, tooLong, otherLanguage, inEnglish, repeated, saidBefore, declinedRequest, cannotAct, nextStep, notDone, noted, handedOver, handedOverNoted, handedOverQuestion, handedOverAsked, handedOverNext, solved, someoneElsesDetails, nothingMore, cannotAnswer, answerYes, answerNo, notInRecord, arrivedNotInRecord
        case cancelled, resume, slotInvalid, slotAskedAgain
        case pickUp, pickUpDeclined, stillThere, timedOut
        case feedbackAsk, feedbackAskRequested, feedbackAskAgain, feedbackExpectation, feedbackRecommend, feedbackComment, feedbackDropped
        case feedbackThanks, feedbackSorry, feedbackSorryOffer, feedbackReasonNoted
        case remembered, declined, knowsNothing, notKnown, whichField, erased, erasureCancelled, erasureUnclear, erasureNotConfirmed, erasureElsewhere, erasureStanding, notKeptWhileErasing
        case checkBack, checkBackGood, checkBackBad
        case intent(String)
        /// Asking for a profile field, and saying why it is wanted.
        case profileQuestion(String)
        case profilePurpose(String)
        case profileUse(String)
        case offer(String)
        /// Asking an intent for a slot, and saying why an answer was not one.
        case prompt(intent: String, slot: String)
        case invalid(intent: String, slot: String)
        /// A slot's `unsure`: the customer has no value to give.
        case unsure(intent: String, slot: String)
        /// A slot's `without`: still no value, just after being told where to find it; a person is offered.
        case without(intent: String, slot: String)
        /// A slot's `why`: what the value asked for is wanted for.
        case why(intent: String, slot: String)
        /// A lookup's `total`: the sum of the rows asked about together.
        case total(intent: String)
        case notFound(intent: String)
        /// A record named as someone else's, not read out (`Lookup.someoneElse`).
        case someoneElse(intent: String)
        /// The same, in the words of its table's `private_records` (bot.yaml).
        case privateRecord(table: String)
        /// One detail of an intent's answer ("is it free?").
        case detail(intent: String, detail: String)
        /// What an intent says when told more about its request (`told_more`).
        case toldMore(intent: String)
    }

    public var source: Source
    /// The variant's position in its list, from 0.
    public var index: Int

    public init(source: Source, index: Int) {
        self.source = source
        self.index = index
    }
}

/// The result of one transition, as data: drivers show the replies, carry out
/// the effects, and may show the understanding and changes to support staff.
public struct TurnOutcome: Hashable, Sendable {
    public var replies: [String]
    /// The variant behind each reply, in the same order.
    public var variants: [VariantChoice] = []
    /// Choices to offer with the last reply, for hosts that show buttons.
    public var quickReplies: [QuickReply] = []
    /// How the message was read; nil for events that carry no message.
    public var understanding: Understanding?
    /// What changed in the dialogue state, for the debug view.
    public var changes: [StateChange]
    public var effects: [ConversationEffect]

    public init(
        replies: [String], variants: [VariantChoice] = [], understanding: Understanding?,
        changes: [StateChange], effects: [ConversationEffect]
    ) {
        self.replies = replies
        self.variants = variants
        self.understanding = understanding
        self.changes = changes
        self.effects = effects
    }
}

extension TurnOutcome {
    /// The stored turn with the message as the customer typed it, when the
    /// rules read only a part of it (`Turn.questionBesidePleasantries`).
    func recording(_ said: String, if partRead: Bool) -> TurnOutcome {
        guard partRead else { return self }
        var outcome = self
        outcome.effects = effects.map { effect in
            guard case .recordTurn(var turn) = effect else { return effect }
            turn.customerText = TurnRecord.stored(said, intent: turn.intent)
            return .recordTurn(turn)
        }
        return outcome
    }

    /// Adds replies before or after those of the turn, in what is shown and in the stored turn alike.
    mutating func addReplies(_ added: [String], first: Bool) {
        replies = first ? added + replies : replies + added
        effects = effects.map { effect in
            guard case .recordTurn(var turn) = effect else { return effect }
            turn.replies = first ? added + turn.replies : turn.replies + added
            return .recordTurn(turn)
        }
    }
}

/// The dialogue state of one conversation, as a value.
///
/// `handle(_:)` is the only way it changes: one event in, a `TurnOutcome` out.
/// Replaying the same events from the same seed gives the same state and replies.
public struct Conversation: Sendable {
    public let engine: Engine
    public let sessionID: String
    /// The customer's earlier conversation to offer to pick up, from the driver.
    let unfinished: UnfinishedConversation?
    /// The customer's last conversation, from the driver, to go on from.
    let earlier: EarlierConversation?
    /// The earlier conversation the welcome offers to pick up, if it will (something was waiting in it).
    public var offeredToPickUp: UnfinishedConversation? {
        unfinished.flatMap { engine.pickUpLabel($0) == nil ? nil : $0 }
    }
    public internal(set) var state: DialogueState

    /// - Parameter turnsSoFar: turns the session already has in the store, when
    ///   a conversation is picked up again, so new turns are numbered after them.
    /// - Parameter profile: what is known of the customer, from the store;
    ///   by default an anonymous customer, of whom nothing is kept.
    /// - Parameter unfinished: the customer's last conversation, if it stopped
    ///   while the bot was waiting for something: the welcome offers to pick it up.
    /// - Parameter earlier: the customer's last conversation, whatever it
    ///   ended with: if it went on within `EarlierConversation.keptFor` of the
    ///   start, this one starts with its things in focus and, if a person had
    ///   it, with them.
    public init(
        engine: Engine, sessionID: String, seed: UInt64, turnsSoFar: Int = 0, profile: CustomerProfile? = nil,
        unfinished: UnfinishedConversation? = nil, earlier: EarlierConversation? = nil
    ) {
        self.engine = engine
        self.sessionID = sessionID
        self.unfinished = unfinished
        self.earlier = earlier
        self.state = DialogueState(
            random: SplitMix64(seed: seed),
            profile: profile ?? CustomerProfile(id: CustomerProfile.anonymousPrefix + sessionID)
        )
        self.state.turns = turnsSoFar
    }

    /// A conversation exactly where a saved state left it (`DialogueState.encoded`).
    public init(engine: Engine, sessionID: String, restoring state: DialogueState) {
        self.engine = engine
        self.sessionID = sessionID
        self.unfinished = nil
        self.earlier = nil
        self.state = state
    }

    /// Takes the store's profile as the truth after replaying stored turns:
    /// replay repeats the changes the store already holds.
    public mutating func adopt(_ profile: CustomerProfile) {
        state.profile = profile
    }

    /// The one transition: an event in, what to show and do out. The turn's
    /// work happens on a `Turn`, which collects replies, profile changes and
    /// effects; only the state it leaves is kept.
    public mutating func handle(_ event: ConversationEvent) -> TurnOutcome {
        var turn = Turn(engine: engine, sessionID: sessionID, unfinished: unfinished, earlier: earlier, state: state)
        let outcome = turn.handle(event)
        state = turn.state
        return outcome
    }

    /// The relationship level the bot offers this customer now.
    public var level: RelationshipLevel {
        state.profile.level(partnershipOrders: engine.bot.profile.asking.partnershipOrders)
    }

    /// What a front end says instead of the engine's "done" when the store
    /// could not carry out an erasure the customer confirmed.
    public mutating func erasureFailedReply() -> String {
        var turn = Turn(engine: engine, sessionID: sessionID, unfinished: unfinished, earlier: earlier, state: state)
        let reply = turn.erasureFailedReply()
        state = turn.state
        return reply
    }
}

/// One transition in progress: the conversation's state as it changes, and
/// what the turn collects on the way (the variants said, profile changes,
/// values withdrawn, what a lookup found). Made for one event and dropped
/// after it, so nothing of one turn can leak into the next.
struct Turn {
    let engine: Engine
    let sessionID: String
    /// The customer's earlier conversation to offer to pick up.
    let unfinished: UnfinishedConversation?
    /// The customer's last conversation, to go on from.
    let earlier: EarlierConversation?
    var state: DialogueState
    /// The variants chosen.
    var chosen: [VariantChoice] = []
    /// Set when the message turns down a person ("no I don't want a person, I
    /// want my jumper"), or one is on the way already: no reply that offers
    /// one (`offers: person`) is chosen.
    var offerNoPerson = false
    /// The profile changes made.
    var profileChanges: [ProfileChange] = []
    /// The key of the record a lookup found.
    var foundRecord: String?
    /// Set when the answer said an optional value had no row: no request was dealt with.
    var notFoundOptional = false
    /// The values taken from what the conversation is about (`Focus`), by entity.
    var usedFocus: [(entity: String, value: String)] = []
    /// Confirmations of facts the customer volunteered, and whether a reply holds them yet.
    var confirmations: [String] = []
    var confirmationsSaid = false
    /// Values withdrawn, to remove from what is stored.
    var redactions: [String] = []
    /// Feedback finished by a message that was a new request: stored before its answer.
    var feedbackDone: TurnOutcome?
    /// Set when the answer to "shall I delete everything?" was another request:
    /// what to add once it is answered (`afterErasureQuestion`).
    var erasureAside: ErasureAside?
    /// Set while answering all but the last of several requests in one
    /// message: nothing is asked after them (a question would come between answers).
    var moreRequestsFollow = false
    /// Set while answering several requests in one message: each answer is
    /// new to the customer, whatever the one before it said.
    var answeringSeveral = false
    /// Set while answering the requests of a message that says the thing came
    /// ("order HP-10442 arrived and the mug is cracked"): the records it named
    /// as come (empty: whichever record is answered), each answer about them told so.
    var cameRecords: Set<String>?
    /// The reply to an intent said it had nothing to say (`nothing_more`, `cannot_answer`): no request was solved.
    var gaveNoAnswer = false
    /// Set once "I can't see {thing} in {key}" was said in this turn: two answers to one message say it once.
    var notedNotInRecord = false
    /// Whether the message asks only when, once a person has the conversation (`asksOnlyWhen`).
    var askedOnlyWhen = false
    /// Whether the message, once a person has the conversation, speaks of how the team answers (`team_reply`).
    var askedHowTheyHear = false
    /// An order the customer gave for a thing it does not hold (named in the
    /// message before, or in a message of one request): after its answer, it leaves the focus.
    var notTheCustomersRecord: (entity: String, value: String)?
    /// How many days before this message `DialogueState.namedPastDay` was, if the customer named one.
    var daysSinceNamedDay: Int?
    /// The time limits a season's extension keeps that day within (`Bot.limitExtensions`).
    var extendedLimits: Set<String> = []
    /// When an order placed with this message would arrive (`Bot.deliveryEstimates`).
    var arrivals: [String: String] = [:]
    /// `{season_<name>}` today (`Bot.seasons(today:)`), set for each message.
    var seasons: [String: String] = [:]
    /// The kind of value the bot asked for just before this message ("Which
    /// product do you mean?"), if it was asking for one.
    var askedJustBefore: String?

    init(engine: Engine, sessionID: String, unfinished: UnfinishedConversation?, earlier: EarlierConversation? = nil, state: DialogueState) {
        self.engine = engine
        self.sessionID = sessionID
        self.unfinished = unfinished
        self.earlier = earlier
        self.state = state
    }
}

extension Turn {
    mutating func handle(_ event: ConversationEvent) -> TurnOutcome {
        let before = state
        var outcome: TurnOutcome
        switch event {
        case .started(let at):
            state.phase = .open
            change(.visit(at: at))
            if state.profile.visits > 1 { trust(.returnVisit) }
            goOnFrom(earlier, at: at)
            outcome = TurnOutcome(replies: [say(engine.bot.welcome, .welcome)], understanding: nil, changes: [], effects: [])
            if let unfinished {
                outcome.effects.append(.closeEarlierSession(unfinished.sessionID, at: at))
                if let label = engine.pickUpLabel(unfinished) {
                    state.awaiting = .pickUp(unfinished)
                    outcome.replies.append(say(engine.bot.sessionTexts.pickUp, .pickUp, extra: ["label": label]))
                    outcome.quickReplies = Self.checkBackButtons
                }
            }
        case .restarted:
            // A fresh start keeps the generator's position, the turn count (so
            // turn numbers stay unique within the session) and the customer.
            var fresh = DialogueState(random: state.random, profile: state.profile)
            fresh.turns = state.turns
            // Starting over is not a new conversation for the asking limits.
            fresh.questionsAsked = state.questionsAsked
            fresh.lastQuestionAt = state.lastQuestionAt
            fresh.passedOver = state.passedOver
            fresh.offerMade = state.offerMade
            fresh.feedbackAsked = state.feedbackAsked
            fresh.resolvedRequests = state.resolvedRequests
            fresh.lastResolvedIntent = state.lastResolvedIntent
            let hadEnded = state.phase == .ended
            fresh.phase = .open
            state = fresh
            outcome = TurnOutcome(replies: [say(engine.bot.welcome, .welcome)], understanding: nil, changes: [],
                                  effects: hadEnded ? [.reopenSession] : [])
        case .customerSaid(let text, let at):
            outcome = receive(text, at: at)
            handOnCarriedHandoff(&outcome, text: text, at: at)
            if let done = feedbackDone {
                outcome.effects = done.effects + outcome.effects
                outcome.addReplies(done.replies, first: true)
            }
            sayItAnswersInEnglish(to: text, in: &outcome)
            if !confirmations.isEmpty && !confirmationsSaid {
                // Whatever else the turn said (a question again, "did you mean"), what was noted is confirmed.
                confirmations.forEach { state.remember(.bot, $0) }
                outcome.addReplies(confirmations, first: false)
            }
        case .timedOut(let at):
            if state.phase != .open {
                outcome = TurnOutcome(replies: [], understanding: nil, changes: [], effects: [])
            } else if !state.nudged {
                state.nudged = true
                outcome = TurnOutcome(replies: [say(engine.bot.sessionTexts.stillThere, .stillThere)], understanding: nil, changes: [], effects: [])
            } else {
                state.phase = .ended
                outcome = TurnOutcome(
                    replies: [say(engine.bot.sessionTexts.timedOut, .timedOut)], understanding: nil, changes: [],
                    effects: [.endSession(at: at)])
            }
        case .feedbackGiven(let score, let comment, let at):
            outcome = receiveFeedback(FeedbackRecord(
                customerID: state.profile.id, sessionID: sessionID, intent: state.lastResolvedIntent ?? state.lastIntent,
                score: score, comment: comment, at: at))
        case .feedbackRequested:
            outcome = startFeedback(solicited: false)
        case .ended(let at):
            if state.phase == .ended {
                outcome = TurnOutcome(replies: [], understanding: nil, changes: [], effects: [])
            } else {
                state.phase = .ended
                outcome = TurnOutcome(
                    replies: [say(engine.bot.farewell, .farewell)], understanding: nil, changes: [],
                    effects: [.endSession(at: at)]
                )
            }
        }
        if !profileChanges.isEmpty && !state.profile.isAnonymous {
            // After the turn's record, before the session ends or is handed over.
            let position = outcome.effects.firstIndex { effect in
                switch effect {
                case .recordTurn, .recordFeedback: return false
                default: return true
                }
            } ?? outcome.effects.count
            outcome.effects.insert(.updateProfile(customer: state.profile.id, changes: profileChanges), at: position)
            outcome.effects.insert(contentsOf: redactions.map { .redact(customer: state.profile.id, value: $0) }, at: position + 1)
        }
        outcome.changes = StateChange.between(before, state, partnershipOrders: engine.bot.profile.asking.partnershipOrders)
        outcome.variants = chosen
        return outcome
    }

    /// The answer to what the bot's last words wait for (`Awaiting`): the one
    /// place where a yes, a no or something else entirely meets the question
    /// it answers. The question is over either way; a request waiting behind
    /// it waits again. Nil when the message is not (only) an answer: it is read
    /// on as a message of its own. "Did you mean A or B?" and a slot's question
    /// are read with the ranking of the message, further on in `receive`.
    mutating func answerAwaited(
        _ awaited: Awaiting, text: String, understanding: inout Understanding, at: Date
    ) -> TurnOutcome? {
        state.questionDone()
        switch awaited {
        case .nothing, .slot, .choice:
            return nil
        case .person(let reason, _):
            // "Would you like a person?": yes hands over, no carries on, also said at more length
            // ("no I'll wait a bit longer") when the rest of the message asks for nothing else.
            // Asking the bot to act on it ("ok can you check on it") just then is taking the person offered to.
            // Putting it off ("ok I'll wait a bit longer") is a no, when it asks nothing.
            // What the customer wants besides what they refuse may ask the bot to act ("No I don't want to
            // wait. I want it sorted."): taking the person offered, before the "no" that opens it.
            let signals = self.signals
            // "ok thanks thats all": saying no more is wanted (`done`), or a goodbye read surely, in more than
            // yes words, is read on its own, never a yes to the person.
            let ends = understanding.matched.map {
                $0.confidence >= Turn.weakReading && engine.bot.intent(named: $0.intent)?.endsConversation == true
            } ?? false
            if ends || signals.saysDone(text), !TextNormalizer.tokens(text).allSatisfy(signals.words(.yesWords).contains) {
                return nil
            }
            func acting(_ said: String) -> Bool { signals.asksToAct(said) && !signals.asksWhatNext(said) }
            let wanted = signals.wanted(text), clauses = signals.clauses(text)
            let wantsAction = !understanding.declined.isEmpty && acting(wanted)
            // What is wanted besides what is refused, read alone once, for the questions below.
            let refused = clauses.filter(\.negated)
            lazy var wantedReading = engine.understand(wanted, at: at, contexts: Set(state.contexts.keys)).decision
            // What is refused is not the person: "no I don't want to speak to someone, I just want to talk
            // to you" stays a no (`person.words`), while "no I don't want to wait any longer, get me someone" is a yes.
            let personWords = signals.words(.personWords)
            let refusesThePerson = refused.contains(where: { $0.words.contains(where: personWords.contains) })
            // "no I don't want a discount code, I want someone to actually deal with it": what the customer
            // refuses is not the person; what they want besides it is.
            func asksForPerson() -> Bool {
                guard !wanted.isEmpty, !refused.isEmpty, !refusesThePerson,
                      !understanding.declined.contains(where: { engine.bot.intent(named: $0)?.handsOff == true }),
                      case .matched(let read) = wantedReading else { return false }
                return read.confidence >= Turn.weakReading && engine.bot.intent(named: read.intent)?.handsOff == true
            }
            // "I'm not after a voucher or anything, I just want it dealt with": a clause of its own that asks the bot to act.
            // (Not a question: "What happens now, do you send another one or refund?" asks what the person would do.)
            func actsInAClause() -> Bool {
                !text.contains("?") && clauses.contains {
                    !$0.negated && !engine.profileReader.isQuestion(String($0.text)) && acting(String($0.text))
                }
            }
            // "no I don't want to call, I want the duplicate money back" just after the double charge's offer:
            // what is wanted, read alone, is the request whose answer offered the person, who will do it.
            func wantsTheLastRequest() -> Bool {
                // (Not when the person is what is refused: "no I dont want a person I want my jumper".)
                guard !wanted.isEmpty, wanted != text, !refused.isEmpty, !refusesThePerson, let last = state.lastIntent else { return false }
                switch wantedReading {
                case .matched(let read): return read.intent == last
                case .ambiguous(let one, let other): return one.intent == last || other.intent == last
                case .fallback: return false
                }
            }
            // "no I don't want to cancel anything, I want a refund for the jumper": the "no" is to what it
            // refuses, and what it wants besides, read as a request, is a message of its own.
            func wantsARequestBesides() -> Bool {
                guard !wanted.isEmpty, wanted != text, !refused.isEmpty else { return false }
                // Read as a request, or as one of two (charged_twice or refund_status, for the duplicate money).
                func request(_ candidate: IntentCandidate) -> Bool { engine.bot.intent(named: candidate.intent)?.isPlainRequest == true }
                switch wantedReading {
                case .matched(let read): return request(read)
                case .ambiguous(let one, let other): return request(one) && request(other)
                case .fallback: return false
                }
            }
            let putsOff: CustomerSignals.YesNo? = signals.putsOff(text) && !engine.profileReader.isQuestion(text) ? .no : nil
            let chooses: CustomerSignals.YesNo? = choosesWhatThePersonWouldDo(text) ? .yes : nil
            var opening = openingAnswer(text, understanding: understanding)
            // "no I don't want a replacement, I want a full refund" after "they'll send a replacement or a full
            // refund": the no is to the other choice, and the person is taken.
            if opening == .no, asksForPerson() || chooses == .yes || wantsTheLastRequest() { opening = .yes }
            if opening == .no, signals.yesNo(text) == nil, !wantsAction, wantsARequestBesides() { return nil }
            guard let answer = signals.yesNo(text) ?? (wantsAction ? .yes : nil)
                    ?? opening
                    ?? (acting(text) || actsInAClause() ? .yes : nil) ?? putsOff ?? chooses else { return nil }
            return answerHandoffOffer(answer, reason: reason, text: text, understanding: understanding, at: at)
        case .pickUp(let offer):
            // "Shall we pick up where we left off?"
            let answering = understanding.answering("the offer to pick up")
            switch signals.yesNo(text) {
            case .yes?: return pickUp(offer, text: text, understanding: answering, at: at)
            case .no?: return simpleReply(say(engine.bot.sessionTexts.pickUpDeclined, .pickUpDeclined), text: text,
                                          understanding: answering, answered: false, at: at)
            case nil: return nil
            }
        case .feedback(let flow):
            return answerFeedback(flow, text: text, understanding: understanding, at: at)
        case .erasure(let step):
            return answerErasureQuestion(step, text: text, understanding: &understanding, at: at)
        case .checkBack(let request):
            return answerCheckBack(request, text: text, understanding: understanding, at: at)
        case .profileAnswer(let name):
            return answerProfileQuestion(name, text: text, understanding: understanding, at: at)
        }
    }

    /// "Refund.", "a replacement please, I don't need them anymore" just after an
    /// offer of a person that says what they would do, with a choice ("They'll
    /// send what's missing at once, or refund it, whichever you prefer"): the
    /// first clause, besides `fillers.choice`, is one or two words of what
    /// the offer says after its question, at least one not common to requests.
    /// Taking the offer, with the choice in the conversation for the person.
    /// Never a question, nor a clause that refuses ("not a refund").
    ///
    /// Or, after clauses that refuse the other ("I don't want another blanket sent, I want my money
    /// back"), the first clause that does not, when the one detail it asks (`refund`: "my money back")
    /// is named by a word of what the offer says ("or a full refund").
    func choosesWhatThePersonWouldDo(_ text: String) -> Bool {
        // (After a bare "no" that opens it: "no I don't want a replacement, I want a full refund".)
        let clauses = Array(signals.clauses(text).drop { signals.yesNo(String($0.text)) == .no })
        guard let said = state.lastBotReply, let offer = Self.fromTheQuestionOn(said),
              let first = clauses.first, !engine.profileReader.isQuestion(text) else { return false }
        let done = whatThePersonWouldDo(offer)
        let fillers = signals.words(.choiceFillers)
        if first.negated {
            guard let wanted = clauses.first(where: { !$0.negated }), wanted.words.count <= Self.choiceWords else { return false }
            let asked = signals.detailsAsked(String(wanted.text)).details
            return asked.count == 1 && done.contains { AnswerSentences.sameWord($0, asked[0]) }
        }
        let chosen = first.words.filter { !fillers.contains($0) }
        guard (1...2).contains(chosen.count), chosen.allSatisfy({ word in done.contains { AnswerSentences.sameWord($0, word) } }) else { return false }
        return chosen.contains { $0.count >= 4 && !engine.commonWords.contains($0) }
    }

    /// The most words of a clause that says which of an offer's choices is wanted, after refusing the other.
    static let choiceWords = 6

    /// The words of what an offer of a person (from its question on) says
    /// the person would do: the sentences after the question, up to one that
    /// says what the customer can do instead (`act.instead_openers`: "Or call
    /// 0161 555 0142").
    func whatThePersonWouldDo(_ offer: String) -> [String] {
        let instead = signals.words(.actInsteadOpeners)
        return AnswerSentences.split(offer).dropFirst()
            .map(TextNormalizer.tokens)
            .prefix { !($0.first.map(instead.contains) ?? false) }
            .flatMap { $0 }
    }

    /// A yes or no that opens a longer message asking for nothing else ("no
    /// I'll wait a bit longer", "yes please, it's been two weeks"): its first
    /// word, when the message as a whole was read as no request of its own.
    /// Never a question ("ok and if
    /// I'm not in?"), nor a message that goes on to something else.
    func openingAnswer(_ text: String, understanding: Understanding) -> CustomerSignals.YesNo? {
        let words = TextNormalizer.tokens(text)
        guard let first = words.first, !text.contains("?"), !engine.profileReader.isQuestion(text),
              !words.dropFirst().contains(where: signals.words(.clauseConnectors).contains) else { return nil }
        // Only clear openers: "ok I'll wait a bit longer" is no yes.
        let answer: CustomerSignals.YesNo
        if signals.words(.yesOpeners).contains(first) { answer = .yes } else if signals.words(.noOpeners).contains(first) { answer = .no } else { return nil }
        // A request, a goodbye or a change to the profile is a message of its own ("no, where is
        // HP-10501?"); "I'll wait" read as the customer introducing themselves is not, nor is a
        // weak reading unless it is a request.
        let intent = { (candidate: IntentCandidate) in self.engine.bot.intent(named: candidate.intent) }
        switch understanding.decision {
        case .fallback:
            return answer
        case .matched(let match):
            guard let read = intent(match) else { return answer }
            // A goodbye or an action read weakly ("no I'll wait a bit longer" as goodbye at 0.30) is no message of its own.
            let sure = match.confidence >= Turn.weakReading
            return read.isPlainRequest || sure && (read.endsConversation || (read.action != nil && read.action != .introduce)) ? nil : answer
        case .ambiguous(let one, let other):
            // Unsure between two readings: only a request read at some strength is a message of its own.
            return [one, other].contains { $0.confidence >= Turn.weakReading && intent($0)?.isPlainRequest == true } ? nil : answer
        }
    }

    /// The reply to an intent: its answer once its required slots are filled
    /// (from this message's entities, and what earlier turns gave), or the
    /// question for the first one missing. A lookup that finds nothing says
    /// so and asks for the key again.
    mutating func respond(
        _ intent: Intent, entities: [EntityMatch], correcting: Bool, previous: String?, text: String, lastTurnAnswered: Bool,
        at: Date, useFocus: Bool = true
    ) -> String {
        // An intent with no slots leaves any intent waiting for one as it is.
        guard !intent.slots.isEmpty else { return say(intent.responses, .intent(intent.name)) }
        var values: [String: String] = [:]
        var attempts = 0
        var unused = entities
        func take(_ spec: SlotSpec) -> String? {
            // Not one the message says it does not mean, beside one it does ("I'm not talking about HP-10442, where is HP-10443?").
            let meant = signals.meant(unused.filter { $0.entity == spec.entity }, in: text)
            let named = unused.indices.filter { meant.contains(unused[$0]) }
            guard let first = named.first else { return nil }
            // Of two records named, the one that holds what the message names ("HP-10442 and HP-10501,
            // the candle is smashed" is about the candles' order).
            let things = signals.thingsNamed(of: engine.listedKinds[spec.entity] ?? [], in: entities, text: text)
            let holder = named.count < 2 ? nil : engine.soleHolder(of: things, among: named.map { unused[$0] })
            return unused.remove(at: holder.flatMap { holder in named.first { unused[$0].value == holder.value } } ?? first).value
        }
        func holding(_ entity: String, another: Bool = false) -> String? { self.holding(entity, named: entities, in: text, another: another) }
        /// The value of a kind in focus, or one displaced that holds the thing named.
        func focused(_ entity: String) -> String? { holding(entity) ?? state.focus.value(for: entity) }
        if let filling = state.filling, filling.intent == intent.name {
            // The answer goes to the slot asked for; anything left fills the slots still empty.
            values = filling.values
            attempts = filling.attempts
            if let asked = intent.slots.first(where: { $0.name == filling.asking }), let value = take(asked) { values[asked.name] = value }
            for spec in intent.slots where values[spec.name] == nil {
                if let value = take(spec) { values[spec.name] = value }
            }
        } else {
            // A correction of the last answer starts from its values; new ones replace them.
            if correcting && previous == intent.name { values = state.slots }
            for spec in intent.slots {
                if let value = take(spec) { values[spec.name] = value }
            }
            // "Is it in stock?" just after the rain jacket, "and where is it?" after the
            // York shop's hours: "it" is the value of that kind the last answer used.
            // A slot marked `from_last_answer` takes it unasked ("what colours?").
            // Not when the last turn was no answer (a question, a miss), nor
            // when the message names another thing ("my candle arrived with a
            // crack in it" is about the candle, not the order just checked).
            // "Another thing" is a value of a kind the bot looks things up by
            // (an order, a product, a shop), other than the slot's own, that
            // the intent takes or that a record of the slot's kind lists (an
            // order lists products): "do you have them in size 9 in the
            // Manchester shop?" still asks about the boots in focus.
            func namesAnotherThing(than spec: SlotSpec) -> Bool {
                let focused = focused(spec.entity)
                return entities.contains { other in
                    other.entity != spec.entity && engine.lookupKeyEntities.contains(other.entity)
                        && (intent.slots.contains { $0.entity == other.entity } || engine.listedKinds[spec.entity]?.contains(other.entity) == true)
                        && !(focused.map { engine.row(of: spec.entity, $0, mentions: other) } ?? false)
                }
            }
            let refersBack = signals.refersBack(text)
            if lastTurnAnswered, !signals.meansAnother(text), let earlier = previous.flatMap(engine.bot.intent(named:)) {
                for spec in intent.slots where values[spec.name] == nil && (refersBack || spec.fromLastAnswer) && !namesAnotherThing(than: spec) {
                    if let used = earlier.slots.first(where: { $0.entity == spec.entity }), let value = state.slots[used.name] {
                        values[spec.name] = holding(spec.entity) ?? value
                    }
                }
            }
            // What the conversation is about fills any slot of its kind still
            // empty: "can I still change the address?" after "where is
            // HP-10443", "what are the opening hours" after the York shop.
            // "The other one" is not the thing in focus, unless it is the one named that holds
            // the thing the message names ("the other one, the jacket").
            // Or, for the record the intent looks up by its identifier (an order's number, not a country),
            // when the conversation named two, the one not in focus ("and the other order?" after HP-10610
            // and HP-10702 were both answered, then the blanket's talked about).
            if useFocus {
                let another = signals.meansAnother(text)
                func other(_ spec: SlotSpec) -> String? {
                    let named = state.focus.values(for: spec.entity)
                    guard spec.name == intent.lookupSlot?.name, engine.recordIdentifiers.contains(spec.entity), named.count == 2 else { return nil }
                    return named[1]
                }
                for spec in intent.slots where spec.fromFocus && values[spec.name] == nil && !namesAnotherThing(than: spec) {
                    if let value = another ? holding(spec.entity, another: true) ?? other(spec) : focused(spec.entity) {
                        values[spec.name] = value
                        usedFocus.append((spec.entity, value))
                    } else if !another, let value = engine.valueInFocusedRows(of: spec.entity, focus: state.focus, at: at) {
                        // "What tier am I?" while member PC-204518 is in focus: the tier in its row.
                        values[spec.name] = value
                        usedFocus.append((spec.entity, value))
                    }
                }
            }
        }
        // "Can I cancel the mugs?" while HP-10443 (a rain jacket) is in focus, "I'm returning
        // boots, order HP-10655" (a backpack and a flask): the thing named is not in that order,
        // and the customer should hear so, not an answer that takes no notice of it.
        // Or "I want to exchange the beanie", then "order HP-10588" (boots and socks): the thing
        // named just before is not in the order the customer gives now.
        func thingNotInRecord() -> (thing: String, record: String, namedBefore: Bool)? {
            guard let lookup = intent.lookup, let key = intent.lookupSlot, let listed = engine.listedKinds[key.entity] else { return nil }
            let given = values[lookup.slot]
            guard let record = given ?? (useFocus ? focused(key.entity) : nil),
                  engine.bot.tables[lookup.table]?.row(for: record) != nil else { return nil }
            // Not when the message says the order came with a thing it holds named as not what came: "got my
            // order HP-10702 and it's gloves not a scarf" names what came instead of what the order holds.
            // Nor a thing named as not meant ("sorry i meant HP-10610, not the candles one"), nor one another
            // order the conversation named holds (kept in focus, or named in the customer's message before),
            // named in another clause than the record's number: the customer tells which thing is in which
            // order ("that's the jumper one. the jacket is HP-10443" just after HP-10442; not "the scarf in
            // HP-10442 is missing" after HP-10702, the scarf's order).
            // What the customer's message before names, read when first needed and once.
            var readBefore: [EntityMatch]?
            func namedBefore() -> [EntityMatch] {
                if readBefore == nil { readBefore = state.customerMessageBefore.map { engine.entities.extract(from: $0, at: at) } ?? [] }
                return readBefore ?? []
            }
            let clauses = signals.clauses(text)
            let numberClause = entities.first { $0.entity == key.entity && $0.value == record }
                .flatMap { number in clauses.firstIndex { $0.scalarRange.contains(number.start) } }
            // Held by another order the conversation named: kept in focus, or named in the customer's message before.
            func heldByAnother(_ thing: EntityMatch) -> Bool {
                let numbersBefore = namedBefore().filter { $0.entity == key.entity }.map(\.value)
                return (state.focus.values(for: key.entity) + numbersBefore).contains { $0 != record && engine.row(of: key.entity, $0, mentions: thing) }
            }
            func heldByAnotherNamed(_ thing: EntityMatch) -> Bool {
                guard numberClause == nil || clauses.firstIndex(where: { $0.scalarRange.contains(thing.start) }) != numberClause else { return false }
                return heldByAnother(thing)
            }
            if let thing = entities.first(where: {
                   listed.contains($0.entity) && !engine.row(of: key.entity, record, mentions: $0) && !signals.isRejected($0, in: text)
                       && !heldByAnotherNamed($0)
               }),
               !(saysItCame(text, entities) && entities.contains(where: {
                   listed.contains($0.entity) && engine.row(of: key.entity, record, mentions: $0) && signals.isRejected($0, in: text)
               })),
               // Nor what came instead of a thing the order holds: "ordered a scarf HP-10702 and got a BEANIE".
               !entities.contains(where: { meant in
                   listed.contains(meant.entity) && engine.row(of: key.entity, record, mentions: meant) && signals.cameInstead(thing, of: meant, in: text)
               }) {
                return (thing.text, record, false)
            }
            // (Not for "the other order": the thing named before was the one in focus's.)
            guard given != nil, !entities.contains(where: { listed.contains($0.entity) }), !signals.meansAnother(text),
                  let named = state.focus.items.first(where: { listed.contains($0.entity) && $0.salience >= Focus.lasting - 1 }),
                  // Named for a request about the customer's own thing (an exchange, a return), not asked
                  // about as such (the jumper's price: a request that takes a product)...
                  let earlier = previous.flatMap(engine.bot.intent(named:)), earlier.isPlainRequest,
                  !earlier.slots.contains(where: { $0.entity == named.entity }),
                  // ...and this message goes on with that request, or only gives the number: another
                  // request ("a refund on HP-10702" after cancelling the boots of HP-10588) is about
                  // the order it names, not the boots.
                  earlier.name == intent.name
                      || entities.first(where: { $0.entity == key.entity }).map({ signals.isBareValue(text, value: $0) }) == true,
                  // ...of a topic whose requests look up such records (returns, not the Pine Club).
                  engine.bot.intents.contains(where: { $0.topic == earlier.topic && $0.lookup?.table == lookup.table }),
                  // By the customer, in the message before: not a thing an answer named ("a scarf").
                  let before = state.customerMessageBefore,
                  // (Not one named there as not meant: "HP-10610, not the candles one".)
                  namedBefore().contains(where: {
                      $0.entity == named.entity && $0.value == named.value && !signals.isRejected($0, in: before)
                  }),
                  case let thing = EntityMatch(entity: named.entity, text: named.value, value: named.value, start: 0, end: 0),
                  !engine.row(of: key.entity, record, mentions: thing),
                  // Nor when the message corrects the number and the thing was the corrected record's ("actually the
                  // one i meant is HP-10442" just after "HP-10443 where is it, the jacket"): it went with that number.
                  !(signals.saysCorrection(text) && heldByAnother(thing))
            else { return nil }
            return (named.value, record, true)
        }
        let notInRecord = thingNotInRecord()
        // Said (and its variant drawn) only with the answer it opens.
        func noting(_ answer: String) -> String {
            guard let (thing, record, namedBefore) = notInRecord, !notedNotInRecord else { return answer }
            notedNotInRecord = true
            // "I ordered a rain jacket ... it still hasn't turned up", then "HP-10501" (two candles), or "my mug
            // arrived smashed, order HP-10443" (a rain jacket): the number is likely the wrong one, so what
            // comes next ("can I get a refund instead?") is not answered from it. Not when the message asks
            // two things, whose names may belong to the other ("where's HP-10655, and do you sell the beanie?").
            // Nor when the record is the one in focus and the message points back at it ("can I change
            // the size of the boots in it?" just after HP-10655): the customer is on that order still,
            // and "please cancel it" next is about it.
            let pointedAt = !namedBefore && intent.lookup.map { values[$0.slot] == nil } == true && signals.refersBack(text)
            if namedBefore || !answeringSeveral, !pointedAt, let entity = intent.lookupSlot?.entity {
                notTheCustomersRecord = (entity, record)
            }
            return say(engine.bot.ladder.notInRecord, .notInRecord, extra: ["thing": thing, "key": record]) + " " + answer
        }
        // "Can you check where my wife's order is?": someone else's record asked about before its key is given,
        // refused now, not read out when the number comes in the next message.
        if let lookup = intent.lookup, values[lookup.slot] == nil, let refusal = engine.bot.someoneElse(of: intent),
           intent.slots.contains(where: { $0.name == lookup.slot && $0.required }), !signals.claimsAsOwn(text),
           asksAfterSomeoneElsesRecord(text, source: refusal.source) {
            notFoundOptional = true
            state.refusedAsSomeoneElses = lookup.table
            return say(refusal.texts, refusal.source, extra: values)
        }
        if let missing = intent.slots.first(where: { $0.required && values[$0.name] == nil }) {
            state.awaiting = state.awaiting.with(task: SlotFilling(intent: intent.name, values: values, asking: missing.name, attempts: attempts))
            // "What sizes do they come in?" just after "Which product do you mean?" for the merino base
            // layers: the same question twice in a row tells nothing; bot.yaml's `slot_asked_again` says
            // every value there is (a list entity's), and that anything else the shop does not have.
            if missing.entity == askedJustBefore, !engine.bot.slotTexts.askedAgain.isEmpty,
               case .list(let options)? = engine.bot.entities.first(where: { $0.name == missing.entity })?.recognizer, !options.isEmpty {
                return say(engine.bot.slotTexts.askedAgain, .slotAskedAgain, extra: ["options": Self.list(options.map(\.value), conjunction: "and")])
            }
            return say(missing.prompts, .prompt(intent: intent.name, slot: missing.name), extra: values)
        }
        var known = values
        if let lookup = intent.lookup, let key = values[lookup.slot] {
            let entity = intent.lookupSlot?.entity
            // "My mate has card PC-118230, can I use his points": a record that is its owner's alone, named
            // in this message as someone else's, is not read out, nor said not to exist; nor does it come into focus.
            // Nor one that corrects such a record in the message before ("sorry I mean PC-300771, the other
            // one was my old one" just after "my husband already has one, PC-118230"): it is that person's too.
            // Not one the customer says is their own ("sorry I mean mine is PC-300771", "my own points",
            // "my account": `CustomerSignals.claimsAsOwn`).
            func correctsSomeoneElses() -> Bool {
                guard signals.saysCorrection(text), !signals.claimsAsOwn(text), let before = state.customerMessageBefore else { return false }
                return engine.entities.extract(from: before, at: at).contains { earlier in
                    earlier.entity == entity && earlier.value != key && namesAsSomeoneElses(earlier, in: before)
                }
            }
            if let refusal = engine.bot.someoneElse(of: intent), let named = entities.first(where: { $0.entity == entity && $0.value == key }),
               namesAsSomeoneElses(named, in: text) || correctsSomeoneElses() {
                values[lookup.slot] = nil
                if state.filling?.intent == intent.name { state.dropTask() }
                state.slots = values
                if let entity { state.focus.drop(entity, key) }
                notFoundOptional = true
                state.refusedAsSomeoneElses = lookup.table
                return say(refusal.texts, refusal.source, extra: known)
            }
            guard let row = engine.bot.tables[lookup.table]?.row(for: key) else {
                if let entity { state.focus.drop(entity, key) }
                let notFound = say(lookup.notFound, .notFound(intent: intent.name), extra: known)
                if intent.lookupSlot?.required == false {
                    // A value given but never asked for: say so, and ask nothing; a bare
                    // new value next ("HP-10443") is still taken for this answer.
                    values[lookup.slot] = nil
                    if state.filling?.intent == intent.name { state.dropTask() }
                    state.slots = values
                    notFoundOptional = true
                    return notFound
                }
                if attempts.incremented() >= FallbackLadder.offerAfter {
                    state.dropTask()
                    return notFound + " " + offerHandoff(.repeatedMisses)
                }
                values[lookup.slot] = nil
                state.awaiting = state.awaiting.with(task: SlotFilling(intent: intent.name, values: values, asking: lookup.slot, attempts: attempts.incremented()))
                return notFound
            }
            foundRecord = key
            if state.refusedAsSomeoneElses == lookup.table { state.refusedAsSomeoneElses = nil }
            if let entity, engine.focusEntities.contains(entity) { state.focus.bring(entity, key) }
            // "My blanket arrived with a big tear in it. Order HP-10610." while its record says it is on
            // the way: the record is behind, and its answer ("it hasn't reached you yet") would tell the
            // customer they do not hold what they hold. The answer for anyone is said, after a word that
            // the record does not show it yet.
            // (Only when the intent has an answer for anyone that speaks of no record, and the thing the
            // customer names is in the record: "the mug was smashed" with the number of an order of
            // boots is likely the wrong number, and `noting` says so.)
            // Said now, or in the message before, for the same request ("got my parcel today but the mug
            // isn't in it", then "order number is HP-10442"), or earlier for that record (`cameRecord`).
            // Read only for a record that has not come, or only partly.
            // What the record fills: its key, its columns, and what is said of its due day ({late}).
            let recordWords = Set([lookup.slot]).union(DueDateTexts.replyPlaceholders), table = lookup.table + "."
            // An order only partly sent ("partly") that the customer says came is told the same answer for
            // anyone, without the word about the record: part of it may well be with them ("HP-10588 came
            // today but only one pair of socks in the box").
            let arrived = row["\(lookup.table).\(Self.arrivedColumn)"]
            // (Worked out only for such a record: reading the message's clauses is not free.)
            func saidToHaveCome() -> Bool {
                cameRecords.map { $0.isEmpty || $0.contains(key) } == true
                    || arrived == Self.notArrived && state.cameRecord == key
                    || saysItCame(text, entities, orPart: arrived == Self.notArrived)
                    || previous == intent.name && state.customerMessageBefore.map(signals.saysArrived) == true
            }
            // Not for an order partly sent, just after an answer to the same request ("only half my parcel
            // turned up", then "HP-10588. The boots came, the socks didn't"): the answer for anyone again would
            // tell nothing new; its record says which parcel holds what.
            // Nor when the message names nothing the order holds: "only part of my order came. order HP-10588"
            // is answered by the record's parcels; "HP-10588 came today but only one pair of socks in the box"
            // tells of a thing missing from the parcel that came, which the answer for anyone is for.
            let namesNoThingOfIt = entity.map { kind in
                !entities.contains { $0.entity != kind && engine.row(of: kind, key, mentions: $0) }
            } ?? false
            let sameRequestGoesOn = arrived == Self.partlyArrived && (previous == intent.name || namesNoThingOfIt)
            // "Only half my order turned up. HP-10588. Boots came, socks didn't": the customer says a thing of the
            // record came (in this message, or the one before for the same request) that its record has not sent
            // (the `sent` column of an order that came in part). The record's story of its parcels would tell them
            // the boots are still to come, and the answer for anyone would pass over what the record knows: a
            // reply may wait on that (`came_not_sent`) and not tell it.
            // The things of this record that clauses name ("boots came", "no socks").
            func thingsOfTheRecord(in clauses: [Clause]) -> [EntityMatch] {
                guard let entity else { return [] }
                return clauses.flatMap { engine.entities.extract(from: String($0.text), at: at) }
                    .filter { $0.entity != entity && engine.row(of: entity, key, mentions: $0) }
            }
            func cameNotSent() -> [EntityMatch] {
                guard arrived == Self.partlyArrived, let sent = row["\(lookup.table).\(Self.sentColumn)"] else { return [] }
                let said = [text] + (previous == intent.name ? [state.customerMessageBefore].compactMap { $0 } : [])
                return said.flatMap { thingsOfTheRecord(in: signals.clausesSayingOnlyWhatCame($0)) }.filter { !Engine.cell(sent, mentions: $0) }
            }
            // Said now, or earlier in the conversation of this record (`cameNotSent` of the state, taken back by a
            // message that says other things came: `Turn.receive`): "so where are the socks then?" after "the boots
            // came but no socks" is not told the boots are still to come.
            let notSentNow = cameNotSent().map(\.value)
            if !notSentNow.isEmpty { state.cameNotSent = [key] + Array(Set(notSentNow)).sorted() }
            let notSent = notSentNow.isEmpty ? keptAsCameNotSent(key) : notSentNow
            // "Only half my order came, HP-10588. got the socks but no boots": what the customer says came is
            // what the record sent, and what they miss it has not sent. The record's story of its parcels is
            // then the answer, not the one for a thing missing from a parcel that came.
            func recordTellsWhatIsMissing() -> Bool {
                guard arrived == Self.partlyArrived, let sent = row["\(lookup.table).\(Self.sentColumn)"] else { return false }
                let came = thingsOfTheRecord(in: signals.clausesSayingOnlyWhatCame(text))
                let missing = thingsOfTheRecord(in: signals.clausesSayingItDidNotCome(text))
                return !missing.isEmpty && missing.allSatisfy { !Engine.cell(sent, mentions: $0) }
                    && came.allSatisfy { Engine.cell(sent, mentions: $0) }
            }
            if notInRecord == nil, arrived == Self.notArrived || arrived == Self.partlyArrived, !sameRequestGoesOn, saidToHaveCome(),
               notSent.isEmpty, !recordTellsWhatIsMissing(),
               case let forAnyone = intent.responses.indices.filter({ index in
                   intent.responses[index].condition == nil
                       && !intent.responses[index].placeholders.contains { recordWords.contains($0.name) || $0.name.hasPrefix(table) }
               }), !forAnyone.isEmpty {
                if state.filling?.intent == intent.name { state.dropTask() }
                state.slots = values
                // Remembered for an order whose record says it has not come: the record stays behind all
                // conversation. (One partly sent is told so only in the message that says it came: its other
                // answers, cancelling the rest, are the record's.)
                // The word about the record is said once while that record is the one said to have come
                // (`cameRecord`): after it, the answers for anyone go on alone.
                let toldOfTheRecord = state.cameRecord == key
                if arrived == Self.notArrived { state.cameRecord = key }
                var general = values
                general[lookup.slot] = nil
                let note = arrived == Self.notArrived && !toldOfTheRecord
                    ? say(engine.bot.ladder.arrivedNotInRecord, .arrivedNotInRecord, extra: ["key": key]) + " " : ""
                let answer = say(forAnyone.map { intent.responses[$0] }, .intent(intent.name), extra: general)
                // The variant drawn, by its place among all the intent's replies (for coverage).
                if let drawn = chosen.popLast() { chosen.append(VariantChoice(source: drawn.source, index: forAnyone[drawn.index])) }
                return note + answer
            }
            known.merge(Self.placeholders(of: row, table: lookup.table, bot: engine.bot, at: at)) { _, looked in looked }
            // ("Only half my order came. boots came, no socks", then "HP-10588".)
            if !notSent.isEmpty { known[Bot.cameNotSentGiven] = Self.list(Array(Set(notSent)).sorted(), conjunction: "and") }
            // "I sent back the blanket from HP-10610, where's my refund": of an intent with a `sent_back` detail,
            // "it's 8 days late, you don't have to send anything back" does not fit a customer who says they
            // sent it back; the record's own answer does.
            if known["late"] != nil, intent.details.contains(where: { $0.name == Self.sentBackDetail }),
               signals.detailsAsked(text).details.contains(Self.sentBackDetail) {
                known["late"] = nil
            }
        }
        // Answered; a question another intent was waiting on still waits ("Now, back to...").
        if state.filling?.intent == intent.name { state.dropTask() }
        state.slots = values
        let noted = noting("")
        let answer = say(intent.responses, .intent(intent.name), extra: known)
        if foundRecord != nil { bringAnswerIntoFocus(answer, besides: intent.lookupSlot?.entity, named: entities, at: at) }
        return noted + answer
    }

    /// When a message names things such records list (a product, for an
    /// order), the value of the kind the conversation has named (in focus, or
    /// displaced since) that holds them, all if one does: "the mug in the one
    /// that didn't come" after HP-10442 (a jumper and a mug) and HP-10501
    /// (candles) is about HP-10442, and so is "the other one, the jacket"
    /// after HP-10442 and HP-10443. With `another` ("the other one"), those
    /// displaced are looked at first, and none is meant when none was
    /// displaced ("can I cancel my other order, the mug" just after HP-10442
    /// alone is not HP-10442). A thing named as not meant counts for none
    /// ("when will it come, not the blanket one").
    func holding(_ entity: String, named entities: [EntityMatch], in text: String, another: Bool = false) -> String? {
        var candidates = state.focus.values(for: entity)
        if another {
            guard candidates.count > 1 else { return nil }
            candidates = Array(candidates.dropFirst()) + [candidates[0]]
        }
        guard !candidates.isEmpty, let listed = engine.listedKinds[entity] else { return nil }
        let named = signals.thingsNamed(of: listed, in: entities, text: text)
        guard !named.isEmpty else { return nil }
        return candidates.first { value in named.allSatisfy { engine.row(of: entity, value, mentions: $0) } }
            ?? candidates.first { value in named.contains { engine.row(of: entity, value, mentions: $0) } }
    }

    /// What an answer from data names comes into focus too, when the
    /// customer has not named a thing of that kind: "it's waiting at our Leeds
    /// shop" makes "what time does that shop shut?" about Leeds. Only a kind
    /// the answer names once ("a wool jumper and a mug" names no one product).
    /// Also when the message named that very thing among others of its kind:
    /// "I can't remember if I picked Leeds or Manchester", answered "at our
    /// Leeds shop", is about Leeds, not the last shop named.
    mutating func bringAnswerIntoFocus(_ answer: String, besides entity: String?, named: [EntityMatch], at: Date) {
        let said = engine.entities.extract(from: answer, at: at).filter { engine.focusEntities.contains($0.entity) && $0.entity != entity }
        for kind in Set(said.map(\.entity)) {
            let values = Set(said.filter { $0.entity == kind }.map(\.value))
            guard values.count == 1, let value = values.first else { continue }
            if state.focus.value(for: kind) == nil || named.contains(where: { $0.entity == kind && $0.value == value }) {
                state.focus.bring(kind, value)
            }
        }
    }

    /// The short answers to the details asked, one after the other; asked
    /// again at once, said as said before, unless the message tells more
    /// about the request (`addsToTheRequest`: "it says invalid" just after
    /// what to do when a code does not work), when the same answer can't help.
    /// With a value to look up (named, or in focus), a detail's variants for
    /// it (`when: {given: country}`) may use its row: "how long?" after
    /// "do you ship to Ireland" is Ireland's time, not the EU's range.
    mutating func answerDetails(_ names: [String], of intent: Intent, entities: [EntityMatch], text: String, at: Date) -> String {
        let lastTurn = state.lastBotTurn
        var known: [String: String] = [:]
        if let key = intent.lookupSlot, let value = recordKey(of: intent, entities: entities, text: text),
           let values = recordValues(of: intent, value, at: at) {
            known = values
            // What this answer was about, as a full answer's would be: corrections and later details start from it,
            // and it is the record in focus ("the blanket one first then, when will it come", then "and the other
            // order?").
            state.slots = [key.name: value]
            if engine.focusEntities.contains(key.entity) { state.focus.bring(key.entity, value) }
        }
        // "How much and how long?": each answer once, and a sentence two of them share said once.
        // One that ends offering a person (`offers: person`) comes last, so the offer is the reply's
        // last word ("i paid with paypal, how long does that take" of a refund long overdue).
        var replies: [(text: String, offers: Bool)] = []
        for detail in names.compactMap({ name in intent.details.first { $0.name == name } }) {
            let before = chosen.count
            let said = say(detail.responses, .detail(intent: intent.name, detail: detail.name), extra: known)
            replies.append((said, offersPerson(intent, since: before)))
        }
        var sentences: [String] = []
        var details: [[String]] = []
        for reply in replies.filter({ !$0.offers }) + replies.filter(\.offers) {
            let new = AnswerSentences.split(reply.text).filter { !sentences.contains($0) }
            sentences += new
            details.append(new)
        }
        let answer = Self.withoutRestatements(details).joined(separator: " ")
        // From a record, what it names comes into focus, as a full answer's does ("Which shop is it at? I
        // can't remember if I picked Leeds or Manchester", answered "at our Leeds shop": then "that shop").
        if let key = intent.lookupSlot, known[key.name] != nil {
            bringAnswerIntoFocus(answer, besides: key.entity, named: entities, at: at)
        }
        guard lastTurn.contains(answer) else { return answer }
        // "It says invalid" just after what to do when a code does not work: that did not help.
        // Nor did it help when the customer says it is still not right ("I've checked spam. Twice").
        if addsToTheRequest(text, intent: intent) || signals.saysStillAProblem(text) { return sameAnswerCannotHelp(intent, at: at) }
        return sayAgain(answer, of: intent, asked: text, at: at)
    }

    /// An answer asked for again: "As I said: ..." with it; or, for a question
    /// for a day or a sum that some of its sentences hold ("when did you get it
    /// back?" just after the refund's record), those sentences alone.
    mutating func sayAgain(_ answer: String, of intent: Intent, asked text: String, at: Date) -> String {
        if let part = engine.sentences(holdingWhat: text, asks: answer, of: intent, at: at), !state.lastBotTurn.contains(part) { return part }
        // "How much was it?" just after a refund's answer that gives only its day: not the answer again ("As I
        // said" would claim it was said), but the first sentence of the record that holds an amount ("...the
        // refund of £38 went back to your card on 27 November."), when the answer holds none.
        if let part = sentenceOfTheRecord(holdingWhat: text, besides: answer, of: intent, at: at) { return part }
        return say(engine.bot.ladder.saidBefore, .saidBefore, extra: ["reply": answer])
    }

    /// The first sentence of the record `intent` answered from (its row's cells, in the table's order) that
    /// holds the sum `text` asks for (`Engine.sentences(holdingWhat:asks:of:at:)`), when `answer` holds no
    /// sentence of it; nil for a question that asks no sum, or a record with none.
    func sentenceOfTheRecord(holdingWhat text: String, besides answer: String, of intent: Intent, at: Date) -> String? {
        // Only a sum: a day the record holds may be of anything ("when did I order it?" is in no sentence of it).
        guard signals.valueAsked(text) == .amount, let lookup = intent.lookup,
              let key = foundRecord ?? state.slots[lookup.slot] ?? intent.lookupSlot.flatMap({ state.focus.value(for: $0.entity) }),
              let table = engine.bot.tables[lookup.table], let row = table.row(for: key) else { return nil }
        // What the answer says of it already: then "As I said" is true.
        if engine.sentences(holdingWhat: text, asks: answer, of: intent, at: at, orAll: true) != nil { return nil }
        var pool: [String] = []
        for column in table.columns.dropFirst() {
            for sentence in AnswerSentences.split(row["\(lookup.table).\(column)"] ?? "") where sentence.contains(" ") && sentence.last.map({ ".!".contains($0) }) == true && !pool.contains(sentence) {
                pool.append(sentence)
            }
        }
        guard pool.count >= 2, let found = engine.sentences(holdingWhat: text, asks: pool.joined(separator: " "), of: intent, at: at),
              let first = AnswerSentences.split(found).first, !state.lastBotTurn.contains(where: { $0.contains(first) }) else { return nil }
        return first
    }


    /// The sentences of several details' replies, without one that a sentence
    /// of another detail says again with more ("Yes, gift cards work in all
    /// our shops as well as online." beside "Yes, gift cards work online
    /// (there's a box for them at checkout) as well as in our shops.", two
    /// details asked at once): nearly all its words, of five or more, are the
    /// longer one's, and every figure it gives ("£7.95") is there too. Of two
    /// as long, the later goes ("On Saturdays our Manchester shop is open 10am
    /// to 4pm." says what "Tomorrow our Manchester shop is open 10am to 4pm."
    /// would).
    ///
    /// Of a later sentence some of whose clauses (`AnswerSentences.clauses`,
    /// and at a colon) say again what an earlier detail's did, only what it
    /// adds is kept ("No, you don't need to send a broken item back: the
    /// photo is all we need." after "It costs you nothing: you don't need to
    /// send a broken item back, …" is "The photo is all we need.").
    static func withoutRestatements(_ details: [[String]]) -> [String] {
        let sentences = details.enumerated().flatMap { detail, said in said.map { (detail: detail, text: $0) } }
        func significant(_ text: some StringProtocol) -> Set<String> {
            Set(TextNormalizer.tokens(String(text)).filter { $0.count >= 3 || $0.contains(where: \.isNumber) })
        }
        let words = sentences.map { significant($0.text) }
        func restates(_ said: Set<String>, _ other: Int) -> Bool {
            said.count >= restatementWords && said.filter { $0.contains(where: \.isNumber) }.isSubset(of: words[other])
                && Double(said.intersection(words[other]).count) >= restatementShare * Double(said.count)
        }
        let kept = sentences.indices.filter { index in
            !sentences.indices.contains { other in
                sentences[other].detail != sentences[index].detail
                    && (words[other].count > words[index].count || words[other].count == words[index].count && other < index)
                    && restates(words[index], other)
            }
        }
        // A clause is said again when every word of it of four letters or more (or with a figure), five
        // at least, is in the earlier sentence: "say you'd like a replacement when you email the photo"
        // is not "email a photo ... and say you'd like a refund".
        func sayingAgain(_ clause: String, _ other: Int) -> Bool {
            let telling = Set(TextNormalizer.tokens(clause).filter { $0.count >= 4 || $0.contains(where: \.isNumber) })
            return telling.count >= clauseRestatementWords && telling.isSubset(of: words[other])
        }
        return kept.map { index in
            let text = sentences[index].text
            // A question is said whole: "Which shop do you mean: Manchester, Leeds, York or Edinburgh?"
            if text.contains("?") { return text }
            let clauses = text.components(separatedBy: ": ").flatMap(AnswerSentences.clauses(of:))
            let adding = clauses.filter { clause in
                !kept.contains { $0 < index && sentences[$0].detail != sentences[index].detail && sayingAgain(clause, $0) }
            }
            // What is left must say something: not a bare "Yes." or "No." before what was dropped.
            let telling = adding.filter { TextNormalizer.tokens($0).count > 1 }
            return adding.count == clauses.count || telling.isEmpty ? text : telling.joined(separator: " ")
        }
    }

    /// The words of four letters or more a clause must have for it to be said again (`withoutRestatements`).
    static let clauseRestatementWords = 5

    /// Words a sentence must have, and the share of them another must hold, for it to be a restatement.
    static let restatementWords = 5
    static let restatementShare = 0.85

    /// What a reply may use of a row looked up: its columns (`{orders.status}`),
    /// today's and tomorrow's of a table with a column per day (`DayColumns`),
    /// and, for a `due` column, the due day against `at`: "due tomorrow", "8
    /// days late" (`{due_words}`); `{late}` and `{days_late}` only when it is,
    /// for the replies that apologise, and then the late form of a column
    /// (`detail_late`) for the column where it has one; and for a `refunded` column, the
    /// refund's day and whether a bank should be showing it by now
    /// (`Bot.refundPlaceholders`).
    /// What a reply of `intent` may say of its record `value`: the key under its slot's name, and the
    /// row's values (`placeholders`); nil when its table has no such row.
    func recordValues(of intent: Intent, _ value: String, at: Date) -> [String: String]? {
        guard let lookup = intent.lookup, let key = intent.lookupSlot, let row = engine.bot.tables[lookup.table]?.row(for: value) else { return nil }
        var known = [key.name: value].merging(Self.placeholders(of: row, table: lookup.table, bot: engine.bot, at: at)) { _, looked in looked }
        // Said earlier to have come though the record has not sent it (`cameNotSent`).
        let kept = keptAsCameNotSent(value)
        if !kept.isEmpty { known[Bot.cameNotSentGiven] = Self.list(kept, conjunction: "and") }
        return known
    }

    /// The things the customer said came of the record `key` though it has not sent them, as kept
    /// (`DialogueState.cameNotSent`); none for another record.
    func keptAsCameNotSent(_ key: String) -> [String] {
        guard let kept = state.cameNotSent, kept.first == key else { return [] }
        return Array(kept.dropFirst())
    }

    static func placeholders(of row: [String: String], table: String, bot: Bot, at: Date) -> [String: String] {
        var known = row
        known.merge(DayColumns.values(of: row, table: table, at: at, in: bot.timeZone, bankHolidays: bot.supportHours?.closedOn ?? [])) { _, day in day }
        if let due = row["\(table).\(DataTable.dueColumn)"] {
            let words = bot.dueDatePlaceholders(due: due, status: row["\(table).status"] ?? "", at: at)
            known.merge(words.filter { $0.key != "days_late" }) { _, new in new }
            if let late = words["days_late"], late != "0" {
                known = DataTable.lateForms(of: known)
                known["days_late"] = late
                known["late"] = words["due_words"]
                if let days = Int(late), bot.dueDateTexts?.isOverdue(daysLate: days) == true { known["overdue"] = words["due_words"] }
            }
        }
        // A `refunded` column: the refund's day against today ("it went back 24 days ago: it should be showing").
        if let refunded = row["\(table).refunded"] {
            known.merge(bot.refundPlaceholders(refunded: refunded, at: at)) { _, new in new }
        }
        return known
    }

    /// A table's column that says whether a record's thing has reached the
    /// customer, and the value that says it has not (orders.csv: `no` for an
    /// order on its way or being packed).
    static let arrivedColumn = "arrived"
    /// The detail of a request that the customer says they sent the thing back.
    static let sentBackDetail = "sent_back"
    static let notArrived = "no"
    /// The `arrived` value of a record only part of which has been sent.
    static let partlyArrived = "partly"
    /// The column of an order that came in part naming what of it has been sent.
    static let sentColumn = "sent"

    /// Whether the row `record` of the intent's table was due before `at` and has not come.
    func isLate(_ record: String?, of intent: Intent, at: Date) -> Bool {
        guard let record, let table = intent.lookup?.table, let row = engine.bot.tables[table]?.row(for: record) else { return false }
        return Self.placeholders(of: row, table: table, bot: engine.bot, at: at)["days_late"] != nil
    }

    /// Whether a variant of the intent's replies or details drawn since the
    /// `since`th choice of the turn ends by offering a person (`offers: person`).
    func offersPerson(_ intent: Intent, since: Int) -> Bool {
        chosen[since...].contains { choice in
            let variants: [ResponseTemplate] = switch choice.source {
            case .intent(intent.name): intent.responses
            case .detail(intent: intent.name, let detail): intent.details.first { $0.name == detail }?.responses ?? []
            default: []
            }
            return variants.indices.contains(choice.index) && variants[choice.index].offersPerson
        }
    }

    /// Small talk this short may be said twice in a row ("Hello!").
    static let shortReply = 80

    /// `respond`, never with the words of the bot's last reply: they would
    /// tell the customer nothing new. When the thing in focus made the answer
    /// the same ("can you check stock for me" just after the scarf's stock),
    /// the customer means another one: the bot asks which, if the intent
    /// needs one (a general answer would answer about none of them). When the answer
    /// itself is the same, it is said as said before ("As I said: ..."), or,
    /// when the customer says it did not solve anything ("the reset email
    /// never came" after the reset steps) or tells more about the request
    /// without asking (`addsToTheRequest`), the bot says so and offers a
    /// person (`sameAnswerCannotHelp`).
    /// A follow-up on the request the conversation is on hears only the
    /// sentences of its answer that speak to what it asks
    /// (`Engine.sentences(answering:in:of:)`), when some do.
    mutating func respondWithoutRepeating(
        _ intent: Intent, entities: [EntityMatch], correcting: Bool, previous: String?, text: String, lastTurnAnswered: Bool, at: Date,
        insisting: Bool = false, refusedPerson: Bool = false, upset: Bool = false
    ) -> String {
        // Said just now: any line of the bot's last turn (the answer, though a question about the customer came after it).
        let lastTurn = answeringSeveral ? [] : state.lastBotTurn
        func saidJustNow(_ reply: String) -> Bool { lastTurn.contains(reply) }
        // The request the conversation is on, asked about again: "will I lose my points if I delete?"
        // after the account-closing answer.
        let followsUp = !answeringSeveral && state.focus.subjects.contains { $0.value == intent.name && $0.record == nil }
        var trial = self
        let answer = trial.respond(intent, entities: entities, correcting: correcting, previous: previous, text: text,
                                   lastTurnAnswered: lastTurnAnswered, at: at)
        // The intent's own answer, which a part of may be said: not one from a record ("Order
        // HP-10442 is on its way..."), whose sentences hang together, nor a question for a value,
        // nor "no order HP-99993" with the offer of a person after it.
        let answered = trial.state.filling?.intent != intent.name && trial.state.handoffOffered == nil && !trial.notFoundOptional
        // Nor one that ends by offering a person (`offers: person`): its question goes with it.
        let partable = answered && trial.foundRecord == nil && !trial.offersPerson(intent, since: chosen.count)
        // The whole answer of a request said earlier in the conversation, to a customer who says it is
        // still a problem ("so what do I do then, I'm locked out basically" two messages after the password
        // reset's answer) or asks for it again ("what's the return window again"): said again word for
        // word it would read as not listening; it is met as if said just now.
        let saidAlready = state.recent.contains { $0.speaker == .bot && $0.text.contains(answer) }
        let saidEarlier = saidAlready && !answeringSeveral && intent.resolves && answer.count > Self.shortReply && !trial.gaveNoAnswer
            && state.handedOffAt == nil && !saidJustNow(answer)
        let stillAProblem = signals.saysStillAProblem(text)
        // Asked for again ("where is HP-10443 again?"), not tried again ("I tried resetting it again but...").
        if saidEarlier, signals.asksAgain(text), engine.profileReader.isQuestion(text), !stillAProblem {
            self = trial
            return sayAgain(answer, of: intent, asked: text, at: at)
        }
        if !saidJustNow(answer) && !(saidEarlier && stillAProblem) {
            // "It's not a pending authorisation, both have gone through" just after the double charge's
            // answer: its own words denied, told as more of the request, are no question a sentence of it
            // answers, nor the whole answer again; the same answer cannot help.
            if followsUp, saidAlready || state.lastIntent == intent.name, let said = state.lastBotReply,
               deniesTheAnswer(text, said + " " + answer, of: intent) {
                return sameAnswerCannotHelp(intent, at: at)
            }
            self = trial
            // A record's answer said earlier in the conversation, asked about again ("how many more do i need
            // to get to the top one?" two turns after the member's points): the part that speaks to the
            // question, not the whole record word for word.
            if saidAlready, !answeringSeveral, trial.foundRecord != nil, engine.profileReader.isQuestion(text),
               let part = engine.sentences(answering: text, in: answer, of: intent, asked: .record) {
                // The same part asked for twice in a row is said as said before, never word for word.
                if saidJustNow(part) { return say(engine.bot.ladder.saidBefore, .saidBefore, extra: ["reply": part]) }
                return yesOrNo(to: text, answer: part, of: intent, naming: entities) ?? part
            }
            // A follow-up hears the sentences that speak to it, not the whole answer again; and once
            // the whole answer was said, even the usual question ("blue light card?" after the offers).
            if followsUp, partable, let part = engine.sentences(answering: text, in: answer, of: intent)
                ?? (saidAlready ? engine.sentences(answering: text, in: answer, of: intent, asked: .again) : nil) {
                // The same part asked for twice in a row is said as said before, never word for word.
                return saidJustNow(part) ? say(engine.bot.ladder.saidBefore, .saidBefore, extra: ["reply": part]) : part
            }
            return yesOrNo(to: text, answer: answer, of: intent, naming: entities) ?? answer
        }
        // "Can you check stock for me" just after the scarf's: another product.
        // Not when the customer insists ("no, I don't want a person, I want my jumper").
        // Nor when the message names a part of what was in focus ("when will the boots get here?"
        // while HP-10588, boots and socks, is): it points at that very thing.
        let namesPart = trial.usedFocus.contains { used in entities.contains { engine.row(of: used.entity, used.value, mentions: $0) } }
        // Nor in another language, whose words the bot cannot weigh ("Wann kommen die Schuhe?" after HP-10588).
        // Nor when it asks for a part of that answer ("whats the tracking number" just after the order's):
        // that part is the answer. Unless it says that very thing is still a problem ("I don't need another
        // tracking link, the tracking hasn't updated in a week" just after HP-10443's): not said again, and
        // not asked which one.
        if !trial.usedFocus.isEmpty, !answeringSeveral, !stillAProblem,
           let part = engine.sentences(answering: text, in: answer, of: intent, asked: .again), !saidJustNow(part) {
            self = trial
            return part
        }
        // Nor when it points back at it ("I want to know when it'll arrive"), or names its kind ("my order
        // still hasnt come" just after HP-10442's: the order's kind is order_number).
        let words = TextNormalizer.tokens(text)
        let pointsBack = signals.refersBack(text) || trial.usedFocus.contains { used in
            used.entity.split(separator: "_").contains { words.contains(String($0)) }
        }
        // Nor the customer's own record, which lasts the conversation ("how many points have i got" just after
        // PC-118230's points): there is no other member they could mean.
        let ownRecord = trial.usedFocus.allSatisfy { engine.lastingFocus.contains($0.entity) }
        if !trial.usedFocus.isEmpty && !insisting && !namesPart && !pointsBack && !ownRecord && !signals.isInOtherLanguage(text) && !stillAProblem {
            var asking = self
            let asked = asking.respond(intent, entities: entities, correcting: correcting, previous: previous, text: text,
                                       lastTurnAnswered: lastTurnAnswered, at: at, useFocus: false)
            // Only when it asks which one ("Which product?"): a general answer instead ("and on
            // Sunday?" after the Leeds shop's hours, answered with Manchester's) would mislead.
            if !saidJustNow(asked), asking.state.filling?.intent == intent.name {
                // The customer has moved on from what was in focus.
                for used in trial.usedFocus { asking.state.focus.drop(used.entity, used.value) }
                self = asking
                return asked
            }
        }
        self = trial
        // "Hello!" twice is only polite: short small talk may be said again.
        if !intent.resolves && answer.count <= Self.shortReply { return answer }
        // An upset customer hears no "As I said": the apology and the offer of a person follow instead.
        if upset { return "" }
        // "I bought a jumper 40 days ago and worn it once, can I still return it": a message that ends
        // asking a question, which "days ago" before it does not make a complaint that the answer did
        // not help ("where is my order, it still has not come" is one).
        let endsAsking = signals.clauses(text).last.map { engine.profileReader.isQuestion(String($0.text)) } ?? false
        guard stillAProblem, !endsAsking else {
            // "Is the York shop dog friendly?" after its answer, "are they wide fit?" after the
            // boots': a question the answer does not speak to. The bot has nothing more on it.
            // Nor has it on a late order it has just read out ("when will it arrive then?"): the
            // date it gave has passed, and what more there is to know, a person can find out.
            // A request, though it may be a follow-up never suggested ("is there parking nearby" after the shop's address).
            let request = intent.resolves && intent.action == nil && !intent.handsOff && !intent.endsConversation
            // "Are they touchscreen friendly?" just after "Our gloves: ... touchscreen fingertips": a yes or a
            // no, with the answer that says so, rather than "I can't answer that".
            if request, let said = yesOrNo(to: text, answer: answer, of: intent, naming: entities), !saidJustNow(said) {
                self = trial
                return said
            }
            if request, !insisting, state.handedOffAt == nil, engine.profileReader.isQuestion(text) {
                // The late order: nothing more to say about it. A question the answer does not speak
                // to ("does it have a warranty?" after what the boots are made of) is another question
                // the bot has no answer for, not more of this one.
                // "Why not?" asks for the reason, which the answer said again holds ("it's already on its way").
                let reply: String? = if asksOnlyWhy(text, entities, at: at) {
                    nil
                } else if isLate(trial.foundRecord, of: intent, at: at) {
                    say(engine.bot.ladder.nothingMore, .nothingMore, extra: ["label": intent.label])
                // What the message names is a value, not a word to speak to ("and tomorrow? its saturday"
                // after the shop's hours, which say Saturdays'). Nor when a sentence of the answer speaks to
                // its rarer words ("what about klarna or paying in instalments" just after the ways to pay,
                // which name Klarna): that sentence, below.
                } else if !engine.speaksTo(Self.without(entities, in: text), answer: answer, intent: intent),
                          engine.sentences(answering: text, in: answer, of: intent, asked: .again) == nil {
                    say(engine.bot.ladder.cannotAnswer, .cannotAnswer)
                } else {
                    nil
                }
                if let reply {
                    waitForPerson(.customerRequest)
                    gaveNoAnswer = true
                    return reply
                }
            }
            // "It's not a pending authorisation, both have gone through": the answer's own words denied, told as
            // more of the request, are no question its sentence answers; the same answer cannot help.
            if deniesTheAnswer(text, answer, of: intent) { return sameAnswerCannotHelp(intent, at: at) }
            // A question some of the answer's sentences speak to: those, not the whole answer again.
            // Asked again at once, a record's answer too, by the rarer words alone ("sunday?" after the hours).
            if let part = (partable ? engine.sentences(answering: text, in: answer, of: intent) : nil)
                ?? (answered ? engine.sentences(answering: text, in: answer, of: intent, asked: .again) : nil), !saidJustNow(part) {
                return part
            }
            // Not when a person was just refused ("no I don't want a person, I want my jumper"); when
            // something else was ("no the box wasn't damaged, it just had one in it"), it is more told.
            if !insisting || !refusedPerson && !engine.profileReader.isQuestion(text), addsToTheRequest(text, intent: intent) {
                return sameAnswerCannotHelp(intent, at: at)
            }
            // A question asked again, or small talk: the same words, said as such.
            return sayAgain(answer, of: intent, asked: text, at: at)
        }
        // "The reset email never came": the answer did not help the first time, so no use saying it again.
        return sameAnswerCannotHelp(intent, at: at)
    }

    /// "Are they touchscreen friendly?", "is the jumper itchy?": a question asking yes or no
    /// (`CustomerSignals.asksYesOrNo`) of an intent that answers such questions (`yes_no: true`), whose
    /// telling words (less the things it names) one part of the answer holds, every one of them: the answer
    /// with "Yes." before it (`answer_yes`), or "No." (`answer_no`) when a denying word (signals.yaml
    /// `yes_no.denying`) comes before such a word in its part of the answer ("that isn't itchy"). Nil
    /// otherwise: when a word asked is missing, or the words are in different parts of the answer, or both
    /// denied and not, or the question holds a number or a `yes_no.undecided` word: the answer alone says
    /// what it says.
    mutating func yesOrNo(to text: String, answer: String, of intent: Intent, naming entities: [EntityMatch]) -> String? {
        guard intent.answersYesNo, signals.asksYesOrNo(text) else { return nil }
        // A number, or a word that weighs an amount or an absence ("24 hours", "wool free", "more than"), asks
        // what the answer's words alone cannot settle: no yes or no (`yes_no.undecided`).
        // (Less the things it names, as "the blanket": not every word an entity reads, "green" as a priority.)
        let things = entities.filter { engine.focusEntities.contains($0.entity) }
        let question = TextNormalizer.tokens(Self.without(things, in: text))
        guard !question.contains(where: { $0.contains(where: \.isNumber) }),
              !question.contains(where: signals.words(.yesNoUndecided).contains) else { return nil }
        // The words that say what is asked: less those that only ask (`yes_no.openers`, `leading`, `asking_words`:
        // "do they come in", "friendly"), point back or fill.
        let passed = signals.words(.yesNoOpeners).union(signals.words(.yesNoLeading)).union(signals.words(.yesNoAskingWords))
            .union(signals.words(.refersBackWords)).union(signals.words(.fillerWords)).union(signals.words(.fillerAcknowledgements))
        let asked = question.filter { $0.count >= 3 && !passed.contains($0) }
        guard !asked.isEmpty else { return nil }
        // The thing's own name in the answer ("Our wool jumper: ...") says nothing of what it is like.
        let record = intent.lookupSlot.flatMap { state.slots[$0.name] }
        let name = Set((things.map(\.text) + [record].compactMap { $0 }).flatMap(TextNormalizer.tokens))
        let denying = signals.words(.yesNoDenying)
        // Each part of the answer, as words (split at punctuation and at "and", "or": "ochre check and forest
        // green" holds no green check); every word asked must be in one part, and a denying word before one
        // of them there makes it a no.
        let parts = answer.split(whereSeparator: { ".;:,!?".contains($0) })
            .flatMap { TextNormalizer.tokens(String($0)).split(whereSeparator: { $0 == "and" || $0 == "or" }) }
            .map { Array($0).filter { !name.contains($0) } }
        for part in parts {
            let places = asked.map { word in part.firstIndex { AnswerSentences.sameWord($0, word) } }
            guard places.allSatisfy({ $0 != nil }) else { continue }
            let denied = places.compactMap { $0 }.map { part[..<$0].contains(where: denying.contains) }
            guard Set(denied).count == 1, let no = denied.first else { return nil }
            return no ? say(engine.bot.ladder.answerNo, .answerNo, extra: ["reply": answer])
                      : say(engine.bot.ladder.answerYes, .answerYes, extra: ["reply": answer])
        }
        return nil
    }

    /// "I'm a 9 normally but wide feet" after the boots' sizes, "it says
    /// invalid" after what to do when a code does not work: a message that
    /// would get the bot's last answer again, but is no question, not the
    /// customer's last message again, and tells more about the request: a
    /// problem (`problem` in signals.yaml) or something the customer is
    /// (`own_details.states`), which the same answer cannot meet; or, for an
    /// intent that expects to be told more (`told_more`: the complaint's
    /// "tell me what happened"), any statement. "HP-10442
    /// pls" or "show me the tracking again" (`again` in signals.yaml) tell
    /// nothing more: "As I said". Only for a request (not small talk), before
    /// a person is on the way.
    func addsToTheRequest(_ text: String, intent: Intent) -> Bool {
        intent.suggestible && state.handedOffAt == nil && !engine.profileReader.isQuestion(text) && !saysTheSameAgain(text)
            && !signals.asksAgain(text) && (signals.mentionsProblem(text) || signals.saysIAm(text) || !intent.toldMore.isEmpty)
    }

    /// "It's not a pending authorisation, both have gone through" just after the double charge's answer:
    /// a statement that denies the answer's words (`CustomerSignals.deniesWhatWasSaid`, less words common
    /// to the bot's requests) and tells more of the request (`addsToTheRequest`).
    func deniesTheAnswer(_ text: String, _ answer: String, of intent: Intent) -> Bool {
        signals.deniesWhatWasSaid(text, in: answer, ignoring: engine.commonWords) && addsToTheRequest(text, intent: intent)
    }

    /// Said instead of the last answer again, when it could not help: the
    /// intent's own `told_more` ("thank you for telling me: shall I pass
    /// this to customer care?"), else that the same answer can't be what they
    /// need (`repeated`); a person is offered either way.
    mutating func sameAnswerCannotHelp(_ intent: Intent, at: Date) -> String {
        gaveNoAnswer = true
        guard intent.toldMore.isEmpty else {
            waitForPerson(.customerRequest)
            // Of the record the request was answered for, when one is in focus: a variant may speak of it
            // (`when: {given: [refund_overdue]}`: "it went back 25 days ago" rather than "if it's been that long").
            let known = intent.lookupSlot.flatMap { key in state.slots[key.name] ?? state.focus.value(for: key.entity) }
                .flatMap { recordValues(of: intent, $0, at: at) } ?? [:]
            return say(intent.toldMore, .toldMore(intent: intent.name), extra: known)
        }
        waitForPerson(.repeatedMisses)
        return say(engine.bot.ladder.repeated, .repeated, extra: ["label": intent.label])
    }

    /// Whether the customer's message is their message before it again, word
    /// for word as the bot reads words ("where is HP-10442" twice).
    func saysTheSameAgain(_ text: String) -> Bool {
        state.customerMessageBefore.map { TextNormalizer.tokens($0) == TextNormalizer.tokens(text) } ?? false
    }

    /// The answer to "which order?" held no order number: say why, ask again;
    /// after three tries, offer a person.
    mutating func reask(
        _ intent: Intent, _ spec: SlotSpec, filling: SlotFilling, text: String, understanding: Understanding, at: Date,
        refused: Bool = false
    ) -> TurnOutcome {
        var filling = filling
        filling.attempts = filling.attempts.incremented()
        // Told just before where to find the value (the order number: a request of the same topic with
        // no values of its own), the customer still has none ("it's under the name Sam Jones"): only
        // a person can find it another way, so the offer comes at once.
        // Not an attempt at the value itself ("HP-1044"), which is only asked for again.
        let helpedToFindIt = !text.contains(where: \.isNumber) && state.lastIntent.flatMap(engine.bot.intent(named:)).map { helped in
            helped.name != intent.name && helped.topic == intent.topic && helped.slots.isEmpty && helped.isPlainRequest
        } ?? false
        // Nor is saying where to find it again just after saying so ("what else do you need then" just after it).
        let unsureSaidJustNow = spec.unsure.contains { variant in
            let said = variant.render(engine.bot.variables.merging(filling.values) { _, value in value })
            return state.lastBotTurn.contains(said)
        }
        // Refused ("I'd rather not say"): neither asked for again nor where to find it said; what a person can do.
        if filling.attempts >= FallbackLadder.offerAfter || helpedToFindIt || unsureSaidJustNow || refused {
            state.dropTask()
            // Told where to find it and still without it: the slot's own offer says what a person can do without it.
            let offer: String
            // (A refusal is no miss: a person taken up then is one the customer said yes to.)
            let reason: HandoffSummary.Reason = refused ? .customerRequest : .repeatedMisses
            if (helpedToFindIt || unsureSaidJustNow || refused) && !spec.without.isEmpty {
                waitForPerson(reason)
                offer = say(spec.without, .without(intent: intent.name, slot: spec.name), extra: filling.values)
            } else {
                offer = offerHandoff(reason)
            }
            var outcome = simpleReply(offer, text: text, understanding: understanding, at: at)
            outcome.quickReplies = Self.handoffButtons
            return outcome
        }
        state.awaiting = state.awaiting.with(task: filling)
        // "No idea", "I don't have one": how to find it, rather than "I couldn't see one there"; so too in a
        // longer message ("i dont have the number, it was a jumper i ordered last week. my email is ...").
        if signals.saysUnsure(text) || signals.asksWhatIsNeeded(text), !spec.unsure.isEmpty {
            return simpleReply(say(spec.unsure, .unsure(intent: intent.name, slot: spec.name), extra: filling.values),
                               text: text, understanding: understanding, at: at)
        }
        let example = engine.bot.entities.first { $0.name == spec.entity }?.example
        let why = spec.invalid.isEmpty
            ? say(engine.bot.slotTexts.invalid, .slotInvalid, extra: example.map { ["example": $0] } ?? [:])
            : say(spec.invalid, .invalid(intent: intent.name, slot: spec.name), extra: example.map { ["example": $0] } ?? [:])
        return simpleReply(why + " " + say(spec.prompts, .prompt(intent: intent.name, slot: spec.name), extra: filling.values),
                           text: text, understanding: understanding, at: at)
    }

    /// The store's record of this turn.
    func record(_ text: String, at: Date, intent: String?, confidence: Double, replies: [String], missed: Bool = false) -> ConversationEffect {
        // Messages the bot did not answer are kept for support staff to review: without contact or card details.
        .recordTurn(TurnRecord(sessionID: sessionID, sequence: state.turns, at: at,
                               customerText: TurnRecord.stored(text, intent: intent),
                               intent: intent, confidence: confidence, replies: replies, missed: missed))
    }

    /// A handoff, with what the agent taking over needs to know; from now
    /// on, what the bot does not understand is the team's to answer.
    mutating func handoff(_ reason: HandoffSummary.Reason, lastIntent: String?, topic: String?, slots: [String: String], at: Date) -> ConversationEffect {
        state.handedOffAt = at
        return .handoff(handoffSummary(reason, lastIntent: lastIntent, topic: topic, slots: slots, at: at))
    }

    /// What the agent taking over needs to know, as the conversation stands.
    func handoffSummary(
        _ reason: HandoffSummary.Reason, lastIntent: String?, topic: String?, slots: [String: String], at: Date, continues: String? = nil
    ) -> HandoffSummary {
        HandoffSummary(reason: reason, firstMessage: state.firstMessage, lastIntent: lastIntent, topic: topic,
                       misses: state.misses, slots: slots,
                       profile: state.profile.facts.filter { $0.value.source == .stated }.mapValues(\.value),
                       stage: state.profile.stage, transcript: state.recent, at: at, continues: continues)
    }

    /// One reply, remembered and recorded with the turn's understanding.
    mutating func simpleReply(
        _ reply: String, text: String, understanding: Understanding, answered: Bool = true, at: Date
    ) -> TurnOutcome {
        state.remember(.bot, reply)
        let turn = record(text, at: at, intent: answered ? understanding.matched?.intent : nil,
                          confidence: understanding.confidence, replies: [reply])
        return TurnOutcome(replies: [reply], understanding: understanding, changes: [], effects: [turn])
    }

    /// A reply to a message the bot did not try to understand; the turn is
    /// still recorded (with the text cut to the limit), and is not a miss.
    mutating func politeRefusal(_ reply: String, storing text: String, at: Date) -> TurnOutcome {
        // A message the bot did not read answers no question it asked.
        state.questionDone()
        state.nudged = false
        state.turns = state.turns.incremented()
        state.remember(.customer, text)
        state.remember(.bot, reply)
        if state.firstMessage == nil { state.firstMessage = text }
        return TurnOutcome(replies: [reply], understanding: nil, changes: [],
                           effects: [record(text, at: at, intent: nil, confidence: 0, replies: [reply])])
    }

    /// The first message in another language that the bot answered, in a
    /// conversation: before anything else, it says it answers in English,
    /// so the customer knows they were read, and in what language to expect
    /// the rest.
    mutating func sayItAnswersInEnglish(to text: String, in outcome: inout TurnOutcome) {
        guard state.saidItAnswersInEnglish != true, !outcome.replies.isEmpty,
              let decision = outcome.understanding?.decision, !decision.isFallback,
              signals.isInOtherLanguage(text) else { return }
        let note = say(engine.bot.ladder.inEnglish, .inEnglish)
        guard !note.isEmpty else { return }
        // Its variant first, as the note is.
        chosen.insert(chosen.removeLast(), at: 0)
        state.saidItAnswersInEnglish = true
        outcome.addReplies([note], first: true)
    }

    /// 2000 → "2,000".
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// The next message answers "would you like a person?", offered for
    /// `reason`; a request gathering values waits behind it.
    mutating func waitForPerson(_ reason: HandoffSummary.Reason) {
        state.awaiting = .person(reason, then: state.filling)
    }

    /// The question for a slot again, after something else: "Now, back to
    /// where your order is. What's your order number?".
    mutating func resumeQuestion(_ intent: Intent, _ spec: SlotSpec, values: [String: String]) -> String {
        say(engine.bot.slotTexts.resume, .resume, extra: ["label": intent.label])
            + " " + say(spec.prompts, .prompt(intent: intent.name, slot: spec.name), extra: values)
    }

    /// "Did you mean A or B?", with both as buttons.
    mutating func clarifyQuestion(_ options: [IntentCandidate]) -> (text: String, buttons: [QuickReply]) {
        let labels = options.map { engine.bot.intent(named: $0.intent)?.label ?? $0.intent }
        let text = say(engine.bot.clarify, .clarify, extra: ["option_1": labels[0], "option_2": labels[labels.count > 1 ? 1 : 0]])
        return (text, labels.map { QuickReply(title: $0) })
    }

    /// Offers a person, and remembers the offer for the next message.
    mutating func offerHandoff(_ reason: HandoffSummary.Reason) -> String {
        waitForPerson(reason)
        return reason == .frustration
            ? say(engine.bot.ladder.offerHandoffFrustrated, .offerHandoffFrustrated)
            : say(engine.bot.ladder.offerHandoff, .offerHandoff)
    }

    mutating func answerHandoffOffer(
        _ answer: CustomerSignals.YesNo, reason: HandoffSummary.Reason, text: String, understanding: Understanding, at: Date
    ) -> TurnOutcome {
        state.consecutiveMisses = 0
        // Either way the question waiting for a slot is over: a person takes it, or the customer starts afresh.
        let slotsSoFar = state.slotsSoFar
        state.dropTask()
        var effects: [ConversationEffect] = []
        let reply: String
        switch answer {
        case .yes:
            reply = [say(engine.bot.ladder.handoffAccepted, .handoffAccepted), engine.bot.handoffTiming(at: at)]
                .compactMap { $0 }.joined(separator: " ")
            state.remember(.bot, reply)
            effects.append(handoff(reason, lastIntent: state.lastIntent, topic: state.topic, slots: slotsSoFar, at: at))
        case .no:
            reply = say(engine.bot.ladder.handoffDeclined, .handoffDeclined)
            state.remember(.bot, reply)
        }
        effects.insert(record(text, at: at, intent: nil, confidence: understanding.ranking.first?.confidence ?? 0, replies: [reply]), at: 0)
        return TurnOutcome(replies: [reply], understanding: understanding, changes: [], effects: effects)
    }

    /// Whether the bot's last turn answered something, so "it" can mean
    /// what that answer was about: not after a miss, nor while a question
    /// waits for a value.
    var lastTurnWasAnAnswer: Bool { state.consecutiveMisses == 0 && state.filling == nil }

    /// Whether two intents would answer this message with the same words
    /// (both looking up the same row, say): tried on copies, so nothing changes.
    func sameAnswer(_ first: IntentCandidate, _ second: IntentCandidate, understanding: Understanding, text: String, at: Date) -> Bool {
        guard let a = engine.bot.intent(named: first.intent), let b = engine.bot.intent(named: second.intent),
              a.action == nil, b.action == nil, !a.slots.isEmpty, !b.slots.isEmpty else { return false }
        var one = self, other = self
        let answered = lastTurnWasAnAnswer
        let answer = one.respond(a, entities: understanding.entities, correcting: false, previous: state.lastIntent, text: text, lastTurnAnswered: answered, at: at)
        return one.state.filling == nil
            && answer == other.respond(b, entities: understanding.entities, correcting: false, previous: state.lastIntent, text: text, lastTurnAnswered: answered, at: at)
    }

    /// A message that may correct the last answer: not understood, or too
    /// close to call between the intent just answered and another.
    func isCorrectionCandidate(_ understanding: Understanding) -> Bool {
        switch understanding.decision {
        case .fallback: true
        case .ambiguous(let first, let second): [first.intent, second.intent].contains(state.lastIntent ?? "")
        case .matched: false
        }
    }

    /// Whether "did you mean A or B?" is worth asking: both are requests a
    /// customer could choose between (intents the ladder may suggest), not
    /// small talk, follow-ups or "something I can't help with".
    func offersChoice(_ first: IntentCandidate, _ second: IntentCandidate) -> Bool {
        [first, second].allSatisfy { engine.bot.intent(named: $0.intent)?.suggestible == true }
    }

    /// The intents nearest a message the bot did not understand, to suggest:
    /// the best three that may be suggested and are neither goodbyes nor handoffs.
    func closestIntents(_ understanding: Understanding) -> [Intent] {
        Array(understanding.ranking.lazy
            .compactMap { self.engine.bot.intent(named: $0.intent) }
            .filter { $0.suggestible && !$0.endsConversation && !$0.handsOff }
            .prefix(3))
    }

    static let handoffButtons = [QuickReply(title: "Yes, a person", message: "yes"), QuickReply(title: "No, keep trying", message: "no")]

    /// "a, b or c".
    static func list(_ items: [String], conjunction: String = "or") -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
    }

    /// What the conversation fills for any reply: `handed_off` once a person
    /// has it; `declined_<detail>` for what the customer said they do not want; `told_<detail>` for what they said
    /// in a statement ("paid cash"); when an order placed now would arrive (`{express_arrival}`);
    /// and what the time limits make of the day the customer named,
    /// `days_since`, and for each limit `past_<name>` when the day is beyond it, `within_<name>`
    /// when not (bot.yaml `time_limits`), with `extended_<name>` when it is beyond it but a
    /// season's extension keeps it within (`extended_limits`).
    var filledByTheConversation: [String: String] {
        var values: [String: String] = state.handedOffAt == nil ? [:] : [Bot.handedOffGiven: ""]
        for detail in state.declinedDetails ?? [] { values[Bot.declinedGiven(detail)] = "" }
        for detail in state.toldDetails ?? [] { values[Bot.toldGiven(detail)] = "" }
        values.merge(arrivals) { _, arrival in arrival }
        values.merge(seasons) { _, season in season }
        guard let days = daysSinceNamedDay else { return values }
        values["days_since"] = String(days)
        for (name, limit) in engine.bot.timeLimits {
            // Only past the usual limit does the extension say anything: "3 days ago" is just within it.
            let extended = days > limit && extendedLimits.contains(name)
            if extended { values["extended_" + name] = String(days) }
            values[(days > limit && !extended ? "past_" : "within_") + name] = String(days)
        }
        return values
    }

    /// Picks a variant with the conversation's seeded generator and fills it in.
    /// `notOpening`: a text no variant drawn may open, when another would do
    /// (a note said just before the same offer).
    mutating func say(_ variants: [ResponseTemplate], _ source: VariantChoice.Source, extra: [String: String] = [:], notOpening: String? = nil) -> String {
        guard !variants.isEmpty else { return "" }
        // Variants for the values given first (`given:`), the most of them
        // first, those also for this customer before those for anyone; then
        // for this customer; else those for anyone.
        let level = state.profile.level(partnershipOrders: engine.bot.profile.asking.partnershipOrders)
        let conversational = filledByTheConversation
        let filled = Set(extra.keys).union(conversational.keys)
        // Not the offer of a person the customer has just turned down, while another variant will do.
        // (Only when one for anyone is left, so the fallbacks below still find a variant that holds.)
        let usable = offerNoPerson && variants.contains(where: { !$0.offersPerson && $0.condition == nil })
            ? variants.indices.filter { !variants[$0].offersPerson } : Array(variants.indices)
        let holding = usable.filter { variants[$0].condition?.holds(for: state.profile, level: level, filled: filled) == true }
        // Of those, the ones for the most values given: "given: [order_number, late]" over "given: order_number".
        var forGiven = holding.filter { variants[$0].condition?.given.isEmpty == false }
        // A record looked up speaks before the conversation's own values: "I bought it on 20 October, can I
        // return it? order HP-10377" is told the cancelled order's answer, not the returns window measured
        // from the day told (a variant given only what the conversation filled gives way).
        func usesRecord(_ index: Int) -> Bool { variants[index].placeholders.contains { $0.name.contains(".") && extra[$0.name] != nil } }
        if forGiven.contains(where: usesRecord) {
            forGiven = forGiven.filter { index in
                usesRecord(index) || !(variants[index].condition?.given.allSatisfy { conversational[$0] != nil } ?? false)
            }
        }
        let mostGiven = forGiven.map { variants[$0].condition?.given.count ?? 0 }.max() ?? 0
        forGiven = forGiven.filter { variants[$0].condition?.given.count == mostGiven }
        var pool = forGiven.filter { variants[$0].condition?.isAboutTheCustomer == true }
        if pool.isEmpty { pool = forGiven }
        if pool.isEmpty { pool = holding }
        if pool.isEmpty { pool = usable.filter { variants[$0].condition == nil } }
        if pool.isEmpty { pool = usable }
        var values = engine.bot.variables
        for (field, fact) in state.profile.facts { values[field] = fact.value }
        values.merge(extra) { _, new in new }
        values.merge(conversational) { given, _ in given }
        values["bot_name"] = engine.bot.name
        let draw = state.random.next()
        var index = pool[Int(draw % UInt64(pool.count))]
        // Never the last reply word for word when another variant would do
        // ("hey" twice); the same draw chooses, so later choices are as before.
        if pool.count > 1, let lastSaid = state.lastBotReply,
           variants[index].render(values) == lastSaid || notOpening.map({ $0.hasPrefix(variants[index].render(values)) }) == true {
            let others = pool.filter { $0 != index }
            index = others[Int(draw % UInt64(others.count))]
        }
        chosen.append(VariantChoice(source: source, index: index))
        return variants[index].render(values)
    }
}

/// Everything the engine remembers about one conversation.
/// Where the customer's request to delete everything stands.
public enum ErasureStep: String, Hashable, Sendable, Codable {
    /// "Shall I delete everything I know about you: …?" waits for a clear yes.
    case asked = "waiting for yes"
    /// Asked again after an answer that was no clear yes or no: the next one decides.
    case askedAgain = "waiting for a clear yes"
    /// The customer said no: for one message, "ok fine, delete it all" is the request again.
    case calledOff = "called off"
}

/// What the answer to "shall I delete everything?" was, when it was another
/// request: answered first, then the question is asked again or called off.
enum ErasureAside: Hashable, Sendable {
    /// No clear yes ("yes but first tell me about the club").
    case unclear(askedBefore: Bool)
    /// A no, with a request after it ("no, but where is my order?").
    case declined
}

public struct DialogueState: Hashable, Sendable, Codable {
    public enum Phase: String, Hashable, Sendable {
        case notStarted = "not started", open, ended
    }

    public var phase: Phase = .notStarted
    /// Customer messages so far.
    public var turns = 0
    public var lastIntent: String?
    /// The topic (intents file) of the last answered intent.
    public var topic: String?
    /// Messages in a row the bot did not understand; resets on a match.
    public var consecutiveMisses = 0
    /// Messages the bot did not understand in the whole conversation.
    public var misses = 0
    /// The seeded generator behind every choice of response variant.
    public var random: SplitMix64
    /// The customer's first message in this conversation.
    public var firstMessage: String?
    /// What the bot's last words wait for: one thing at a time (`Awaiting`).
    public var awaiting: Awaiting = .nothing
    /// What the conversation is about: the orders, products, shops it named (`Focus`).
    public var focus = Focus()
    /// The slots of the last intent answered, for corrections ("no, it's HP-10443").
    public var slots: [String: String] = [:]
    /// The contexts open, each with the customer messages it still lasts for.
    public var contexts: [String: Int] = [:]
    /// The customer, as far as the bot knows them: kept across restarts of the conversation.
    public var profile: CustomerProfile
    /// The customer message after which the last profile question (or check-back) was asked.
    public var lastQuestionAt: Int?
    public var questionsAsked = 0
    /// Profile fields asked about in this conversation: not asked again until the next.
    public var passedOver: Set<String> = []
    /// When the conversation was passed to a person, if it was: later
    /// messages the bot does not understand are the team's to answer.
    public var handedOffAt: Date?
    /// Whether an offer was made in this conversation (at most one).
    public var offerMade = false
    /// Whether the bot said, in this conversation, that it answers in English
    /// (to a message in another language); nil for no. Optional so that a
    /// state saved before it existed still loads.
    public var saidItAnswersInEnglish: Bool?
    /// Whether feedback was asked for (or given) in this conversation: at most once.
    public var feedbackAsked = false
    /// Requests answered in this conversation, and the last of them: what feedback rates.
    public var resolvedRequests = 0
    public var lastResolvedIntent: String?
    /// The bot asked whether the quiet customer is still there.
    public var nudged = false
    /// "Delete all my data" was answered with another question while something
    /// else waited, so the bot said nothing was deleted: the next message may
    /// still go ahead ("do it anyway"), and is then asked to confirm. Optional,
    /// so that a state saved before it was added still reads.
    public var erasureSetAside: Bool?
    /// The details the last answer gave, when it gave only some ("is there
    /// parking nearby?" of the Edinburgh shop): "what about Manchester" just
    /// after asks them of Manchester. Nil after a whole answer.
    public var lastDetails: [String]?
    /// The record the customer said has come ("got HP-10588 today") while it
    /// says it has not, or only in part: later answers about it keep to the
    /// answer for anyone ("what do I do with the small ones then"). Optional, as above.
    public var cameRecord: String?
    /// A record of things sent in parts, and what the customer said came of it that the record has
    /// not sent ("the boots came but no socks", where it sent the socks), as the record's key and then
    /// the things: later answers about it do not tell the record's story of its parcels against what
    /// they hold. Optional, as above.
    public var cameNotSent: [String]?
    /// A score of 1 or 2 given just now, in an open conversation: the next
    /// message may say why, and is then kept as its comment. Optional, as above.
    public var lowScore: LowScore?
    /// The latest day in the past the customer named ("bought it 5 weeks
    /// ago"), as `yyyy-MM-dd`: what `Bot.timeLimits` measure against. Optional, as above.
    public var namedPastDay: String?
    /// The details of signals.yaml the customer said they do not want ("I
    /// don't want a refund": `refund`), in the order said: replies for
    /// `declined_<detail>` go first (`Bot.declinedGiven`). Optional, as above.
    public var declinedDetails: [String]?
    /// The details of signals.yaml the customer has said, in a statement
    /// before any word that denies ("I bought it in the Manchester shop, paid cash":
    /// `shop_purchase`, `cash`), in the order said: replies for
    /// `told_<detail>` go first (`Bot.toldGiven`). Optional, as above.
    public var toldDetails: [String]?

    /// Every slot value known now: the last answer's, and those gathered for the intent waiting.
    public var slotsSoFar: [String: String] {
        slots.merging(filling?.values ?? [:]) { _, waiting in waiting }
    }
    /// Each request answered from a record in this conversation, with the
    /// records it read out (`"loyalty_points": ["PC-300771"]`): that record's
    /// whole answer has been said, however long ago. Optional, as above.
    public var recordsReadOut: [String: [String]]?
    /// The table of the record the bot last would not read out as someone
    /// else's (`Lookup.someoneElse`), until it reads out a record of that
    /// table: "can you at least tell me what she ordered?" just after is
    /// about that record still. Optional, as above.
    public var refusedAsSomeoneElses: String?
    /// A handoff of the customer's last conversation, to hand on with this
    /// one's first message (`EarlierConversation`). Optional, as above.
    public var carriedHandoff: CarriedHandoff?
    /// The latest lines of the conversation, for a handoff summary.
    public internal(set) var recent: [Exchange] = []
    /// What the bot said last, if anything.
    public var lastBotReply: String? { recent.last { $0.speaker == .bot }?.text }
    /// Every line of the bot's last turn, in order: an answer and perhaps a
    /// question after it ("By the way, what should I call you?"), so that
    /// the answer is known as said just now though the question came last.
    public var lastBotTurn: [String] {
        Array(recent.reversed().drop { $0.speaker == .customer }.prefix { $0.speaker == .bot }.map(\.text).reversed())
    }
    /// The customer's message before the one being answered (`recent`
    /// holds that one already), if the lines kept reach back to it.
    public var customerMessageBefore: String? { recent.filter { $0.speaker == .customer }.dropLast().last?.text }
    public static let recentLimit = 20

    public init(random: SplitMix64, profile: CustomerProfile = CustomerProfile(id: CustomerProfile.anonymousPrefix)) {
        self.random = random
        self.profile = profile
    }

    /// Removes a withdrawn value from what the conversation remembers.
    mutating func forget(_ value: String) {
        recent = recent.map { Exchange($0.speaker, Redaction.redact(value, in: $0.text)) }
        firstMessage = firstMessage.map { Redaction.redact(value, in: $0) }
    }

    /// Whether the request `intent` read out the record `record` in this conversation.
    func hasReadOut(_ record: String, by intent: String) -> Bool {
        recordsReadOut?[intent]?.contains(record) == true
    }

    /// The request `intent` read out the record `record` (`recordsReadOut`).
    mutating func noteReadOut(_ record: String, by intent: String) {
        guard !hasReadOut(record, by: intent) else { return }
        recordsReadOut = recordsReadOut ?? [:]
        recordsReadOut?[intent, default: []].append(record)
    }

    mutating func remember(_ speaker: Exchange.Speaker, _ text: String) {
        recent.append(Exchange(speaker, text))
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
    }

    /// The bot's last lines, remembered as `said`, replaced by what was
    /// finally said of them (`shown`, in order; a line left out is forgotten).
    mutating func replaceLastReplies(_ said: [String], with shown: [String]) {
        guard said != shown, recent.count >= said.count,
              recent.suffix(said.count).map(\.text) == said, recent.suffix(said.count).allSatisfy({ $0.speaker == .bot }) else { return }
        recent.removeLast(said.count)
        shown.forEach { remember(.bot, $0) }
    }
}

/// One field of the dialogue state that a transition changed.
public struct StateChange: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var before: String
    public var after: String

    public var description: String { "\(field): \(before) → \(after)" }

    /// The fields that differ between two states, in a fixed order. The
    /// generator's position is left out: it changes on every reply and says
    /// nothing to a person reading the debug view.
    public static func between(_ old: DialogueState, _ new: DialogueState, partnershipOrders: Int = AskingRules.default.partnershipOrders) -> [StateChange] {
        func text(_ value: String?) -> String { value ?? "none" }
        func facts(_ state: DialogueState) -> String {
            SlotFilling.describe(state.profile.facts.mapValues { $0.source == .stated ? $0.value : "\($0.value) (inferred)" })
        }
        let fields: [(String, String, String)] = [
            ("phase", old.phase.rawValue, new.phase.rawValue),
            ("turns", String(old.turns), String(new.turns)),
            ("last intent", text(old.lastIntent), text(new.lastIntent)),
            ("topic", text(old.topic), text(new.topic)),
            ("misses in a row", String(old.consecutiveMisses), String(new.consecutiveMisses)),
            ("misses", String(old.misses), String(new.misses)),
            ("waiting for", old.awaiting.description, new.awaiting.description),
            ("focus", old.focus.description, new.focus.description),
            ("slots", SlotFilling.describe(old.slots), SlotFilling.describe(new.slots)),
            ("said to have come", text(old.cameRecord), text(new.cameRecord)),
            ("came, not sent", old.cameNotSent?.joined(separator: ", ") ?? "none", new.cameNotSent?.joined(separator: ", ") ?? "none"),
            ("contexts", SlotFilling.describe(old.contexts.mapValues { "\($0) more" }), SlotFilling.describe(new.contexts.mapValues { "\($0) more" })),
            ("trust", String(format: "%.0f", old.profile.trust), String(format: "%.0f", new.profile.trust)),
            ("stage", old.profile.stage.rawValue, new.profile.stage.rawValue),
            ("level", old.profile.level(partnershipOrders: partnershipOrders).rawValue, new.profile.level(partnershipOrders: partnershipOrders).rawValue),
            ("profile", facts(old), facts(new)),
            ("declined", old.profile.declined.keys.sorted().joined(separator: ", "), new.profile.declined.keys.sorted().joined(separator: ", ")),
            ("profiling", old.profile.profilingOn ? "on" : "off", new.profile.profilingOn ? "on" : "off"),
            ("quiet", old.nudged ? "asked if still there" : "no", new.nudged ? "asked if still there" : "no"),
        ]
        return fields.filter { $0.1 != $0.2 }.map { StateChange(field: $0.0, before: $0.1, after: $0.2) }
    }
}

/// An intent gathering its slots: what it has, and what the bot asked for.
public struct SlotFilling: Hashable, Sendable, Codable, CustomStringConvertible {
    public var intent: String
    public var values: [String: String]
    /// The slot the bot asked for last.
    public var asking: String
    /// Answers so far that were not a value for it.
    public var attempts: Int
    /// Times the question was asked again after another request ("Now, back to...").
    public var resumed: Int

    public init(intent: String, values: [String: String], asking: String, attempts: Int = 0, resumed: Int = 0) {
        self.intent = intent
        self.values = values
        self.asking = asking
        self.attempts = attempts
        self.resumed = resumed
    }

    private enum CodingKeys: String, CodingKey { case intent, values, asking, attempts, resumed }

    /// A question saved before `resumed` was kept was asked again no times.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intent = try container.decode(String.self, forKey: .intent)
        values = try container.decode([String: String].self, forKey: .values)
        asking = try container.decode(String.self, forKey: .asking)
        attempts = try container.decode(Int.self, forKey: .attempts)
        resumed = try container.decodeIfPresent(Int.self, forKey: .resumed) ?? 0
    }

    public var description: String {
        "\(intent) asks for \(asking)" + (values.isEmpty ? "" : " (has \(Self.describe(values)))")
    }

    /// "a=1, b=2", in name order; "none" when empty.
    static func describe(_ values: [String: String]) -> String {
        values.isEmpty ? "none" : values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}

extension Engine {
    /// What the unfinished conversation was about, as the customer would say
    /// it, if it was waiting for something; nil if there is nothing to pick up.
    func pickUpLabel(_ unfinished: UnfinishedConversation) -> String? {
        if let filling = unfinished.filling {
            return bot.intent(named: filling.intent)?.label
        }
        if let pending = unfinished.pendingClarification {
            return Turn.list(pending.options.map { bot.intent(named: $0.intent)?.label ?? $0.intent })
        }
        return nil
    }
}

extension Turn {

    /// "Yes, let's pick up": the earlier conversation's task is this one's,
    /// and the bot asks again what it was waiting for.
    mutating func pickUp(_ offer: UnfinishedConversation, text: String, understanding: Understanding, at: Date) -> TurnOutcome {
        state.awaiting = offer.pendingClarification.map { .choice($0, then: offer.filling) } ?? offer.filling.map(Awaiting.slot) ?? .nothing
        state.slots = offer.slots
        state.lastIntent = offer.lastIntent
        state.topic = offer.topic
        state.contexts.merge(offer.contexts) { current, _ in current }
        var reply = ""
        var buttons: [QuickReply] = []
        if let filling = offer.filling, let intent = engine.bot.intent(named: filling.intent),
           let spec = intent.slots.first(where: { $0.name == filling.asking }) {
            reply = resumeQuestion(intent, spec, values: filling.values)
        } else if let pending = offer.pendingClarification {
            (reply, buttons) = clarifyQuestion(pending.options)
        }
        var outcome = simpleReply(reply, text: text, understanding: understanding, answered: false, at: at)
        outcome.quickReplies = buttons
        return outcome
    }
}

extension Turn {
    /// A returning customer's last conversation, if it went on lately
    /// (`EarlierConversation.keptFor`): the customer's own records it was
    /// about come into focus (an order, their membership: a lookup's key that
    /// is its owner's alone, or lasts the conversation; not a shop or a
    /// product it named), so "me again, about the candles" or
    /// "has anyone looked into it?" is about them; and if a person had it
    /// (within `EarlierConversation.handoffKeptFor`), a person has this one,
    /// whose team answers what the bot cannot: the session is handed over as
    /// well, with the customer's first message (`HandoffSummary.continues`
    /// names the earlier one), so a transport routes it to the same desk.
    mutating func goOnFrom(_ earlier: EarlierConversation?, at now: Date) {
        guard let earlier, now.timeIntervalSince(earlier.at) <= EarlierConversation.keptFor, now >= earlier.at else { return }
        // Only the customer's own records: an order, their membership (not a shop or a product named).
        for item in earlier.focus.reversed() where engine.focusEntities.contains(item.entity) && engine.ownRecordKinds.contains(item.entity) {
            state.focus.bring(item.entity, item.value)
        }
        if let handed = earlier.handedOffAt, now.timeIntervalSince(handed) <= EarlierConversation.handoffKeptFor {
            state.handedOffAt = handed
            // This session goes to the team too, with the customer's first message in it (`handOnCarriedHandoff`).
            state.carriedHandoff = CarriedHandoff(session: earlier.handedOffSession ?? earlier.session, reason: earlier.handoffReason ?? .customerRequest,
                                                  records: state.focus.items.filter { engine.ownRecordKinds.contains($0.entity) }.map(\.value))
        }
    }
}

/// A handoff a returning customer's last conversation had, which this one
/// hands on with its first message (`Turn.goOnFrom`).
public struct CarriedHandoff: Hashable, Sendable, Codable {
    /// The session handed over before.
    public var session: String
    public var reason: HandoffSummary.Reason
    /// The customer's records it was about, brought into focus.
    public var records: [String] = []
}

extension Turn {
    /// With the customer's first message, a conversation going on from one a
    /// person had (`DialogueState.carriedHandoff`) is handed over too, when
    /// that message is about it: it names or uses a record it was about, points
    /// back ("has anyone looked into it?"), says it is still a problem, or is
    /// not understood (the team's). A first message about something else
    /// ("what time does the York shop open?") leaves this conversation the
    /// bot's. A handoff the message makes itself names the earlier session too.
    mutating func handOnCarriedHandoff(_ outcome: inout TurnOutcome, text: String, at: Date) {
        guard let carried = state.carriedHandoff else { return }
        state.carriedHandoff = nil
        if let index = outcome.effects.firstIndex(where: { if case .handoff = $0 { true } else { false } }) {
            if case .handoff(var summary) = outcome.effects[index] {
                summary.continues = carried.session
                outcome.effects[index] = .handoff(summary)
            }
            return
        }
        let unread = if case .fallback? = outcome.understanding?.decision { true } else { false }
        let named = (outcome.understanding?.entities ?? []).contains { carried.records.contains($0.value) }
        let aboutIt = named || foundRecord.map(carried.records.contains) == true || usedFocus.contains { carried.records.contains($0.value) }
            || unread || signals.refersBack(text) || signals.saysStillAProblem(text)
        guard aboutIt else {
            state.handedOffAt = nil
            return
        }
        outcome.effects.append(.handoff(handoffSummary(carried.reason, lastIntent: state.lastIntent, topic: state.topic, slots: state.slots,
                                                       at: at, continues: carried.session)))
    }
}

extension Turn {
    /// `CustomerSignals.namesAsSomeoneElses`, read for a record someone placed (an order of a
    /// `private_records` table) as placed by that person: "my wife's", not "a gift for my sister".
    func namesAsSomeoneElses(_ value: EntityMatch, in text: String) -> Bool {
        signals.namesAsSomeoneElses(value, in: text, placed: engine.placedRecordKinds.contains(value.entity))
    }

    /// "Can you check where my wife's order is?", "my sister wants to know what's in her order", "how many
    /// points has my husband got?": a message about another person's record, naming no key. For a
    /// `private_records` table, one that names its owner as the one who placed it
    /// (`CustomerSignals.namesAnOwner`); for a lookup's own `someone_else`, one naming a person of
    /// `other_people.owners`.
    func asksAfterSomeoneElsesRecord(_ text: String, source: VariantChoice.Source) -> Bool {
        if case .privateRecord = source { return signals.clauses(text).contains { signals.namesAnOwner(String($0.text)) } }
        return TextNormalizer.tokens(text).contains(where: signals.words(.otherPeopleOwners).contains)
    }
}
