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

@Suite("Conversation stores")
struct StoreTests {
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
        await #expect(try SQLiteConversationStore(path: path).session(id: "s1") != nil, "and it is recognised when reopened")
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

@Suite("Erasure and feedback")
struct ErasureTests {
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

@Suite("Customer profiles in the store")
struct ProfileStoreTests {
    @Test func theSQLiteStoreRemovesAWithdrawnValueWithNoCopyLeft() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let store = try SQLiteConversationStore(path: path)
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
        try await store.beginSession(SessionRecord(id: "s2", customerID: "c-2", channel: "console", startedAt: start))
        try await store.recordTurn(turn("s1", 1, "my email is zeb@secret.example"))
        try await store.recordTurn(turn("s2", 1, "zeb@secret.example is my friend's"))
        #expect(try await store.redact("zeb@secret.example", ofCustomer: "c-1") == 1)
        for file in [path, path + "-wal"] {
            let data = FileManager.default.contents(atPath: file) ?? Data()
            let count = data.ranges(of: Data("zeb@secret.example".utf8)).count
            #expect(count <= 1, "only the other customer's message may still hold it (\(file): \(count))")
        }
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
        await #expect(try SQLiteConversationStore(path: path).savedState(session: "s1") == state)
        await #expect(try SQLiteConversationStore(path: path).savedState(session: "nope") == nil)
    }

    @Test func aSavedStateCarriesItsFormatVersionAndAnotherVersionIsNotRead() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let store = try SQLiteConversationStore(path: path)
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
        var state = DialogueState(random: SplitMix64(seed: 7), profile: CustomerProfile(id: "c-1"))
        state.turns = 2
        try await store.saveState(state, session: "s1")
        let saved = try #require(try await DatabaseQueue(path: path).read { try Data.fetchOne($0, sql: "SELECT state FROM session_state") })
        #expect(DialogueState.formatVersion(of: saved) == DialogueState.formatVersion)

        // A state saved before states had a version has version 1's layout: still read.
        let unversioned = try JSONEncoder().encode(state)
        #expect(DialogueState.formatVersion(of: unversioned) == 0)
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE session_state SET state = ?", arguments: [unversioned]) }
        #expect(try await store.savedState(session: "s1") == state)

        // One written by a newer rapport in a layout this one does not know is
        // not read (the session is rebuilt from its turns instead), and not misread.
        let newer = Data(String(decoding: saved, as: UTF8.self)
            .replacingOccurrences(of: #""format":\#(DialogueState.formatVersion)"#, with: #""format":\#(DialogueState.formatVersion + 1)"#).utf8)
        #expect(DialogueState.formatVersion(of: newer) == DialogueState.formatVersion + 1)
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE session_state SET state = ?", arguments: [newer]) }
        #expect(try await store.savedState(session: "s1") == nil)
    }

    @Test func profilesSurviveReopeningAndTwoConnectionsAddUp() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let first = try SQLiteConversationStore(path: path)
        let second = try SQLiteConversationStore(path: path) // as a second rapport serve on the same file
        try await first.updateProfile(of: "c-1", [.trust(.resolvedRequest, delta: 4)])
        try await second.updateProfile(of: "c-1", [.trust(.resolvedRequest, delta: 4)])
        await #expect(try SQLiteConversationStore(path: path).profile(of: "c-1")?.trust == 8)
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
