import Foundation
import Testing
@testable import RapportIntents
import RapportCore

@Suite("Loading entities")
struct EntityLoaderTests {
    func entities(_ text: String) throws -> [EntityType] {
        try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("entities.yaml", text)]).entities
    }

    func entityProblems(_ text: String) -> [String] {
        problems([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("entities.yaml", text)])
    }

    @Test func everyKindIsRead() throws {
        let types = try entities("""
            entities:
              - name: order_number
                pattern: '\\bHP-?(\\d{5})\\b'
                value: 'HP-$1'
                example: HP-12345
              - name: email
                pattern: '\\S+@\\S+'
                normalize: lower
              - name: when
                builtin: date
                day_first: false
              - name: cost
                builtin: amount
              - name: product
                values:
                  - rain jacket: [raincoat, waterproof]
                  - mug
                  - candle:
            """)
        #expect(types.map(\.name) == ["order_number", "email", "when", "cost", "product"])
        #expect(types[0].recognizer == .pattern(source: #"\bHP-?(\d{5})\b"#, template: "HP-$1", normalization: .none))
        #expect(types[0].example == "HP-12345")
        #expect(types[0].location == SourceLocation(file: "intents/entities.yaml", line: 2, column: 11))
        #expect(types[1].recognizer == .pattern(source: #"\S+@\S+"#, template: nil, normalization: .lower))
        #expect(types[2].recognizer == .date(dayFirst: false))
        #expect(types[3].recognizer == .amount)
        #expect(types[4].recognizer == .list([
            EntityValue("rain jacket", synonyms: ["raincoat", "waterproof"]), EntityValue("mug"), EntityValue("candle"),
        ]))
    }

    @Test func theFileIsNotATopic() throws {
        let bot = try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("entities.yaml", "entities:\n  - name: mug\n    values: [mug]\n")])
        #expect(bot.intents.map(\.name) == ["greet"])
        // Without a topic file the bot still has nothing to say.
        let found = problems([("bot.yaml", validSettings), ("entities.yaml", "entities:\n  - name: mug\n    values: [mug]\n")])
        #expect(found == ["intents: error: has no topic files; add at least one .yaml file with intents"])
    }

    @Test func aBadRegularExpressionIsLocated() {
        let found = entityProblems("entities:\n  - name: order\n    pattern: '(HP'\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("intents/entities.yaml:3:14: error: the pattern of entity 'order' is not a valid regular expression") == true)
    }

    @Test func aValueUsingAGroupThePatternLacksIsRefused() {
        #expect(entityProblems("entities:\n  - name: order\n    pattern: 'HP-(\\d+)'\n    value: 'HP-$2'\n") == [
            "intents/entities.yaml:4:12: error: the value of entity 'order' uses $2, but its pattern has 1 group in brackets",
        ])
    }

    @Test func focusIsTrueFalseOrTheWholeConversation() throws {
        let types = try entities("entities:\n  - name: card\n    pattern: 'PC-\\d{6}'\n    focus: conversation\n  - name: shop\n    values: [York]\n    focus: true\n")
        #expect(types.map(\.focus) == [true, true])
        #expect(types.map(\.focusLastsTheConversation) == [true, false], "only 'conversation' keeps a value in focus for good")
        #expect(entityProblems("entities:\n  - name: card\n    pattern: 'PC-\\d{6}'\n    focus: always\n") == [
            "intents/entities.yaml:4:12: error: 'focus' in entity 'card' must be true, false or conversation",
        ])
    }

    @Test func pluralsAreOnlyForAListOfValues() {
        #expect(entityProblems("entities:\n  - name: order\n    pattern: 'HP-(\\d+)'\n    plurals: true\n") == [
            "intents/entities.yaml:4:14: error: 'plurals' in entity 'order' is for a list of values ('values:'), whose plurals it reads; remove it here",
        ])
    }

    @Test func anEntityNeedsExactlyOneWayToBeFound() {
        #expect(entityProblems("entities:\n  - name: order\n    example: HP-1\n") == [
            "intents/entities.yaml:2:11: error: entity 'order' says neither how to find it: give it a 'pattern:' (a regular expression), 'values:' (a list), or 'builtin: date' / 'builtin: amount'",
        ])
        #expect(entityProblems("entities:\n  - name: order\n    pattern: x\n    builtin: date\n") == [
            "intents/entities.yaml:2:11: error: entity 'order' has 'pattern' and 'builtin'; give it only one way to be found",
        ])
    }

    @Test func keysThatBelongToAnotherKindAreRefused() {
        #expect(entityProblems("entities:\n  - name: when\n    builtin: date\n    normalize: upper\n") == [
            "intents/entities.yaml:4:5: error: 'normalize' in entity 'when' only goes with 'pattern:'",
        ])
        #expect(entityProblems("entities:\n  - name: cost\n    builtin: amount\n    day_first: true\n") == [
            "intents/entities.yaml:4:5: error: 'day_first' in entity 'cost' only goes with 'builtin: date'",
        ])
    }

    @Test func unknownBuiltinsAndNormalisationsSayWhatExists() {
        #expect(entityProblems("entities:\n  - name: when\n    builtin: dates\n") == [
            "intents/entities.yaml:3:14: error: unknown builtin 'dates' in entity 'when'; did you mean 'date'?",
        ])
        #expect(entityProblems("entities:\n  - name: code\n    pattern: x\n    normalize: capitals\n") == [
            "intents/entities.yaml:4:16: error: 'normalize' must be one of none, upper, lower, digits",
        ])
    }

    @Test func aFormMayMeanOnlyOneValue() {
        let found = entityProblems("entities:\n  - name: product\n    values:\n      - rain jacket: [waterproof]\n      - boots: [Waterproof]\n")
        #expect(found == [
            "intents/entities.yaml:5:17: error: 'Waterproof' in entity 'product' already stands for 'rain jacket' (line 4); a form can mean only one value",
        ])
    }

    @Test func duplicateAndInvalidNamesAreRefused() {
        #expect(entityProblems("entities:\n  - name: mug\n    values: [mug]\n  - name: mug\n    values: [cup]\n") == [
            "intents/entities.yaml:4:11: error: entity 'mug' is already declared at line 2; rename one of them",
        ])
        #expect(entityProblems("entities:\n  - name: Order Number\n    pattern: x\n") == [
            "intents/entities.yaml:2:11: error: 'Order Number' is not a valid entity name; use lower-case letters, digits and '_', like order_number",
        ])
    }

    @Test func anErrorInTheEntitiesFileLoadsNothing() {
        let found = entityProblems("entities:\n  - name: when\n    builtin: tomorrow\n")
        #expect(found.count == 1)
    }

    @Test func theBundledEntitiesFindWhatCustomersType() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents").path
        let bot = try BotLoader.load(directory: folder)
        let extractor = EntityExtractor(types: bot.entities)
        let now = Date(timeIntervalSince1970: 1_795_428_000) // Monday 23 November 2026
        let found = extractor.extract(
            from: "My raincoat from order hp 10442 was meant to come friday, I paid £84.50 - call me on 07700 900123 or jo@example.com",
            at: now)
        #expect(found.map(\.entity) == ["product", "order_number", "date", "amount", "phone", "email"])
        #expect(found.map(\.value) == ["rain jacket", "HP-10442", "2026-11-27", "84.50 GBP", "07700900123", "jo@example.com"])
        #expect(extractor.extract(from: "do you ship to northern ireland?", at: now).map(\.value) == ["United Kingdom"])
    }

    @Test func theBundledOrderNumbersReadLookalikesAndBareAnswers() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents").path
        let extractor = EntityExtractor(types: try BotLoader.load(directory: folder).entities)
        let now = Date(timeIntervalSince1970: 1_795_428_000)
        for message in ["HP-1O442", "#hp 10442", "hpl0442", "HP – 10442"] {
            #expect(extractor.extract(from: message, at: now).map(\.value) == ["HP-10442"], "\(message)")
        }
        #expect(extractor.extract(from: "10442", at: now).isEmpty)
        #expect(extractor.extract(from: "10442", at: now, asking: "order_number").map(\.value) == ["HP-10442"])
    }

    @Test func lookalikesAndAnswersAreRead() throws {
        let types = try entities("""
            entities:
              - name: order_number
                pattern: '\\bA-?(\\d{4})\\b'
                value: 'A-$1'
                digit_lookalikes: {O: 0, l: 1}
                when_asked:
                  pattern: '\\b(\\d{4})\\b'
                  value: 'A-$1'
            """)
        #expect(types[0].digitLookalikes == ["O": "0", "l": "1"])
        #expect(types[0].whenAsked == EntityType.AskedPattern(source: #"\b(\d{4})\b"#, template: "A-$1"))
    }

    @Test("a broken lookalike or answer pattern is located", arguments: [
        ("    digit_lookalikes: {OO: 0}\n", "intents/entities.yaml:4:24: error: 'OO' in 'digit_lookalikes' of entity 'order' is not one letter"),
        ("    digit_lookalikes: {O: 10}\n", "intents/entities.yaml:4:27: error: '10' in 'digit_lookalikes' of entity 'order' is not one digit from 0 to 9"),
        ("    when_asked: {value: 'A-$1'}\n", "intents/entities.yaml:4:17: error: 'when_asked' in entity 'order' has no 'pattern:'"),
        ("    when_asked: {pattern: '(\\d'}\n", "intents/entities.yaml:4:27: error: the pattern of 'when_asked' in entity 'order' is not a valid regular expression"),
        ("    when_asked: {pattern: '\\d+', value: 'A-$1'}\n", "intents/entities.yaml:4:41: error: the value of 'when_asked' in entity 'order' uses $1, but its pattern has"),
    ])
    func brokenOptions(line: String, problem: String) {
        let found = entityProblems("entities:\n  - name: order\n    pattern: 'A-\\d+'\n" + line)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(problem) == true, "\(found)")
    }

    @Test func lookalikesOnlyGoWithAPattern() {
        #expect(entityProblems("entities:\n  - name: mug\n    values: [mug]\n    digit_lookalikes: {O: 0}\n") == [
            "intents/entities.yaml:4:5: error: 'digit_lookalikes' in entity 'mug' only goes with 'pattern:'",
        ])
    }
}
