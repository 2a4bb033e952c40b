import Foundation
import Testing
import RapportTestSupport
@testable import RapportEncoder

/// The Swift forward pass against the Python package's vectors
/// (Fixtures/vectors.json, written by docs/benchmarks/encoder_fixtures.py).
@Suite(.requiresEncoderModel)
struct SentenceEncoderTests {
    struct Case: Decodable, CustomTestStringConvertible {
        var text: String
        var vector: [Float]

        var testDescription: String { "\"\(text)\"" }
    }

    struct Fixture: Decodable {
        var cases: [Case]
    }

    static let fixture: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/vectors.json")
        guard let data = try? Data(contentsOf: url), let fixture = try? JSONDecoder().decode(Fixture.self, from: data) else { return [] }
        return fixture.cases
    }()

    /// Loaded once for the suite: reading 30 MB of deflated weights takes a moment.
    static let encoder: Result<SentenceEncoder, EncoderLoadError>? = {
        guard let directory = EncoderFixtures.modelDirectory() else { return nil }
        let files = EncoderFiles(directory: directory)
        return Result { () throws(EncoderLoadError) in try SentenceEncoder(tokenizerPath: files.tokenizer, weightsPath: files.weights) }
    }()

    /// The encoder, or a failure saying to install it or why it does not load.
    static func loaded() throws -> SentenceEncoder {
        _ = try EncoderFixtures.requireModelDirectory()
        return try #require(encoder).get()
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, aa: Float = 0, bb: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            aa += x * x
            bb += y * y
        }
        return dot / (aa.squareRoot() * bb.squareRoot())
    }

    @Test func theFixtureIsThere() {
        #expect(Self.fixture.count >= 10)
    }

    @Test(arguments: fixture)
    func vectorsMatchThePythonPackage(_ example: Case) throws {
        let encoder = try Self.loaded()
        let vector = encoder.encode(example.text)
        #expect(vector.count == SentenceEncoder.dimensions)
        let similarity = Self.cosine(vector, example.vector)
        #expect(similarity >= 0.999, "\(example.text): cosine \(similarity) with the Python package's vector")
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(length - 1) < 1e-4)
    }

    /// What the encoder is for: a question lands nearer the same question in
    /// another language than a different question in the same language.
    @Test(arguments: ["¿Dónde está mi pedido?", "Où est ma commande ?", "Wo ist meine Bestellung?", "我的订单在哪里"])
    func theSameQuestionInAnotherLanguageIsNearer(_ translation: String) throws {
        let encoder = try Self.loaded()
        let english = encoder.encode("where is my order")
        let other = encoder.encode("how much is the wool jumper")
        let translated = encoder.encode(translation)
        #expect(Self.cosine(english, translated) > Self.cosine(english, other) + 0.2)
    }

    /// A vector does not depend on what was encoded before it.
    @Test func encodingIsRepeatable() throws {
        let encoder = try Self.loaded()
        let first = encoder.encode("can I change the delivery address")
        _ = encoder.encode("I ordered the rain jacket two weeks ago and it still has not arrived")
        #expect(encoder.encode("can I change the delivery address") == first)
    }
}

/// A damaged weights file is a one-line error naming what is wrong, never a crash.
@Suite(.requiresEncoderModel)
struct EncoderWeightsDamageTests {
    static let bytes: [UInt8] = {
        // Empty without the model: theRealFileLoads then fails, as it should on CI.
        guard let directory = EncoderFixtures.modelDirectory(),
              let data = FileManager.default.contents(atPath: EncoderFiles(directory: directory).weights) else { return [] }
        return [UInt8](data)
    }()

    @Test func theRealFileLoads() throws {
        let weights = try EncoderWeights(npz: Self.bytes, file: "weights.npz")
        #expect(weights.vocabularySize == 128_010)
    }

    @Test(arguments: [0, 1, 22, 1000, 1_000_000, 20_000_000])
    func aTruncatedFileIsAnError(_ length: Int) {
        let cut = Array(Self.bytes.prefix(length))
        #expect(throws: EncoderLoadError.self) { try EncoderWeights(npz: cut, file: "weights.npz") }
    }

    @Test func aCorruptedMemberIsNamed() throws {
        var bytes = Self.bytes
        // A byte well inside the first member's deflated data (q1.npy).
        bytes[5000] ^= 0x5A
        let error = #expect(throws: EncoderLoadError.self) { try EncoderWeights(npz: bytes, file: "weights.npz") }
        #expect(error?.description.hasPrefix("weights.npz: q1.npy") == true, "\(String(describing: error))")
    }

    /// The real file with one little-endian field of the first central
    /// directory entry (or of the end record) overwritten.
    static func crafted(_ field: Int, ofEntry: Bool = true, width: Int = 4, value: UInt64) -> [UInt8] {
        var bytes = bytes
        let end = bytes.count - 22
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16 | Int(bytes[end + 19]) << 24
        let at = (ofEntry ? directory : end) + field
        for index in 0..<width { bytes[at + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        return bytes
    }

    struct Crafted: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: String
        var testDescription: String { name }
    }

    /// Sizes and offsets a crafted file claims are checked before they are used:
    /// no trap on overflow, no 4 GiB allocation.
    @Test(arguments: [
        Crafted(name: "a compressed size past the end", bytes: crafted(20, value: 0xFFFF_FFF0), expected: "q1.npy: sizes or offset out of range"),
        Crafted(name: "an inflated size of 4 GiB", bytes: crafted(24, value: 0xFFFF_FFF0), expected: "q1.npy: sizes or offset out of range"),
        Crafted(name: "a local header past the end", bytes: crafted(42, value: 0x7FFF_FFF0), expected: "q1.npy: sizes or offset out of range"),
        Crafted(name: "a zip64 count with no zip64 record", bytes: crafted(10, ofEntry: false, width: 2, value: 0xFFFF),
                expected: "damaged zip64 end of central directory"),
        Crafted(name: "more entries than there are", bytes: crafted(10, ofEntry: false, width: 2, value: 0xFFF0),
                expected: "damaged central directory entry 56 of 65520"),
    ])
    func aCraftedFileIsAnErrorNotACrash(_ file: Crafted) {
        let error = #expect(throws: EncoderLoadError.self) { try EncoderWeights(npz: file.bytes, file: "weights.npz") }
        #expect(error?.problem == file.expected, "\(file.name): \(String(describing: error))")
    }

    @Test func anotherFileIsNotAModel() {
        let error = #expect(throws: EncoderLoadError.self) {
            try EncoderWeights(npz: Array("just some text, not a zip archive".utf8), file: "weights.npz")
        }
        #expect(error?.description == "weights.npz: not a zip archive (no end of central directory)")
    }

    @Test func aMissingFileIsNamed() {
        let error = #expect(throws: EncoderLoadError.self) { try EncoderWeights(contentsOf: "/nonexistent/weights.npz") }
        #expect(error?.description == "/nonexistent/weights.npz: cannot be read (No such file or directory)")
    }
}

@Suite struct EncoderFilesTests {
    @Test func theVariableComesFirstThenTheDataFolderThenTheCheckout() {
        let folders = EncoderFiles.candidates(
            environment: ["RAPPORT_ENCODER": "/opt/use", "XDG_DATA_HOME": "/data", "HOME": "/home/ann"],
            executableDirectory: "/src/rapport/.build/debug")
        #expect(Array(folders.prefix(4)) == ["/opt/use", "/data/rapport/encoder", ".encoder", "/src/rapport/.build/debug/.encoder"])
        #expect(folders.contains("/src/rapport/.encoder"))
    }

    @Test func withoutXDGTheHomeDataFolder() {
        let folders = EncoderFiles.candidates(environment: ["HOME": "/home/ann"], executableDirectory: nil)
        #expect(folders == ["/home/ann/.local/share/rapport/encoder", ".encoder"])
    }

    @Test func aVariableNamingAnEmptyFolderIsKeptSoLoadingSaysWhatIsMissing() {
        let files = EncoderFiles.locate(environment: ["RAPPORT_ENCODER": "/nonexistent"], executableDirectory: nil)
        #expect(files?.weights == "/nonexistent/weights.npz")
    }
}

/// The unpacked form of the weights, which later starts read instead of
/// inflating weights.npz: the same vectors, and anything wrong with it is
/// noticed, and the file written again.
@Suite(.requiresEncoderModel)
struct UnpackedWeightsTests {
    static let sentences = ["where is my order", "¿Dónde está mi pedido?", "the wool jumper came with a hole", "ok"]

    func files() throws -> EncoderFiles {
        EncoderFiles(directory: try EncoderFixtures.requireModelDirectory())
    }

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-unpacked-\(UInt64.random(in: 0 ... .max))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func encoder(_ folder: String) throws -> SentenceEncoder {
        let files = try files()
        return try SentenceEncoder(tokenizerPath: files.tokenizer, weightsPath: files.weights, unpackedFolder: folder)
    }

    func unpackedFile(in folder: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let name = try #require(names.first { $0.hasPrefix("use-multilingual-v3-") && $0.hasSuffix(".weights") }, "\(names)")
        return folder + "/" + name
    }

    @Test func theWeightsAreUnpackedOnceAndReadBackWithTheSameVectors() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try encoder(folder)
        #expect(!first.weightsWereUnpacked)
        let path = try unpackedFile(in: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "no partial file is left")
        let second = try encoder(folder)
        #expect(second.weightsWereUnpacked)
        #expect(second.identity == first.identity)
        let plain = try SentenceEncoderTests.loaded()
        for sentence in Self.sentences {
            let vector = second.encode(sentence)
            #expect(vector == first.encode(sentence) && vector == plain.encode(sentence), "\(sentence)")
        }
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == EncoderWeights.unpackedHeaderSize + EncoderWeights.payloadCount)
    }

    @Test(arguments: ["a byte of the table", "a byte of the last weights", "the end cut off", "other weights' digest"])
    func aWrongUnpackedFileIsNotUsedAndIsWrittenAgain(damage: String) throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = try encoder(folder).encode(Self.sentences[0])
        let path = try unpackedFile(in: folder)
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        switch damage {
        case "a byte of the table": bytes[EncoderWeights.unpackedHeaderSize + 1_000_000] ^= 0x40
        case "a byte of the last weights": bytes[bytes.count - 9] ^= 0x01
        case "the end cut off": bytes.removeLast(4096)
        default: bytes[8] ^= 0xFF
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let digest = try EncoderWeights.load(path: try files().weights, unpackedFolder: nil).weights.digest
        #expect(throws: EncoderLoadError.self) { try EncoderWeights(unpackedAt: path, digest: digest) }

        let again = try encoder(folder)
        #expect(!again.weightsWereUnpacked, "the damaged file was used")
        #expect(again.encode(Self.sentences[0]) == reference)
        #expect(try encoder(folder).weightsWereUnpacked, "the file was not written again")
    }

    @Test func aFileOthersMayWriteIsNotUsed() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try encoder(folder)
        let path = try unpackedFile(in: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        let digest = try EncoderWeights.load(path: try files().weights, unpackedFolder: nil).weights.digest
        let error = #expect(throws: EncoderLoadError.self) { try EncoderWeights(unpackedAt: path, digest: digest) }
        #expect(error?.problem == "may be written by others")
        #expect(!(try encoder(folder)).weightsWereUnpacked, "a file others may write was used")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "written again, for this user alone: \(String(describing: mode))")
    }

    @Test func aFolderInTheWayIsLeftAloneAndNothingIsLeftBehind() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try encoder(folder)
        let path = try unpackedFile(in: folder)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let encoder = try encoder(folder)
        #expect(!encoder.weightsWereUnpacked)
        #expect(encoder.encode("hello").count == SentenceEncoder.dimensions)
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "no partial file is left")
    }

    @Test func aFolderThatCannotBeWrittenOnlyCostsTime() throws {
        let encoder = try encoder("/nonexistent/rapport-unpacked")
        #expect(!encoder.weightsWereUnpacked)
        #expect(encoder.encode("hello").count == SentenceEncoder.dimensions)
    }
}
