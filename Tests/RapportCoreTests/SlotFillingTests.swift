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

    static let engine = Engine(bot: bot)

    func conversation() -> Conversation {
        .started(Self.engine, seed: 1)
    }

    @Test func aValueInTheFirstMessageIsUsedAndTheAnswerComesFromTheTable() {
        var conversation = conversation()
        #expect(conversation.say("where is my order HP-10442").replies == ["Order HP-10442 is on its way."])
        #expect(conversation.state.slots == ["order_number": "HP-10442"])
        #expect(conversation.state.filling == nil)
    }

    @Test func aMissingValueIsAskedForThenTheAnswerCarriesOn() {
        var conversation = conversation()
        #expect(conversation.say("where is my order").replies == ["Which order?"])
        #expect(conversation.state.filling == SlotFilling(intent: "order_status", values: [:], asking: "order_number"))
        let answer = conversation.say("hp10610")
        #expect(answer.replies == ["Order HP-10610 is delayed."])
        #expect(answer.understanding?.slotAnswer == "order_number")
        guard case .recordTurn(let turn)? = answer.effects.first else { Issue.record("no turn"); return }
        #expect(turn.intent == "order_status")
    }

    @Test func anAnswerWithoutTheValueIsReaskedWithTheReason() {
        var conversation = conversation()
        _ = conversation.say("where is my order")
        #expect(conversation.say("I can't remember").replies == ["They look like HP-12345. Which order?"])
        #expect(conversation.state.filling?.attempts == 1)
    }

    /// While a value is awaited, a weak tie of two other requests in a
    /// statement ("I left it at work", read as delivery or returns at 0.45
    /// and 0.4) is no new request: the question is asked again, with why.
    /// Put as a question, the same tie is one, and the bot asks which.
    @Test func aWeakTieInAStatementIsNoNewRequest() {
        var bot = Self.bot
        bot.intents.append(Intent(name: "returns", topic: "returns", examples: ["how do I return something"],
                                  responses: [template("Returns are free.")]))
        bot.clarify = [template("Did you mean {option_1} or {option_2}?")]
        bot.matching = MatchingSettings(confidenceThreshold: 0.4, clarifyMargin: 0.1)
        let tie = [IntentCandidate(intent: "delivery_costs", confidence: 0.45), IntentCandidate(intent: "returns", confidence: 0.4)]
        let ranker = ScriptedRanker(rankings: [
            "where is my order": [IntentCandidate(intent: "order_status", confidence: 0.95)],
            "I left it at work": tie,
            "delivery or returns?": tie,
        ])
        var conversation = Conversation.started(Engine(bot: bot, ranker: ranker), seed: 1)
        #expect(conversation.say("where is my order").replies == ["Which order?"])
        #expect(conversation.say("I left it at work").replies == ["They look like HP-12345. Which order?"])
        #expect(conversation.state.pendingClarification == nil)
        let question = conversation.say("delivery or returns?")
        #expect(conversation.state.pendingClarification != nil, "\(question.replies)")
        #expect(conversation.state.filling?.intent == "order_status", "the question still waits")
    }

    /// "I don't know it" while a value is awaited is no small talk, however
    /// surely the ranker reads it so: the question is asked again. An unsure
    /// phrase in a real request ("no idea how to return it") is the request.
    @Test func notKnowingTheValueIsNoSmallTalk() {
        var bot = Self.bot
        bot.intents.append(Intent(name: "returns", topic: "returns", examples: ["how do I return something"],
                                  responses: [template("Returns are free.")]))
        let ranker = ScriptedRanker(rankings: [
            "where is my order": [IntentCandidate(intent: "order_status", confidence: 0.95)],
            "I don't know it": [IntentCandidate(intent: "greet", confidence: 0.95)],
            "no idea how to return it": [IntentCandidate(intent: "returns", confidence: 0.95)],
        ])
        var conversation = Conversation.started(Engine(bot: bot, ranker: ranker), seed: 1)
        _ = conversation.say("where is my order")
        #expect(conversation.say("I don't know it").replies == ["They look like HP-12345. Which order?"])
        let request = conversation.say("no idea how to return it")
        #expect(request.replies.first == "Returns are free.", "\(request.replies)")
    }

    @Test func threeAnswersWithoutTheValueOfferAPerson() {
        var conversation = conversation()
        _ = conversation.say("where is my order")
        _ = conversation.say("no idea")
        _ = conversation.say("still no idea")
        let third = conversation.say("dunno")
        #expect(third.replies == ["I'm sorry, I'm not getting this right. Would you like me to pass you to a person?"])
        #expect(conversation.state.filling == nil)
        #expect(conversation.state.handoffOffered == .repeatedMisses)
    }

    /// The fixture bot's order number, with what a person can do without it and why it is wanted.
    static func explained() -> Engine {
        var bot = Self.bot
        bot.intents = bot.intents.map { intent in
            var intent = intent
            if intent.name == "order_status" {
                intent.slots[0].without = [template("A person can find it by your email: shall I pass you to them?")]
                intent.slots[0].why = [template("It's how I find your order.")]
            }
            return intent
        }
        return Engine(bot: bot)
    }

    @Test func aValueRefusedIsNotAskedForAgain() {
        var conversation = Conversation.started(Self.explained(), seed: 1)
        _ = conversation.say("where is my order")
        #expect(conversation.say("I'd rather not say").replies == ["A person can find it by your email: shall I pass you to them?"])
        #expect(conversation.state.filling == nil, "the question is dropped, not asked again")
        #expect(conversation.state.handoffOffered == .customerRequest, "a refusal is no miss")
    }

    @Test func whyTheValueIsWantedIsSaidAndTheQuestionWaits() {
        var conversation = Conversation.started(Self.explained(), seed: 1)
        _ = conversation.say("where is my order")
        #expect(conversation.say("why do you need it?").replies == ["It's how I find your order. Which order?"])
        #expect(conversation.state.filling?.intent == "order_status")
        #expect(conversation.say("HP-10442").replies == ["Order HP-10442 is on its way."])
        // Without a `why`, the message is read as any other: no reason is made up.
        var plain = self.conversation()
        _ = plain.say("where is my order")
        #expect(plain.say("why do you need it?").replies.first?.hasPrefix("It's how") == false)
    }

    @Test func aChangeOfTopicIsAnsweredThenTheQuestionComesBack() {
        var conversation = conversation()
        _ = conversation.say("where is my order")
        let outcome = conversation.say("how much is delivery")
        #expect(outcome.replies == ["Delivery is £3.95.", "Now, back to order status. Which order?"])
        #expect(conversation.state.filling?.intent == "order_status")
        #expect(conversation.say("HP-10442").replies == ["Order HP-10442 is on its way."])
    }

    @Test func neverMindCallsItOff() {
        var conversation = conversation()
        _ = conversation.say("where is my order")
        #expect(conversation.say("never mind").replies == ["No problem, I've left that. What else can I help with?"])
        #expect(conversation.state.filling == nil)
    }

    @Test func anUnknownKeySaysSoAndAsksAgain() {
        var conversation = conversation()
        #expect(conversation.say("where is HP-99999").replies == ["No order HP-99999."])
        #expect(conversation.state.filling?.asking == "order_number")
        #expect(conversation.say("sorry, HP-10610").replies == ["Order HP-10610 is delayed."])
    }

    @Test func aCorrectionReanswersWithTheNewValue() {
        var conversation = conversation()
        _ = conversation.say("where is my order HP-10442")
        let corrected = conversation.say("no, it's HP-10610")
        #expect(corrected.replies == ["Order HP-10610 is delayed."])
        #expect(conversation.state.slots == ["order_number": "HP-10610"])
    }

    @Test func aHandoffCarriesTheSlotsFilled() throws {
        var conversation = conversation()
        _ = conversation.say("where is my order HP-10442")
        let outcome = conversation.say("talk to a human")
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
                _ = conversation.say(message)
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
        #expect(bundledSignals.isCancel(text) == cancels)
    }

    @Test func goodbyeOrAPersonEndsTheWaitingQuestionInsteadOfAskingItAgain() {
        var conversation = base.conversation()
        _ = conversation.say("where is my order")
        let bye = conversation.say("bye")
        #expect(bye.replies == ["Bye!"])
        var other = base.conversation()
        _ = other.say("where is my order")
        let human = other.say("talk to a human")
        #expect(human.replies == ["A person will help you."])
        #expect(other.state.filling == nil)
    }

    @Test func earlierValuesAreNotReusedAfterAnotherTopic() {
        var conversation = base.conversation()
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("how much is delivery")
        #expect(conversation.say("where is my order").replies == ["Which order?"])
    }

    @Test func askingTheSameIntentAgainAsksAgain() {
        // "Where is my order?" after an answer may be about another order.
        var conversation = base.conversation()
        _ = conversation.say("where is my order HP-10442")
        #expect(conversation.say("where is my order").replies == ["Which order?"])
    }

    @Test func aKeyNotFoundThreeTimesOffersAPerson() {
        var conversation = base.conversation()
        _ = conversation.say("where is HP-99991")
        _ = conversation.say("HP-99992")
        let third = conversation.say("HP-99993")
        #expect(third.replies.first?.hasPrefix("No order HP-99993. I'm sorry, I'm not getting this right.") == true, "replied \(third.replies)")
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
        let engine = Engine(bot: bot)
        var conversation = Conversation.started(engine, seed: 1)
        #expect(conversation.say("hold my deliveries from 3 March until 10 March").replies == ["Held from 2027-03-03 until 2027-03-10."])
        var asking = Conversation.started(engine, seed: 1, sessionID: "t")
        #expect(asking.say("hold my deliveries").replies == ["From which day?"])
        #expect(asking.say("3 March").replies == ["Until which day?"])
        #expect(asking.say("10 March").replies == ["Held from 2027-03-03 until 2027-03-10."])
    }

    @Test func aMessageTheBotDoesNotReadAnswersNoQuestion() {
        var conversation = base.conversation()
        for message in ["blorp", "zzzt", "quux"] { _ = conversation.say(message) }
        #expect(conversation.state.handoffOffered != nil)
        _ = conversation.say("Где мой заказ?")
        #expect(conversation.state.handoffOffered == nil)
        #expect(!conversation.say("yes").effects.contains { if case .handoff = $0 { return true } else { return false } })
    }

    /// The slot-filling bot with order_status's order number made optional, and these replies.
    static func optionalOrderNumber(_ responses: [ResponseTemplate]) -> Bot {
        var bot = SlotFillingTests.bot
        bot.intents = bot.intents.map { intent in
            var intent = intent
            if intent.name == "order_status" {
                intent.slots[0].required = false
                intent.responses = responses
            }
            return intent
        }
        return bot
    }

    @Test func aReplyForAGivenSlotWinsWhenTheValueIsGivenAndIsLeftOutWhenNot() {
        let bot = Self.optionalOrderNumber([
            template("Tell me the number and I'll check."),
            // Holds for a new customer: a reply for the customer, which a given value still beats.
            template("Hello newcomer, tell me the number.", condition: CustomerCondition(stages: [.suspect])),
            template("Order {order_number} is {orders.status}.", condition: CustomerCondition(given: ["order_number"])),
        ])
        var conversation = Conversation.started(Engine(bot: bot), seed: 1)
        #expect(conversation.say("where is my order").replies == ["Hello newcomer, tell me the number."], "an optional slot is not asked for")
        #expect(conversation.state.filling == nil)
        #expect(conversation.say("where is my order HP-10610").replies == ["Order HP-10610 is delayed."])
        #expect(conversation.say("no, it's HP-10442").replies == ["Order HP-10442 is on its way."])
    }

    @Test func aReplyForAGivenSlotAndThisCustomerBeatsOneForTheSlotAlone() {
        let bot = Self.optionalOrderNumber([
            template("Tell me the number and I'll check."),
            template("Order {order_number} is {orders.status}.", condition: CustomerCondition(given: ["order_number"])),
            template("Order {order_number} is {orders.status}, and welcome back.", condition: CustomerCondition(stages: [.client], given: ["order_number"])),
        ])
        var regular = CustomerProfile(id: "c-2")
        regular.stage = .client
        for seed in 1...6 {
            var conversation = Conversation(engine: Engine(bot: bot), sessionID: "s\(seed)", seed: UInt64(seed), profile: regular)
            #expect(conversation.say("where is my order HP-10610").replies == ["Order HP-10610 is delayed, and welcome back."])
            var newcomer = Conversation.started(Engine(bot: bot), seed: UInt64(seed))
            #expect(newcomer.say("where is my order HP-10610").replies == ["Order HP-10610 is delayed."])
        }
    }

    @Test func aBareValueJustAfterAnAnswerThatLeftAnOptionalSlotEmptyFillsIt() {
        var bot = SlotFillingTests.bot
        bot.intents.append(Intent(
            name: "change_address", examples: ["change my address", "change the address on my order", "wrong delivery address"],
            responses: [template("Tell me the order number and I'll check it."),
                        template("Order {order_number} is {orders.status}: call us to change it.", condition: CustomerCondition(given: ["order_number"]))],
            slots: [SlotSpec(name: "order_number", entity: "order_number", required: false, prompts: [])],
            lookup: Lookup(table: "orders", slot: "order_number", notFound: [template("No order {order_number}.")])))
        var conversation = Conversation.started(Engine(bot: bot), seed: 1)
        #expect(conversation.say("change the address on my order").replies == ["Tell me the order number and I'll check it."])
        let value = conversation.say("it's HP-10610")
        #expect(value.replies == ["Order HP-10610 is delayed: call us to change it."])
        #expect(value.understanding?.slotAnswer == "order_number")
        // Once given, a message with another order number is read on its own.
        #expect(conversation.say("where is my order HP-10442").replies == ["Order HP-10442 is on its way."])
        // An optional value with no row is said so, and not asked for again.
        #expect(conversation.say("change the address on my order HP-99999").replies == ["No order HP-99999."])
        #expect(conversation.state.filling == nil, "a slot the intent does not need is never asked for")
        #expect(conversation.say("sorry, HP-10610").replies == ["Order HP-10610 is delayed: call us to change it."])
    }

    @Test func anAnswerThatLooksLikeTwoOtherIntentsIsReaskedNotClarified() {
        var bot = SlotFillingTests.bot
        // Two intents "I don't know it" resembles equally: the ranker calls it a near tie.
        bot.intents.append(Intent(name: "help", examples: ["I don't know what to do"], responses: [template("I can help.")]))
        bot.intents.append(Intent(name: "lost", examples: ["I don't know where it is"], responses: [template("Lost it?")]))
        // A margin that makes "I don't know it" a near tie between help and lost.
        let ranking = Engine(bot: bot).understand("I don't know it", at: Fixtures.noon).ranking
        #expect(Set(ranking.prefix(2).map(\.intent)) == ["help", "lost"])
        bot.matching = MatchingSettings(confidenceThreshold: 0.01, clarifyMargin: ranking[0].confidence - ranking[1].confidence + 0.01)
        let engine = Engine(bot: bot)
        guard case .ambiguous = engine.understand("I don't know it", at: Fixtures.noon).decision else {
            Issue.record("the fixture should make the answer a near tie"); return
        }
        var conversation = Conversation.started(engine, seed: 1)
        #expect(conversation.say("where is my order").replies == ["Which order?"])
        let outcome = conversation.say("I don't know it")
        #expect(outcome.replies == ["They look like HP-12345. Which order?"])
        #expect(conversation.state.pendingClarification == nil)
        #expect(conversation.state.filling?.attempts == 1)
    }

    @Test("a value and nothing but filler", arguments: [
        ("it's HP-10443", true), ("HP-10443", true), ("and for HP-10443?", true), ("sorry, the order number is HP-10443", true),
        ("where is HP-10443", false), ("cancel HP-10443 please", false), ("HP-10443 arrived broken", false),
    ])
    func bareValue(text: String, bare: Bool) throws {
        let match = try #require(SlotFillingTests.engine.entities.extract(from: text, at: Fixtures.noon).first)
        #expect(bundledSignals.isBareValue(text, value: match) == bare)
    }

    @Test("people the customer talks about", arguments: [
        ("my son is into camping", true), ("he loves hiking", true), ("I love walking", false), ("my name is Sam", false),
    ])
    func someoneElse(text: String, other: Bool) {
        #expect(bundledSignals.isAboutSomeoneElse(text) == other)
    }

    @Test("saying you don't have it", arguments: [
        ("I don't have one", true), ("no idea", true), ("I can't find it", true), ("dunno", true),
        ("I know it", false), ("I don't know where my order is, it's late", false),
    ])
    func unsure(text: String, unsure: Bool) {
        #expect(bundledSignals.isUnsure(text) == unsure)
    }

    @Test func cancellingIsARequestOfItsOwnWhenTheRankerUnderstoodOne() {
        var bot = SlotFillingTests.bot
        bot.intents.append(Intent(name: "cancel_order", examples: ["cancel my order", "cancel it", "please cancel the order", "cancel"],
                                  responses: [template("Cancelled.")]))
        var conversation = Conversation.started(Engine(bot: bot), seed: 1)
        _ = conversation.say("where is my order")
        #expect(conversation.say("cancel it").replies.first == "Cancelled.", "a request the bot understood is answered")
        _ = conversation.say("where is my order")
        #expect(conversation.say("never mind").replies == ["No problem, I've left that. What else can I help with?"])
        #expect(conversation.state.filling == nil)
    }

    @Test func anOptionalValueWithNoRowIsNoRequestDealtWith() {
        let bot = Self.optionalOrderNumber([
            template("Tell me the number."),
            template("Order {order_number} is {orders.status}.", condition: CustomerCondition(given: ["order_number"])),
        ])
        var conversation = Conversation(engine: Engine(bot: bot), sessionID: "s1", seed: 1, profile: CustomerProfile(id: "c-1"))
        _ = conversation.handle(.started(at: Fixtures.noon))
        let missing = conversation.say("where is my order HP-99999")
        #expect(missing.replies == ["No order HP-99999."])
        #expect(!missing.profileChanges.contains { if case .solved = $0 { true } else { false } }, "nothing was solved")
        #expect(!missing.profileChanges.contains(.trust(.resolvedRequest, delta: 4)))
        let found = conversation.say("where is my order HP-10442")
        #expect(found.profileChanges.contains(.trust(.resolvedRequest, delta: 4)), "the same request answered is")
    }

    @Test func answeringAnIntentWithOnlyOptionalSlotsKeepsTheQuestionWaiting() {
        var bot = SlotFillingTests.bot
        bot.intents.append(Intent(
            name: "cancel_order", examples: ["cancel my order", "please cancel the order", "I want to cancel"],
            responses: [template("Press Cancel on the order.")],
            slots: [SlotSpec(name: "order_number", entity: "order_number", required: false, prompts: [])]))
        var conversation = Conversation.started(Engine(bot: bot), seed: 1)
        #expect(conversation.say("where is my order").replies == ["Which order?"])
        #expect(conversation.say("please cancel the order").replies == ["Press Cancel on the order.", "Now, back to order status. Which order?"])
        #expect(conversation.say("HP-10442").replies == ["Order HP-10442 is on its way."])
    }

    @Test func itMeansTheValueTheLastAnswerUsed() {
        var bot = SlotFillingTests.bot
        bot.intents.append(Intent(
            name: "cancel_order", examples: ["cancel my order", "please cancel the order", "cancel it", "cancel order HP10003"],
            responses: [template("Cancelling {order_number}.")],
            slots: [SlotSpec(name: "order_number", entity: "order_number", prompts: [template("Which order to cancel?")])]))
        var conversation = Conversation.started(Engine(bot: bot), seed: 1)
        _ = conversation.say("where is my order HP-10610")
        #expect(conversation.say("please cancel it").replies == ["Cancelling HP-10610."], "'it' is the order just looked up")
        _ = conversation.say("where is my order HP-10442")
        #expect(conversation.say("please cancel the order").replies == ["Which order to cancel?"], "without pointing back, it asks")
    }

    @Test func aSlotFromTheLastAnswerIsTakenWithoutPointingBack() {
        // A follow-up whose slot is marked from_last_answer: "status?" names no
        // order and points at none, yet means the one just answered.
        var bot = SlotFillingTests.bot
        var followUp = Intent(name: "order_followup", examples: ["status?", "and the status"], responses: [template("Still {orders.status}.")])
        followUp.slots = [SlotSpec(name: "order_number", entity: "order_number", prompts: [template("Which order?")], fromLastAnswer: true)]
        followUp.lookup = Lookup(table: "orders", slot: "order_number", notFound: [template("No order {order_number}.")])
        var unmarked = followUp
        unmarked.slots[0].fromLastAnswer = false
        for (intent, expected) in [(followUp, "Still delayed."), (unmarked, "Which order?")] {
            bot.intents = SlotFillingTests.bot.intents + [intent]
            var conversation = Conversation.started(Engine(bot: bot), seed: 1)
            _ = conversation.say("where is my order HP-10610")
            #expect(conversation.say("status?").replies == [expected])
        }
    }

    @Test func aSlotNotFromFocusIsFilledOnlyByTheMessage() {
        // "Do you sell flasks?" names the product; "what else do you sell?" after an order names none,
        // and the order in focus does not fill it.
        var bot = SlotFillingTests.bot
        bot.entities = bot.entities.map { type in
            var type = type
            if type.name == "order_number" { type.focus = true }
            return type
        }
        var range = Intent(name: "range", examples: ["what do you sell", "what else do you sell", "do you sell orders"],
                           responses: [template("We sell all sorts."), template("Yes, order {order_number} is ours.", condition: CustomerCondition(given: ["order_number"]))])
        range.slots = [SlotSpec(name: "order_number", entity: "order_number", required: false, prompts: [], fromFocus: false)]
        var focused = range
        focused.slots[0].fromFocus = true
        for (intent, expected) in [(range, "We sell all sorts."), (focused, "Yes, order HP-10610 is ours.")] {
            bot.intents = SlotFillingTests.bot.intents + [intent]
            var conversation = Conversation.started(Engine(bot: bot), seed: 1)
            _ = conversation.say("where is my order HP-10610")
            #expect(conversation.say("what else do you sell").replies == [expected])
        }
    }

    /// Order status, and a damage report whose order number is optional and
    /// which a product can be named in (matched by a pattern: these tests are
    /// about what "it" means, not about the classifier).
    static var damageBot: Bot {
        var bot = SlotFillingTests.bot
        bot.entities.append(EntityType(name: "product", recognizer: .list([EntityValue("candle"), EntityValue("mug")])))
        var damaged = Intent(name: "damaged", examples: ["it arrived broken"], responses: [
            template("Sorry, send us a photo."),
            template("Sorry about order {order_number}.", condition: CustomerCondition(given: ["order_number"])),
        ], patterns: [ProfileBot.pattern("/crack/")])
        damaged.slots = [SlotSpec(name: "order_number", entity: "order_number", required: false, prompts: []),
                         SlotSpec(name: "product", entity: "product", required: false, prompts: [])]
        bot.intents.append(damaged)
        var productInfo = Intent(name: "product_info", examples: ["tell me about the mug"], responses: [template("About the {product}.")],
                                 patterns: [ProfileBot.pattern("/^tell me about/")])
        productInfo.slots = [SlotSpec(name: "product", entity: "product", prompts: [template("Which product?")])]
        productInfo.lookup = Lookup(table: "products", slot: "product", notFound: [template("No {product}.")])
        bot.tables["products"] = DataTable(name: "products", columns: ["product", "price"], rows: [["candle", "£24"], ["mug", "£16"]])
        bot.intents.append(productInfo)
        return bot
    }

    @Test("'it' is what the last answer was about, unless the message says otherwise", arguments: [
        (["where is my order HP-10610", "it arrived with a crack in it"], "Sorry about order HP-10610."),
        // The message names something of its own: "it" is the candle, not the order.
        (["where is my order HP-10610", "my candle arrived with a crack in it"], "Sorry, send us a photo."),
        (["where is my order HP-10610", "my other order arrived with a crack in it"], "Sorry, send us a photo."),
        // The last turn was no answer: a miss, or a question still waiting.
        (["where is my order HP-10610", "blorp zzkx", "it arrived with a crack in it"], "Sorry, send us a photo."),
        (["where is my order HP-10610", "tell me about it", "it arrived with a crack in it"], "Sorry, send us a photo."),
    ])
    func itMeansTheLastAnswer(messages: [String], expected: String) {
        var conversation = Conversation.started(Engine(bot: Self.damageBot), seed: 1)
        for message in messages.dropLast() { _ = conversation.say(message) }
        #expect(conversation.say(messages.last!).replies.first == expected)
    }

    @Test("another thing, or another kind of the same thing", arguments: [
        ("my other order is late", true), ("a different one", true), ("another parcel came", true),
        ("what other colours are there", false), ("does it come in a different size", false), ("is it in stock", false),
        ("does it come in anything other than grey", false), ("tell me more about one of your products", true),
        ("is it in stock in any of your shops", false), ("any of your products in navy", true),
    ])
    func meansAnother(text: String, another: Bool) {
        #expect(bundledSignals.meansAnother(text) == another)
    }

    @Test("pointing back", arguments: [("is it in stock?", true), ("and where is that one", true), ("is the rain jacket in stock", false)])
    func pointingBack(text: String, back: Bool) {
        #expect(bundledSignals.refersBack(text) == back)
    }

    @Test func aNewRequestHoldingTheValueIsAnsweredWithIt() {
        var bot = SlotFillingTests.bot
        bot.intents.append(Intent(
            name: "change_address", examples: ["change my address", "change the address on my order", "change the address on HP10003"],
            responses: [template("Tell me the order."), template("Changing the address on {order_number}.", condition: CustomerCondition(given: ["order_number"]))],
            slots: [SlotSpec(name: "order_number", entity: "order_number", required: false, prompts: [])]))
        var conversation = Conversation.started(Engine(bot: bot), seed: 1)
        #expect(conversation.say("where is my order").replies == ["Which order?"])
        #expect(conversation.say("change the address on my order HP-10610").replies == ["Changing the address on HP-10610."])
        #expect(conversation.state.filling == nil, "the question it replaced is dropped")
        _ = conversation.say("where is my order")
        #expect(conversation.say("stop").replies == ["No problem, I've left that. What else can I help with?"])
    }
}
