import Testing
import RapportTestSupport
@testable import RapportCore

@Suite("The linear intent classifier")
struct LinearIntentClassifierTests {
    static let intents = [
        Intent(name: "order_status", examples: ["where is my order", "track my parcel", "has my order shipped", "when will my package arrive"], responses: []),
        Intent(name: "delivery_costs", examples: ["how much is delivery", "is shipping free", "delivery charges", "what does postage cost"], responses: []),
        Intent(name: "greet", examples: ["hi", "hello", "good morning", "hey there"], responses: []),
    ]
    let classifier = LinearIntentClassifier(intents: Self.intents)

    @Test("answers unseen phrasings", arguments: [
        ("where's my parcel?", "order_status"),
        ("how much does shipping cost", "delivery_costs"),
        ("HELLO!!", "greet"),
        ("trak my ordr", "order_status"),
    ])
    func answers(message: String, intent: String) {
        #expect(classifier.rank(message).first?.intent == intent)
    }

    @Test func confidencesAreAProbabilityOverEveryIntent() {
        let ranking = classifier.rank("where is my order")
        #expect(ranking.count == 3)
        #expect(abs(ranking.map(\.confidence).reduce(0, +) - 1) < 1e-6)
        #expect(zip(ranking, ranking.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
        #expect(ranking[0].confidence > 0.5)
    }

    @Test func anIntentWithoutExamplesIsNoClassAndChangesNothing() {
        let patternsOnly = Intent(name: "account_security", examples: [], responses: [], patterns: [try! IntentPattern(parsing: "*hacked*")])
        let with = LinearIntentClassifier(intents: Self.intents + [patternsOnly])
        for message in ["where is my order", "my account was hacked", "hello"] {
            #expect(with.rank(message) == classifier.rank(message), "\(message)")
        }
        #expect(!with.rank("my account was hacked").contains { $0.intent == "account_security" })
    }

    @Test func aMessageWithNothingKnownIsUnsure() {
        let ranking = classifier.rank("zxqv wpfk")
        #expect((ranking.first?.confidence ?? 1) < 0.5)
        #expect(classifier.rank("").count == 3)
    }

    /// Words-alone training is pinned to the bit, as the features are
    /// (ClassifierArchiveTests): a saved model is used only by the code that
    /// trains it the same way. If this fails, training changed: raise
    /// `LinearIntentClassifier.trainingVersion` and pin the new digest under it.
    @Test func wordsAloneTrainingIsPinnedToTheTrainingVersion() {
        var digest = ArchiveDigest()
        for weight in classifier.weights { digest.add(weight.bitPattern) }
        for bias in classifier.bias { digest.add(bias.bitPattern) }
        // Append a line for a new version; never edit one.
        let pinned: [UInt32: String] = [
            // The intents of the hybrid trained eight together; words alone as in version 1.
            2: "5b308a87986552ee03164a46df3784b3",
        ]
        #expect(pinned[LinearIntentClassifier.trainingVersion] == digest.key.description,
                "training changed: raise LinearIntentClassifier.trainingVersion and pin \(digest.key) under it")
    }

    @Test func trainingIsDeterministicToTheBit() {
        let again = LinearIntentClassifier(intents: Self.intents)
        for message in ["where is my order", "hi", "delivery?", "something else entirely", "trak it"] {
            #expect(classifier.rank(message) == again.rank(message))
        }
    }

    @Test func rankingAmongSomeIntentsSharesTheConfidenceAmongThemAlone() {
        let full = classifier.rank("where is my order")
        let among = classifier.rank("where is my order", among: { $0 != "order_status" })
        #expect(among.map(\.intent).sorted() == ["delivery_costs", "greet"])
        // The same total (the model's sureness of the message), shared by the two left.
        #expect(abs(among.map(\.confidence).reduce(0, +) - full.map(\.confidence).reduce(0, +)) < 1e-6)
        #expect(among[0].confidence > full.first { $0.intent == among[0].intent }!.confidence)
        #expect(classifier.rank("where is my order", among: { _ in false }).isEmpty)
    }

    @Test func noIntentsRanksNothing() {
        #expect(LinearIntentClassifier(intents: []).rank("hello").isEmpty)
    }

    @Test func intentsWithoutExamplesAreNoClasses() {
        // (Read by their patterns alone: the classifier never offers them.)
        let empty = LinearIntentClassifier(intents: [Intent(name: "a", examples: [], responses: []), Intent(name: "b", examples: [], responses: [])])
        #expect(empty.featureCount == 0)
        #expect(empty.rank("hello").isEmpty)
    }

    /// Which two words come together, however far apart, is what tells these
    /// intents apart: each word is in both intents equally often, so only a
    /// feature for the pair can separate them.
    static let apartIntents = [
        Intent(name: "card_arrived", examples: [
            "the card I ordered last week has finally arrived",
            "my card from the post office has arrived",
            "the phone you sent me last month is lost",
            "my phone from the shop on the corner is lost",
        ], responses: []),
        Intent(name: "card_lost", examples: [
            "the card I ordered last week is lost",
            "my card from the post office is lost",
            "the phone you sent me last month has finally arrived",
            "my phone from the shop on the corner has arrived",
        ], responses: []),
    ]

    @Test func wordsFarApartCountTogether() {
        let classifier = LinearIntentClassifier(intents: Self.apartIntents)
        // Both messages hold the same words bar the last: only the pair of
        // "card" with the far word tells them apart.
        #expect(classifier.rank("the card that you sent me a while ago has arrived").first?.intent == "card_arrived")
        #expect(classifier.rank("the card that you sent me a while ago is lost").first?.intent == "card_lost")
    }

    @Test func withoutCombinationsTheFarPairIsLost() {
        var settings = LinearIntentClassifier.Settings()
        settings.wordCombinations = false
        let classifier = LinearIntentClassifier(intents: Self.apartIntents, settings: settings)
        // "lost" and "arrived" each come with both "card" and "phone" equally
        // often, so without the pair one of these two is answered wrongly.
        let answers = ["the card that you sent me a while ago has arrived", "the card that you sent me a while ago is lost"]
            .map { classifier.rank($0).first?.intent }
        #expect(answers != ["card_arrived", "card_lost"])
    }

    @Test("combinations are taken among the first distinct words only", arguments: [2, 4, 6])
    func combinationsAreCapped(cap: Int) {
        let message = "one two three four five six seven eight one two"
        func featureCount(combinations: Bool, cap: Int = 32) -> Int {
            var settings = LinearIntentClassifier.Settings()
            settings.wordCombinations = combinations
            settings.combinationWords = cap
            return LinearIntentClassifier.rawFeatures(message, settings: settings).count
        }
        let without = featureCount(combinations: false)
        // Every two of the first `cap` distinct words, once each.
        #expect(featureCount(combinations: true, cap: cap) - without == cap * (cap - 1) / 2)
        // Eight distinct words in all: a cap above that changes nothing.
        #expect(featureCount(combinations: true) - without == 8 * 7 / 2)
    }
}

@Suite("Feature columns")
struct FeatureColumnsTests {
    @Test func findsEveryFeatureItWasGivenAndNothingElse() {
        // A thousand keys in 2,048 slots collide, so some lookups must probe.
        let features: [UInt64] = (0..<1_000).map { UInt64($0) << 1 } + [UInt64.max, UInt64.max - 2]
        let columns = FeatureColumns(features)
        #expect(columns.count == features.count)
        for (column, feature) in features.enumerated() {
            #expect(columns[feature] == Int32(column))
        }
        for missing in [UInt64(1), 3, 1_999, 5_000_001, UInt64.max - 3] {
            #expect(columns[missing] == nil)
        }
    }

    @Test func anEmptyTableFindsNothing() {
        #expect(FeatureColumns([])[42] == nil)
    }
}
