import Foundation

/// Feedback being given, one question at a time: a score, how it compared
/// with expectations, now and then how likely they are to recommend us, and a comment.
public struct FeedbackInProgress: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Step: String, Hashable, Sendable {
        case score, expectation, recommend, comment
    }

    public var step: Step
    /// The intent being rated: the last one answered.
    public var intent: String?
    public var score: Int?
    public var expectation: AgainstExpectations?
    public var recommend: Int?
    /// Whether the bot asked (a refusal then means "don't ask me again"), or the customer offered.
    public var solicited: Bool
    /// Whether an unreadable score was already asked for again.
    public var askedAgain = false
    /// The stored record's reference, once the score is in: each later answer updates it.
    public var ref: String?
    /// When the score was given.
    public var at: Date?

    public init(
        step: Step, intent: String?, score: Int? = nil, expectation: AgainstExpectations? = nil, recommend: Int? = nil,
        solicited: Bool, askedAgain: Bool = false
    ) {
        self.step = step
        self.intent = intent
        self.score = score
        self.expectation = expectation
        self.recommend = recommend
        self.solicited = solicited
        self.askedAgain = askedAgain
    }

    public var description: String { "feedback, waiting for the \(step.rawValue)" + (solicited ? " (the bot asked)" : "") }
}

extension Turn {
    /// How long between two "would you recommend us?" for the same customer.
    static let recommendEvery: TimeInterval = 90 * 86_400

    /// Whether the bot should ask for feedback after answering `intent`: one
    /// that winds the conversation down (`ask_feedback`: "thanks", "that's
    /// all"), once a request has been resolved in it, for accountable customers
    /// and above, once per conversation, never for one who declined, and not
    /// right after another question.
    func shouldAskForFeedback(_ intent: Intent) -> Bool {
        guard intent.asksFeedback, state.resolvedRequests > 0, level >= .accountable, !state.profile.isAnonymous,
              !state.feedbackAsked, state.feedback == nil, state.profile.declined[Self.feedbackField] == nil else { return false }
        if let last = state.lastQuestionAt, state.turns.subtracting(saturating: last) < catalogue.asking.messagesBetween { return false }
        return true
    }

    /// The name under which "don't ask me for feedback" is kept with the declined fields.
    static let feedbackField = "feedback"

    /// Starts the questions: asked by the bot after an answer, or by the customer.
    mutating func startFeedback(solicited: Bool) -> TurnOutcome {
        let reply = askForFeedback(solicited: solicited)
        state.remember(.bot, reply)
        return TurnOutcome(replies: [reply], understanding: nil, changes: [], effects: [])
    }

    /// The first feedback question, with the state to read its answer.
    mutating func askForFeedback(solicited: Bool) -> String {
        state.feedbackAsked = true
        state.awaiting = .feedback(FeedbackInProgress(step: .score, intent: state.lastResolvedIntent, solicited: solicited))
        state.lastQuestionAt = state.turns
        return solicited
            ? say(engine.bot.feedbackTexts.ask, .feedbackAsk)
            : say(engine.bot.feedbackTexts.askRequested, .feedbackAskRequested)
    }

    /// The next answer while feedback is being given. Nil when the message is
    /// not an answer (a new request): the feedback is dropped and the message
    /// read on its own.
    mutating func answerFeedback(_ asked: FeedbackInProgress, text: String, understanding: Understanding, at: Date) -> TurnOutcome? {
        var flow = asked
        let texts = engine.bot.feedbackTexts
        let answering = understanding.answering("the feedback question (\(flow.step.rawValue))")
        let understood = understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }
        /// A request the bot understood is not an answer ("bye" and "a person please" are none:
        /// they are other business, below, and never a comment).
        let isRequest = understood.map { $0.action == nil && $0.resolves && !$0.endsConversation && !$0.handsOff } ?? false
        /// Nor is anything that does something of its own: telling the bot
        /// about oneself ("I'm in Leeds"), a request about one's data, asking
        /// for a person, saying goodbye. The feedback so far is kept, and the
        /// message is read on its own.
        let isOtherBusiness = isRequest || understood.map { $0.action != nil || $0.handsOff || $0.endsConversation } ?? false
        switch flow.step {
        case .score:
            if let score = SatisfactionAnswer.csat(text) {
                // Stored now, before anything is acknowledged; later answers update the same record.
                flow.score = score
                flow.ref = "\(sessionID)#\(state.turns)"
                flow.at = at
                flow.step = .expectation
                feelScore(score)
                if score <= 2 {
                    // Unhappy: the apology and the offer of a person at once, not more questions.
                    return finishFeedback(flow, comment: nil, text: text, understanding: answering, at: at)
                }
                state.awaiting = .feedback(flow)
                return storing(flow, simpleReply(say(texts.expectation, .feedbackExpectation), text: text,
                                                 understanding: answering, answered: false, at: at))
            }
            if SatisfactionAnswer.isDeclined(text) {
                if flow.solicited { change(.decline(field: Self.feedbackField, at: at)) }
                return simpleReply(say(texts.dropped, .feedbackDropped), text: text, understanding: answering, answered: false, at: at)
            }
            if isOtherBusiness {
                return nil
            }
            if flow.askedAgain {
                return simpleReply(say(texts.dropped, .feedbackDropped), text: text, understanding: answering, answered: false, at: at)
            }
            flow.askedAgain = true
            state.awaiting = .feedback(flow)
            return simpleReply(say(texts.askAgain, .feedbackAskAgain), text: text, understanding: answering, answered: false, at: at)
        case .expectation:
            flow.expectation = SatisfactionAnswer.expectation(text)
            if flow.expectation == nil && (isOtherBusiness || SatisfactionAnswer.isDeclined(text)) {
                return finishFeedback(flow, comment: nil, text: isOtherBusiness ? nil : text, understanding: answering, at: at)
            }
            // Clients and advocates are asked now and then how likely they are to recommend us.
            if state.profile.stage >= .client,
               state.profile.lastAskedToRecommend.map({ at.timeIntervalSince($0) >= Self.recommendEvery }) ?? true {
                flow.step = .recommend
                state.awaiting = .feedback(flow)
                change(.askedToRecommend(at: at))
                return storing(flow, simpleReply(say(texts.recommend, .feedbackRecommend, extra: [:]), text: text,
                                                 understanding: answering, answered: false, at: at))
            }
            flow.step = .comment
            state.awaiting = .feedback(flow)
            return storing(flow, simpleReply(say(texts.comment, .feedbackComment), text: text, understanding: answering, answered: false, at: at))
        case .recommend:
            flow.recommend = SatisfactionAnswer.nps(text)
            if flow.recommend == nil && (isOtherBusiness || SatisfactionAnswer.isDeclined(text)) {
                return finishFeedback(flow, comment: nil, text: isOtherBusiness ? nil : text, understanding: answering, at: at)
            }
            if let recommend = flow.recommend, recommend >= 9 { notePromoter() }
            flow.step = .comment
            state.awaiting = .feedback(flow)
            return storing(flow, simpleReply(say(texts.comment, .feedbackComment), text: text, understanding: answering, answered: false, at: at))
        case .comment:
            // A goodbye, a question or other business is not a comment: the
            // feedback is already stored. A request not put as a question
            // ("the parcel came late") is a comment.
            let otherThanARequest = isOtherBusiness && !isRequest
            if otherThanARequest || (isRequest && SatisfactionAnswer.looksLikeQuestion(text)) {
                return finishFeedback(flow, comment: nil, text: nil, understanding: answering, at: at)
            }
            // Anything else is the comment ("No, the box was wet"), unless the whole answer is a no.
            let none = SatisfactionAnswer.isNoComment(text)
            return finishFeedback(flow, comment: none ? nil : text, text: text, understanding: answering, at: at)
        }
    }

    /// The answers are complete: stored, then thanked. When the last message
    /// was other business rather than an answer (`text` nil), the feedback is
    /// stored without a word and the message is read on its own.
    private mutating func finishFeedback(
        _ flow: FeedbackInProgress, comment: String?, text: String?, understanding: Understanding, at: Date
    ) -> TurnOutcome? {
        guard flow.score != nil else { return nil }
        var record = self.record(of: flow, at: at)
        record.comment = comment.map(PersonalDataMask.mask)
        guard let text else {
            // Stored in this turn, before the answer to the other business,
            // and not thanked: a thanks ending "anything else?" or the offer of
            // a person would talk over the answer that follows ("bye").
            feedbackDone = TurnOutcome(replies: [], understanding: nil, changes: [], effects: [.recordFeedback(record)])
            return nil
        }
        var outcome = react(to: record)
        let turn = self.record(text, at: at, intent: nil, confidence: understanding.confidence, replies: outcome.replies)
        outcome.effects.insert(turn, at: 1)
        outcome.understanding = understanding
        return outcome
    }

    /// The record as the answers so far make it.
    private func record(of flow: FeedbackInProgress, at: Date) -> FeedbackRecord {
        FeedbackRecord(
            customerID: state.profile.id, sessionID: sessionID, intent: flow.intent, score: flow.score ?? 3, comment: nil,
            at: flow.at ?? at, expectation: flow.expectation, recommend: flow.recommend, ref: flow.ref)
    }

    /// The outcome with the record as it now stands stored first.
    private func storing(_ flow: FeedbackInProgress, _ outcome: TurnOutcome) -> TurnOutcome {
        var outcome = outcome
        outcome.effects.insert(.recordFeedback(record(of: flow, at: flow.at ?? Date(timeIntervalSince1970: 0))), at: 0)
        return outcome
    }

    /// A score felt in trust: 4 or 5 good, 1 or 2 bad.
    private mutating func feelScore(_ score: Int) {
        if score >= 4 { trust(.goodFeedback) }
        if score <= 2 { trust(.badFeedback) }
    }

    /// A promoter counts as a recommendation.
    private mutating func notePromoter() {
        if !state.profile.recommended { change(.recommended) }
        let evidenced = state.profile.evidencedStage
        if evidenced > state.profile.stage { change(.stage(evidenced)) }
    }

    /// A score given in one go (the protocol's `feedback`): stored, felt in trust, thanked.
    mutating func receiveFeedback(_ given: FeedbackRecord) -> TurnOutcome {
        var record = given
        record.score = min(5, max(1, record.score))
        record.comment = record.comment.map(PersonalDataMask.mask)
        feelScore(record.score)
        if let recommend = record.recommend, recommend >= 9 { notePromoter() }
        return react(to: record)
    }

    /// "Because you didn't tell me anything useful", just after a score of 1
    /// or 2 and the offer of a person: the reason, kept as the score's
    /// comment (the same record, by its reference), and the offer made again.
    /// Not a yes or no to the offer, nor a request the bot reads surely, nor
    /// anything that does something of its own.
    mutating func noteLowScoreReason(_ message: inout Message) -> TurnOutcome? {
        guard let low = message.lowScore, case .person(.dissatisfied, _) = message.awaited, signals.yesNo(message.text) == nil,
              !signals.isCancel(message.text), signals.afterDismissal(message.text) == nil else { return nil }
        if let matched = message.understanding.matched, let intent = engine.bot.intent(named: matched.intent),
           intent.action != nil || intent.handsOff || intent.endsConversation || (intent.resolves && matched.confidence >= Self.weakReading) {
            return nil
        }
        // Nor a question, one of two requests ("did you mean...?"), or one naming something to look up.
        if case .ambiguous = message.understanding.decision { return nil }
        if engine.profileReader.isQuestion(message.text)
            || message.understanding.entities.contains(where: { engine.lookupKeyEntities.contains($0.entity) }) { return nil }
        let record = FeedbackRecord(
            customerID: state.profile.id, sessionID: sessionID, intent: low.intent, score: low.score,
            comment: PersonalDataMask.mask(message.text), at: low.at, expectation: low.expectation, recommend: low.recommend, ref: low.ref)
        let reply = say(engine.bot.feedbackTexts.reasonNoted, .feedbackReasonNoted)
        state.remember(.bot, reply)
        var outcome = simpleReply(reply, text: message.text, understanding: message.understanding.answering("why the score was low"),
                                  answered: false, at: message.at)
        outcome.effects.insert(.recordFeedback(record), at: 0)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// Stores the finished record, then thanks; a low score gets an apology and,
    /// while the conversation is open, the offer of a person.
    mutating func react(to record: FeedbackRecord) -> TurnOutcome {
        let texts = engine.bot.feedbackTexts
        var outcome = TurnOutcome(replies: [], understanding: nil, changes: [], effects: [.recordFeedback(record)])
        if record.score <= 2 && state.phase == .open {
            waitForPerson(.dissatisfied)
            // Only a score given in the conversation (its record has a reference to update) and without a comment.
            if record.ref != nil, record.comment == nil {
                state.lowScore = LowScore(score: record.score, ref: record.ref, at: record.at, intent: record.intent,
                                          expectation: record.expectation, recommend: record.recommend)
            }
            outcome.replies = [say(texts.sorryOffer, .feedbackSorryOffer)]
            outcome.quickReplies = Self.handoffButtons
        } else if record.score <= 2 {
            outcome.replies = [say(texts.sorry, .feedbackSorry)]
        } else {
            outcome.replies = [say(texts.thanks, .feedbackThanks)]
        }
        outcome.replies.forEach { state.remember(.bot, $0) }
        return outcome
    }
}
