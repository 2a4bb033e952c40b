import Dispatch
import Foundation
import GRDB
import Testing
import RapportCore
@testable import RapportStore

/// The database is created in one step, a file an older rapport left
/// half-created is finished rather than refused, and another program's
/// database is still left alone.
@Suite("Creating the database")
struct DatabaseCreationTests {
    /// Opens the store and checks it works: a session is kept and the file is marked as rapport's.
    func expectUsable(_ path: String) async throws {
        let store = try SQLiteConversationStore(path: path)
        try await store.beginSession(SessionRecord(id: "s1", customerID: "c-1", channel: "console", startedAt: start))
        try await store.recordTurn(turn("s1", 1, "hi"))
        #expect(try await SQLiteConversationStore(path: path).turns(inSession: "s1").map(\.customerText) == ["hi"])
        let applicationID = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA application_id") }
        #expect(applicationID == SQLiteConversationStore.applicationID)
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// A database file and a hot rollback journal, as a process killed in the
    /// middle of a transaction leaves them: `body` runs inside a transaction
    /// that writes pages to the file (a one-page cache spills), and the file
    /// and its journal are copied to `path` before it is rolled back.
    func cutShortTransaction(at path: String, before: (Database) throws -> Void = { _ in }, _ body: (Database) throws -> Void) throws {
        let scratch = path + ".scratch"
        let queue = try DatabaseQueue(path: scratch)
        try queue.writeWithoutTransaction(before)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = 1")
            try db.execute(sql: "BEGIN IMMEDIATE")
            try body(db)
            try FileManager.default.copyItem(atPath: scratch, toPath: path)
            try FileManager.default.copyItem(atPath: scratch + "-journal", toPath: path + "-journal")
            try db.execute(sql: "ROLLBACK")
        }
        try queue.close()
        try FileManager.default.removeItem(atPath: scratch)
    }

    @Test func commitsAreSyncedFullyOnANewAndAReopenedDatabase() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        #expect(try SQLiteConversationStore(path: path).writerSynchronousLevel() == 2, "FULL: acknowledged feedback survives a power cut")
        #expect(try SQLiteConversationStore(path: path).writerSynchronousLevel() == 2)
    }

    @Test func creatingLeavesOnlyTheDatabase() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        try await expectUsable(path)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names == ["rapport.sqlite"], "no temporary file is left once created and closed")
    }

    @Test func aFileWithOnlyAnEmptyMigrationsTableIsFinished() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        // What an older rapport left when killed between GRDB creating its
        // migrations table and migration v1 setting the application id.
        let queue = try DatabaseQueue(path: path)
        try await queue.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        try queue.close()
        try await expectUsable(path)
    }

    @Test func aCreationCutShortWithAHotJournalIsFinished() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        // A new, empty file whose first transaction was cut short: pages in
        // the file, a journal that rolls it back to nothing.
        try cutShortTransaction(at: path) { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "CREATE TABLE filler (data BLOB)")
            for _ in 0..<20 { try db.execute(sql: "INSERT INTO filler VALUES (zeroblob(4000))") }
        }
        #expect((bytes(path)?.count ?? 0) > 0)
        #expect(FileManager.default.fileExists(atPath: path + "-journal"))
        // A read-only look cannot roll the journal back: what the old probe failed on.
        var readonly = Configuration()
        readonly.readonly = true
        #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: path, configuration: readonly).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
        }
        try await expectUsable(path)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"), "the journal was rolled back")
        await #expect(try DatabaseQueue(path: path).read { try $0.tableExists("filler") } == false, "the cut transaction left nothing")
    }

    @Test func anotherProgramsDatabaseWithAHotJournalIsLeftUntouched() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/notes.db"
        try cutShortTransaction(at: path, before: { db in
            try db.execute(sql: "CREATE TABLE note (text TEXT)")
            try db.execute(sql: "INSERT INTO note VALUES ('buy milk')")
        }) { db in
            for _ in 0..<20 { try db.execute(sql: "INSERT INTO note VALUES (hex(zeroblob(3000)))") }
        }
        let database = bytes(path), journal = bytes(path + "-journal")
        #expect(journal != nil)
        #expect(throws: StoreError.foreignDatabase(path: path)) { try SQLiteConversationStore(path: path) }
        #expect(bytes(path) == database, "not one byte of the database changed")
        #expect(bytes(path + "-journal") == journal, "its journal was not rolled back")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["notes.db", "notes.db-journal"],
                "the copy judged in its place is gone")
    }

    @Test("a file is judged by its application id and schema", arguments: [
        (0, [], 0, DatabaseFileKind.empty),
        (SQLiteConversationStore.applicationID, ["grdb_migrations", "session"], 7, .rapport),
        (0, ["grdb_migrations", "sqlite_autoindex_grdb_migrations_1"], 0, .halfCreated),
        (0, ["grdb_migrations"], 0, .halfCreated),
        (0, ["grdb_migrations", "sqlite_autoindex_grdb_migrations_1"], 1, .foreign),
        (0, ["grdb_migrations", "sqlite_autoindex_grdb_migrations_1", "note"], 0, .foreign),
        (42, ["grdb_migrations", "sqlite_autoindex_grdb_migrations_1"], 0, .foreign),
        (0, ["note"], 0, .foreign),
    ] as [(Int, [String], Int, DatabaseFileKind)])
    func classification(applicationID: Int, schema: [String], applied: Int, kind: DatabaseFileKind) {
        #expect(DatabaseFileKind.classify(applicationID: applicationID, schema: schema, appliedMigrations: applied) == kind)
    }

    @Test func anotherProgramsEmptyMigrationsTableWithItsOwnIdIsRefused() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/other.sqlite"
        try await runSQLite(path, "PRAGMA application_id = 42; CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        let before = bytes(path)
        #expect(throws: StoreError.foreignDatabase(path: path)) { try SQLiteConversationStore(path: path) }
        #expect(bytes(path) == before)
    }

    @Test func temporaryFilesOfAKilledCreationAreRemoved() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/rapport.sqlite"
        let prefix = DatabaseFile.temporaryPrefix(for: path)
        // A killed creation's file and journal: nobody holds them. The process
        // id in the name is this test's own, which is alive: the id says nothing.
        let stale = ["\(prefix)\(getpid())-1a2b", "\(prefix)\(getpid())-1a2b-journal", "\(prefix)\(getpid())-9f9f-wal"]
        // A creator at work holds its file's lock (with its journal beside it); files not of ours.
        let working = "\(prefix)\(getpid())-3c4d"
        let kept = [working, working + "-journal", ".rapport.sqlite.notes", "rapport.sqlite.bak"]
        for name in stale + kept { _ = FileManager.default.createFile(atPath: folder.path + "/" + name, contents: Data("x".utf8)) }
        // A folder that happens to carry the prefix is not ours to remove.
        let aFolder = "\(prefix)\(getpid())-folder"
        try FileManager.default.createDirectory(atPath: folder.path + "/" + aFolder, withIntermediateDirectories: false)
        let holder = open(folder.path + "/" + working, O_RDWR)
        #expect(flock(holder, LOCK_EX) == 0)
        defer { close(holder) }
        try await expectUsable(path)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(names.isDisjoint(with: stale), "a killed creation's files are removed")
        #expect(names.isSuperset(of: kept + [aFolder]), "a creator at work's files and files not of ours are kept")
    }

    @Test func twoCreatingTheSameDatabaseAtOnceBothSucceed() async throws {
        let folder = TemporaryFolder()
        for round in 0..<10 {
            let path = folder.path + "/round-\(round).sqlite"
            nonisolated(unsafe) var failures: [String] = []
            nonisolated(unsafe) var stores: [Int: SQLiteConversationStore] = [:]
            let lock = NSLock()
            // Opening (and creating) is synchronous: three threads at once.
            DispatchQueue.concurrentPerform(iterations: 3) { index in
                do {
                    let store = try SQLiteConversationStore(path: path)
                    lock.withLock { stores[index] = store }
                } catch {
                    lock.withLock { failures.append("\(error)") }
                }
            }
            #expect(failures.isEmpty, "round \(round): \(failures)")
            for (index, store) in stores {
                try await store.beginSession(SessionRecord(id: "s\(index)", customerID: "c-1", channel: "console", startedAt: start))
            }
            #expect(try await SQLiteConversationStore(path: path).sessions(ofCustomer: "c-1").count == 3, "all three wrote to one database")
        }
    }
}
