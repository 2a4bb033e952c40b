import Foundation
import Testing
@testable import RapportCore
import RapportIntents

/// A pattern wins outright (confidence 1), before the ranker weighs anything:
/// one that matches what another intent's examples ask would take those
/// messages from it.
@Suite("The bundled bot's patterns")
struct BundledPatternTests {
    /// A pattern runs only on messages that hold a piece of text it cannot
    /// match without (`RequiredText`): on every example of the bundled bot and
    /// every customer line of the transcripts, no pattern that matches was
    /// passed over, and most patterns are passed over on most messages.
    @Test func noPatternIsPassedOverWhereItMatches() async throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        let texts = try Self.texts(of: bot)
        var patterns = 0, read = 0, passedOver = 0
        for intent in bot.intents {
            for case .regex(let source) in intent.patterns.map(\.kind) {
                let regex = try PatternMatcher.compile(source)
                let needs = RequiredText(pattern: source)
                patterns += 1
                if needs.pieces != nil { read += 1 }
                for text in texts {
                    let folded = TextNormalizer.fold(text)
                    let matches = regex.firstMatch(in: folded, range: NSRange(folded.startIndex..., in: folded)) != nil
                    let may = needs.mayMatch(Array(folded.utf8))
                    if matches { #expect(may, "\(intent.name): /\(source)/ matches \(text.debugDescription), which lacks every piece of \(needs.readable ?? [])") }
                    if !may { passedOver += 1 }
                }
            }
        }
        #expect(patterns >= 50)
        #expect(read * 4 >= patterns * 3, "most patterns are read: \(read) of \(patterns)")
        #expect(passedOver * 2 >= patterns * texts.count, "most runs are saved: \(passedOver) of \(patterns * texts.count)")
    }

    /// The same for the entities' patterns and the profile's volunteered
    /// patterns, which run on Swift's `Regex` (`RequiredText(pattern:swiftRegex:)`),
    /// on the texts as typed and, for entities, with lookalike letters read as
    /// digits ("HP-1O442"), as the extractor reads them.
    @Test func noEntityPatternIsPassedOverWhereItMatches() async throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        let texts = try Self.texts(of: bot) + bot.intents.flatMap { $0.responses.map(\.source) }
        var patterns = 0, read = 0, passedOver = 0, runs = 0
        /// Checks one pattern on every text, in each form `forms` gives of it.
        func check(_ name: String, _ pattern: String, _ regex: Regex<AnyRegexOutput>, forms: (String) -> Set<String> = { [$0] }) {
            let needs = RequiredText(pattern: pattern, swiftRegex: true)
            patterns += 1
            if needs.pieces != nil { read += 1 }
            for form in texts.flatMap(forms) {
                let may = needs.mayMatch(Array(form.utf8))
                if (try? regex.firstMatch(in: form)) != nil {
                    #expect(may, "\(name): /\(pattern)/ matches \(form.debugDescription), which lacks every piece of \(needs.readable ?? [])")
                }
                if !may { passedOver += 1 }
                runs += 1
            }
        }
        for type in bot.entities {
            guard case .pattern(let source, _, _) = type.recognizer else { continue }
            var lookalikes: [Unicode.Scalar: Unicode.Scalar] = [:]
            for (letter, digit) in type.digitLookalikes {
                if let from = letter.unicodeScalars.first, let to = digit.unicodeScalars.first { lookalikes[from] = to }
            }
            for pattern in [source] + (type.whenAsked.map { [$0.source] } ?? []) {
                check(type.name, pattern, try Regex(pattern)) { [$0, EntityExtractor.readingDigits(in: $0, lookalikes: lookalikes)] }
            }
        }
        // And the profile fields' volunteered patterns, which run ignoring case.
        for field in bot.profile.fields {
            for pattern in field.volunteered {
                check(field.name, pattern, try Regex(pattern).ignoresCase())
            }
        }
        #expect(patterns >= 15)
        #expect(read * 4 >= patterns * 3, "most patterns are read: \(read) of \(patterns)")
        #expect(passedOver * 2 >= runs, "most runs are saved: \(passedOver) of \(runs)")
    }

    /// Every example of the bundled bot and every customer line of the transcripts.
    private static func texts(of bot: Bot) throws -> [String] {
        var texts = bot.intents.flatMap(\.examples)
        for path in Bundled.transcripts {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces) == "#me" && index + 1 < lines.count {
                texts.append(String(lines[index + 1]))
            }
        }
        #expect(texts.count > 3000)
        return texts
    }

    @Test func noPatternTakesAnotherIntentsExamples() async throws {
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

    @Test func orderingHereIsNoMessageAboutAnOrder() async throws {
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

    @Test("card details, faults after use and a change of mind are taken by their patterns", arguments: [
        ("I'm not giving you my card number", "card_safety"), ("someone rang me asking for my bank details, was it you?", "card_safety"),
        ("a man phoned and asked for my card number to process my return", "card_safety"),
        ("they called and asked for my card details to confirm my Pine Club points", "card_safety"),
        ("is it safe to give you my card details", "card_safety"),
        ("my boots split at the sole after 2 months of normal walking", "faulty_after_use"),
        ("my boots fell apart after two years", "faulty_after_use"),
        ("the jacket zip is broken after 4 months, I bought it in the York store with my card", "faulty_after_use"),
        ("I want them repaired under warranty", "faulty_after_use"),
        ("its a wool jumper, wore it once, didnt like the colour. bought it 5 weeks ago", "return_item"),
        ("didn't like them, so I want my money back", "return_item"),
    ])
    func takenByThePattern(message: String, intent: String) throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        #expect(PatternMatcher(intents: bot.intents).match(message) == intent)
    }

    @Test("ordinary messages about cards, refunds and breakages are left to the ranker", arguments: [
        "do you need my card to return it in the shop?", "will you need my card to print a copy of the receipt?",
        "do you need my bank details for the refund?", "don't tell me my card was declined again",
        "I'm not giving you my Pine Club card number", "my gift card stopped working after 3 months",
        "the mug arrived broken, first time in 5 years of ordering from you", "are the walking boots under warranty?",
        "I'm broke after 2 months of christmas shopping, can I pay with klarna?", "my discount code stopped working after 2 months",
        "my boots are falling apart after a month",
        // A change of mind with a swap, or with damage, is not a plain return.
        "I don't like the colour, can I exchange it for the navy?", "didn't like it and it arrived broken anyway",
        "do you like it?", "I don't like them, they're too small, can I get a bigger size?",
        "I don't like the colour, do you do it in navy?", "I don't like the fit, do you have it in a bigger size?",
        "I don't like it when the courier leaves parcels outside, can I ask for a signature?",
        "my wife doesn't like the style of the new website",
    ])
    func leftToTheRanker(message: String) throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        let taken = PatternMatcher(intents: bot.intents).match(message)
        #expect(![Optional("card_safety"), "faulty_after_use", "return_item"].contains(taken), "\(message) taken by \(taken ?? "-")")
    }
}
