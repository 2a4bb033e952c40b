import Foundation
import Testing
import RapportCore
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
/// little under what was measured (90.84% on this split, docs/BENCHMARKS.md),
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
        #expect(report.scores.accuracy >= 0.90, "BANKING77 holdout accuracy fell to \(report.scores.accuracy)")
    }
}
