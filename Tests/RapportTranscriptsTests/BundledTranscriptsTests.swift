import Foundation
import Testing
import RapportCore
import RapportIntents
@testable import RapportTranscripts
import RapportTestSupport

/// The repository's transcripts/ folder and bundled bot.
enum Bundled {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let transcripts: [String] = {
        let folder = root.appendingPathComponent("transcripts").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".convo.txt") }.sorted().map { folder + "/" + $0 }
    }()
}

/// Runs every transcript in transcripts/ through the bundled bot, so `swift
/// test` fails with the transcript's diff when a conversation regresses.
@Suite("The bundled transcripts")
struct BundledTranscriptsTests {
    static let bot: Bot? = try? BotLoader.load(directory: Bundled.root.appendingPathComponent("intents").path)
    /// Trained once for every transcript: training is deterministic, and an
    /// engine holds no conversation, so sharing it changes nothing.
    static let engine: Engine? = bot.map { Engine(bot: $0) }

    @Test func thereAreTranscriptsAndTheBotLoads() async throws {
        #expect(Bundled.transcripts.count >= 10)
        #expect(Self.bot != nil)
    }

    @Test("transcript", arguments: Bundled.transcripts)
    func passes(path: String) async throws {
        let engine = try #require(Self.engine)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = await TranscriptRunner(engine: engine).run(text: text, file: path)
        #expect(result.passed, "\(TestReport.text([result]))")
    }

    @Test func theTranscriptsReachEveryIntentAndVariant() async throws {
        let bot = try #require(Self.bot)
        let runner = TranscriptRunner(engine: try #require(Self.engine))
        var results: [TranscriptResult] = []
        for path in Bundled.transcripts {
            results.append(await runner.run(text: try String(contentsOfFile: path, encoding: .utf8), file: path))
        }
        let coverage = CoverageReport(bot: bot, results: results)
        #expect(coverage.intentsMissed.isEmpty, "\(coverage.text)")
        #expect(coverage.variantsMissed.isEmpty, "\(coverage.text)")
    }
}

/// The bundled transcripts again with the sentence encoder's hybrid, the
/// matcher customers get where the encoder is installed (CI installs it).
/// A transcript written for words alone (front matter `matcher: words`) is
/// skipped here, and one written for the hybrid is skipped above.
@Suite("The bundled transcripts with the hybrid", .requiresEncoderModel)
struct BundledHybridTranscriptsTests {
    /// Trained once: encoding the examples takes seconds.
    static let engine: Result<Engine, any Error> = Result {
        let bot = try BotLoader.load(directory: Bundled.root.appendingPathComponent("intents").path)
        return Engine(bot: bot, embedder: try EncoderTestEmbedder.installed()) { $0.train() }
    }

    @Test("transcript", arguments: Bundled.transcripts)
    func passes(path: String) async throws {
        let engine = try Self.engine.get()
        #expect(engine.matcher.kind == "hybrid")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = await TranscriptRunner(engine: engine).run(text: text, file: path)
        #expect(result.passed, "\(TestReport.text([result]))")
    }
}
