import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

@Suite("Reading yes, no and frustration")
struct CustomerSignalsTests {
    @Test("short answers", arguments: [
        ("yes", CustomerSignals.YesNo.yes), ("Yes please!", .yes), ("ok go ahead", .yes), ("sure", .yes),
        ("no", .no), ("No thanks", .no), ("nope", .no), ("not now", .no),
    ])
    func answers(text: String, expected: CustomerSignals.YesNo) {
        #expect(bundledSignals.yesNo(text) == expected)
    }

    @Test("anything else is not an answer", arguments: ["where is my order", "no, yes", "I am not sure", "", "yes but where is my order then please"])
    func notAnswers(text: String) {
        #expect(bundledSignals.yesNo(text) == nil)
    }

    @Test("frustration", arguments: [
        ("this is useless", true), ("what a waste of time", true), ("WHERE IS MY ORDER!!!", true), ("I'm fed up", true),
        ("where is my order", false), ("WHERE IS MY ORDER", false), ("tell me a joke", false), ("OK!", false),
    ])
    func frustration(text: String, expected: Bool) {
        #expect(bundledSignals.isFrustrated(text) == expected)
    }
}

@Suite("The fallback ladder and handing over")
struct FallbackLadderTests {
    func conversation() -> Conversation {
        .started(seed: 4)
    }

    @Test func missesClimbTheLadder() {
        var conversation = conversation()
        let first = conversation.say("purple monkey dishwasher")
        #expect(first.replies == ["Sorry, say that another way?"])
        let second = conversation.say("zxcv qwerty")
        #expect(second.replies.first?.hasPrefix("Sorry, I'm still not sure what you need. I can help with ") == true)
        // Suggestions are the closest intents that may be suggested, offered as buttons that send an example.
        #expect(second.quickReplies.count == 3)
        #expect(second.quickReplies.allSatisfy { button in Fixtures.bot.intents.contains { $0.examples.first == button.message && $0.label == button.title } })
        #expect(!second.quickReplies.contains { $0.title == "human agent" || $0.title == "goodbye" })
        let third = conversation.say("blorp")
        #expect(third.replies == ["I'm sorry, I'm not getting this right. Would you like me to pass you to a person?"])
        #expect(third.quickReplies.map(\.message) == ["yes", "no"])
        #expect(conversation.state.handoffOffered == .repeatedMisses)
    }

    func offered() -> Conversation {
        var conversation = conversation()
        for message in ["purple monkey dishwasher", "zxcv qwerty", "blorp"] {
            _ = conversation.say(message)
        }
        return conversation
    }

    @Test func yesHandsOverWithASummaryThatSaysWhy() throws {
        var conversation = offered()
        let outcome = conversation.say("yes please")
        #expect(outcome.replies.first?.hasPrefix("I'm passing you to a member of our team now.") == true)
        let summary = try #require(outcome.effects.compactMap { effect -> HandoffSummary? in
            if case .handoff(let summary) = effect { return summary }
            return nil
        }.first)
        #expect(summary.reason == .repeatedMisses)
        #expect(summary.misses == 3)
        #expect(summary.firstMessage == "purple monkey dishwasher")
        #expect(summary.transcript.last?.text == outcome.replies.first)
        #expect(conversation.state.handoffOffered == nil)
        #expect(conversation.state.consecutiveMisses == 0)
    }

    @Test func noCarriesOnAndTheLadderStartsAgain() {
        var conversation = offered()
        let outcome = conversation.say("no")
        #expect(outcome.replies == ["No problem. What would you like to ask?"])
        #expect(!outcome.effects.contains { if case .handoff = $0 { return true } else { return false } })
        let next = conversation.say("blorp again")
        #expect(next.replies == ["Sorry, say that another way?"])
    }

    @Test func aRequestInsteadOfAnAnswerIsAnswered() {
        var conversation = offered()
        let outcome = conversation.say("where is my order")
        #expect(outcome.understanding?.matched?.intent == "order_status")
        #expect(conversation.state.handoffOffered == nil)
        // "yes" now means nothing: no offer is open.
        let later = conversation.say("yes")
        #expect(!later.effects.contains { if case .handoff = $0 { return true } else { return false } })
    }

    @Test func frustrationIsOfferedAPersonAfterTheAnswer() {
        var conversation = conversation()
        let outcome = conversation.say("where is my order, this is useless")
        #expect(outcome.understanding?.matched?.intent == "order_status")
        #expect(outcome.replies.count == 2)
        #expect(outcome.replies.last == "I'm sorry this has been frustrating. Would you like me to pass you to a person?")
        #expect(conversation.state.handoffOffered == .frustration)
        let accepted = conversation.say("yes")
        #expect(accepted.effects.contains { if case .handoff(let summary) = $0 { return summary.reason == .frustration } else { return false } })
    }

    @Test func frustrationOnAMissSkipsTheLadder() {
        var conversation = conversation()
        let outcome = conversation.say("flibber, what a waste of time")
        #expect(outcome.understanding?.matched == nil)
        #expect(outcome.replies == ["I'm sorry this has been frustrating. Would you like me to pass you to a person?"])
    }
}

@Suite("Messages the bot does not try to read")
struct BadInputTests {
    func conversation() -> Conversation {
        .started(seed: 4)
    }

    @Test func anEnormousMessageIsCappedAndTheBotSaysSo() throws {
        var conversation = conversation()
        let outcome = conversation.say(String(repeating: "where is my order ", count: 500))
        #expect(outcome.replies == ["Sorry, that message is too long for me: I can read up to 2,000 characters. Could you put your question in a sentence or two?"])
        #expect(outcome.understanding == nil)
        guard case .recordTurn(let turn)? = outcome.effects.first else { Issue.record("no turn recorded"); return }
        #expect(turn.customerText.count == FallbackLadder.longestMessage)
        #expect(conversation.state.misses == 0)
    }

    @Test("another script gets a polite reply in English", arguments: ["Где мой заказ?", "我的订单在哪里", "أين طلبي"])
    func otherScripts(message: String) {
        var conversation = conversation()
        let outcome = conversation.say(message)
        #expect(outcome.replies.first?.hasPrefix("Sorry, I can only chat in English for now.") == true)
    }

    @Test("Latin-script text, accents and emoji are read as usual", arguments: ["Café crème?", "where is my order 🙂", "¿dónde está mi pedido?"])
    func latinScripts(message: String) {
        #expect(!CustomerSignals.isMostlyOtherScript(message))
    }

    @Test func controlCharactersAreJustText() {
        var conversation = conversation()
        let outcome = conversation.say("where is my order\u{1B}[2J\u{07}")
        #expect(outcome.understanding?.matched?.intent == "order_status")
    }

    @Test func grouping() {
        #expect(Turn.grouped(2000) == "2,000")
        #expect(Turn.grouped(999) == "999")
        #expect(Turn.grouped(1234567) == "1,234,567")
    }
}
