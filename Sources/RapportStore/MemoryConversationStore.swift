import Foundation
import RapportCore
import Synchronization

/// A `ConversationStore` in memory, for unit tests and transcripts: the same
/// behaviour, nothing on disk. A commit works on a copy of the contents and
/// keeps it only if every part succeeds, as a transaction would.
public final class MemoryConversationStore: ConversationStore {
    private struct Contents {
        var sessions: [SessionRecord] = []
        var turns: [String: [TurnRecord]] = [:]
        var feedback: [FeedbackRecord] = []
        var profiles: [String: CustomerProfile] = [:]
        var states: [String: DialogueState] = [:]

        func hasSession(_ id: String) -> Bool { sessions.contains { $0.id == id } }

        /// The session as a store reads it back: with the number of its latest turn.
        func withLastTurn(_ session: SessionRecord) -> SessionRecord {
            var read = session
            read.lastTurn = turns[session.id]?.map(\.sequence).max() ?? 0
            return read
        }
    }

    private let contents: Mutex<Contents>

    /// An empty store, or one that knows these customers already (a
    /// transcript's customer as its front matter describes them).
    public init(profiles: [CustomerProfile] = []) {
        contents = Mutex(Contents(profiles: Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { $1 })))
    }

    public func beginSession(_ session: SessionRecord) async throws(StoreError) {
        let added = contents.withLock { contents -> Bool in
            guard !contents.hasSession(session.id) else { return false }
            contents.sessions.append(session)
            return true
        }
        if !added { throw .sessionExists(session.id) }
    }

    public func commit(_ turn: TurnCommit) async throws(StoreError) -> CommitReceipt {
        let result = contents.withLock { contents -> Result<CommitReceipt, StoreError> in
            var copy = contents
            do throws(StoreError) {
                let receipt = try Self.apply(turn, to: &copy)
                contents = copy
                return .success(receipt)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func apply(_ turn: TurnCommit, to contents: inout Contents) throws(StoreError) -> CommitReceipt {
        var receipt = CommitReceipt()
        func end(_ id: String, at: Date) throws(StoreError) {
            guard let index = contents.sessions.firstIndex(where: { $0.id == id }) else { throw .unknownSession(id) }
            contents.sessions[index].endedAt = at
        }
        for effect in turn.effects {
            switch effect {
            case .recordTurn(let record):
                guard contents.hasSession(record.sessionID) else { throw .unknownSession(record.sessionID) }
                if contents.turns[record.sessionID, default: []].contains(where: { $0.sequence == record.sequence }) {
                    throw .duplicateTurn(session: record.sessionID, sequence: record.sequence)
                }
                contents.turns[record.sessionID, default: []].append(record)
            case .recordFeedback(let feedback):
                guard contents.hasSession(feedback.sessionID) else { throw .unknownSession(feedback.sessionID) }
                // A record built answer by answer is updated in place.
                if let ref = feedback.ref, let index = contents.feedback.firstIndex(where: { $0.ref == ref }) {
                    contents.feedback[index] = feedback
                } else {
                    contents.feedback.append(feedback)
                }
            case .endSession(let at):
                try end(turn.session, at: at)
            case .closeEarlierSession(let earlier, let at):
                try end(earlier, at: at)
            case .reopenSession:
                guard let index = contents.sessions.firstIndex(where: { $0.id == turn.session }) else { throw .unknownSession(turn.session) }
                contents.sessions[index].endedAt = nil
            case .updateProfile(let customer, let changes):
                guard !changes.isEmpty else { continue }
                var profile = contents.profiles[customer] ?? CustomerProfile(id: customer)
                changes.forEach { profile.apply($0) }
                contents.profiles[customer] = profile
            case .handoff(let summary):
                guard let index = contents.sessions.firstIndex(where: { $0.id == turn.session }) else { throw .unknownSession(turn.session) }
                contents.sessions[index].handedOffAt = summary.at ?? Date()
                contents.sessions[index].handoffReason = summary.reason.rawValue
            case .redact(let customer, let value):
                receipt.redacted += redact(value, ofCustomer: customer, in: &contents)
            case .eraseCustomer(let customer):
                receipt.erased = erase(customer, in: &contents)
            }
        }
        if let state = turn.stateToSave {
            guard contents.hasSession(turn.session) else { throw .unknownSession(turn.session) }
            contents.states[turn.session] = state
        }
        return receipt
    }

    public func session(id: String) async throws(StoreError) -> SessionRecord? {
        contents.withLock { contents in contents.sessions.first { $0.id == id }.map { contents.withLastTurn($0) } }
    }

    public func sessions(ofCustomer customerID: String) async throws(StoreError) -> [SessionRecord] {
        contents.withLock { contents in contents.sessions.filter { $0.customerID == customerID }.map { contents.withLastTurn($0) } }
            .sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    public func turns(inSession sessionID: String) async throws(StoreError) -> [TurnRecord] {
        contents.withLock { $0.turns[sessionID] ?? [] }.sorted { $0.sequence < $1.sequence }
    }

    public func feedback(inSession sessionID: String) async throws(StoreError) -> [FeedbackRecord] {
        contents.withLock { $0.feedback.filter { $0.sessionID == sessionID } }
    }

    public func profile(of customerID: String) async throws(StoreError) -> CustomerProfile? {
        contents.withLock { $0.profiles[customerID] }
    }

    public func reportFigures(since: Date?, until: Date?) async throws(StoreError) -> ReportFigures {
        let window = Window(since: since, until: until)
        return contents.withLock { contents in
            ReportFigures(
                sessions: contents.sessions.filter { window.contains($0.startedAt) },
                turns: contents.turns.values.flatMap { $0 }.filter { window.contains($0.at) },
                feedback: contents.feedback.filter { window.contains($0.at) },
                customers: Array(contents.profiles.values))
        }
    }

    public func feedback(since: Date?, until: Date?) async throws(StoreError) -> [FeedbackRecord] {
        let window = Window(since: since, until: until)
        return contents.withLock { $0.feedback.filter { window.contains($0.at) } }
    }

    /// A period: from `since` (inclusive) to `until` (exclusive).
    private struct Window {
        var since: Date?
        var until: Date?

        func contains(_ date: Date) -> Bool { (since.map { date >= $0 } ?? true) && (until.map { date < $0 } ?? true) }
    }

    public func savedState(session: String) async throws(StoreError) -> DialogueState? {
        contents.withLock { $0.states[session] }
    }

    private static func redact(_ value: String, ofCustomer customerID: String, in contents: inout Contents) -> Int {
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

    private static func erase(_ customerID: String, in contents: inout Contents) -> ErasureSummary {
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
