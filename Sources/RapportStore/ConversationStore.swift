import Foundation
import RapportCore

/// Where conversations are kept. The engine never calls this: the session
/// host (`RapportSessions`) carries out the engine's `ConversationEffect`s
/// against it.
///
/// The seam is small on purpose, so a networked database can implement it:
/// one write per turn (`commit`), the start of a session, and the reads. Every method is async, and every write is one
/// transaction: a turn is stored whole or not at all.
public protocol ConversationStore: Sendable {
    /// Starts a session; one with the same id is never replaced (`sessionExists`).
    func beginSession(_ session: SessionRecord) async throws(StoreError)
    /// Stores one turn in one transaction: its effects in order (the turn, the
    /// feedback, profile changes, the end of the session, a handoff, a value
    /// withdrawn, an erasure), then the dialogue state it leaves. If any part
    /// fails, none of it is kept. When this returns, it is on disk.
    @discardableResult
    func commit(_ turn: TurnCommit) async throws(StoreError) -> CommitReceipt
    /// One session, or nil if there is none with that id.
    func session(id: String) async throws(StoreError) -> SessionRecord?
    /// A customer's sessions, oldest first.
    func sessions(ofCustomer customerID: String) async throws(StoreError) -> [SessionRecord]
    /// A session's turns in order.
    func turns(inSession sessionID: String) async throws(StoreError) -> [TurnRecord]
    /// A session's feedback, oldest first.
    func feedback(inSession sessionID: String) async throws(StoreError) -> [FeedbackRecord]
    /// What is known about a customer, or nil for one never seen.
    func profile(of customerID: String) async throws(StoreError) -> CustomerProfile?
    /// The state last saved for a session, or nil (never saved, unreadable, or
    /// saved in a format this rapport does not read: `DialogueState.formatVersion`).
    func savedState(session: String) async throws(StoreError) -> DialogueState?
    /// What the satisfaction report is computed from, added up where the rows
    /// are: the sessions started, turns taken and feedback given from `since`
    /// (inclusive) to `until` (exclusive), and every customer's stage. Only the
    /// messages not understood come back as text, grouped.
    func reportFigures(since: Date?, until: Date?) async throws(StoreError) -> ReportFigures
    /// The feedback given from `since` (inclusive) to `until` (exclusive),
    /// oldest first: what `rapport feedback export` writes out.
    func feedback(since: Date?, until: Date?) async throws(StoreError) -> [FeedbackRecord]
}

/// One turn's writes: what `ConversationStore.commit` keeps together.
public struct TurnCommit: Hashable, Sendable {
    /// The session the turn belongs to.
    public var session: String
    /// The engine's effects, in order. Those for the host alone have no part
    /// here except a handoff, which the store notes for the report.
    public var effects: [ConversationEffect]
    /// The dialogue state after the turn, saved last, replacing the one
    /// before; nil to leave it. Never saved after an erasure: the session is gone.
    public var state: DialogueState?

    public init(session: String, effects: [ConversationEffect], state: DialogueState? = nil) {
        self.session = session
        self.effects = effects
        self.state = state
    }

    /// Whether the commit erases a customer, so it saves no state.
    public var erases: Bool { effects.contains { $0.erasedCustomer != nil } }

    /// The state to save: none after an erasure.
    public var stateToSave: DialogueState? { erases ? nil : state }
}

/// What a commit changed beyond its own rows.
public struct CommitReceipt: Hashable, Sendable {
    /// Records in which a withdrawn value was replaced (`redact` effects).
    public var redacted: Int
    /// What an erasure removed, if the commit erased a customer.
    public var erased: ErasureSummary?

    public init(redacted: Int = 0, erased: ErasureSummary? = nil) {
        self.redacted = redacted
        self.erased = erased
    }
}

/// What an erasure removed.
public struct ErasureSummary: Hashable, Sendable {
    public var sessions: Int
    public var turns: Int
    public var feedback: Int
    /// Profile facts removed.
    public var facts: Int

    public init(sessions: Int, turns: Int, feedback: Int, facts: Int = 0) {
        self.sessions = sessions
        self.turns = turns
        self.feedback = feedback
        self.facts = facts
    }
}

/// What went wrong with the store, with the path and what to do. Rendered as
/// one line by each front end.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The folder for the database cannot be created or written.
    case notWritable(path: String, reason: String)
    /// The file exists but is not a SQLite database, or is damaged.
    case notADatabase(path: String)
    /// The file is a SQLite database, but another program's.
    case foreignDatabase(path: String)
    /// The database was written by a newer rapport, with migrations this one does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// Any other failure to open.
    case cannotOpen(path: String, reason: String)
    /// A read or write failed after opening.
    case operationFailed(operation: String, reason: String)
    /// A turn or end for a session that was never begun.
    case unknownSession(String)
    /// A turn number already recorded in the session: turns are never overwritten.
    case duplicateTurn(session: String, sequence: Int)
    /// A session with this id already exists; sessions are never overwritten.
    case sessionExists(String)
    /// The rows are deleted, but another connection's open read still needs the
    /// old pages, so a copy remains in the write-ahead log for now.
    case erasureIncomplete(reason: String)

    public var description: String {
        switch self {
        case .notWritable(let path, let reason):
            return "\(path): cannot create or write the database (\(reason)); choose another place with --db PATH"
        case .notADatabase(let path):
            return "\(path): not a rapport database, or it is damaged; it was left untouched. Move it aside or choose another file with --db PATH"
        case .foreignDatabase(let path):
            return "\(path): a SQLite database of another program; it was left untouched. Choose another file with --db PATH"
        case .newerSchema(let path, let unknown):
            return "\(path): written by a newer version of rapport (unknown migrations: \(unknown.joined(separator: ", "))); upgrade rapport, or use another file with --db PATH"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the database (\(reason))"
        case .operationFailed(let operation, let reason):
            return "database error while trying to \(operation): \(reason)"
        case .unknownSession(let id):
            return "no session '\(id)' in the database"
        case .sessionExists(let id):
            return "session '\(id)' already exists; sessions are never overwritten"
        case .erasureIncomplete(let reason):
            return "the data was deleted, but a copy stays in the write-ahead log while another connection is reading (\(reason)); erase again shortly to clear it"
        case .duplicateTurn(let session, let sequence):
            return "turn \(sequence) of session '\(session)' is already recorded; turns are never overwritten"
        }
    }
}

extension ConversationStore {
    // One effect at a time, each its own transaction: what the tests and the
    // older call sites read best. A driver stores a turn with one `commit`.

    public func recordTurn(_ turn: TurnRecord) async throws(StoreError) {
        try await commit(TurnCommit(session: turn.sessionID, effects: [.recordTurn(turn)]))
    }

    /// Records a customer's feedback; when this returns, it is on disk. A record
    /// with the `ref` of one already stored replaces it (answers given one by one).
    public func recordFeedback(_ feedback: FeedbackRecord) async throws(StoreError) {
        try await commit(TurnCommit(session: feedback.sessionID, effects: [.recordFeedback(feedback)]))
    }

    public func endSession(id: String, at: Date) async throws(StoreError) {
        try await commit(TurnCommit(session: id, effects: [.endSession(at: at)]))
    }

    /// Applies the changes to the customer's profile (created if new) with
    /// `CustomerProfile.apply`, reading and writing in one transaction, so two
    /// sessions of one customer never overwrite each other's changes.
    public func updateProfile(of customerID: String, _ changes: [ProfileChange]) async throws(StoreError) {
        try await commit(TurnCommit(session: "", effects: [.updateProfile(customer: customerID, changes: changes)]))
    }

    /// Keeps the dialogue state of a session as it is after the latest event,
    /// replacing the one before: what a conversation picked up after a restart starts from.
    public func saveState(_ state: DialogueState, session: String) async throws(StoreError) {
        try await commit(TurnCommit(session: session, effects: [], state: state))
    }

    /// Erases everything kept about a customer (profile, sessions, turns,
    /// feedback): an erasure committed on its own (the protocol's `forget`).
    public func eraseCustomer(_ customerID: String) async throws(StoreError) -> ErasureSummary {
        try await commit(TurnCommit(session: "", effects: [.eraseCustomer(customerID)])).erased
            ?? ErasureSummary(sessions: 0, turns: 0, feedback: 0, facts: 0)
    }

    /// Replaces a value the customer withdrew in everything kept about them
    /// (their turns' text and replies, their feedback comments) with
    /// `Redaction.replacement`, leaving no copy in the database files.
    /// Returns how many records changed.
    @discardableResult
    public func redact(_ value: String, ofCustomer customerID: String) async throws(StoreError) -> Int {
        try await commit(TurnCommit(session: "", effects: [.redact(customer: customerID, value: value)])).redacted
    }
}

extension ConversationStore {
    /// A stored session's conversation, rebuilt by replaying its turns through
    /// the engine: the same messages give the same dialogue state, so a session
    /// set aside (or left when rapport stopped) goes on as if never interrupted.
    /// Turn numbering goes on after the highest stored turn.
    public func replayed(
        _ stored: SessionRecord, engine: Engine, seed: UInt64, profile: CustomerProfile? = nil
    ) async throws(StoreError) -> Conversation {
        let turns = try await turns(inSession: stored.id)
        let highest = turns.map(\.sequence).max() ?? 0
        // The saved state is exact; replaying the turns is for sessions saved before states were.
        // A state saved before the session's latest turn (written by a rapport that stored them apart) is stale: replay instead.
        if let state = try await savedState(session: stored.id), state.turns >= highest {
            var conversation = Conversation(engine: engine, sessionID: stored.id, restoring: state)
            if let profile { conversation.adopt(profile) }
            return conversation
        }
        var conversation = Conversation(
            engine: engine, sessionID: stored.id, seed: seed, turnsSoFar: max(0, highest.subtracting(saturating: turns.count)), profile: profile)
        _ = conversation.handle(.started(at: stored.startedAt))
        for turn in turns {
            _ = conversation.handle(.customerSaid(turn.customerText, at: turn.at))
        }
        if let ended = stored.endedAt { _ = conversation.handle(.ended(at: ended)) }
        return conversation
    }

    /// The customer's latest conversation other than those in `excluding`,
    /// ended or not, as its saved state leaves it for the next one
    /// (`EarlierConversation`): the things it was about, and the latest of
    /// their sessions a person was given. Nil for an anonymous customer, one with no other conversation,
    /// or one whose state was never saved (it is not replayed for this).
    public func earlierConversation(of customer: String, excluding: Set<String>) async throws(StoreError) -> EarlierConversation? {
        guard !customer.hasPrefix(CustomerProfile.anonymousPrefix) else { return nil }
        let others = try await sessions(ofCustomer: customer).filter { !excluding.contains($0.id) }
        guard let latest = others.last, let state = try await savedState(session: latest.id) else { return nil }
        return EarlierConversation(latest, state: state, handedOff: others.last { $0.handedOffAt != nil })
    }

    /// The customer's most recent conversation that never ended (the terminal
    /// was closed, the host went away), other than those in `excluding`, whose
    /// last turn is at least `idle` seconds before `now`: what a new
    /// conversation may offer to pick up. Nil when there is none.
    public func unfinishedConversation(
        of customer: String, excluding: Set<String>, channel: String? = nil, idle: TimeInterval = 0, now: Date, engine: Engine
    ) async throws(StoreError) -> UnfinishedConversation? {
        guard !customer.hasPrefix(CustomerProfile.anonymousPrefix) else { return nil }
        let open = try await sessions(ofCustomer: customer).filter {
            $0.endedAt == nil && !excluding.contains($0.id) && (channel == nil || $0.channel == channel)
        }
        guard let latest = open.last else { return nil }
        let turns = try await turns(inSession: latest.id)
        guard let last = turns.last, now.timeIntervalSince(last.at) >= idle else { return nil }
        // Replayed as nobody in particular: only the dialogue state is wanted.
        let conversation = try await replayed(latest, engine: engine, seed: 0)
        return UnfinishedConversation(sessionID: latest.id, state: conversation.state)
    }
}
