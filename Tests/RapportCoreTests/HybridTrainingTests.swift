import Testing
@testable import RapportCore

/// What the hybrid's speed-ups must not change: the SVMs trained together,
/// and the examples' vectors kept as codes.
@Suite("The hybrid's training and its examples' vectors")
struct HybridTrainingTests {
    typealias SparseRows = LinearIntentClassifier.SparseRows

    /// Seeded unit vectors of `dimensions` values: `count` of them, each near
    /// one of `centres` (the i-th near centre i mod centres.count).
    static func vectors(count: Int, centres: [[Float]], spread: Float, seed: UInt64) -> [[Float]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let centre = centres[index % centres.count]
            let noisy = centre.map { $0 + spread * (Float.random(in: -1...1, using: &generator)) }
            let length = noisy.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return noisy.map { $0 / length }
        }
    }

    static func centres(_ count: Int, dimensions: Int, seed: UInt64) -> [[Float]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<dimensions).map { _ in Float.random(in: -1...1, using: &generator) } }
    }

    /// Twelve intents of ten examples, each row a few sparse entries and a
    /// dense block of 37 values (not a multiple of the eight lanes), as the
    /// hybrid's rows are.
    static func matrix() -> (SparseRows, labels: [Int], featureCount: Int) {
        let intents = 12, perIntent = 10, dimensions = 37, sparseColumns = 30
        let dense = vectors(count: intents * perIntent, centres: centres(intents, dimensions: dimensions, seed: 7),
                            spread: 0.9, seed: 8)
        var generator = SplitMix64(seed: 9)
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for index in 0..<intents * perIntent {
            // Each row: its intent's column, and two at random.
            let own = Int32(index % intents)
            for column in Set([own, Int32.random(in: 0..<Int32(sparseColumns), using: &generator),
                               Int32.random(in: 0..<Int32(sparseColumns), using: &generator)]).sorted() {
                columns.append(column)
                values.append(0.5)
            }
            rowStart.append(columns.count)
        }
        let matrix = SparseRows(rowStart: rowStart, columns: columns, values: values,
                                dense: dense.flatMap { $0 }, denseWidth: dimensions, denseFirst: sparseColumns)
        return (matrix, (0..<intents * perIntent).map { $0 % intents }, sparseColumns + dimensions)
    }

    /// The twelve intents of `matrix()` trained together, to a tight tolerance.
    static func trainedTogether() -> (SparseRows, labels: [Int], featureCount: Int, LinearIntentClassifier.Settings,
                                      [(weights: [Float], bias: Float)]) {
        let (matrix, labels, featureCount) = matrix()
        var settings = LinearIntentClassifier.Settings()
        settings.tolerance = 0.0005
        settings.maxEpochs = 5000
        let together = LinearIntentClassifier.trainOneVersusRest(matrix, labels: labels, positives: 0..<12,
                                                                 featureCount: featureCount, settings: settings)
        return (matrix, labels, featureCount, settings, together)
    }

    /// Each SVM has its own dual variables, shrinking and stopping test, so
    /// training intents together finds the SVMs training them alone finds:
    /// the problem is strictly convex, and only the order of the rows differs.
    @Test func intentsTrainedTogetherAreTheSVMsTrainedAlone() {
        let (matrix, labels, featureCount, settings, together) = Self.trainedTogether()
        #expect(together.count == 12)
        for intent in 0..<12 {
            let alone = LinearIntentClassifier.trainOneVersusRest(matrix, labels: labels, positives: intent..<intent + 1,
                                                                  featureCount: featureCount, settings: settings)[0]
            let largest = max(zip(together[intent].weights, alone.weights).map { abs($0 - $1) }.max() ?? 0,
                              abs(together[intent].bias - alone.bias))
            #expect(largest < 0.01, "intent \(intent): weights differ by \(largest)")
            // And the SVM learnt something: its own examples score above the others'.
            let scores = (0..<matrix.count).map { row in
                var score = alone.bias
                for k in matrix.rowStart[row]..<matrix.rowStart[row + 1] { score += matrix.values[k] * alone.weights[Int(matrix.columns[k])] }
                for c in 0..<matrix.denseWidth { score += matrix.dense[row * matrix.denseWidth + c] * alone.weights[matrix.denseFirst + c] }
                return score
            }
            let own = zip(scores, labels).filter { $0.1 == intent }.map(\.0)
            let others = zip(scores, labels).filter { $0.1 != intent }.map(\.0)
            #expect((own.min() ?? 0) > (others.max() ?? 0), "intent \(intent) does not separate its examples")
        }
    }

    /// The L2-loss SVM of one intent by the plainest dual coordinate descent:
    /// every row in order, no shrinking, until nothing moves. Slow and
    /// obviously right, to check the trainer against.
    static func reference(_ matrix: SparseRows, labels: [Int], positive: Int, featureCount: Int, cost: Double) -> (weights: [Double], bias: Double) {
        let n = matrix.count, d = matrix.denseWidth
        func entries(_ i: Int) -> [(Int, Double)] {
            (matrix.rowStart[i]..<matrix.rowStart[i + 1]).map { (Int(matrix.columns[$0]), Double(matrix.values[$0])) }
                + (0..<d).map { (matrix.denseFirst + $0, Double(matrix.dense[i * d + $0])) }
        }
        let rows = (0..<n).map(entries)
        let diagonal = 0.5 / cost
        var w = [Double](repeating: 0, count: featureCount), b = 0.0
        var alpha = [Double](repeating: 0, count: n)
        for _ in 0..<20_000 {
            var largest = 0.0
            for i in 0..<n {
                let y: Double = labels[i] == positive ? 1 : -1
                let dot = rows[i].reduce(b) { $0 + $1.1 * w[$1.0] }
                let gradient = y * dot - 1 + diagonal * alpha[i]
                let norm = rows[i].reduce(1 + diagonal) { $0 + $1.1 * $1.1 }
                let updated = max(alpha[i] - gradient / norm, 0)
                let step = (updated - alpha[i]) * y
                alpha[i] = updated
                for (column, value) in rows[i] { w[column] += step * value }
                b += step
                largest = max(largest, abs(step))
            }
            if largest < 1e-9 { break }
        }
        return (w, b)
    }

    /// Trained together, to a tight tolerance, each intent's SVM is the one
    /// the plain solver finds: no row one intent needs was left out because
    /// another had shrunk it.
    @Test func intentsTrainedTogetherAreThePlainSolversSVMs() {
        let (matrix, labels, featureCount, settings, together) = Self.trainedTogether()
        for intent in 0..<12 {
            let plain = Self.reference(matrix, labels: labels, positive: intent, featureCount: featureCount, cost: settings.cost)
            let largest = max(zip(together[intent].weights, plain.weights).map { abs(Double($0) - $1) }.max() ?? 0,
                              abs(Double(together[intent].bias) - plain.bias))
            #expect(largest < 0.01, "intent \(intent): weights differ from the plain solver's by \(largest)")
        }
    }

    @Test func anEmptyBlockOrNoRowsTrainsNothing() {
        let (matrix, labels, featureCount) = Self.matrix()
        #expect(LinearIntentClassifier.trainOneVersusRest(matrix, labels: labels, positives: 3..<3, featureCount: featureCount,
                                                          settings: .init()).isEmpty)
        let none = LinearIntentClassifier.trainOneVersusRest(SparseRows(rowStart: [0], columns: [], values: []), labels: [],
                                                             positives: 0..<2, featureCount: 5, settings: .init())
        #expect(none.count == 2 && none.allSatisfy { $0.weights == [0, 0, 0, 0, 0] && $0.bias == 0 })
    }

    /// The codes move a cosine by less than 0.001 at the encoder's 512 values.
    @Test func theNearestExampleByCodesIsTheNearestByFloats() {
        let examples = Self.vectors(count: 300, centres: Self.centres(20, dimensions: 512, seed: 1), spread: 1.5, seed: 2)
        let coded = ExampleVectors(examples, dimensions: 512)
        #expect(coded.count == 300 && coded.bytes == 300 * 512 * 2 + 300 * 4)
        for query in Self.vectors(count: 40, centres: Self.centres(20, dimensions: 512, seed: 1), spread: 1.5, seed: 3) {
            let exact = examples.map { zip($0, query).reduce(0) { $0 + $1.0 * $1.1 } }.max() ?? 0
            #expect(abs(coded.nearest(to: query) - exact) < 0.001)
        }
        // A message far from every example is far by codes too.
        #expect(abs(coded.nearest(to: examples[0].map { -$0 }) - (examples.map { zip($0, examples[0]).reduce(0) { $0 - $1.0 * $1.1 } }.max() ?? 0)) < 0.001)
    }

    @Test func nearnessWithoutExamplesOrOfAnotherLengthIsNothing() {
        #expect(ExampleVectors.none.nearest(to: [1, 0, 0]) == 0)
        let coded = ExampleVectors([[0.6, 0.8, 0], [0, 0, 0]], dimensions: 3)
        #expect(coded.nearest(to: [1, 0]) == 0)
        #expect(abs(coded.nearest(to: [0.6, 0.8, 0]) - 1) < 0.001)
        // A zero vector codes as zeros with no scale, and a value that is not finite as 0.
        #expect(ExampleVectors.code([0, 0, 0], dimensions: 3).scale == 0)
        #expect(ExampleVectors.code([.nan, 0.5, -.infinity], dimensions: 3).codes == [0, ExampleVectors.largestCode, 0])
    }
}
