import Foundation
import Testing
@testable import RapportCore

@Suite("The conversation state machine")
struct ConversationTests {
    func started(seed: UInt64 = 7) -> (Conversation, TurnOutcome) {
        var conversation = Conversation(engine: Fixtures.engine, sessionID: "s1", seed: seed)
        let greeting = conversation.handle(.started(at: Fixtures.noon))
        return (conversation, greeting)
    }

    @Test func greetsWhenTheConversationStarts() {
        let (conversation, greeting) = started()
        #expect(greeting.replies.count == 1)
        #expect(["Hello from Harbour & Pine.", "Hi, I'm Pip."].contains(greeting.replies[0]))
        #expect(conversation.state.phase == .open)
        #expect(greeting.changes == [StateChange(field: "phase", before: "not started", after: "open")])
    }

    @Test func aSentenceAnotherSaysAgainWithMoreIsLeftOut() {
        let shops = "Yes, gift cards work in all our shops as well as online."
        let online = "Yes, gift cards work online (there's a box for them at checkout) as well as in our shops."
        #expect(Turn.withoutRestatements([[shops], [online]]) == [online])
        #expect(Turn.withoutRestatements([[shops, online]]) == [shops, online], "one detail's own sentences all stay")
        // Two sentences that share words but say different things both stay.
        let cost = "Returns are free within 30 days, and the label is on us."
        let time = "You have 30 days to send it back, and the refund reaches your card within 5 working days."
        #expect(Turn.withoutRestatements([[cost], [time]]) == [cost, time])
        #expect(Turn.withoutRestatements([["Yes."], ["Yes, of course."]]) == ["Yes.", "Yes, of course."], "too short to judge")
        // A figure the shorter gives that the longer does not: both stay.
        let express = "Express next-day delivery is £7.95, if you order before 2pm."
        let times = "Standard delivery takes 3 to 5 working days; express arrives the next working day if you order before 2pm."
        #expect(Turn.withoutRestatements([[express], [times]]) == [express, times])
    }

    @Test func aClauseAnotherDetailSaidIsLeftOutOfALaterSentence() {
        let cost = "It costs you nothing: you don't need to send a broken item back, and we send a replacement or a full refund."
        let sendBack = "No, you don't need to send a broken item back: the photo is all we need."
        #expect(Turn.withoutRestatements([[cost], [sendBack]]) == [cost, "The photo is all we need."])
        let shop = "Yes, show your voucher in any of our shops; online, it goes in the \"Pine Club vouchers\" box at checkout."
        let online = "Online, vouchers go in the \"Pine Club vouchers\" box at checkout, and they work alongside a discount code."
        #expect(Turn.withoutRestatements([[shop], [online]]) == [shop, "They work alongside a discount code."])
        // Said first, the clause stays: only a later sentence gives it up.
        #expect(Turn.withoutRestatements([[sendBack], [cost]]).first == sendBack)
        // Nothing said again: the sentence stays as written.
        let time = "A refund can take up to 5 working days to show on your card."
        #expect(Turn.withoutRestatements([[cost], [time]]) == [cost, time])
        // A clause with a telling word of its own ("when") is no restatement, however many words it shares.
        let refund = "Yes, you can have your money back rather than a replacement: email a photo of the damage and say you'd like a refund."
        let replacement = "Yes: say you'd like a replacement when you email the photo, and we send one free, or a full refund if you prefer."
        #expect(Turn.withoutRestatements([[refund], [replacement]]) == [refund, replacement])
    }

    @Test func answersTheQuestionBesideSmallTalkAndRecordsTheWholeMessage() throws {
        var (conversation, _) = started()
        let said = "hello, good morning. where is my order?"
        #expect(Fixtures.engine.understand(said, at: Fixtures.noon).ranking.first?.intent == "greet")
        let outcome = conversation.handle(.customerSaid(said, at: Fixtures.noon))
        #expect(outcome.replies == ["Track it at Harbour & Pine's site."])
        #expect(conversation.state.lastIntent == "order_status")
        let record = try #require(outcome.effects.compactMap { effect -> TurnRecord? in
            if case .recordTurn(let turn) = effect { turn } else { nil }
        }.first)
        #expect(record.customerText == said)
        #expect(record.intent == "order_status")
        // Small talk with no question beside it is small talk.
        #expect(conversation.handle(.customerSaid("hello, good morning", at: Fixtures.noon)).understanding?.matched?.intent == "greet")
    }

    @Test func answersAMatchedIntentAndRecordsTheTurn() throws {
        var (conversation, _) = started()
        let outcome = conversation.handle(.customerSaid("where's my order?", at: Fixtures.noon))
        #expect(outcome.replies == ["Track it at Harbour & Pine's site."])
        #expect(outcome.understanding?.matched?.intent == "order_status")
        #expect(conversation.state.lastIntent == "order_status")
        #expect(conversation.state.topic == "orders")
        let record = try #require(outcome.effects.first)
        guard case .recordTurn(let turn) = record else {
            Issue.record("expected a recorded turn, got \(record)")
            return
        }
        #expect(turn.sessionID == "s1")
        #expect(turn.sequence == 1)
        #expect(turn.customerText == "where's my order?")
        #expect(turn.intent == "order_status")
        #expect(turn.replies == outcome.replies)
        #expect(outcome.changes.map(\.field) == ["turns", "last intent", "topic", "focus", "trust", "stage", "level"])
    }

    @Test func fallsBackAndCountsMissesWhenNothingFits() {
        var (conversation, _) = started()
        let first = conversation.handle(.customerSaid("purple monkey dishwasher", at: Fixtures.noon))
        _ = conversation.handle(.customerSaid("zxcv qwerty", at: Fixtures.noon))
        #expect(first.replies == ["Sorry, say that another way?"])
        #expect(first.understanding?.matched == nil)
        #expect(conversation.state.consecutiveMisses == 2)
        _ = conversation.handle(.customerSaid("hello", at: Fixtures.noon))
        #expect(conversation.state.consecutiveMisses == 0)
        #expect(conversation.state.misses == 2)
    }

    @Test func aGoodbyeIntentEndsTheConversation() {
        var (conversation, _) = started()
        let outcome = conversation.handle(.customerSaid("bye", at: Fixtures.noon))
        #expect(outcome.replies == ["Bye!"])
        #expect(outcome.effects.contains(.endSession(at: Fixtures.noon)))
        #expect(conversation.state.phase == .ended)
        let after = conversation.handle(.customerSaid("hello?", at: Fixtures.noon))
        #expect(after.replies.isEmpty)
        #expect(after.effects.isEmpty)
    }

    @Test func leavingSaysFarewellOnce() {
        var (conversation, _) = started()
        let first = conversation.handle(.ended(at: Fixtures.noon))
        let second = conversation.handle(.ended(at: Fixtures.noon))
        #expect(first.replies == ["Goodbye from Harbour & Pine."])
        #expect(first.effects == [.endSession(at: Fixtures.noon)])
        #expect(second.replies.isEmpty && second.effects.isEmpty)
    }

    @Test func restartClearsContextButKeepsNumberingTurns() {
        var (conversation, _) = started()
        _ = conversation.handle(.customerSaid("track my order", at: Fixtures.noon))
        _ = conversation.handle(.customerSaid("asdf", at: Fixtures.noon))
        let restart = conversation.handle(.restarted(at: Fixtures.noon))
        #expect(restart.replies.count == 1)
        #expect(conversation.state.lastIntent == nil)
        #expect(conversation.state.misses == 0)
        let next = conversation.handle(.customerSaid("hi", at: Fixtures.noon))
        guard case .recordTurn(let turn)? = next.effects.first else {
            Issue.record("expected a recorded turn")
            return
        }
        #expect(turn.sequence == 3, "turn numbers must stay unique within the session after a restart")
    }

    @Test func askingForAPersonHandsOffWithASummaryForTheAgent() throws {
        var (conversation, _) = started()
        _ = conversation.handle(.customerSaid("where is my order", at: Fixtures.noon))
        _ = conversation.handle(.customerSaid("purple monkey dishwasher", at: Fixtures.noon))
        let outcome = conversation.handle(.customerSaid("real person please", at: Fixtures.noon))
        #expect(outcome.replies == ["A person will help you."])
        let handoffs = outcome.effects.compactMap { effect -> HandoffSummary? in
            if case .handoff(let summary) = effect { return summary }
            return nil
        }
        let summary = try #require(handoffs.first)
        #expect(handoffs.count == 1)
        #expect(summary.reason == .customerRequest)
        #expect(summary.firstMessage == "where is my order")
        #expect(summary.lastIntent == "order_status", "the topic the customer was on, not the request for a person")
        #expect(summary.topic == "orders")
        #expect(summary.misses == 1)
        #expect(summary.transcript == [
            Exchange(.customer, "where is my order"), Exchange(.bot, "Track it at Harbour & Pine's site."),
            Exchange(.customer, "purple monkey dishwasher"), Exchange(.bot, "Sorry, say that another way?"),
            Exchange(.customer, "real person please"), Exchange(.bot, "A person will help you."),
        ])
    }

    @Test func theHandoffTranscriptKeepsOnlyTheLatestLines() throws {
        var (conversation, _) = started()
        for index in 0..<30 { _ = conversation.handle(.customerSaid("hello \(index)", at: Fixtures.noon)) }
        let outcome = conversation.handle(.customerSaid("talk to a human", at: Fixtures.noon))
        guard case .handoff(let summary)? = outcome.effects.last else {
            Issue.record("expected a handoff")
            return
        }
        #expect(summary.transcript.count == DialogueState.recentLimit)
        #expect(summary.transcript.last == Exchange(.bot, "A person will help you."))
        #expect(summary.firstMessage == "hello 0")
    }

    @Test func replayingTheSameEventsGivesTheSameRepliesAndState() {
        let events: [ConversationEvent] = [.started(at: Fixtures.noon)]
            + ["hi", "hello", "good morning", "hi", "track my order", "hi", "nonsense words"]
                .map { .customerSaid($0, at: Fixtures.noon) }
        func replay(seed: UInt64) -> ([String], DialogueState) {
            var conversation = Conversation(engine: Fixtures.engine, sessionID: "s", seed: seed)
            let replies = events.flatMap { conversation.handle($0).replies }
            return (replies, conversation.state)
        }
        let (first, firstState) = replay(seed: 42)
        let (second, secondState) = replay(seed: 42)
        #expect(first == second)
        #expect(firstState == secondState)
        // Different seeds choose different greeting variants somewhere in the run.
        let others = (0..<8).map { replay(seed: $0).0 }
        #expect(Set(others.map { $0.joined(separator: "|") }).count > 1)
    }
}
