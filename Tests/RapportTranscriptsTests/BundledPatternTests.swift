import Testing
@testable import RapportCore
import RapportIntents

/// A pattern wins outright (confidence 1), before the ranker weighs anything:
/// one that matches what another intent's examples ask would take those
/// messages from it.
@Suite("The bundled bot's patterns")
struct BundledPatternTests {
    @Test func noPatternTakesAnotherIntentsExamples() throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        let patterns = PatternMatcher(intents: bot.intents)
        var taken: [String] = []
        for intent in bot.intents {
            for example in intent.examples {
                if let other = patterns.match(example, allowed: { $0 != intent.name }) {
                    taken.append("\(other)'s pattern matches \(intent.name)'s example \"\(example)\"")
                }
            }
        }
        #expect(taken.isEmpty, "\(taken)")
    }

    @Test func orderingHereIsNoMessageAboutAnOrder() throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        let patterns = PatternMatcher(intents: bot.intents)
        for message in ["ok can I order it through you", "can you place an order for me", "how do I order", "can I buy it over the phone"] {
            #expect(patterns.match(message) == "place_order", "\(message)")
        }
        for message in ["I have an order with you, HP-10501, where is it?", "my last order from you never arrived",
                        "will you process my order today", "could you take the order number", "i live in spain, can i buy from you"] {
            #expect(patterns.match(message) != "place_order", "\(message)")
        }
    }
}
