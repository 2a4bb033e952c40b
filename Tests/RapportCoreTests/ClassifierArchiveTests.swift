import Foundation
import Testing
@testable import RapportCore

@Suite("Saved classifiers: read back exactly, never trusted")
struct ClassifierArchiveTests {
    static let set = TrainingSet(intents: [
        Intent(name: "order_status", examples: ["where is my order", "track my parcel", "has my order shipped", "when will my package arrive"], responses: []),
        Intent(name: "delivery_costs", examples: ["how much is delivery", "is shipping free", "delivery charges", "what does postage cost"], responses: []),
        Intent(name: "greet", examples: ["hi", "hello", "good morning", "hey there"], responses: []),
        Intent(name: "no_examples", examples: [], responses: []),
    ])
    static let classifier = set.train()
    static let bytes = ClassifierArchive.encode(classifier, trainedOn: set)
    static let messages = ["where's my parcel?", "how much does shipping cost", "HELLO!!", "trak my ordr", "", "zxqv wpfk", "a long message about nothing in particular"]

    @Test func aModelReadBackRanksExactlyAsTheOneTrained() throws {
        let loaded = try ClassifierArchive.decode(Self.bytes, for: Self.set).get()
        for message in Self.messages {
            #expect(loaded.rank(message) == Self.classifier.rank(message), "\(message)")
            #expect(loaded.rank(message, among: { $0 != "greet" }) == Self.classifier.rank(message, among: { $0 != "greet" }))
        }
        #expect(loaded.modelBytes == Self.classifier.modelBytes)
        #expect(loaded.settings == Self.classifier.settings)
    }

    @Test func theKeyNamesTheExamplesAndTheSettings() {
        var changedExample = Self.set.intents
        changedExample[2].examples[0] = "hi!"
        var changedSettings = LinearIntentClassifier.Settings()
        changedSettings.cost = 1
        var renamed = Self.set.intents
        renamed[0].name = "order_statu"
        renamed[1].name = "sdelivery_costs"
        let keys = [
            Self.set.key, TrainingSet(intents: changedExample).key, TrainingSet(intents: Self.set.intents, settings: changedSettings).key,
            TrainingSet(intents: renamed).key, TrainingSet(intents: Array(Self.set.intents.reversed())).key,
        ]
        #expect(Set(keys).count == keys.count)
        #expect(TrainingSet(intents: Self.set.intents).key == Self.set.key)
        // Which entity values stand for their type changes what the classifier reads.
        let orderNumber = EntityType(name: "order_number", recognizer: .pattern(source: "HP-[0-9]+", template: nil, normalization: .upper))
        let otherPattern = EntityType(name: "order_number", recognizer: .pattern(source: "HP-[0-9]{5}", template: nil, normalization: .upper))
        let withEntities = TrainingSet(intents: Self.set.intents, reading: RankerReading(entities: EntityExtractor(types: [orderNumber]), types: [orderNumber]))
        let withOther = TrainingSet(intents: Self.set.intents, reading: RankerReading(entities: EntityExtractor(types: [otherPattern]), types: [otherPattern]))
        #expect(Set([Self.set.key, withEntities.key, withOther.key]).count == 3)
        #expect(Self.set.key.description.count == 32)
    }

    @Test func aModelForOtherExamplesIsNotUsed() {
        var intents = Self.set.intents
        intents[2].examples.append("yo")
        #expect(ClassifierArchive.decode(Self.bytes, for: TrainingSet(intents: intents)).failure == .otherTrainingSet)
    }

    @Test func anotherFormatIsNotUsed() {
        var bytes = Self.bytes
        bytes[8] &+= 1
        #expect(ClassifierArchive.decode(bytes, for: Self.set).failure == .otherFormat(ClassifierArchive.formatVersion + 1))
    }

    @Test func aFileCutAnywhereIsRefused() {
        let header = ClassifierArchive.headerSize
        let cuts = Array(0...(header + 8)) + Swift.stride(from: header + 8, to: Self.bytes.count, by: max(1, Self.bytes.count / 97)) + [Self.bytes.count - 1]
        for cut in cuts {
            #expect(ClassifierArchive.decode(Array(Self.bytes.prefix(cut)), for: Self.set).failure != nil, "cut at \(cut)")
        }
        #expect(ClassifierArchive.decode(Self.bytes + [0], for: Self.set).failure != nil)
    }

    @Test func anyChangedByteIsCaught() {
        for position in 0..<ClassifierArchive.headerSize {
            var bytes = Self.bytes
            bytes[position] ^= 0x01
            #expect(ClassifierArchive.decode(bytes, for: Self.set).failure != nil, "header byte \(position)")
        }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var bytes = Self.bytes
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[position] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(ClassifierArchive.decode(bytes, for: Self.set).failure != nil, "byte \(position)")
        }
    }

    /// A file whose checksum was made to match: the parts are still checked,
    /// and a model that predicts differently from when it was saved is refused.
    @Test("a forged file with a matching checksum is still refused", arguments: [
        ("a bias", Forgery.bias),
        ("a weight stride", Forgery.stride),
        ("a feature listed twice", Forgery.duplicateFeature),
        ("a count past the end", Forgery.hugeFeatureCount),
        ("a weight that is not a number", Forgery.notANumber),
    ])
    func forgeries(_ name: String, forgery: Forgery) {
        let forged = forgery.apply(to: Self.bytes, classifier: Self.classifier)
        #expect(forged != Self.bytes)
        let problem = ClassifierArchive.decode(forged, for: Self.set).failure
        switch (forgery, problem) {
        case (.bias, .predictsDifferently?), (.stride, .inconsistent?), (.duplicateFeature, .inconsistent("a feature is listed twice")?),
             (.hugeFeatureCount, .damaged("cut short")?), (.notANumber, .inconsistent("a weight is not a finite number")?):
            break
        default:
            Issue.record("\(name): refused for the wrong reason, or not at all: \(String(describing: problem))")
        }
    }

    /// A saved model means what it means only with the code that turns
    /// messages into features: reading forms (entity values as words) and the
    /// feature hashes. If this fails, that code changed: bump
    /// `ClassifierArchive.formatVersion`, so every saved model is trained
    /// again, and pin the new digest under the new number here. (The probes in each file catch
    /// most such changes too, but only on the examples they try.)
    @Test func theFeaturesOfAFixedCorpusArePinnedToTheFormat() {
        let types = [
            EntityType(name: "order_number", recognizer: .pattern(source: #"\bHP-?\s?(\d{5})\b"#, template: "HP-$1", normalization: .upper)),
            EntityType(name: "day", recognizer: .date(dayFirst: true)),
            EntityType(name: "sum", recognizer: .amount),
            EntityType(name: "product", recognizer: .list([EntityValue("rain jacket", synonyms: ["raincoat"])])),
        ]
        let reading = RankerReading(entities: EntityExtractor(types: types), types: types)
        let corpus = [
            "Where is my order HP-10442?", "I'd like a refund of £12.50 by 3 March", "is the RAINCOAT in stock tomorrow",
            "café crème, naïve résumé", "1,250.50 and 1.1.1 and don't won't it's", "", "   ", "order's status!!!",
            "hp 10442 arrived on 03/11/2026 damaged", "€4,99 or 5 pounds or 50p", "next friday", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ",
            "emoji 😀 and 中文 and Ελληνικά", "a b c d e f g h i j k l m n o p q r s t u v w x y z a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11",
        ]
        var digest = ArchiveDigest()
        for message in corpus {
            let form = reading.readingForm(of: message)
            digest.add(form)
            for feature in LinearIntentClassifier.rawFeatures(form, settings: .init()) {
                digest.add(feature.hash)
                digest.add(feature.count.bitPattern)
            }
        }
        // Append a line for a new format; never edit one: a saved model of
        // that format was made with those features.
        let pinned: [UInt32: String] = [
            1: "ac361afe3b4240b63e82ebf17b9183ad",
            // The same features: 2 adds the sentence encoder's dense block.
            2: "ac361afe3b4240b63e82ebf17b9183ad",
            // The same features: 3 adds the examples' vectors.
            3: "ac361afe3b4240b63e82ebf17b9183ad",
            // The same features: 4 scales the dense block by the text's words.
            4: "ac361afe3b4240b63e82ebf17b9183ad",
            // The same features: 5 keeps the examples' vectors as 16-bit codes.
            5: "ac361afe3b4240b63e82ebf17b9183ad",
        ]
        #expect(pinned[ClassifierArchive.formatVersion] == digest.key.description,
                "features changed: bump ClassifierArchive.formatVersion and pin \(digest.key) under it")
    }

    @Test func everySettingIsInTheFileAndTheKey() {
        // ByteWriter.write(_ settings:) and ByteReader.readSettings name each
        // setting by hand: a new one must be added there, or a model trained
        // with another value would be taken for this one.
        #expect(Mirror(reflecting: LinearIntentClassifier.Settings()).children.count == 16)
    }

    @Test func randomBytesAreNoModel() {
        var generator = SplitMix64(seed: 11)
        for length in [0, 7, 48, 49, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(ClassifierArchive.decode(bytes, for: Self.set).failure == .notAModel)
        }
    }

    @Test func aModelWithNoFeaturesSurvivesTheTrip() throws {
        let set = TrainingSet(intents: [Intent(name: "a", examples: [], responses: []), Intent(name: "b", examples: [], responses: [])])
        let classifier = set.train()
        let loaded = try ClassifierArchive.decode(ClassifierArchive.encode(classifier, trainedOn: set), for: set).get()
        #expect(loaded.rank("hello") == classifier.rank("hello"))
    }
}

/// Ways to alter a model file and then make its checksum match again.
enum Forgery: Sendable {
    case bias, stride, duplicateFeature, hugeFeatureCount, notANumber

    func apply(to original: [UInt8], classifier: LinearIntentClassifier) -> [UInt8] {
        var bytes = original
        let header = ClassifierArchive.headerSize
        // The payload's layout: settings, the intent count and names, the
        // feature count, features, inverse frequencies, the unseen frequency,
        // the dense width, the stride, weights, biases.
        var settings = ByteWriter()
        settings.write(classifier.settings)
        var offset = header + settings.bytes.count + 4
        for name in classifier.intentNames { offset += 4 + name.utf8.count }
        let featureCountOffset = offset
        let features = classifier.featureCount
        let featuresOffset = featureCountOffset + 4
        let strideOffset = featuresOffset + features * 8 + features * 4 + 4 + 4
        let weightsOffset = strideOffset + 4
        let biasOffset = weightsOffset + features * classifier.stride * 4
        func put<Value: FixedWidthInteger>(_ value: Value, at position: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (index, byte) in $0.enumerated() { bytes[position + index] = byte } }
        }
        switch self {
        case .bias: put((Float(bitPattern: load(UInt32.self, bytes, biasOffset)) + 0.5).bitPattern, at: biasOffset)
        case .stride: put(UInt32(classifier.stride + 8), at: strideOffset)
        case .duplicateFeature: put(load(UInt64.self, bytes, featuresOffset), at: featuresOffset + 8)
        case .hugeFeatureCount: put(UInt32.max, at: featureCountOffset)
        case .notANumber: put(Float.nan.bitPattern, at: weightsOffset + 4)
        }
        put(ClassifierArchive.checksum(bytes[header...]), at: header - 8)
        return bytes
    }

    private func load<Value: FixedWidthInteger>(_ type: Value.Type, _ bytes: [UInt8], _ position: Int) -> Value {
        bytes[position..<position + MemoryLayout<Value>.size].withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(as: Value.self)) }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
