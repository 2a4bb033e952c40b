import Foundation
import Testing
@testable import RapportIntents
import RapportCore

@Suite("Loading signals.yaml")
struct LexiconLoaderTests {
    func bot(signals text: String) throws(BotLoadFailure) -> Bot {
        try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("signals.yaml", text)])
    }

    func signalProblems(_ text: String) -> [String] {
        problems([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("signals.yaml", text)])
    }

    @Test func theListsAreReadAndUsed() throws {
        let bot = try bot(signals: """
            yes:
              words: [oui, ouais]
              phrases: [bien sûr]
            no:
              words: [non]
            negation:
              cues: [je ne veux pas]
            """)
        #expect(bot.signals.lexicon[.yesWords] == ["oui", "ouais"])
        #expect(bot.signals.yesNo("oui") == .yes)
        #expect(bot.signals.yesNo("bien sur") == .yes)
        #expect(bot.signals.yesNo("non merci") == .no)
        #expect(bot.signals.yesNo("yes") == nil)
        #expect(bot.signals.clauses("je ne veux pas de remboursement").first?.negated == true)
        // Not a topic file: the bot has only its one intent.
        #expect(bot.intents.map(\.name) == ["greet"])
    }

    @Test func aBotWithoutSignalsReadsNone() throws {
        let bot = try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic)])
        #expect(bot.signals.lexicon.isEmpty)
        #expect(bot.signals.yesNo("yes") == nil)
        #expect(bot.signals.afterDismissal("never mind, where is my order") == nil)
    }

    @Test func signalsAloneAreNotATopic() {
        #expect(problems([("bot.yaml", validSettings), ("signals.yaml", "yes:\n  words: [yes]\n")])
            == ["intents: error: has no topic files; add at least one .yaml file with intents"])
    }

    @Test(arguments: [
        ("yes:\n  word: [yes]\n", "intents/signals.yaml:2:3: error: unknown key 'word' in 'yes'; did you mean 'words'?"),
        ("yess:\n  words: [yes]\n", "intents/signals.yaml:1:1: error: unknown key 'yess' in signals.yaml; did you mean 'yes'?"),
        ("yes:\n  words: [go ahead]\n", "intents/signals.yaml:2:11: error: 'go ahead' in 'yes.words' is 2 words as the bot reads it (go ahead); this list takes one word per entry: put phrases under a 'phrases' list"),
        ("no:\n  words: [dont]\n", "intents/signals.yaml:2:11: error: 'dont' in 'no.words' is 2 words as the bot reads it (do not); this list takes one word per entry: put phrases under a 'phrases' list"),
        ("yes:\n  words: [yes, Yes]\n", "intents/signals.yaml:2:16: error: 'Yes' is already in 'yes.words' at line 2; remove one of them"),
        ("yes:\n  words: yes\n", "intents/signals.yaml:2:10: error: 'yes.words' must be a list (lines starting with '- '), but it is the text 'yes'"),
        ("yes:\n  words: ['!!']\n", "intents/signals.yaml:2:11: error: '!!' in 'yes.words' has no letters or digits; write a word, or remove the line"),
        ("dismissal:\n  phrases: [forget (it)]\n", "intents/signals.yaml:2:13: error: 'forget (it)' in 'dismissal.phrases' has '('; dismissal entries are read as typed, so write only letters, digits and spaces"),
        ("- yes\n", "intents/signals.yaml:1:1: error: signals.yaml must be a mapping of keys to values, but it is a list"),
    ])
    func problemsAreLocated(text: String, expected: String) {
        #expect(signalProblems(text) == [expected])
    }

    @Test func theBundledLexiconLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents/signals.yaml").path
        let lexicon = try LexiconLoader.load(file: path)
        // Every list the engine reads is written in the bundled bot.
        for list in Lexicon.List.allCases {
            #expect(!lexicon[list].isEmpty, "intents/signals.yaml has no \(list.rawValue)")
        }
    }

    @Test func aMissingFileSaysSo() {
        #expect(throws: BotLoadFailure.self) { try LexiconLoader.load(file: "/nonexistent/signals.yaml") }
    }
}
