import Dispatch
import Foundation

/// A trained intent classifier: TF-IDF features of words, word pairs (adjacent
/// and one word apart) and in-word character n-grams, and one linear SVM per
/// intent (one against the rest), trained by dual coordinate descent as
/// LIBLINEAR does (Hsieh et al., 2008). Confidences are a softmax over the SVM
/// scores.
///
/// With a sentence encoder (`SentenceEmbedder`), each message's dense vector,
/// scaled by `Settings.denseWeight`, is joined to its sparse row as more
/// columns of the same linear model: the hybrid. The sparse block knows this
/// bot's words; the dense block knows what sentences mean, learnt from far
/// more text than a bot's examples, in 16 languages.
///
/// Training is deterministic: examples are visited in an order drawn from a
/// seeded generator, features are summed in a fixed order, and each intent's
/// SVM is independent of the others but for the order of the rows, which
/// the hybrid shares among the eight intents trained together; training
/// blocks in parallel changes nothing.
public struct LinearIntentClassifier: IntentRanker, ModelSizeReporting {
    public struct Settings: Hashable, Sendable {
        /// SVM cost: higher fits the training data more closely. 2 beat 1 on
        /// BANKING77 holdouts and in cross-validation on this bot's intents.
        public var cost: Double = 2.0
        /// Character n-gram lengths, within word boundaries.
        public var characterGrams: ClosedRange<Int> = 2...5
        /// How much the word block counts against the character block.
        public var wordWeight: Double = 1.0
        /// Stop when the largest projected-gradient gap falls below this (LIBLINEAR's eps).
        public var tolerance: Double = 0.1
        /// The most passes over the training data per intent, should the tolerance never be met.
        public var maxEpochs = 200
        /// Turns SVM scores into confidences: softmax(score × sharpness).
        public var sharpness: Double = 6
        /// Seeds the order in which training visits the examples.
        public var seed: UInt64 = 0
        /// Also pair each word with the one two places before it ("card not
        /// arrived" gives "card arrived"), besides the adjacent pairs.
        public var skipPairs = true
        /// Also pair every word with every other word of the message, in any
        /// order and at any distance ("card" and "arrived" in "when will the
        /// card I ordered have arrived"): what a message is about is often two
        /// words far apart. +0.4 points on BANKING77 (docs/BENCHMARKS.md).
        public var wordCombinations = true
        /// Word combinations are taken among this many distinct words at
        /// most, the first ones, so a long message costs no more than this.
        public var combinationWords = 32
        /// Word pairs found in fewer training examples than this are left out
        /// of the vocabulary: most pairs occur once, and with skip pairs they
        /// would make up half the model while adding no accuracy. Words and
        /// character n-grams are always kept, since on a small bot a word seen
        /// once can be what tells two intents apart.
        public var minimumPairFrequency = 2
        /// The length of the dense vector in a row whose sparse block has
        /// length 1, when there is a sentence encoder. 1 is best both in
        /// cross-validation of the bundled bot and on a holdout of BANKING77's
        /// training data (0.7 and 1.4 are a little worse, 2 and 3 clearly):
        /// docs/BENCHMARKS.md.
        public var denseWeight: Double = 1
        /// With the sentence encoder, how near a message is to the bot's
        /// examples (the cosine with its nearest example's vector) sets a
        /// floor under the words' coverage: none at `nearnessFloor`, full at
        /// `nearnessFull`. A message in words the bot never saw, but near its
        /// examples in meaning (the same request in Spanish, say), is not
        /// scaled down to nothing. 0.58 is the median nearness of the bundled
        /// bot's out-of-scope messages, 0.78 that of its examples to one
        /// another (docs/ENCODER.md); gibberish measures 0.33 to 0.54.
        public var nearnessFloor = 0.58
        public var nearnessFull = 0.78
        /// The dense block's weight grows with the words of the text, full
        /// from this many (and always full when 0): the vector of a word or
        /// two says little about what a customer wants, yet it made the
        /// hybrid sure of short messages the words rightly were not ("blue"
        /// as colours at 0.90 while a score was awaited, "definitely" as an
        /// acknowledgement at 0.97). At 4, 5 of the 15 transcripts that failed
        /// with the hybrid pass, and cross-validation and BANKING77 do not
        /// fall (docs/ENCODER.md). The same scale is used in training and in
        /// ranking (`denseEntries`).
        public var denseFullWords = 4
        /// Words, pairs and character n-grams: off only to measure the
        /// sentence encoder's vectors alone (`rapport eval --matcher encoder`).
        public var sparseFeatures = true

        public init() {}
    }

    public let intentNames: [String]
    public let settings: Settings
    /// Feature hash → column.
    let vocabulary: FeatureColumns
    let inverseFrequency: [Float]
    /// The weight of a feature no training example had: the rarest possible.
    let unseenFrequency: Float
    /// Feature-major weights: the intents' weights for column c are at
    /// c × S ..< c × S + K, where the stride S is K rounded up to a multiple of
    /// the SIMD width (the padding is zeros), so scoring adds whole vectors.
    let weights: [Float]
    let stride: Int
    let bias: [Float]
    /// The sentence encoder whose vectors are the dense block, if any: its
    /// columns follow the sparse features'.
    public let embedder: (any SentenceEmbedder)?
    var denseWidth: Int { embedder?.dimensions ?? 0 }
    /// The training examples' vectors, coded (none without an encoder):
    /// what a message's nearness to the bot's examples is measured against.
    let exampleVectors: ExampleVectors

    /// The number of features the model knows, and its size in bytes, for reports.
    public var featureCount: Int { inverseFrequency.count }
    public var modelBytes: Int {
        weights.count * 4 + inverseFrequency.count * 4 + vocabulary.bytes + bias.count * 4 + exampleVectors.bytes
    }

    /// Trains on the intents' examples. With an `embedder`, the examples'
    /// vectors are `exampleVectors` when given (from a cache, in the order of
    /// the examples), else encoded here, in parallel.
    public init(intents: [Intent], settings: Settings = Settings(), embedder: (any SentenceEmbedder)? = nil, exampleVectors: [[Float]]? = nil) {
        self.settings = settings
        self.embedder = embedder
        // An intent without examples is read by its patterns alone: no class of the classifier.
        let intents = intents.filter { !$0.examples.isEmpty }
        let classes = intents.map(\.name)
        intentNames = classes
        let texts = intents.flatMap { $0.examples }
        let labels = intents.enumerated().flatMap { index, intent in Array(repeating: index, count: intent.examples.count) }

        // Vocabulary and document frequencies, in first-seen order.
        var candidates: [UInt64: Int] = [:]
        var features: [UInt64] = []
        var documentFrequency: [Int] = []
        let rawRows = texts.map { Self.rawFeatures($0, settings: settings) }
        for row in rawRows {
            for (feature, _) in row {
                if let index = candidates[feature] {
                    documentFrequency[index] += 1
                } else {
                    candidates[feature] = features.count
                    features.append(feature)
                    documentFrequency.append(1)
                }
            }
        }
        // Rare word pairs are dropped; the columns keep first-seen order.
        var keptFeatures: [UInt64] = []
        var keptFrequency: [Int] = []
        for (feature, frequency) in zip(features, documentFrequency)
        where !Self.isWordPair(feature) || frequency >= settings.minimumPairFrequency {
            keptFeatures.append(feature)
            keptFrequency.append(frequency)
        }
        let vocabulary = FeatureColumns(keptFeatures)
        documentFrequency = keptFrequency
        let documents = Float(max(texts.count, 1))
        let inverseFrequency = documentFrequency.map { logf((1 + documents) / (1 + Float($0))) + 1 }
        self.vocabulary = vocabulary
        self.inverseFrequency = inverseFrequency
        self.unseenFrequency = logf(1 + documents) + 1

        // The training matrix, rows L2-normalised, in compressed sparse rows.
        var rowStart = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        for row in rawRows {
            for (column, value) in Self.weigh(row, vocabulary: vocabulary, inverseFrequency: inverseFrequency, wordWeight: Float(settings.wordWeight)).row {
                columns.append(column)
                values.append(value)
            }
            rowStart.append(columns.count)
        }
        var columnCount = inverseFrequency.count
        var keptVectors = ExampleVectors.none
        // The dense block, one row of `denseWidth` values an example, kept
        // apart from the sparse rows: training reads and updates it a whole
        // vector at a time, not an index at a time.
        var dense: [Float] = []
        var denseWidth = 0
        if let embedder {
            // Vectors from a cache are used only when there is one of the right length for each example.
            let dimensions = embedder.dimensions
            let usable = exampleVectors.map { $0.count == texts.count && $0.allSatisfy { $0.count == dimensions } } ?? false
            let vectors = usable ? (exampleVectors ?? []) : Self.embedAll(texts, with: embedder)
            keptVectors = ExampleVectors(vectors, dimensions: dimensions)
            dense.reserveCapacity(texts.count * dimensions)
            for (index, vector) in vectors.enumerated() {
                let weight = Self.denseScale(of: texts[index], settings: settings)
                // A vector shorter than the encoder's width (which the encoder
                // should never give) counts as zeros where it ends.
                for value in vector.prefix(dimensions) { dense.append(value * weight) }
                if vector.count < dimensions { dense += [Float](repeating: 0, count: dimensions - vector.count) }
            }
            denseWidth = dimensions
            columnCount += dimensions
        }
        let featureCount = columnCount
        let classCount = classes.count
        let stride = (classCount + Self.lanes - 1) / Self.lanes * Self.lanes
        var weights = [Float](repeating: 0, count: featureCount * stride)
        var bias = [Float](repeating: 0, count: classCount)
        let matrix = SparseRows(rowStart: rowStart, columns: columns, values: values,
                                dense: dense, denseWidth: denseWidth, denseFirst: inverseFrequency.count)
        weights.withUnsafeMutableBufferPointer { weightBuffer in
            bias.withUnsafeMutableBufferPointer { biasBuffer in
                let weightBase = UncheckedSendable(weightBuffer.baseAddress)
                let biasBase = UncheckedSendable(biasBuffer.baseAddress)
                let together = denseWidth > 0 ? Self.intentsTrainedTogether : 1
                DispatchQueue.concurrentPerform(iterations: (classCount + together - 1) / together) { block in
                    let positives = block * together..<min((block + 1) * together, classCount)
                    let trained = Self.trainOneVersusRest(matrix, labels: labels, positives: positives, featureCount: featureCount, settings: settings)
                    // Each intent writes only its own column of the feature-major table.
                    for (label, (w, b)) in zip(positives, trained) {
                        for column in 0..<featureCount { weightBase.value?[column * stride + label] = w[column] }
                        biasBase.value?[label] = b
                    }
                }
            }
        }
        self.weights = weights
        self.stride = stride
        self.bias = bias
        self.exampleVectors = keptVectors
    }

    /// A model read back from its parts (`ClassifierArchive`), which the
    /// caller has checked fit together.
    init(intentNames: [String], settings: Settings, vocabulary: FeatureColumns, inverseFrequency: [Float],
         unseenFrequency: Float, weights: [Float], stride: Int, bias: [Float], embedder: (any SentenceEmbedder)? = nil,
         exampleVectors: ExampleVectors = .none) {
        self.embedder = embedder
        self.exampleVectors = exampleVectors
        self.intentNames = intentNames
        self.settings = settings
        self.vocabulary = vocabulary
        self.inverseFrequency = inverseFrequency
        self.unseenFrequency = unseenFrequency
        self.weights = weights
        self.stride = stride
        self.bias = bias
    }

    /// Names how training works: part of a saved model's key, so a model
    /// trained another way is trained again rather than used. Raise it when
    /// training gives other weights for the same examples and settings
    /// (2: the hybrid's intents trained eight together).
    public static let trainingVersion: UInt32 = 2

    /// The SIMD width scoring works in.
    static let lanes = 8

    public func rank(_ message: String) -> [IntentCandidate] {
        rank(message, among: { _ in true })
    }

    /// The softmax is taken over the allowed intents only: a follow-up whose
    /// context is closed takes no share of the confidence from the others.
    public func rank(_ message: String, among allowed: (String) -> Bool) -> [IntentCandidate] {
        let classCount = intentNames.count
        guard classCount > 0 else { return [] }
        let (words, coverage) = Self.weigh(Self.rawFeatures(message, settings: settings),
                                           vocabulary: vocabulary, inverseFrequency: inverseFrequency, wordWeight: Float(settings.wordWeight),
                                           unseenFrequency: unseenFrequency)
        var row = words
        // Coverage is the words', with a floor from the message's nearness
        // to the examples when there is an encoder: the dense block itself
        // cannot count as known, since every message has a vector, gibberish
        // too (docs/ENCODER.md). With no words at all, `--matcher encoder`,
        // nothing scales it.
        var known = settings.sparseFeatures ? coverage * coverage : 1
        if let embedder {
            let vector = embedder.embed(message)
            row += Self.denseEntries(vector, of: message, dimensions: embedder.dimensions,
                                     first: inverseFrequency.count, settings: settings)
            // The floor can only raise what is below 1, so a message whose
            // words are all known skips the scan over every example.
            let floor = Float(settings.nearnessFloor), full = Float(settings.nearnessFull)
            if known < 1, full > floor {
                let near = min(max((exampleVectors.nearest(to: vector) - floor) / (full - floor), 0), 1)
                known = max(known, near * near)
            }
        }
        // Whole vectors of intents at a time, in the row's fixed order.
        let vectors = stride / Self.lanes
        var sums = [SIMD8<Float>](repeating: .zero, count: vectors)
        weights.withUnsafeBufferPointer { table in
            // A model with no features has no table, and nothing to add.
            guard let start = table.baseAddress else { return }
            let raw = UnsafeRawPointer(start)
            sums.withUnsafeMutableBufferPointer { sums in
                for (column, value) in row {
                    let base = raw + Int(column) * stride * MemoryLayout<Float>.stride
                    for vector in 0..<vectors {
                        let weights = base.loadUnaligned(fromByteOffset: vector * MemoryLayout<SIMD8<Float>>.stride, as: SIMD8<Float>.self)
                        sums[vector] += value * weights
                    }
                }
            }
        }
        var scores = bias
        for label in 0..<classCount { scores[label] += sums[label / Self.lanes][label % Self.lanes] }
        // Softmax, stable: a message with no known feature gets equal, low
        // confidences. Scaled by coverage: the model cannot be more sure of a
        // message than of the part of it that it knows.
        let sharpness = Float(settings.sharpness)
        let considered = intentNames.indices.filter { allowed(intentNames[$0]) }
        guard !considered.isEmpty else { return [] }
        let top = considered.map { scores[$0] }.max() ?? 0
        var exponentials = [Float](repeating: 0, count: classCount)
        var total: Float = 0
        for label in considered {
            exponentials[label] = expf((scores[label] - top) * sharpness)
            total += exponentials[label]
        }
        let scale = known / total
        let confidences = exponentials.map { Double($0 * scale) }
        // Most confident first; equal ones by name, so ties never depend on the order of the intents.
        let order = considered.sorted { a, b in
            confidences[a] != confidences[b] ? confidences[a] > confidences[b] : intentNames[a] < intentNames[b]
        }
        return order.map { IntentCandidate(intent: intentNames[$0], confidence: confidences[$0]) }
    }

    /// The vector of `text` as row entries: its `dimensions` values, scaled
    /// by `denseScale`, in the columns from `first` on. Training scales its
    /// dense rows by `denseScale` too, so the two cannot differ.
    static func denseEntries(_ vector: [Float], of text: String, dimensions: Int, first: Int, settings: Settings) -> [(Int32, Float)] {
        let weight = denseScale(of: text, settings: settings)
        return vector.prefix(dimensions).enumerated().map { (Int32(first + $0.offset), $0.element * weight) }
    }

    /// The length of `text`'s vector in its row: the dense weight, less for
    /// a text of fewer than `denseFullWords` words.
    static func denseScale(of text: String, settings: Settings) -> Float {
        var weight = Float(settings.denseWeight)
        if settings.denseFullWords > 0 {
            weight *= min(1, Float(TextNormalizer.tokens(text).count) / Float(settings.denseFullWords))
        }
        return weight
    }

    /// The vectors of `texts`, encoded on every core: encoding is most of
    /// what training a hybrid costs.
    public static func embedAll(_ texts: [String], with embedder: any SentenceEmbedder) -> [[Float]] {
        var vectors = [[Float]](repeating: [], count: texts.count)
        vectors.withUnsafeMutableBufferPointer { buffer in
            let base = UncheckedSendable(buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: texts.count) { index in
                // Each iteration writes only its own element.
                base.value?[index] = embedder.embed(texts[index])
            }
        }
        return vectors
    }

    // MARK: - features

    /// Hashed features with their counts: words, adjacent word pairs and, if
    /// asked, skip pairs and unordered combinations (block 0); character
    /// n-grams within "#word#" (block 1). The top bit of a hash carries the block; the next marks a word pair.
    ///
    /// Returned in the order the text gives them, each with its count: a fixed
    /// order that every later sum follows, so results never depend on
    /// dictionary order.
    static func rawFeatures(_ text: String, settings: Settings) -> [(hash: UInt64, count: Float)] {
        guard settings.sparseFeatures else { return [] }
        let characterGrams = settings.characterGrams
        let words = TextNormalizer.tokens(text)
        var hashes: [UInt64] = []
        hashes.reserveCapacity(words.count * 24)
        var previous: UInt64?, beforePrevious: UInt64?
        var distinctWords: [UInt64] = []
        for word in words {
            let bytes = Array(word.utf8)
            let wordHash = StableHash.fnv1a(bytes, seed: 0x77) & ~(blockBit | pairBit)
            hashes.append(wordHash)
            if let previous { hashes.append((fnv64Mix(previous, wordHash) | pairBit) & ~blockBit) }
            if settings.skipPairs, let beforePrevious {
                // A different first operand keeps "a _ b" apart from "a b".
                hashes.append((fnv64Mix(beforePrevious ^ skipPairSalt, wordHash) | pairBit) & ~blockBit)
            }
            beforePrevious = previous
            previous = wordHash
            if settings.wordCombinations, distinctWords.count < settings.combinationWords, !distinctWords.contains(wordHash) {
                distinctWords.append(wordHash)
            }
            let padded = [UInt8(ascii: "#")] + bytes + [UInt8(ascii: "#")]
            for length in characterGrams where length <= padded.count {
                for start in 0...(padded.count - length) {
                    hashes.append(StableHash.fnv1a(padded[start..<start + length], seed: UInt64(length)) | blockBit)
                }
            }
        }
        // Combinations: each unordered pair of distinct words once.
        distinctWords.sort()
        for (index, first) in distinctWords.enumerated() {
            for second in distinctWords[(index + 1)...] {
                hashes.append((fnv64Mix(first ^ combinationSalt, second) | pairBit) & ~blockBit)
            }
        }
        return counted(hashes)
    }

    /// Each distinct hash once with how often it came, in first-seen order.
    /// Counted in a small open-addressing table laid out as `FeatureColumns`
    /// is, not by sorting: this runs
    /// for every prediction, and a few hundred hashes sort slowly.
    private static func counted(_ hashes: [UInt64]) -> [(hash: UInt64, count: Float)] {
        let bits = FeatureColumns.tableBits(for: hashes.count)
        let capacity = 1 << bits
        let mask = capacity - 1
        // The position in `counted` plus one; zero is an empty slot.
        var slots = [Int32](repeating: 0, count: capacity)
        var counted: [(hash: UInt64, count: Float)] = []
        counted.reserveCapacity(hashes.count)
        for hash in hashes {
            var slot = FeatureColumns.slot(hash, shift: UInt64(64 - bits))
            while true {
                let entry = Int(slots[slot])
                if entry == 0 {
                    counted.append((hash, 1))
                    slots[slot] = Int32(counted.count)
                    break
                }
                if counted[entry - 1].hash == hash {
                    counted[entry - 1].count += 1
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        return counted
    }

    private static let blockBit: UInt64 = 1 << 63
    private static let pairBit: UInt64 = 1 << 62
    private static let skipPairSalt: UInt64 = 0x5555_5555_5555_5555
    private static let combinationSalt: UInt64 = 0x3C3C_3C3C_3C3C_3C3C

    /// Whether a feature hash is a word pair (adjacent, skip or combination), not a word or character n-gram.
    private static func isWordPair(_ feature: UInt64) -> Bool { feature & (blockBit | pairBit) == pairBit }

    /// Sublinear TF-IDF, each block L2-normalised, the word block scaled, in
    /// the order the features are given in. Every sum runs in that order: float sums must
    /// not depend on anything that can vary between runs.
    ///
    /// Features the model never saw are dropped from the row but measured:
    /// `coverage` is the share of the message's weight the model knows (each
    /// unseen feature at the weight of the rarest known one), from 0 for a
    /// message entirely new to the bot to 1 for one made of known features.
    static func weigh(_ counts: [(hash: UInt64, count: Float)], vocabulary: FeatureColumns, inverseFrequency: [Float], wordWeight: Float,
                      unseenFrequency: Float = 0) -> (row: [(Int32, Float)], coverage: Float) {
        var entries: [(column: Int32, value: Float, isCharacter: Bool, isPair: Bool)] = []
        entries.reserveCapacity(counts.count)
        var unseen: [(hash: UInt64, value: Float)] = []
        for (feature, count) in counts {
            guard let column = vocabulary[feature] else {
                unseen.append((feature, (1 + logf(count)) * unseenFrequency))
                continue
            }
            entries.append((column, (1 + logf(count)) * inverseFrequency[Int(column)], feature & blockBit != 0, isWordPair(feature)))
        }
        var wordNorm: Float = 0, characterNorm: Float = 0
        for entry in entries {
            if entry.isCharacter { characterNorm += entry.value * entry.value } else { wordNorm += entry.value * entry.value }
        }
        // Coverage counts words and character n-grams only: a new pair of
        // known words is not new content (and rare pairs are not kept at all).
        var knownWordNorm: Float = 0
        for entry in entries where !entry.isCharacter && !entry.isPair { knownWordNorm += entry.value * entry.value }
        var unseenWordNorm: Float = 0, unseenCharacterNorm: Float = 0
        for entry in unseen where !isWordPair(entry.hash) {
            if entry.hash & blockBit != 0 { unseenCharacterNorm += entry.value * entry.value } else { unseenWordNorm += entry.value * entry.value }
        }
        let wordScale = wordNorm > 0 ? wordWeight / wordNorm.squareRoot() : 0
        let characterScale = characterNorm > 0 ? 1 / characterNorm.squareRoot() : 0
        var row = entries.map { ($0.column, $0.value * ($0.isCharacter ? characterScale : wordScale)) }
        // One more normalisation, so every message has length 1 whatever its blocks.
        var total: Float = 0
        for (_, value) in row { total += value * value }
        total = total.squareRoot()
        if total > 0 { row = row.map { ($0.0, $0.1 / total) } }
        // The known share of each block's weight, blocks weighed as in the row.
        func share(_ known: Float, _ all: Float) -> Float { all > 0 ? known / all : 0 }
        let squaredWeight = wordWeight * wordWeight
        let blocks = (knownWordNorm + unseenWordNorm > 0 ? squaredWeight : 0) + (characterNorm + unseenCharacterNorm > 0 ? 1 : 0)
        let coverage = blocks > 0
            ? ((squaredWeight * share(knownWordNorm, knownWordNorm + unseenWordNorm) + share(characterNorm, characterNorm + unseenCharacterNorm)) / blocks).squareRoot()
            : 0
        return (row, coverage)
    }

    private static func fnv64Mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b | 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: - training

    /// The training matrix: sparse rows, and beside them a dense block of
    /// `denseWidth` values a row (none without an encoder) standing for the
    /// columns from `denseFirst` on.
    struct SparseRows: Sendable {
        let rowStart: [Int]
        let columns: [Int32]
        let values: [Float]
        var dense: [Float] = []
        var denseWidth = 0
        var denseFirst = 0
        var count: Int { rowStart.count - 1 }
    }

    /// How many intents `trainOneVersusRest` trains together, with the dense
    /// block: their weights stay in cache while each row is read once for
    /// all of them. On words alone, whose rows are short, training them
    /// together saved nothing measurable (BANKING77: 1.06 s alone, 1.13 s
    /// in eights), so each intent is trained alone there, exactly as before.
    static let intentsTrainedTogether = 8

    /// Intents `positives` each against the rest: an L2-loss linear SVM per
    /// intent, solved in the dual by coordinate descent with shrinking, as
    /// LIBLINEAR does (Hsieh et al., 2008). The bias is a constant feature.
    ///
    /// The intents share one pass over the rows, in one seeded order: a row
    /// is read from memory once and updates each intent's SVM in turn. Each
    /// SVM still has its own dual variables, shrinking and stopping test, so
    /// it is the SVM it would be alone; only the order of the examples
    /// differs. With the dense block (512 values a row, 16 MB for BANKING77)
    /// reading the rows was most of training's time. A row leaves the pass
    /// when every intent of the block has shrunk it away or is done, and all
    /// come back when one checks everything again; with one intent this is
    /// LIBLINEAR's own loop.
    static func trainOneVersusRest(
        _ matrix: SparseRows, labels: [Int], positives: Range<Int>, featureCount: Int, settings: Settings
    ) -> [(weights: [Float], bias: Float)] {
        let n = matrix.count
        let k = positives.count
        // At least one element, so the buffer always has a base address.
        var w = [Float](repeating: 0, count: max(k * featureCount, 1))
        var b = [Float](repeating: 0, count: k)
        guard n > 0, k > 0 else { return (0..<k).map { _ in ([Float](repeating: 0, count: featureCount), 0) } }
        let diagonal = Float(0.5 / settings.cost)
        let d = matrix.denseWidth
        var squaredNorms = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var sum: Float = 1 // the bias feature
            for index in matrix.rowStart[i]..<matrix.rowStart[i + 1] { sum += matrix.values[index] * matrix.values[index] }
            for index in i * d..<(i + 1) * d { sum += matrix.dense[index] * matrix.dense[index] }
            squaredNorms[i] = sum + diagonal
        }
        // Per intent: its dual variables, which rows it has shrunk away, whether it is done.
        var alpha = [Float](repeating: 0, count: k * n)
        var shrunk = [Bool](repeating: false, count: k * n)
        var shrunkCount = [Int](repeating: 0, count: k)
        var done = [Bool](repeating: false, count: k)
        // LIBLINEAR's shrinking bound: with an L2 loss alpha has no upper
        // bound, so only the largest projected gradient of the last pass matters.
        var projectedMaxOld = [Float](repeating: .infinity, count: k)
        var generator = SplitMix64(seed: settings.seed ^ UInt64(positives.lowerBound))
        // The rows some intent of the block still visits.
        var active = Array(0..<n)
        let tolerance = Float(settings.tolerance)
        matrix.columns.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
        matrix.dense.withUnsafeBufferPointer { dense in
        w.withUnsafeMutableBufferPointer { allWeights in
            guard let base = allWeights.baseAddress else { return }
            for _ in 0..<settings.maxEpochs {
                guard done.contains(false) else { break }
                active.shuffle(using: &generator)
                var projectedMax = [Float](repeating: -.infinity, count: k)
                var projectedMin = [Float](repeating: .infinity, count: k)
                var position = 0
                while position < active.count {
                    let i = active[position]
                    let start = matrix.rowStart[i], end = matrix.rowStart[i + 1]
                    let row = dense.baseAddress.map { $0 + i * d }
                    for j in 0..<k where !done[j] && !shrunk[j * n + i] {
                        let weights = base + j * featureCount
                        let y: Float = labels[i] == positives.lowerBound + j ? 1 : -1
                        var dot = b[j]
                        for index in start..<end { dot += values[index] * weights[Int(columns[index])] }
                        if d > 0, let row { dot += Self.dot(row, weights + matrix.denseFirst, count: d) }
                        let a = alpha[j * n + i]
                        let gradient = y * dot - 1 + diagonal * a
                        var projected: Float = 0
                        if a == 0 {
                            if gradient > projectedMaxOld[j] {
                                // Shrink: this example is far on the right side and stays out.
                                shrunk[j * n + i] = true
                                shrunkCount[j] += 1
                                continue
                            }
                            projected = min(gradient, 0)
                        } else {
                            projected = gradient
                        }
                        projectedMax[j] = max(projectedMax[j], projected)
                        projectedMin[j] = min(projectedMin[j], projected)
                        if abs(projected) > 1e-12 {
                            let updated = max(a - gradient / squaredNorms[i], 0)
                            alpha[j * n + i] = updated
                            let step = (updated - a) * y
                            for index in start..<end { weights[Int(columns[index])] += step * values[index] }
                            if d > 0, let row { Self.add(step, times: row, to: weights + matrix.denseFirst, count: d) }
                            b[j] += step
                        }
                    }
                    if (0..<k).allSatisfy({ done[$0] || shrunk[$0 * n + i] }) {
                        // No intent of the block visits this row until one checks everything again.
                        active.swapAt(position, active.count - 1)
                        active.removeLast()
                    } else {
                        position += 1
                    }
                }
                var checkAll = false
                for j in 0..<k where !done[j] {
                    if projectedMax[j] - projectedMin[j] <= tolerance {
                        if shrunkCount[j] == 0 {
                            done[j] = true
                        } else {
                            // Converged on the shrunk set: check everything once more.
                            for i in 0..<n { shrunk[j * n + i] = false }
                            shrunkCount[j] = 0
                            projectedMaxOld[j] = .infinity
                            checkAll = true
                        }
                        continue
                    }
                    projectedMaxOld[j] = projectedMax[j] <= 0 ? .infinity : projectedMax[j]
                }
                if checkAll { active = Array(0..<n) }
            }
        }
        }
        }
        }
        return (0..<k).map { j in (Array(w[j * featureCount..<(j + 1) * featureCount]), b[j]) }
    }

    /// `x · y` over `count` floats, eight lanes at a time, in a fixed order.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var first = SIMD8<Float>.zero, second = SIMD8<Float>.zero
        var index = 0
        while index + 16 <= count {
            first += UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
            second += UnsafeRawPointer(x + index + 8).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(y + index + 8).loadUnaligned(as: SIMD8<Float>.self)
            index += 16
        }
        var sum = (first + second).sum()
        while index < count {
            sum += x[index] * y[index]
            index += 1
        }
        return sum
    }

    /// `y += a × x` over `count` floats.
    @inline(__always)
    static func add(_ a: Float, times x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            let sum = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
                + a * UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + index).storeBytes(of: sum, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            y[index] += a * x[index]
            index += 1
        }
    }
}

/// Lets a buffer's base address cross into `concurrentPerform`, where each
/// iteration writes only its own elements.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
