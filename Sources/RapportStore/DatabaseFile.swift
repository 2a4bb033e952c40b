import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file already at the database's path is, judged before anything
/// writes to it: rapport only ever writes to a file it recognises as its own.
enum DatabaseFileKind: Equatable, Sendable {
    /// No schema at all: an empty file, or a creation stopped before the first table.
    case empty
    /// Marked with rapport's application id.
    case rapport
    /// Only GRDB's migrations table, with no migration recorded and application
    /// id 0: an older rapport was stopped between creating that table and
    /// migration v1 (which sets the application id). Finished, not refused.
    case halfCreated
    /// Another program's tables, or another application id: left untouched.
    case foreign

    /// GRDB's table of applied migrations, and the index SQLite makes for its key.
    static let migrationsTable: Set<String> = ["grdb_migrations", "sqlite_autoindex_grdb_migrations_1"]

    /// Judges a file from its application id, the names in its schema, and how
    /// many migrations its `grdb_migrations` table records.
    static func classify(applicationID: Int, schema: [String], appliedMigrations: Int) -> DatabaseFileKind {
        if schema.isEmpty { return .empty }
        if applicationID == SQLiteConversationStore.applicationID { return .rapport }
        if applicationID == 0, appliedMigrations == 0, schema.contains("grdb_migrations"),
           schema.allSatisfy(migrationsTable.contains) {
            return .halfCreated
        }
        return .foreign
    }
}

/// Creating, inspecting and tidying the database file, so that no kill at any
/// moment leaves a file rapport refuses.
enum DatabaseFile {
    /// Looks at an existing file without changing a byte of it. A hot rollback
    /// journal beside it (a transaction cut short) cannot be rolled back by a
    /// read-only connection; then a copy of the file and journal is rolled back
    /// and judged instead, so another program's database is never touched.
    /// - Parameter busyTimeout: how long to wait while another process holds a
    ///   lock on it (creating it, recovering its WAL, or closing it).
    static func kind(at path: String, busyTimeout: TimeInterval) throws -> DatabaseFileKind {
        do {
            return try inspect(path, readonly: true, busyTimeout: busyTimeout)
        } catch let error as DatabaseError
                    where error.resultCode == .SQLITE_READONLY && FileManager.default.fileExists(atPath: path + "-journal") {
            // The copy is a temporary file like a creation's, held by its lock
            // until it is removed, so no other start's clean-up takes it away
            // (an empty file in its place would be judged a new database).
            let (copy, lock) = try lockedTemporary(beside: path)
            defer {
                removeWithCompanions(copy)
                close(lock)
            }
            try copyContents(of: path, to: lock)
            try FileManager.default.copyItem(atPath: path + "-journal", toPath: copy + "-journal")
            return try inspect(copy, readonly: false, busyTimeout: busyTimeout)
        }
    }

    /// Copies a file's bytes into an open descriptor (the copy keeps its inode, and so its lock).
    private static func copyContents(of path: String, to destination: Int32) throws {
        let source = open(path, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(source) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { return }
            var written = 0
            while written < count {
                let step = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + written, count - written) }
                if step < 0 && errno == EINTR { continue }
                guard step > 0 else { throw StoreError.cannotOpen(path: path, reason: "cannot copy it to judge it: \(String(cString: strerror(errno)))") }
                written += step
            }
        }
    }

    private static func inspect(_ path: String, readonly: Bool, busyTimeout: TimeInterval) throws -> DatabaseFileKind {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(busyTimeout)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let applicationID = try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let schema = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master")
            let applied = schema.contains("grdb_migrations")
                ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0 : 0
            return .classify(applicationID: applicationID, schema: schema, appliedMigrations: applied)
        }
    }

    /// Creates the database at `path` as one step seen from outside: it is
    /// built, migrated and switched to WAL in a temporary file beside it, closed,
    /// then linked into place. Until then there is no file at `path`; after,
    /// the whole database is there. If another process put a file there first,
    /// this one is discarded and theirs is used.
    static func create(at path: String, configuration: Configuration, migrator: DatabaseMigrator) throws(StoreError) {
        // The creator holds an exclusive flock on its temporary file while it
        // builds it: a file nobody holds is a killed creation's, whatever its
        // process id says (ids are reused, and differ between containers
        // sharing a folder). The descriptor is closed only after SQLite has
        // closed the file, so closing it releases none of SQLite's locks.
        let (temporary, lock) = try lockedTemporary(beside: path)
        defer {
            removeWithCompanions(temporary)
            close(lock)
        }
        // Nobody else sees the temporary file, and it is synced once, whole,
        // before it is linked into place: no need to sync each migration.
        var building = configuration
        building.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: building)
            do {
                try queue.writeWithoutTransaction { db in
                    let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                    if mode != "wal" { throw StoreError.cannotOpen(path: path, reason: "cannot switch it to WAL mode (\(mode ?? "?"))") }
                }
                try migrator.migrate(queue)
                try queue.close() // checkpoints and removes the temporary -wal
            } catch {
                try? queue.close()
                throw error
            }
        } catch {
            throw SQLiteConversationStore.openingFailure(error, path: path)
        }
        try synchronise(temporary, path: path)
        // link(2) fails rather than replace a file that appeared meanwhile.
        if link(temporary, path) != 0 {
            let failure = errno
            switch failure {
            case EEXIST:
                return // another process created it first: theirs is opened
            case EPERM, ENOTSUP, EOPNOTSUPP, EXDEV, EMLINK:
                // A file system without hard links. rename(2) would replace a
                // database another process has just put there and opened (its
                // writes would go to a file no longer in the folder), and
                // renameat2's RENAME_NOREPLACE is out of Swift's reach: the
                // database is then created in place, as before, where a kill
                // leaves one of the half-made states that the next start finishes.
                return
            default:
                throw .notWritable(path: path, reason: String(cString: strerror(failure)))
            }
        }
        try synchronise((path as NSString).deletingLastPathComponent, path: path, folder: true)
    }

    /// Flushes a file to the disk, or a folder's entries (best effort: some
    /// file systems cannot sync a folder, and the data itself is synced by then).
    private static func synchronise(_ file: String, path: String, folder: Bool = false) throws(StoreError) {
        let descriptor = open(file.isEmpty ? "." : file, O_RDONLY)
        guard descriptor >= 0 else {
            if folder { return }
            throw .notWritable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 && !folder { throw .notWritable(path: path, reason: String(cString: strerror(errno))) }
    }

    /// What temporary files beside `path` start with: `.NAME.rapport-tmp-`,
    /// followed by the creating process's id and a random part.
    static func temporaryPrefix(for path: String) -> String {
        "." + (path as NSString).lastPathComponent + ".rapport-tmp-"
    }

    /// A fresh temporary name in the database's folder: `.NAME.rapport-tmp-PID-RANDOM`.
    static func temporaryPath(beside path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        let name = temporaryPrefix(for: path) + "\(getpid())-\(random)"
        return folder.isEmpty ? name : folder + "/" + name
    }

    /// A new temporary file beside `path`, created and locked. Between the two
    /// steps another process's clean-up may take it for a killed creation's
    /// and remove it: then the descriptor no longer names the file at that
    /// path, and another name is tried.
    private static func lockedTemporary(beside path: String) throws(StoreError) -> (String, Int32) {
        for _ in 0..<8 {
            let temporary = temporaryPath(beside: path)
            let descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw .notWritable(path: path, reason: String(cString: strerror(errno))) }
            var held = stat(), named = stat()
            if flock(descriptor, LOCK_EX) == 0, fstat(descriptor, &held) == 0, stat(temporary, &named) == 0,
               held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                return (temporary, descriptor)
            }
            close(descriptor)
        }
        throw .notWritable(path: path, reason: "its temporary files kept disappearing while it was created")
    }

    /// Removes temporary files of ours left beside `path` by a creation that
    /// was killed: those whose creator no longer holds their lock, with their
    /// `-wal`, `-shm` and `-journal`. Best effort: a file that cannot be
    /// removed is left for next time.
    static func removeStaleTemporaries(beside path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = temporaryPrefix(for: path)
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        func full(_ name: String) -> String { folder.isEmpty ? name : folder + "/" + name }
        for name in names where name.hasPrefix(prefix) {
            let file = full(name)
            let base = ["-journal", "-wal", "-shm"].first { name.hasSuffix($0) }.map { String(file.dropLast($0.count)) } ?? file
            let descriptor = open(base, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else {
                // A journal whose database file is gone is a leftover; any
                // other failure (another user's file, a folder) is left alone.
                if errno == ENOENT, base != file { try? manager.removeItem(atPath: file) }
                continue
            }
            defer { close(descriptor) } // after the removal: the lock is held until the file is gone
            if base != file { continue } // judged with its database file
            var held = stat(), named = stat()
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, // else its creator is at work
                  fstat(descriptor, &held) == 0, held.st_mode & S_IFMT == S_IFREG,
                  lstat(base, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev else { continue }
            removeWithCompanions(base)
        }
    }

    private static func removeWithCompanions(_ file: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: file + suffix)
        }
    }
}
