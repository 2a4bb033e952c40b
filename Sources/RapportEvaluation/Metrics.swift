/// What the matcher said about one test text.
public struct Prediction: Hashable, Sendable {
    public var truth: String
    /// The best intent, before the out-of-scope threshold is applied.
    public var top: String
    public var confidence: Double
    /// The runner-up and its confidence, for the "ask which of two" decision.
    public var second: String?
    public var secondConfidence: Double
    /// The text predicted, for listing the mistakes (`rapport eval --mistakes`).
    public var text: String

    public init(truth: String, top: String, confidence: Double, second: String? = nil, secondConfidence: Double = 0, text: String = "") {
        self.text = text
        self.truth = truth
        self.top = top
        self.confidence = confidence
        self.second = second
        self.secondConfidence = secondConfidence
    }

    /// The label after rejecting an unsure answer as out of scope.
    public func label(threshold: Double, oosLabel: String) -> String {
        confidence >= threshold && confidence > 0 ? top : oosLabel
    }
}

/// The figures `rapport eval` reports, computed from predictions alone.
public struct MatcherScores: Hashable, Sendable {
    public var examples: Int
    public var accuracy: Double
    /// In-scope texts answered with the right intent (rejecting one as out of scope counts as wrong).
    public var inScopeAccuracy: Double
    /// Out-of-scope texts rejected; nil when the test set has none.
    public var oosRecall: Double?
    /// Rejections that were right; nil when nothing was rejected.
    public var oosPrecision: Double?
    public var macroF1: Double
    /// The most frequent mistakes: (true intent, answered as, count), most frequent first.
    public var confusions: [Confusion]
    public var threshold: Double

    public struct Confusion: Hashable, Sendable {
        public var truth: String
        public var predicted: String
        public var count: Int
    }

    public init(predictions: [Prediction], threshold: Double, oosLabel: String, confusionsShown: Int = 10) {
        let labelled = predictions.map { ($0.truth, $0.label(threshold: threshold, oosLabel: oosLabel)) }
        examples = labelled.count
        accuracy = Self.ratio(labelled.filter { $0.0 == $0.1 }.count, labelled.count) ?? 0
        let inScope = labelled.filter { $0.0 != oosLabel }
        inScopeAccuracy = Self.ratio(inScope.filter { $0.0 == $0.1 }.count, inScope.count) ?? 0
        let outOfScope = labelled.filter { $0.0 == oosLabel }
        oosRecall = Self.ratio(outOfScope.filter { $0.1 == oosLabel }.count, outOfScope.count)
        let rejected = labelled.filter { $0.1 == oosLabel }
        oosPrecision = Self.ratio(rejected.filter { $0.0 == oosLabel }.count, rejected.count)
        self.threshold = threshold

        // Macro-F1 over every label that is true or predicted somewhere.
        let labels = Set(labelled.map(\.0)).union(labelled.map(\.1))
        var truePositives: [String: Int] = [:], predicted: [String: Int] = [:], actual: [String: Int] = [:]
        for (truth, guess) in labelled {
            actual[truth, default: 0] += 1
            predicted[guess, default: 0] += 1
            if truth == guess { truePositives[truth, default: 0] += 1 }
        }
        let f1s = labels.sorted().map { label -> Double in
            let tp = Double(truePositives[label] ?? 0)
            let precision = predicted[label].map { tp / Double($0) } ?? 0
            let recall = actual[label].map { tp / Double($0) } ?? 0
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
        macroF1 = f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count)

        var mistakes: [String: Confusion] = [:]
        for (truth, guess) in labelled where truth != guess {
            mistakes["\(truth)\u{0}\(guess)", default: Confusion(truth: truth, predicted: guess, count: 0)].count += 1
        }
        confusions = Array(mistakes.values
            .sorted { ($1.count, $0.truth, $0.predicted) < ($0.count, $1.truth, $1.predicted) }
            .prefix(confusionsShown))
    }

    /// The out-of-scope threshold that maximises accuracy on a validation set,
    /// with out of scope counted as one more class. When several tie, the
    /// middle one (of two, the higher): on 50 out-of-scope texts, a threshold
    /// that rejects almost nothing can tie with one that rejects most of them
    /// (measured on halves of CLINC150's val.csv, docs/BENCHMARKS.md), and
    /// the middle depends least on which texts happened to be in the set.
    public static func bestThreshold(validation: [Prediction], oosLabel: String) -> Double {
        // With nothing to reject, rejecting only ever loses.
        guard validation.contains(where: { $0.truth == oosLabel }) else { return 0 }
        let candidates = Set([0] + validation.map(\.confidence)).sorted()
        var best: [Double] = []
        var bestCorrect = -1
        for threshold in candidates {
            let correct = validation.filter { $0.label(threshold: threshold, oosLabel: oosLabel) == $0.truth }.count
            if correct > bestCorrect {
                (best, bestCorrect) = ([threshold], correct)
            } else if correct == bestCorrect {
                best.append(threshold)
            }
        }
        return best[best.count / 2]
    }

    private static func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }
}

/// How the three-way decision plays out: of the messages confident enough to
/// answer, how many the bot would ask about ("did you mean A or B?") because
/// the top two are within the margin, and how right it is either way.
public struct ClarifyScores: Hashable, Sendable {
    public var margin: Double
    /// In-scope messages above the threshold that would be asked about.
    public var clarifyRate: Double
    /// Of those answered outright, the share answered with the right intent.
    public var answeredAccuracy: Double
    /// Of those asked about, the share where the right intent is one of the two offered.
    public var clarifyContainsTruth: Double?

    public init(predictions: [Prediction], threshold: Double, margin: Double, oosLabel: String) {
        self.margin = margin
        let confident = predictions.filter { $0.truth != oosLabel && $0.confidence >= threshold && $0.confidence > 0 }
        let isAsked = { (prediction: Prediction) in prediction.second != nil && prediction.confidence - prediction.secondConfidence < margin }
        let asked = confident.filter(isAsked)
        let answered = confident.filter { !isAsked($0) }
        clarifyRate = confident.isEmpty ? 0 : Double(asked.count) / Double(confident.count)
        answeredAccuracy = answered.isEmpty ? 0 : Double(answered.filter { $0.top == $0.truth }.count) / Double(answered.count)
        clarifyContainsTruth = asked.isEmpty ? nil
            : Double(asked.filter { $0.top == $0.truth || $0.second == $0.truth }.count) / Double(asked.count)
    }
}
