import Foundation
import GRDB
import RapportCore

/// The embedded store: one SQLite file in WAL mode, through GRDB, with
/// versioned migrations. Opening never overwrites a file it does not recognise.
public final class SQLiteConversationStore: ConversationStore {
    public let path: String
    private let database: DatabasePool
    /// Turns committed while the writer is busy, written together next (group commit).
    private let batches: CommitBatches<PreparedCommit, CommitReceipt>
    /// Marks a file as rapport's (`PRAGMA application_id`, "RPRT"), so another
    /// program's database is recognised and left alone.
    static let applicationID = 1_380_995_668

    /// Opens (creating if needed) the database at `path`, creating its folder,
    /// and brings its schema up to date.
    /// - Parameter busyTimeout: how long to wait for another connection's lock.
    public init(path: String, busyTimeout: TimeInterval = 5) throws(StoreError) {
        self.path = path
        // SQLite's names for a database in memory: the store needs a file (it
        // keeps a write-ahead log, and what was acknowledged must survive a
        // crash), so it says so rather than make a file of that name.
        if path == ":memory:" || path.isEmpty {
            throw .cannotOpen(path: path, reason: "rapport keeps conversations in a file, so that what it acknowledged survives a crash; for a throwaway run, give a path in a temporary folder, like --db /tmp/rapport-test.db")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .notWritable(path: path, reason: "cannot create the folder \(folder)")
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .cannotOpen(path: path, reason: "it is a folder, not a file")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        var opened: DatabasePool?
        configuration.label = "rapport"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Customers' words are personal data: overwrite deleted content
            // rather than leave it in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Acknowledged feedback must survive a power cut, not just a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        DatabaseFile.removeStaleTemporaries(beside: path)
        if !FileManager.default.fileExists(atPath: path) {
            try DatabaseFile.create(at: path, configuration: configuration, migrator: Self.migrator)
        }
        try Self.refuseForeignDatabase(at: path, busyTimeout: busyTimeout)
        do {
            let database = try DatabasePool(path: path, configuration: configuration)
            opened = database
            // GRDB sets synchronous = NORMAL on the writer when it switches to
            // WAL, after prepareDatabase: a commit would then survive kill -9
            // but not a power cut. Set it back.
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let migrator = Self.migrator
            let unknown = try database.read { db in
                try migrator.hasBeenSuperseded(db)
                    ? try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted() : []
            }
            if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
            try migrator.migrate(database)
        } catch {
            throw Self.openingFailure(error, path: path)
        }
        guard let opened else { throw .cannotOpen(path: path, reason: "the database did not open") }
        database = opened
        batches = CommitBatches { [opened] commits in await Self.write(commits, together: opened) }
    }

    /// Looks at an existing file before anything can write to it (opening the
    /// pool would switch it to WAL): a database with tables but without
    /// rapport's application id is another program's, unless it is one an older
    /// rapport left half-created (see `DatabaseFileKind`).
    private static func refuseForeignDatabase(at path: String, busyTimeout: TimeInterval) throws(StoreError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 || FileManager.default.fileExists(atPath: path + "-journal") else { return }
        do {
            if try DatabaseFile.kind(at: path, busyTimeout: busyTimeout) == .foreign { throw StoreError.foreignDatabase(path: path) }
        } catch {
            throw openingFailure(error, path: path)
        }
    }

    /// What went wrong opening or creating the database at `path`, as the
    /// `StoreError` users read: a store error as it is, SQLite's by its code.
    static func openingFailure(_ error: any Error, path: String) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as DatabaseError: openingError(error, path: path)
        default: .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    static func openingError(_ error: DatabaseError, path: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notADatabase(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .notWritable(path: path, reason: error.message ?? "permission denied")
        default:
            return .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sessions and turns") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)
                t.column("customer_id", .text).notNull().indexed()
                t.column("channel", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("ended_at", .datetime)
            }
            try db.create(table: "turn") { t in
                t.column("session_id", .text).notNull().references("session", onDelete: .cascade)
                t.column("sequence", .integer).notNull()
                t.column("at", .datetime).notNull()
                t.column("customer_text", .text).notNull()
                t.column("intent", .text)
                t.column("confidence", .double).notNull()
                t.column("replies", .text).notNull() // JSON array of strings
                t.primaryKey(["session_id", "sequence"])
            }
        }
        migrator.registerMigration("v2: feedback") { db in
            try db.create(table: "feedback") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("customer_id", .text).notNull().indexed()
                t.column("session_id", .text).notNull().references("session", onDelete: .cascade)
                t.column("intent", .text)
                t.column("score", .integer).notNull().check { $0 >= 1 && $0 <= 5 }
                t.column("comment", .text)
                t.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3: customer profiles") { db in
            try db.create(table: "customer") { t in
                t.primaryKey("id", .text)
                t.column("trust", .double).notNull().defaults(to: 0)
                t.column("stage", .text).notNull()
                t.column("profiling_on", .boolean).notNull().defaults(to: true)
                t.column("visits", .integer).notNull().defaults(to: 0)
                t.column("first_seen", .datetime)
                t.column("last_seen", .datetime)
                t.column("recommended", .boolean).notNull().defaults(to: false)
                t.column("last_solved_intent", .text)
                t.column("last_solved_label", .text)
                t.column("last_solved_session", .text)
                t.column("last_solved_at", .datetime)
            }
            try db.create(table: "profile_fact") { t in
                t.column("customer_id", .text).notNull().references("customer", onDelete: .cascade)
                t.column("field", .text).notNull()
                t.column("value", .text).notNull()
                t.column("source", .text).notNull().check { ["stated", "inferred"].contains($0) }
                t.column("at", .datetime).notNull()
                t.column("consent", .boolean).notNull()
                t.primaryKey(["customer_id", "field"])
            }
            try db.create(table: "profile_decline") { t in
                t.column("customer_id", .text).notNull().references("customer", onDelete: .cascade)
                t.column("field", .text).notNull()
                t.column("at", .datetime).notNull()
                t.primaryKey(["customer_id", "field"])
            }
            try db.create(table: "purchase") { t in
                t.column("customer_id", .text).notNull().references("customer", onDelete: .cascade)
                t.column("reference", .text).notNull()
                t.primaryKey(["customer_id", "reference"])
            }
        }
        migrator.registerMigration("v4: expectations and recommendation") { db in
            try db.alter(table: "feedback") { t in
                t.add(column: "expectation", .text).check { $0 == nil || ["below", "met", "above"].contains($0) }
                t.add(column: "recommend", .integer).check { $0 == nil || ($0 >= 0 && $0 <= 10) }
            }
            try db.alter(table: "customer") { t in
                t.add(column: "last_asked_to_recommend", .datetime)
            }
        }
        migrator.registerMigration("v5: saved dialogue states") { db in
            try db.create(table: "session_state") { t in
                t.primaryKey("session_id", .text).references("session", onDelete: .cascade)
                t.column("state", .blob).notNull() // JSON of DialogueState
                t.column("saved_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v6: handoffs and misses") { db in
            try db.alter(table: "session") { t in
                t.add(column: "handed_off_at", .datetime)
                t.add(column: "handoff_reason", .text)
            }
            try db.alter(table: "turn") { t in
                t.add(column: "missed", .boolean).notNull().defaults(to: false)
            }
            // Older turns are not counted as misses: a turn without an intent
            // was also an answer to one of the bot's own questions.
        }
        migrator.registerMigration("v7: feedback built answer by answer") { db in
            try db.alter(table: "feedback") { t in t.add(column: "ref", .text) }
            try db.create(index: "feedback_ref", on: "feedback", columns: ["ref"], unique: true)
        }
        return migrator
    }

    /// `PRAGMA synchronous` of the connection that writes (2 is FULL), for tests.
    func writerSynchronousLevel() throws -> Int? {
        try database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    public func reportFigures(since: Date?, until: Date?) async throws(StoreError) -> ReportFigures {
        let period: StatementArguments = [since ?? .distantPast, until ?? .distantFuture]
        return try await read("add up the figures for the report") { db in
            var figures = ReportFigures()
            let sessions = "FROM session WHERE started_at >= ? AND started_at < ?"
            if let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(handed_off_at IS NULL), 0) \(sessions)", arguments: period) {
                (figures.conversations, figures.contained) = (row[0], row[1])
            }
            for row in try Row.fetchAll(db, sql: "SELECT handoff_reason, COUNT(*) \(sessions) AND handoff_reason IS NOT NULL GROUP BY 1", arguments: period) {
                figures.handoffs[row[0]] = row[1]
            }
            let turns = "FROM turn WHERE at >= ? AND at < ?"
            if let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(missed), 0) \(turns)", arguments: period) {
                (figures.customerMessages, figures.missedMessages) = (row[0], row[1])
            }
            for row in try Row.fetchAll(db, sql: "SELECT intent, COUNT(*) \(turns) AND intent IS NOT NULL GROUP BY 1", arguments: period) {
                figures.answered[row[0]] = row[1]
            }
            // The messages not understood, grouped by their text, each with the
            // place of its first time among all the period's turns.
            figures.missed = try Row.fetchAll(db, sql: """
                SELECT customer_text, COUNT(*), MIN(position) FROM (
                    SELECT customer_text, missed, ROW_NUMBER() OVER (ORDER BY at, session_id, sequence) - 1 AS position \(turns)
                ) WHERE missed GROUP BY customer_text ORDER BY 3
                """, arguments: period
            ).map { ReportFigures.Missed(text: StoredText.decode($0[0] as String), count: $0[1], first: $0[2]) }
            let feedback = "FROM feedback WHERE at >= ? AND at < ?"
            if let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(score >= 4), 0), COALESCE(SUM(score), 0),
                       COALESCE(SUM(recommend >= 9), 0), COALESCE(SUM(recommend BETWEEN 7 AND 8), 0), COALESCE(SUM(recommend <= 6), 0)
                \(feedback)
                """, arguments: period) {
                (figures.feedback, figures.satisfied, figures.scoreTotal) = (row[0], row[1], row[2])
                (figures.promoters, figures.passives, figures.detractors) = (row[3], row[4], row[5])
            }
            for row in try Row.fetchAll(db, sql: "SELECT intent, COUNT(*), SUM(score >= 4) \(feedback) AND intent IS NOT NULL GROUP BY 1", arguments: period) {
                figures.rated[row[0]] = ReportFigures.Ratings(count: row[1], satisfied: row[2])
            }
            for row in try Row.fetchAll(db, sql: "SELECT expectation, COUNT(*) \(feedback) AND expectation IS NOT NULL GROUP BY 1", arguments: period) {
                if let expectation = AgainstExpectations(rawValue: row[0]) { figures.expectations[expectation, default: 0] += row[1] as Int }
            }
            // Customers known by name, at each stage; one never placed is a suspect, as when a profile is read.
            let prefix = CustomerProfile.anonymousPrefix
            for row in try Row.fetchAll(db, sql: "SELECT stage, COUNT(*) FROM customer WHERE substr(id, 1, ?) != ? GROUP BY 1",
                                        arguments: [prefix.utf8.count, prefix]) {
                figures.ladder[LoyaltyStage(rawValue: row[0]) ?? .suspect, default: 0] += row[1] as Int
            }
            return figures
        }
    }

    public func feedback(since: Date?, until: Date?) async throws(StoreError) -> [FeedbackRecord] {
        try await read("read feedback") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feedback WHERE at >= ? AND at < ? ORDER BY at, id",
                             arguments: [since ?? .distantPast, until ?? .distantFuture])
                .map(Self.feedback(from:))
        }
    }

    public func savedState(session: String) async throws(StoreError) -> DialogueState? {
        try await read("read the dialogue state") { db in
            try Data.fetchOne(db, sql: "SELECT state FROM session_state WHERE session_id = ?", arguments: [session])
                .flatMap(DialogueState.decoded(from:))
        }
    }

    public func profile(of customerID: String) async throws(StoreError) -> CustomerProfile? {
        try await read("read a profile") { db in try Self.profile(customerID, in: db) }
    }

    // MARK: - one turn, one transaction

    /// GRDB's write is a committed transaction when it returns; with WAL and
    /// synchronous=FULL that commit survives a crash or kill -9.
    public func commit(_ turn: TurnCommit) async throws(StoreError) -> CommitReceipt {
        // Encoded before the transaction, so the writer holds its lock only for SQL.
        let prepared = try PreparedCommit(turn)
        guard prepared.removesContent else { return try await batches.commit(prepared).get() }
        // Removing content is written alone: the checkpoint after it must follow its own commit.
        let receipt = try await write("store a turn") { db in try Self.apply(prepared, in: db) }
        // secure_delete zeroed the freed content in the pages; the WAL still
        // holds the pages as they were before, so fold it into the database
        // and truncate it. A reader on an older snapshot blocks that (SQLITE_BUSY
        // after the busy timeout): then say so, rather than claim the erasure.
        try await checkpointAfterRemoving()
        return receipt
    }

    /// Writes commits that waited together (`CommitBatches`): one transaction,
    /// each commit in a savepoint of its own, so one refused (a turn number
    /// already stored) is undone alone. A failure that ends the transaction
    /// itself (a full disk, an I/O error) loses the batch: then each commit is
    /// tried again in a transaction of its own, so each caller hears its own outcome.
    private static func write(_ commits: [PreparedCommit], together database: DatabasePool) async -> [Result<CommitReceipt, StoreError>] {
        @Sendable func failure(_ error: any Error) -> StoreError { storeError(error, in: "store a turn") }
        if commits.count > 1 {
            struct TransactionLost: Error {}
            do {
                return try await database.write { db in
                    try commits.map { prepared -> Result<CommitReceipt, StoreError> in
                        do {
                            var receipt = CommitReceipt()
                            try db.inSavepoint {
                                receipt = try apply(prepared, in: db)
                                return .commit
                            }
                            return .success(receipt)
                        } catch {
                            // SQLite refused a statement and kept the transaction: this commit alone is undone.
                            guard db.isInsideTransaction else { throw TransactionLost() }
                            return .failure(failure(error))
                        }
                    }
                }
            } catch {
                // Nothing of the batch is stored: one at a time below.
            }
        }
        var outcomes: [Result<CommitReceipt, StoreError>] = []
        for prepared in commits {
            do {
                outcomes.append(.success(try await database.write { db in try apply(prepared, in: db) }))
            } catch {
                outcomes.append(.failure(failure(error)))
            }
        }
        return outcomes
    }

    /// The commit's writes, in order, inside the caller's transaction. A
    /// failure names the part that failed; the transaction then rolls back.
    private static func apply(_ prepared: PreparedCommit, in db: Database) throws -> CommitReceipt {
        let session = prepared.turn.session
        var receipt = CommitReceipt()
        func step(_ operation: String, _ body: () throws -> Void) throws {
            do {
                try body()
            } catch {
                throw storeError(error, in: operation)
            }
        }
        for effect in prepared.turn.effects {
            switch effect {
            case .recordTurn(let turn):
                try step("record a turn") { try insert(turn, replies: prepared.replies[turn.sequence] ?? "[]", in: db) }
            case .recordFeedback(let feedback):
                try step("record feedback") { try insert(feedback, in: db) }
            case .endSession(let at):
                try step("end a session") { try end(session, at: at, in: db) }
            case .closeEarlierSession(let earlier, let at):
                try step("end a session") { try end(earlier, at: at, in: db) }
            case .reopenSession:
                try step("reopen a session") {
                    try db.run("UPDATE session SET ended_at = NULL WHERE id = ?", [session])
                    if db.changesCount == 0 { throw StoreError.unknownSession(session) }
                }
            case .updateProfile(let customer, let changes):
                // Read, apply and write in this transaction: another session of
                // the same customer waits, then applies its changes on top.
                guard !changes.isEmpty else { continue }
                try step("update a profile") {
                    let stored = try Self.profile(customer, in: db)
                    var profile = stored ?? CustomerProfile(id: customer)
                    changes.forEach { profile.apply($0) }
                    try save(profile, over: stored, in: db)
                }
            case .handoff(let summary):
                try step("record a handoff") {
                    try db.run("UPDATE session SET handed_off_at = ?, handoff_reason = ? WHERE id = ?",
                               [summary.at ?? Date(), summary.reason.rawValue, session])
                    if db.changesCount == 0 { throw StoreError.unknownSession(session) }
                }
            case .redact(let customer, let value):
                try step("remove a forgotten value") { receipt.redacted += try redact(value, ofCustomer: customer, in: db) }
            case .eraseCustomer(let customer):
                try step("erase a customer") { receipt.erased = try erase(customer, in: db) }
            }
        }
        if let state = prepared.state {
            try step("save the dialogue state") {
                guard try hasSession(session, in: db) else { throw StoreError.unknownSession(session) }
                try db.run("INSERT OR REPLACE INTO session_state (session_id, state, saved_at) VALUES (?, ?, ?)",
                           [session, state, Date()])
            }
        }
        return receipt
    }

    private static func profile(_ id: String, in db: Database) throws -> CustomerProfile? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM customer WHERE id = ?"), arguments: [id]) else { return nil }
        var profile = CustomerProfile(id: id)
        profile.trust = row["trust"]
        profile.stage = LoyaltyStage(rawValue: row["stage"]) ?? .suspect
        profile.profilingOn = row["profiling_on"]
        profile.visits = row["visits"]
        profile.firstSeen = row["first_seen"]
        profile.lastSeen = row["last_seen"]
        profile.recommended = row["recommended"]
        profile.lastAskedToRecommend = row["last_asked_to_recommend"]
        if let intent: String = row["last_solved_intent"], let session: String = row["last_solved_session"],
           let at: Date = row["last_solved_at"] {
            profile.lastSolved = SolvedRequest(intent: intent, label: row["last_solved_label"] ?? intent, session: session, at: at)
        }
        for fact in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM profile_fact WHERE customer_id = ?"), arguments: [id]) {
            profile.facts[fact["field"]] = ProfileFact(
                value: StoredText.decode(fact["value"] as String), source: ProfileFact.Source(rawValue: fact["source"]) ?? .inferred,
                at: fact["at"], consent: fact["consent"])
        }
        for decline in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM profile_decline WHERE customer_id = ?"), arguments: [id]) {
            profile.declined[decline["field"]] = decline["at"]
        }
        profile.purchases = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT reference FROM purchase WHERE customer_id = ?"), arguments: [id])
            .map { StoredText.decode($0) })
        return profile
    }

    /// Writes what changed from `stored` (the profile as read in this
    /// transaction; nil when the customer has no row yet): a turn mostly
    /// changes the customer's row alone.
    private static func save(_ profile: CustomerProfile, over stored: CustomerProfile?, in db: Database) throws {
        let rows = ProfileRows(profile, over: stored ?? CustomerProfile(id: profile.id))
        if rows.customerRow || stored == nil {
            let solved = profile.lastSolved
            try db.run("""
                INSERT INTO customer (id, trust, stage, profiling_on, visits, first_seen, last_seen, recommended,
                                      last_solved_intent, last_solved_label, last_solved_session, last_solved_at,
                                      last_asked_to_recommend)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    trust = excluded.trust, stage = excluded.stage, profiling_on = excluded.profiling_on,
                    visits = excluded.visits, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
                    recommended = excluded.recommended, last_solved_intent = excluded.last_solved_intent,
                    last_solved_label = excluded.last_solved_label, last_solved_session = excluded.last_solved_session,
                    last_solved_at = excluded.last_solved_at, last_asked_to_recommend = excluded.last_asked_to_recommend
                """,
                [profile.id, profile.trust, profile.stage.rawValue, profile.profilingOn, profile.visits,
                 profile.firstSeen, profile.lastSeen, profile.recommended,
                 solved?.intent, solved?.label, solved?.session, solved?.at, profile.lastAskedToRecommend])
        }
        // Rows the profile no longer has are deleted (secure_delete zeroes them); new and changed ones written.
        for field in rows.removedFacts {
            try db.run("DELETE FROM profile_fact WHERE customer_id = ? AND field = ?", [profile.id, field])
        }
        for (field, fact) in rows.writtenFacts {
            try db.run("""
                INSERT INTO profile_fact (customer_id, field, value, source, at, consent) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(customer_id, field) DO UPDATE SET
                    value = excluded.value, source = excluded.source, at = excluded.at, consent = excluded.consent
                """,
                [profile.id, field, StoredText.encode(fact.value), fact.source.rawValue, fact.at, fact.consent])
        }
        for field in rows.removedDeclines {
            try db.run("DELETE FROM profile_decline WHERE customer_id = ? AND field = ?", [profile.id, field])
        }
        for (field, at) in rows.writtenDeclines {
            try db.run("INSERT OR REPLACE INTO profile_decline (customer_id, field, at) VALUES (?, ?, ?)", [profile.id, field, at])
        }
        for reference in rows.newPurchases {
            try db.run("INSERT OR IGNORE INTO purchase (customer_id, reference) VALUES (?, ?)", [profile.id, StoredText.encode(reference)])
        }
    }

    public func beginSession(_ session: SessionRecord) async throws(StoreError) {
        try await write("begin a session") { db in
            if try Self.hasSession(session.id, in: db) {
                throw StoreError.sessionExists(session.id)
            }
            try db.run("INSERT INTO session (id, customer_id, channel, started_at, ended_at) VALUES (?, ?, ?, ?, ?)",
                       [session.id, session.customerID, session.channel, session.startedAt, session.endedAt])
        }
    }

    private static func insert(_ turn: TurnRecord, replies: String, in db: Database) throws {
        guard try hasSession(turn.sessionID, in: db) else {
            throw StoreError.unknownSession(turn.sessionID)
        }
        if try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM turn WHERE session_id = ? AND sequence = ?"), arguments: [turn.sessionID, turn.sequence]
        ) != nil {
            throw StoreError.duplicateTurn(session: turn.sessionID, sequence: turn.sequence)
        }
        try db.run("""
            INSERT INTO turn (session_id, sequence, at, customer_text, intent, confidence, replies, missed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [turn.sessionID, turn.sequence, turn.at, StoredText.encode(turn.customerText), turn.intent, turn.confidence, replies, turn.missed])
    }

    private static func end(_ session: String, at: Date, in db: Database) throws {
        try db.run("UPDATE session SET ended_at = ? WHERE id = ?", [at, session])
        if db.changesCount == 0 { throw StoreError.unknownSession(session) }
    }

    public func session(id: String) async throws(StoreError) -> SessionRecord? {
        try await read("read a session") { db in
            try Row.fetchOne(db, sql: "\(Self.sessionColumns) WHERE id = ?", arguments: [id]).map(Self.session(from:))
        }
    }

    public func sessions(ofCustomer customerID: String) async throws(StoreError) -> [SessionRecord] {
        try await read("read sessions") { db in
            try Row.fetchAll(
                db, sql: "\(Self.sessionColumns) WHERE customer_id = ? ORDER BY started_at, id", arguments: [customerID]
            ).map(Self.session(from:))
        }
    }

    private static func insert(_ feedback: FeedbackRecord, in db: Database) throws {
        guard try hasSession(feedback.sessionID, in: db) else {
            throw StoreError.unknownSession(feedback.sessionID)
        }
        try db.run("""
            INSERT INTO feedback (customer_id, session_id, intent, score, comment, at, expectation, recommend, ref)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(ref) DO UPDATE SET
                score = excluded.score, comment = excluded.comment, expectation = excluded.expectation,
                recommend = excluded.recommend
            """,
            [feedback.customerID, feedback.sessionID, feedback.intent, feedback.score, StoredText.encode(feedback.comment), feedback.at,
             feedback.expectation?.rawValue, feedback.recommend, feedback.ref])
    }

    public func feedback(inSession sessionID: String) async throws(StoreError) -> [FeedbackRecord] {
        try await read("read feedback") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feedback WHERE session_id = ? ORDER BY id", arguments: [sessionID])
                .map(Self.feedback(from:))
        }
    }

    /// Replaces a withdrawn value in the customer's turns and feedback comments; how many records changed.
    private static func redact(_ value: String, ofCustomer customerID: String, in db: Database) throws -> Int {
        var changed = 0
        // Saved states hold the conversation's latest lines: rebuilt from the redacted turns instead.
        try db.execute(sql: "DELETE FROM session_state WHERE session_id IN (SELECT id FROM session WHERE customer_id = ?)",
                       arguments: [customerID])
        let rows = try Row.fetchAll(db, sql: """
            SELECT session_id, sequence, customer_text, replies FROM turn
            WHERE session_id IN (SELECT id FROM session WHERE customer_id = ?)
            """, arguments: [customerID])
        for row in rows {
            guard let redacted = try StoredReplies.redacting(value, text: row["customer_text"], replies: row["replies"]) else { continue }
            try db.execute(sql: "UPDATE turn SET customer_text = ?, replies = ? WHERE session_id = ? AND sequence = ?",
                           arguments: [redacted.text, redacted.replies, row["session_id"] as String, row["sequence"] as Int])
            changed += 1
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, comment FROM feedback WHERE customer_id = ? AND comment IS NOT NULL", arguments: [customerID]) {
            let comment = StoredText.decode(row["comment"] as String)
            let redacted = Redaction.redact(value, in: comment)
            guard redacted != comment else { continue }
            try db.execute(sql: "UPDATE feedback SET comment = ? WHERE id = ?", arguments: [StoredText.encode(redacted), row["id"] as Int64])
            changed += 1
        }
        return changed
    }

    /// Deletes the customer's rows; what was removed.
    private static func erase(_ customerID: String, in db: Database) throws -> ErasureSummary {
        var summary = ErasureSummary(sessions: 0, turns: 0, feedback: 0, facts: 0)
        summary.turns = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM turn WHERE session_id IN (SELECT id FROM session WHERE customer_id = ?)
            """, arguments: [customerID]) ?? 0
        summary.feedback = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feedback WHERE customer_id = ?", arguments: [customerID]) ?? 0
        summary.facts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM profile_fact WHERE customer_id = ?", arguments: [customerID]) ?? 0
        try db.execute(sql: "DELETE FROM customer WHERE id = ?", arguments: [customerID]) // facts, declines, purchases cascade
        try db.execute(sql: "DELETE FROM feedback WHERE customer_id = ?", arguments: [customerID])
        try db.execute(sql: "DELETE FROM session WHERE customer_id = ?", arguments: [customerID]) // turns cascade
        summary.sessions = db.changesCount
        return summary
    }

    /// Folds the write-ahead log into the database and truncates it, so
    /// removed content (zeroed by secure_delete) leaves no old copy there. A
    /// reader on an older snapshot blocks that: then say so rather than claim it.
    private func checkpointAfterRemoving() async throws(StoreError) {
        do {
            try await database.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            throw .erasureIncomplete(reason: String(describing: error))
        }
    }

    private static func hasSession(_ id: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM session WHERE id = ?"), arguments: [id]) != nil
    }

    private static func turn(from row: Row) -> TurnRecord {
        let replies = StoredReplies.decode(row["replies"])
        return TurnRecord(
            sessionID: row["session_id"], sequence: row["sequence"], at: row["at"],
            customerText: StoredText.decode(row["customer_text"] as String), intent: row["intent"],
            confidence: row["confidence"], replies: replies, missed: row["missed"]
        )
    }

    private static func feedback(from row: Row) -> FeedbackRecord {
        FeedbackRecord(
            customerID: row["customer_id"], sessionID: row["session_id"], intent: row["intent"],
            score: row["score"], comment: StoredText.decode(row["comment"] as String?), at: row["at"],
            expectation: (row["expectation"] as String?).flatMap(AgainstExpectations.init(rawValue:)),
            recommend: row["recommend"], ref: row["ref"]
        )
    }

    /// A session's columns and the number of its latest turn.
    private static let sessionColumns =
        "SELECT session.*, COALESCE((SELECT MAX(sequence) FROM turn WHERE turn.session_id = session.id), 0) AS last_turn FROM session"

    private static func session(from row: Row) -> SessionRecord {
        SessionRecord(
            id: row["id"], customerID: row["customer_id"], channel: row["channel"],
            startedAt: row["started_at"], endedAt: row["ended_at"],
            handedOffAt: row["handed_off_at"], handoffReason: row["handoff_reason"], lastTurn: row["last_turn"] ?? 0
        )
    }

    public func turns(inSession sessionID: String) async throws(StoreError) -> [TurnRecord] {
        try await read("read turns") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM turn WHERE session_id = ? ORDER BY sequence", arguments: [sessionID]
            ).map(Self.turn(from:))
        }
    }

    private func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.write(body)
        } catch {
            throw Self.storeError(error, in: operation)
        }
    }

    private func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw Self.storeError(error, in: operation)
        }
    }

    /// A failure as the store reports it: a `StoreError` as it is, anything
    /// else (SQLite's, GRDB's) as the operation that failed and why.
    private static func storeError(_ error: any Error, in operation: String) -> StoreError {
        error as? StoreError ?? .operationFailed(operation: operation, reason: String(describing: error))
    }
}

extension Database {
    /// Runs a statement kept prepared on this connection. A turn runs the
    /// same few statements every time, and preparing one (SQLite's parser,
    /// GRDB's authorizer) cost about as much as running it.
    fileprivate func run(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
