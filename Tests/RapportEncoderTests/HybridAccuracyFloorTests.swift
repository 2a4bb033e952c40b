import Foundation
import Testing
import RapportCore
import RapportEncoder
@testable import RapportEvaluation
import RapportTestSupport

/// BANKING77's training split in the public data beside the repository, as CI has it.
enum Banking77 {
    static let path = EncoderFixtures.packageRoot + "/../shared/data/banking77/train.csv"
    static var available: Bool { FileManager.default.fileExists(atPath: path) }
}

/// What the encoder is for, checked on public data: the hybrid (words and the
/// encoder's vectors in one linear model) reads BANKING77 better than words
/// alone, on the stratified 20% holdout (the first 10 of each intent, 765 in
/// all), trained on the first 20 examples of each intent of the rest: where
/// bot authors live, and encoding all 10,000 messages would take a debug build
/// minutes. The floor is a little under what was measured; no timing.
@Suite(.requiresEncoderModel, .enabled(if: Banking77.available, "needs ../shared/data beside the repository"))
struct HybridAccuracyFloorTests {
    /// The first `count` examples of each label, in order.
    static func first(_ count: Int, of examples: [LabelledText]) -> [LabelledText] {
        var taken: [String: Int] = [:]
        return examples.filter { example in
            taken[example.label, default: 0] += 1
            return taken[example.label]! <= count
        }
    }

    @Test func theHybridReadsBankingBetterThanWordsAlone() throws {
        let embedder = try EncoderTestEmbedder.installed()
        let (training, heldOut) = Evaluator.stratifiedSplit(try LabelledCSV.load(Banking77.path), holdOut: 0.2)
        let train = Self.first(20, of: training), test = Self.first(10, of: heldOut)
        #expect(train.count == 77 * 20 && test.count == 765, "\(train.count) to train on, \(test.count) to test")
        func accuracy(_ trainer: @escaping Evaluator.Trainer) -> Double {
            Evaluator(train: trainer, clock: { 0 }).evaluate(training: train, test: test, validation: nil, oosLabel: "oos").scores.accuracy
        }
        let words = accuracy { LinearIntentClassifier(intents: $0) }
        let hybrid = accuracy { LinearIntentClassifier(intents: $0, settings: .init(), embedder: embedder) }
        #expect(hybrid >= Self.hybridFloor, "hybrid accuracy fell to \(hybrid) (words alone: \(words))")
        #expect(hybrid >= words + 0.03, "the encoder adds too little: hybrid \(hybrid), words alone \(words)")
    }

    /// Measured 86.54% (words alone 81.83%) on this split.
    static let hybridFloor = 0.85
}
