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

    func conversation() -> Conversation {
        var conversation = Conversation(engine: Engine(bot: Self.bot), sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: Fixtures.noon))
        return conversation
    }

    func say(_ text: String, _ conversation: inout Conversation) -> TurnOutcome {
        conversation.handle(.customerSaid(text, at: Fixtures.noon))
    }

    @Test func aFollowUpMeansNothingOutsideItsContext() {
        var conversation = conversation()
        let outcome = say("and what about abroad", &conversation)
        #expect(outcome.understanding?.matched == nil)
        #expect(!(outcome.understanding?.ranking.contains { $0.intent == "delivery_abroad" } ?? true))
    }

    @Test func aFollowUpIsUnderstoodInsideItsContext() {
        var conversation = conversation()
        _ = say("how much is delivery", &conversation)
        #expect(conversation.state.contexts == ["delivery": Intent.defaultContextTurns])
        #expect(say("and what about abroad", &conversation).replies == ["Abroad it is £9.95."])
    }

    @Test func aContextLastsItsNumberOfMessages() {
        var conversation = conversation()
        _ = say("how much is delivery", &conversation)
        for filler in ["hi", "hello", "hi"] { _ = say(filler, &conversation) }
        #expect(conversation.state.contexts.isEmpty)
        #expect(say("and what about abroad", &conversation).understanding?.matched == nil)
    }

    @Test func noAnswersTheQuestionOnlyRightAfterIt() {
        var conversation = conversation()
        #expect(say("no", &conversation).understanding?.matched == nil)
        _ = say("thanks", &conversation)
        let outcome = say("no", &conversation)
        #expect(outcome.replies == ["Goodbye then."])
        #expect(conversation.state.phase == .ended)
    }

    @Test func aRestartClosesEveryContext() {
        var conversation = conversation()
        _ = say("how much is delivery", &conversation)
        _ = conversation.handle(.restarted(at: Fixtures.noon))
        #expect(conversation.state.contexts.isEmpty)
    }
}
