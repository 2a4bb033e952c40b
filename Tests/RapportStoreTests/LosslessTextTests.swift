import Foundation
import GRDB
import Testing
import RapportCore
@testable import RapportStore

/// Customer text with a NUL (or the escape character, or other control
/// characters) comes back from the database whole, not cut at the NUL.
@Suite("Text is stored without losing a character")
struct LosslessTextTests {
    static let awkward = "abc\u{0}def \u{E000} \u{E000}\u{E001} \u{1}\u{7}\u{1B}[31m\u{7F}\t\r\n end\u{0}"

    @Test("encoding and decoding give the text back", arguments: [
        "abc\u{0}def", "\u{0}", "\u{0}\u{0}", "\u{E000}", "\u{E000}\u{E000}", "\u{E000}\u{E001}", "\u{E001}", "x\u{E000}",
        awkward, "", "plain text", "café 🇬🇧",
    ])
    func roundTrip(text: String) {
        #expect(StoredText.decode(StoredText.encode(text)) == text)
        #expect(!StoredText.encode(text).unicodeScalars.contains("\u{0}"), "nothing for a C string to cut")
    }

    @Test("text without NUL or U+E000 is stored as it is, and old text reads unchanged", arguments: [
        "plain text", "café 🇬🇧", "\u{1}\u{1F}\t\u{7F}", "x\u{E000}y", "\u{E000}", "\u{E001}",
    ])
    func unchanged(text: String) {
        if !text.unicodeScalars.contains("\u{E000}") { #expect(StoredText.encode(text) == text) }
        if text != "\u{E000}\u{E000}" { #expect(StoredText.decode(text) == text, "a lone U+E000 is kept") }
    }

    @Test func aTurnFeedbackCommentAndFactWithANULComeBackWholeAfterReopening() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let text = Self.awkward
        let record = TurnRecord(sessionID: "s1", sequence: 1, at: start, customerText: "my note: \(text)", intent: nil,
                                confidence: 0.1, replies: ["You said \(text)"], missed: true)
        let feedback = FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: nil, score: 2, comment: "comment \(text)", at: start)
        let fact = ProfileFact(value: "value \(text)", source: .stated, at: start, consent: true)
        do {
            let store = try SQLiteConversationStore(path: path)
            try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "protocol", startedAt: start))
            try await store.recordTurn(record)
            try await store.recordFeedback(feedback)
            try await store.updateProfile(of: "c-1", [.remember(field: "note", fact), .purchase(reference: "HP-1\u{0}2")])
        }
        let store = try SQLiteConversationStore(path: path)
        #expect(try await store.turns(inSession: "s1") == [record])
        #expect(try await store.feedback(inSession: "s1") == [feedback])
        #expect(try await store.profile(of: "c-1")?.facts["note"] == fact)
        #expect(try await store.profile(of: "c-1")?.purchases == ["HP-1\u{0}2"])
        #expect(try await store.reportFigures(since: nil, until: nil).missed.map(\.text) == [record.customerText],
                "the report reads the missed message whole")
        #expect(try await store.feedback(since: nil, until: nil) == [feedback])
    }

    @Test func redactingAValueKeepsTheRestOfATextWithANUL() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteConversationStore(path: folder.path + "/rapport.sqlite")
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "protocol", startedAt: start))
        try await store.recordTurn(turn("s1", 1, "mail zeb@secret.example\u{0} and \u{E000} after"))
        try await store.recordFeedback(FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: nil, score: 3,
                                                comment: "\u{0}zeb@secret.example\u{0}", at: start))
        #expect(try await store.redact("zeb@secret.example", ofCustomer: "c-1") == 2)
        #expect(try await store.turns(inSession: "s1").first?.customerText == "mail [forgotten]\u{0} and \u{E000} after")
        #expect(try await store.feedback(inSession: "s1").first?.comment == "\u{0}[forgotten]\u{0}")
    }

    @Test func ordinaryTextIsStoredByteForByteAsBefore() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let store = try SQLiteConversationStore(path: path)
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "protocol", startedAt: start))
        try await store.recordTurn(turn("s1", 1, "where is my order? café 🇬🇧\t"))
        let raw = try await DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT customer_text FROM turn") }
        #expect(raw == "where is my order? café 🇬🇧\t", "existing databases and SQL queries see the same text")
    }
}
