import Foundation
import Testing
import RapportTestSupport
import RapportCore
import RapportStore
@testable import RapportProtocol

/// A clock the test moves on.
final class TestClock: @unchecked Sendable {
    var now = noon
    func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
}

@Suite("Customers over the protocol")
struct ProfileProtocolTests {
    func profileServer(_ store: any ConversationStore, clock: TestClock = TestClock(), maxLive: Int = 10_000) -> ProtocolServer {
        ProtocolServer(engine: Engine(bot: ProfileBot.bot), store: store, seed: 1, maxLiveSessions: maxLive, clock: { clock.now })
    }

    @Test func startSendsTheWelcomeAndOffersToPickUpAnAbandonedConversation() async {
        let store = MemoryConversationStore()
        let clock = TestClock()
        var server = profileServer(store, clock: clock)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"where is my order"}"#)
        // The host went away; later the customer opens a new chat.
        var later = profileServer(store, clock: clock)
        clock.advance(3_600)
        let started = await later.serve(#"{"type":"start","id":1,"session":"b","customer":"c-1"}"#)
        #expect(started.hasPrefix(#"{"type":"started","id":1,"session":"b","replies":[{"text":"Hello!"},{"text":"Last time we didn't finish order status. Shall we pick up where we left off?","buttons":"#), "\(started)")
        #expect(await later.serve(#"{"session":"b","text":"yes"}"#).contains("Now, back to order status. Which order?"))
        #expect(await later.serve(#"{"session":"b","text":"HP-10442"}"#).contains("Order HP-10442 is on its way."))
        #expect(await later.serve(#"{"session":"a","text":"hi"}"#).contains(#""code":"session_ended""#), "the old chat was closed")
        #expect(await later.serve(#"{"type":"start","session":"b"}"#).contains(#""code":"session_exists""#))
    }

    @Test func aChatStillOpenIsNotOfferedToAnotherTab() async {
        let store = MemoryConversationStore()
        var server = profileServer(store)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"where is my order"}"#)
        let started = await server.serve(#"{"type":"start","session":"b","customer":"c-1"}"#)
        #expect(started.contains(#""replies":[{"text":"Hello!"}]"#), "\(started)")
        #expect(await server.serve(#"{"session":"a","text":"HP-10610"}"#).contains("Order HP-10610 is delayed."))
    }

    @Test func timeoutNudgesThenCloses() async {
        var server = profileServer(MemoryConversationStore())
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"hi"}"#)
        let nudge = await server.serve(#"{"type":"timeout","id":"t1","session":"a"}"#)
        #expect(nudge.contains("Are you still there?") && nudge.contains(#""events":[]"#), "\(nudge)")
        let closed = await server.serve(#"{"type":"timeout","session":"a"}"#)
        #expect(closed.contains(#"{"type":"session_ended","reason":"timeout"}"#), "\(closed)")
        #expect(await server.serve(#"{"type":"timeout","session":"nope"}"#).contains(#""code":"unknown_session""#))
    }

    @Test func aProfileQuestionSurvivesTheSessionBeingSetAside() async throws {
        let store = MemoryConversationStore()
        try await store.updateProfile(of: "c-1", [.visit(at: noon), .trust(.returnVisit, delta: 10)])
        var server = profileServer(store, maxLive: 1)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"where is my order HP-10442"}"#)
        let asked = await server.serve(#"{"session":"a","text":"got it"}"#)
        #expect(asked.contains("What should I call you?"), "\(asked)")
        _ = await server.serve(#"{"session":"other","customer":"c-2","text":"hi"}"#) // sets "a" aside
        let answer = await server.serve(#"{"session":"a","text":"Sam"}"#)
        #expect(answer.contains("session_resumed") && answer.contains("Thanks, I'll remember that your first name is Sam."), "\(answer)")
        #expect(try await store.profile(of: "c-1")?.facts["first_name"]?.value == "Sam")
    }

    @Test func whatOneTabForgetsTheOtherNoLongerShows() async {
        var server = profileServer(MemoryConversationStore())
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"my email is zeb@secret.example"}"#)
        _ = await server.serve(#"{"session":"b","customer":"c-1","text":"hi"}"#)
        _ = await server.serve(#"{"session":"a","text":"forget my email"}"#)
        let other = await server.serve(#"{"session":"b","text":"what do you know about me"}"#)
        #expect(!other.contains("zeb@secret.example"), "\(other)")
    }

    @Test func anErasureTheStoreCouldNotDoIsNotReportedDone() async {
        var server = profileServer(FailingStore(failBegin: false))
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"delete all my data"}"#)
        let line = await server.serve(#"{"session":"a","text":"yes"}"#)
        #expect(line.contains("Sorry, I couldn't delete everything just now."), "\(line)")
        #expect(line.contains(#""type":"erasure_failed""#) && !line.contains("customer_erased"), "\(line)")
    }

    @Test func aCustomerErasedByAnotherProcessDoesNotComeBack() async throws {
        let store = MemoryConversationStore()
        var first = profileServer(store)
        _ = await first.serve(#"{"session":"a","customer":"c-1","text":"my name is Sam"}"#)
        var second = profileServer(store) // another rapport serve on the same database
        _ = await second.serve(#"{"type":"forget","customer":"c-1"}"#)
        let line = await first.serve(#"{"session":"a","customer":"c-1","text":"what do you know about me"}"#)
        #expect(line.contains("session_started") && !line.contains("Sam"), "\(line)")
    }

    @Test func whatReplayingMessagesCannotRebuildSurvivesARestart() async throws {
        let store = MemoryConversationStore()
        let clock = TestClock()
        var first = profileServer(store, clock: clock)
        _ = await first.serve(#"{"session":"a","customer":"c-1","text":"where is my order"}"#)
        clock.advance(3_600)
        var second = profileServer(store, clock: clock)
        _ = await second.serve(#"{"type":"start","session":"b","customer":"c-1"}"#)
        _ = await second.serve(#"{"session":"b","text":"yes"}"#) // picks up the order question
        _ = await second.serve(#"{"type":"timeout","session":"b"}"#) // "are you still there?"
        // rapport restarts: the session is picked up from its saved state, not rebuilt from its messages.
        var third = profileServer(store, clock: clock)
        let closed = await third.serve(#"{"type":"timeout","session":"b"}"#)
        #expect(closed.contains(#""reason":"timeout""#), "the second timeout in a row closes it: \(closed)")
        var fourth = profileServer(store, clock: clock)
        _ = await fourth.serve(#"{"type":"start","session":"c","customer":"c-1"}"#)
        let feedback = await fourth.serve(#"{"type":"feedback","session":"c","score":1}"#)
        #expect(feedback.contains("Would you like me to pass you to a person"))
        var fifth = profileServer(store, clock: clock)
        #expect(await fifth.serve(#"{"session":"c","text":"yes"}"#).contains(#""reason":"dissatisfied""#), "the offer survived the restart")
    }
}

