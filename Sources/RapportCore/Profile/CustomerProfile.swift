import Foundation

/// Where a customer stands on the ladder of loyalty. Moved up only on
/// evidence from conversations and feedback, never on a guess, and never down.
public enum LoyaltyStage: String, Hashable, Sendable, CaseIterable, Comparable {
    /// No relationship yet: nothing is known.
    case suspect
    /// Has shown interest: asked the shop something and got an answer.
    case prospect
    /// Has bought: an order of theirs was looked up.
    case customer
    /// Buys again: two or more orders, and back for another conversation.
    case client
    /// Recommends the shop to others (says so, or is a promoter in feedback).
    case advocate

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The level of relationship the bot offers a customer (after Kotler). It
/// follows from the stage and the customer's value, and changes behaviour:
/// `accountable` and above check back on the last solved request; `proactive`
/// and above are offered relevant suggestions.
public enum RelationshipLevel: String, Hashable, Sendable, CaseIterable, Comparable {
    case basic, reactive, accountable, proactive, partnership

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One thing known about a customer.
public struct ProfileFact: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable {
        /// The customer said it: answering a question, or on their own.
        case stated
        /// Guessed from what the customer asked about (a product they mention).
        case inferred
    }

    public var value: String
    public var source: Source
    public var at: Date
    /// Whether the customer knowingly gave it (stated facts); inferred facts were not given.
    public var consent: Bool

    public init(value: String, source: Source, at: Date, consent: Bool) {
        self.value = value
        self.source = source
        self.at = at
        self.consent = consent
    }
}

/// The last request the bot solved for a customer, so a later conversation
/// can check back whether it met their expectations.
public struct SolvedRequest: Hashable, Sendable, Codable {
    public var intent: String
    /// The intent's label, as the customer would say it ("where my order is").
    public var label: String
    public var session: String
    public var at: Date

    public init(intent: String, label: String, session: String, at: Date) {
        self.intent = intent
        self.label = label
        self.session = session
        self.at = at
    }
}

/// Everything rapport keeps about one customer's relationship: what they told
/// it, how far they trust it, where they stand, and what they refused.
public struct CustomerProfile: Hashable, Sendable, Codable {
    public var id: String
    public var facts: [String: ProfileFact] = [:]
    /// 0 to 100; starts at 0 and moves with `TrustEvent`s.
    public var trust: Double = 0
    public var stage: LoyaltyStage = .suspect
    /// Fields the customer would rather not give, or asked to forget: never asked again.
    public var declined: [String: Date] = [:]
    /// False once the customer said "stop asking me questions".
    public var profilingOn = true
    /// Conversations started, this one included.
    public var visits = 0
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// Orders of theirs the bot has looked up: evidence of buying.
    public var purchases: Set<String> = []
    /// The customer said they recommended the shop.
    public var recommended = false
    public var lastSolved: SolvedRequest?
    /// When the customer was last asked how likely they are to recommend the shop.
    public var lastAskedToRecommend: Date?

    public init(id: String) {
        self.id = id
    }

    /// Protocol sessions without a customer id: nothing is kept or asked, and
    /// the customer stays a suspect to everyone else.
    public static let anonymousPrefix = "anonymous:"

    public var isAnonymous: Bool { id.hasPrefix(Self.anonymousPrefix) }

    /// The level of relationship to offer: from the stage, raised to
    /// partnership for clients and advocates whose orders reach `partnershipOrders`.
    public func level(partnershipOrders: Int) -> RelationshipLevel {
        let base: RelationshipLevel = switch stage {
        case .suspect: .basic
        case .prospect: .reactive
        case .customer: .accountable
        case .client, .advocate: .proactive
        }
        return stage >= .client && purchases.count >= partnershipOrders ? .partnership : base
    }

    /// Carries out one change. The engine and every store use this one
    /// function, so a profile replayed from its changes is the same everywhere.
    public mutating func apply(_ change: ProfileChange) {
        switch change {
        case .visit(let at):
            visits = visits.incremented()
            if firstSeen == nil { firstSeen = at }
            lastSeen = at
        case .trust(_, let delta):
            trust = min(100, max(0, trust + delta))
        case .remember(let field, let fact):
            facts[field] = fact
        case .forget(let field, let at):
            facts[field] = nil
            declined[field] = at
        case .decline(let field, let at):
            declined[field] = at
        case .profiling(let on):
            profilingOn = on
        case .purchase(let reference):
            purchases.insert(reference)
        case .recommended:
            recommended = true
        case .stage(let new):
            if new > stage { stage = new }
        case .solved(let request):
            lastSolved = request
        case .askedToRecommend(let at):
            lastAskedToRecommend = at
        case .checkedBack(let request):
            // A request solved since then is still to be checked back on.
            if lastSolved == request { lastSolved = nil }
        }
    }

    /// The stage the evidence supports now: never lower than the current one.
    public var evidencedStage: LoyaltyStage {
        var stage = self.stage
        if recommended && !purchases.isEmpty { stage = max(stage, .advocate) }
        // A regular: more than one order, and more than one conversation
        // (two orders looked up in one chat may be a typo corrected).
        if purchases.count >= 2 && visits >= 2 { stage = max(stage, .client) }
        if !purchases.isEmpty { stage = max(stage, .customer) }
        return stage
    }
}

/// What moves trust, and by how much (`TrustRules.weights`).
public enum TrustEvent: String, Hashable, Sendable, CaseIterable {
    /// The bot answered a customer's request.
    case resolvedRequest = "resolved_request"
    /// The customer answered a profile question.
    case answeredQuestion = "answered_question"
    /// The customer told the bot something about themselves unasked.
    case volunteered
    /// The customer came back for another conversation.
    case returnVisit = "return_visit"
    /// The customer said the last solved request met their expectations, or gave a good score.
    case goodFeedback = "good_feedback"
    /// The customer said it did not, or gave a bad score.
    case badFeedback = "bad_feedback"
    /// The bot did not understand a message.
    case misunderstanding
    /// The customer would rather not answer a profile question.
    case refusal
}

/// One change to a customer's profile, as the engine decides it and every
/// store applies it (`CustomerProfile.apply`). Changes, not whole profiles,
/// so two conversations of one customer never overwrite each other's news.
public enum ProfileChange: Hashable, Sendable {
    case visit(at: Date)
    case trust(TrustEvent, delta: Double)
    case remember(field: String, ProfileFact)
    /// The customer withdrew a fact: removed, and never asked again.
    case forget(field: String, at: Date)
    case decline(field: String, at: Date)
    case profiling(on: Bool)
    case purchase(reference: String)
    case recommended
    case stage(LoyaltyStage)
    case solved(SolvedRequest)
    /// The bot has checked back on this solved request.
    case checkedBack(SolvedRequest)
    /// The bot asked how likely the customer is to recommend the shop.
    case askedToRecommend(at: Date)
}
