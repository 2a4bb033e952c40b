import Foundation
import RapportCore

/// A turn's commit with what a database store writes as text or bytes
/// already encoded, so the transaction holds its connection only for SQL.
/// The SQLite and PostgreSQL stores both write from it.
public struct PreparedCommit: Sendable {
    public var turn: TurnCommit
    /// Each recorded turn's replies as JSON (`StoredReplies`), by sequence.
    public var replies: [Int: String] = [:]
    /// The state to save, encoded (`DialogueState.encoded()`), or nil.
    public var state: Data?

    public init(_ turn: TurnCommit) throws(StoreError) {
        self.turn = turn
        for case .recordTurn(let record) in turn.effects {
            replies[record.sequence] = try StoredReplies.encode(record.replies)
        }
        if let state = turn.stateToSave {
            do {
                self.state = try state.encoded()
            } catch {
                throw .operationFailed(operation: "save the dialogue state", reason: "it cannot be encoded (\(error))")
            }
        }
    }

    /// Whether the commit deletes customer content (an erasure, a value withdrawn).
    public var removesContent: Bool {
        turn.effects.contains { if case .redact = $0 { true } else { $0.erasedCustomer != nil } }
    }
}

/// A turn's replies as a database keeps them: one JSON array of strings in a
/// text column, where a NUL is written `\u0000`.
public enum StoredReplies {
    public static func encode(_ replies: [String], operation: String = "record a turn") throws(StoreError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(replies), as: UTF8.self)
        } catch {
            throw .operationFailed(operation: operation, reason: "cannot encode the replies")
        }
    }

    /// The replies, or none for a column that is not such an array.
    public static func decode(_ stored: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(stored.utf8))) ?? []
    }

    /// A stored turn's text and replies with a withdrawn value replaced
    /// (`Redaction`), as stored; nil when neither held it.
    public static func redacting(_ value: String, text storedText: String, replies: String) throws(StoreError) -> (text: String, replies: String)? {
        let text = StoredText.decode(storedText)
        let newText = Redaction.redact(value, in: text)
        // Redact the decoded strings, not the encoding.
        let newReplies = try encode(decode(replies).map { Redaction.redact(value, in: $0) }, operation: "remove a forgotten value")
        guard newText != text || newReplies != replies else { return nil }
        return (StoredText.encode(newText), newReplies)
    }
}
