import Foundation

/// One conversation as the store keeps it.
public struct SessionRecord: Hashable, Sendable {
    public var id: String
    /// Who the conversation is with; the console's `--customer`, the protocol's `customer`.
    public var customerID: String
    /// Which front end served it: "console", "protocol", "transcript".
    public var channel: String
    public var startedAt: Date
    public var endedAt: Date?
    /// Set when a person took over the conversation, with why.
    public var handedOffAt: Date?
    public var handoffReason: String?
    /// The number of the latest turn stored (0 before the first), as a store
    /// reads it back; ignored when a session is begun. A host whose copy of
    /// the conversation is behind it knows another process went on with it.
    public var lastTurn: Int

    public init(
        id: String, customerID: String, channel: String, startedAt: Date, endedAt: Date? = nil,
        handedOffAt: Date? = nil, handoffReason: String? = nil, lastTurn: Int = 0
    ) {
        self.lastTurn = lastTurn
        self.handedOffAt = handedOffAt
        self.handoffReason = handoffReason
        self.id = id
        self.customerID = customerID
        self.channel = channel
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// One piece of satisfaction feedback, as stored.
public struct FeedbackRecord: Hashable, Sendable {
    public var customerID: String
    public var sessionID: String
    /// The intent being rated: the last one the session answered, if any.
    public var intent: String?
    /// Customer satisfaction, 1 (very unhappy) to 5 (very happy).
    public var score: Int
    /// How the service compared with what the customer expected, if they said.
    public var expectation: AgainstExpectations?
    /// How likely they are to recommend the shop, 0 to 10, if asked.
    public var recommend: Int?
    /// Identifies a record built answer by answer: storing it again updates it.
    public var ref: String?
    /// The customer's words, with e-mail addresses, phone and card numbers masked.
    public var comment: String?
    public var at: Date

    public init(
        customerID: String, sessionID: String, intent: String?, score: Int, comment: String?, at: Date,
        expectation: AgainstExpectations? = nil, recommend: Int? = nil, ref: String? = nil
    ) {
        self.ref = ref
        self.expectation = expectation
        self.recommend = recommend
        self.customerID = customerID
        self.sessionID = sessionID
        self.intent = intent
        self.score = score
        self.comment = comment
        self.at = at
    }
}
