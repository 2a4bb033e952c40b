import Foundation
import Testing
import RapportCore
@testable import RapportEvaluation

@Suite("Reading labelled CSV")
struct LabelledCSVTests {
    @Test func readsQuotedFieldsCommasQuotesAndNewlines() throws {
        let csv = "text,category\r\nhello,greet\n\"where, exactly, is it?\",order_status\n\"she said \"\"hi\"\"\",greet\n\"two\nlines\",other\nlast,greet"
        let rows = try LabelledCSV.parse(csv, file: "t.csv")
        #expect(rows == [
            LabelledText(text: "hello", label: "greet"),
            LabelledText(text: "where, exactly, is it?", label: "order_status"),
            LabelledText(text: "she said \"hi\"", label: "greet"),
            LabelledText(text: "two\nlines", label: "other"),
            LabelledText(text: "last", label: "greet"),
        ])
    }

    @Test("problems name the file and line", arguments: [
        ("", "t.csv: error: the file is empty; it needs a header 'text,category'"),
        ("sentence,intent\nhi,greet", "t.csv:1: error: the header must name the columns 'text' and 'category'"),
        ("text,category\nhi,greet\nhello\n", "t.csv:3: error: this row has 1 field; the header has 2 columns"),
        ("text,category\nhi,\n", "t.csv:2: error: this row has no category"),
        ("text,category\n\"open,greet\n", "t.csv:2: error: a quoted field is never closed"),
    ])
    func problems(csv: String, message: String) {
        #expect(throws: DataFileProblem.self) { try LabelledCSV.parse(csv, file: "t.csv") }
        do { _ = try LabelledCSV.parse(csv, file: "t.csv") } catch { #expect(error.description == message) }
    }
}

@Suite("Matcher scores")
struct MatcherScoresTests {
    // Four in-scope texts and two out-of-scope ones, with known confidences.
    let predictions = [
        Prediction(truth: "a", top: "a", confidence: 0.9),
        Prediction(truth: "a", top: "b", confidence: 0.8),
        Prediction(truth: "b", top: "b", confidence: 0.7),
        Prediction(truth: "b", top: "b", confidence: 0.3),
        Prediction(truth: "oos", top: "a", confidence: 0.2),
        Prediction(truth: "oos", top: "b", confidence: 0.6),
    ]

    @Test func figuresWithAThreshold() {
        let scores = MatcherScores(predictions: predictions, threshold: 0.5, oosLabel: "oos")
        // Answered: a, b, b, oos, oos, b  → correct: 1st, 3rd, 5th.
        #expect(scores.accuracy == 3.0 / 6)
        #expect(scores.inScopeAccuracy == 2.0 / 4, "the rejected in-scope text counts as wrong")
        #expect(scores.oosRecall == 0.5)
        #expect(scores.oosPrecision == 0.5)
        #expect(scores.confusions.first == MatcherScores.Confusion(truth: "a", predicted: "b", count: 1))
        // F1: a = 2/3 (p 1, r 1/2), b = 1/2 (p 1/3... ) computed by hand below.
        let f1a = 2 * 1.0 * 0.5 / 1.5, f1b = 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5), f1oos = 2 * 0.5 * 0.5 / 1.0
        #expect(abs(scores.macroF1 - (f1a + f1b + f1oos) / 3) < 1e-12)
    }

    @Test func theChosenThresholdMaximisesAccuracyWithOutOfScopeAsAClass() {
        // At 0.3: a, b, b, b, oos, b → 4 correct; at 0.7: a, b, b, oos, oos, oos → 4 too;
        // nothing gets 5. Of two tied thresholds the higher is chosen.
        #expect(MatcherScores.bestThreshold(validation: predictions, oosLabel: "oos") == 0.7)
        // 0.4, 0.6 and 0.8 each get four of six right: the middle one is chosen.
        let alternating = [0.2, 0.4, 0.5, 0.6, 0.7, 0.8].enumerated().map { index, confidence in
            index.isMultiple(of: 2) ? Prediction(truth: "oos", top: "a", confidence: confidence) : Prediction(truth: "a", top: "a", confidence: confidence)
        }
        #expect(MatcherScores.bestThreshold(validation: alternating, oosLabel: "oos") == 0.6)
        // A confidence of exactly 0 is the same candidate as "reject nothing", not a second one.
        let zero = [Prediction(truth: "oos", top: "a", confidence: 0), Prediction(truth: "a", top: "a", confidence: 0.5)]
        #expect(MatcherScores.bestThreshold(validation: zero, oosLabel: "oos") == 0.5)
        let clearer = predictions.filter { $0.confidence != 0.3 }
        #expect(MatcherScores.bestThreshold(validation: clearer, oosLabel: "oos") == 0.7, "4 of 5 at 0.7, 3 of 5 below")
        let none = predictions.filter { $0.truth != "oos" }
        #expect(MatcherScores.bestThreshold(validation: none, oosLabel: "oos") == 0, "without out-of-scope rows nothing is rejected")
    }

    @Test func withoutOutOfScopeRowsRecallIsUndefined() {
        let scores = MatcherScores(predictions: Array(predictions.prefix(4)), threshold: 0, oosLabel: "oos")
        #expect(scores.oosRecall == nil)
        #expect(scores.oosPrecision == nil)
        #expect(scores.accuracy == 0.75)
    }
}

@Suite("The evaluator")
struct EvaluatorTests {
    /// A clock that moves 1 µs per reading, so timings are exact in tests.
    final class StepClock: @unchecked Sendable {
        var now: UInt64 = 0
        func read() -> UInt64 { now += 1000; return now }
    }

    let examples = (0..<10).flatMap { index in [
        LabelledText(text: "where is my order \(index)", label: "order"),
        LabelledText(text: "how much is delivery \(index)", label: "delivery"),
        LabelledText(text: "hello there \(index)", label: "greet"),
    ] }

    @Test func splitsStratifiedAndRepeatably() {
        let first = Evaluator.stratifiedSplit(examples, holdOut: 0.2, seed: 3)
        let again = Evaluator.stratifiedSplit(examples, holdOut: 0.2, seed: 3)
        #expect(first.heldOut == again.heldOut)
        #expect(first.heldOut.count == 6)
        #expect(Dictionary(grouping: first.heldOut, by: \.label).mapValues(\.count) == ["order": 2, "delivery": 2, "greet": 2])
        #expect(Set(first.training).isDisjoint(with: first.heldOut))
    }

    @Test func evaluatesTimesAndLeavesOutOfScopeRowsOutOfTraining() {
        let clock = StepClock()
        nonisolated(unsafe) var trainedOn: [String] = []
        let evaluator = Evaluator(train: { intents in
            trainedOn = intents.map(\.name)
            return SimilarityMatcher(intents: intents)
        }, clock: clock.read)
        let training = examples + [LabelledText(text: "what is the weather", label: "oos")]
        let test = [LabelledText(text: "where is my order", label: "order"), LabelledText(text: "hello", label: "greet")]
        let report = evaluator.evaluate(training: training, test: test, validation: nil, oosLabel: "oos")
        #expect(trainedOn == ["order", "delivery", "greet"])
        #expect(report.scores.accuracy == 1)
        #expect(report.trainSeconds == 0.000001)
        #expect(report.p50Microseconds == 1)
    }

    @Test func crossValidationTestsEveryExampleOnce() {
        let report = Evaluator(clock: StepClock().read).crossValidate(examples, folds: 5)
        #expect(report.scores.examples == examples.count)
        #expect(report.scores.accuracy > 0.9)
    }
}

/// Ranks the intents whose training examples are exactly the text, first
/// `favourite` when it is given: a matcher whose answers are known in
/// advance, so the tests below measure the evaluator, not a classifier.
private struct MemorisingRanker: IntentRanker {
    let intents: [Intent]
    var favourite: String?

    func rank(_ message: String) -> [IntentCandidate] {
        let favoured = intents.filter { $0.name == favourite }.map { IntentCandidate(intent: $0.name, confidence: 0.9) }
        return favoured + intents.filter { $0.name != favourite && $0.examples.contains(message) }
            .map { IntentCandidate(intent: $0.name, confidence: 0.8) }
    }
}

@Suite("Cross-validating a bot as it reads messages")
struct BotCrossValidationTests {
    static let orderNumber = EntityType(
        name: "order_number", recognizer: .pattern(source: #"\b[Hh][Pp][- ]?(\d{5})\b"#, template: "HP-$1", normalization: .none))
    static let product = EntityType(name: "product", recognizer: .list([EntityValue("mug"), EntityValue("blanket")]))

    static func bot(_ intents: [Intent], entities: [EntityType] = []) -> Bot {
        Bot(name: "Test", welcome: [], fallback: [], farewell: [], intents: intents, entities: entities)
    }

    /// Every example of `order_status` has an order number no other example has:
    /// as typed, none can be learnt from the others; read as the bot reads it, all can.
    static let orders = bot([
        Intent(name: "order_status", examples: (1...5).map { "where is HP-1000\($0)" }, responses: []),
        Intent(name: "greet", examples: Array(repeating: "hello", count: 5), responses: []),
    ], entities: [orderNumber, product])

    @Test func examplesAreReadAsTheEngineReadsThem() {
        let bot = Self.bot([
            Intent(name: "order_status", examples: ["where is my mug, order hp 10442?"], responses: []),
            Intent(name: "delivery_country", examples: ["and to France?"], responses: [], needsContext: ["delivery"]),
        ], entities: [Self.orderNumber, Self.product])
        #expect(LabelledText.examples(of: bot) == [
            LabelledText(text: "where is my mug, order  entityordernumber ?", label: "order_status"),
            LabelledText(text: "and to France?", label: "delivery_country", openContexts: ["delivery"]),
        ], "the order number is masked, the product (a list entity) stays")
        #expect(LabelledText.examples(of: bot).first?.text == Engine(bot: bot).reading.readingForm(of: "where is my mug, order hp 10442?"))
    }

    @Test func anExampleLearntOnlyFromItsEntityTypeIsRightWhenMasked() {
        let evaluator = Evaluator(train: { MemorisingRanker(intents: $0) }, clock: { 0 })
        let masked = evaluator.crossValidate(Self.orders, folds: 5)
        #expect(masked.scores.examples == 10)
        #expect(masked.scores.accuracy == 1)

        // The same examples as typed, as `rapport eval --intents` used to read them.
        let typed = Self.orders.intents.flatMap { intent in intent.examples.map { LabelledText(text: $0, label: intent.name) } }
        let report = evaluator.crossValidate(typed, folds: 5)
        #expect(report.predictions.filter { $0.truth == "order_status" }.allSatisfy { $0.top != "order_status" })
    }

    @Test func outOfScopeRowsAreMaskedToo() {
        let evaluator = Evaluator(train: { MemorisingRanker(intents: $0) }, clock: { 0 })
        let report = evaluator.crossValidate(
            Self.orders, folds: 5, validation: [LabelledText(text: "where is HP-99999", label: "oos")])
        // Read as the bot reads it, the row is an order question: the bot would answer it.
        let last = report.predictions.last
        #expect(last?.truth == "oos" && last?.top == "order_status" && last?.confidence == 0.8)
        #expect(last?.text.contains("entityordernumber") == true, "the text kept for --mistakes is the one the bot read")
    }

    /// A ranker that puts the follow-up `delivery_country` first for every
    /// message: only the contexts keep it from answering ordinary ones.
    static let followUps = bot([
        Intent(name: "delivery_costs", examples: Array(repeating: "how much is delivery", count: 5), responses: [], setsContext: "delivery"),
        Intent(name: "delivery_country", examples: Array(repeating: "and to France?", count: 5), responses: [], needsContext: ["delivery"]),
        Intent(name: "greet", examples: Array(repeating: "hello", count: 5), responses: []),
    ])

    @Test func aFollowUpCompetesOnlyWhereItsContextIsOpen() {
        let evaluator = Evaluator(train: { MemorisingRanker(intents: $0, favourite: "delivery_country") }, clock: { 0 })
        let report = evaluator.crossValidate(
            Self.followUps, folds: 5, validation: [LabelledText(text: "tell me a joke", label: "oos")])
        let byTruth = Dictionary(grouping: report.predictions, by: \.truth)
        #expect(byTruth["delivery_country"]?.map(\.top) == Array(repeating: "delivery_country", count: 5),
                "its own examples are ranked with its context open")
        #expect(byTruth["greet"]?.map(\.top) == Array(repeating: "greet", count: 5), "it cannot win an ordinary message")
        #expect(byTruth["delivery_costs"]?.map(\.top) == Array(repeating: "delivery_costs", count: 5))
        #expect(byTruth["oos"]?.map(\.top) == [""], "out-of-scope rows are read with no context open")
        #expect(report.scores.accuracy == 1)
    }

    @Test("the same rule as the engine: allowed when every context it needs is open", arguments: [
        ("delivery_country", [], false),
        ("delivery_country", ["delivery"], true),
        ("delivery_country", ["delivery", "anything_else"], true),
        ("returns_country", ["delivery"], false),
        ("returns_country", ["delivery", "returns"], true),
        ("greet", [], true),
        ("greet", ["delivery"], true),
    ] as [(String, Set<String>, Bool)])
    func contextRule(intent: String, open: Set<String>, allowed: Bool) {
        let needs: ContextNeeds = ["delivery_country": ["delivery"], "returns_country": ["delivery", "returns"]]
        #expect(needs.allows(intent, open: open) == allowed)
    }

    @Test func labelledFilesWithoutContextsAreRankedAmongEveryIntent() {
        let evaluator = Evaluator(train: { MemorisingRanker(intents: $0, favourite: "delivery_country") }, clock: { 0 })
        let examples = Self.followUps.intents.flatMap { intent in intent.examples.map { LabelledText(text: $0, label: intent.name) } }
        let report = evaluator.evaluate(training: examples, test: [LabelledText(text: "hello", label: "greet")], validation: nil, oosLabel: "oos")
        #expect(report.predictions.map(\.top) == ["delivery_country"], "no needs given: nothing is left out, as before")
    }
}

@Suite struct FoldAssignmentTests {
    @Test func anExampleAddedToOneIntentMovesNoOtherIntentsExamples() {
        let labels = (0..<40).map { "intent\($0 % 8)" }
        let before = Evaluator.foldAssignment(labels, folds: 5, seed: 0)
        // One more example of intent3, first in the list: every other label's folds stay as they were.
        let after = Evaluator.foldAssignment(["intent3"] + labels, folds: 5, seed: 0)
        for (index, label) in labels.enumerated() where label != "intent3" {
            #expect(after[index + 1] == before[index], "\(label) moved")
        }
    }

    @Test func eachLabelIsSpreadEvenlyOverTheFolds() {
        let labels = (0..<50).map { "intent\($0 % 2)" }
        let folds = Evaluator.foldAssignment(labels, folds: 5, seed: 7)
        for label in ["intent0", "intent1"] {
            let counts = Dictionary(grouping: labels.indices.filter { labels[$0] == label }, by: { folds[$0] }).mapValues(\.count)
            #expect(counts.count == 5 && counts.values.allSatisfy { $0 == 5 })
        }
    }
}
