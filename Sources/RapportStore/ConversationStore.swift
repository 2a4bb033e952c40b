import Foundation
import RapportCore

/// Where conversations are kept. The engine never calls this: drivers carry out
/// the engine's `ConversationEffect`s against it.
public protocol ConversationStore: Sendable {
    /// Starts a session; one with the same id is never replaced (`sessionExists`).
    func beginSession(_ session: SessionRecord) throws(StoreError)
    func recordTurn(_ turn: TurnRecord) throws(StoreError)
    func endSession(id: String, at: Date) throws(StoreError)
    /// One session, or nil if there is none with that id.
    func session(id: String) throws(StoreError) -> SessionRecord?
    /// A customer's sessions, oldest first.
    func sessions(ofCustomer customerID: String) throws(StoreError) -> [SessionRecord]
    /// A session's turns in order.
    func turns(inSession sessionID: String) throws(StoreError) -> [TurnRecord]
    /// Records a customer's feedback; when this returns, it is on disk. A record
    /// with the `ref` of one already stored replaces it (answers given one by one).
    func recordFeedback(_ feedback: FeedbackRecord) throws(StoreError)
    /// A session's feedback, oldest first.
    func feedback(inSession sessionID: String) throws(StoreError) -> [FeedbackRecord]
    /// What is known about a customer, or nil for one never seen.
    func profile(of customerID: String) throws(StoreError) -> CustomerProfile?
    /// Applies the changes to the customer's profile (created if new) in one
    /// transaction, with `CustomerProfile.apply`, so two sessions of one
    /// customer never overwrite each other's changes.
    func updateProfile(of customerID: String, _ changes: [ProfileChange]) throws(StoreError)
    /// Notes that a session was handed to a person, why and when (for the report).
    func recordHandoff(session: String, reason: String, at: Date) throws(StoreError)
    /// What the report reads: the sessions started, turns taken and feedback
    /// given from `since` (inclusive) to `until` (exclusive), and every customer.
    func activity(since: Date?, until: Date?) throws(StoreError) -> StoredActivity
    /// Keeps the dialogue state of a session as it is after the latest event,
    /// replacing the one before: what a conversation picked up after a restart starts from.
    func saveState(_ state: DialogueState, session: String) throws(StoreError)
    /// The state last saved for a session, or nil (never saved, or unreadable).
    func savedState(session: String) throws(StoreError) -> DialogueState?
    /// Replaces a value the customer withdrew in everything kept about them
    /// (their turns' text and replies, their feedback comments) with
    /// `Redaction.replacement`, leaving no copy in the database files.
    /// Returns how many records changed.
    @discardableResult
    func redact(_ value: String, ofCustomer customerID: String) throws(StoreError) -> Int
    /// Erases everything kept about a customer: profile, sessions, turns, feedback.
    /// Nothing of it is left in the database files afterwards.
    func eraseCustomer(_ customerID: String) throws(StoreError) -> ErasureSummary
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

/// Everything the satisfaction report is computed from, read in one go.
public struct StoredActivity: Hashable, Sendable {
    public var sessions: [SessionRecord]
    public var turns: [TurnRecord]
    public var feedback: [FeedbackRecord]
    public var customers: [CustomerProfile]

    public init(sessions: [SessionRecord], turns: [TurnRecord], feedback: [FeedbackRecord], customers: [CustomerProfile]) {
        self.sessions = sessions
        self.turns = turns
        self.feedback = feedback
        self.customers = customers
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
    /// Carries out the effects, then saves the dialogue state they leave (not
    /// after an erasure: the session is gone), so the session can be picked up
    /// exactly. Returns what failed, for each front end to report its own way.
    public func carryOut(_ effects: [ConversationEffect], session: String, saving state: DialogueState) -> [StoreError] {
        var failures = carryOut(effects, session: session)
        guard !effects.contains(where: { $0.erasedCustomer != nil }) else { return failures }
        do {
            try saveState(state, session: session)
        } catch {
            failures.append(error)
        }
        return failures
    }

    /// Carries out the engine's effects that touch the store (recording a
    /// turn, ending the session), for every front end alike. Effects for the
    /// host (a handoff) are left to the caller. Returns what failed, so each
    /// front end reports it its own way.
    public func carryOut(_ effects: [ConversationEffect], session: String) -> [StoreError] {
        var failures: [StoreError] = []
        for effect in effects {
            do {
                switch effect {
                case .recordTurn(let turn): try recordTurn(turn)
                case .recordFeedback(let feedback): try recordFeedback(feedback)
                case .endSession(let at): try endSession(id: session, at: at)
                case .closeEarlierSession(let earlier, let at): try endSession(id: earlier, at: at)
                case .updateProfile(let customer, let changes): try updateProfile(of: customer, changes)
                case .eraseCustomer(let customer): _ = try eraseCustomer(customer)
                case .redact(let customer, let value): try redact(value, ofCustomer: customer)
                case .handoff(let summary): try recordHandoff(session: session, reason: summary.reason.rawValue, at: summary.at ?? Date())
                }
            } catch {
                failures.append(error)
            }
        }
        return failures
    }
}

extension ConversationStore {
    /// A stored session's conversation, rebuilt by replaying its turns through
    /// the engine: the same messages give the same dialogue state, so a session
    /// set aside (or left when rapport stopped) goes on as if never interrupted.
    /// Turn numbering goes on after the highest stored turn.
    public func replayed(
        _ stored: SessionRecord, engine: Engine, seed: UInt64, profile: CustomerProfile? = nil
    ) throws(StoreError) -> Conversation {
        let turns = try turns(inSession: stored.id)
        let highest = turns.map(\.sequence).max() ?? 0
        // The saved state is exact; replaying the turns is for sessions saved before states were.
        // A state saved before the session's latest turn (a crash between the two writes) is stale: replay instead.
        if let state = try savedState(session: stored.id), state.turns >= highest {
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

    /// The customer's most recent conversation that never ended (the terminal
    /// was closed, the host went away), other than those in `excluding`, whose
    /// last turn is at least `idle` seconds before `now`: what a new
    /// conversation may offer to pick up. Nil when there is none.
    public func unfinishedConversation(
        of customer: String, excluding: Set<String>, channel: String? = nil, idle: TimeInterval = 0, now: Date, engine: Engine
    ) throws(StoreError) -> UnfinishedConversation? {
        guard !customer.hasPrefix(CustomerProfile.anonymousPrefix) else { return nil }
        let open = try sessions(ofCustomer: customer).filter {
            $0.endedAt == nil && !excluding.contains($0.id) && (channel == nil || $0.channel == channel)
        }
        guard let latest = open.last else { return nil }
        let turns = try turns(inSession: latest.id)
        guard let last = turns.last, now.timeIntervalSince(last.at) >= idle else { return nil }
        // Replayed as nobody in particular: only the dialogue state is wanted.
        let conversation = try replayed(latest, engine: engine, seed: 0)
        return UnfinishedConversation(sessionID: latest.id, state: conversation.state)
    }
}
