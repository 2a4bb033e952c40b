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
        /// Of one prediction, the time the sentence encoder takes (median, 99th
        /// percentile), when the matcher has one: measured apart by the caller.
        public var encoding: (p50Microseconds: Double, p99Microseconds: Double)?
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
    /// out-of-scope rows, and scores `test`. Each text is ranked among the
    /// intents `contextNeeds` allows with its `openContexts` open, as the bot
    /// ranks a message; with no needs given, among all of them.
    public func evaluate(
        training: [LabelledText], test: [LabelledText], validation: [LabelledText]?, oosLabel: String,
        contextNeeds: ContextNeeds = [:]
    ) -> Report {
        let inScope = training.filter { $0.label != oosLabel }
        let started = clock()
        let ranker = train(inScope.intents)
        let trainSeconds = Double(clock() - started) / 1e9

        var threshold = 0.0
        var chosen = false
        if let validation, validation.contains(where: { $0.label == oosLabel }) {
            threshold = MatcherScores.bestThreshold(
                validation: predict(ranker, validation, contextNeeds).predictions, oosLabel: oosLabel)
            chosen = true
        }
        let (predictions, latencies) = predict(ranker, test, contextNeeds)
        let (p50, p99) = Self.medianAndP99(latencies)
        return Report(
            scores: MatcherScores(predictions: predictions, threshold: threshold, oosLabel: oosLabel),
            trainSeconds: trainSeconds, p50Microseconds: p50, p99Microseconds: p99,
            trainingExamples: inScope.count, intents: Set(inScope.map(\.label)).count, thresholdChosen: chosen,
            modelBytes: (ranker as? any ModelSizeReporting)?.modelBytes, predictions: predictions
        )
    }

    /// The median and 99th percentile of latencies, in microseconds.
    public static func medianAndP99(_ nanoseconds: [UInt64]) -> (Double, Double) {
        let sorted = nanoseconds.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        func percentile(_ p: Double) -> Double {
            Double(sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]) / 1000
        }
        return (percentile(0.5), percentile(0.99))
    }

    /// One prediction at a time, timing each. Intents that cannot be
    /// considered with an example's contexts open are left out of its ranking.
    private func predict(
        _ ranker: any IntentRanker, _ examples: [LabelledText], _ contextNeeds: ContextNeeds
    ) -> (predictions: [Prediction], nanoseconds: [UInt64]) {
        var predictions: [Prediction] = []
        var latencies: [UInt64] = []
        predictions.reserveCapacity(examples.count)
        for example in examples {
            let started = clock()
            let ranking = contextNeeds.rank(example.text, with: ranker, open: example.openContexts)
            latencies.append(clock() - started)
            let best = ranking.first, second = ranking.dropFirst().first
            predictions.append(Prediction(
                truth: example.label, top: best?.intent ?? "", confidence: best?.confidence ?? 0,
                second: second?.intent, secondConfidence: second?.confidence ?? 0, text: example.text))
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
    ///
    /// Each text is ranked among the intents `contextNeeds` allows with its
    /// `openContexts` open, as the bot ranks a message: give a follow-up
    /// intent's examples the contexts it needs, and the other intents' none,
    /// and a follow-up competes only where it could win in a conversation.
    /// The fold of each example, stratified: each label's examples are
    /// shuffled and dealt in turn. Each label's by a generator of its own (the
    /// seed and the label's name), so an example added to one intent moves
    /// only that intent's examples between folds: with one generator for all,
    /// it reshuffled every intent after it, and the bundled bot's accuracy
    /// moved by 0.2 to 0.4 points for one example added anywhere.
    static func foldAssignment(_ labels: [String], folds: Int, seed: UInt64) -> [Int] {
        var fold: [Int] = Array(repeating: 0, count: labels.count)
        var byLabel: [String: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        for (label, members) in byLabel {
            var indices = members
            var generator = SplitMix64(seed: seed ^ StableHash.fnv1a(label.utf8))
            indices.shuffle(using: &generator)
            for (position, index) in indices.enumerated() { fold[index] = position % folds }
        }
        return fold
    }

    public func crossValidate(
        _ examples: [LabelledText], folds: Int, seed: UInt64 = 0, validation: [LabelledText]? = nil, oosLabel: String = "oos",
        contextNeeds: ContextNeeds = [:]
    ) -> Report {
        let fold = Self.foldAssignment(examples.map(\.label), folds: folds, seed: seed)
        var predictions: [Prediction] = []
        var latencies: [UInt64] = []
        var trainNanoseconds: UInt64 = 0
        for k in 0..<folds {
            let training = examples.indices.filter { fold[$0] != k }.map { examples[$0] }
            let testing = examples.indices.filter { fold[$0] == k }.map { examples[$0] }
            let started = clock()
            let ranker = train(training.intents)
            trainNanoseconds += clock() - started
            let result = predict(ranker, testing, contextNeeds)
            predictions += result.predictions
            latencies += result.nanoseconds
        }
        var threshold = 0.0
        var chosen = false
        if let outOfScope = validation?.filter({ $0.label == oosLabel }), !outOfScope.isEmpty {
            predictions += predict(train(examples.intents), outOfScope, contextNeeds).predictions
            threshold = MatcherScores.bestThreshold(validation: predictions, oosLabel: oosLabel)
            chosen = true
        }
        let (p50, p99) = Self.medianAndP99(latencies)
        return Report(
            scores: MatcherScores(predictions: predictions, threshold: threshold, oosLabel: oosLabel),
            trainSeconds: Double(trainNanoseconds) / 1e9 / Double(folds),
            p50Microseconds: p50, p99Microseconds: p99,
            trainingExamples: examples.count, intents: Set(examples.map(\.label)).count, thresholdChosen: chosen, modelBytes: nil,
            predictions: predictions
        )
    }
}

extension Evaluator {
    /// Cross-validates `bot`'s own examples as the bot reads messages
    /// (`LabelledText.examples(of:)`): entity values stand as their type, and
    /// a follow-up intent is a candidate only for its own examples, which are
    /// ranked with the contexts it needs open; every other example, and every
    /// out-of-scope row of `validation` (read the same way), is ranked with no
    /// context open. Patterns are not applied: this measures the classifier.
    ///
    /// `outOfScopeIntent` names the bot's intent for requests it cannot help
    /// with (the bundled `out_of_scope`): its examples are out-of-scope
    /// messages, and answering with it declines, as the threshold does.
    public func crossValidate(
        _ bot: Bot, folds: Int, seed: UInt64 = 0, validation: [LabelledText]? = nil, oosLabel: String = "oos",
        outOfScopeIntent: String? = nil
    ) -> Report {
        let reading = RankerReading(bot: bot)
        var examples = LabelledText.examples(of: bot, reading: reading)
        if let outOfScopeIntent {
            for index in examples.indices where examples[index].label == outOfScopeIntent { examples[index].label = oosLabel }
        }
        return crossValidate(
            examples, folds: folds, seed: seed,
            validation: validation?.map { row in
                var row = row
                row.text = reading.readingForm(of: row.text)
                return row
            },
            oosLabel: oosLabel, contextNeeds: ContextNeeds(intents: bot.intents))
    }
}

extension LabelledText {
    /// `bot`'s examples as the engine reads them: in their reading forms
    /// (`RankerReading`), labelled with their intent, and with the contexts
    /// the intent needs open.
    public static func examples(of bot: Bot) -> [LabelledText] {
        examples(of: bot, reading: RankerReading(bot: bot))
    }

    static func examples(of bot: Bot, reading: RankerReading) -> [LabelledText] {
        bot.intents.flatMap { intent in
            intent.examples.map {
                LabelledText(text: reading.readingForm(of: $0), label: intent.name, openContexts: Set(intent.needsContext))
            }
        }
    }
}
