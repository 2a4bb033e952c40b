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

/// What a pattern cannot match without, read from its source.
@Suite("Text a pattern needs")
struct RequiredTextTests {
    private func pieces(_ pattern: String, swiftRegex: Bool = false) -> [String]? {
        RequiredText(pattern: pattern, swiftRegex: swiftRegex).readable
    }

    @Test func alternativesAndTheMostTellingPartOfASequence() {
        // The longest of the shortest: " do you " (8) before the couriers (7) and "which"/"what" (4).
        #expect(pieces(#"\b(which|what) (courier|carrier|delivery company) do you (use|ship with)\b"#) == [" do you "])
        #expect(pieces(#"\b(delete|erase)\b.*\ball (of )?my (data|details)\b"#) == ["delete", "erase"])
        #expect(pieces(#"\b(cancel|stop) my (order|subscription)\b"#) == ["order", "subscription"])
        #expect(pieces(#"\bhello there\b|\bhiya\b"#) == ["hello there", "hiya"])
    }

    @Test func whatMayBeLeftOutIsNotNeeded() {
        // "colou?r": "colo" is needed, and "r"; the optional group and the starred class are not.
        #expect(pieces(#"colou?r( please)?[!. ]*$"#) == ["colo"])
        #expect(pieces(#"ab+cde"#) == ["cde"], "after a repeated letter the run starts again")
        #expect(pieces(#"(?:gift ?box(es)?|gift bags?)"#) == ["gift", "gift bag"].sorted())
        #expect(pieces(#"x{0,3}yes"#) == ["yes"])
    }

    @Test func lookaroundsArePassedOver() {
        #expect(pieces(#"^(?!.*\b(points|vouchers)\b).*\b(refund|money back)\b"#) == ["money back", "refund"])
        #expect(pieces(#"(?<![0-9])order(?=\s)"#) == ["order"])
        // What a positive lookahead or lookbehind asserts is in the text: needed.
        #expect(pieces(#"^(?!.*\bcode\b)(?=.*\b(fix|broke)\b)(?=.*\bunder (warranty|guarantee)\b).*"#) == ["guarantee", "warranty"])
        #expect(pieces(#"(?<=order )\d{5}"#) == ["order "])
        #expect(pieces(#"x(?=ab|cd)"#) == nil, "each alternative too short")
    }

    @Test func aPatternThatCanMatchWithoutTextOfItsOwnNeedsNothing() {
        #expect(pieces(#"[0-9]{5}"#) == nil, "a class is not read")
        #expect(pieces(#"(refund|)"#) == nil, "an empty alternative")
        #expect(pieces(#"(refund)?"#) == nil)
        #expect(pieces(#"\bno\b"#) == nil, "too short to be worth looking for")
        #expect(pieces(#"(?i)refund"#) == nil, "a letter, with case ignored, is no piece")
        #expect(RequiredText(pattern: #"[0-9]{5}"#).mayMatch(Array("anything".utf8)))
    }

    @Test func aDigitOrARareCharacterIsNeededToo() {
        // The bundled bot's order number, address and e-mail patterns.
        #expect(pieces(#"\b(?:[Hh][Pp](?:\s?[-–—]\s?|\s)?|[Oo]rder\s+(?:[Nn](?:o|umber)\.?\s*)?#?\s?)(\d{5})\b"#) == [#"\d"#])
        #expect(pieces(#"(?i)\b\d{1,4}[a-z]?,?\s+(?:street|st|road)\b|\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b"#) == [#"\d"#])
        #expect(pieces(#"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"#) == ["@"])
        #expect(pieces(#"(?i)order #\d"#) == [" #"], "the case of a space or # does not matter")
        #expect(pieces(#"\.x"#) == nil, "a common mark and a letter say too little")
        let digits = RequiredText(pattern: #"\b\d{5}\b"#)
        #expect(!digits.mayMatch(Array("where is my order".utf8)))
        #expect(digits.mayMatch(Array("order 10443".utf8)))
        #expect(digits.mayMatch(Array("order ١٠٤٤٣".utf8)), "a digit of another script, outside ASCII")
    }

    @Test func forSwiftRegexOnlyASCIIIsComparedAsBytes() throws {
        // Swift's Regex matches "é" to "e" and a combining accent: other bytes.
        #expect("cafe\u{301}".contains(try Regex("café")), "as Swift's Regex does")
        #expect(pieces("café", swiftRegex: true) == ["caf"])
        #expect(pieces("café") == ["café"], "ICU compares scalars")
        // Compared ignoring ASCII case, so the case flags are read as groups.
        #expect(pieces(#"(?i)\bmy name is (\p{L}+)"#, swiftRegex: true) == ["my name is "])
        #expect(pieces(#"(?-i:\bI am from (\p{Lu}\p{L}+))"#, swiftRegex: true) == ["i am from "])
        #expect(pieces(#"(?-i:\bI am from (\p{Lu}\p{L}+))"#) == nil, "not for ICU")
        let name = RequiredText(pattern: #"\bMy Name is"#, swiftRegex: true)
        #expect(name.mayMatch(Array("hi, MY NAME IS Sam".utf8)))
        #expect(!name.mayMatch(Array("what is my order".utf8)))
        let cafe = RequiredText(pattern: "café", swiftRegex: true)
        #expect(!cafe.mayMatch(Array("coffee".utf8)))
        #expect(cafe.mayMatch(Array("cafe\u{301}".utf8)), "text outside ASCII may always match")
    }

    @Test func whatItDoesNotReadMakesItGiveUp() {
        for pattern in [#"(?x)refund"#, #"(?<name>refund)"#, #"\x41pple"#, #"(a)\1pple"#, #"[]x]refund"#, #"refund)"#, #"(refund"#, #"\Qa.b\E"#] {
            #expect(pieces(pattern) == nil, "\(pattern)")
        }
    }

    @Test func aTextWithoutAnyPieceIsOneThePatternCannotMatch() {
        let needs = RequiredText(pattern: #"\b(cancel|stop) my (order|subscription)\b"#)
        #expect(!needs.mayMatch(Array("where is my parcel".utf8)))
        #expect(needs.mayMatch(Array("please cancel my order".utf8)))
    }
}
