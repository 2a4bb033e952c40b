import Foundation
import RapportCore
import RapportSessions
import RapportStore

/// The `rapport serve` driver: turns each request line into exactly one
/// response line. Many sessions and customers interleave on one stream, each
/// with its own state.
///
/// Holds no conversation or session logic: it decodes a request, makes the
/// matching call on the `SessionHost`, and encodes the reply and its events.
/// `answer` may run for several requests at once (the host keeps each
/// session's calls in order); `StdioServer` decides which may.
public struct ProtocolServer: Sendable {
    public let engine: Engine
    private let host: SessionHost
    /// Problems the host should see in its logs (stderr), not on the protocol.
    public private(set) var diagnostics: [String] = []

    public init(
        engine: Engine, store: any ConversationStore, seed: UInt64,
        maxLiveSessions: Int = 10_000, clock: @escaping @Sendable () -> Date
    ) {
        self.engine = engine
        self.host = SessionHost(
            engine: engine, store: store, settings: .protocolServer(seed: seed, maxLiveSessions: maxLiveSessions), clock: clock)
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

    /// One request's answer line, and the warnings for the host's logs (stderr).
    public struct Answer: Sendable {
        public var line: JSONValue
        public var warnings: [String] = []
        /// The session the request was for and its customer, when the host said (for `StdioServer`'s ordering).
        public var owner: (session: String, customer: String)?
    }

    /// Serves one line (without its newline) and returns the one line to send back.
    public mutating func serve(_ line: Data) async -> JSONValue {
        let request: ProtocolRequest
        do {
            request = try ProtocolRequest.decode(line)
        } catch {
            return error.line
        }
        let answer = await answer(request)
        diagnostics += answer.warnings
        return answer.line
    }

    /// Answers one request without changing the server, so requests can be answered side by side.
    public func answer(_ request: ProtocolRequest) async -> Answer {
        do {
            return try await serve(request)
        } catch {
            return Answer(line: Self.protocolError(error, id: request.id).line)
        }
    }

    /// The line to send for a line that was too long to read.
    public func tooLong(bytes: Int) -> JSONValue {
        ProtocolError(.lineTooLong, "the line is \(bytes) bytes or more; the limit is \(ProtocolVersion.maxLineBytes)").line
    }

    // MARK: - requests

    private func serve(_ request: ProtocolRequest) async throws(SessionFailure) -> Answer {
        switch request {
        case .ping(let id):
            return Answer(line: .object([("type", .string("pong")), ("id", id ?? .null)]))
        case .message(let id, let session, let customer, let text):
            let reply = try await host.message(session: session, customer: customer, text: text)
            return Self.answer(Self.reply(reply, id: id, session: session), reply, session: session, named: customer)
        case .start(let id, let session, let customer):
            let reply = try await host.start(session: session, customer: customer)
            return Self.answer(.object([
                ("type", .string("started")), ("id", id ?? .null), ("session", .string(session)),
                ("replies", Self.replies(reply.outcome)), ("events", .array(reply.events.map(Self.event))),
            ]), reply, session: session, named: customer)
        case .timeout(let id, let session):
            let reply = try await host.timeout(session: session)
            return Self.answer(.object([
                ("type", .string("reply")), ("id", id ?? .null), ("session", .string(session)),
                ("replies", Self.replies(reply.outcome)), ("intent", .null), ("entities", .array([])),
                ("events", .array(reply.events.map(Self.event))),
            ]), reply, session: session)
        case .end(let id, let session):
            let reply = try await host.end(session: session)
            // `ended` says only that the session ended, even when it was picked up from the store to end it.
            let ending = reply.events.filter { if case .ended = $0 { true } else { false } }
            return Self.answer(.object([
                ("type", .string("ended")), ("id", id ?? .null), ("session", .string(session)),
                ("replies", Self.replies(reply.outcome)), ("events", .array(ending.map(Self.event))),
            ]), reply, session: session)
        case .feedback(let id, let session, let score, let comment):
            let reply = try await host.feedback(session: session, score: score, comment: comment)
            return Answer(line: .object([
                ("type", .string("feedback_recorded")), ("id", id ?? .null), ("session", .string(session)),
                ("score", .number(Double(score))), ("intent", reply.record?.intent.map { .string($0) } ?? .null),
                ("replies", Self.replies(reply.outcome)),
            ]), warnings: Self.warnings(reply.storeFailures))
        case .profile(let id, let customer):
            return Answer(line: profile(try await host.customer(customer), id: id, customer: customer))
        case .forget(let id, let customer):
            let summary = try await host.forget(customer: customer)
            return Answer(line: .object([
                ("type", .string("forgotten")), ("id", id ?? .null), ("customer", .string(customer)),
                ("sessions", .number(Double(summary.sessions))), ("turns", .number(Double(summary.turns))),
                ("feedback", .number(Double(summary.feedback))), ("facts", .number(Double(summary.facts))),
            ]))
        }
    }

    /// A reply's line with the store's failures as warnings, and the session's
    /// customer when the reply names it or the request did (and was served, so it is theirs).
    private static func answer(_ line: JSONValue, _ reply: HostReply, session: String, named: String? = nil) -> Answer {
        let customer = reply.events.lazy.compactMap { event -> String? in
            switch event {
            case .started(let customer), .resumed(let customer): customer
            default: nil
            }
        }.first ?? named
        return Answer(line: line, warnings: warnings(reply.storeFailures), owner: customer.map { (session, $0) })
    }

    /// A customer message's reply line.
    private static func reply(_ reply: HostReply, id: JSONValue?, session: String) -> JSONValue {
        let outcome = reply.outcome
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
        fields.append(("events", .array(reply.events.map(Self.event))))
        return .object(fields)
    }

    /// A session event as hosts see it.
    static func event(_ event: SessionEvent) -> JSONValue {
        switch event {
        case .started(let customer):
            .object([("type", .string("session_started")), ("customer", .string(customer))])
        case .resumed(let customer):
            .object([("type", .string("session_resumed")), ("customer", .string(customer))])
        case .handoff(let summary, let customer):
            handoffEvent(summary, customer: customer)
        case .customerErased(let customer):
            .object([("type", .string(EventName.customerErased)), ("customer", .string(customer))])
        case .erasureFailed(let customer, let reason):
            .object([("type", .string("erasure_failed")), ("customer", .string(customer)), ("message", .string(reason))])
        case .ended(let reason):
            .object([("type", .string(EventName.sessionEnded)), ("reason", .string(reason.rawValue))])
        }
    }

    /// A refused call as the protocol's error line, in the words hosts have always had.
    static func protocolError(_ failure: SessionFailure, id: JSONValue?) -> ProtocolError {
        switch failure {
        case .sessionExists(let session):
            ProtocolError(.sessionExists, "session '\(session)' has already started; send its messages, or start a new session id", id: id)
        case .unknownSession(let session):
            ProtocolError(.unknownSession, "there is no session '\(session)'", id: id)
        case .sessionEnded(let session):
            ProtocolError(.sessionEnded, "session '\(session)' has ended; use a new session id", id: id)
        case .customerMismatch(let session):
            ProtocolError(.customerMismatch, "session '\(session)' belongs to another customer; a session cannot change customer", id: id)
        case .storeFailed(let message):
            ProtocolError(.storeFailed, message, id: id)
        }
    }

    /// An entity as hosts see it: offsets are Unicode scalar (code point) offsets.
    static func entity(_ match: EntityMatch) -> JSONValue {
        .object([
            ("entity", .string(match.entity)), ("value", .string(match.value)), ("text", .string(match.text)),
            ("start", .number(Double(match.start))), ("end", .number(Double(match.end))),
        ])
    }

    private func profile(_ record: CustomerRecord, id: JSONValue?, customer: String) -> JSONValue {
        let sessions = record.sessions, stored = record.profile
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

    /// The customer still gets the answer; the host's logs get the failure.
    private static func warnings(_ failures: [StoreError]) -> [String] {
        failures.map { "rapport serve: warning: \($0)" }
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
        // `continues` only for a session that goes on with one handed over before: other handoffs are as they were.
        let continues: [(String, JSONValue)] = summary.continues.map { [("continues", .string($0))] } ?? []
        return .object([
            ("type", .string(EventName.handoff)),
            ("reason", .string(summary.reason.rawValue)),
            ("summary", .object([
                ("customer", .string(customer)),
            ] + continues + [
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
