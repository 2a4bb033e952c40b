import Dispatch
import Foundation
import Testing
import RapportCore
@testable import RapportStore

/// A fresh temporary folder per test, removed afterwards.
struct TemporaryFolder: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-store-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

let start = Date(timeIntervalSince1970: 1_800_000_000)

func turn(_ session: String, _ sequence: Int, _ text: String, intent: String? = "greet") -> TurnRecord {
    TurnRecord(sessionID: session, sequence: sequence, at: start.addingTimeInterval(Double(sequence)),
               customerText: text, intent: intent, confidence: 0.5, replies: ["Hello!", "How can I help?"])
}

/// The behaviour both stores must share, run against each.
func exerciseStore(_ store: any ConversationStore) async throws {
    try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
    try await store.beginSession(SessionRecord(id: "s2", customerID: "c-2", channel: "console", startedAt: start))
    try await store.recordTurn(turn("s1", 1, "hi"))
    try await store.recordTurn(turn("s1", 2, "where is my order", intent: nil))
    try await store.recordTurn(turn("s2", 1, "hello"))
    try await store.endSession(id: "s1", at: start.addingTimeInterval(60))

    let sessions = try await store.sessions(ofCustomer: "c-1")
    #expect(sessions.map(\.id) == ["s1"])
    #expect(sessions.first?.endedAt == start.addingTimeInterval(60))
    let turns = try await store.turns(inSession: "s1")
    #expect(turns == [turn("s1", 1, "hi"), turn("s1", 2, "where is my order", intent: nil)])
    // One customer's conversation never shows another's.
    #expect(try await store.turns(inSession: "s2").map(\.customerText) == ["hello"])

    #expect(try await store.session(id: "s2")?.customerID == "c-2")
    await #expect(throws: StoreError.sessionExists("s1")) {
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-9", channel: "protocol", startedAt: start))
    }
    #expect(try await store.session(id: "s1")?.customerID == "c-1", "a session is never taken over by another customer")
    #expect(try await store.session(id: "nope") == nil)
    await #expect(throws: StoreError.duplicateTurn(session: "s1", sequence: 2)) { try await store.recordTurn(turn("s1", 2, "overwrite?")) }
    #expect(try await store.turns(inSession: "s1").last?.customerText == "where is my order")
    await #expect(throws: StoreError.unknownSession("nope")) { try await store.recordTurn(turn("nope", 1, "hi")) }
    await #expect(throws: StoreError.unknownSession("nope")) { try await store.endSession(id: "nope", at: start) }
}

@Suite("Conversation stores")
struct StoreTests {
    @Test func theMemoryStoreKeepsSessionsAndTurns() async throws {
        try await exerciseStore(MemoryConversationStore())
    }

    @Test func theSQLiteStoreKeepsSessionsAndTurns() async throws {
        let folder = TemporaryFolder()
        try await exerciseStore(try await SQLiteConversationStore(path: folder.path + "/rapport.sqlite"))
    }

    @Test func conversationsSurviveReopening() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/nested/deeper/rapport.sqlite"
        do {
            let store = try SQLiteConversationStore(path: path)
            try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
            try await store.recordTurn(turn("s1", 1, "hi"))
        }
        let reopened = try SQLiteConversationStore(path: path)
        #expect(try await reopened.turns(inSession: "s1").map(\.customerText) == ["hi"])
    }

    @Test func theDatabaseIsInWALMode() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let store = try SQLiteConversationStore(path: path)
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
        let mode = try await DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func aFileThatIsNotADatabaseIsLeftUntouched() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/notes.sqlite"
        let contents = Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8)
        _ = FileManager.default.createFile(atPath: path, contents: contents)
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteConversationStore(path: path) }
        #expect(FileManager.default.contents(atPath: path) == contents)
    }

    @Test func anotherProgramsSQLiteDatabaseIsLeftUntouched() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/notes.db"
        do {
            let other = try DatabaseQueue(path: path)
            try await other.write { db in
                try db.execute(sql: "CREATE TABLE note (text TEXT)")
                try db.execute(sql: "INSERT INTO note VALUES ('buy milk')")
            }
            try other.close()
        }
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: StoreError.foreignDatabase(path: path)) { try SQLiteConversationStore(path: path) }
        #expect(FileManager.default.contents(atPath: path) == before, "not one byte changed")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "not switched to WAL")
    }

    @Test func anEmptyFileBecomesARapportDatabase() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let store = try SQLiteConversationStore(path: path)
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
        #expect(try await SQLiteConversationStore(path: path).session(id: "s1") != nil, "and it is recognised when reopened")
    }

    @Test func aDatabaseFromANewerRapportIsRefused() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        _ = try SQLiteConversationStore(path: path)
        // Simulate a newer rapport having migrated the file further.
        try await runSQLite(path, "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v99: from the future"])) {
            try SQLiteConversationStore(path: path)
        }
    }

    @Test func anUnwritableFolderIsAClearError() async throws {
        let folder = TemporaryFolder()
        let blocker = folder.path + "/file"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data())
        let path = blocker + "/rapport.sqlite"
        #expect(throws: StoreError.notWritable(path: path, reason: "cannot create the folder \(blocker)")) {
            try SQLiteConversationStore(path: path)
        }
    }

    @Test func aDatabaseInMemoryIsRefusedWithoutMakingAFileOfThatName() async {
        let files = FileManager.default
        let existed = files.fileExists(atPath: ":memory:")
        for path in [":memory:", ""] {
            #expect {
                _ = try SQLiteConversationStore(path: path)
            } throws: { error in
                "\(error)".contains("keeps conversations in a file") && "\(error)".contains("--db /tmp/")
            }
        }
        #expect(files.fileExists(atPath: ":memory:") == existed, "no file named :memory: in the working folder")
    }

    @Test func aFolderInPlaceOfTheFileIsAClearError() async throws {
        let folder = TemporaryFolder()
        #expect(throws: StoreError.cannotOpen(path: folder.path, reason: "it is a folder, not a file")) {
            try SQLiteConversationStore(path: folder.path)
        }
    }

    @Test("default locations follow XDG", arguments: [
        (["HOME": "/home/sam"], "/home/sam/.local/share/rapport/rapport.sqlite", "/home/sam/.local/state/rapport/history"),
        (["HOME": "/home/sam/", "XDG_DATA_HOME": "/data", "XDG_STATE_HOME": "/state"], "/data/rapport/rapport.sqlite", "/state/rapport/history"),
        (["HOME": "/home/sam", "XDG_DATA_HOME": "relative/ignored"], "/home/sam/.local/share/rapport/rapport.sqlite", "/home/sam/.local/state/rapport/history"),
    ])
    func defaultLocations(environment: [String: String], database: String, history: String) {
        let locations = DefaultLocations(environment: environment)
        #expect(locations.database == database)
        #expect(locations.history == history)
    }

    @Test func noHomeMeansNoDefault() async {
        #expect(DefaultLocations(environment: [:]).database == nil)
    }
}

/// Erasure and feedback, run against each store.
func exerciseErasure(_ store: any ConversationStore) async throws {
    try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "protocol", startedAt: start))
    try await store.beginSession(SessionRecord(id: "s2", customerID: "c-1", channel: "protocol", startedAt: start))
    try await store.beginSession(SessionRecord(id: "s3", customerID: "c-2", channel: "protocol", startedAt: start))
    try await store.recordTurn(turn("s1", 1, "my secret address is 12 Secret Lane"))
    try await store.recordTurn(turn("s2", 1, "hi"))
    try await store.recordTurn(turn("s3", 1, "hello from c-2"))
    let feedback = FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: "greet", score: 5, comment: "lovely", at: start)
    try await store.recordFeedback(feedback)
    #expect(try await store.feedback(inSession: "s1") == [feedback])
    await #expect(throws: StoreError.unknownSession("nope")) {
        try await store.recordFeedback(FeedbackRecord(customerID: "c-1", sessionID: "nope", intent: nil, score: 3, comment: nil, at: start))
    }

    #expect(try await store.eraseCustomer("c-1") == ErasureSummary(sessions: 2, turns: 2, feedback: 1))
    #expect(try await store.sessions(ofCustomer: "c-1").isEmpty)
    #expect(try await store.turns(inSession: "s1").isEmpty)
    #expect(try await store.feedback(inSession: "s1").isEmpty)
    // Another customer is untouched.
    #expect(try await store.turns(inSession: "s3").map(\.customerText) == ["hello from c-2"])
    #expect(try await store.eraseCustomer("c-1") == ErasureSummary(sessions: 0, turns: 0, feedback: 0))
}

@Suite("Erasure and feedback")
struct ErasureTests {
    @Test func theMemoryStoreErasesACustomer() async throws {
        try await exerciseErasure(MemoryConversationStore())
    }

    @Test func theSQLiteStoreErasesACustomer() async throws {
        let folder = TemporaryFolder()
        try await exerciseErasure(try await SQLiteConversationStore(path: folder.path + "/rapport.sqlite"))
    }

    @Test func erasedWordsLeaveNoCopyInTheDatabaseFiles() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let store = try SQLiteConversationStore(path: path)
        let marker = "ZEBRA-7731-QUOKKA"
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-erase", channel: "protocol", startedAt: start))
        for sequence in 1...50 {
            try await store.recordTurn(turn("s1", sequence, "turn \(sequence) says \(marker) " + String(repeating: "padding ", count: 40)))
        }
        try await store.recordFeedback(FeedbackRecord(customerID: "c-erase", sessionID: "s1", intent: nil, score: 2, comment: "\(marker) in a comment", at: start))
        var state = DialogueState(random: SplitMix64(seed: 1))
        state.firstMessage = "\(marker) in a saved state"
        try await store.saveState(state, session: "s1")
        try await store.updateProfile(of: "c-erase", [
            .remember(field: "city", ProfileFact(value: "\(marker) town", source: .stated, at: start, consent: true)),
            .decline(field: "email", at: start), .purchase(reference: "HP-\(marker)"),
        ])
        try await store.beginSession(SessionRecord(id: "s2", customerID: "c-keep", channel: "protocol", startedAt: start))
        try await store.recordTurn(turn("s2", 1, "KEEP-THIS-4410"))
        func filesContain(_ text: String) -> Bool {
            [path, path + "-wal", path + "-shm", path + "-journal"].contains { file in
                guard let data = FileManager.default.contents(atPath: file) else { return false }
                return data.range(of: Data(text.utf8)) != nil
            }
        }
        #expect(filesContain(marker), "the marker is on disk before erasure")

        // A reader on an older snapshot keeps the write-ahead log from being
        // cleared: the erasure must say so, not claim success.
        let reader = try DatabaseQueue(path: path)
        let reading = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0), closed = DispatchSemaphore(value: 0)
        Thread {
            _ = try? reader.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turn")
                reading.signal()
                done.wait() // hold the snapshot, as a second rapport serve mid-read would
            }
            closed.signal()
        }.start()
        reading.wait()
        let impatient = try SQLiteConversationStore(path: path, busyTimeout: 0.2)
        await #expect {
            _ = try await impatient.eraseCustomer("c-erase")
        } throws: { error in
            if case .erasureIncomplete = error as? StoreError { return true }
            return false
        }
        done.signal()
        closed.wait()
        try reader.close()

        // Once the reader is done, erasing again clears it (nothing left to delete).
        #expect(try await store.eraseCustomer("c-erase") == ErasureSummary(sessions: 0, turns: 0, feedback: 0))
        #expect(!filesContain(marker), "no copy of erased words in the database, its WAL or its journal")
        #expect(!filesContain("c-erase"), "not even the customer id")
        #expect(try await store.profile(of: "c-erase") == nil)
        #expect(filesContain("KEEP-THIS-4410"), "another customer's data is still there")
    }
}

/// Profiles, run against each store.
func exerciseProfiles(_ store: any ConversationStore) async throws {
    #expect(try await store.profile(of: "c-1") == nil, "a customer never seen has no profile")
    let fact = ProfileFact(value: "Sam", source: .stated, at: start, consent: true)
    let solved = SolvedRequest(intent: "order_status", label: "where your order is", session: "s1", at: start)
    try await store.updateProfile(of: "c-1", [
        .visit(at: start), .trust(.resolvedRequest, delta: 4), .remember(field: "first_name", fact),
        .remember(field: "last_product", ProfileFact(value: "mug", source: .inferred, at: start, consent: false)),
        .decline(field: "phone", at: start), .purchase(reference: "HP-10442"), .stage(.customer), .solved(solved),
        .profiling(on: false),
    ])
    var expected = CustomerProfile(id: "c-1")
    expected.visits = 1
    expected.firstSeen = start
    expected.lastSeen = start
    expected.trust = 4
    expected.facts = ["first_name": fact, "last_product": ProfileFact(value: "mug", source: .inferred, at: start, consent: false)]
    expected.declined = ["phone": start]
    expected.purchases = ["HP-10442"]
    expected.stage = .customer
    expected.lastSolved = solved
    expected.profilingOn = false
    #expect(try await store.profile(of: "c-1") == expected)

    // Changes add up: two conversations of one customer never overwrite each other.
    try await store.updateProfile(of: "c-1", [.trust(.volunteered, delta: 5)])
    try await store.updateProfile(of: "c-1", [.trust(.returnVisit, delta: 6), .forget(field: "first_name", at: start)])
    let later = try await store.profile(of: "c-1")
    #expect(later?.trust == 15)
    #expect(later?.facts["first_name"] == nil)
    #expect(later?.declined["first_name"] == start, "a forgotten field is not asked for again")
    #expect(later?.facts["last_product"] != nil)

    // Another customer is kept apart, and survives the first one's erasure.
    try await store.updateProfile(of: "c-2", [.remember(field: "first_name", ProfileFact(value: "Jo", source: .stated, at: start, consent: true))])
    #expect(try await store.profile(of: "c-2")?.facts["first_name"]?.value == "Jo")
    #expect(try await store.eraseCustomer("c-1").facts == 1)
    #expect(try await store.profile(of: "c-1") == nil)
    #expect(try await store.profile(of: "c-2")?.facts["first_name"]?.value == "Jo")
}

/// Feedback given answer by answer is one record, updated.
func exerciseFeedbackUpdates(_ store: any ConversationStore) async throws {
    try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
    var record = FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: "order_status", score: 4, comment: nil, at: start, ref: "s1#3")
    try await store.recordFeedback(record)
    record.expectation = .above
    record.comment = "quick"
    try await store.recordFeedback(record)
    #expect(try await store.feedback(inSession: "s1") == [record])
}

/// Removing a withdrawn value, run against each store.
func exerciseRedaction(_ store: any ConversationStore) async throws {
    try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
    try await store.beginSession(SessionRecord(id: "s2", customerID: "c-2", channel: "console", startedAt: start))
    try await store.recordTurn(TurnRecord(sessionID: "s1", sequence: 1, at: start, customerText: "my email is zeb@secret.example",
                                    intent: nil, confidence: 0.1, replies: ["I'll remember zeb@secret.example."]))
    try await store.recordTurn(TurnRecord(sessionID: "s2", sequence: 1, at: start, customerText: "zeb@secret.example is my friend's",
                                    intent: nil, confidence: 0.1, replies: ["Noted."]))
    try await store.recordFeedback(FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: nil, score: 4,
                                            comment: "write to zeb@secret.example", at: start))
    #expect(try await store.redact("zeb@secret.example", ofCustomer: "c-1") == 2)
    let turn = try await #require(try await store.turns(inSession: "s1").first)
    #expect(turn.customerText == "my email is [forgotten]")
    #expect(turn.replies == ["I'll remember [forgotten]."])
    #expect(try await store.feedback(inSession: "s1").first?.comment == "write to [forgotten]")
    #expect(try await store.turns(inSession: "s2").first?.customerText == "zeb@secret.example is my friend's", "only that customer's records")
}

@Suite("Customer profiles in the store")
struct ProfileStoreTests {
    @Test func feedbackGivenAnswerByAnswerIsOneRecordInBothStores() async throws {
        try await exerciseFeedbackUpdates(MemoryConversationStore())
        let folder = TemporaryFolder()
        try await exerciseFeedbackUpdates(try await SQLiteConversationStore(path: folder.path + "/rapport.sqlite"))
    }

    @Test func theMemoryStoreRemovesAWithdrawnValue() async throws {
        try await exerciseRedaction(MemoryConversationStore())
    }

    @Test func theSQLiteStoreRemovesAWithdrawnValueWithNoCopyLeft() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        try await exerciseRedaction(try await SQLiteConversationStore(path: path))
        for file in [path, path + "-wal"] {
            let data = FileManager.default.contents(atPath: file) ?? Data()
            let count = data.ranges(of: Data("zeb@secret.example".utf8)).count
            #expect(count <= 1, "only the other customer's message may still hold it (\(file): \(count))")
        }
    }

    @Test func theMemoryStoreKeepsProfiles() async throws {
        try await exerciseProfiles(MemoryConversationStore())
    }

    @Test func theSQLiteStoreKeepsProfiles() async throws {
        let folder = TemporaryFolder()
        try await exerciseProfiles(try await SQLiteConversationStore(path: folder.path + "/rapport.sqlite"))
    }

    @Test func aSavedDialogueStateIsReadBackExactlyAfterReopening() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        var state = DialogueState(random: SplitMix64(seed: 7), profile: CustomerProfile(id: "c-1"))
        state.turns = 3
        // "Did you mean A or B?" asked while a request waits for its order number.
        state.awaiting = .choice(
            PendingClarification(
                message: "returns", options: [IntentCandidate(intent: "a", confidence: 0.4), IntentCandidate(intent: "b", confidence: 0.3)],
                entities: [EntityMatch(entity: "order_number", text: "hp 1", value: "HP-1", start: 0, end: 4)]),
            then: SlotFilling(intent: "order_status", values: ["date": "2026-11-30"], asking: "order_number", attempts: 1))
        state.profile.facts["first_name"] = ProfileFact(value: "Sam", source: .stated, at: start, consent: true)
        do {
            let store = try SQLiteConversationStore(path: path)
            try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
            try await store.saveState(state, session: "s1")
        }
        #expect(try await SQLiteConversationStore(path: path).savedState(session: "s1") == state)
        #expect(try await SQLiteConversationStore(path: path).savedState(session: "nope") == nil)
    }

    @Test func profilesSurviveReopeningAndTwoConnectionsAddUp() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let first = try SQLiteConversationStore(path: path)
        let second = try SQLiteConversationStore(path: path) // as a second rapport serve on the same file
        try await first.updateProfile(of: "c-1", [.trust(.resolvedRequest, delta: 4)])
        try await second.updateProfile(of: "c-1", [.trust(.resolvedRequest, delta: 4)])
        #expect(try await SQLiteConversationStore(path: path).profile(of: "c-1")?.trust == 8)
    }

    @Test func aDatabaseFromBeforeProfilesIsMigratedWithItsConversationsKept() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        do {
            // The file as the previous release left it: sessions, turns, feedback, no profiles.
            let queue = try DatabaseQueue(path: path)
            try SQLiteConversationStore.migrator.migrate(queue, upTo: "v2: feedback")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO session (id, customer_id, channel, started_at) VALUES ('old', 'c-1', 'console', ?)", arguments: [start])
            }
            try queue.close()
        }
        let store = try SQLiteConversationStore(path: path)
        #expect(try await store.session(id: "old")?.customerID == "c-1")
        try await store.updateProfile(of: "c-1", [.visit(at: start)])
        #expect(try await store.profile(of: "c-1")?.visits == 1)
    }
}

/// Runs SQL on a database file with GRDB directly, as another program would.
import GRDB
func runSQLite(_ path: String, _ sql: String) async throws {
    let queue = try DatabaseQueue(path: path)
    try await queue.write { try $0.execute(sql: sql) }
}
