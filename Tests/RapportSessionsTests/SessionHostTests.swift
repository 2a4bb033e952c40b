import Foundation
import Testing
import RapportCore
import RapportStore
import RapportTestSupport
@testable import RapportSessions

private let noon = Date(timeIntervalSince1970: 1_800_000_000)

private func host(_ store: any ConversationStore, settings: HostSettings = .protocolServer(seed: 1)) -> SessionHost {
    SessionHost(engine: Engine(bot: ProfileBot.bot), store: store, settings: settings, clock: { noon })
}

@Suite("The session host")
struct SessionHostTests {
    @Test func callsForOneSessionFromConcurrentTasksRunOneAtATime() async throws {
        let store = MemoryConversationStore()
        let host = host(store)
        // Forty messages for one session sent at once, as an HTTP transport would on parallel connections.
        let replies = await withTaskGroup(of: Result<HostReply, SessionFailure>.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do throws(SessionFailure) {
                        return .success(try await host.message(session: "s1", customer: "c-1", text: index % 2 == 0 ? "hi" : "where is my order"))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<HostReply, SessionFailure>] = []
            for await reply in group { all.append(reply) }
            return all
        }
        let served = replies.compactMap { try? $0.get() }
        #expect(served.count == 40, "every message answered")
        #expect(served.allSatisfy { $0.storeFailures.isEmpty }, "no turn clashed with another over its number")
        #expect(served.filter { $0.events.contains(.started(customer: "c-1")) }.count == 1, "the session started once")
        #expect(try await store.turns(inSession: "s1").map(\.sequence) == Array(1...40))
    }

    @Test func sessionsMoveBetweenTwoHostsOnOneStore() async throws {
        let store = MemoryConversationStore()
        let first = host(store), second = host(store)
        _ = try await first.message(session: "s1", customer: "c-1", text: "where is my order")
        // The next message reaches the other host (another process behind a load balancer).
        let moved = try await second.message(session: "s1", customer: "c-1", text: "HP-10442")
        #expect(moved.events == [.resumed(customer: "c-1")])
        #expect(moved.outcome.replies.joined().contains("HP-10442"),
                "the order number answers the question asked on the first host: \(moved.outcome.replies)")
        #expect(try await store.turns(inSession: "s1").map(\.sequence) == [1, 2])
    }

    @Test func aSessionComingBackToAHostThatServedItBeforeIsPickedUpWhereTheOtherLeftIt() async throws {
        let store = MemoryConversationStore()
        let first = host(store), second = host(store)
        _ = try await first.message(session: "s1", customer: "c-1", text: "hi")
        _ = try await second.message(session: "s1", customer: "c-1", text: "where is my order")
        // Back on the first host, whose copy stopped at turn 1: it must not answer from that copy.
        let back = try await first.message(session: "s1", customer: "c-1", text: "HP-10442")
        #expect(back.storeFailures.isEmpty, "\(back.storeFailures)")
        #expect(back.events == [.resumed(customer: "c-1")], "picked up from the store, not answered from its stale copy")
        #expect(back.outcome.replies.joined().contains("HP-10442"), "the question the second host asked is answered: \(back.outcome.replies)")
        #expect(try await store.turns(inSession: "s1").map(\.sequence) == [1, 2, 3])
    }

    @Test func aNewSessionGoesOnFromTheCustomersLastConversationWhileItIsRecent() async throws {
        final class Clock: @unchecked Sendable { var now = noon }
        let clock = Clock()
        let store = MemoryConversationStore()
        // Orders stay in focus and are their owners' alone, as the bundled bot's are.
        var bot = ProfileBot.bot
        bot.privateRecords = ["orders": [try ResponseTemplate("I can only talk about an order with the person who placed it.")]]
        bot.entities = bot.entities.map { type in
            var type = type
            if type.name == "order_number" { type.focus = true }
            return type
        }
        let host = SessionHost(engine: Engine(bot: bot), store: store, settings: .protocolServer(seed: 1), clock: { clock.now })
        _ = try await host.message(session: "a", customer: "c-1", text: "where is HP-10610")
        _ = try await host.message(session: "a", customer: "c-1", text: "talk to a human")
        _ = try await host.end(session: "a")
        // A day later: a first message about something else leaves the conversation the bot's (and hands nothing on).
        clock.now = noon.addingTimeInterval(24 * 3600)
        let unrelated = try await host.message(session: "x", customer: "c-1", text: "how much is delivery")
        #expect(!unrelated.events.contains { if case .handoff = $0 { true } else { false } }, "\(unrelated.events)")
        #expect(await host.conversation("x")?.state.handedOffAt == nil)
        _ = try await host.end(session: "x")
        // Then, about the order: it is the one meant, and a person has the conversation, the one they were given.
        let next = try await host.message(session: "b", customer: "c-1", text: "where is my order")
        #expect(next.outcome.replies.joined().contains("HP-10610 is delayed"), "\(next.outcome.replies)")
        #expect(await host.conversation("b")?.state.handedOffAt == noon)
        // This session is handed over too, with its first message, naming the one it goes on with.
        let handedOn = next.events.compactMap { event -> HandoffSummary? in if case .handoff(let summary, _) = event { summary } else { nil } }
        #expect(handedOn.map(\.continues) == ["a"] && handedOn.first?.firstMessage == "where is my order", "\(next.events)")
        #expect(try await store.session(id: "b")?.handedOffAt != nil, "the store knows a person has it")
        let again = try await host.message(session: "b", customer: "c-1", text: "hello")
        #expect(!again.events.contains { if case .handoff = $0 { true } else { false } }, "handed on once")
        // Another customer has no such conversation.
        let other = try await host.message(session: "c", customer: "c-2", text: "where is my order")
        #expect(other.outcome.replies.joined().contains("Which order?"), "\(other.outcome.replies)")
        // Past `EarlierConversation.keptFor`, the customer starts afresh.
        _ = try await host.end(session: "b")
        clock.now = noon.addingTimeInterval(24 * 3600 + EarlierConversation.keptFor + 60)
        let later = try await host.message(session: "d", customer: "c-1", text: "where is my order")
        #expect(later.outcome.replies.joined().contains("Which order?"), "\(later.outcome.replies)")
        #expect(await host.conversation("d")?.state.handedOffAt == nil)
    }

    @Test func aProfileChangedOnAnotherHostIsSeenOnTheNextMessage() async throws {
        let store = MemoryConversationStore()
        let first = host(store), second = host(store)
        _ = try await first.message(session: "a", customer: "c-1", text: "hi")
        _ = try await second.message(session: "b", customer: "c-1", text: "my name is Robin")
        #expect(try await store.profile(of: "c-1")?.facts["first_name"]?.value == "Robin")
        // Session a is live on the first host: its conversation adopts what the store has now.
        _ = try await first.message(session: "a", customer: "c-1", text: "hello")
        #expect(await first.conversation("a")?.state.profile.facts["first_name"]?.value == "Robin")
    }

    @Test func aRefusedTurnIsStillAnsweredAndItsFailureReported() async throws {
        let host = host(FailingStore(failBegin: false))
        let reply = try await host.message(session: "s1", customer: nil, text: "where is my order")
        #expect(!reply.outcome.replies.isEmpty)
        #expect(reply.storeFailures.count == 2, "the start and the turn, one commit each: \(reply.storeFailures)")
    }

    @Test func feedbackThatCannotBeStoredIsNotAcknowledged() async throws {
        let store = FailingStore(failBegin: false)
        let host = host(store)
        _ = try await host.message(session: "s1", customer: "c-1", text: "where is my order")
        await #expect {
            _ = try await host.feedback(session: "s1", score: 5, comment: nil)
        } throws: { error in
            guard case .storeFailed(let message)? = error as? SessionFailure else { return false }
            return message.hasPrefix("the feedback could not be saved, so it is not acknowledged")
        }
    }

    @Test func aSessionThatEndedIsClosedButFeedbackAndARestartStillReachIt() async throws {
        let store = MemoryConversationStore()
        let host = host(store)
        _ = try await host.message(session: "s1", customer: "c-1", text: "where is my order")
        let ended = try await host.end(session: "s1")
        #expect(ended.events == [.ended(.end)])
        await #expect(throws: SessionFailure.sessionEnded("s1")) {
            _ = try await host.message(session: "s1", customer: "c-1", text: "hello again")
        }
        let feedback = try await host.feedback(session: "s1", score: 4, comment: "quick")
        #expect(feedback.record?.score == 4)
        #expect(try await store.feedback(inSession: "s1").map(\.score) == [4])
        let restarted = try await host.restart(session: "s1")
        #expect(!restarted.outcome.replies.isEmpty, "a fresh welcome")
        #expect(try await store.session(id: "s1")?.endedAt == nil, "the session is open again in the store")
        // On another host (or after a restart of this one) the session goes on from the store.
        let elsewhere = SessionHost(engine: Engine(bot: ProfileBot.bot), store: store, settings: .protocolServer(seed: 1), clock: { noon })
        let later = try await elsewhere.message(session: "s1", customer: "c-1", text: "hi")
        #expect(later.events == [.resumed(customer: "c-1")])
        #expect(later.storeFailures.isEmpty)
    }

    @Test func forgettingACustomerDropsTheirLiveSessionsHereAndTheirRows() async throws {
        let store = MemoryConversationStore()
        let host = host(store)
        _ = try await host.message(session: "a", customer: "c-1", text: "my name is Robin")
        _ = try await host.message(session: "b", customer: "c-2", text: "hi")
        let summary = try await host.forget(customer: "c-1")
        #expect(summary.sessions == 1)
        #expect(await host.conversation("a") == nil)
        #expect(await host.conversation("b") != nil, "another customer's session is untouched")
        #expect(try await store.profile(of: "c-1") == nil)
    }

    @Test func aSessionCannotChangeCustomerNorStartTwice() async throws {
        let host = host(MemoryConversationStore())
        _ = try await host.start(session: "s1", customer: "c-1")
        await #expect(throws: SessionFailure.sessionExists("s1")) { _ = try await host.start(session: "s1", customer: "c-1") }
        await #expect(throws: SessionFailure.customerMismatch("s1")) {
            _ = try await host.message(session: "s1", customer: "c-2", text: "hi")
        }
        await #expect(throws: SessionFailure.unknownSession("nope")) { _ = try await host.timeout(session: "nope") }
    }

    @Test func setAsideSessionsComeBackWithTheSameReplies() async throws {
        func replies(live: Int) async throws -> (said: [String], resumed: Int) {
            let host = host(MemoryConversationStore(), settings: .protocolServer(seed: 7, maxLiveSessions: live))
            var said: [String] = [], resumed = 0
            for (session, text) in [("a", "hi"), ("b", "where is my order"), ("c", "hello"), ("a", "HP-10442"), ("b", "hi"), ("c", "bye")] {
                let reply = try await host.message(session: session, customer: "c-\(session)", text: text)
                said += reply.outcome.replies
                resumed += reply.events.filter { if case .resumed = $0 { true } else { false } }.count
            }
            return (said, resumed)
        }
        let setAside = try await replies(live: 1), kept = try await replies(live: 100)
        #expect(setAside.resumed == 3, "with one live session, each session's second message picks it up from the store")
        #expect(kept.resumed == 0)
        #expect(setAside.said == kept.said)
    }

    @Test func aTurnTheStoreRefusedKeepsTheThreadInMemory() async throws {
        let host = host(FailingStore(failBegin: false))
        _ = try await host.message(session: "s1", customer: "c-1", text: "where is my order")
        let next = try await host.message(session: "s1", customer: "c-1", text: "HP-10442")
        #expect(next.outcome.replies.joined().contains("HP-10442"), "the question asked is answered: \(next.outcome.replies)")
        #expect(next.events.isEmpty, "not picked up from the store, which has none of it")
    }
}
