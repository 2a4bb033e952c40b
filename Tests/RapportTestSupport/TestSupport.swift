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

    public func beginSession(_ session: SessionRecord) async throws(StoreError) {
        if failBegin { throw diskFull("begin a session") }
        begun.withLock { $0[session.id] = session }
    }
    /// Fails as the first write of the turn would.
    public func commit(_ turn: TurnCommit) async throws(StoreError) -> CommitReceipt {
        throw diskFull(turn.effects.first.map(Self.operation) ?? "save the dialogue state")
    }
    private static func operation(_ effect: ConversationEffect) -> String {
        switch effect {
        case .recordTurn: "record a turn"
        case .recordFeedback: "record feedback"
        case .endSession, .closeEarlierSession: "end a session"
        case .reopenSession: "reopen a session"
        case .updateProfile: "update a profile"
        case .handoff: "record a handoff"
        case .redact: "remove a forgotten value"
        case .eraseCustomer: "erase a customer"
        }
    }
    public func session(id: String) async throws(StoreError) -> SessionRecord? { begun.withLock { $0[id] } }
    public func sessions(ofCustomer customerID: String) async throws(StoreError) -> [SessionRecord] { [] }
    public func turns(inSession sessionID: String) async throws(StoreError) -> [TurnRecord] { [] }
    public func feedback(inSession sessionID: String) async throws(StoreError) -> [FeedbackRecord] { [] }
    public func profile(of customerID: String) async throws(StoreError) -> CustomerProfile? { nil }
    public func reportFigures(since: Date?, until: Date?) async throws(StoreError) -> ReportFigures { ReportFigures() }
    public func feedback(since: Date?, until: Date?) async throws(StoreError) -> [FeedbackRecord] { [] }
    public func savedState(session: String) async throws(StoreError) -> DialogueState? { nil }
}
