import Foundation
import Testing
import RapportCore
import RapportIntents

/// The bundled bot and one detail of an answer ("is it free?"): what the
/// customer notices is the short answer to what they asked, about what the
/// conversation is on, and never another request's answer taken for it.
@Suite("The bundled bot and details of an answer")
struct BundledDetailsTests {
    static let noon = BundledErasureTests.noon

    static func conversation() throws -> Conversation {
        var conversation = Conversation(engine: try #require(BundledTranscriptsTests.engine), sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: noon))
        return conversation
    }

    static func detail(_ intent: String, _ name: String) throws -> [String] {
        let bot = try #require(BundledTranscriptsTests.bot)
        let found = try #require(bot.intent(named: intent)?.details.first { $0.name == name })
        // As said at noon on the test's day: with what the season adds then ({season_returns}).
        let today = CalendarDay(noon, in: bot.timeZone)
        return found.responses.map { $0.render(bot.variables.merging(bot.seasons(today: today)) { _, season in season }) }
    }

    @Test("a detail just after the answer is about the answer", arguments: [
        ("do you do click and collect", "is it free?", "click_and_collect", "cost"),
        ("do you do click and collect", "can my mum collect it", "click_and_collect", "someone_else"),
        ("how do I send something back", "can I take it to a shop?", "return_item", "in_store"),
        ("can i swap it for a bigger size", "how long does that take", "exchange_item", "time"),
        ("do you sell gift cards", "do they expire", "gift_card", "expiry"),
        ("do you sell gift cards", "do they work online as well", "gift_card", "online"),
        ("can I cancel my order", "does it cost anything", "cancel_order", "cost"),
        // A shop's name inside the detail's words ("to the shop").
        ("can I return a jumper I bought", "can I take it back to the Leeds shop instead", "return_item", "in_store"),
        ("I want to return something I got as a gift", "I don't have the receipt", "return_item", "receipt"),
        ("can I exchange these boots for a bigger size", "can I drop them at the Leeds shop?", "exchange_item", "in_store"),
    ])
    func followUp(first: String, then: String, intent: String, detail: String) throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid(first, at: Self.noon))
        let outcome = conversation.handle(.customerSaid(then, at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == intent)
        #expect(try Self.detail(intent, detail).contains(outcome.replies.first ?? ""), "replied \(outcome.replies)")
    }

    @Test("a message that names another request is that request", arguments: [
        ("do you do click and collect", "is delivery free?", "delivery_costs"),
        ("how do I send something back", "when will my refund arrive", "refund_status"),
        ("how do pine club vouchers work", "how many points have I got", "loyalty_points"),
    ])
    func anotherRequest(first: String, then: String, intent: String) throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid(first, at: Self.noon))
        let outcome = conversation.handle(.customerSaid(then, at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == intent)
    }

    @Test func theIntentsOwnWordsAskTheDetailWithNothingBefore() async throws {
        var conversation = try Self.conversation()
        let outcome = conversation.handle(.customerSaid("is click and collect free?", at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == "click_and_collect")
        #expect(try Self.detail("click_and_collect", "cost").contains(outcome.replies.first ?? ""))
    }

    @Test func theSubjectFadesWhenTheConversationMovesOn() async throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid("do you do click and collect", at: Self.noon))
        // Small talk answers no request: the subject stays click and collect, fading.
        for _ in 0..<Focus.lasting { _ = conversation.handle(.customerSaid("hello", at: Self.noon)) }
        #expect(conversation.state.focus.subject == nil)
        let outcome = conversation.handle(.customerSaid("is it free?", at: Self.noon))
        #expect(outcome.understanding?.matched?.intent != "click_and_collect")
    }

    @Test func anOrderNotYetLookedUpIsAnsweredFromItsData() async throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid("do you do click and collect", at: Self.noon))
        // The order's own answer (it is there to collect: orders.csv's arrival), not the general time.
        let outcome = conversation.handle(.customerSaid("when will HP-10655 be ready", at: Self.noon))
        #expect(outcome.replies.first?.contains("already waiting for you at our Leeds shop") == true, "replied \(outcome.replies)")
    }

    @Test func anAnswerSpeaksToTheWordsOfItsQuestionsOrNot() async throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        let bot = try #require(BundledTranscriptsTests.bot)
        let stores = try #require(bot.intent(named: "store_location"))
        let hours = try #require(bot.intent(named: "opening_hours"))
        let york = "Our York shop is at 27 Stonegate, York YO1 8AW, a short walk from the Minster."
        #expect(!engine.speaksTo("is the york shop dog friendly?", answer: york, intent: stores))
        #expect(engine.speaksTo("where is it exactly?", answer: york, intent: stores))
        // The opening hours never say "close", but their examples ask it.
        #expect(engine.speaksTo("what time does it close", answer: "Our York shop is open 9:30am to 5:30pm.", intent: hours))
        #expect(engine.commonWords.isSuperset(of: ["is", "it", "can", "i"]))
        #expect(!engine.commonWords.contains("delivery"))
    }

    @Test func aFocusSavedBeforeRequestsWereKeptReadsBack() async throws {
        var focus = Focus()
        focus.bring("order_number", "HP-10442")
        focus.answered("order_status", record: "HP-10442")
        var saved = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(focus)) as? [String: Any])
        saved["subjects"] = nil
        let read = try JSONDecoder().decode(Focus.self, from: JSONSerialization.data(withJSONObject: saved))
        #expect(read.items == focus.items)
        #expect(read.subjects.isEmpty)
        #expect(try JSONDecoder().decode(Focus.self, from: JSONEncoder().encode(focus)) == focus)
    }

    @Test func aRequestLooksUpItsRecordOnceAndItsDetailsUseIt() async throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid("do you ship to ireland", at: Self.noon))
        #expect(conversation.state.focus.subject?.record == "Ireland")
        let outcome = conversation.handle(.customerSaid("and how much does it cost", at: Self.noon))
        #expect(outcome.replies.first?.hasPrefix("To Ireland: delivery is £8.95") == true, "replied \(outcome.replies)")
    }

    @Test func detailWordsOfTheBundledLexiconAskOneDetailEach() async throws {
        let signals = try #require(BundledTranscriptsTests.bot).signals
        let asked = signals.detailsAsked("how long does it take, and is it free?")
        #expect(asked.details == ["cost", "time"], "in the order signals.yaml writes them")
        #expect(asked.rest == "and is it")
        #expect(signals.detailsAsked("how long are they valid").details == ["expiry"], "the longest phrase is read first")
        #expect(signals.detailsAsked("where is my order").details.isEmpty)
        // A phrase is words typed side by side: "and ... when", left so by "if I'm not in", asks no time.
        #expect(signals.detailsAsked("and if I'm not in when they come?").details == ["not_home"])
        // A detail said not to be meant is not asked, and its words are not left in the rest.
        let corrected = signals.detailsAsked("sorry I meant Saturday not Sunday")
        #expect(corrected.details == ["saturday"])
        #expect(corrected.rest == "sorry i meant not")
        // Alone, the "not" is the question's.
        #expect(signals.detailsAsked("so I don't have to pay postage?").details == ["cost"])
        #expect(signals.detailsAsked("is that not free?").details == ["cost"])
        // "send ... back": up to three words between, taken out with the phrase.
        let gapped = signals.detailsAsked("Do I need to send the broken bits back?")
        #expect(gapped.details == ["send_back"])
        #expect(gapped.rest == "do i need to")
        #expect(signals.detailsAsked("send the old bits back").details == ["send_back"], "three words between")
        #expect(signals.detailsAsked("send the broken old bits back").details.isEmpty, "four words between are too many")
    }

    @Test func fillersAreLeftOutWithTheirPunctuationKept() async throws {
        let signals = try #require(BundledTranscriptsTests.bot).signals
        #expect(signals.withoutFillers("When will it actually arrive?") == "When will it arrive?")
        #expect(signals.withoutFillers("honestly, where is it") == ", where is it")
        #expect(signals.withoutFillers("where is it") == "where is it")
    }

    @Test func aThingListedIsPointedAtByItsPlace() async throws {
        let signals = try #require(BundledTranscriptsTests.bot).signals
        #expect(signals.listedPosition("ooh how much is the first one?") == 0)
        #expect(signals.listedPosition("is the 2nd one warmer") == 1)
        #expect(signals.listedPosition("and the last one?") == -1)
        #expect(signals.listedPosition("is this the first time you've sold it") == nil)
    }
}
