import Foundation
import PostgresNIO
import RapportCore
import RapportStore

/// The store for rapport on more than one machine: a PostgreSQL database
/// (`--db postgres://user@host/db` or `RAPPORT_DATABASE_URL`), through
/// postgres-nio's connection pool. The same contract as the SQLite store
/// (Tests/RapportStoreContractTests), with versioned migrations applied under
/// an advisory lock, so several processes starting at once migrate once.
///
/// Concurrency: every write is one transaction at READ COMMITTED; a profile
/// update locks the customer's row (`SELECT ... FOR UPDATE`) before it reads,
/// so two hosts serving one customer at once apply their changes one after
/// the other, never over each other; two hosts recording the same turn
/// number meet the primary key, and the second is refused (`duplicateTurn`).
public final class PostgresConversationStore: ConversationStore {
    /// Where the database is, with any password left out: what messages show.
    public let location: String
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private static let logger = Logger(label: "rapport.postgres")

    /// Connects (lazily, through the pool) and brings the schema up to date.
    public init(url: String) async throws(StoreError) {
        let address = try DatabaseURL(url)
        location = address.redacted
        // One connection first, to say plainly what is wrong (no server there, the
        // password, no such database) rather than let the pool retry until it gives up.
        do {
            try await address.execute("SELECT 1")
        } catch {
            throw .cannotOpen(path: address.redacted, reason: Self.connectionProblem(error))
        }
        client = PostgresClient(configuration: address.configuration)
        let client = client
        running = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            running.cancel()
            throw error
        }
    }

    deinit {
        running.cancel()
    }

    // MARK: - schema

    /// Migrations, in order; an applied one is never changed, only followed.
    static let migrations: [(id: String, sql: [String])] = [
        ("v1: conversations, feedback, profiles, states", [
            """
            CREATE TABLE session (
                id text PRIMARY KEY, customer_id text NOT NULL, channel text NOT NULL,
                started_at timestamptz NOT NULL, ended_at timestamptz,
                handed_off_at timestamptz, handoff_reason text)
            """,
            "CREATE INDEX session_customer ON session (customer_id)",
            "CREATE INDEX session_started ON session (started_at)",
            """
            CREATE TABLE turn (
                session_id text NOT NULL REFERENCES session (id) ON DELETE CASCADE,
                sequence integer NOT NULL, at timestamptz NOT NULL, customer_text text NOT NULL,
                intent text, confidence double precision NOT NULL, replies text NOT NULL,
                missed boolean NOT NULL DEFAULT false,
                PRIMARY KEY (session_id, sequence))
            """,
            "CREATE INDEX turn_at ON turn (at)",
            """
            CREATE TABLE feedback (
                id bigserial PRIMARY KEY, customer_id text NOT NULL,
                session_id text NOT NULL REFERENCES session (id) ON DELETE CASCADE,
                intent text, score integer NOT NULL CHECK (score BETWEEN 1 AND 5), comment text,
                at timestamptz NOT NULL,
                expectation text CHECK (expectation IN ('below', 'met', 'above')),
                recommend integer CHECK (recommend BETWEEN 0 AND 10),
                ref text UNIQUE)
            """,
            "CREATE INDEX feedback_customer ON feedback (customer_id)",
            "CREATE INDEX feedback_session ON feedback (session_id)",
            "CREATE INDEX feedback_at ON feedback (at)",
            """
            CREATE TABLE customer (
                id text PRIMARY KEY, trust double precision NOT NULL DEFAULT 0, stage text NOT NULL,
                profiling_on boolean NOT NULL DEFAULT true, visits integer NOT NULL DEFAULT 0,
                first_seen timestamptz, last_seen timestamptz, recommended boolean NOT NULL DEFAULT false,
                last_solved_intent text, last_solved_label text, last_solved_session text, last_solved_at timestamptz,
                last_asked_to_recommend timestamptz)
            """,
            """
            CREATE TABLE profile_fact (
                customer_id text NOT NULL REFERENCES customer (id) ON DELETE CASCADE, field text NOT NULL,
                value text NOT NULL, source text NOT NULL CHECK (source IN ('stated', 'inferred')),
                at timestamptz NOT NULL, consent boolean NOT NULL,
                PRIMARY KEY (customer_id, field))
            """,
            """
            CREATE TABLE profile_decline (
                customer_id text NOT NULL REFERENCES customer (id) ON DELETE CASCADE, field text NOT NULL,
                at timestamptz NOT NULL, PRIMARY KEY (customer_id, field))
            """,
            """
            CREATE TABLE purchase (
                customer_id text NOT NULL REFERENCES customer (id) ON DELETE CASCADE, reference text NOT NULL,
                PRIMARY KEY (customer_id, reference))
            """,
            """
            CREATE TABLE session_state (
                session_id text PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
                state bytea NOT NULL, saved_at timestamptz NOT NULL)
            """,
        ]),
    ]

    /// An arbitrary constant naming rapport's advisory lock ("RPRT").
    private static let migrationLock: Int64 = 1_380_995_668

    private func migrate() async throws(StoreError) {
        try await transaction("bring the database schema up to date") { connection in
            // Several rapport processes may start at once: one migrates, the others wait, then find it done.
            try await connection.rows("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            let hasTable = try await connection.rows(
                "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'rapport_migration'").all().first?.decode(Int.self) ?? 0
            if hasTable == 0 {
                let tables = try await connection.rows(
                    "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'session'").all().first?.decode(Int.self) ?? 0
                // A table of ours without rapport's bookkeeping: another program's database.
                if tables > 0 { throw StoreError.foreignDatabase(path: self.location) }
                try await connection.rows(
                    "CREATE TABLE rapport_migration (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            }
            var applied: Set<String> = []
            for try await id in try await connection.rows("SELECT id FROM rapport_migration").decode(String.self) {
                applied.insert(id)
            }
            let known = Set(Self.migrations.map(\.id))
            let unknown = applied.subtracting(known).sorted()
            if !unknown.isEmpty { throw StoreError.newerSchema(path: self.location, unknownMigrations: unknown) }
            for migration in Self.migrations where !applied.contains(migration.id) {
                for statement in migration.sql {
                    try await connection.rows(PostgresQuery(unsafeSQL: statement))
                }
                try await connection.rows("INSERT INTO rapport_migration (id) VALUES (\(migration.id))")
            }
        }
    }

    // MARK: - writes

    public func beginSession(_ session: SessionRecord) async throws(StoreError) {
        try await transaction("begin a session") { connection in
            let inserted = try await connection.rows("""
                INSERT INTO session (id, customer_id, channel, started_at, ended_at) VALUES
                (\(session.id), \(session.customerID), \(session.channel), \(session.startedAt), \(session.endedAt))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """).all()
            if inserted.isEmpty { throw StoreError.sessionExists(session.id) }
        }
    }

    public func commit(_ turn: TurnCommit) async throws(StoreError) -> CommitReceipt {
        // Encoded before the transaction, so the connection is held only for SQL.
        let prepared = try PreparedCommit(turn)
        let encodedReplies = prepared.replies, encodedState = prepared.state
        return try await transaction("store a turn") { connection in
            var receipt = CommitReceipt()
            for effect in turn.effects {
                try await Self.apply(effect, of: turn.session, replies: encodedReplies, on: connection, receipt: &receipt)
            }
            if let encodedState {
                try await Self.step("save the dialogue state") {
                    let saved = try await connection.rows("""
                        INSERT INTO session_state (session_id, state, saved_at)
                        SELECT \(turn.session), \(encodedState), now() WHERE EXISTS (SELECT 1 FROM session WHERE id = \(turn.session))
                        ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at
                        RETURNING 1
                        """).all()
                    if saved.isEmpty { throw StoreError.unknownSession(turn.session) }
                }
            }
            return receipt
        }
    }

    /// One effect's writes, inside the commit's transaction.
    private static func apply(
        _ effect: ConversationEffect, of session: String, replies: [Int: String], on connection: PostgresConnection,
        receipt: inout CommitReceipt
    ) async throws {
        switch effect {
        case .recordTurn(let turn):
            try await step("record a turn") {
                do {
                    // One round trip: inserted only if the session is there.
                    let inserted = try await connection.rows("""
                        INSERT INTO turn (session_id, sequence, at, customer_text, intent, confidence, replies, missed)
                        SELECT \(turn.sessionID), \(turn.sequence), \(turn.at), \(StoredText.encode(turn.customerText)), \(turn.intent),
                               \(turn.confidence), \(replies[turn.sequence] ?? "[]"), \(turn.missed)
                        WHERE EXISTS (SELECT 1 FROM session WHERE id = \(turn.sessionID))
                        RETURNING 1
                        """).all()
                    if inserted.isEmpty { throw StoreError.unknownSession(turn.sessionID) }
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw {
                    // Another host recorded this turn number first: turns are never overwritten.
                    throw StoreError.duplicateTurn(session: turn.sessionID, sequence: turn.sequence)
                }
            }
        case .recordFeedback(let feedback):
            try await step("record feedback") {
                guard try await exists(session: feedback.sessionID, on: connection) else { throw StoreError.unknownSession(feedback.sessionID) }
                try await connection.rows("""
                    INSERT INTO feedback (customer_id, session_id, intent, score, comment, at, expectation, recommend, ref) VALUES
                    (\(feedback.customerID), \(feedback.sessionID), \(feedback.intent), \(feedback.score),
                     \(StoredText.encode(feedback.comment)), \(feedback.at), \(feedback.expectation?.rawValue), \(feedback.recommend), \(feedback.ref))
                    ON CONFLICT (ref) DO UPDATE SET score = excluded.score, comment = excluded.comment,
                        expectation = excluded.expectation, recommend = excluded.recommend
                    """)
            }
        case .endSession(let at):
            try await step("end a session") { try await end(session, at: at, on: connection) }
        case .closeEarlierSession(let earlier, let at):
            try await step("end a session") { try await end(earlier, at: at, on: connection) }
        case .reopenSession:
            try await step("reopen a session") {
                let updated = try await connection.rows("UPDATE session SET ended_at = NULL WHERE id = \(session) RETURNING 1").all()
                if updated.isEmpty { throw StoreError.unknownSession(session) }
            }
        case .updateProfile(let customer, let changes):
            guard !changes.isEmpty else { return }
            try await step("update a profile") {
                // The row first, then locked: a second host's update of this customer waits here,
                // and reads the profile with these changes in it.
                try await connection.rows(
                    "INSERT INTO customer (id, stage) VALUES (\(customer), \(LoyaltyStage.suspect.rawValue)) ON CONFLICT (id) DO NOTHING")
                let stored = try await profile(customer, on: connection, locking: true) ?? CustomerProfile(id: customer)
                var profile = stored
                changes.forEach { profile.apply($0) }
                try await save(profile, over: stored, on: connection)
            }
        case .handoff(let summary):
            try await step("record a handoff") {
                let updated = try await connection.rows("""
                    UPDATE session SET handed_off_at = \(summary.at ?? Date()), handoff_reason = \(summary.reason.rawValue)
                    WHERE id = \(session) RETURNING 1
                    """).all()
                if updated.isEmpty { throw StoreError.unknownSession(session) }
            }
        case .redact(let customer, let value):
            try await step("remove a forgotten value") { receipt.redacted += try await redact(value, ofCustomer: customer, on: connection) }
        case .eraseCustomer(let customer):
            try await step("erase a customer") { receipt.erased = try await erase(customer, on: connection) }
        }
    }

    private static func end(_ session: String, at: Date, on connection: PostgresConnection) async throws {
        let updated = try await connection.rows("UPDATE session SET ended_at = \(at) WHERE id = \(session) RETURNING 1").all()
        if updated.isEmpty { throw StoreError.unknownSession(session) }
    }

    private static func exists(session: String, on connection: PostgresConnection) async throws -> Bool {
        try await !connection.rows("SELECT 1 FROM session WHERE id = \(session)").all().isEmpty
    }

    /// Writes what changed from `stored` (the profile as read in this
    /// transaction, its row locked): a turn mostly changes the customer's row
    /// alone, and every statement is a round trip to the server.
    private static func save(_ profile: CustomerProfile, over stored: CustomerProfile, on connection: PostgresConnection) async throws {
        let rows = ProfileRows(profile, over: stored)
        if rows.customerRow {
            try await saveRow(profile, on: connection)
        }
        // Rows the profile no longer has are deleted; new and changed ones written.
        if !rows.removedFacts.isEmpty {
            try await connection.rows("DELETE FROM profile_fact WHERE customer_id = \(profile.id) AND field = ANY(\(rows.removedFacts))")
        }
        for (field, fact) in rows.writtenFacts {
            try await connection.rows("""
                INSERT INTO profile_fact (customer_id, field, value, source, at, consent) VALUES
                (\(profile.id), \(field), \(StoredText.encode(fact.value)), \(fact.source.rawValue), \(fact.at), \(fact.consent))
                ON CONFLICT (customer_id, field) DO UPDATE SET
                    value = excluded.value, source = excluded.source, at = excluded.at, consent = excluded.consent
                """)
        }
        if !rows.removedDeclines.isEmpty {
            try await connection.rows("DELETE FROM profile_decline WHERE customer_id = \(profile.id) AND field = ANY(\(rows.removedDeclines))")
        }
        for (field, at) in rows.writtenDeclines {
            try await connection.rows("""
                INSERT INTO profile_decline (customer_id, field, at) VALUES (\(profile.id), \(field), \(at))
                ON CONFLICT (customer_id, field) DO UPDATE SET at = excluded.at
                """)
        }
        for reference in rows.newPurchases {
            try await connection.rows("""
                INSERT INTO purchase (customer_id, reference) VALUES (\(profile.id), \(StoredText.encode(reference)))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    /// The customer's own row: everything of the profile but its facts, declines and purchases.
    private static func saveRow(_ profile: CustomerProfile, on connection: PostgresConnection) async throws {
        let solved = profile.lastSolved
        try await connection.rows("""
            UPDATE customer SET trust = \(profile.trust), stage = \(profile.stage.rawValue), profiling_on = \(profile.profilingOn),
                visits = \(profile.visits), first_seen = \(profile.firstSeen), last_seen = \(profile.lastSeen),
                recommended = \(profile.recommended), last_solved_intent = \(solved?.intent), last_solved_label = \(solved?.label),
                last_solved_session = \(solved?.session), last_solved_at = \(solved?.at),
                last_asked_to_recommend = \(profile.lastAskedToRecommend)
            WHERE id = \(profile.id)
            """)
    }

    private static func redact(_ value: String, ofCustomer customer: String, on connection: PostgresConnection) async throws -> Int {
        var changed = 0
        // Saved states hold the conversation's latest lines: rebuilt from the redacted turns instead.
        try await connection.rows(
            "DELETE FROM session_state WHERE session_id IN (SELECT id FROM session WHERE customer_id = \(customer))")
        let rows = try await connection.rows("""
            SELECT session_id, sequence, customer_text, replies FROM turn
            WHERE session_id IN (SELECT id FROM session WHERE customer_id = \(customer))
            """).decode((String, Int, String, String).self).all()
        for (session, sequence, stored, replies) in rows {
            guard let redacted = try StoredReplies.redacting(value, text: stored, replies: replies) else { continue }
            try await connection.rows("""
                UPDATE turn SET customer_text = \(redacted.text), replies = \(redacted.replies)
                WHERE session_id = \(session) AND sequence = \(sequence)
                """)
            changed += 1
        }
        let comments = try await connection.rows(
            "SELECT id, comment FROM feedback WHERE customer_id = \(customer) AND comment IS NOT NULL").decode((Int64, String).self).all()
        for (id, stored) in comments {
            let comment = StoredText.decode(stored)
            let redacted = Redaction.redact(value, in: comment)
            guard redacted != comment else { continue }
            try await connection.rows("UPDATE feedback SET comment = \(StoredText.encode(redacted)) WHERE id = \(id)")
            changed += 1
        }
        return changed
    }

    /// Deletes the customer's rows; what was removed. PostgreSQL keeps the old
    /// row versions until VACUUM and in its write-ahead log: docs/STORE.md
    /// says what an operator must do about them.
    private static func erase(_ customer: String, on connection: PostgresConnection) async throws -> ErasureSummary {
        func count(_ query: PostgresQuery) async throws -> Int {
            try await connection.rows(query).decode(Int.self).all().first ?? 0
        }
        var summary = ErasureSummary(sessions: 0, turns: 0, feedback: 0, facts: 0)
        summary.turns = try await count("SELECT count(*)::int FROM turn WHERE session_id IN (SELECT id FROM session WHERE customer_id = \(customer))")
        summary.feedback = try await count("SELECT count(*)::int FROM feedback WHERE customer_id = \(customer)")
        summary.facts = try await count("SELECT count(*)::int FROM profile_fact WHERE customer_id = \(customer)")
        // Sessions first, then the customer's row: the order a turn takes its locks in (the session,
        // through the turn's key, then the customer's row), so a turn and an erasure never deadlock.
        summary.sessions = try await connection.rows(
            "DELETE FROM session WHERE customer_id = \(customer) RETURNING 1").all().count // turns, states, feedback cascade
        try await connection.rows("DELETE FROM feedback WHERE customer_id = \(customer)")
        try await connection.rows("DELETE FROM customer WHERE id = \(customer)") // facts, declines, purchases cascade
        return summary
    }

    // MARK: - reads

    public func session(id: String) async throws(StoreError) -> SessionRecord? {
        try await read("read a session") { connection in
            try await Self.sessions(connection.rows("\(unescaped: Self.sessionColumns) WHERE id = \(id)")).first
        }
    }

    public func sessions(ofCustomer customerID: String) async throws(StoreError) -> [SessionRecord] {
        try await read("read sessions") { connection in
            try await Self.sessions(connection.rows(
                "\(unescaped: Self.sessionColumns) WHERE customer_id = \(customerID) ORDER BY started_at, id"))
        }
    }

    /// A session's columns and the number of its latest turn.
    private static let sessionColumns = """
        SELECT id, customer_id, channel, started_at, ended_at, handed_off_at, handoff_reason,
               COALESCE((SELECT max(sequence) FROM turn WHERE turn.session_id = session.id), 0)::int FROM session
        """

    private static func sessions(_ rows: PostgresRowSequence) async throws -> [SessionRecord] {
        try await rows.decode((String, String, String, Date, Date?, Date?, String?, Int).self).all().map {
            SessionRecord(id: $0.0, customerID: $0.1, channel: $0.2, startedAt: $0.3, endedAt: $0.4, handedOffAt: $0.5,
                          handoffReason: $0.6, lastTurn: $0.7)
        }
    }

    public func turns(inSession sessionID: String) async throws(StoreError) -> [TurnRecord] {
        try await read("read turns") { connection in
            try await connection.rows("""
                SELECT session_id, sequence, at, customer_text, intent, confidence, replies, missed FROM turn
                WHERE session_id = \(sessionID) ORDER BY sequence
                """).decode((String, Int, Date, String, String?, Double, String, Bool).self).all().map {
                TurnRecord(sessionID: $0.0, sequence: $0.1, at: $0.2, customerText: StoredText.decode($0.3), intent: $0.4,
                           confidence: $0.5, replies: StoredReplies.decode($0.6), missed: $0.7)
            }
        }
    }

    public func feedback(inSession sessionID: String) async throws(StoreError) -> [FeedbackRecord] {
        try await read("read feedback") { connection in
            try await Self.feedback(connection.rows(
                "\(unescaped: Self.feedbackColumns) WHERE session_id = \(sessionID) ORDER BY id"))
        }
    }

    public func feedback(since: Date?, until: Date?) async throws(StoreError) -> [FeedbackRecord] {
        try await read("read feedback") { connection in
            try await Self.feedback(connection.rows("""
                \(unescaped: Self.feedbackColumns) WHERE at >= \(since ?? .distantPast) AND at < \(until ?? .distantFuture) ORDER BY at, id
                """))
        }
    }

    private static let feedbackColumns =
        "SELECT customer_id, session_id, intent, score, comment, at, expectation, recommend, ref FROM feedback"

    private static func feedback(_ rows: PostgresRowSequence) async throws -> [FeedbackRecord] {
        try await rows.decode((String, String, String?, Int, String?, Date, String?, Int?, String?).self).all().map {
            FeedbackRecord(customerID: $0.0, sessionID: $0.1, intent: $0.2, score: $0.3, comment: StoredText.decode($0.4), at: $0.5,
                           expectation: $0.6.flatMap(AgainstExpectations.init(rawValue:)), recommend: $0.7, ref: $0.8)
        }
    }

    public func profile(of customerID: String) async throws(StoreError) -> CustomerProfile? {
        try await read("read a profile") { connection in try await Self.profile(customerID, on: connection) }
    }

    /// - Parameter locking: lock the customer's row for the transaction (`FOR UPDATE`): a second
    ///   host's update of this customer waits, and then reads the profile with these changes in it.
    private static func profile(_ id: String, on connection: PostgresConnection, locking: Bool = false) async throws -> CustomerProfile? {
        let rows = try await connection.rows("""
            SELECT trust, stage, profiling_on, visits, first_seen, last_seen, recommended, last_asked_to_recommend,
                   last_solved_intent, last_solved_label, last_solved_session, last_solved_at
            FROM customer WHERE id = \(id)\(unescaped: locking ? " FOR UPDATE" : "")
            """).decode((Double, String, Bool, Int, Date?, Date?, Bool, Date?, String?, String?, String?, Date?).self).all()
        guard let row = rows.first else { return nil }
        var profile = CustomerProfile(id: id)
        profile.trust = row.0
        profile.stage = LoyaltyStage(rawValue: row.1) ?? .suspect
        profile.profilingOn = row.2
        profile.visits = row.3
        profile.firstSeen = row.4
        profile.lastSeen = row.5
        profile.recommended = row.6
        profile.lastAskedToRecommend = row.7
        if let intent = row.8, let session = row.10, let at = row.11 {
            profile.lastSolved = SolvedRequest(intent: intent, label: row.9 ?? intent, session: session, at: at)
        }
        for (field, value, source, at, consent) in try await connection.rows(
            "SELECT field, value, source, at, consent FROM profile_fact WHERE customer_id = \(id)").decode((String, String, String, Date, Bool).self).all() {
            profile.facts[field] = ProfileFact(
                value: StoredText.decode(value), source: ProfileFact.Source(rawValue: source) ?? .inferred, at: at, consent: consent)
        }
        for (field, at) in try await connection.rows(
            "SELECT field, at FROM profile_decline WHERE customer_id = \(id)").decode((String, Date).self).all() {
            profile.declined[field] = at
        }
        profile.purchases = Set(try await connection.rows(
            "SELECT reference FROM purchase WHERE customer_id = \(id)").decode(String.self).all().map { StoredText.decode($0) })
        return profile
    }

    public func savedState(session: String) async throws(StoreError) -> DialogueState? {
        try await read("read the dialogue state") { connection in
            try await connection.rows("SELECT state FROM session_state WHERE session_id = \(session)")
                .decode(ByteBuffer.self).all().first
                .flatMap { DialogueState.decoded(from: Data(buffer: $0)) }
        }
    }

    public func reportFigures(since: Date?, until: Date?) async throws(StoreError) -> ReportFigures {
        let lower = since ?? .distantPast, upper = until ?? .distantFuture
        return try await read("add up the figures for the report") { connection in
            var figures = ReportFigures()
            for try await (count, contained) in try await connection.rows("""
                SELECT count(*)::int, (count(*) FILTER (WHERE handed_off_at IS NULL))::int FROM session
                WHERE started_at >= \(lower) AND started_at < \(upper)
                """).decode((Int, Int).self) {
                (figures.conversations, figures.contained) = (count, contained)
            }
            for try await (reason, count) in try await connection.rows("""
                SELECT handoff_reason, count(*)::int FROM session
                WHERE started_at >= \(lower) AND started_at < \(upper) AND handoff_reason IS NOT NULL GROUP BY 1
                """).decode((String, Int).self) {
                figures.handoffs[reason] = count
            }
            for try await (count, missed) in try await connection.rows("""
                SELECT count(*)::int, (count(*) FILTER (WHERE missed))::int FROM turn WHERE at >= \(lower) AND at < \(upper)
                """).decode((Int, Int).self) {
                (figures.customerMessages, figures.missedMessages) = (count, missed)
            }
            for try await (intent, count) in try await connection.rows("""
                SELECT intent, count(*)::int FROM turn WHERE at >= \(lower) AND at < \(upper) AND intent IS NOT NULL GROUP BY 1
                """).decode((String, Int).self) {
                figures.answered[intent] = count
            }
            // The messages not understood, grouped by their text, each with the
            // place of its first time among all the period's turns.
            figures.missed = try await connection.rows("""
                SELECT customer_text, count(*)::int, min(position)::int FROM (
                    SELECT customer_text, missed, row_number() OVER (ORDER BY at, session_id, sequence) - 1 AS position
                    FROM turn WHERE at >= \(lower) AND at < \(upper)
                ) AS ordered WHERE missed GROUP BY customer_text ORDER BY 3
                """).decode((String, Int, Int).self).all().map {
                ReportFigures.Missed(text: StoredText.decode($0.0), count: $0.1, first: $0.2)
            }
            for try await row in try await connection.rows("""
                SELECT count(*)::int, (count(*) FILTER (WHERE score >= 4))::int, coalesce(sum(score), 0)::int,
                       (count(*) FILTER (WHERE recommend >= 9))::int, (count(*) FILTER (WHERE recommend BETWEEN 7 AND 8))::int,
                       (count(*) FILTER (WHERE recommend <= 6))::int
                FROM feedback WHERE at >= \(lower) AND at < \(upper)
                """).decode((Int, Int, Int, Int, Int, Int).self) {
                (figures.feedback, figures.satisfied, figures.scoreTotal) = (row.0, row.1, row.2)
                (figures.promoters, figures.passives, figures.detractors) = (row.3, row.4, row.5)
            }
            for try await (intent, count, satisfied) in try await connection.rows("""
                SELECT intent, count(*)::int, (count(*) FILTER (WHERE score >= 4))::int FROM feedback
                WHERE at >= \(lower) AND at < \(upper) AND intent IS NOT NULL GROUP BY 1
                """).decode((String, Int, Int).self) {
                figures.rated[intent] = ReportFigures.Ratings(count: count, satisfied: satisfied)
            }
            for try await (expectation, count) in try await connection.rows("""
                SELECT expectation, count(*)::int FROM feedback
                WHERE at >= \(lower) AND at < \(upper) AND expectation IS NOT NULL GROUP BY 1
                """).decode((String, Int).self) {
                if let expectation = AgainstExpectations(rawValue: expectation) { figures.expectations[expectation, default: 0] += count }
            }
            // Customers known by name, at each stage; one never placed is a suspect, as when a profile is read.
            let prefix = CustomerProfile.anonymousPrefix
            for try await (stage, count) in try await connection.rows("""
                SELECT stage, count(*)::int FROM customer WHERE left(id, \(Int32(prefix.count))) <> \(prefix) GROUP BY 1
                """).decode((String, Int).self) {
                figures.ladder[LoyaltyStage(rawValue: stage) ?? .suspect, default: 0] += count
            }
            return figures
        }
    }

    // MARK: - transactions

    /// Runs the body in one transaction; a failure rolls all of it back.
    private func transaction<T: Sendable>(
        _ operation: String, _ body: (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: Self.logger) { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error, operation: operation, location: location)
        }
    }

    private func read<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error, operation: operation, location: location)
        }
    }

    /// A part of a commit: a failure that is not already a `StoreError` names the part.
    private static func step(_ operation: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw storeError(error, operation: operation, location: nil)
        }
    }

    /// Why a first connection failed, in PostgreSQL's words where it gave some.
    static func connectionProblem(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "cannot reach the server: \(underlying)" }
        return "cannot reach the server (\(error.code))"
    }

    /// What users read for a failure: a store error as it is (also when
    /// postgres-nio wraps it in a transaction error), PostgreSQL's own message otherwise.
    static func storeError(_ error: any Error, operation: String, location: String?) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError:
            // What went wrong first: the body, else BEGIN, else COMMIT (a rollback's own failure says least).
            if let first = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
                return storeError(first, operation: operation, location: location)
            }
            return .operationFailed(operation: operation, reason: "the transaction failed")
        case let error as PSQLError:
            if let message = error.serverInfo?[.message] {
                return .operationFailed(operation: operation, reason: message)
            }
            let reason = error.underlying.map { String(describing: $0) } ?? "\(error.code)"
            if let location, error.code == .connectionError || error.code == .serverClosedConnection {
                return .cannotOpen(path: location, reason: "cannot reach the server (\(reason))")
            }
            return .operationFailed(operation: operation, reason: reason)
        default:
            return .operationFailed(operation: operation, reason: String(describing: error))
        }
    }
}

/// postgres-nio logs nothing unless a logging backend is set up; rapport sets none.
private let queryLogger = Logger(label: "rapport.postgres")

extension PostgresConnection {
    /// A query's rows (the async form, whatever follows it).
    @discardableResult
    fileprivate func rows(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await self.query(query, logger: queryLogger)
    }
}

extension AsyncSequence {
    /// Every element, in order.
    fileprivate func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
