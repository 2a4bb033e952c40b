import Foundation
import RapportCore
import RapportStore

/// The `rapport serve` driver: turns each request line into exactly one
/// response line, keeping one conversation per session. Many sessions and
/// customers interleave on one stream, each with its own state.
///
/// Holds no conversation logic: it decodes, hands events to `Conversation`,
/// encodes the outcome and carries out the effects against the store.
public struct ProtocolServer {
    private struct LiveSession {
        var conversation: Conversation
        var customerID: String
        var lastUsed: UInt64
    }

    public let engine: Engine
    private let store: any ConversationStore
    private let clock: () -> Date
    private let baseSeed: UInt64
    /// Sessions beyond this many live conversations are set aside, least
    /// recently used first; their next message picks them up from the store.
    private let maxLiveSessions: Int
    private var live: [String: LiveSession] = [:]
    private var tick: UInt64 = 0
    /// Problems the host should see in its logs (stderr), not on the protocol.
    public private(set) var diagnostics: [String] = []

    public init(
        engine: Engine, store: any ConversationStore, seed: UInt64,
        maxLiveSessions: Int = 10_000, clock: @escaping () -> Date
    ) {
        self.engine = engine
        self.store = store
        self.baseSeed = seed
        self.maxLiveSessions = max(1, maxLiveSessions)
        self.clock = clock
    }

    /// The first line the server prints.
    public var ready: JSONValue {
        .object([
            ("type", .string("ready")),
            ("protocol", .number(Double(ProtocolVersion.current))),
            ("bot", .string(engine.bot.name)),
            ("capabilities", .array(ProtocolRequest.types.map { .string($0) })),
            ("max_line_bytes", .number(Double(ProtocolVersion.maxLineBytes))),
            ("max_text_characters", .number(Double(ProtocolVersion.maxTextCharacters))),
            // "hybrid" (words and the sentence encoder) or "words", and the encoder or why there is none.
            ("matcher", .string(engine.matcher.kind)),
        ] + (engine.matcher.note.isEmpty ? [] : [("matcher_note", .string(engine.matcher.note))]))
    }

    /// Serves one line (without its newline) and returns the one line to send back.
    public mutating func serve(_ line: Data) -> JSONValue {
        do {
            switch try ProtocolRequest.decode(line) {
            case .ping(let id):
                return .object([("type", .string("pong")), ("id", id ?? .null)])
            case .message(let id, let session, let customer, let text):
                return try message(id: id, session: session, customer: customer, text: text)
            case .start(let id, let session, let customer):
                return try start(id: id, session: session, customer: customer)
            case .timeout(let id, let session):
                return try timeout(id: id, session: session)
            case .end(let id, let session):
                return try end(id: id, session: session)
            case .feedback(let id, let session, let score, let comment):
                return try feedback(id: id, session: session, score: score, comment: comment)
            case .profile(let id, let customer):
                return try profile(id: id, customer: customer)
            case .forget(let id, let customer):
                return try forget(id: id, customer: customer)
            }
        } catch {
            return error.line
        }
    }

    /// The line to send for a line that was too long to read.
    public func tooLong(bytes: Int) -> JSONValue {
        ProtocolError(.lineTooLong, "the line is \(bytes) bytes or more; the limit is \(ProtocolVersion.maxLineBytes)").line
    }

    // MARK: - requests

    private mutating func message(id: JSONValue?, session: String, customer: String?, text: String) throws(ProtocolError) -> JSONValue {
        var events: [JSONValue] = []
        var current = try liveSession(session, customer: customer, id: id, events: &events)
        if !current.conversation.state.profile.isAnonymous {
            // Another session of the same customer may have changed the profile
            // ("forget my email" in another tab): the store has the truth.
            current.conversation.adopt(try storedProfile(current.customerID, id: id))
        }
        var outcome = current.conversation.handle(.customerSaid(text, at: clock()))
        let failures = carryOut(outcome.effects, session: session, saving: current.conversation.state)
        for case .handoff(let summary) in outcome.effects {
            events.append(Self.handoffEvent(summary, customer: current.customerID))
        }
        if outcome.effects.contains(where: { $0.erasedCustomer != nil }) {
            let incompleteOnly = !failures.isEmpty && failures.allSatisfy { if case .erasureIncomplete = $0 { return true } else { return false } }
            if failures.isEmpty || incompleteOnly {
                // The rows are gone: every conversation of the customer goes, in memory too.
                live = live.filter { $0.value.customerID != current.customerID }
            } else {
                // Nothing was erased: the session is picked up from the store on its next message.
                live[session] = nil
            }
            if failures.isEmpty {
                events.append(.object([("type", .string(EventName.customerErased)), ("customer", .string(current.customerID))]))
            } else {
                // Not "done": say so, and let the host know it must be tried again.
                outcome.replies = [current.conversation.erasureFailedReply()]
                events.append(.object([
                    ("type", .string("erasure_failed")), ("customer", .string(current.customerID)),
                    ("message", .string(failures.map(\.description).joined(separator: "; "))),
                ]))
            }
            if failures.isEmpty || incompleteOnly {
                events.append(.object([("type", .string(EventName.sessionEnded)), ("reason", .string("erased"))]))
            }
        } else if current.conversation.state.phase == .ended {
            live[session] = nil
            events.append(.object([("type", .string(EventName.sessionEnded)), ("reason", .string("goodbye"))]))
        } else {
            live[session] = current
        }
        let intent: JSONValue = outcome.understanding?.matched.map {
            .object([("name", .string($0.intent)), ("confidence", .number(Self.rounded($0.confidence)))])
        } ?? .null
        var fields: [(String, JSONValue)] = [
            ("type", .string("reply")),
            ("id", id ?? .null),
            ("session", .string(session)),
            ("replies", Self.replies(outcome)),
            ("intent", intent),
        ]
        if case .ambiguous(let first, let second)? = outcome.understanding?.decision {
            fields.append(("clarify", .array([first, second].map {
                .object([("name", .string($0.intent)), ("confidence", .number(Self.rounded($0.confidence)))])
            })))
        }
        fields.append(("entities", .array((outcome.understanding?.entities ?? []).map(Self.entity))))
        fields.append(("events", .array(events)))
        return .object(fields)
    }

    /// A new session opened by the host, with the bot's welcome; a customer
    /// whose last conversation stopped mid-way (and is not live here) is
    /// offered to pick it up.
    private mutating func start(id: JSONValue?, session: String, customer: String?) throws(ProtocolError) -> JSONValue {
        let stored = try storedSession(session, id: id)
        if live[session] != nil || stored != nil {
            throw ProtocolError(.sessionExists, "session '\(session)' has already started; send its messages, or start a new session id", id: id)
        }
        let customerID = customer ?? CustomerProfile.anonymousPrefix + session
        let now = clock()
        let unfinished: UnfinishedConversation?
        do {
            // Sessions live in this server belong to a chat still open somewhere.
            unfinished = try store.unfinishedConversation(
                of: customerID, excluding: Set(live.keys).union([session]), idle: Self.abandonedAfter, now: now, engine: engine)
        } catch {
            throw ProtocolError(.storeFailed, "the database could not be read: \(error)", id: id)
        }
        do {
            try store.beginSession(SessionRecord(id: session, customerID: customerID, channel: "protocol", startedAt: now))
        } catch .sessionExists {
            throw ProtocolError(.sessionExists, "session '\(session)' has already started; send its messages, or start a new session id", id: id)
        } catch {
            throw ProtocolError(.storeFailed, "the session could not be saved: \(error)", id: id)
        }
        tick += 1
        var conversation = Conversation(engine: engine, sessionID: session, seed: seed(for: session),
                                        profile: try storedProfile(customerID, id: id), unfinished: unfinished)
        let outcome = conversation.handle(.started(at: now))
        carryOut(outcome.effects, session: session, saving: conversation.state)
        live[session] = LiveSession(conversation: conversation, customerID: customerID, lastUsed: tick)
        setAsideIfFull()
        return .object([
            ("type", .string("started")), ("id", id ?? .null), ("session", .string(session)),
            ("replies", Self.replies(outcome)),
            ("events", .array([.object([("type", .string("session_started")), ("customer", .string(customerID))])])),
        ])
    }

    /// How long a conversation must have been quiet, and not live in this
    /// server, before a new session of the customer offers to pick it up.
    static let abandonedAfter: TimeInterval = 5 * 60

    /// The host's inactivity timer fired: the bot asks if the customer is
    /// still there, and the second time in a row closes the session.
    private mutating func timeout(id: JSONValue?, session: String) throws(ProtocolError) -> JSONValue {
        var events: [JSONValue] = []
        if live[session] == nil, try storedSession(session, id: id) == nil {
            throw ProtocolError(.unknownSession, "there is no session '\(session)'", id: id)
        }
        var current = try liveSession(session, customer: nil, id: id, events: &events)
        let outcome = current.conversation.handle(.timedOut(at: clock()))
        carryOut(outcome.effects, session: session, saving: current.conversation.state)
        if current.conversation.state.phase == .ended {
            live[session] = nil
            events.append(.object([("type", .string(EventName.sessionEnded)), ("reason", .string("timeout"))]))
        } else {
            live[session] = current
        }
        return .object([
            ("type", .string("reply")), ("id", id ?? .null), ("session", .string(session)),
            ("replies", Self.replies(outcome)), ("intent", .null), ("entities", .array([])), ("events", .array(events)),
        ])
    }

    /// An entity as hosts see it: offsets are Unicode scalar (code point) offsets.
    static func entity(_ match: EntityMatch) -> JSONValue {
        .object([
            ("entity", .string(match.entity)), ("value", .string(match.value)), ("text", .string(match.text)),
            ("start", .number(Double(match.start))), ("end", .number(Double(match.end))),
        ])
    }

    private mutating func end(id: JSONValue?, session: String) throws(ProtocolError) -> JSONValue {
        var events: [JSONValue] = []
        if live[session] == nil, try storedSession(session, id: id) == nil {
            throw ProtocolError(.unknownSession, "there is no session '\(session)'", id: id)
        }
        var current = try liveSession(session, customer: nil, id: id, events: &events)
        let outcome = current.conversation.handle(.ended(at: clock()))
        carryOut(outcome.effects, session: session, saving: current.conversation.state)
        live[session] = nil
        return .object([
            ("type", .string("ended")),
            ("id", id ?? .null),
            ("session", .string(session)),
            ("replies", Self.replies(outcome)),
            ("events", .array([.object([("type", .string(EventName.sessionEnded)), ("reason", .string("end"))])])),
        ])
    }

    /// Hands the score to the session's conversation (live, or rebuilt from
    /// the store, even after it ended), stores the record, and acknowledges it
    /// only once it is committed.
    private mutating func feedback(id: JSONValue?, session: String, score: Int, comment: String?) throws(ProtocolError) -> JSONValue {
        var conversation: Conversation
        let customer: String
        let open: Bool
        if let current = live[session] {
            conversation = current.conversation
            customer = current.customerID
            open = true
            // Another session of the customer may have changed the profile meanwhile.
            if !conversation.state.profile.isAnonymous { conversation.adopt(try storedProfile(customer, id: id)) }
        } else {
            guard let stored = try storedSession(session, id: id) else {
                throw ProtocolError(.unknownSession, "there is no session '\(session)'", id: id)
            }
            let profile = try storedProfile(stored.customerID, id: id)
            conversation = try replay(stored, profile: profile, id: id)
            conversation.adopt(profile)
            customer = stored.customerID
            open = stored.endedAt == nil
        }
        let outcome = conversation.handle(.feedbackGiven(score: score, comment: comment, at: clock()))
        var record: FeedbackRecord?
        for case .recordFeedback(let feedback) in outcome.effects {
            record = feedback
            do {
                try store.recordFeedback(feedback)
            } catch {
                throw ProtocolError(.storeFailed, "the feedback could not be saved, so it is not acknowledged: \(error)", id: id)
            }
        }
        carryOut(outcome.effects.filter { if case .recordFeedback = $0 { return false } else { return true } }, session: session, saving: conversation.state)
        if open {
            tick += 1
            live[session] = LiveSession(conversation: conversation, customerID: customer, lastUsed: tick)
            setAsideIfFull()
        }
        return .object([
            ("type", .string("feedback_recorded")), ("id", id ?? .null), ("session", .string(session)),
            ("score", .number(Double(score))), ("intent", record?.intent.map { .string($0) } ?? .null),
            ("replies", Self.replies(outcome)),
        ])
    }

    private func profile(id: JSONValue?, customer: String) throws(ProtocolError) -> JSONValue {
        let sessions: [SessionRecord]
        let stored: CustomerProfile?
        do {
            sessions = try store.sessions(ofCustomer: customer)
            stored = try store.profile(of: customer)
        } catch {
            throw ProtocolError(.storeFailed, "the database could not be read: \(error)", id: id)
        }
        let profile = stored ?? CustomerProfile(id: customer)
        let catalogue = engine.bot.profile
        let formatter = ISO8601DateFormatter()
        let lastSeen = sessions.map { $0.endedAt ?? $0.startedAt }.max()
        return .object([
            ("type", .string("profile")), ("id", id ?? .null), ("customer", .string(customer)),
            ("known", .bool(!sessions.isEmpty || stored != nil)),
            ("sessions", .number(Double(sessions.count))),
            ("first_seen", sessions.first.map { .string(formatter.string(from: $0.startedAt)) } ?? .null),
            ("last_seen", lastSeen.map { .string(formatter.string(from: $0)) } ?? .null),
            ("trust", .number((profile.trust * 10).rounded() / 10)),
            ("stage", .string(profile.stage.rawValue)),
            ("level", .string(profile.level(partnershipOrders: catalogue.asking.partnershipOrders).rawValue)),
            ("profiling", .bool(profile.profilingOn)),
            ("facts", .array(profile.facts.sorted { $0.key < $1.key }.map { field, fact in
                .object([
                    ("field", .string(field)),
                    ("kind", catalogue.field(named: field).map { .string($0.kind.rawValue) } ?? .null),
                    ("value", .string(fact.value)), ("source", .string(fact.source.rawValue)),
                    ("consent", .bool(fact.consent)), ("at", .string(formatter.string(from: fact.at))),
                ])
            })),
            ("declined", .array(profile.declined.keys.sorted().map { .string($0) })),
        ])
    }

    /// Erases the customer everywhere: the database and the live conversations.
    private mutating func forget(id: JSONValue?, customer: String) throws(ProtocolError) -> JSONValue {
        let summary: ErasureSummary
        do {
            summary = try store.eraseCustomer(customer)
        } catch {
            throw ProtocolError(.storeFailed, "the customer could not be erased: \(error)", id: id)
        }
        live = live.filter { $0.value.customerID != customer }
        return .object([
            ("type", .string("forgotten")), ("id", id ?? .null), ("customer", .string(customer)),
            ("sessions", .number(Double(summary.sessions))), ("turns", .number(Double(summary.turns))),
            ("feedback", .number(Double(summary.feedback))), ("facts", .number(Double(summary.facts))),
        ])
    }

    // MARK: - sessions

    /// The session's live conversation: kept in memory, picked up from the
    /// store, or started, in that order.
    private mutating func liveSession(
        _ session: String, customer: String?, id: JSONValue?, events: inout [JSONValue]
    ) throws(ProtocolError) -> LiveSession {
        tick += 1
        if var current = live[session] {
            try checkCustomer(customer, owner: current.customerID, session: session, id: id)
            if try storedSession(session, id: id) != nil {
                current.lastUsed = tick
                return current
            }
            // Erased meanwhile (a `forget` from another process): nothing of it may come back.
            live[session] = nil
        }
        let current: LiveSession
        if let stored = try storedSession(session, id: id) {
            guard stored.endedAt == nil else {
                throw ProtocolError(.sessionEnded, "session '\(session)' has ended; use a new session id", id: id)
            }
            try checkCustomer(customer, owner: stored.customerID, session: session, id: id)
            // Replayed as the customer, so a question they were being asked is
            // asked again in the same place; the store's profile then stands.
            let profile = try storedProfile(stored.customerID, id: id)
            var conversation = try replay(stored, profile: profile, id: id)
            conversation.adopt(profile)
            current = LiveSession(conversation: conversation, customerID: stored.customerID, lastUsed: tick)
            events.append(.object([("type", .string("session_resumed")), ("customer", .string(stored.customerID))]))
        } else {
            let customerID = customer ?? CustomerProfile.anonymousPrefix + session
            let now = clock()
            do {
                try store.beginSession(SessionRecord(id: session, customerID: customerID, channel: "protocol", startedAt: now))
            } catch .sessionExists {
                // Another rapport on the same database started it a moment ago: pick it up.
                tick -= 1
                return try liveSession(session, customer: customer, id: id, events: &events)
            } catch {
                throw ProtocolError(.storeFailed, "the session could not be saved: \(error)", id: id)
            }
            var conversation = Conversation(engine: engine, sessionID: session, seed: seed(for: session),
                                            profile: try storedProfile(customerID, id: id))
            // Hosts show their own welcome; the protocol answers the message itself. The start is a visit.
            carryOut(conversation.handle(.started(at: now)).effects, session: session, saving: conversation.state)
            current = LiveSession(conversation: conversation, customerID: customerID, lastUsed: tick)
            events.append(.object([("type", .string("session_started")), ("customer", .string(customerID))]))
        }
        setAsideIfFull()
        return current
    }

    /// The customer's profile as the database has it (a new one for a customer never seen).
    private func storedProfile(_ customer: String, id: JSONValue?) throws(ProtocolError) -> CustomerProfile {
        do {
            return try store.profile(of: customer) ?? CustomerProfile(id: customer)
        } catch {
            throw ProtocolError(.storeFailed, "the customer's profile could not be read: \(error)", id: id)
        }
    }

    /// The session as the database has it, or nil; a failed read is `store_failed`.
    private func storedSession(_ session: String, id: JSONValue?) throws(ProtocolError) -> SessionRecord? {
        do {
            return try store.session(id: session)
        } catch {
            throw ProtocolError(.storeFailed, "the database could not be read: \(error)", id: id)
        }
    }

    /// Rebuilds a stored session's dialogue state (see `ConversationStore.replayed`).
    private func replay(_ stored: SessionRecord, profile: CustomerProfile, id: JSONValue?) throws(ProtocolError) -> Conversation {
        do {
            return try store.replayed(stored, engine: engine, seed: seed(for: stored.id), profile: profile)
        } catch {
            throw ProtocolError(.storeFailed, "the session's turns could not be read: \(error)", id: id)
        }
    }

    private func checkCustomer(_ customer: String?, owner: String, session: String, id: JSONValue?) throws(ProtocolError) {
        if let customer, customer != owner {
            throw ProtocolError(
                .customerMismatch,
                "session '\(session)' belongs to another customer; a session cannot change customer", id: id
            )
        }
    }

    private mutating func setAsideIfFull() {
        guard live.count >= maxLiveSessions,
              let oldest = live.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key else { return }
        live[oldest] = nil
    }

    /// Each session's seed follows from the server's seed and the session id,
    /// so a run with `--seed` is repeatable whatever order sessions interleave in.
    private func seed(for session: String) -> UInt64 {
        let hash = StableHash.fnv1a(session.utf8)
        var generator = SplitMix64(seed: baseSeed ^ hash)
        return generator.next()
    }

    @discardableResult
    private mutating func carryOut(_ effects: [ConversationEffect], session: String, saving state: DialogueState) -> [StoreError] {
        // The customer still gets the answer; the host's logs get the failure.
        let failures = store.carryOut(effects, session: session, saving: state)
        diagnostics += failures.map { "rapport serve: warning: \($0)" }
        return failures
    }

    /// Hands over the diagnostics gathered so far, for the driver to log.
    public mutating func takeDiagnostics() -> [String] {
        defer { diagnostics = [] }
        return diagnostics
    }

    /// The replies as objects; quick replies ride on the last one, as `buttons`.
    static func replies(_ outcome: TurnOutcome) -> JSONValue {
        .array(outcome.replies.enumerated().map { index, text in
            var fields: [(String, JSONValue)] = [("text", .string(text))]
            if index == outcome.replies.count - 1, !outcome.quickReplies.isEmpty {
                fields.append(("buttons", .array(outcome.quickReplies.map {
                    .object([("title", .string($0.title)), ("message", .string($0.message))])
                })))
            }
            return .object(fields)
        })
    }

    /// What an agent desk needs to take over, in the spirit of Bot Framework's `handoff.initiate`.
    static func handoffEvent(_ summary: HandoffSummary, customer: String) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        return .object([
            ("type", .string(EventName.handoff)),
            ("reason", .string(summary.reason.rawValue)),
            ("summary", .object([
                ("customer", .string(customer)),
                ("first_message", text(summary.firstMessage)),
                ("last_intent", text(summary.lastIntent)),
                ("topic", text(summary.topic)),
                ("misses", .number(Double(summary.misses))),
                ("slots", .object(summary.slots.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                ("profile", .object(summary.profile.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                ("stage", .string(summary.stage.rawValue)),
                ("transcript", .array(summary.transcript.map {
                    .object([("from", .string($0.speaker.rawValue)), ("text", .string($0.text))])
                })),
            ])),
        ])
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}
