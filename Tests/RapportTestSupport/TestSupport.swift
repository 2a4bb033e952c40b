import Foundation
import RapportCore
import RapportStore
import Synchronization

/// A response template from a literal the test wrote; a typo in it is a
/// broken test, so it stops the test run rather than returning an error.
public func template(_ text: String, condition: CustomerCondition? = nil) -> ResponseTemplate {
    guard let template = try? ResponseTemplate(text, condition: condition) else { fatalError("bad fixture template: \(text)") }
    return template
}

/// A store whose writes fail as a full disk would; reads find nothing but
/// the sessions it began. `failBegin: false` lets sessions start, so later
/// writes are what fail.
public final class FailingStore: ConversationStore {
    private let failBegin: Bool
    private let begun = Mutex<[String: SessionRecord]>([:])

    public init(failBegin: Bool = true) {
        self.failBegin = failBegin
    }

    private func diskFull(_ operation: String) -> StoreError {
        .operationFailed(operation: operation, reason: "disk full")
    }

    public func beginSession(_ session: SessionRecord) throws(StoreError) {
        if failBegin { throw diskFull("begin a session") }
        begun.withLock { $0[session.id] = session }
    }
    public func recordTurn(_ turn: TurnRecord) throws(StoreError) { throw diskFull("record a turn") }
    public func endSession(id: String, at: Date) throws(StoreError) { throw diskFull("end a session") }
    public func session(id: String) throws(StoreError) -> SessionRecord? { begun.withLock { $0[id] } }
    public func sessions(ofCustomer customerID: String) throws(StoreError) -> [SessionRecord] { [] }
    public func turns(inSession sessionID: String) throws(StoreError) -> [TurnRecord] { [] }
    public func recordFeedback(_ feedback: FeedbackRecord) throws(StoreError) { throw diskFull("record feedback") }
    public func feedback(inSession sessionID: String) throws(StoreError) -> [FeedbackRecord] { [] }
    public func profile(of customerID: String) throws(StoreError) -> CustomerProfile? { nil }
    public func updateProfile(of customerID: String, _ changes: [ProfileChange]) throws(StoreError) { throw diskFull("update a profile") }
    public func redact(_ value: String, ofCustomer customerID: String) throws(StoreError) -> Int { throw diskFull("remove a forgotten value") }
    public func saveState(_ state: DialogueState, session: String) throws(StoreError) { throw diskFull("save the dialogue state") }
    public func recordHandoff(session: String, reason: String, at: Date) throws(StoreError) { throw diskFull("record a handoff") }
    public func activity(since: Date?, until: Date?) throws(StoreError) -> StoredActivity {
        StoredActivity(sessions: [], turns: [], feedback: [], customers: [])
    }
    public func savedState(session: String) throws(StoreError) -> DialogueState? { nil }
    public func eraseCustomer(_ customerID: String) throws(StoreError) -> ErasureSummary { throw diskFull("erase a customer") }
}
