import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

@Suite("Patterns that always win")
struct PatternTests {
    static func pattern(_ text: String) -> IntentPattern {
        guard let pattern = try? IntentPattern(parsing: text) else { fatalError("bad fixture pattern: \(text)") }
        return pattern
    }

    static let bot = Bot(
        name: "Pip", welcome: [template("Hi")], fallback: [template("Sorry?")], farewell: [template("Bye")],
        intents: [
            Intent(name: "greet", examples: ["hello", "good morning"], responses: [template("Hello!")],
                   patterns: [pattern(#"/^(hi|hello|hey)[\s!.]*$/"#), pattern("good morning*")]),
            Intent(name: "human_agent", examples: ["talk to a person"], responses: [template("A person will help.")],
                   patterns: [pattern("*real person*")]),
            Intent(name: "order_status", examples: ["where is my order", "real person order status tracking"], responses: [template("On its way.")]),
        ],
        lexicon: bundledLexicon
    )
    let engine = Engine(bot: Self.bot)

    @Test("patterns decide before the ranker", arguments: [
        ("HELLO!", "greet"),
        ("Good morning, Pip!", "greet"),
        ("can I talk to a real person please", "human_agent"),
        ("real person order status tracking", "human_agent"),
    ])
    func wins(message: String, intent: String) throws {
        let understanding = engine.understand(message, at: Date(timeIntervalSince1970: 0))
        #expect(understanding.matched == IntentCandidate(intent: intent, confidence: 1))
        #expect(understanding.byPattern)
        #expect(understanding.ranking.first?.intent == intent)
        #expect(understanding.ranking.count == 3, "the ranking still lists every intent for the debug view")
    }

    @Test("and only when they match the whole phrasing", arguments: [
        "hello, where is my order", "have a good morning", "where is my order",
    ])
    func doesNotWin(message: String) {
        #expect(!engine.understand(message, at: Date(timeIntervalSince1970: 0)).byPattern)
    }

    @Test("bad patterns are refused with the reason", arguments: [
        ("/(unclosed/", "is not a valid regular expression"),
        ("* * *", "has no words to match"),
    ])
    func refused(text: String, reason: String) {
        #expect {
            _ = try IntentPattern(parsing: text)
        } throws: { error in
            (error as? PatternError)?.message.contains(reason) == true
        }
    }
}

@Suite("An intent ruled out by a value the message gives")
struct NotWithTests {
    static func bot(notWith: Set<String>) -> Bot {
        var finding = Intent(name: "find_order_number", examples: ["where do I find the order number", "what is the order number"],
                             responses: [template("It's on your confirmation email.")])
        finding.notWith = notWith
        var bot = Bot(
            name: "Pip", welcome: [template("Hi")], fallback: [template("Sorry?")], farewell: [template("Bye")],
            intents: [finding, Intent(name: "greet", examples: ["hello"], responses: [template("Hello!")])],
            lexicon: bundledLexicon
        )
        bot.entities = [EntityType(name: "order_number", recognizer: .pattern(source: #"HP-\d{5}"#, template: nil, normalization: .none))]
        return bot
    }

    @Test func aNumberGivenIsNoQuestionWhereToFindIt() {
        let message = "the order number is HP-10610 I think"
        let asked = Engine(bot: Self.bot(notWith: [])).understand(message, at: Date(timeIntervalSince1970: 0))
        #expect(asked.ranking.first?.intent == "find_order_number", "without not_with, the words read as the question")
        let given = Engine(bot: Self.bot(notWith: ["order_number"])).understand(message, at: Date(timeIntervalSince1970: 0))
        #expect(given.matched == nil)
        #expect(!given.ranking.contains { $0.intent == "find_order_number" })
        #expect(given.entities.map(\.value) == ["HP-10610"])
        let question = Engine(bot: Self.bot(notWith: ["order_number"])).understand("what is the order number", at: Date(timeIntervalSince1970: 0))
        #expect(question.matched?.intent == "find_order_number", "a message with no number still asks it")
    }
}
