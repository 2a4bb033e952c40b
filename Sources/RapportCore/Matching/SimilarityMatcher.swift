import Foundation

/// A first intent ranker: TF-IDF vectors of words, word pairs and character
/// trigrams, scored against each example; an intent's confidence is the cosine
/// similarity of its closest example.
///
/// Character trigrams (within word boundaries) make it tolerant of typos
/// ("ordr" still shares "#or" and "ord" with "order"). Training is one pass over
/// the examples and fully deterministic.
public struct SimilarityMatcher: IntentRanker {
    private struct Example: Sendable {
        var intent: Int
        var vector: SparseVector
    }

    private let intentNames: [String]
    private let vocabulary: [String: Int]
    private let inverseFrequency: [Double]
    /// Weight given to a feature the training data never saw: rare by definition.
    private let unseenWeight: Double
    private let examples: [Example]
    /// For each feature, the examples containing it: scoring touches only those.
    private let postings: [[Int]]

    public init(intents: [Intent]) {
        var vocabulary: [String: Int] = [:]
        var documentFrequency: [Int] = []
        var counted: [(intent: Int, features: [Int: Double])] = []
        for (intentIndex, intent) in intents.enumerated() {
            for example in intent.examples {
                var features: [Int: Double] = [:]
                for (feature, weight) in Self.features(of: example) {
                    let id: Int
                    if let known = vocabulary[feature] {
                        id = known
                    } else {
                        id = documentFrequency.count
                        vocabulary[feature] = id
                        documentFrequency.append(0)
                    }
                    if features[id] == nil { documentFrequency[id] += 1 }
                    features[id, default: 0] += weight
                }
                counted.append((intentIndex, features))
            }
        }
        let documents = Double(max(counted.count, 1))
        let inverseFrequency = documentFrequency.map { log((documents + 1) / (Double($0) + 1)) + 1 }
        var postings = Array(repeating: [Int](), count: documentFrequency.count)
        var examples: [Example] = []
        for (exampleIndex, entry) in counted.enumerated() {
            let vector = SparseVector(entry.features.map { ($0.key, $0.value * inverseFrequency[$0.key]) })
            for (id, _) in vector.entries { postings[id].append(exampleIndex) }
            examples.append(Example(intent: entry.intent, vector: vector))
        }
        self.intentNames = intents.map(\.name)
        self.vocabulary = vocabulary
        self.inverseFrequency = inverseFrequency
        self.unseenWeight = log(documents + 1) + 1
        self.examples = examples
        self.postings = postings
    }

    public func rank(_ message: String) -> [IntentCandidate] {
        var entries: [(Int, Double)] = []
        var unseenSquares = 0.0
        for (feature, count) in Self.features(of: message) {
            if let id = vocabulary[feature] {
                entries.append((id, count * inverseFrequency[id]))
            } else {
                let weight = count * unseenWeight
                unseenSquares += weight * weight
            }
        }
        let query = SparseVector(entries)
        // Unknown words count in the message's length, so a message that is
        // mostly unknown to the bot gets a low confidence.
        let queryNorm = (query.squaredNorm + unseenSquares).squareRoot()
        var best = Array(repeating: 0.0, count: intentNames.count)
        if queryNorm > 0 {
            var dots: [Int: Double] = [:]
            for (id, weight) in query.entries {
                for exampleIndex in postings[id] {
                    dots[exampleIndex, default: 0] += weight * examples[exampleIndex].vector.weight(of: id)
                }
            }
            for (exampleIndex, dot) in dots {
                let example = examples[exampleIndex]
                let cosine = dot / (queryNorm * example.vector.norm)
                if cosine > best[example.intent] { best[example.intent] = min(cosine, 1) }
            }
        }
        return zip(intentNames, best)
            .map { IntentCandidate(intent: $0, confidence: $1) }
            .sorted { ($0.confidence, $1.intent) > ($1.confidence, $0.intent) }
    }

    /// Word unigrams, word pairs and in-word character trigrams, with their
    /// counts, sorted by feature: every sum over them runs in the same order on
    /// every run, so scores are identical to the last bit.
    static func features(of text: String) -> [(String, Double)] {
        let words = TextNormalizer.tokens(text)
        var features: [String: Double] = [:]
        for word in words {
            features["w:" + word, default: 0] += 1
            let padded = Array("#" + word + "#")
            if padded.count >= 3 {
                for start in 0...(padded.count - 3) {
                    features["c:" + String(padded[start..<start + 3]), default: 0] += 0.5
                }
            }
        }
        if words.count > 1 {
            for index in 0..<(words.count - 1) {
                features["b:" + words[index] + " " + words[index + 1], default: 0] += 1
            }
        }
        return features.sorted { $0.key < $1.key }
    }
}

/// A sparse vector over feature ids, kept sorted for lookups.
struct SparseVector: Sendable {
    private(set) var entries: [(Int, Double)]
    private var index: [Int: Double]
    let squaredNorm: Double
    var norm: Double { squaredNorm.squareRoot() }

    init(_ entries: [(Int, Double)]) {
        let sorted = entries.sorted { $0.0 < $1.0 }
        self.entries = sorted
        self.index = Dictionary(sorted, uniquingKeysWith: +)
        self.squaredNorm = sorted.reduce(0) { $0 + $1.1 * $1.1 }
    }

    func weight(of id: Int) -> Double { index[id] ?? 0 }
}
