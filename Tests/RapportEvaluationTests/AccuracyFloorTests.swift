import Foundation
import Testing
import RapportCore
import RapportIntents
@testable import RapportEvaluation

/// The public data beside the repository (../shared/data), as CI has it.
enum SharedData {
    static let banking77 = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/banking77/train.csv").path
    static var available: Bool { FileManager.default.fileExists(atPath: banking77) }
}

/// A regression in the matcher fails CI: train on a stratified 80% of
/// BANKING77's training split and check the other 20%. The floor is set a
/// little under what was measured (90.99% on this split, docs/BENCHMARKS.md),
/// so it catches a real drop, not noise; there is no timing here: speed is
/// measured by rapport eval and written down, never asserted.
@Suite("Matcher accuracy floor", .enabled(if: SharedData.available, "needs ../shared/data beside the repository"))
struct AccuracyFloorTests {
    @Test func bankingAccuracyStaysAboveTheFloor() throws {
        let examples = try LabelledCSV.load(SharedData.banking77)
        let (training, heldOut) = Evaluator.stratifiedSplit(examples, holdOut: 0.2)
        let report = Evaluator(train: { LinearIntentClassifier(intents: $0) }, clock: { 0 })
            .evaluate(training: training, test: heldOut, validation: nil, oosLabel: "oos")
        #expect(report.scores.examples == 1998)
        #expect(report.scores.accuracy >= 0.905, "BANKING77 holdout accuracy fell to \(report.scores.accuracy)")
    }
}

/// A change to the bundled bot's examples that makes Pip understand its own
/// customers worse fails CI: 5-fold cross-validation of `intents/`, read as
/// the bot reads messages, stays above a floor set a little under what was
/// measured (docs/BENCHMARKS.md).
@Suite("The bundled bot's accuracy floor")
struct BundledBotFloorTests {
    static let intents = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("intents").path

    @Test func crossValidatedAccuracyStaysAboveTheFloor() throws {
        let bot = try BotLoader.load(directory: Self.intents)
        let report = Evaluator(clock: { 0 }).crossValidate(bot, folds: 5)
        #expect(report.intents >= 40, "the bundled bot covers at least 40 intents")
        #expect(report.scores.accuracy >= BundledBotFloorTests.floor,
                "cross-validated accuracy fell to \(report.scores.accuracy); run rapport eval --intents intents --folds 5 --mistakes")
    }

    /// Measured 92.47% with 79 intents and 4,623 examples, folds dealt per intent (92.22% with
    /// 4,601, dealt by one generator: docs/BENCHMARKS.md): issue 16 split
    /// one product paragraph into six close intents (price, colours, sizes,
    /// care, material) and added privacy, order-number, signature, range and
    /// shop-policy intents,
    /// whose near neighbours give sensible answers when confused. It was
    /// 95.02% with 61 intents, when the floor was 0.93.
    static let floor = 0.92
}
