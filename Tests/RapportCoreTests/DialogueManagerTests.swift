import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

@Suite("What the bot waits for, and what the conversation is about")
struct DialogueManagerTests {
    /// Fixtures' bot, with orders to look up and order numbers kept in focus.
    static let bot: Bot = {
        var bot = SlotFillingTests.bot
        bot.entities = bot.entities.map { type in
            var type = type
            type.focus = true
            return type
        }
        bot.tables = ["orders": DataTable(name: "orders", columns: ["order_number", "status", "address"], rows: [
            ["HP-10442", "on its way", "it has left, so the courier's link can redirect it"],
            ["HP-10610", "delayed", "it has not left yet, so we can still change it"],
        ])]
        var change = Intent(
            name: "change_address", topic: "orders",
            examples: ["can I change the delivery address", "change the address on my order", "wrong address on my order",
                       "I need it sent to a new address", "update the delivery address"],
            responses: [template("To change an address, call us."),
                        template("Order {order_number}: {orders.address}.", condition: CustomerCondition(given: ["order_number"]))])
        change.slots = [SlotSpec(name: "order_number", entity: "order_number", required: false, prompts: [], invalid: [])]
        change.lookup = Lookup(table: "orders", slot: "order_number", notFound: [template("No order {order_number}.")])
        bot.intents.append(change)
        return bot
    }()
    static let engine = Engine(bot: bot)

    // MARK: Awaiting

    @Test func aQuestionOnTopOfARequestLeavesTheRequestWaitingBehindIt() {
        let filling = SlotFilling(intent: "order_status", values: [:], asking: "order_number")
        let person = Awaiting.person(.frustration, then: filling)
        #expect(person.task == filling)
        #expect(person.afterAnswer == .slot(filling), "once the offer is answered, the bot asks for the order again")
        #expect(person.with(task: nil) == .person(.frustration, then: nil))
        #expect(Awaiting.checkBack(SolvedRequest(intent: "x", label: "x", session: "s", at: Fixtures.noon)).afterAnswer == .nothing)
        #expect(Awaiting.slot(filling).with(task: nil) == .nothing)
    }

    @Test func aSavedStateWithAQuestionWaitingReadsBackTheSame() throws {
        var state = DialogueState(random: SplitMix64(seed: 1))
        state.awaiting = .choice(PendingClarification(message: "m", options: [], entities: []),
                                 then: SlotFilling(intent: "order_status", values: ["a": "b"], asking: "order_number"))
        state.focus.bring("order_number", "HP-10442")
        let read = try #require(DialogueState.decoded(from: try state.encoded()))
        #expect(read.awaiting == state.awaiting)
        #expect(read.focus == state.focus)
    }

    // MARK: Focus

    @Test func focusKeepsOneValueOfAKindAndFadesAfterFourMessages() {
        var focus = Focus()
        focus.bring("order_number", "HP-10442")
        focus.bring("store", "York")
        focus.bring("order_number", "HP-10610")
        #expect(focus.value(for: "order_number") == "HP-10610", "the customer moved on to the other order")
        #expect(focus.items.map(\.entity) == ["order_number", "store"])
        for _ in 1..<Focus.lasting { focus.fade() }
        #expect(focus.value(for: "store") == "York")
        focus.fade()
        #expect(focus.value(for: "store") == nil)
        focus.bring("store", "Leeds")
        focus.drop("store", "Leeds")
        #expect(focus.items.isEmpty)
    }

    @Test func aValueDisplacedByAnotherOfItsKindIsKeptBehindItAndFades() throws {
        var focus = Focus()
        focus.bring("order_number", "HP-10442")
        focus.bring("order_number", "HP-10501")
        #expect(focus.values(for: "order_number") == ["HP-10501", "HP-10442"], "the one in focus first, then the one it displaced")
        focus.bring("order_number", "HP-10442")
        #expect(focus.values(for: "order_number") == ["HP-10442", "HP-10501"], "named again, it is back in focus and no longer displaced")
        focus.drop("order_number", "HP-10501")
        #expect(focus.values(for: "order_number") == ["HP-10442"], "a thing that does not exist leaves wherever it is")
        focus.bring("order_number", "HP-10501")
        for _ in 1..<Focus.lasting { focus.fade() }
        #expect(focus.values(for: "order_number").count == 2)
        focus.fade()
        #expect(focus.values(for: "order_number").isEmpty, "displaced things fade as the rest do")
        // A focus saved before displaced things were kept reads back with none.
        let saved = #"{"items":[{"entity":"order_number","value":"HP-10442","salience":2}],"subjects":[]}"#
        let read = try JSONDecoder().decode(Focus.self, from: Data(saved.utf8))
        #expect(read.values(for: "order_number") == ["HP-10442"])
    }

    @Test func aValueOfAKindKeptForTheConversationFadesButNeverLeaves() {
        var focus = Focus()
        focus.bring("member_number", "PC-300771")
        focus.bring("store", "York")
        for _ in 0..<(Focus.lasting * 3) { focus.fade { $0.entity == "member_number" } }
        #expect(focus.value(for: "member_number") == "PC-300771", "the customer's own card is still theirs")
        #expect(focus.items.first?.salience == 1, "at the least salience: anything named since is more recent")
        #expect(focus.value(for: "store") == nil)
        focus.bring("member_number", "PC-118230")
        #expect(focus.values(for: "member_number") == ["PC-118230", "PC-300771"], "another card displaces it as usual")
    }

    @Test func aRequestAnsweredKeepsItsRecordAndMessageAsItFades() {
        var focus = Focus()
        focus.answered("missing_item", record: "HP-10588", turn: 3)
        focus.fade()
        #expect(focus.subject?.record == "HP-10588")
        #expect(focus.subject?.turn == 3, "the messages since the one it was answered for are read with a statement after it")
        #expect(focus.subject?.salience == Focus.lasting - 1)
    }

    @Test func theOrderInFocusAnswersTheNextQuestionThatCanUseIt() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        #expect(conversation.say("where is my order HP-10610").replies == ["Order HP-10610 is delayed."])
        let address = conversation.say("can I change the delivery address")
        #expect(address.replies == ["Order HP-10610: it has not left yet, so we can still change it."], "\(address.replies)")
        #expect(conversation.state.focus.value(for: "order_number") == "HP-10610")
    }

    @Test func theOrderLeavesFocusWhenTheCustomerMovesOn() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        _ = conversation.say("where is my order HP-10610")
        for message in ["hello", "how much is delivery", "hi", "good morning"] { _ = conversation.say(message) }
        #expect(conversation.state.focus.value(for: "order_number") == nil)
        #expect(conversation.say("can I change the delivery address").replies == ["To change an address, call us."])
    }

    @Test func anOrderThatDoesNotExistNeverStaysInFocus() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        #expect(conversation.say("where is my order HP-99999").replies == ["No order HP-99999."])
        #expect(conversation.state.focus.value(for: "order_number") == nil)
    }

    // MARK: Never the same words twice

    @Test func theSameAnswerAgainIsSaidAsSuch() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        _ = conversation.say("where is my order HP-10442")
        #expect(conversation.say("track order HP-10442").replies == ["As I said: Order HP-10442 is on its way."])
    }

    @Test func theSameAnswerToSomeoneItDidNotHelpOffersAPerson() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        _ = conversation.say("where is my order HP-10442")
        let again = conversation.say("where is my order HP-10442, it still has not come")
        #expect(again.replies.count == 1)
        #expect(again.replies.first?.contains("Order HP-10442 is on its way") == false, "\(again.replies)")
        #expect(conversation.state.handoffOffered == .repeatedMisses)
    }

    @Test func aMessageEndingInAnotherQuestionIsNoComplaintThatItDidNotHelp() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        _ = conversation.say("where is my order HP-10442")
        // "Weeks ago" says it has not helped, but the message ends asking something: no offer of a person for it.
        _ = conversation.say("I ordered it two weeks ago, where is my order HP-10442?")
        #expect(conversation.state.handoffOffered != .repeatedMisses)
    }

    // MARK: Negation

    @Test func whatTheCustomerDoesNotWantIsNeverAnswered() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        let outcome = conversation.say("I don't want to talk to a human, where is my order HP-10442")
        #expect(outcome.understanding?.declined == ["human_agent"])
        #expect(outcome.replies == ["Order HP-10442 is on its way."])
        #expect(!outcome.effects.contains { $0.eventName == EventName.handoff })
    }

    @Test func aRefusalAloneIsAcknowledgedAndIsNoMiss() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        let outcome = conversation.say("no need for a human")
        #expect(!outcome.effects.contains { $0.eventName == EventName.handoff })
        #expect(conversation.state.misses == 0)
        #expect(outcome.understanding?.declined == ["human_agent"])
    }

    // MARK: Two requests

    @Test func twoRequestsInOneMessageAreBothAnsweredInOrder() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        let outcome = conversation.say("where is HP-10442 and where is HP-10610")
        #expect(outcome.replies == ["Order HP-10442 is on its way.", "Order HP-10610 is delayed."])
        let recorded = outcome.effects.compactMap { effect -> TurnRecord? in
            if case .recordTurn(let turn) = effect { return turn }
            return nil
        }
        #expect(recorded.count == 1, "one turn, with both replies")
        #expect(recorded.first?.replies.count == 2)
    }

    @Test func aFrustratedCustomerWithTwoRequestsIsOfferedAPersonOnceAfterBothAnswers() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        let outcome = conversation.say("where is HP-10442 and where is HP-10610, this is useless")
        #expect(outcome.replies.prefix(2) == ["Order HP-10442 is on its way.", "Order HP-10610 is delayed."], "\(outcome.replies)")
        #expect(outcome.replies.count == 3, "one offer of a person, after both answers: \(outcome.replies)")
        #expect(conversation.state.handoffOffered == .frustration)
    }

    // MARK: Never claim an action

    @Test func askingTheBotToDoWhatItDescribedOffersAPerson() {
        var conversation = Conversation.started(Self.engine, seed: 1)
        _ = conversation.say("can I change the delivery address")
        let outcome = conversation.say("ok do that please")
        #expect(outcome.replies.first?.hasPrefix("I can't do that myself") == true, "\(outcome.replies)")
        #expect(conversation.state.handoffOffered == .customerRequest)
        #expect(conversation.say("yes").effects.contains { $0.eventName == EventName.handoff })
    }

    // MARK: What the customer told

    /// Fixtures' bot with a broken thing whose refund has a reply for cash paid (`told_cash`).
    static let brokenBot: Bot = {
        var bot = Fixtures.bot
        var damaged = Intent(name: "damaged_item", topic: "returns",
                             examples: ["my mug arrived broken", "it came smashed", "the jar is cracked", "arrived damaged"],
                             responses: [template("Send us a photo of the damage.")])
        damaged.details = [IntentDetail(name: "refund", responses: [
            template("Yes, a refund to your card."),
            template("Yes, in cash at the shop.", condition: CustomerCondition(given: [Bot.toldGiven("cash")])),
        ])]
        bot.intents.append(damaged)
        return bot
    }()

    @Test func whatAStatementTellsPicksLaterRepliesAndAQuestionTellsNothing() {
        var told = Conversation.started(Engine(bot: Self.brokenBot), seed: 3)
        told.say("my mug arrived broken")
        told.say("i paid cash")
        #expect(told.state.toldDetails == ["cash"])
        #expect(told.say("can i get a refund").replies == ["Yes, in cash at the shop."], "cash was told two messages before")

        var asked = Conversation.started(Engine(bot: Self.brokenBot), seed: 3)
        asked.say("my mug arrived broken")
        asked.say("what if i paid cash?")
        #expect(asked.state.toldDetails == nil, "a question tells nothing")
        #expect(asked.say("can i get a refund").replies == ["Yes, a refund to your card."])

        var denied = Conversation.started(Engine(bot: Self.brokenBot), seed: 3)
        denied.say("my mug arrived broken")
        denied.say("i didn't pay in cash")
        #expect(denied.say("can i get a refund").replies == ["Yes, a refund to your card."], "a statement that denies it tells nothing")
    }
}
