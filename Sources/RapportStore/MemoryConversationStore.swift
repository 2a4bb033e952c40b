import Foundation
import RapportCore
import Synchronization

/// A `ConversationStore` in memory, for unit tests: same behaviour, nothing on disk.
public final class MemoryConversationStore: ConversationStore {
    private struct Contents {
        var sessions: [SessionRecord] = []
        var turns: [String: [TurnRecord]] = [:]
        var feedback: [FeedbackRecord] = []
        var profiles: [String: CustomerProfile] = [:]
        var states: [String: DialogueState] = [:]
    }

    private let contents = Mutex(Contents())

    public init() {}

    public func beginSession(_ session: SessionRecord) throws(StoreError) {
        let added = contents.withLock { contents -> Bool in
            guard !contents.sessions.contains(where: { $0.id == session.id }) else { return false }
            contents.sessions.append(session)
            return true
        }
        if !added { throw .sessionExists(session.id) }
    }

    public func recordTurn(_ turn: TurnRecord) throws(StoreError) {
        let failure = contents.withLock { contents -> StoreError? in
            guard contents.sessions.contains(where: { $0.id == turn.sessionID }) else { return .unknownSession(turn.sessionID) }
            if contents.turns[turn.sessionID, default: []].contains(where: { $0.sequence == turn.sequence }) {
                return .duplicateTurn(session: turn.sessionID, sequence: turn.sequence)
            }
            contents.turns[turn.sessionID, default: []].append(turn)
            return nil
        }
        if let failure { throw failure }
    }

    public func endSession(id: String, at: Date) throws(StoreError) {
        let known = contents.withLock { contents -> Bool in
            guard let index = contents.sessions.firstIndex(where: { $0.id == id }) else { return false }
            contents.sessions[index].endedAt = at
            return true
        }
        if !known { throw .unknownSession(id) }
    }

    public func session(id: String) throws(StoreError) -> SessionRecord? {
        contents.withLock { $0.sessions.first { $0.id == id } }
    }

    public func sessions(ofCustomer customerID: String) throws(StoreError) -> [SessionRecord] {
        contents.withLock { $0.sessions.filter { $0.customerID == customerID } }
            .sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    public func turns(inSession sessionID: String) throws(StoreError) -> [TurnRecord] {
        contents.withLock { $0.turns[sessionID] ?? [] }.sorted { $0.sequence < $1.sequence }
    }

    public func recordFeedback(_ feedback: FeedbackRecord) throws(StoreError) {
        let known = contents.withLock { contents -> Bool in
            guard contents.sessions.contains(where: { $0.id == feedback.sessionID }) else { return false }
            // A record built answer by answer is updated in place.
            if let ref = feedback.ref, let index = contents.feedback.firstIndex(where: { $0.ref == ref }) {
                contents.feedback[index] = feedback
            } else {
                contents.feedback.append(feedback)
            }
            return true
        }
        if !known { throw .unknownSession(feedback.sessionID) }
    }

    public func feedback(inSession sessionID: String) throws(StoreError) -> [FeedbackRecord] {
        contents.withLock { $0.feedback.filter { $0.sessionID == sessionID } }
    }

    public func profile(of customerID: String) throws(StoreError) -> CustomerProfile? {
        contents.withLock { $0.profiles[customerID] }
    }

    public func updateProfile(of customerID: String, _ changes: [ProfileChange]) throws(StoreError) {
        contents.withLock { contents in
            var profile = contents.profiles[customerID] ?? CustomerProfile(id: customerID)
            changes.forEach { profile.apply($0) }
            contents.profiles[customerID] = profile
        }
    }

    public func recordHandoff(session: String, reason: String, at: Date) throws(StoreError) {
        let known = contents.withLock { contents -> Bool in
            guard let index = contents.sessions.firstIndex(where: { $0.id == session }) else { return false }
            contents.sessions[index].handedOffAt = at
            contents.sessions[index].handoffReason = reason
            return true
        }
        if !known { throw .unknownSession(session) }
    }

    public func activity(since: Date?, until: Date?) throws(StoreError) -> StoredActivity {
        func inWindow(_ date: Date) -> Bool { (since.map { date >= $0 } ?? true) && (until.map { date < $0 } ?? true) }
        return contents.withLock { contents in
            StoredActivity(
                sessions: contents.sessions.filter { inWindow($0.startedAt) },
                turns: contents.turns.values.flatMap { $0 }.filter { inWindow($0.at) }.sorted { ($0.at, $0.sessionID, $0.sequence) < ($1.at, $1.sessionID, $1.sequence) },
                feedback: contents.feedback.filter { inWindow($0.at) },
                customers: contents.profiles.values.sorted { $0.id < $1.id })
        }
    }

    public func saveState(_ state: DialogueState, session: String) throws(StoreError) {
        let known = contents.withLock { contents -> Bool in
            guard contents.sessions.contains(where: { $0.id == session }) else { return false }
            contents.states[session] = state
            return true
        }
        if !known { throw .unknownSession(session) }
    }

    public func savedState(session: String) throws(StoreError) -> DialogueState? {
        contents.withLock { $0.states[session] }
    }

    public func redact(_ value: String, ofCustomer customerID: String) throws(StoreError) -> Int {
        contents.withLock { contents in
            var changed = 0
            // Saved states hold the conversation's latest lines: rebuilt from the redacted turns instead.
            for session in contents.sessions where session.customerID == customerID { contents.states[session.id] = nil }
            for session in contents.sessions where session.customerID == customerID {
                contents.turns[session.id] = contents.turns[session.id]?.map { turn in
                    var redacted = turn
                    redacted.customerText = Redaction.redact(value, in: turn.customerText)
                    redacted.replies = turn.replies.map { Redaction.redact(value, in: $0) }
                    if redacted != turn { changed += 1 }
                    return redacted
                }
            }
            contents.feedback = contents.feedback.map { record in
                guard record.customerID == customerID, let comment = record.comment else { return record }
                var redacted = record
                redacted.comment = Redaction.redact(value, in: comment)
                if redacted != record { changed += 1 }
                return redacted
            }
            return changed
        }
    }

    public func eraseCustomer(_ customerID: String) throws(StoreError) -> ErasureSummary {
        contents.withLock { contents in
            let facts = contents.profiles.removeValue(forKey: customerID)?.facts.count ?? 0
            let sessions = contents.sessions.filter { $0.customerID == customerID }.map(\.id)
            let turns = sessions.reduce(0) { $0 + (contents.turns[$1]?.count ?? 0) }
            let feedback = contents.feedback.filter { $0.customerID == customerID }.count
            contents.sessions.removeAll { $0.customerID == customerID }
            for session in sessions {
                contents.turns[session] = nil
                contents.states[session] = nil
            }
            contents.feedback.removeAll { $0.customerID == customerID }
            return ErasureSummary(sessions: sessions.count, turns: turns, feedback: feedback, facts: facts)
        }
    }
}
