import Foundation

/// What the bot's classifier is trained on: the intents with their examples,
/// read as the ranker reads messages (`RankerReading`), and the classifier's
/// settings. Its `key` names exactly this input, so a model saved under the
/// key can stand in for training on it.
///
/// The key is worked out from the examples as written and the entity types
/// that reading masks, not from the reading forms: finding the entities in
/// every example costs more than reading a saved model, and is left to
/// `train()`.
public struct TrainingSet: Sendable {
    /// The intents with examples (the classes), their examples as written.
    public let intents: [Intent]
    public let reading: RankerReading
    public let settings: LinearIntentClassifier.Settings
    /// The sentence encoder whose vectors join the words (the hybrid), or nil.
    public let embedder: (any SentenceEmbedder)?
    /// A digest of the intents' names and examples, the entity types, the
    /// settings, the sentence encoder and the archive format: what a saved
    /// model is looked up by.
    public let key: ModelKey

    public init(intents: [Intent], reading: RankerReading = .asWritten, settings: LinearIntentClassifier.Settings = .init(),
                embedder: (any SentenceEmbedder)? = nil) {
        // An intent without examples is read by its patterns alone: no class, and nothing of the saved model.
        let intents = intents.filter { !$0.examples.isEmpty }
        self.intents = intents
        self.reading = reading
        self.settings = settings
        self.embedder = embedder
        var digest = ArchiveDigest()
        digest.add(ClassifierArchive.formatVersion)
        digest.add(LinearIntentClassifier.trainingVersion)
        digest.add(TextNormalizer.version)
        digest.add(settings)
        digest.add(embedder.map { "\($0.dimensions) \($0.identity)" } ?? "no sentence encoder")
        digest.add(UInt64(intents.count))
        for intent in intents {
            digest.add(intent.name)
            digest.add(UInt64(intent.examples.count))
            for example in intent.examples { digest.add(example) }
        }
        digest.add(reading.types)
        key = digest.key
    }

    /// What `bot`'s engine trains on: its intents, read with its entities.
    public init(bot: Bot, embedder: (any SentenceEmbedder)? = nil) {
        self.init(intents: bot.intents, reading: RankerReading(bot: bot), embedder: embedder)
    }

    /// The examples in their reading forms, in training order: what the
    /// classifier is trained on, and what the encoder's vectors are of.
    public var readingForms: [Intent] { reading.readingForms(of: intents) }

    /// Trains the classifier on this set: what a missing or stale saved model
    /// costs. `exampleVectors`, when given, are the encoder's vectors of the
    /// examples in reading form, in order (from a cache).
    public func train(exampleVectors: [[Float]]? = nil) -> LinearIntentClassifier {
        LinearIntentClassifier(intents: readingForms, settings: settings, embedder: embedder, exampleVectors: exampleVectors)
    }
}

/// 128 bits naming a training set; its text is 32 hexadecimal digits, used as a file name.
public struct ModelKey: Hashable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public var description: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}

/// Why a saved model was not used: it is then trained again and replaced.
public enum ArchiveProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file does not start as a rapport model does.
    case notAModel
    /// Written by a rapport with another model format.
    case otherFormat(UInt32)
    /// Trained on other examples or settings.
    case otherTrainingSet
    /// Shorter or longer than its header says, or its checksum does not match.
    case damaged(String)
    /// It reads, but its parts do not fit the training set or each other.
    case inconsistent(String)
    /// Its predictions differ from those it was saved with: written by a
    /// rapport whose features differ, or altered.
    case predictsDifferently(example: String)

    public var description: String {
        switch self {
        case .notAModel: "not a rapport model file"
        case .otherFormat(let version): "model format \(version), not \(ClassifierArchive.formatVersion)"
        case .otherTrainingSet: "trained on other examples or settings"
        case .damaged(let what): "damaged: \(what)"
        case .inconsistent(let what): "inconsistent: \(what)"
        case .predictsDifferently(let example): "its prediction for \"\(example)\" differs from the one it was saved with"
        }
    }
}

/// A trained `LinearIntentClassifier` as bytes, and back: so a bot is trained
/// once and loaded in milliseconds afterwards.
///
/// The layout, all integers and floats little-endian:
///
///     "RAPPORTM"  format u32  reserved u32  key (2 × u64)  payload length u64  payload checksum u64
///     payload: settings, intent names, features, inverse frequencies, the
///     unseen frequency, the dense block's width (the sentence encoder's
///     dimensions, 0 without one), the weight stride, weights (features',
///     then the dense block's), biases, the number of example vectors,
///     their scales (f32) and their codes (i16 × the width; none without an
///     encoder: `ExampleVectors`), probes
///
/// A file is checked, never trusted: every length is bounded by the bytes
/// that are there, the checksum covers the payload, the parts must fit the
/// training set and each other, and the model must predict the probes
/// (one example of each intent) exactly as it did when it was saved.
/// Anything else is an `ArchiveProblem`, never a trap.
public enum ClassifierArchive {
    /// Bump whenever the model's parts or the way features are computed
    /// change: a model saved by another format is trained again. The probes
    /// catch a change of features that forgot to bump it.
    public static let formatVersion: UInt32 = 5
    static let magic = Array("RAPPORTM".utf8)
    static let headerSize = 8 + 4 + 4 + 16 + 8 + 8
    /// At most this many probes: one example each of evenly spread intents.
    /// A model whose features or weights differ gives a different confidence
    /// on nearly every message, so a few catch it; each costs a prediction at start.
    static let probeLimit = 24

    /// The classifier trained on `set`, as the bytes of a model file.
    public static func encode(_ classifier: LinearIntentClassifier, trainedOn set: TrainingSet) -> [UInt8] {
        var payload = ByteWriter()
        payload.write(classifier.settings)
        payload.write(UInt32(classifier.intentNames.count))
        for name in classifier.intentNames { payload.write(name) }
        let features = classifier.vocabulary.featuresInColumnOrder
        payload.write(UInt32(features.count))
        payload.write(features)
        payload.write(classifier.inverseFrequency)
        payload.write(classifier.unseenFrequency)
        payload.write(UInt32(classifier.denseWidth))
        payload.write(UInt32(classifier.stride))
        payload.write(classifier.weights)
        payload.write(classifier.bias)
        payload.write(UInt32(classifier.exampleVectors.count))
        payload.write(classifier.exampleVectors.scales)
        payload.write(classifier.exampleVectors.codes)
        let probes = probes(of: set)
        payload.write(UInt32(probes.count))
        for probe in probes {
            let top = classifier.rank(probe.text).first
            payload.write(UInt32(probe.intent))
            payload.write(UInt32(top.flatMap { classifier.intentNames.firstIndex(of: $0.intent) } ?? Int(UInt32.max)))
            payload.write((top?.confidence ?? -1).bitPattern)
        }
        var file = ByteWriter()
        file.bytes += magic
        file.write(formatVersion)
        file.write(UInt32(0))
        file.write(set.key.high)
        file.write(set.key.low)
        file.write(UInt64(payload.bytes.count))
        file.write(checksum(payload.bytes[...]))
        file.bytes += payload.bytes
        return file.bytes
    }

    /// Reads back a classifier that `encode` wrote for `set`, or says why it cannot be used.
    public static func decode(_ bytes: [UInt8], for set: TrainingSet) -> Result<LinearIntentClassifier, ArchiveProblem> {
        do {
            return .success(try read(bytes, for: set))
        } catch let problem as ArchiveProblem {
            return .failure(problem)
        } catch {
            return .failure(.damaged("\(error)"))
        }
    }

    private static func read(_ bytes: [UInt8], for set: TrainingSet) throws -> LinearIntentClassifier {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { throw ArchiveProblem.notAModel }
        var header = ByteReader(bytes[8..<headerSize])
        let version: UInt32 = try header.read()
        guard version == formatVersion else { throw ArchiveProblem.otherFormat(version) }
        guard try header.read() as UInt32 == 0 else { throw ArchiveProblem.damaged("a reserved field is not zero") }
        let key = ModelKey(high: try header.read(), low: try header.read())
        guard key == set.key else { throw ArchiveProblem.otherTrainingSet }
        let length: UInt64 = try header.read()
        let expectedChecksum: UInt64 = try header.read()
        guard length == UInt64(bytes.count - headerSize) else {
            throw ArchiveProblem.damaged("\(bytes.count - headerSize) bytes of model where the header says \(length)")
        }
        let payloadBytes = bytes[headerSize...]
        guard checksum(payloadBytes) == expectedChecksum else { throw ArchiveProblem.damaged("the checksum does not match") }

        var payload = ByteReader(payloadBytes)
        let settings: LinearIntentClassifier.Settings = try payload.readSettings()
        guard settings == set.settings else { throw ArchiveProblem.inconsistent("saved with other settings") }
        let classCount = Int(try payload.read() as UInt32)
        var names: [String] = []
        for _ in 0..<min(classCount, payload.remaining) { names.append(try payload.readString()) }
        guard names == set.intents.map(\.name) else { throw ArchiveProblem.inconsistent("its intents are not the bot's") }
        let featureCount = Int(try payload.read() as UInt32)
        let features: [UInt64] = try payload.readArray(count: featureCount)
        guard let vocabulary = FeatureColumns(checking: features) else { throw ArchiveProblem.inconsistent("a feature is listed twice") }
        let inverseFrequency: [Float] = try payload.readArray(count: featureCount)
        let unseenFrequency: Float = try payload.read()
        let denseWidth = Int(try payload.read() as UInt32)
        guard denseWidth == set.embedder?.dimensions ?? 0 else {
            throw ArchiveProblem.inconsistent("\(denseWidth) dense columns where the sentence encoder gives \(set.embedder?.dimensions ?? 0)")
        }
        let stride = Int(try payload.read() as UInt32)
        let lanes = LinearIntentClassifier.lanes
        guard stride == (classCount + lanes - 1) / lanes * lanes else {
            throw ArchiveProblem.inconsistent("a weight stride of \(stride) for \(classCount) intents")
        }
        let (weightCount, overflow) = (featureCount + denseWidth).multipliedReportingOverflow(by: stride)
        guard !overflow else { throw ArchiveProblem.inconsistent("too many weights") }
        let weights: [Float] = try payload.readArray(count: weightCount)
        let bias: [Float] = try payload.readArray(count: classCount)
        let exampleCount = Int(try payload.read() as UInt32)
        guard denseWidth > 0 || exampleCount == 0 else { throw ArchiveProblem.inconsistent("example vectors without a sentence encoder") }
        let (vectorCount, vectorOverflow) = exampleCount.multipliedReportingOverflow(by: denseWidth)
        guard !vectorOverflow else { throw ArchiveProblem.inconsistent("too many example vectors") }
        let scales: [Float] = try payload.readArray(count: exampleCount)
        guard allFinite(scales) else { throw ArchiveProblem.inconsistent("an example vector is not finite") }
        let codes: [Int16] = try payload.readArray(count: vectorCount)
        let bound = ExampleVectors.largestCode
        guard codes.allSatisfy({ $0 >= -bound && $0 <= bound }) else {
            throw ArchiveProblem.inconsistent("an example vector's codes are out of range")
        }
        let exampleVectors = ExampleVectors(dimensions: denseWidth, codes: codes, scales: scales)
        guard unseenFrequency.isFinite, allFinite(inverseFrequency), allFinite(bias), allFinite(weights) else {
            throw ArchiveProblem.inconsistent("a weight is not a finite number")
        }
        let classifier = LinearIntentClassifier(
            intentNames: names, settings: settings, vocabulary: vocabulary, inverseFrequency: inverseFrequency,
            unseenFrequency: unseenFrequency, weights: weights, stride: stride, bias: bias, embedder: set.embedder,
            exampleVectors: exampleVectors)

        let probes = probes(of: set)
        guard Int(try payload.read() as UInt32) == probes.count else { throw ArchiveProblem.inconsistent("another number of probes") }
        for probe in probes {
            let intent = Int(try payload.read() as UInt32)
            let expectedTop = try payload.read() as UInt32
            let expectedConfidence = Double(bitPattern: try payload.read())
            guard intent == probe.intent else { throw ArchiveProblem.inconsistent("probes of other intents") }
            let top = classifier.rank(probe.text).first
            let topIndex = top.flatMap { names.firstIndex(of: $0.intent) }.map(UInt32.init) ?? .max
            guard topIndex == expectedTop, (top?.confidence ?? -1).bitPattern == expectedConfidence.bitPattern else {
                throw ArchiveProblem.predictsDifferently(example: probe.text)
            }
        }
        guard payload.remaining == 0 else { throw ArchiveProblem.damaged("\(payload.remaining) bytes left over") }
        return classifier
    }

    /// Whether every value is a finite number, by its exponent bits: this
    /// runs over every weight of a model, millions of them, at each start.
    private static func allFinite(_ values: [Float]) -> Bool {
        values.withUnsafeBufferPointer { buffer in
            var special: UInt32 = 0
            for value in buffer { special |= ~value.bitPattern & 0x7F80_0000 == 0 ? 1 : 0 }
            return special == 0
        }
    }

    /// One example each of at most `probeLimit` intents, spread evenly.
    private static func probes(of set: TrainingSet) -> [(intent: Int, text: String)] {
        let classes = Array(set.intents.indices)  // (every one has examples: `TrainingSet` keeps no other)
        let step = max(1, (classes.count + probeLimit - 1) / probeLimit)
        return Swift.stride(from: 0, to: classes.count, by: step).map { position in
            let intent = classes[position]
            return (intent, set.reading.readingForm(of: set.intents[intent].examples[0]))
        }
    }

    /// A 64-bit checksum of the payload, eight bytes at a time: a damaged
    /// or cut file is caught before its parts are read.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
            var offset = 0
            while offset + 8 <= raw.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
                hash ^= hash >> 29
                offset += 8
            }
            while offset < raw.count {
                hash = (hash ^ UInt64(raw[offset])) &* 0x0000_0100_0000_01B3
                offset += 1
            }
            return hash ^ (hash >> 32)
        }
    }
}

/// Little-endian values appended to bytes.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func write<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    mutating func write(_ value: Float) { write(value.bitPattern) }
    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ text: String) {
        let utf8 = Array(text.utf8)
        write(UInt32(utf8.count))
        bytes += utf8
    }

    mutating func write<Value: BitwiseCopyable>(_ values: [Value]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes += $0 }
        #else
        #error("model files are written little-endian; add byte swapping for this platform")
        #endif
    }

    mutating func write(_ settings: LinearIntentClassifier.Settings) {
        write(settings.cost)
        write(Int64(settings.characterGrams.lowerBound))
        write(Int64(settings.characterGrams.upperBound))
        write(settings.wordWeight)
        write(settings.tolerance)
        write(Int64(settings.maxEpochs))
        write(settings.sharpness)
        write(settings.seed)
        write(UInt8(settings.skipPairs ? 1 : 0))
        write(UInt8(settings.wordCombinations ? 1 : 0))
        write(Int64(settings.combinationWords))
        write(Int64(settings.minimumPairFrequency))
        write(settings.denseWeight)
        write(UInt8(settings.sparseFeatures ? 1 : 0))
        write(settings.nearnessFloor)
        write(settings.nearnessFull)
        write(Int64(settings.denseFullWords))
    }
}

/// Reads little-endian values, each bounded by the bytes that are there.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - offset }

    private mutating func take(_ count: Int) throws(ArchiveProblem) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw .damaged("cut short") }
        defer { offset += count }
        return offset..<offset + count
    }

    mutating func read<Value: FixedWidthInteger>() throws(ArchiveProblem) -> Value {
        let range = try take(MemoryLayout<Value>.size)
        return bytes[range].withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(as: Value.self)) }
    }

    mutating func read() throws(ArchiveProblem) -> Float { Float(bitPattern: try read()) }
    mutating func read() throws(ArchiveProblem) -> Double { Double(bitPattern: try read()) }

    mutating func readString() throws(ArchiveProblem) -> String {
        let count = Int(try read() as UInt32)
        let range = try take(count)
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw .damaged("a name is not UTF-8") }
        return text
    }

    mutating func readArray<Value: BitwiseCopyable>(count: Int) throws(ArchiveProblem) -> [Value] {
        let (size, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Value>.stride)
        guard !overflow else { throw .damaged("cut short") }
        let range = try take(size)
        return bytes[range].withUnsafeBytes { raw in
            [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
                if size > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw) }
                initialized = count
            }
        }
    }

    mutating func readSettings() throws(ArchiveProblem) -> LinearIntentClassifier.Settings {
        var settings = LinearIntentClassifier.Settings()
        settings.cost = try read()
        let low = try read() as Int64, high = try read() as Int64
        guard low >= 1, low <= high, high <= 64 else { throw .inconsistent("character gram lengths \(low)...\(high)") }
        settings.characterGrams = Int(low)...Int(high)
        settings.wordWeight = try read()
        settings.tolerance = try read()
        settings.maxEpochs = Int(clamping: try read() as Int64)
        settings.sharpness = try read()
        settings.seed = try read()
        settings.skipPairs = try read() as UInt8 != 0
        settings.wordCombinations = try read() as UInt8 != 0
        settings.combinationWords = Int(clamping: try read() as Int64)
        settings.minimumPairFrequency = Int(clamping: try read() as Int64)
        settings.denseWeight = try read()
        settings.sparseFeatures = try read() as UInt8 != 0
        settings.nearnessFloor = try read()
        settings.nearnessFull = try read()
        settings.denseFullWords = Int(clamping: try read() as Int64)
        return settings
    }
}

/// A 128-bit digest built from two differently seeded 64-bit streams: names
/// a training set, not a defence against someone forging one (a model file
/// is checked by its probes anyway).
struct ArchiveDigest {
    private var first: UInt64 = 0xCBF2_9CE4_8422_2325
    private var second: UInt64 = 0x6C62_272E_07BB_0142

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte) ^ (second >> 29)) &* 0xFF51_AFD7_ED55_8CCD
        }
    }

    mutating func add<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { add($0) }
    }

    /// A string with its length first, so "ab" + "c" differs from "a" + "bc".
    mutating func add(_ text: String) {
        add(UInt64(text.utf8.count))
        add(text.utf8)
    }

    mutating func add(_ settings: LinearIntentClassifier.Settings) {
        var writer = ByteWriter()
        writer.write(settings)
        add(writer.bytes)
    }

    /// Everything about the entity types that decides how examples are read:
    /// names and how each is recognised (not where it was declared).
    mutating func add(_ types: [EntityType]) {
        add(UInt64(types.count))
        for type in types {
            add(type.name)
            switch type.recognizer {
            case .pattern(let source, let template, let normalization):
                add(UInt8(1))
                add(source)
                add(template ?? "\u{0}none")
                add(normalization.rawValue)
            case .list(let values):
                add(UInt8(2))
                add(UInt64(values.count))
                for value in values {
                    add(value.value)
                    add(UInt64(value.synonyms.count))
                    value.synonyms.forEach { add($0) }
                }
            case .date(let dayFirst):
                add(UInt8(3))
                add(UInt8(dayFirst ? 1 : 0))
            case .amount:
                add(UInt8(4))
            }
            // Lookalike digits change how examples read ("HP-1O442"); added only
            // when declared, so the key of a bot without them is unchanged.
            if !type.digitLookalikes.isEmpty {
                add(UInt8(5))
                for (letter, digit) in type.digitLookalikes.sorted(by: { $0.key < $1.key }) {
                    add(String(letter))
                    add(String(digit))
                }
            }
        }
    }

    var key: ModelKey { ModelKey(high: first, low: second) }
}
