/// What the bot's last words wait for from the customer: one thing at a time.
///
/// Each case carries only its own data, so a state such as "asking for a
/// first name while also waiting for yes to deleting everything" cannot be
/// written. The one thing that may wait behind another question is a request
/// still gathering its values (`SlotFilling`): "did you mean A or B?" or "would
/// you like a person?" can come up while the bot is asking which order, and
/// once answered, the bot goes back to the order (`task`).
///
/// Every message reads the question first (`Turn.answerAwaited`); a message
/// that is no answer to it drops it, and is read as a message of its own.
public enum Awaiting: Hashable, Sendable, Codable {
    /// Nothing: the next message is a message of its own.
    case nothing
    /// A value for a request: "What's your order number?".
    case slot(SlotFilling)
    /// "Did you mean A or B?", with the request that waits behind it, if any.
    case choice(PendingClarification, then: SlotFilling?)
    /// "Would you like a person?", and why it was offered, with the request that waits behind it, if any.
    case person(HandoffSummary.Reason, then: SlotFilling?)
    /// "Shall we pick up where we left off?", about this earlier conversation.
    case pickUp(UnfinishedConversation)
    /// An answer to a profile question: the field's name.
    case profileAnswer(field: String)
    /// "Did that work out as you expected?", about an earlier request.
    case checkBack(SolvedRequest)
    /// "Shall I delete everything I know about you?", or a no just given to it.
    case erasure(ErasureStep)
    /// Feedback, one question at a time.
    case feedback(FeedbackInProgress)

    /// The request gathering its values: asked for now, or waiting behind another question.
    public var task: SlotFilling? {
        switch self {
        case .slot(let filling): filling
        case .choice(_, let then), .person(_, let then): then
        case .nothing, .pickUp, .profileAnswer, .checkBack, .erasure, .feedback: nil
        }
    }

    /// Whether the question waits for an answer the next message gives as
    /// such (a value, a choice, a yes to picking up, a profile answer, the
    /// erasure question, feedback), to be read as it was typed. Nothing
    /// waiting, an offer of a person and a check-back do not.
    public var readsTheNextMessage: Bool {
        switch self {
        case .nothing, .person, .checkBack: false
        case .slot, .choice, .pickUp, .profileAnswer, .erasure, .feedback: true
        }
    }

    /// "Did you mean A or B?", when that is the question.
    public var pendingClarification: PendingClarification? {
        if case .choice(let pending, _) = self { return pending }
        return nil
    }

    /// What waits once this question is answered or dropped: the request behind it, if any.
    public var afterAnswer: Awaiting {
        task.map(Awaiting.slot) ?? .nothing
    }

    /// The same question with the request behind it replaced (or dropped, with
    /// nil); a question that holds none gives way to the request's own.
    func with(task: SlotFilling?) -> Awaiting {
        switch self {
        case .nothing, .slot: task.map(Awaiting.slot) ?? .nothing
        case .choice(let pending, _): .choice(pending, then: task)
        case .person(let reason, _): .person(reason, then: task)
        // A question that cannot hold a request behind it gives way to the request's own question.
        case .pickUp, .profileAnswer, .checkBack, .erasure, .feedback: task.map(Awaiting.slot) ?? self
        }
    }

    /// For the debug view: "which of a or b", "a person (frustration)".
    public var description: String {
        switch self {
        case .nothing: "nothing"
        case .slot(let filling): filling.description
        case .choice(let pending, let then): pending.description + (then.map { ", then \($0.description)" } ?? "")
        case .person(let reason, let then): "yes or no to a person (\(reason.rawValue))" + (then.map { ", then \($0.description)" } ?? "")
        case .pickUp(let offer): "yes or no to picking up \(offer.sessionID)"
        case .profileAnswer(let field): "an answer about \(field)"
        case .checkBack(let request): "how \(request.intent) worked out"
        case .erasure(let step): "erasure: \(step.rawValue)"
        case .feedback(let flow): flow.description
        }
    }
}

extension DialogueState {
    /// The request gathering its values, asked for now or waiting behind another question.
    public var filling: SlotFilling? { awaiting.task }
    /// "Did you mean A or B?", when it waits for an answer.
    public var pendingClarification: PendingClarification? { awaiting.pendingClarification }
    /// Why a person was offered, when the offer waits for yes or no.
    public var handoffOffered: HandoffSummary.Reason? {
        if case .person(let reason, _) = awaiting { return reason }
        return nil
    }
    /// The profile field the bot just asked for.
    public var askingField: String? {
        if case .profileAnswer(let field) = awaiting { return field }
        return nil
    }
    /// The earlier request the bot asked about ("did that work out?").
    public var checkingBack: SolvedRequest? {
        if case .checkBack(let request) = awaiting { return request }
        return nil
    }
    /// Where "delete all my data" stands.
    public var erasure: ErasureStep? {
        if case .erasure(let step) = awaiting { return step }
        return nil
    }
    /// "Delete all my data" waits for a yes.
    public var erasurePending: Bool { erasure == .asked || erasure == .askedAgain }
    /// Feedback being given, question by question.
    public var feedback: FeedbackInProgress? {
        if case .feedback(let flow) = awaiting { return flow }
        return nil
    }

    /// The request gathering values is done or dropped; a question asked on top of it stays.
    mutating func dropTask() {
        awaiting = awaiting.with(task: nil)
    }

    /// The question is answered or dropped; a request behind it waits again.
    mutating func questionDone() {
        awaiting = awaiting.afterAnswer
    }
}
