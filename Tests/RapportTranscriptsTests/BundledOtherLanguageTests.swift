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

/// A message in another language: refused politely when the bot cannot read
/// it (in another script on words alone, or one it finds no answer for);
/// read with the sentence encoder; and when answered, the bot says once,
/// first, that it answers in English.
@Suite("The bundled bot and messages in another language")
struct BundledOtherLanguageTests {
    static let noon = BundledErasureTests.noon

    static let hybrid: Engine? = {
        guard let bot = BundledTranscriptsTests.bot else { return nil }
        let order = Set((bot.intent(named: "order_status")?.examples ?? []).map { RankerReading(bot: bot).readingForm(of: $0) } + ["我的订单在哪里"])
        return Engine(bot: bot, embedder: ChosenVectorsEmbedder(order: order)) { $0.train() }
    }()

    static func replies(_ engine: Engine, _ text: String) async -> [String] {
        var conversation = Conversation(engine: engine, sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: noon))
        return conversation.handle(.customerSaid(text, at: noon)).replies
    }

    @Test func onWordsAloneAnotherScriptGetsTheOtherLanguageReply() async throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        let bot = try #require(BundledTranscriptsTests.bot)
        let expected = bot.ladder.otherLanguage.map { $0.render(bot.variables) }
        await #expect(Self.replies(engine, "我的订单在哪里").allSatisfy { expected.contains($0) })
    }

    @Test func withTheEncoderAMessageItCanReadIsAnsweredAfterSayingTheAnswerIsInEnglish() async throws {
        let engine = try #require(Self.hybrid)
        let bot = try #require(BundledTranscriptsTests.bot)
        let note = bot.ladder.inEnglish.map { $0.render(bot.variables) }
        var conversation = Conversation(engine: engine, sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: Self.noon))
        let first = conversation.handle(.customerSaid("我的订单在哪里", at: Self.noon))
        #expect(first.replies.count == 2 && note.contains(first.replies[0]), "\(first.replies)")
        #expect(first.replies.last?.contains("order number") == true, "\(first.replies)")
        // The note's variant is the first, as the note is (coverage reports rely on it).
        #expect(first.variants.first?.source == .inEnglish, "\(first.variants)")
        let recorded = first.effects.compactMap { effect -> [String]? in
            if case .recordTurn(let turn) = effect { turn.replies } else { nil }
        }
        #expect(recorded == [first.replies], "the stored turn holds what the customer saw")
        // Said once a conversation.
        let second = conversation.handle(.customerSaid("我的订单在哪里", at: Self.noon))
        #expect(!second.replies.contains { note.contains($0) }, "\(second.replies)")
    }

    @Test func aQuestionInSpanishAnsweredOnWordsAloneSaysTheAnswerIsInEnglish() async throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        let bot = try #require(BundledTranscriptsTests.bot)
        let note = bot.ladder.inEnglish.map { $0.render(bot.variables) }
        let replies = await Self.replies(engine, "¿Puedo pagar con PayPal?")
        #expect(replies.count == 2 && note.contains(replies[0]) && replies[1].contains("PayPal"), "\(replies)")
    }

    @Test func aMessageInFrenchTheWordsCannotReadGetsTheOtherLanguageReply() async throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        let bot = try #require(BundledTranscriptsTests.bot)
        let expected = bot.ladder.otherLanguage.map { $0.render(bot.variables) }
        for text in ["Je cherche un cadeau pour ma mère", "Haben Sie Geschenkideen?", "¿Tenéis algo para mi abuela?"] {
            let replies = await Self.replies(engine, text)
            #expect(replies.count == 1 && expected.contains(replies[0]), "\(text): \(replies)")
        }
        // Where an order is, in each language, words alone read by the order's patterns: the number is asked for.
        for text in ["Où est ma commande ?", "Wo ist meine Bestellung?", "¿Dónde está mi pedido?"] {
            let replies = await Self.replies(engine, text)
            #expect(replies.last?.contains("order number") == true, "\(text): \(replies)")
        }
    }

    /// Once the bot has said it answers in English, it adds nothing of its
    /// own: a returning customer is asked their first name once an answer is
    /// closed ("ok") in an English conversation, and not in one begun in Spanish.
    @Test func noPersonalQuestionForACustomerWritingAnotherLanguage() async throws {
        let engine = try #require(BundledTranscriptsTests.engine)
        let requests = ["what are your opening hours in Leeds?", "how much is delivery?", "ok"]
        func replies(after first: String) async -> [String] {
            // Back for a second conversation: the bundled bot asks nothing personal in a first one.
            var known = CustomerProfile(id: "c-1")
            known.visits = 1
            var conversation = Conversation(engine: engine, sessionID: "s", seed: 1, profile: known)
            _ = conversation.handle(.started(at: Self.noon))
            _ = conversation.handle(.customerSaid(first, at: Self.noon))
            return requests.flatMap { conversation.handle(.customerSaid($0, at: Self.noon)).replies }
        }
        let english = await replies(after: "can I pay with PayPal?")
        #expect(english.contains { $0.contains("first name") || $0.contains("call you") }, "\(english)")
        let spanish = await replies(after: "¿Puedo pagar con PayPal?")
        #expect(spanish.count == requests.count && !spanish.contains { $0.contains("first name") || $0.contains("call you") },
                "one answer each, nothing added: \(spanish)")
    }

    /// The messages of docs/benchmarks/shop-multilingual.csv, in Spanish, French and German.
    static let multilingual: [String] = {
        let path = Bundled.root.appendingPathComponent("docs/benchmarks/shop-multilingual.csv").path
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
        return lines.compactMap { line in line.lastIndex(of: ",").map { String(line[..<$0]) } }
    }()

    /// What customers say in the bundled transcripts in the Latin script:
    /// English, with typos, names, places and order numbers (but for the
    /// transcripts of customers writing in other languages).
    static let englishLines: [String] = Bundled.transcripts.filter {
        // other-language.convo.txt, other-language-follow-ups, hybrid-other-languages...
        !($0 as NSString).lastPathComponent.contains("other-language")
    }.flatMap { path -> [String] in
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").components(separatedBy: "\n")
        var said: [String] = [], speaking = false
        for line in lines {
            if line.hasPrefix("#") { speaking = line.hasPrefix("#me") } else if speaking && !line.isEmpty { said.append(line) } else { speaking = false }
        }
        return said.filter { !CustomerSignals.isMostlyOtherScript($0) }
    }

    @Test func theBundledWordsTellSpanishFrenchAndGermanFromEnglish() async throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        #expect(Self.multilingual.count == 45)
        let missed = Self.multilingual.filter { !bot.signals.isInOtherLanguage($0) }
        #expect(missed.isEmpty, "not seen as another language: \(missed)")
        #expect(Self.englishLines.count > 500)
        let wrong = Self.englishLines.filter(bot.signals.isInOtherLanguage)
        #expect(wrong.isEmpty, "English seen as another language: \(wrong)")
    }

    @Test func withTheEncoderOneItCannotReadGetsTheOtherLanguageReply() async throws {
        let engine = try #require(Self.hybrid)
        let bot = try #require(BundledTranscriptsTests.bot)
        let expected = bot.ladder.otherLanguage.map { $0.render(bot.variables) }
        let replies = await Self.replies(engine, "Пожалуйста, расскажите мне о погоде")
        #expect(!replies.isEmpty && replies.allSatisfy { expected.contains($0) }, "\(replies)")
    }
}
