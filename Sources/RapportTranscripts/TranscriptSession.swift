import Foundation
import RapportCore
import RapportSessions
import RapportStore
import Synchronization

/// A transcript's conversation, driven through a `SessionHost` on a store in
/// memory, as the console drives one: the customer as the front matter
/// describes them, the transcript's seed, and a clock that starts at the
/// transcript's `clock` and moves a minute with every event.
struct TranscriptSession {
    /// One event's result.
    struct Step {
        var outcome: TurnOutcome
        var storeFailures: [StoreError] = []
        /// Why the host refused the event, if it did.
        var refused: SessionFailure?
    }

    static let sessionID = "transcript"
    private let host: SessionHost
    private let store: MemoryConversationStore
    private let settings: Transcript.Settings
    private let engine: Engine

    init(engine: Engine, settings: Transcript.Settings) {
        self.engine = engine
        self.settings = settings
        let profile = settings.customerSetup.profile(for: settings.customer, engine: engine, at: settings.clock)
        // The store knows the customer as the host will: what later turns read back.
        store = MemoryConversationStore(profiles: [profile])
        let clock = MinuteClock(start: settings.clock)
        host = SessionHost(engine: engine, store: store, settings: .transcript(seed: settings.seed), clock: { clock.next() })
    }

    /// Opens the session with the bot's welcome.
    mutating func start() async -> Step {
        let profile = settings.customerSetup.profile(for: settings.customer, engine: engine, at: settings.clock)
        let unfinished = settings.customerSetup.unfinishedConversation(engine: engine)
        do {
            if unfinished != nil {
                // The conversation the welcome offers to pick up, which the start closes.
                try await store.beginSession(SessionRecord(
                    id: "earlier", customerID: settings.customer, channel: "transcript", startedAt: settings.clock.addingTimeInterval(-3_600)))
            }
        } catch {
            return Step(outcome: Self.nothing, storeFailures: [error])
        }
        do {
            let reply = try await host.start(
                session: Self.sessionID, customer: settings.customer, known: KnownCustomer(profile: profile, unfinished: unfinished))
            return Step(outcome: reply.outcome, storeFailures: reply.storeFailures)
        } catch {
            return Step(outcome: Self.nothing, refused: error)
        }
    }

    /// A customer line: a message, or one of the console's commands that
    /// transcripts use (`/restart`, `/quit`, `/timeout`, `/feedback`).
    mutating func say(_ text: String) async -> Step {
        let session = Self.sessionID
        do {
            let reply = switch text {
            case "/restart": try await host.restart(session: session)
            case "/quit": try await host.end(session: session)
            case "/timeout": try await host.timeout(session: session)
            case "/feedback": try await host.requestFeedback(session: session)
            default: try await host.message(session: session, customer: nil, text: text)
            }
            return Step(outcome: reply.outcome, storeFailures: reply.storeFailures)
        } catch .sessionEnded {
            // After a goodbye the bot is silent, as a closed chat window is.
            return Step(outcome: Self.nothing)
        } catch {
            return Step(outcome: Self.nothing, refused: error)
        }
    }

    /// The outcome of an event that did not happen.
    private static let nothing = TurnOutcome(replies: [], understanding: nil, changes: [], effects: [])
}

/// The transcript's clock: each reading is a minute after the one before.
private final class MinuteClock: Sendable {
    private let now: Mutex<Date>

    init(start: Date) {
        now = Mutex(start)
    }

    func next() -> Date {
        now.withLock { now in
            defer { now = now.addingTimeInterval(60) }
            return now
        }
    }
}
