import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

@Suite("Contexts: follow-ups and short answers")
struct ContextTests {
    static let bot: Bot = {
        var bot = Fixtures.bot
        bot.intents = bot.intents.map { intent in
            var intent = intent
            if intent.name == "delivery_costs" { intent.setsContext = "delivery" }
            return intent
        }
        bot.intents.append(Intent(name: "delivery_abroad", examples: ["and what about abroad", "and overseas", "what about europe"],
                                  responses: [template("Abroad it is £9.95.")], needsContext: ["delivery"]))
        bot.intents.append(Intent(name: "thanks", examples: ["thanks", "thank you"], responses: [template("Anything else?")],
                                  setsContext: "anything_else", contextTurns: 1))
        bot.intents.append(Intent(name: "nothing_else", examples: ["no", "no thanks", "that is all"],
                                  responses: [template("Goodbye then.")], endsConversation: true, needsContext: ["anything_else"]))
        return bot
    }()

    static let engine = Engine(bot: bot)

    func conversation() -> Conversation {
        .started(Self.engine, seed: 1)
    }

    @Test func aFollowUpMeansNothingOutsideItsContext() {
        var conversation = conversation()
        let outcome = conversation.say("and what about abroad")
        #expect(outcome.understanding?.matched == nil)
        #expect(!(outcome.understanding?.ranking.contains { $0.intent == "delivery_abroad" } ?? true))
    }

    @Test func aFollowUpIsUnderstoodInsideItsContext() {
        var conversation = conversation()
        _ = conversation.say("how much is delivery")
        #expect(conversation.state.contexts == ["delivery": Intent.defaultContextTurns])
        #expect(conversation.say("and what about abroad").replies == ["Abroad it is £9.95."])
    }

    @Test func aContextLastsItsNumberOfMessages() {
        var conversation = conversation()
        _ = conversation.say("how much is delivery")
        for filler in ["hi", "hello", "hi"] { _ = conversation.say(filler) }
        #expect(conversation.state.contexts.isEmpty)
        #expect(conversation.say("and what about abroad").understanding?.matched == nil)
    }

    @Test func noAnswersTheQuestionOnlyRightAfterIt() {
        var conversation = conversation()
        #expect(conversation.say("no").understanding?.matched == nil)
        _ = conversation.say("thanks")
        let outcome = conversation.say("no")
        #expect(outcome.replies == ["Goodbye then."])
        #expect(conversation.state.phase == .ended)
    }

    @Test func aRestartClosesEveryContext() {
        var conversation = conversation()
        _ = conversation.say("how much is delivery")
        _ = conversation.handle(.restarted(at: Fixtures.noon))
        #expect(conversation.state.contexts.isEmpty)
    }
}
