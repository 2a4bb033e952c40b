import Foundation
import Testing
import RapportCore
import RapportIntents

/// Gives chosen texts chosen vectors, so the bundled bot can be run with a
/// sentence encoder in a unit test: here a Chinese "where is my order" lands
/// on the English examples of order_status.
struct ChosenVectorsEmbedder: SentenceEmbedder {
    let identity = "chosen-vectors"
    let dimensions = 3
    let order: Set<String>

    func embed(_ text: String) -> [Float] {
        order.contains(text) ? [1, 0, 0] : [0, 0, 1]
    }
}

/// A message in another script: refused politely on words alone; read with
/// the sentence encoder, and refused politely only when it cannot be read.
@Suite("The bundled bot and messages in another script")
struct BundledOtherLanguageTests {
    static let noon = BundledErasureTests.noon

    static let hybrid: Engine? = {
        guard let bot = BundledTranscriptsTests.bot else { return nil }
        let order = Set((bot.intent(named: "order_status")?.examples ?? []).map { RankerReading(bot: bot).readingForm(of: $0) } + ["我的订单在哪里"])
        return Engine(bot: bot, embedder: ChosenVectorsEmbedder(order: order)) { $0.train() }
    }()

    static func replies(_ engine: Engine, _ text: String) -> [String] {
        var conversation = Conversation(engine: engine, sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: noon))
        return conversation.handle(.customerSaid(text, at: noon)).replies
    }

    @Test func onWordsAloneAnotherScriptGetsTheOtherLanguageReply() throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        let bot = try #require(BundledTranscriptsTests.bot)
        let expected = bot.ladder.otherLanguage.map { $0.render(bot.variables) }
        #expect(Self.replies(engine, "我的订单在哪里").allSatisfy { expected.contains($0) })
    }

    @Test func withTheEncoderAMessageItCanReadIsAnswered() throws {
        let engine = try #require(Self.hybrid)
        let replies = Self.replies(engine, "我的订单在哪里")
        #expect(replies.contains { $0.contains("order number") }, "\(replies)")
    }

    @Test func withTheEncoderOneItCannotReadGetsTheOtherLanguageReply() throws {
        let engine = try #require(Self.hybrid)
        let bot = try #require(BundledTranscriptsTests.bot)
        let expected = bot.ladder.otherLanguage.map { $0.render(bot.variables) }
        let replies = Self.replies(engine, "Пожалуйста, расскажите мне о погоде")
        #expect(!replies.isEmpty && replies.allSatisfy { expected.contains($0) }, "\(replies)")
    }
}
