import Foundation
import GRDB
import RapportCore

/// The embedded store: one SQLite file in WAL mode, through GRDB, with
/// versioned migrations. Opening never overwrites a file it does not recognise.
public final class SQLiteConversationStore: ConversationStore {
    public let path: String
    private let database: DatabasePool
    /// Marks a file as rapport's (`PRAGMA application_id`, "RPRT"), so another
    /// program's database is recognised and left alone.
    static let applicationID = 1_380_995_668

    /// Opens (creating if needed) the database at `path`, creating its folder,
    /// and brings its schema up to date.
    /// - Parameter busyTimeout: how long to wait for another connection's lock.
    public init(path: String, busyTimeout: TimeInterval = 5) throws(StoreError) {
        self.path = path
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
        try Self.refuseForeignDatabase(at: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "rapport"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Customers' words are personal data: overwrite deleted content
            // rather than leave it in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Acknowledged feedback must survive a power cut, not just a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            let migrator = Self.migrator
            let unknown = try database.read { db in
                try migrator.hasBeenSuperseded(db)
                    ? try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted() : []
            }
            if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
            try migrator.migrate(database)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw Self.openingError(error, path: path)
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Looks at an existing, non-empty file read-only before anything can write
    /// to it (opening the pool would switch it to WAL): a database with tables
    /// but without rapport's application id is another program's.
    private static func refuseForeignDatabase(at path: String) throws(StoreError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let probe = try DatabaseQueue(path: path, configuration: configuration)
            let (applicationID, tables) = try probe.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0)
            }
            try probe.close()
            if tables > 0 && applicationID != Self.applicationID { throw StoreError.foreignDatabase(path: path) }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw openingError(error, path: path)
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    private static func openingError(_ error: DatabaseError, path: String) -> StoreError {
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
        return migrator
    }

    public func beginSession(_ session: SessionRecord) throws(StoreError) {
        try write("begin a session") { db in
            if try Self.hasSession(session.id, in: db) {
                throw StoreError.sessionExists(session.id)
            }
            try db.execute(
                sql: "INSERT INTO session (id, customer_id, channel, started_at, ended_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [session.id, session.customerID, session.channel, session.startedAt, session.endedAt]
            )
        }
    }

    public func recordTurn(_ turn: TurnRecord) throws(StoreError) {
        let replies: String
        do {
            replies = String(decoding: try JSONEncoder().encode(turn.replies), as: UTF8.self)
        } catch {
            throw .operationFailed(operation: "record a turn", reason: "cannot encode the replies")
        }
        try write("record a turn") { db in
            guard try Self.hasSession(turn.sessionID, in: db) else {
                throw StoreError.unknownSession(turn.sessionID)
            }
            if try Bool.fetchOne(
                db, sql: "SELECT 1 FROM turn WHERE session_id = ? AND sequence = ?", arguments: [turn.sessionID, turn.sequence]
            ) != nil {
                throw StoreError.duplicateTurn(session: turn.sessionID, sequence: turn.sequence)
            }
            try db.execute(
                sql: """
                    INSERT INTO turn (session_id, sequence, at, customer_text, intent, confidence, replies)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [turn.sessionID, turn.sequence, turn.at, turn.customerText, turn.intent, turn.confidence, replies]
            )
        }
    }

    public func endSession(id: String, at: Date) throws(StoreError) {
        try write("end a session") { db in
            try db.execute(sql: "UPDATE session SET ended_at = ? WHERE id = ?", arguments: [at, id])
            if db.changesCount == 0 { throw StoreError.unknownSession(id) }
        }
    }

    public func session(id: String) throws(StoreError) -> SessionRecord? {
        try read("read a session") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id]).map(Self.session(from:))
        }
    }

    public func sessions(ofCustomer customerID: String) throws(StoreError) -> [SessionRecord] {
        try read("read sessions") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM session WHERE customer_id = ? ORDER BY started_at, id", arguments: [customerID]
            ).map(Self.session(from:))
        }
    }

    public func recordFeedback(_ feedback: FeedbackRecord) throws(StoreError) {
        // GRDB's write is a committed transaction when it returns; with WAL and
        // synchronous=FULL that commit survives a crash or kill -9.
        try write("record feedback") { db in
            guard try Self.hasSession(feedback.sessionID, in: db) else {
                throw StoreError.unknownSession(feedback.sessionID)
            }
            try db.execute(
                sql: "INSERT INTO feedback (customer_id, session_id, intent, score, comment, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [feedback.customerID, feedback.sessionID, feedback.intent, feedback.score, feedback.comment, feedback.at]
            )
        }
    }

    public func feedback(inSession sessionID: String) throws(StoreError) -> [FeedbackRecord] {
        try read("read feedback") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feedback WHERE session_id = ? ORDER BY id", arguments: [sessionID]).map { row in
                FeedbackRecord(
                    customerID: row["customer_id"], sessionID: row["session_id"], intent: row["intent"],
                    score: row["score"], comment: row["comment"], at: row["at"]
                )
            }
        }
    }

    public func eraseCustomer(_ customerID: String) throws(StoreError) -> ErasureSummary {
        var summary = ErasureSummary(sessions: 0, turns: 0, feedback: 0)
        try write("erase a customer") { db in
            summary.turns = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM turn WHERE session_id IN (SELECT id FROM session WHERE customer_id = ?)
                """, arguments: [customerID]) ?? 0
            summary.feedback = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feedback WHERE customer_id = ?", arguments: [customerID]) ?? 0
            try db.execute(sql: "DELETE FROM feedback WHERE customer_id = ?", arguments: [customerID])
            try db.execute(sql: "DELETE FROM session WHERE customer_id = ?", arguments: [customerID]) // turns cascade
            summary.sessions = db.changesCount
        }
        // secure_delete zeroed the freed content in the pages; the WAL still
        // holds the pages as they were before, so fold it into the database and
        // truncate it. A reader on an older snapshot blocks that (SQLITE_BUSY
        // after the busy timeout): then say so, rather than claim the erasure.
        do {
            try database.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            throw .erasureIncomplete(reason: String(describing: error))
        }
        return summary
    }

    private static func hasSession(_ id: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [id]) != nil
    }

    private static func session(from row: Row) -> SessionRecord {
        SessionRecord(
            id: row["id"], customerID: row["customer_id"], channel: row["channel"],
            startedAt: row["started_at"], endedAt: row["ended_at"]
        )
    }

    public func turns(inSession sessionID: String) throws(StoreError) -> [TurnRecord] {
        try read("read turns") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM turn WHERE session_id = ? ORDER BY sequence", arguments: [sessionID]
            ).map { row in
                let repliesJSON: String = row["replies"]
                let replies = (try? JSONDecoder().decode([String].self, from: Data(repliesJSON.utf8))) ?? []
                return TurnRecord(
                    sessionID: row["session_id"], sequence: row["sequence"], at: row["at"],
                    customerText: row["customer_text"], intent: row["intent"],
                    confidence: row["confidence"], replies: replies
                )
            }
        }
    }

    private func write(_ operation: String, _ body: (Database) throws -> Void) throws(StoreError) {
        do {
            try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .operationFailed(operation: operation, reason: String(describing: error))
        }
    }

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .operationFailed(operation: operation, reason: String(describing: error))
        }
    }
}
