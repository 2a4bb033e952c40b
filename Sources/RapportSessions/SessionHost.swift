import Foundation
import RapportCore
import RapportStore

/// Keeps the conversations of one rapport process: starts sessions, hands
/// them the customer's events, stores each turn in one commit, picks a
/// session up from the store after a restart or on another process, sets
/// idle ones aside, and closes them. Every front end drives it: `rapport
/// serve` (stdio), the console and the transcript runner, so none of them
/// holds session logic; a further transport is a small file that turns its
/// requests into these calls and `SessionEvent`s into its own messages.
///
/// Calls for one session run one at a time, in the order they arrive, even
/// from concurrent tasks; calls for different sessions interleave while one
/// waits for the store.
public actor SessionHost {
    public nonisolated let engine: Engine
    private let store: any ConversationStore
    private let settings: HostSettings
    private let clock: @Sendable () -> Date

    private struct LiveSession {
        var conversation: Conversation
        var customerID: String
        var lastUsed: UInt64
        /// The latest turn the store had of the session when this host last
        /// read or wrote it: if the store has another now, another process
        /// went on with the session, and this copy is behind.
        var storedTurn: Int = 0
    }

    private var live: [String: LiveSession] = [:]
    private var tick: UInt64 = 0
    /// Sessions with a call in progress, and the calls waiting for it.
    private var busy: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init(engine: Engine, store: any ConversationStore, settings: HostSettings, clock: @escaping @Sendable () -> Date) {
        self.engine = engine
        self.store = store
        self.settings = settings
        self.clock = clock
    }

    // MARK: - the calls a transport makes

    /// Opens a session with the bot's welcome. A customer whose last
    /// conversation stopped mid-way (and is not live here) is offered to pick
    /// it up; whatever it ended with, this one goes on from it
    /// (`EarlierConversation`). `known` describes the customer instead of the store (a
    /// transcript's front matter).
    public func start(session: String, customer: String?, known: KnownCustomer? = nil) async throws(SessionFailure) -> HostReply {
        await acquire(session)
        defer { release(session) }
        var failures: [StoreError] = []
        if try await storedSession(session, failures: &failures) != nil || live[session] != nil {
            throw .sessionExists(session)
        }
        let customerID = customer ?? CustomerProfile.anonymousPrefix + session
        let now = clock()
        let profile: CustomerProfile
        let unfinished: UnfinishedConversation?
        if let known {
            (profile, unfinished) = (known.profile, known.unfinished)
        } else {
            unfinished = try await tolerating(&failures, "the database could not be read", default: nil) { () async throws(StoreError) in
                try await store.unfinishedConversation(
                    of: customerID, excluding: Set(live.keys).union([session]), channel: settings.offerFromChannelOnly ? settings.channel : nil,
                    idle: settings.abandonedAfter, now: now, engine: engine)
            }
            profile = try await storedProfile(customerID, failures: &failures)
        }
        do {
            try await store.beginSession(SessionRecord(id: session, customerID: customerID, channel: settings.channel, startedAt: now))
        } catch .sessionExists {
            throw .sessionExists(session)
        } catch {
            guard settings.carryOnWithoutStore else { throw .storeFailed("the session could not be saved: \(error)") }
            failures.append(error)
        }
        // Read once this session is begun, so an erasure of the customer meanwhile takes this one with it.
        let earlier = try await earlierConversation(of: customerID, excluding: session, known: known, failures: &failures)
        var conversation = Conversation(
            engine: engine, sessionID: session, seed: seed(for: session), profile: profile, unfinished: unfinished, earlier: earlier)
        let outcome = conversation.handle(.started(at: now))
        failures += await commit(outcome, session: session, state: conversation.state)
        keep(session, LiveSession(conversation: conversation, customerID: customerID, lastUsed: 0), stored: failures.isEmpty)
        setAsideIfFull()
        return HostReply(
            outcome: outcome, at: now, events: [.started(customer: customerID)], storeFailures: failures,
            startedWith: KnownCustomer(profile: profile, unfinished: unfinished, earlier: earlier))
    }

    /// A customer's message. A session never seen is started (silently: the
    /// host shows its own welcome), one set aside or left by another process
    /// is picked up from the store.
    public func message(session: String, customer: String?, text: String) async throws(SessionFailure) -> HostReply {
        await acquire(session)
        defer { release(session) }
        var events: [SessionEvent] = []
        var failures: [StoreError] = []
        let now = clock()
        var current: LiveSession
        var outcome: TurnOutcome
        var commitFailures: [StoreError]
        var attempts = 0
        repeat {
            // A second attempt: another process stored this turn number a moment ago, serving the same
            // session, so this copy was behind. The session is picked up from the store and answered from there.
            if attempts > 0 { live[session] = nil }
            attempts += 1
            current = try await liveSession(session, customer: customer, events: &events, failures: &failures)
            try await refreshProfile(of: &current)
            (current.conversation, outcome) = await Self.answered(current.conversation, .customerSaid(text, at: now))
            commitFailures = await commit(outcome, session: session, state: current.conversation.state)
        } while attempts < 2 && commitFailures.contains(where: { if case .duplicateTurn = $0 { true } else { false } })
        failures += commitFailures
        for case .handoff(let summary) in outcome.effects {
            events.append(.handoff(summary, customer: current.customerID))
        }
        if outcome.effects.contains(where: { $0.erasedCustomer != nil }) {
            let incompleteOnly = !commitFailures.isEmpty && commitFailures.allSatisfy { if case .erasureIncomplete = $0 { true } else { false } }
            if commitFailures.isEmpty || incompleteOnly {
                // The rows are gone: every conversation of the customer goes, in memory too.
                live = live.filter { $0.value.customerID != current.customerID }
            } else {
                // Nothing was erased: the session is picked up from the store on its next message.
                live[session] = nil
            }
            if commitFailures.isEmpty {
                events.append(.customerErased(current.customerID))
            } else {
                // Not "done": say so, and let the host know it must be tried again.
                outcome.replies = [current.conversation.erasureFailedReply()]
                events.append(.erasureFailed(customer: current.customerID, reason: commitFailures.map(\.description).joined(separator: "; ")))
            }
            if commitFailures.isEmpty || incompleteOnly {
                events.append(.ended(.erased))
            }
        } else if current.conversation.state.phase == .ended {
            live[session] = nil
            events.append(.ended(.goodbye))
        } else {
            keep(session, current, stored: commitFailures.isEmpty)
        }
        return HostReply(outcome: outcome, at: now, events: events, storeFailures: failures)
    }

    /// The host's inactivity timer fired: the bot asks if the customer is
    /// still there, and the second time in a row closes the session.
    public func timeout(session: String) async throws(SessionFailure) -> HostReply {
        try await event(session: session, ending: .timeout) { .timedOut(at: $0) }
    }

    /// The host closes the session (the customer left); the bot says goodbye.
    public func end(session: String) async throws(SessionFailure) -> HostReply {
        try await event(session: session, ending: .end) { .ended(at: $0) }
    }

    /// The customer starts the conversation over (the console's `/restart`),
    /// even after it ended: the session goes on, with a fresh welcome.
    public func restart(session: String) async throws(SessionFailure) -> HostReply {
        try await event(session: session, ending: nil, reopening: true) { .restarted(at: $0) }
    }

    /// The customer asks to rate the conversation (the console's `/feedback`).
    public func requestFeedback(session: String) async throws(SessionFailure) -> HostReply {
        try await event(session: session, ending: nil) { .feedbackRequested(at: $0) }
    }

    /// A score (and comment) for the session, live or stored, even after it
    /// ended. The reply comes only once the feedback is committed.
    public func feedback(session: String, score: Int, comment: String?) async throws(SessionFailure) -> FeedbackReply {
        await acquire(session)
        defer { release(session) }
        var failures: [StoreError] = []
        var conversation: Conversation
        let customer: String
        let open: Bool
        if var current = try await upToDate(session, failures: &failures) {
            try await refreshProfile(of: &current)
            conversation = current.conversation
            customer = current.customerID
            open = true
        } else {
            guard let stored = try await storedSession(session, failures: &failures) else { throw .unknownSession(session) }
            let profile = try await storedProfile(stored.customerID, failures: &failures)
            conversation = try await replay(stored, profile: profile)
            conversation.adopt(profile)
            customer = stored.customerID
            open = stored.endedAt == nil
        }
        let outcome = conversation.handle(.feedbackGiven(score: score, comment: comment, at: clock()))
        let record = outcome.effects.lazy.compactMap { if case .recordFeedback(let record) = $0 { record } else { nil } }.last
        do {
            try await store.commit(TurnCommit(session: session, effects: outcome.effects, state: conversation.state))
        } catch {
            if record != nil { throw .storeFailed("the feedback could not be saved, so it is not acknowledged: \(error)") }
            failures.append(error)
        }
        if open {
            keep(session, LiveSession(conversation: conversation, customerID: customer, lastUsed: 0), stored: failures.isEmpty)
            setAsideIfFull()
        }
        return FeedbackReply(outcome: outcome, record: record, storeFailures: failures)
    }

    /// What rapport keeps about a customer, as the store has it.
    public func customer(_ customer: String) async throws(SessionFailure) -> CustomerRecord {
        do {
            let sessions = try await store.sessions(ofCustomer: customer)
            let profile = try await store.profile(of: customer)
            return CustomerRecord(sessions: sessions, profile: profile)
        } catch {
            throw .storeFailed("the database could not be read: \(error)")
        }
    }

    /// Erases the customer everywhere: the database and the live conversations.
    public func forget(customer: String) async throws(SessionFailure) -> ErasureSummary {
        let summary: ErasureSummary
        do {
            summary = try await store.eraseCustomer(customer)
        } catch {
            // Deleted but a copy left in the write-ahead log: the rows are gone, so the conversations go too.
            if case .erasureIncomplete = error { live = live.filter { $0.value.customerID != customer } }
            throw .storeFailed("the customer could not be erased: \(error)")
        }
        live = live.filter { $0.value.customerID != customer }
        return summary
    }

    /// The session's conversation as it is now, if it is live here: what the
    /// console's `/profile` and debug view read.
    public func conversation(_ session: String) -> Conversation? {
        live[session]?.conversation
    }

    // MARK: - sessions

    /// Runs an event that needs a session that exists, live or stored.
    private func event(
        session: String, ending reason: SessionEvent.EndReason?, reopening: Bool = false, _ make: (Date) -> ConversationEvent
    ) async throws(SessionFailure) -> HostReply {
        await acquire(session)
        defer { release(session) }
        var events: [SessionEvent] = []
        var failures: [StoreError] = []
        if live[session] == nil, try await storedSession(session, failures: &failures) == nil {
            throw .unknownSession(session)
        }
        var current = try await liveSession(session, customer: nil, reopening: reopening, events: &events, failures: &failures)
        let now = clock()
        let outcome = current.conversation.handle(make(now))
        let commitFailures = await commit(outcome, session: session, state: current.conversation.state)
        failures += commitFailures
        if reason == .end || current.conversation.state.phase == .ended {
            live[session] = nil
            if let reason { events.append(.ended(reason)) }
        } else {
            keep(session, current, stored: commitFailures.isEmpty)
        }
        return HostReply(outcome: outcome, at: now, events: events, storeFailures: failures)
    }

    /// The session's live conversation: kept in memory, picked up from the
    /// store, or started, in that order.
    private func liveSession(
        _ session: String, customer: String?, reopening: Bool = false, events: inout [SessionEvent], failures: inout [StoreError]
    ) async throws(SessionFailure) -> LiveSession {
        if let current = live[session] {
            try checkCustomer(customer, owner: current.customerID, session: session)
            if let current = try await upToDate(session, failures: &failures) { return current }
        }
        if let stored = try await storedSession(session, failures: &failures) {
            guard stored.endedAt == nil || reopening else { throw .sessionEnded(session) }
            try checkCustomer(customer, owner: stored.customerID, session: session)
            // Replayed as the customer, so a question they were being asked is
            // asked again in the same place; the store's profile then stands.
            let profile = try await storedProfile(stored.customerID, failures: &failures)
            var conversation = try await replay(stored, profile: profile)
            conversation.adopt(profile)
            events.append(.resumed(customer: stored.customerID))
            setAsideIfFull()
            return LiveSession(conversation: conversation, customerID: stored.customerID, lastUsed: 0, storedTurn: stored.lastTurn)
        }
        let customerID = customer ?? CustomerProfile.anonymousPrefix + session
        let now = clock()
        do {
            try await store.beginSession(SessionRecord(id: session, customerID: customerID, channel: settings.channel, startedAt: now))
        } catch .sessionExists {
            // Another rapport on the same database started it a moment ago: pick it up.
            return try await liveSession(session, customer: customer, events: &events, failures: &failures)
        } catch {
            guard settings.carryOnWithoutStore else { throw .storeFailed("the session could not be saved: \(error)") }
            failures.append(error)
        }
        let earlier = try await earlierConversation(of: customerID, excluding: session, known: nil, failures: &failures)
        var conversation = Conversation(engine: engine, sessionID: session, seed: seed(for: session),
                                        profile: try await storedProfile(customerID, failures: &failures), earlier: earlier)
        // Hosts show their own welcome; the message is answered itself. The start is a visit.
        failures += await commit(conversation.handle(.started(at: now)), session: session, state: conversation.state)
        events.append(.started(customer: customerID))
        setAsideIfFull()
        return LiveSession(conversation: conversation, customerID: customerID, lastUsed: 0)
    }

    /// The customer's last conversation to go on from (`EarlierConversation`), when this host's settings go
    /// on from one: as `known` describes it (a transcript's front matter: none), or as the store has it.
    private func earlierConversation(
        of customerID: String, excluding session: String, known: KnownCustomer?, failures: inout [StoreError]
    ) async throws(SessionFailure) -> EarlierConversation? {
        guard settings.goesOnFromEarlier else { return nil }
        if let known { return known.earlier }
        return try await tolerating(&failures, "the database could not be read", default: nil) { () async throws(StoreError) in
            try await store.earlierConversation(of: customerID, excluding: [session])
        }
    }

    /// The session's live conversation if the store has nothing newer: nil
    /// (and set aside) when the session was erased meanwhile (a `forget` from
    /// another process: nothing of it may come back), or when another process
    /// went on with it (its latest stored turn is past this copy's), so it is
    /// picked up from the store instead.
    private func upToDate(_ session: String, failures: inout [StoreError]) async throws(SessionFailure) -> LiveSession? {
        guard let current = live[session] else { return nil }
        if settings.carryOnWithoutStore { return current }
        if let stored = try await storedSession(session, failures: &failures),
           stored.lastTurn == current.storedTurn, stored.endedAt == nil || current.conversation.state.phase == .ended {
            return current
        }
        live[session] = nil
        return nil
    }

    /// Another session of the same customer may have changed the profile
    /// ("forget my email" in another tab, or on another process): the store has the truth.
    private func refreshProfile(of current: inout LiveSession) async throws(SessionFailure) {
        guard !current.conversation.state.profile.isAnonymous else { return }
        var failures: [StoreError] = []
        let profile = try await storedProfile(current.customerID, failures: &failures)
        if failures.isEmpty { current.conversation.adopt(profile) }
    }

    /// The engine's work for a turn, done off the host's actor: other
    /// sessions' calls go on meanwhile, on the other cores (this session's
    /// next call waits its turn: `acquire`).
    @concurrent private static func answered(_ conversation: Conversation, _ event: ConversationEvent) async -> (Conversation, TurnOutcome) {
        var conversation = conversation
        let outcome = conversation.handle(event)
        return (conversation, outcome)
    }

    /// Stores the outcome's effects and the state they leave, as one commit;
    /// what failed, for the transport to log (the customer still gets the answer).
    private func commit(_ outcome: TurnOutcome, session: String, state: DialogueState) async -> [StoreError] {
        do {
            try await store.commit(TurnCommit(session: session, effects: outcome.effects, state: state))
            return []
        } catch {
            return [error]
        }
    }

    /// The customer's profile as the database has it (a new one for a customer never seen).
    private func storedProfile(_ customer: String, failures: inout [StoreError]) async throws(SessionFailure) -> CustomerProfile {
        try await tolerating(&failures, "the customer's profile could not be read", default: CustomerProfile(id: customer)) { () async throws(StoreError) in
            try await store.profile(of: customer) ?? CustomerProfile(id: customer)
        }
    }

    /// The session as the database has it, or nil.
    private func storedSession(_ session: String, failures: inout [StoreError]) async throws(SessionFailure) -> SessionRecord? {
        try await tolerating(&failures, "the database could not be read", default: nil) { () async throws(StoreError) in
            try await store.session(id: session)
        }
    }

    /// Rebuilds a stored session's dialogue state (see `ConversationStore.replayed`).
    private func replay(_ stored: SessionRecord, profile: CustomerProfile) async throws(SessionFailure) -> Conversation {
        do {
            return try await store.replayed(stored, engine: engine, seed: seed(for: stored.id), profile: profile)
        } catch {
            throw .storeFailed("the session's turns could not be read: \(error)")
        }
    }

    /// A read from the store: a failure is `storeFailed` with `what`, or, for
    /// a host that carries on without the store, the default and a failure noted.
    private func tolerating<T>(
        _ failures: inout [StoreError], _ what: String, default fallback: T, _ read: () async throws(StoreError) -> T
    ) async throws(SessionFailure) -> T {
        do {
            return try await read()
        } catch {
            guard settings.carryOnWithoutStore else { throw .storeFailed("\(what): \(error)") }
            failures.append(error)
            return fallback
        }
    }

    private func checkCustomer(_ customer: String?, owner: String, session: String) throws(SessionFailure) {
        if let customer, customer != owner { throw .customerMismatch(session) }
    }

    /// Keeps the session live, as the most recently used. When its latest
    /// event was `stored`, the store's latest turn is now the conversation's;
    /// when the store refused it, the copy goes on (the customer keeps the
    /// thread) but still expects what the store had, so a turn another
    /// process stores meanwhile is noticed (`upToDate`).
    private func keep(_ session: String, _ current: LiveSession, stored: Bool = true) {
        tick += 1
        var current = current
        current.lastUsed = tick
        if stored { current.storedTurn = current.conversation.state.turns }
        live[session] = current
    }

    /// At the limit of live sessions, sets the least recently used aside; its
    /// next message picks it up from the store.
    private func setAsideIfFull() {
        guard live.count >= settings.maxLiveSessions,
              let oldest = live.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key else { return }
        live[oldest] = nil
    }

    /// Each session's seed follows from the host's seed and the session id, so
    /// a run with `--seed` is repeatable whatever order sessions interleave in;
    /// or is the host's seed itself, for a host of one conversation.
    private func seed(for session: String) -> UInt64 {
        guard settings.seedPerSession else { return settings.seed }
        var generator = SplitMix64(seed: settings.seed ^ StableHash.fnv1a(session.utf8))
        return generator.next()
    }

    // MARK: - one call per session at a time

    private func acquire(_ session: String) async {
        guard busy[session] != nil else {
            busy[session] = []
            return
        }
        await withCheckedContinuation { busy[session, default: []].append($0) }
    }

    private func release(_ session: String) {
        guard var waiting = busy[session] else { return }
        if waiting.isEmpty {
            busy[session] = nil
        } else {
            let next = waiting.removeFirst()
            busy[session] = waiting
            next.resume()
        }
    }
}
