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

    @Test func detailsAreReadWithTheirPhrases() throws {
        let bot = try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic + """
              - name: collect
                examples: [can I collect it from a shop]
                responses: [Collect it from any shop.]
                details:
                  cost: ["Collecting is free."]

            """), ("signals.yaml", "details:\n  cost: [gratuit, how much]\n")])
        #expect(bot.signals.lexicon.details == [DetailCue(name: "cost", phrases: ["gratuit", "how much"])])
        #expect(bot.intent(named: "collect")?.details.map(\.name) == ["cost"])
        #expect(bot.signals.detailsAsked("c'est gratuit ?").details == ["cost"])
    }

    @Test func aDetailAskedWhenNoOtherIs() throws {
        let lexicon = try LexiconLoader.parse("""
            details:
              time: [what time, how long]
              today: [today]
              saturday: [saturday]
            details_otherwise:
              today: [what time does it close]

            """)
        let signals = CustomerSignals(lexicon: lexicon)
        #expect(signals.detailsAsked("what time does it close?").details == ["today"], "its words read first: no time")
        #expect(signals.detailsAsked("what time does it close on saturday").details == ["saturday"], "another detail asked")
        #expect(signals.detailsAsked("what time do you close").details == ["time"])
    }

    @Test func detailsSayingWhomMustBeDetails() {
        #expect(throws: (any Error).self) {
            try LexiconLoader.parse("""
                other_people:
                  details: [who_for]
                details:
                  someone_else: [my mum]

                """)
        }
        #expect((try? LexiconLoader.parse("""
            other_people:
              details: [someone_else]
            details:
              someone_else: [my mum]

            """)) != nil)
    }

    @Test func aQuestionAskingYesOrNo() throws {
        let lexicon = try LexiconLoader.parse("""
            answers:
              question_words: [what, how, is, are]
            yes_no:
              openers: [is, are, does]
              leading: [and, so]

            """)
        let signals = CustomerSignals(lexicon: lexicon)
        #expect(signals.asksYesOrNo("Are they touchscreen friendly?"))
        #expect(signals.asksYesOrNo("and does it have a hood"), "after a leading word")
        #expect(signals.asksYesOrNo("touchscreen ones?"), "a short question with no question word")
        #expect(!signals.asksYesOrNo("what colours?"), "a question word first")
        #expect(!signals.asksYesOrNo("how big is the backpack"))
        #expect(!signals.asksYesOrNo("I need gloves that work with my phone"), "no question")
        #expect(!signals.asksYesOrNo("is it waterproof or just showerproof?"), "which of two")
        #expect(signals.asksYesOrNo("is it waterproof or not?"))
    }

    @Test func howSomethingWasBoughtAsksOnlyWhenNothingElseIs() throws {
        let lexicon = try LexiconLoader.parse("""
            refers_back:
              words: [it]
            purchase:
              bought: [bought, ordered]
              channel_details: [online, in_store]
            details:
              online: [online]
              in_store: [in the ... shop]
              gift: [as a gift]

            """)
        let signals = CustomerSignals(lexicon: lexicon)
        #expect(signals.detailsAsked("i bought it online, can i return it in the york shop").details == ["in_store"])
        #expect(signals.detailsAsked("ordered online, can i take it back in the leeds shop").details == ["in_store"])
        #expect(signals.detailsAsked("I bought it as a gift, can it go back?").details == ["gift"], "nothing else asked")
        #expect(signals.detailsAsked("can i return it online").details == ["online"])
        #expect(Set(signals.detailsAsked("I bought it as a gift, can I return it in the york shop").details) == ["gift", "in_store"],
                "a gift is no channel: asked like any detail, beside another")
    }

    @Test func aDetailAskedAloneIsTheWholeMessage() throws {
        let lexicon = try LexiconLoader.parse("""
            fillers:
              words: [then]
              acknowledgements: [ok]
            details:
              time: [how long]
            details_alone:
              time: [when]

            """)
        let signals = CustomerSignals(lexicon: lexicon)
        #expect(signals.detailsAsked("when?").details == ["time"])
        #expect(signals.detailsAsked("ok when then?").details == ["time"], "fillers and acknowledgements aside")
        #expect(signals.detailsAsked("what happens when it comes").details.isEmpty, "within a longer message, no time")
        #expect(signals.detailsAsked("how long?").details == ["time"])
    }

    @Test func anIntentsDetailMustBeNamedInSignals() {
        let topic = validTopic + """
              - name: collect
                examples: [can I collect it from a shop]
                responses: [Collect it from any shop.]
                details:
                  price: ["Collecting is free."]

            """
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic), ("signals.yaml", "details:\n  cost: [free]\n")])
            == ["intents/smalltalk.yaml:12:7: error: collect answers the detail 'price', which signals.yaml's 'details' does not name (it names cost); add it there with the words that ask for it, or correct the name"])
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
            == ["intents/smalltalk.yaml:12:7: error: collect answers the detail 'price', but signals.yaml names no details; add 'details:' there with the words that ask for it"])
    }

    @Test func otherLanguageWordsTellAnotherLanguageFromTheBots() throws {
        let bot = try bot(signals: """
            other_language:
              words: [dónde, está, mi, pedido, hola, le]
              own_words: [the, my, where, is, i, in]
            """)
        #expect(bot.signals.isInOtherLanguage("¿Dónde está mi pedido?"))
        #expect(bot.signals.isInOtherLanguage("hola"))
        // One word of another language with none of the bot's, in three words or more.
        #expect(bot.signals.isInOtherLanguage("pedido perdido, ayuda"))
        #expect(!bot.signals.isInOtherLanguage("where is my pedido"))
        #expect(!bot.signals.isInOtherLanguage("I shop in le Marais"))
        #expect(!bot.signals.isInOtherLanguage("le creuset"), "one of two words")
        #expect(bot.signals.isInOtherLanguage("Где мой заказ?"), "another script is another language without any list")
    }

    @Test func aWordOfAnotherLanguageMayNotBeOneOfTheBotsOwn() {
        #expect(signalProblems("other_language:\n  words: [hola, donde]\n  own_words: [the, Dónde]\n")
            == ["intents/signals.yaml:3:20: error: 'Dónde' is in both 'other_language.words' and 'other_language.own_words'; a word is of one language or the other"])
        // The bot's examples are in its own language: none may use a word of another.
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("signals.yaml", "other_language:\n  words: [hello, hola]\n")])
            .contains { $0.contains("uses 'hello', which signals.yaml's other_language.words lists as a word of another language; take it out of that list") })
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
        ("details:\n  cost: [free, how much]\n  time: [how long, How Much]\n",
         "intents/signals.yaml:3:20: error: 'How Much' already asks for 'cost' at line 2; a phrase may ask for one detail only"),
        ("details:\n  send_back: [send back, send ... back, return the ...]\n",
         "intents/signals.yaml:2:41: error: 'return the ...' in 'details.send_back' has '...' where no words stand either side; put it between two words, like 'send ... back'"),
        ("details:\n  send_back: [send ... back]\n  cost: [send ... back]\n",
         "intents/signals.yaml:3:10: error: 'send ... back' already asks for 'send_back' at line 2; a phrase may ask for one detail only"),
        ("details:\n  Cost: [free]\n", "intents/signals.yaml:2:3: error: a detail name is lower-case letters, digits and '_', like cost or someone_else"),
        ("details: [free]\n", "intents/signals.yaml:1:10: error: 'details' is a mapping of detail names to the phrases that ask for them, like 'cost: [free, how much]'"),
        // A phrase asks for one detail, whether within a message or alone; and a detail asked alone is one of 'details'.
        ("details:\n  time: [how long]\ndetails_alone:\n  time: [when, how long]\n",
         "intents/signals.yaml:4:16: error: 'how long' already asks for 'time' at line 2; a phrase may ask for one detail only"),
        ("details:\n  time: [how long]\ndetails_alone:\n  when: [when]\n",
         "intents/signals.yaml:4:3: error: 'details_alone.when' names no detail of 'details'; name one of those, like 'time'"),
        ("details:\n  time: [how long]\ndetails_otherwise:\n  hours: [what time does it close]\n",
         "intents/signals.yaml:4:3: error: 'details_otherwise.hours' names no detail of 'details'; name one of those, like 'time'"),
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
