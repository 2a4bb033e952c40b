import Foundation
import Testing
import RapportCore
import RapportIntents

/// The bundled bot when the customer corrects what they asked about, and
/// after it passed the conversation to a person.
@Suite("The bundled bot: corrections, and after a handoff")
struct BundledCorrectionAndHandoffTests {
    static let noon = BundledErasureTests.noon

    @Test("a correction answers the last question for the thing meant", arguments: [
        ("is the mug in stock", "not the mug, the jumper", "product_availability", "wool jumper"),
        ("how much is the scarf", "no sorry i meant the blanket", "product_price", "blanket"),
        ("where is HP-10442", "sorry I meant HP-10443", "order_status", "HP-10443"),
        ("what time does the leeds shop open", "not leeds, york", "opening_hours", "York"),
    ])
    func correction(first: String, then: String, intent: String, meant: String) throws {
        var conversation = try BundledDetailsTests.conversation()
        _ = conversation.handle(.customerSaid(first, at: Self.noon))
        let outcome = conversation.handle(.customerSaid(then, at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == intent)
        #expect(outcome.replies.first?.contains(meant) == true, "replied \(outcome.replies)")
        #expect(conversation.state.focus.items.contains { $0.value == meant }, "what was meant comes into focus")
    }

    @Test func aRejectedValueAfterEmojiAndARejectingPhraseOfTwoWords() async throws {
        var conversation = try BundledDetailsTests.conversation()
        _ = conversation.handle(.customerSaid("is the mug in stock", at: Self.noon))
        // Scalar offsets: the emoji before "rather than" must not shift where the rejected value is found.
        let outcome = conversation.handle(.customerSaid("🙂🙂 the jumper rather than the mug", at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == "product_availability")
        #expect(outcome.replies.first?.contains("wool jumper") == true, "replied \(outcome.replies)")
    }

    @Test func afterAHandoffAskingTheBotToActOffersNoSecondPerson() async throws {
        var conversation = try BundledDetailsTests.conversation()
        _ = conversation.handle(.customerSaid("where is HP-10442", at: Self.noon))
        _ = conversation.handle(.customerSaid("I want to speak to a human", at: Self.noon))
        let outcome = conversation.handle(.customerSaid("can you chase it", at: Self.noon))
        #expect(outcome.quickReplies.isEmpty, "replied \(outcome.replies) with \(outcome.quickReplies)")
        #expect(conversation.state.handoffOffered == nil)
    }

    @Test func aNewQuestionAboutAnotherThingIsNoCorrection() async throws {
        var conversation = try BundledDetailsTests.conversation()
        _ = conversation.handle(.customerSaid("is the mug in stock", at: Self.noon))
        let outcome = conversation.handle(.customerSaid("how much is the scarf", at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == "product_price")
    }

    @Test func afterAHandoffWhatIsNotUnderstoodIsTheTeamsAndNothingEnds() async throws {
        var conversation = try BundledDetailsTests.conversation()
        let handoff = conversation.handle(.customerSaid("I want to speak to a human", at: Self.noon))
        #expect(handoff.effects.contains { if case .handoff = $0 { true } else { false } })
        #expect(conversation.state.handedOffAt == Self.noon)
        for text in ["now", "hmmm??"] {
            let outcome = conversation.handle(.customerSaid(text, at: Self.noon))
            let bot = try #require(BundledTranscriptsTests.bot)
            #expect(outcome.replies.count == 1)
            #expect(outcome.replies.first?.hasPrefix(bot.ladder.handedOver[0].render([:])) == true, "replied \(outcome.replies)")
            #expect(!outcome.effects.contains(.endSession(at: Self.noon)), "'\(text)' is no goodbye")
            #expect(outcome.quickReplies.isEmpty, "no second offer of a person")
        }
        #expect(conversation.state.phase == .open)
    }
}
