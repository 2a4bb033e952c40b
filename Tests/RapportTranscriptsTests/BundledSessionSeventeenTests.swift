import Foundation
import Testing
import RapportCore
import RapportIntents

/// The bundled bot on what the fourteenth to seventeenth blind testers found:
/// requests to act inside longer messages, days named against the returns
/// window, challenges that are no small talk, and the bot's own last turn.
@Suite("The bundled bot: acting, days named, challenges")
struct BundledSessionSeventeenTests {
    static var signals: CustomerSignals { get throws { try #require(BundledTranscriptsTests.bot).signals } }

    @Test("a short sentence asking the bot to act counts, in a longer message and past its fillers", arguments: [
        "its been nearly 3 weeks. can you just send it again or refund me", "So what are you actually going to do about it?",
        "just do it",
    ])
    func asksToAct(message: String) throws {
        #expect(try Self.signals.asksToAct(message))
    }

    @Test("an act phrase inside a long sentence, or the customer as the one to act, is no request to act", arguments: [
        "I was wondering whether you would send it again to my new address after the holidays please",
        "can I send it again myself?", "where is my order",
    ])
    func doesNotAskToAct(message: String) throws {
        #expect(try !Self.signals.asksToAct(message))
    }

    @Test func whenBoughtIsToldByItsWords() async throws {
        let signals = try Self.signals
        #expect(signals.tellsWhenBought("bought it 5 weeks ago"))
        #expect(signals.tellsWhenBought("it only arrived today"))
        #expect(!signals.tellsWhenBought("I've been a Pine Club member since March"))
        #expect(!signals.tellsWhenBought("I'll be back in January"))
    }

    @Test func smallTalkThatNeverAsksIsKnown() async throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        #expect(engine.neverAsked.contains("acknowledge") && engine.neverAsked.contains("thanks"))
        #expect(!engine.neverAsked.contains("how_are_you"), "its examples ask")
    }

    @Test("a day named for a purchase is measured against the returns window; one named for anything else is not")
    func daysNamedAgainstTheReturnsWindow() throws {
        let past = "You said that was"
        let bought = try BundledFollowUpTests.outcome(after: ["hi"], "I bought a jumper 40 days ago, can I still return it")
        #expect(bought.replies.first?.hasPrefix(past + " 40 days ago") == true, "replied \(bought.replies)")
        let member = try BundledFollowUpTests.outcome(after: ["I've been a Pine Club member since March"], "how do returns work?")
        #expect(member.replies.first?.hasPrefix(past) == false, "replied \(member.replies)")
        let today = try BundledFollowUpTests.outcome(after: ["hi"], "my order was placed 6 weeks ago and it only arrived today, can I send it back?")
        #expect(today.replies.first?.hasPrefix(past) == false, "arrived today is within the window: \(today.replies)")
        let within = try BundledFollowUpTests.outcome(after: ["hi"], "ordered it 2 weeks ago, can I return it?")
        #expect(within.replies.first?.hasPrefix(past) == false, "replied \(within.replies)")
    }

    @Test func theLastTurnIsEveryLineOfIt() async throws {
        var conversation = try BundledFollowUpTests.conversation()
        let noon = BundledFollowUpTests.noon
        let outcome = conversation.handle(.customerSaid("where is my order HP-10442", at: noon))
        #expect(conversation.state.lastBotTurn == outcome.replies)
        _ = conversation.handle(.customerSaid("thanks", at: noon))
        #expect(!conversation.state.lastBotTurn.contains(outcome.replies[0]), "a turn later, that answer is no longer the last")
    }
}
