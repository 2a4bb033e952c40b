import RapportCore

/// Trains a matcher on labelled texts and measures it: accuracy and the rest
/// on a test set, training time, and the latency of one prediction at a time.
/// Time comes from an injected clock, so the measuring is testable.
public struct Evaluator: Sendable {
    /// Builds a ranker from intents: how the matcher under test is trained.
    public typealias Trainer = @Sendable ([Intent]) -> any IntentRanker

    public let train: Trainer
    /// Monotonic nanoseconds.
    public let clock: @Sendable () -> UInt64

    public init(train: @escaping Trainer = { LinearIntentClassifier(intents: $0) }, clock: @escaping @Sendable () -> UInt64) {
        self.train = train
        self.clock = clock
    }

    public struct Report: Sendable {
        public var scores: MatcherScores
        public var trainSeconds: Double
        public var p50Microseconds: Double
        public var p99Microseconds: Double
        public var trainingExamples: Int
        public var intents: Int
        /// Whether the threshold was chosen on a validation set.
        public var thresholdChosen: Bool
        /// The trained model's size, when the matcher reports it.
        public var modelBytes: Int?
        /// Every prediction on the test texts, for further figures (`ClarifyScores`).
        public var predictions: [Prediction] = []
    }

    /// Trains on `training` (out-of-scope rows left out: they are no intent),
    /// chooses the out-of-scope threshold on `validation` when it has
    /// out-of-scope rows, and scores `test`.
    public func evaluate(
        training: [LabelledText], test: [LabelledText], validation: [LabelledText]?, oosLabel: String
    ) -> Report {
        let inScope = training.filter { $0.label != oosLabel }
        let started = clock()
        let ranker = train(inScope.intents)
        let trainSeconds = Double(clock() - started) / 1e9

        var threshold = 0.0
        var chosen = false
        if let validation, validation.contains(where: { $0.label == oosLabel }) {
            threshold = MatcherScores.bestThreshold(validation: predict(ranker, validation).predictions, oosLabel: oosLabel)
            chosen = true
        }
        let (predictions, latencies) = predict(ranker, test)
        let (p50, p99) = Self.medianAndP99(latencies)
        return Report(
            scores: MatcherScores(predictions: predictions, threshold: threshold, oosLabel: oosLabel),
            trainSeconds: trainSeconds, p50Microseconds: p50, p99Microseconds: p99,
            trainingExamples: inScope.count, intents: Set(inScope.map(\.label)).count, thresholdChosen: chosen,
            modelBytes: (ranker as? any ModelSizeReporting)?.modelBytes, predictions: predictions
        )
    }

    /// The median and 99th percentile of latencies, in microseconds.
    static func medianAndP99(_ nanoseconds: [UInt64]) -> (Double, Double) {
        let sorted = nanoseconds.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        func percentile(_ p: Double) -> Double {
            Double(sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]) / 1000
        }
        return (percentile(0.5), percentile(0.99))
    }

    /// One prediction at a time, timing each.
    private func predict(_ ranker: any IntentRanker, _ examples: [LabelledText]) -> (predictions: [Prediction], nanoseconds: [UInt64]) {
        var predictions: [Prediction] = []
        var latencies: [UInt64] = []
        predictions.reserveCapacity(examples.count)
        for example in examples {
            let started = clock()
            let ranking = ranker.rank(example.text)
            latencies.append(clock() - started)
            let best = ranking.first, second = ranking.dropFirst().first
            predictions.append(Prediction(
                truth: example.label, top: best?.intent ?? "", confidence: best?.confidence ?? 0,
                second: second?.intent, secondConfidence: second?.confidence ?? 0))
        }
        return (predictions, latencies)
    }

    /// Splits examples into training and held-out parts, keeping `fraction` of
    /// each label's examples out (at least one when a label has two or more).
    /// Seeded: the same data gives the same split.
    public static func stratifiedSplit(_ examples: [LabelledText], holdOut fraction: Double, seed: UInt64 = 0) -> (training: [LabelledText], heldOut: [LabelledText]) {
        var generator = SplitMix64(seed: seed)
        var byLabel: [String: [Int]] = [:]
        for (index, example) in examples.enumerated() { byLabel[example.label, default: []].append(index) }
        var heldOut = Set<Int>()
        for label in byLabel.keys.sorted() {
            var indices = byLabel[label] ?? []
            indices.shuffle(using: &generator)
            let count = indices.count < 2 ? 0 : max(1, Int((Double(indices.count) * fraction).rounded()))
            heldOut.formUnion(indices.prefix(count))
        }
        return (examples.indices.filter { !heldOut.contains($0) }.map { examples[$0] },
                examples.indices.filter { heldOut.contains($0) }.map { examples[$0] })
    }

    /// Stratified k-fold cross-validation: each example is tested once, by a
    /// matcher trained on the other folds. Fold membership is seeded, so the
    /// same data gives the same folds and figures.
    ///
    /// When `validation` has out-of-scope rows, a matcher trained on all the
    /// examples predicts them, and the threshold that maximises accuracy over
    /// the cross-validated predictions and those rows together is chosen and
    /// applied to both.
    public func crossValidate(
        _ examples: [LabelledText], folds: Int, seed: UInt64 = 0, validation: [LabelledText]? = nil, oosLabel: String = "oos"
    ) -> Report {
        var generator = SplitMix64(seed: seed)
        var fold: [Int] = Array(repeating: 0, count: examples.count)
        var byLabel: [String: [Int]] = [:]
        for (index, example) in examples.enumerated() { byLabel[example.label, default: []].append(index) }
        for label in byLabel.keys.sorted() {
            var indices = byLabel[label] ?? []
            indices.shuffle(using: &generator)
            for (position, index) in indices.enumerated() { fold[index] = position % folds }
        }
        var predictions: [Prediction] = []
        var latencies: [UInt64] = []
        var trainNanoseconds: UInt64 = 0
        for k in 0..<folds {
            let training = examples.indices.filter { fold[$0] != k }.map { examples[$0] }
            let testing = examples.indices.filter { fold[$0] == k }.map { examples[$0] }
            let started = clock()
            let ranker = train(training.intents)
            trainNanoseconds += clock() - started
            let result = predict(ranker, testing)
            predictions += result.predictions
            latencies += result.nanoseconds
        }
        var threshold = 0.0
        var chosen = false
        if let outOfScope = validation?.filter({ $0.label == oosLabel }), !outOfScope.isEmpty {
            predictions += predict(train(examples.intents), outOfScope).predictions
            threshold = MatcherScores.bestThreshold(validation: predictions, oosLabel: oosLabel)
            chosen = true
        }
        let (p50, p99) = Self.medianAndP99(latencies)
        return Report(
            scores: MatcherScores(predictions: predictions, threshold: threshold, oosLabel: oosLabel),
            trainSeconds: Double(trainNanoseconds) / 1e9 / Double(folds),
            p50Microseconds: p50, p99Microseconds: p99,
            trainingExamples: examples.count, intents: byLabel.count, thresholdChosen: chosen, modelBytes: nil,
            predictions: predictions
        )
    }
}
