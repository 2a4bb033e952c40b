import Foundation
import Testing
import RapportCore
import RapportPostgres
import RapportStore

// The contract every ConversationStore keeps, run against each store: the
// one in memory (unit tests, transcripts) and SQLite (the embedded store).
// A store added later (PostgreSQL) joins by adding a case to StoreKind.

/// The stores the contract runs against. PostgreSQL needs a server: the
/// address of a database on it, whose user may create databases, in
/// `RAPPORT_TEST_DATABASE_URL` (`.ci/run` starts one on loopback and sets it).
/// Without it the PostgreSQL cases are left out, except on CI, where they fail.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// The stores this run tests.
    static var tested: [StoreKind] {
        let environment = ProcessInfo.processInfo.environment
        if environment["RAPPORT_TEST_DATABASE_URL"] != nil || environment["CI"] != nil { return allCases }
        return [.memory, .sqlite]
    }
}

/// A fresh, empty store of a kind, with its files (or its database) removed when it goes.
final class StoreUnderTest: Sendable {
    let store: any ConversationStore
    /// Where the store keeps its files, if it has any.
    let files: [String]
    private let folder: String?
    /// The PostgreSQL server and the database made for this test.
    private let server: DatabaseURL?

    init(_ kind: StoreKind) async throws {
        switch kind {
        case .memory:
            store = MemoryConversationStore()
            (folder, files, server) = (nil, [], nil)
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-contract-\(UUID().uuidString)").path
            let path = folder + "/rapport.sqlite"
            store = try SQLiteConversationStore(path: path)
            (self.folder, files, server) = (folder, [path, path + "-wal", path + "-shm", path + "-journal"], nil)
        case .postgres:
            guard let address = ProcessInfo.processInfo.environment["RAPPORT_TEST_DATABASE_URL"] else {
                throw StoreError.cannotOpen(path: "RAPPORT_TEST_DATABASE_URL", reason: "not set: CI must run the PostgreSQL contract tests (.ci/run starts a server)")
            }
            let admin = try DatabaseURL(address)
            let name = "rapport_contract_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await admin.execute("CREATE DATABASE \(name)")
            store = try await PostgresConversationStore(url: admin.with(database: name).text)
            (folder, files, server) = (nil, [], admin)
            database = name
            return
        }
        database = nil
    }

    private let database: String?

    deinit {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
        if let server, let database {
            // The pool lets go of its connections once the store is gone; dropping waits for none (FORCE).
            Task.detached { try? await server.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
        }
    }

    /// A second store on the same data, as a second rapport process (another
    /// host) opens it: the same store for the one in memory.
    func another() async throws -> any ConversationStore {
        if let path = files.first { return try SQLiteConversationStore(path: path) }
        if let server, let database { return try await PostgresConversationStore(url: server.with(database: database).text) }
        return store
    }

    /// Whether any of the store's files holds the text, byte for byte.
    func filesContain(_ text: String) -> Bool {
        files.contains { file in
            FileManager.default.contents(atPath: file)?.range(of: Data(text.utf8)) != nil
        }
    }
}

let start = Date(timeIntervalSince1970: 1_800_000_000)

func turn(_ session: String, _ sequence: Int, _ text: String, intent: String? = "greet") -> TurnRecord {
    TurnRecord(sessionID: session, sequence: sequence, at: start.addingTimeInterval(Double(sequence)),
               customerText: text, intent: intent, confidence: 0.5, replies: ["Hello!", "How can I help?"])
}

func session(_ id: String, of customer: String) -> SessionRecord {
    SessionRecord(id: id, customerID: customer, channel: "protocol", startedAt: start)
}

/// The behaviour both stores must share, run against each.
@Test("sessions and turns are kept, apart per customer, never overwritten", arguments: StoreKind.tested)
func keepsSessionsAndTurns(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
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

/// Erasure and feedback, run against each store.
@Test("erasing a customer removes their sessions, turns and feedback, and no one else's", arguments: StoreKind.tested)
func erasesACustomer(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
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

/// Profiles, run against each store.
@Test("profiles are kept, and changes from two conversations add up", arguments: StoreKind.tested)
func keepsProfiles(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
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

    // A store writes only what changed: a changed fact, a declined field asked again, one purchase more, each alone.
    let scarf = ProfileFact(value: "scarf", source: .inferred, at: start.addingTimeInterval(60), consent: false)
    try await store.updateProfile(of: "c-1", [.remember(field: "last_product", scarf)])
    try await store.updateProfile(of: "c-1", [.decline(field: "phone", at: start.addingTimeInterval(120))])
    try await store.updateProfile(of: "c-1", [.purchase(reference: "HP-10588")])
    var changed = try #require(later)
    changed.facts["last_product"] = scarf
    changed.declined["phone"] = start.addingTimeInterval(120)
    changed.purchases.insert("HP-10588")
    #expect(try await store.profile(of: "c-1") == changed)

    // Another customer is kept apart, and survives the first one's erasure.
    try await store.updateProfile(of: "c-2", [.remember(field: "first_name", ProfileFact(value: "Jo", source: .stated, at: start, consent: true))])
    #expect(try await store.profile(of: "c-2")?.facts["first_name"]?.value == "Jo")
    #expect(try await store.eraseCustomer("c-1").facts == 1)
    #expect(try await store.profile(of: "c-1") == nil)
    #expect(try await store.profile(of: "c-2")?.facts["first_name"]?.value == "Jo")
}

/// Feedback given answer by answer is one record, updated.
@Test("feedback given answer by answer is one record, updated", arguments: StoreKind.tested)
func updatesFeedbackGivenAnswerByAnswer(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
    var record = FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: "order_status", score: 4, comment: nil, at: start, ref: "s1#3")
    try await store.recordFeedback(record)
    record.expectation = .above
    record.comment = "quick"
    try await store.recordFeedback(record)
    #expect(try await store.feedback(inSession: "s1") == [record])
}

/// Removing a withdrawn value, run against each store.
@Test("a withdrawn value is replaced in that customer's records only", arguments: StoreKind.tested)
func removesAWithdrawnValue(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
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


// MARK: - one turn, one transaction

@Test("a commit keeps the turn, feedback, profile changes, handoff, end and state together", arguments: StoreKind.tested)
func aCommitKeepsEveryPartTogether(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    try await store.beginSession(session("s1", of: "c-1"))
    let feedback = FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: "greet", score: 2, comment: "slow", at: start)
    var state = DialogueState(random: SplitMix64(seed: 3), profile: CustomerProfile(id: "c-1"))
    state.turns = 1
    let receipt = try await store.commit(TurnCommit(session: "s1", effects: [
        .recordTurn(turn("s1", 1, "I want a person")), .recordFeedback(feedback),
        .updateProfile(customer: "c-1", changes: [.trust(.badFeedback, delta: -2), .visit(at: start)]),
        .handoff(HandoffSummary(reason: .customerRequest, at: start.addingTimeInterval(5))),
        .endSession(at: start.addingTimeInterval(9)),
    ], state: state))
    #expect(receipt == CommitReceipt())
    #expect(try await store.turns(inSession: "s1").map(\.customerText) == ["I want a person"])
    #expect(try await store.feedback(inSession: "s1") == [feedback])
    #expect(try await store.profile(of: "c-1")?.visits == 1)
    let stored = try await store.session(id: "s1")
    #expect(stored?.handedOffAt == start.addingTimeInterval(5))
    #expect(stored?.handoffReason == "customer_request")
    #expect(stored?.endedAt == start.addingTimeInterval(9))
    #expect(try await store.savedState(session: "s1") == state)
}

@Test("a turn that fails part-way leaves nothing of itself behind", arguments: StoreKind.tested)
func aTurnIsStoredWholeOrNotAtAll(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    try await store.beginSession(session("s1", of: "c-1"))
    var before = DialogueState(random: SplitMix64(seed: 1), profile: CustomerProfile(id: "c-1"))
    before.turns = 1
    try await store.commit(TurnCommit(session: "s1", effects: [
        .recordTurn(turn("s1", 1, "hi")), .updateProfile(customer: "c-1", changes: [.visit(at: start)]),
    ], state: before))
    var after = before
    after.turns = 2
    // The feedback names a session that is not there: the last write fails, after the others ran.
    await #expect(throws: StoreError.unknownSession("gone")) {
        try await store.commit(TurnCommit(session: "s1", effects: [
            .recordTurn(turn("s1", 2, "where is my order")),
            .updateProfile(customer: "c-1", changes: [.trust(.resolvedRequest, delta: 5), .visit(at: start)]),
            .recordFeedback(FeedbackRecord(customerID: "c-1", sessionID: "gone", intent: nil, score: 5, comment: nil, at: start)),
        ], state: after))
    }
    #expect(try await store.turns(inSession: "s1").map(\.sequence) == [1], "the turn was not kept")
    #expect(try await store.profile(of: "c-1")?.visits == 1, "nor the profile changes")
    #expect(try await store.profile(of: "c-1")?.trust == 0)
    #expect(try await store.savedState(session: "s1") == before, "nor the state")

    // A turn number already stored undoes the profile change written before it.
    await #expect(throws: StoreError.duplicateTurn(session: "s1", sequence: 1)) {
        try await store.commit(TurnCommit(session: "s1", effects: [
            .updateProfile(customer: "c-1", changes: [.trust(.resolvedRequest, delta: 5)]), .recordTurn(turn("s1", 1, "again")),
        ], state: after))
    }
    #expect(try await store.profile(of: "c-1")?.trust == 0)
    #expect(try await store.savedState(session: "s1") == before)
}

@Test("a commit that erases the customer saves no state and says what it removed", arguments: StoreKind.tested)
func aCommitThatErasesSavesNoState(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    try await store.beginSession(session("s1", of: "c-1"))
    try await store.recordTurn(turn("s1", 1, "my name is ZEBRA-4431"))
    try await store.updateProfile(of: "c-1", [.remember(field: "first_name", ProfileFact(value: "ZEBRA-4431", source: .stated, at: start, consent: true))])
    let receipt = try await store.commit(TurnCommit(session: "s1", effects: [
        .recordTurn(turn("s1", 2, "delete all my data")), .eraseCustomer("c-1"),
    ], state: DialogueState(random: SplitMix64(seed: 1), profile: CustomerProfile(id: "c-1"))))
    #expect(receipt.erased == ErasureSummary(sessions: 1, turns: 2, feedback: 0, facts: 1))
    #expect(try await store.session(id: "s1") == nil)
    #expect(try await store.savedState(session: "s1") == nil)
    #expect(try await store.profile(of: "c-1") == nil)
    #expect(!subject.filesContain("ZEBRA-4431"), "no copy left in the store's files")
}

@Test("profile changes from many concurrent commits all add up", arguments: StoreKind.tested)
func concurrentProfileChangesAddUp(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    for id in ["s1", "s2", "s3", "s4"] { try await store.beginSession(session(id, of: "c-1")) }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for id in ["s1", "s2", "s3", "s4"] {
            group.addTask {
                for sequence in 1...25 {
                    try await store.commit(TurnCommit(session: id, effects: [
                        .recordTurn(turn(id, sequence, "thanks")), .updateProfile(customer: "c-1", changes: [.trust(.resolvedRequest, delta: 1)]),
                    ]))
                }
            }
        }
        try await group.waitForAll()
    }
    #expect(try await store.profile(of: "c-1")?.trust == 100, "no change lost to another session's")
    for id in ["s1", "s2", "s3", "s4"] {
        #expect(try await store.turns(inSession: id).map(\.sequence) == Array(1...25))
    }
}

/// Commits that arrive together may be written together (SQLite's group
/// commit: one transaction, one sync): each is still stored or refused on its
/// own, and each caller hears its own outcome.
@Test("commits arriving together are each stored or refused on their own", arguments: StoreKind.tested)
func commitsArrivingTogetherKeepTheirOwnOutcomes(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    let sessions = (0..<60).map { "s\($0)" }
    for (index, id) in sessions.enumerated() {
        try await store.beginSession(session(id, of: "c-\(index)"))
        try await store.recordTurn(turn(id, 1, "hi"))
    }
    // Every fifth commit is refused: every tenth gives a turn number already stored, the others
    // feedback for a session that is not there (its last write fails, after its others ran).
    func refused(_ index: Int) -> Bool { index % 5 == 0 }
    let outcomes = await withTaskGroup(of: (Int, StoreError?).self) { group in
        for (index, id) in sessions.enumerated() {
            group.addTask {
                var effects: [ConversationEffect] = [
                    .updateProfile(customer: "c-\(index)", changes: [.trust(.resolvedRequest, delta: 3)]),
                    .recordTurn(turn(id, index % 10 == 0 ? 1 : 2, "where is my order")),
                    .recordFeedback(FeedbackRecord(customerID: "c-\(index)", sessionID: id, intent: nil, score: 4, comment: "good \(index)", at: start)),
                ]
                if refused(index), index % 10 != 0 {
                    effects.append(.recordFeedback(FeedbackRecord(customerID: "c-\(index)", sessionID: "gone", intent: nil, score: 1, comment: nil, at: start)))
                }
                do throws(StoreError) {
                    try await store.commit(TurnCommit(session: id, effects: effects))
                    return (index, nil)
                } catch {
                    return (index, error)
                }
            }
        }
        var found: [Int: StoreError?] = [:]
        for await (index, error) in group { found[index] = error }
        return found
    }
    for (index, id) in sessions.enumerated() {
        let error: StoreError? = outcomes[index].flatMap { $0 }
        if refused(index) {
            #expect(error == (index % 10 == 0 ? StoreError.duplicateTurn(session: id, sequence: 1) : StoreError.unknownSession("gone")),
                    "commit \(index) hears why it was refused")
            #expect(try await store.turns(inSession: id).map(\.customerText) == ["hi"], "nothing of refused commit \(index) is kept")
            #expect(try await store.profile(of: "c-\(index)")?.trust ?? 0 == 0)
        } else {
            #expect(error == nil, "commit \(index) is stored")
            #expect(try await store.turns(inSession: id).map(\.sequence) == [1, 2])
            #expect(try await store.profile(of: "c-\(index)")?.trust == 3)
        }
    }
    let comments = try await store.feedback(since: nil, until: nil).compactMap(\.comment).sorted()
    #expect(comments == sessions.indices.filter { !refused($0) }.map { "good \($0)" }.sorted())
}

@Test("two processes serving one customer at once lose none of each other's changes", arguments: StoreKind.tested)
func twoProcessesLoseNoChanges(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let hosts = [subject.store, try await subject.another()]
    try await hosts[0].beginSession(session("a", of: "c-1"))
    try await hosts[1].beginSession(session("b", of: "c-1"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, store) in hosts.enumerated() {
            let id = index == 0 ? "a" : "b"
            group.addTask {
                for sequence in 1...30 {
                    try await store.commit(TurnCommit(session: id, effects: [
                        .recordTurn(turn(id, sequence, "thanks")),
                        .updateProfile(customer: "c-1", changes: [
                            .trust(.resolvedRequest, delta: 1), .purchase(reference: "HP-\(id)-\(sequence)"),
                        ]),
                    ]))
                }
            }
        }
        try await group.waitForAll()
    }
    let profile = try await hosts[1].profile(of: "c-1")
    #expect(profile?.trust == 60, "every change of both hosts counted")
    #expect(profile?.purchases.count == 60)
    // The same turn number from both hosts: the second is refused, never written over the first.
    try await hosts[0].recordTurn(turn("a", 31, "first"))
    await #expect(throws: StoreError.duplicateTurn(session: "a", sequence: 31)) { try await hosts[1].recordTurn(turn("a", 31, "second")) }
    #expect(try await hosts[1].turns(inSession: "a").last?.customerText == "first")
}

@Test("text with NUL and other control characters comes back whole", arguments: StoreKind.tested)
func awkwardTextComesBackWhole(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    let text = "abc\u{0}def \u{E000} \u{1}\u{7}\u{1B}[31m\u{7F}\t\r\n café 🇬🇧 end\u{0}"
    try await store.beginSession(session("s1", of: "c-1"))
    let record = TurnRecord(sessionID: "s1", sequence: 1, at: start, customerText: "note: \(text)", intent: nil,
                            confidence: 0.1, replies: ["You said \(text)"], missed: true)
    let feedback = FeedbackRecord(customerID: "c-1", sessionID: "s1", intent: nil, score: 2, comment: "comment \(text)", at: start)
    let fact = ProfileFact(value: "value \(text)", source: .stated, at: start, consent: true)
    try await store.commit(TurnCommit(session: "s1", effects: [
        .recordTurn(record), .recordFeedback(feedback), .updateProfile(customer: "c-1", changes: [.remember(field: "note", fact)]),
    ]))
    #expect(try await store.turns(inSession: "s1") == [record])
    #expect(try await store.feedback(inSession: "s1") == [feedback])
    #expect(try await store.profile(of: "c-1")?.facts["note"] == fact)
}

@Test("a state is saved, replaced by the next, and read back exactly", arguments: StoreKind.tested)
func statesAreReplacedAndReadBack(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    try await store.beginSession(session("s1", of: "c-1"))
    var state = DialogueState(random: SplitMix64(seed: 9), profile: CustomerProfile(id: "c-1"))
    state.turns = 4
    state.firstMessage = "where is my order"
    try await store.saveState(state, session: "s1")
    state.turns = 5
    try await store.saveState(state, session: "s1")
    #expect(try await store.savedState(session: "s1") == state)
    #expect(try await store.savedState(session: "s2") == nil)
    await #expect(throws: StoreError.unknownSession("s2")) { try await store.saveState(state, session: "s2") }
}

// MARK: - the report's figures

@Test("the report's figures added up by the store are those of its records", arguments: StoreKind.tested)
func reportFiguresMatchTheRecords(_ kind: StoreKind) async throws {
    let subject = try await StoreUnderTest(kind)
    let store = subject.store
    let day: TimeInterval = 86_400
    var sessions: [SessionRecord] = [], turns: [TurnRecord] = [], feedback: [FeedbackRecord] = []
    let texts = ["quantum flux", "where is my order", "Quantum  flux!", "quantum flux", "hi", "blorp"]
    for index in 0..<12 {
        let customer = index % 4 == 0 ? CustomerProfile.anonymousPrefix + "s\(index)" : "c-\(index % 3)"
        var record = SessionRecord(id: "s\(index)", customerID: customer, channel: "protocol", startedAt: start.addingTimeInterval(Double(index) * day / 3))
        try await store.beginSession(record)
        var effects: [ConversationEffect] = []
        for sequence in 1...(1 + index % 3) {
            let text = texts[(index + sequence) % texts.count]
            let missed = text.lowercased().contains("flux") || text == "blorp"
            let turn = TurnRecord(sessionID: record.id, sequence: sequence, at: record.startedAt.addingTimeInterval(Double(sequence) * 60),
                                  customerText: text, intent: missed ? nil : (sequence % 2 == 0 ? "order_status" : "greet"),
                                  confidence: 0.4, replies: ["ok"], missed: missed)
            turns.append(turn)
            effects.append(.recordTurn(turn))
        }
        if index % 3 == 1 {
            let at = record.startedAt.addingTimeInterval(600)
            effects.append(.handoff(HandoffSummary(reason: index % 2 == 0 ? .customerRequest : .repeatedMisses, at: at)))
            record.handedOffAt = at
            record.handoffReason = index % 2 == 0 ? "customer_request" : "repeated_misses"
        }
        if index % 2 == 0 {
            let rating = FeedbackRecord(
                customerID: customer, sessionID: record.id, intent: index % 4 == 0 ? nil : "order_status", score: 1 + index % 5,
                comment: nil, at: record.startedAt.addingTimeInterval(900),
                expectation: [nil, .below, .met, .above][index % 4], recommend: index % 6 == 0 ? nil : index - 1)
            feedback.append(rating)
            effects.append(.recordFeedback(rating))
        }
        effects.append(.updateProfile(customer: customer, changes: [.visit(at: record.startedAt), .stage(index % 5 == 0 ? .customer : .prospect)]))
        try await store.commit(TurnCommit(session: record.id, effects: effects))
        sessions.append(record)
    }
    var customers: [String: CustomerProfile] = [:]
    for session in sessions { customers[session.customerID] = try await store.profile(of: session.customerID) }

    for (since, until) in [(nil, nil), (start.addingTimeInterval(day), nil), (nil, start.addingTimeInterval(2 * day)),
                           (start.addingTimeInterval(day / 3), start.addingTimeInterval(3 * day))] as [(Date?, Date?)] {
        func inPeriod(_ date: Date) -> Bool { (since.map { date >= $0 } ?? true) && (until.map { date < $0 } ?? true) }
        let expected = ReportFigures(
            sessions: sessions.filter { inPeriod($0.startedAt) }, turns: turns.filter { inPeriod($0.at) },
            feedback: feedback.filter { inPeriod($0.at) }, customers: Array(customers.values))
        let figures = try await store.reportFigures(since: since, until: until)
        #expect(figures == expected, "from \(String(describing: since)) to \(String(describing: until))")
        #expect(try await store.feedback(since: since, until: until) == feedback.filter { inPeriod($0.at) }.sorted { $0.at < $1.at })
    }
    let all = try await store.reportFigures(since: nil, until: nil)
    #expect(all.conversations == 12 && all.customerMessages == turns.count && all.missedMessages > 0 && all.handoffs.count == 2)
    #expect(all.ladder.values.reduce(0, +) == 3, "the three named customers; anonymous ones are not on the ladder")
}
