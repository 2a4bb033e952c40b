import Foundation
import Testing
@testable import RapportCore

/// Counts that can come from outside (a transcript, a stored profile or
/// state) never trap when they grow: found by fuzzing transcripts.
@Suite("Counters from outside")
struct CountingTests {
    @Test func countsSaturate() {
        #expect(Int.max.incremented() == .max)
        #expect(41.incremented() == 42)
        #expect(Int.max.adding(saturating: 1) == .max)
        #expect(Int.min.adding(saturating: -1) == .min)
        #expect(5.adding(saturating: -7) == -2)
        #expect(0.subtracting(saturating: .min) == .max)
        #expect(Int.min.subtracting(saturating: 1) == .min)
        #expect(5.subtracting(saturating: 7) == -2)
    }

    @Test func aVisitToACustomerSeenCountlessTimesIsStillRecorded() {
        var profile = CustomerProfile(id: "c-1")
        profile.visits = .max
        profile.apply(.visit(at: Fixtures.noon))
        #expect(profile.visits == .max)
        #expect(profile.lastSeen == Fixtures.noon)
    }

    @Test func aConversationPickedUpAtTheLargestTurnCountGoesOn() {
        var conversation = Conversation(engine: Fixtures.engine, sessionID: "s1", seed: 1, turnsSoFar: .max)
        _ = conversation.handle(.started(at: Fixtures.noon))
        let outcome = conversation.handle(.customerSaid("where's my order?", at: Fixtures.noon))
        #expect(outcome.replies == ["Track it at Harbour & Pine's site."])
        #expect(conversation.state.turns == .max)
    }

    /// A saved state with a question asked "at" the most negative turn: found in review.
    @Test func aStoredQuestionAtAnImpossibleTurnDoesNotTrap() {
        let policy = ProfilingPolicy(catalogue: Fixtures.engine.bot.profile)
        let moment = ProfilingPolicy.Moment(messages: 3, lastQuestionAt: .min, questionsAsked: 1, requestDealtWith: true)
        _ = policy.nextQuestion(for: CustomerProfile(id: "c-1"), at: moment)
    }
}
