import Foundation
import RapportCore
import RapportStore

/// How a `SessionHost` behaves for its front end.
public struct HostSettings: Sendable {
    /// The channel sessions are stored under ("protocol", "console", "transcript").
    public var channel: String
    /// The run's seed (`--seed`).
    public var seed: UInt64
    /// Whether each session's seed is derived from `seed` and the session id
    /// (many interleaved sessions: `rapport serve`), or is `seed` itself (one
    /// conversation: the console, a transcript).
    public var seedPerSession: Bool
    /// Sessions beyond this many live conversations are set aside, least
    /// recently used first; their next message picks them up from the store.
    public var maxLiveSessions: Int
    /// How long a conversation must have been quiet, and not live here, before
    /// a new session of the customer offers to pick it up.
    public var abandonedAfter: TimeInterval
    /// Whether only conversations on this channel are offered to pick up.
    public var offerFromChannelOnly: Bool
    /// Whether the conversation goes on when the store fails (the console: the
    /// customer is warned once), instead of the call failing with `storeFailed`
    /// (`rapport serve`: the host decides what to do).
    public var carryOnWithoutStore: Bool
    /// Whether a new session goes on from the customer's last conversation
    /// (`EarlierConversation`): `rapport serve`, whose customers are real
    /// ones coming back; not the console, whose default customer every test
    /// at that terminal shares, and whose recorded transcripts must replay.
    public var goesOnFromEarlier: Bool

    public init(
        channel: String, seed: UInt64, seedPerSession: Bool, maxLiveSessions: Int = 10_000,
        abandonedAfter: TimeInterval = 0, offerFromChannelOnly: Bool = false, carryOnWithoutStore: Bool = false,
        goesOnFromEarlier: Bool = false
    ) {
        self.goesOnFromEarlier = goesOnFromEarlier
        self.channel = channel
        self.seed = seed
        self.seedPerSession = seedPerSession
        self.maxLiveSessions = max(1, maxLiveSessions)
        self.abandonedAfter = abandonedAfter
        self.offerFromChannelOnly = offerFromChannelOnly
        self.carryOnWithoutStore = carryOnWithoutStore
    }

    /// `rapport serve`: many customers on one stream.
    public static func protocolServer(seed: UInt64, maxLiveSessions: Int = 10_000) -> HostSettings {
        HostSettings(channel: "protocol", seed: seed, seedPerSession: true, maxLiveSessions: maxLiveSessions, abandonedAfter: 5 * 60,
                     goesOnFromEarlier: true)
    }

    /// `rapport chat`: one customer at a terminal, who is told once if the store fails.
    public static func console(seed: UInt64) -> HostSettings {
        HostSettings(channel: "console", seed: seed, seedPerSession: false, offerFromChannelOnly: true, carryOnWithoutStore: true)
    }

    /// The transcript runner: one conversation, in memory.
    public static func transcript(seed: UInt64) -> HostSettings {
        HostSettings(channel: "transcript", seed: seed, seedPerSession: false, offerFromChannelOnly: true)
    }
}

/// What happened to a session besides the bot's replies, for the transport
/// to show in its own form (the protocol's `events`, the console's notices).
public enum SessionEvent: Hashable, Sendable {
    public enum EndReason: String, Hashable, Sendable {
        /// The customer said goodbye.
        case goodbye
        /// The host's inactivity timer fired twice in a row.
        case timeout
        /// The host closed the session.
        case end
        /// The customer's data was erased, this session with it.
        case erased
    }

    /// A new session, for this customer.
    case started(customer: String)
    /// A session picked up from the store (set aside, or left by another process).
    case resumed(customer: String)
    /// The conversation is handed to a person; the summary is for the agent.
    case handoff(HandoffSummary, customer: String)
    /// Everything kept about the customer was erased.
    case customerErased(String)
    /// The customer asked to be erased and it could not be done; the host must try again.
    case erasureFailed(customer: String, reason: String)
    /// The session is over.
    case ended(EndReason)
}

/// A turn's result: what the bot says, what happened, and what the store refused.
public struct HostReply: Sendable {
    public var outcome: TurnOutcome
    /// When the host gave the conversation the event (its clock).
    public var at: Date
    public var events: [SessionEvent]
    /// Store failures that did not stop the reply: for the host's log, or a warning.
    public var storeFailures: [StoreError]
    /// For a start: the customer as the conversation began with them, before
    /// the welcome (what a recording of it replays from).
    public var startedWith: KnownCustomer?

    /// Whether the session is over.
    public var ended: Bool {
        events.contains { if case .ended = $0 { true } else { false } }
    }
}

/// The reply to a score: given only once the feedback is committed.
public struct FeedbackReply: Sendable {
    public var outcome: TurnOutcome
    /// The feedback stored, if the score was one.
    public var record: FeedbackRecord?
    public var storeFailures: [StoreError]
}

/// What is kept about a customer.
public struct CustomerRecord: Sendable {
    /// Their sessions, oldest first.
    public var sessions: [SessionRecord]
    /// Their profile, or nil for a customer never seen.
    public var profile: CustomerProfile?
}

/// A customer as the caller describes them rather than the store: a
/// transcript's customer, with what earlier conversations taught the bot.
public struct KnownCustomer: Sendable {
    public var profile: CustomerProfile
    /// A conversation of theirs that stopped mid-way, to offer to pick up.
    public var unfinished: UnfinishedConversation?
    /// Their last conversation, to go on from.
    public var earlier: EarlierConversation?

    public init(profile: CustomerProfile, unfinished: UnfinishedConversation? = nil, earlier: EarlierConversation? = nil) {
        self.profile = profile
        self.unfinished = unfinished
        self.earlier = earlier
    }
}

/// Why a call was refused. Each transport words it its own way.
public enum SessionFailure: Error, Hashable, Sendable {
    /// A session with this id has started already.
    case sessionExists(String)
    /// No session with this id, live or stored.
    case unknownSession(String)
    /// The session has ended; a new id is needed.
    case sessionEnded(String)
    /// The session belongs to another customer.
    case customerMismatch(String)
    /// The store could not be read or written; what could not be done.
    case storeFailed(String)
}
