import Testing
@testable import RapportCore

@Suite("Intent matching and the decision policy")
struct MatchingTests {
    let matcher = SimilarityMatcher(intents: Fixtures.bot.intents)

    @Test func aTrainingExampleMatchesItsIntentFully() throws {
        let ranking = matcher.rank("Where is my order?")
        let best = try #require(ranking.first)
        #expect(best.intent == "order_status")
        #expect(best.confidence > 0.99)
    }

    @Test func ranksEveryIntentBestFirst() {
        let ranking = matcher.rank("how much does delivery cost")
        #expect(ranking.count == Fixtures.bot.intents.count)
        #expect(ranking.first?.intent == "delivery_costs")
        #expect(zip(ranking, ranking.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
    }

    @Test("tolerates typos and shouting", arguments: [
        ("WHERE IS MY ORDR", "order_status"),
        ("how much is delivry", "delivery_costs"),
        ("helo", "greet"),
    ])
    func typos(message: String, intent: String) {
        #expect(matcher.rank(message).first?.intent == intent)
    }

    @Test func unrelatedTextHasLowConfidence() {
        let best = matcher.rank("the quantum flux capacitor exploded").first
        #expect((best?.confidence ?? 0) < 0.2)
    }

    @Test func rankingIsDeterministic() {
        let again = SimilarityMatcher(intents: Fixtures.bot.intents)
        for message in ["hi", "track parcel", "zzz", "delivery"] {
            #expect(matcher.rank(message) == again.rank(message))
        }
    }

    @Test("the policy trusts only confident matches", arguments: [
        (0.41, true), (0.40, true), (0.39, false), (0.0, false),
    ])
    func policy(confidence: Double, matched: Bool) {
        let policy = DecisionPolicy(settings: MatchingSettings(confidenceThreshold: 0.4))
        let decision = policy.decide([IntentCandidate(intent: "greet", confidence: confidence)])
        #expect((decision == .matched(IntentCandidate(intent: "greet", confidence: confidence))) == matched)
    }

    @Test func noFeatureInCommonNeverMatchesEvenAtThresholdZero() {
        let policy = DecisionPolicy(settings: MatchingSettings(confidenceThreshold: 0))
        #expect(policy.decide([IntentCandidate(intent: "greet", confidence: 0)]) == .fallback(best: IntentCandidate(intent: "greet", confidence: 0)))
    }

    @Test func anEmptyRankingFallsBack() {
        let policy = DecisionPolicy(settings: .default)
        #expect(policy.decide([]) == .fallback(best: nil))
    }
}

@Suite("Seeded randomness")
struct SplitMix64Tests {
    @Test func matchesTheReferenceSequence() {
        // Published SplitMix64 outputs for seed 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }
}

@Suite("The three-way decision: answer, ask which of two, out of scope")
struct ThreeWayPolicyTests {
    let policy = DecisionPolicy(settings: MatchingSettings(confidenceThreshold: 0.3, clarifyMargin: 0.15))

    func ranking(_ top: Double, _ second: Double) -> [IntentCandidate] {
        [IntentCandidate(intent: "delivery_costs", confidence: top), IntentCandidate(intent: "delivery_times", confidence: second),
         IntentCandidate(intent: "greet", confidence: 0.01)]
    }

    @Test func aClearWinnerIsAnswered() {
        #expect(policy.decide(ranking(0.8, 0.1)) == .matched(IntentCandidate(intent: "delivery_costs", confidence: 0.8)))
    }

    @Test func aNearTieAsksWhichOfTheTwo() {
        #expect(policy.decide(ranking(0.45, 0.35)) == .ambiguous(
            IntentCandidate(intent: "delivery_costs", confidence: 0.45), IntentCandidate(intent: "delivery_times", confidence: 0.35)))
    }

    @Test func nothingFitsIsOutOfScopeEvenWhenTheTopTwoAreClose() {
        #expect(policy.decide(ranking(0.2, 0.19)) == .fallback(best: IntentCandidate(intent: "delivery_costs", confidence: 0.2)))
    }

    @Test func aMarginOfZeroNeverAsks() {
        let never = DecisionPolicy(settings: MatchingSettings(confidenceThreshold: 0.3, clarifyMargin: 0))
        #expect(never.decide(ranking(0.45, 0.45)) == .matched(IntentCandidate(intent: "delivery_costs", confidence: 0.45)))
    }

    @Test func aSingleCandidateIsNeverAmbiguous() {
        #expect(policy.decide([IntentCandidate(intent: "greet", confidence: 0.5)]) == .matched(IntentCandidate(intent: "greet", confidence: 0.5)))
    }
}

@Suite("The trained classifier's confidences")
struct LinearConfidenceTests {
    let classifier = LinearIntentClassifier(intents: Fixtures.bot.intents)

    @Test func aMessageMadeOfUnknownWordsGetsALowConfidence() {
        let known = classifier.rank("where is my order").first?.confidence ?? 0
        let unknown = classifier.rank("quantum flux capacitor exploded").first?.confidence ?? 1
        #expect(known > 0.9)
        #expect(unknown < 0.2)
    }

    @Test func unknownWordsAroundAKnownRequestLowerTheConfidenceButNotTheAnswer() throws {
        let plain = try #require(classifier.rank("where is my order").first)
        let padded = try #require(classifier.rank("where is my order, asked the flabbergasted octopus").first)
        #expect(padded.intent == plain.intent)
        #expect(padded.confidence < plain.confidence)
    }
}

@Suite("A table's cell naming a thing")
struct CellMentionTests {
    private func mentions(_ cell: String, value: String, typed: String) -> Bool {
        Engine.cell(cell, mentions: EntityMatch(entity: "product", text: typed, value: value, start: 0, end: typed.unicodeScalars.count))
    }

    @Test("by its value or as typed, whole words in a row, alone or plural")
    func wholeWordsInARow() {
        #expect(mentions("a wool jumper and a mug", value: "mug", typed: "mug"))
        #expect(mentions("2 mugs, 1 candle", value: "mug", typed: "the mug"))
        #expect(mentions("Rain Jacket (size M)", value: "rain jacket", typed: "raincoat"))
        #expect(mentions("walking boots", value: "boot", typed: "boot"), "plural")
        #expect(!mentions("a jacket for rain", value: "rain jacket", typed: "rain jacket"), "not in a row")
        #expect(!mentions("a jumpers' sale", value: "jump", typed: "jump"), "not part of a word")
        #expect(!mentions("a mug", value: "", typed: ""))
    }
}
