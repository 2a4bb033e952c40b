import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

@Suite("Slot filling and answers from data")
struct SlotFillingTests {
    static let orderNumber = EntityType(
        name: "order_number", recognizer: .pattern(source: #"\b[Hh][Pp]-?(\d{5})\b"#, template: "HP-$1", normalization: .none),
        example: "HP-12345")

    static let bot: Bot = {
        var bot = Fixtures.bot
        bot.entities = [orderNumber]
        bot.tables = ["orders": DataTable(name: "orders", columns: ["order_number", "status"], rows: [
            ["HP-10442", "on its way"], ["HP-10610", "delayed"],
        ])]
        bot.intents = bot.intents.map { intent in
            var intent = intent
            if intent.name == "order_status" {
                intent.examples += ["where is HP10001", "track order HP10002"]
                intent.slots = [SlotSpec(name: "order_number", entity: "order_number",
                                         prompts: [template("Which order?")], invalid: [template("They look like {example}.")])]
                intent.lookup = Lookup(table: "orders", slot: "order_number", notFound: [template("No order {order_number}.")])
                intent.responses = [template("Order {order_number} is {orders.status}.")]
            }
            return intent
        }
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

    @Test func aValueInTheFirstMessageIsUsedAndTheAnswerComesFromTheTable() {
        var conversation = conversation()
        #expect(say("where is my order HP-10442", &conversation).replies == ["Order HP-10442 is on its way."])
        #expect(conversation.state.slots == ["order_number": "HP-10442"])
        #expect(conversation.state.filling == nil)
    }

    @Test func aMissingValueIsAskedForThenTheAnswerCarriesOn() {
        var conversation = conversation()
        #expect(say("where is my order", &conversation).replies == ["Which order?"])
        #expect(conversation.state.filling == SlotFilling(intent: "order_status", values: [:], asking: "order_number"))
        let answer = say("hp10610", &conversation)
        #expect(answer.replies == ["Order HP-10610 is delayed."])
        #expect(answer.understanding?.slotAnswer == "order_number")
        guard case .recordTurn(let turn)? = answer.effects.first else { Issue.record("no turn"); return }
        #expect(turn.intent == "order_status")
    }

    @Test func anAnswerWithoutTheValueIsReaskedWithTheReason() {
        var conversation = conversation()
        _ = say("where is my order", &conversation)
        #expect(say("I can't remember", &conversation).replies == ["They look like HP-12345. Which order?"])
        #expect(conversation.state.filling?.attempts == 1)
    }

    @Test func threeAnswersWithoutTheValueOfferAPerson() {
        var conversation = conversation()
        _ = say("where is my order", &conversation)
        _ = say("no idea", &conversation)
        _ = say("still no idea", &conversation)
        let third = say("dunno", &conversation)
        #expect(third.replies == ["I'm sorry, I'm not getting this right. Would you like me to pass you to a person?"])
        #expect(conversation.state.filling == nil)
        #expect(conversation.state.handoffOffered == .repeatedMisses)
    }

    @Test func aChangeOfTopicIsAnsweredThenTheQuestionComesBack() {
        var conversation = conversation()
        _ = say("where is my order", &conversation)
        let outcome = say("how much is delivery", &conversation)
        #expect(outcome.replies == ["Delivery is £3.95.", "Now, back to order status. Which order?"])
        #expect(conversation.state.filling?.intent == "order_status")
        #expect(say("HP-10442", &conversation).replies == ["Order HP-10442 is on its way."])
    }

    @Test func neverMindCallsItOff() {
        var conversation = conversation()
        _ = say("where is my order", &conversation)
        #expect(say("never mind", &conversation).replies == ["No problem, I've left that. What else can I help with?"])
        #expect(conversation.state.filling == nil)
    }

    @Test func anUnknownKeySaysSoAndAsksAgain() {
        var conversation = conversation()
        #expect(say("where is HP-99999", &conversation).replies == ["No order HP-99999."])
        #expect(conversation.state.filling?.asking == "order_number")
        #expect(say("sorry, HP-10610", &conversation).replies == ["Order HP-10610 is delayed."])
    }

    @Test func aCorrectionReanswersWithTheNewValue() {
        var conversation = conversation()
        _ = say("where is my order HP-10442", &conversation)
        let corrected = say("no, it's HP-10610", &conversation)
        #expect(corrected.replies == ["Order HP-10610 is delayed."])
        #expect(conversation.state.slots == ["order_number": "HP-10610"])
    }

    @Test func aHandoffCarriesTheSlotsFilled() throws {
        var conversation = conversation()
        _ = say("where is my order HP-10442", &conversation)
        let outcome = say("talk to a human", &conversation)
        let summary = try #require(outcome.effects.compactMap { effect -> HandoffSummary? in
            if case .handoff(let summary) = effect { return summary }
            return nil
        }.first)
        #expect(summary.slots == ["order_number": "HP-10442"])
    }

    @Test func replayingTheSameEventsGivesTheSameState() {
        func run() -> DialogueState {
            var conversation = conversation()
            for message in ["where is my order", "how much is delivery", "no idea", "HP-10442", "no, HP-10610"] {
                _ = say(message, &conversation)
            }
            return conversation.state
        }
        #expect(run() == run())
    }

    @Test func tableKeysIgnoreCase() {
        let table = DataTable(name: "orders", columns: ["order_number", "status"], rows: [["HP-10442", "on its way"]])
        #expect(table.row(for: "hp-10442") == ["orders.order_number": "HP-10442", "orders.status": "on its way"])
        #expect(table.row(for: "HP-1") == nil)
    }
}

/// Cases found in review: each once did the wrong thing.
@Suite("Slot filling: the awkward cases")
struct SlotFillingEdgeTests {
    let base = SlotFillingTests()

    @Test("calling off is the phrase alone, not a request that starts like it", arguments: [
        ("never mind", true), ("oh never mind then", true), ("forget it please", true), ("cancel", true),
        ("cancel my order", false), ("stop my order", false), ("never mind the jumper, where is my order", false),
    ])
    func callingOff(text: String, cancels: Bool) {
        #expect(CustomerSignals.isCancel(text) == cancels)
    }

    @Test func goodbyeOrAPersonEndsTheWaitingQuestionInsteadOfAskingItAgain() {
        var conversation = base.conversation()
        _ = base.say("where is my order", &conversation)
        let bye = base.say("bye", &conversation)
        #expect(bye.replies == ["Bye!"])
        var other = base.conversation()
        _ = base.say("where is my order", &other)
        let human = base.say("talk to a human", &other)
        #expect(human.replies == ["A person will help you."])
        #expect(other.state.filling == nil)
    }

    @Test func earlierValuesAreNotReusedAfterAnotherTopic() {
        var conversation = base.conversation()
        _ = base.say("where is my order HP-10442", &conversation)
        _ = base.say("how much is delivery", &conversation)
        #expect(base.say("where is my order", &conversation).replies == ["Which order?"])
    }

    @Test func askingTheSameIntentAgainAsksAgain() {
        // "Where is my order?" after an answer may be about another order.
        var conversation = base.conversation()
        _ = base.say("where is my order HP-10442", &conversation)
        #expect(base.say("where is my order", &conversation).replies == ["Which order?"])
    }

    @Test func aKeyNotFoundThreeTimesOffersAPerson() {
        var conversation = base.conversation()
        _ = base.say("where is HP-99991", &conversation)
        _ = base.say("HP-99992", &conversation)
        let third = base.say("HP-99993", &conversation)
        #expect(third.replies.first?.hasPrefix("No order HP-99993. I'm sorry, I'm not getting this right.") == true)
        #expect(third.quickReplies.map(\.message) == ["yes", "no"])
        #expect(conversation.state.filling == nil)
    }

    @Test func twoSlotsOfOneEntityTypeTakeDifferentValues() {
        var bot = SlotFillingTests.bot
        bot.entities.append(EntityType(name: "date", recognizer: .date(dayFirst: true)))
        bot.intents.append(Intent(
            name: "hold_deliveries", examples: ["hold my deliveries", "pause deliveries", "pause deliveries from monday until friday"],
            responses: [template("Held from {from} until {until}.")],
            slots: [
                SlotSpec(name: "from", entity: "date", prompts: [template("From which day?")]),
                SlotSpec(name: "until", entity: "date", prompts: [template("Until which day?")]),
            ]))
        var conversation = Conversation(engine: Engine(bot: bot), sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: Fixtures.noon))
        #expect(conversation.handle(.customerSaid("hold my deliveries from 3 March until 10 March", at: Fixtures.noon)).replies
                == ["Held from 2027-03-03 until 2027-03-10."])
        var asking = Conversation(engine: Engine(bot: bot), sessionID: "t", seed: 1)
        _ = asking.handle(.started(at: Fixtures.noon))
        #expect(asking.handle(.customerSaid("hold my deliveries", at: Fixtures.noon)).replies == ["From which day?"])
        #expect(asking.handle(.customerSaid("3 March", at: Fixtures.noon)).replies == ["Until which day?"])
        #expect(asking.handle(.customerSaid("10 March", at: Fixtures.noon)).replies == ["Held from 2027-03-03 until 2027-03-10."])
    }

    @Test func aMessageTheBotDoesNotReadAnswersNoQuestion() {
        var conversation = base.conversation()
        for message in ["blorp", "zzzt", "quux"] { _ = base.say(message, &conversation) }
        #expect(conversation.state.handoffOffered != nil)
        _ = base.say("Где мой заказ?", &conversation)
        #expect(conversation.state.handoffOffered == nil)
        #expect(!base.say("yes", &conversation).effects.contains { if case .handoff = $0 { return true } else { return false } })
    }
}
