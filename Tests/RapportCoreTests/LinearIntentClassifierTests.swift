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

    @Test func aMessageWithNothingKnownIsUnsure() {
        let ranking = classifier.rank("zxqv wpfk")
        #expect((ranking.first?.confidence ?? 1) < 0.5)
        #expect(classifier.rank("").count == 3)
    }

    @Test func trainingIsDeterministicToTheBit() {
        let again = LinearIntentClassifier(intents: Self.intents)
        for message in ["where is my order", "hi", "delivery?", "something else entirely", "trak it"] {
            #expect(classifier.rank(message) == again.rank(message))
        }
    }

    @Test func noIntentsRanksNothing() {
        #expect(LinearIntentClassifier(intents: []).rank("hello").isEmpty)
    }
}
