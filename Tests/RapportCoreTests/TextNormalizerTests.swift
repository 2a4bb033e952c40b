import Testing
@testable import RapportCore

@Suite("Text normalisation")
struct TextNormalizerTests {
    @Test("folds case, accents, punctuation and contractions", arguments: [
        ("Where IS my ORDER?!", ["where", "is", "my", "order"]),
        ("Café crème, s'il vous plaît", ["cafe", "creme", "s", "il", "vous", "plait"]),
        // French elides only before a vowel (or h, or y as in d'York): English apostrophes stay words.
        ("horaires du magasin d'York", ["horaires", "du", "magasin", "d", "york"]),
        ("c'mon seriously, s'pose so", ["cmon", "seriously", "spose", "so"]),
        ("I can't log in", ["i", "can", "not", "log", "in"]),
        ("I cant log in", ["i", "can", "not", "log", "in"]),
        ("what’s the status", ["what", "is", "the", "status"]),
        ("my order's late", ["my", "order", "late"]),
        ("order #A-10442, please", ["order", "a", "10442", "please"]),
        ("   ", []),
        ("I was charged £1,250.50 twice", ["i", "was", "charged", "1250.50", "twice"]),
        ("€4,99 and 1,000,000 points", ["4.99", "and", "1000000", "points"]),
        ("ORDERED 3. THEN 2, 3", ["ordered", "3", "then", "2", "3"]),
        ("WHERE IS MY REFUND", ["where", "is", "my", "refund"]),
    ])
    func tokens(input: String, expected: [String]) {
        #expect(TextNormalizer.tokens(input) == expected)
    }
}

@Suite("Edit distance and suggestions")
struct EditDistanceTests {
    @Test("distance", arguments: [("", "", 0), ("abc", "", 3), ("examples", "exampels", 2), ("kitten", "sitting", 3)])
    func distance(a: String, b: String, expected: Int) {
        #expect(EditDistance.between(a, b) == expected)
        #expect(EditDistance.between(b, a) == expected)
    }

    @Test func suggestsOnlyCloseCandidates() {
        #expect(EditDistance.nearest("Exampels", in: ["name", "examples", "responses"]) == "examples")
        #expect(EditDistance.nearest("colour", in: ["name", "examples", "responses"]) == nil)
        #expect(EditDistance.nearest("intnet", in: ["INTENT"], ignoringCase: false) == nil)
        #expect(EditDistance.nearest("INTNET", in: ["INTENT", "EVENT"], ignoringCase: false) == "INTENT")
    }
}

@Suite("Sentences of an answer")
struct AnswerSentencesTests {
    @Test func aLastClauseSaidAlreadyInTheTurnIsLeftOut() {
        let said = ["£120 for our walking boots, and standard delivery is free on orders over £50."]
        #expect(AnswerSentences.withoutClausesSaid(said, in: "£14 for our socks, and standard delivery is free on orders over £50.")
            == "£14 for our socks.")
        // Another ending, or the clause said elsewhere than at the end, stays.
        #expect(AnswerSentences.withoutClausesSaid(said, in: "£14 for our socks, and they come in three sizes.")
            == "£14 for our socks, and they come in three sizes.")
        #expect(AnswerSentences.withoutClausesSaid([], in: "£14 for our socks, and more.") == "£14 for our socks, and more.")
    }

    @Test func splitsAfterAFullStopBeforeACapitalOnly() {
        let answer = "Standard delivery is £3.95, and free over £50. Track it at harbourandpine.example/track/HP-10442. Open 9:30am to 5pm! Questions? \"Ask us.\""
        #expect(AnswerSentences.split(answer) == [
            "Standard delivery is £3.95, and free over £50.",
            "Track it at harbourandpine.example/track/HP-10442.",
            "Open 9:30am to 5pm!",
            "Questions?",
            "\"Ask us.\"",
        ])
        #expect(AnswerSentences.split("One sentence only.") == ["One sentence only."])
        #expect(AnswerSentences.split("") == [])
    }

    /// Plain ASCII answers are cut byte by byte, for speed: exactly where the
    /// character-by-character reading cuts them.
    @Test func asciiIsCutWhereCharactersAre() {
        let answers = [
            "Standard delivery is 3.95, and free over 50. Track it at harbourandpine.example/track/HP-10442. Open 9:30am to 5pm! Questions? \"Ask us.\"",
            "Ends here.  Two spaces before this. (Bracketed.) 'Quoted.' 3 days. a lower case start. End?",
            " Leading and trailing \t. Tab\t. ", "...", ". A", "?  ", "Dots... And more!  ", "Line\r\nbreak. Next\r\n. Here.",
            "", "No stop", "Wow!!! Great. ?? Really? yes.",
        ]
        for answer in answers {
            #expect(AnswerSentences.splitASCII(answer) == AnswerSentences.splitCharacters(answer), "\(answer.debugDescription)")
        }
    }

    @Test func picksTheSentenceThatHoldsTheRarerWords() {
        let answer = "We accept Visa, Mastercard and PayPal. You can also spread the cost over three payments with Klarna. Cards are charged when the order leaves."
        #expect(AnswerSentences.answering(["klarna"], in: answer) == "You can also spread the cost over three payments with Klarna.")
        // "Cards" is in two sentences; "charged" in one: that one is meant.
        #expect(AnswerSentences.answering(["card", "charge"], in: answer) == "Cards are charged when the order leaves.")
    }

    @Test func noSentenceOrEverySentenceIsNoPart() {
        let answer = "Returns are free. Returns take 30 days."
        #expect(AnswerSentences.answering(["returns"], in: answer) == nil, "every sentence holds it")
        #expect(AnswerSentences.answering(["parking"], in: answer) == nil, "no sentence holds it")
        #expect(AnswerSentences.answering([], in: answer) == nil)
        #expect(AnswerSentences.answering(["free"], in: "Returns are free.") == nil, "one sentence is the whole answer")
    }

    @Test func aQuestionOfTheAnswerComesOnlyWithItsAnswer() {
        let answer = "Sales come twice a year. Got a code already? Put it in the code box at checkout."
        #expect(AnswerSentences.answering(["already"], in: answer) == nil, "a question alone answers nothing")
        #expect(AnswerSentences.answering(["box"], in: answer) == "Got a code already? Put it in the code box at checkout.")
    }

    @Test func sentencesEquallyNamedAreKeptInTheirOrder() {
        let answer = "Points last two years. Vouchers are emailed. Vouchers last six months."
        #expect(AnswerSentences.answering(["last"], in: answer) == "Points last two years. Vouchers last six months.")
    }

    @Test func aSentenceIsCutAtItsClausesWhenAsked() {
        let hours = "Our York shop is open 9:30am to 5:30pm Monday to Saturday, and 11am to 4pm on Sundays; on bank holidays, 11am to 4pm."
        #expect(AnswerSentences.clauses(of: hours) == [
            "Our York shop is open 9:30am to 5:30pm Monday to Saturday.", "11am to 4pm on Sundays.", "On bank holidays, 11am to 4pm.",
        ])
        #expect(AnswerSentences.answering(["sunday"], in: hours) == nil, "one sentence is the whole answer")
        #expect(AnswerSentences.answering(["sunday"], in: hours, clausesToo: true) == "11am to 4pm on Sundays.")
    }

    @Test func wordsMatchAcrossTheirEndings() {
        #expect(AnswerSentences.sameWord("points", "point"))
        #expect(AnswerSentences.sameWord("expire", "expiry"))
        #expect(AnswerSentences.sameWord("waterproof", "waterproofing"))
        #expect(AnswerSentences.sameWord("sending", "send"), "an ing ending on a short word")
        #expect(AnswerSentences.sameWord("want", "wanted"))
        #expect(!AnswerSentences.sameWord("box", "boxing"), "too short to tell")
        #expect(!AnswerSentences.sameWord("sing", "singer"))
        #expect(!AnswerSentences.sameWord("pay", "payment"), "too short to tell")
        #expect(!AnswerSentences.sameWord("present", "presentation"), "too much after the shared letters")
        #expect(AnswerSentences.singular("glass") == "glass")
    }
}
