import Foundation
import RapportCore
import Synchronization
import Testing
@testable import RapportModelCache

/// A stand-in for the sentence encoder in these tests of saving and caching:
/// words hashed into 16 dimensions, unit length, and a count of the texts it
/// was asked to encode. (The real encoder is tested against the Python
/// package in RapportEncoderTests, and run as a process in EncoderCommandTests.)
final class CountingEmbedder: SentenceEmbedder {
    let identity: String
    let dimensions = 16
    /// Mixed into the word hashes: another salt gives other vectors.
    let salt: UInt64
    private let encoded = Mutex(0)

    init(identity: String = "test-embedder 1", salt: UInt64 = 0) {
        self.identity = identity
        self.salt = salt
    }

    var encodedCount: Int { encoded.withLock { $0 } }

    func embed(_ text: String) -> [Float] {
        encoded.withLock { $0 += 1 }
        var vector = [Float](repeating: 0, count: dimensions)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ salt
            for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            vector[Int(hash % UInt64(dimensions))] += 1
        }
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }
}

/// Gives chosen texts chosen vectors: here a Spanish request lands on its
/// English example, and gibberish far from everything.
struct TableEmbedder: SentenceEmbedder {
    let identity = "table-embedder"
    let dimensions = 4
    let table: [String: [Float]]

    func embed(_ text: String) -> [Float] { table[text] ?? [0, 0, 0, 1] }
}

@Suite("The hybrid: saved with its encoder, examples' vectors cached")
struct HybridModelCacheTests {
    /// The intents and messages of the words' cache tests.
    static let intents = ModelCacheTests.set.intents
    static let messages = ModelCacheTests.messages
    typealias Folder = ModelCacheTests.Folder

    /// Vectors for the examples of `intents`: each intent's near one axis.
    static let exampleVectors: [String: [Float]] = [
        "where is my order": [1, 0, 0, 0], "track my parcel": [0.9, 0.436, 0, 0], "has my order shipped": [0.95, 0.312, 0, 0],
        "how much is delivery": [0, 1, 0, 0], "is shipping free": [0, 0.9, 0.436, 0], "delivery charges": [0, 0.95, 0.312, 0],
        "hi": [0, 0, 1, 0], "hello": [0, 0.2, 0.98, 0], "good morning": [0, 0.1, 0.995, 0],
    ]

    @Test func aHybridModelIsReadBackAndPredictsAsTrained() {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        let embedder = CountingEmbedder()
        let set = TrainingSet(intents: Self.intents, embedder: embedder)
        let (trained, first) = cache.classifier(for: set)
        guard case .trained(nil, _, nil) = first else { Issue.record("\(first)"); return }
        let (loaded, second) = cache.classifier(for: set)
        #expect(second == .loaded(path: cache.path(for: set.key)))
        for message in Self.messages { #expect(loaded.rank(message) == trained.rank(message)) }
        #expect(loaded.embedder?.identity == embedder.identity)
    }

    /// The dense block changes what is predicted: the hybrid is not the words' model under another name.
    @Test func theDenseBlockCounts() {
        let words = TrainingSet(intents: Self.intents).train()
        let hybrid = TrainingSet(intents: Self.intents, embedder: CountingEmbedder()).train()
        #expect(Self.messages.contains { words.rank($0) != hybrid.rank($0) })
    }

    /// `--matcher encoder`: with no words, the vector alone decides, at full confidence scale.
    @Test func theVectorsAloneStillAnswer() {
        var settings = LinearIntentClassifier.Settings()
        settings.sparseFeatures = false
        let classifier = TrainingSet(intents: Self.intents, settings: settings, embedder: CountingEmbedder()).train()
        let top = classifier.rank("where is my order").first
        #expect(top?.intent == "order_status")
        #expect((top?.confidence ?? 0) > 0.5)
    }

    /// A message in words the bot never saw, near an example in meaning, is
    /// not scaled down to nothing; one near nothing still is.
    @Test func nearnessToTheExamplesSetsAFloorUnderTheWordsCoverage() {
        let embedder = TableEmbedder(table: Self.exampleVectors.merging(["dónde está mi pedido": [0.99, 0.141, 0, 0]]) { $1 })
        let hybrid = TrainingSet(intents: Self.intents, embedder: embedder).train()
        let spanish = hybrid.rank("dónde está mi pedido").first
        #expect(spanish?.intent == "order_status")
        #expect((spanish?.confidence ?? 0) > 0.5, "\(String(describing: spanish))")
        // Gibberish: no word known, and its vector near no example.
        #expect((hybrid.rank("blorp zingle").first?.confidence ?? 1) < 0.05)
        // Without the floor (its two bounds equal), the Spanish request falls
        // below any threshold a bot would use.
        var settings = LinearIntentClassifier.Settings()
        settings.nearnessFull = settings.nearnessFloor
        let noFloor = TrainingSet(intents: Self.intents, settings: settings, embedder: embedder).train()
        #expect((noFloor.rank("dónde está mi pedido").first?.confidence ?? 1) < 0.1)
    }

    /// The vector of a word or two says little about a request: a one-word
    /// message is not as sure as a sentence with the same vector, unless the
    /// dense block always counts in full (`denseFullWords` 0).
    @Test func aShortMessagesVectorCountsForLess() {
        let greeting: [Float] = [0, 0, 1, 0]
        // Words the bot never saw, with a greeting's vector ("hi"'s).
        let embedder = TableEmbedder(table: Self.exampleVectors.merging(["definitely": greeting, "zorp blick flum wex": greeting]) { $1 })
        func confidences(fullFrom words: Int) -> (short: Double, long: Double) {
            var settings = LinearIntentClassifier.Settings()
            settings.denseFullWords = words
            let hybrid = TrainingSet(intents: Self.intents, settings: settings, embedder: embedder).train()
            let short = hybrid.rank("definitely").first, long = hybrid.rank("zorp blick flum wex").first
            #expect(short?.intent == "greet" && long?.intent == "greet")
            return (short?.confidence ?? 0, long?.confidence ?? 0)
        }
        // Doubt, 1 - confidence: several times the sentence's for the one word;
        // about the same when the block counts in full.
        let scaled = confidences(fullFrom: 4)
        #expect(1 - scaled.short > 5 * (1 - scaled.long), "\(scaled)")
        let full = confidences(fullFrom: 0)
        #expect(1 - full.short < 2 * (1 - full.long), "\(full)")
        #expect(LinearIntentClassifier.Settings().denseFullWords == 4)
    }

    @Test func aModelOfAnotherEncoderOrOfNoneIsNotUsed() {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        let set = TrainingSet(intents: Self.intents, embedder: CountingEmbedder(identity: "encoder A"))
        _ = cache.classifier(for: set)
        let other = TrainingSet(intents: Self.intents, embedder: CountingEmbedder(identity: "encoder B"))
        let none = TrainingSet(intents: Self.intents)
        #expect(Set([set.key, other.key, none.key]).count == 3)
        // Even under the set's own key (a file copied over, or a key that
        // collides), a model of another encoder is refused: by its dense
        // width, or by its probes when the widths agree.
        let bytes = [UInt8](FileManager.default.contents(atPath: cache.path(for: set.key)) ?? Data())
        #expect(ClassifierArchive.decode(Self.rekeyed(bytes, to: none.key), for: none).failure
                == .inconsistent("16 dense columns where the sentence encoder gives 0"))
        let otherVectors = TrainingSet(intents: Self.intents, embedder: CountingEmbedder(identity: "encoder C", salt: 99))
        guard case .predictsDifferently? = ClassifierArchive.decode(Self.rekeyed(bytes, to: otherVectors.key), for: otherVectors).failure else {
            Issue.record("a model of other vectors was not refused by its probes")
            return
        }
    }

    /// The file with its header's key replaced (the key is not part of the checksummed payload).
    static func rekeyed(_ bytes: [UInt8], to key: ModelKey) -> [UInt8] {
        var bytes = bytes
        for (index, byte) in (withUnsafeBytes(of: key.high.littleEndian, Array.init) + withUnsafeBytes(of: key.low.littleEndian, Array.init)).enumerated() {
            bytes[16 + index] = byte
        }
        return bytes
    }

    @Test func retrainingEncodesOnlyTheNewExamples() throws {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        let embedder = CountingEmbedder()
        _ = cache.classifier(for: TrainingSet(intents: Self.intents, embedder: embedder))
        // Each example once for training, and each probe once when the model is saved.
        let examples = Self.intents.flatMap(\.examples).count
        let afterFirst = embedder.encodedCount
        #expect(afterFirst >= examples)

        var edited = Self.intents
        edited[2].examples.append("good evening")
        let editedSet = TrainingSet(intents: edited, embedder: embedder)
        let (_, outcome) = cache.classifier(for: editedSet)
        guard case .trained = outcome else { Issue.record("\(outcome)"); return }
        // One new example; the rest come from the vector file (plus the probes again).
        let probes = edited.count
        #expect(embedder.encodedCount - afterFirst == 1 + probes)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.filter { $0.hasPrefix("vectors-") }.count == 1, "\(files)")
    }

    /// A full file keeps the vectors of the training that wrote it last.
    @Test func aFullVectorFileDropsWhatNoRecentTrainingAskedFor() {
        let folder = Folder()
        var cache = ModelCache(directory: folder.path)
        cache.vectorLimit = 3
        let embedder = CountingEmbedder()
        _ = cache.vectors(of: ["where is my order", "hello"], with: embedder)
        _ = cache.vectors(of: ["how much is delivery", "is shipping free"], with: embedder)
        let before = embedder.encodedCount
        // The second training's two are kept, and one of the first's.
        _ = cache.vectors(of: ["how much is delivery", "is shipping free"], with: embedder)
        #expect(embedder.encodedCount == before)
        _ = cache.vectors(of: ["where is my order", "hello"], with: embedder)
        #expect(embedder.encodedCount == before + 1)
    }

    @Test func aDamagedVectorFileIsIgnoredAndWrittenAgain() throws {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        let embedder = CountingEmbedder()
        let texts = ["where is my order", "hello"]
        let first = cache.vectors(of: texts, with: embedder)
        let path = cache.vectorsPath(for: embedder)
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        bytes[bytes.count - 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let before = embedder.encodedCount
        let second = cache.vectors(of: texts, with: embedder)
        #expect(second == first)
        #expect(embedder.encodedCount - before == texts.count)
        // Written again whole: a third call encodes nothing.
        let third = cache.vectors(of: texts, with: embedder)
        #expect(third == first)
        #expect(embedder.encodedCount - before == texts.count)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
