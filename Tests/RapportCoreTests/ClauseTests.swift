import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

/// A clause as the tests write it: its text and whether it is negated.
struct ClauseReading: Hashable, CustomStringConvertible {
    var text: String
    var negated: Bool
    var description: String { negated ? "not(\(text))" : text }
}

func not(_ text: String) -> ClauseReading { ClauseReading(text: text, negated: true) }
func said(_ text: String) -> ClauseReading { ClauseReading(text: text, negated: false) }

@Suite("Clauses, negation, asking and sarcasm")
struct ClauseTests {
    let signals = bundledSignals

    @Test func wordsThatOnlyJoinAskNothing() {
        #expect(signals.onlyJoins("but"))
        #expect(signals.onlyJoins(", and , but ;"))
        #expect(!signals.onlyJoins("but where is my order"))
        #expect(!signals.onlyJoins("?!"))
    }

    @Test func onlyWhyIsTheWholeMessage() {
        #expect(signals.asksOnlyWhy("Why not??"))
        #expect(signals.asksOnlyWhy("how come"))
        #expect(!signals.asksOnlyWhy("why is my order late"))
        #expect(!signals.asksOnlyWhy(""))
    }

    @Test(arguments: [
        ("no I dont want a person I want my jumper", [said("no"), not("I dont want a person"), said("I want my jumper")]),
        ("no need for a human, thanks", [not("no need for a human"), said("thanks")]),
        ("I dont want to cancel it, just checking", [not("I dont want to cancel it"), said("just checking")]),
        ("I am not unhappy, just asking", [not("I am not unhappy"), said("just asking")]),
        // "I never got it" states a problem; only refusals are negated.
        ("I never got it, and I dont want it now", [said("I never got it"), not("I dont want it now")]),
        ("I dont know my order number", [said("I dont know my order number")]),
        ("actually no dont cancel, just tell me when it'll come", [not("actually no dont cancel"), said("just tell me when it'll come")]),
        // Asking to stop something is a request, not a refusal.
        ("I don't want to be emailed anymore", [said("I don't want to be emailed anymore")]),
        ("i dont want any more texts from you", [said("i dont want any more texts from you")]),
        // Refusing the bot asks for a person; a refusal asked is a question.
        ("i'd rather not talk to a bot to be honest", [said("i'd rather not talk to a bot to be honest")]),
        ("so i wont be charged?", [said("so i wont be charged")]),
        ("so i wont be charged, will i", [not("so i wont be charged"), said("will i")]),
        // Taking a request back stays a refusal.
        ("I don't need a person anymore", [not("I don't need a person anymore")]),
        ("I'm not unhappy", [not("I'm not unhappy")]),
        // "I'm not" negates only before a negative word: "not happy" is a complaint.
        ("I'm not happy", [said("I'm not happy")]),
        ("im not complaining, just wondering when it comes", [not("im not complaining"), said("just wondering when it comes")]),
        ("I don’t want a refund I need a new one", [not("I don’t want a refund"), said("I need a new one")]),
        ("where is my order and can I return it", [said("where is my order"), said("can I return it")]),
        ("where is my order? Also, do you have jumpers", [said("where is my order"), said("do you have jumpers")]),
        ("I want a jumper as well", [said("I want a jumper")]),
        ("track HP-10443; oh and the hours", [said("track HP-10443"), said("the hours")]),
        ("it was £1,250.50 but I paid 12.50", [said("it was £1,250.50"), said("I paid 12.50")]),
        ("hello\nwhere is my parcel", [said("hello"), said("where is my parcel")]),
        ("no thanks", [said("no thanks")]),
        ("never", [said("never")]),
        ("", []),
        ("?!, ...", []),
    ])
    func clauses(text: String, expected: [ClauseReading]) {
        #expect(signals.clauses(text).map { ClauseReading(text: String($0.text), negated: $0.negated) } == expected)
    }

    @Test func aClauseKnowsWhereItIsInTheMessage() throws {
        let message = "Café closed? I don’t want a refund, I want HP-10443"
        let clauses = signals.clauses(message)
        #expect(clauses.count == 3)
        let scalars = Array(message.unicodeScalars)
        for clause in clauses {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[clause.scalarRange])
            #expect(String(text) == String(clause.text))
        }
        let last = try #require(clauses.last)
        #expect(last.words == ["i", "want", "hp", "10443"])
        #expect(clauses[1].words == ["i", "do", "not", "want", "a", "refund"])
    }

    @Test func twoThousandCharactersAreSplitQuickly() {
        let message = String(repeating: "no I dont want and ", count: 105)
        #expect(message.count > 1_900)
        #expect(signals.clauses(message).count > 100)
    }

    @Test(arguments: [
        ("just checking", true), ("I dont want to cancel it, just checking", true), ("only asking", true),
        ("just wondering when you open", true), ("just curious", true),
        ("cancel my order", false), ("I'm checking out now", false), ("just cancel it", false),
    ])
    func onlyAsking(text: String, asking: Bool) {
        #expect(signals.isOnlyAsking(text) == asking)
    }

    @Test(arguments: [
        ("My blanket arrived with a big tear in it. Order HP-10610.", true), ("got my order today but only one pair of socks", true),
        ("when I opened the box the mug was smashed", true), ("it turned up this morning", true),
        ("it hasn't arrived yet", false), ("it never came", false), ("has it arrived?", false), ("has HP-10443 arrived", false),
        ("hi has my order arrived", false), ("what if it arrived broken", false), ("still waiting for it to turn up", false),
        ("my blanket arrived torn, its been a week", true),
        // Said, due or denied, not had.
        ("got it, thanks", false), ("ok got it, please cancel HP-10443", false), ("it should have arrived on Friday", false),
        ("HP-10610 should have been delivered by now", false), ("I received the confirmation email", false),
        ("tracking says it was delivered but it wasnt", false), ("the app shows it was delivered but there is nothing here", false),
        ("it came up with an error", false), ("it arrived? no it never came", false),
        // Used, worn or broken: had.
        ("The mug in HP-10442 came smashed", true), ("my flask from HP-10655 leaks", true), ("only had it a week", true),
        ("I collected it yesterday", true), ("does the flask leak?", false), ("will the jumper shrink", false),
        ("my blanket is shedding after one wash", true), ("will the jumper be too big?", false), ("it still hasnt come after two weeks", false),
    ])
    func saysItArrived(text: String, arrived: Bool) {
        #expect(signals.saysArrived(text) == arrived)
    }

    @Test(arguments: [
        ("my mate has card PC-118230, can I use his points", true), ("it's my wife's card, PC-204518", true),
        ("my card is PC-204518, can my husband use my points?", false), ("how many points on PC-300771", false),
        ("PC-300771. my son wants to know", false),
        ("check the points on PC-118230 for my mum", true), ("my mums card PC-118230 how many points", true),
        ("They gave me a new card in the shop, PC-204518. how many points do I have", false),
        // Clauses after that point back, naming no value: the owner said after a question.
        ("Can you tell me what's in order HP-10655 and who it's for? it's my wife's", true),
        // An order (a record someone placed) is theirs only as placed by them: not one it is for, nor one who
        // says something of it.
        ("my wife ordered HP-10655, can I collect it for her?", true), ("where is my order HP-10655? it's my wife's, she placed it", true),
        ("where is my order HP-10442, my husband says it hasn't come", false),
        ("So I got my parcel today, order HP-10377, which was a present for my sister's birthday", false),
        ("I ordered a gift for my sister, HP-10610, where is it", false), ("has HP-10610 shipped? I bought it for my daughter", false),
        ("order HP-10442 is my husband's birthday present, will it arrive in time?", false),
        // A member's card keeps its owner words, however the customer says "my points".
        ("check my points please, PC-118230 - it's my husband's card", true),
        ("my number is PC-118230 but its my husbands card, how many points", true),
    ])
    func aValueNamedAsSomeoneElses(text: String, theirs: Bool) throws {
        let range = try #require(text.range(of: #"(PC|HP)-\d{5,6}"#, options: .regularExpression))
        let scalars = text.unicodeScalars
        let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
        let end = scalars.distance(from: scalars.startIndex, to: range.upperBound)
        let value = EntityMatch(entity: "member_number", text: String(text[range]), value: String(text[range]), start: start, end: end)
        #expect(signals.namesAsSomeoneElses(value, in: text, placed: text.contains("HP-")) == theirs)
    }

    @Test(arguments: [
        ("boots plus 2 pairs of socks", "socks", 2), ("boots plus 2 pairs of socks", "boots", 1),
        ("three candles and a mug", "candles", 3), ("three candles and a mug", "mug", 1), ("3 x mugs", "mugs", 3),
        ("the socks", "socks", 1), ("2 of the socks", "socks", 1), ("socks", "socks", 1),
        ("size 8 walking boots", "walking boots", 1), ("uk 9 boots", "boots", 1),
    ])
    func aThingIsCountedByTheFigureJustBeforeIt(text: String, thing: String, count: Int) throws {
        let range = try #require(text.range(of: thing))
        let scalars = text.unicodeScalars
        let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
        let value = EntityMatch(entity: "product", text: thing, value: thing, start: start, end: start + thing.unicodeScalars.count)
        #expect(signals.count(of: value, in: text) == count)
    }

    @Test func aFigureThatCountsNoThingNamedIsNoCount() {
        func named(_ text: String, _ things: [String]) -> [EntityMatch] {
            things.compactMap { thing in
                text.range(of: thing).map { range in
                    let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
                    return EntityMatch(entity: "product", text: thing, value: thing, start: start, end: start + thing.unicodeScalars.count)
                }
            }
        }
        let pairs = "boots plus 2 pairs of socks, what's the total"
        #expect(signals.countsOnlyThings(pairs, named: named(pairs, ["boots", "socks"])))
        let people = "what would the boots cost for 3 people in total"
        #expect(!signals.countsOnlyThings(people, named: named(people, ["boots"])))
        let budget = "a beanie and gloves, about £35 total"
        #expect(!signals.countsOnlyThings(budget, named: named(budget, ["beanie", "gloves"])))
    }

    @Test(arguments: [
        ("thanks for nothing", true), ("cheers for nothing", true), ("thanks a lot, this is useless", true),
        ("great, just great", true), ("oh brilliant, it's broken again", true), ("well that was useless", true),
        ("yeah right", true), ("you've been a great help... not", true), ("brilliant, a waste of time", true),
        ("thanks", false), ("great, thanks", false), ("thanks for your help", false), ("brilliant, that's all I needed", false),
        ("thanks, that's not what I asked", false), ("this is useless", false), ("is it not in stock? thanks", false),
    ])
    func sarcasm(text: String, sarcastic: Bool) {
        #expect(signals.isSarcastic(text) == sarcastic)
    }

    @Test(arguments: [
        ("it's PC-118320, sorry no PC-118230", true),
        ("HP-10424 sorry typo HP-10442", true),
        ("HP-10424, I mean HP-10442", true),
        ("HP-10442 and HP-10443", false),
        ("HP-10442 arrived but HP-10443 didn't", false),
    ])
    func aValueCorrectedByTheNextOne(text: String, corrects: Bool) {
        // The two values where they are in the text, as the entity extractor finds them.
        let keys = text.unicodeScalars.indices.compactMap { index -> EntityMatch? in
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: index)
            let rest = String(text.unicodeScalars[index...])
            guard rest.hasPrefix("HP-") || rest.hasPrefix("PC-") else { return nil }
            let key = String(rest.prefix(9))
            return EntityMatch(entity: "key", text: key, value: key, start: offset, end: offset + 9)
        }
        #expect(keys.count == 2)
        #expect(signals.correctsBetween(keys[0], keys[1], in: text) == corrects)
    }

    @Test(arguments: [
        ("only got half my order. boots came, no socks", ["only got half my order", "boots came"]),
        ("I got the boots but not the socks", ["I got the boots"]),
        ("the socks didn't come", []),
        ("have the boots come?", []),
        ("it should have come on friday", []),
    ])
    func clausesThatSayItCame(text: String, came: [String]) {
        #expect(signals.clausesSayingItCame(text).map { String($0.text) } == came)
    }

    @Test(arguments: [
        ("only got half my order. boots came, no socks", ["no socks"]),
        ("got the socks but the boots are missing", ["the boots are missing"]),
        ("the socks didn't come", ["the socks didn't come"]),
        ("boots came, socks came too", []),
    ])
    func clausesThatSayItDidNotCome(text: String, missing: [String]) {
        #expect(signals.clausesSayingItDidNotCome(text).map { String($0.text) } == missing)
    }

    @Test(arguments: [
        ("no idea", ""),
        ("dunno mate", "mate"),
        ("no idea how to return it", nil),
        ("where is my order", nil),
    ] as [(String, String?)])
    func wordsBesideNotKnowing(text: String, rest: String?) {
        #expect(signals.wordsBesidesUnsure(text) == rest)
    }

    @Test func aLexiconWithoutTheListsReadsNothing() {
        let none = CustomerSignals.none
        #expect(none.clauses("no I dont want a person, thanks").map(\.negated) == [false, false])
        #expect(!none.isSarcastic("thanks for nothing"))
        #expect(!none.isOnlyAsking("just checking"))
    }

    @Test func anotherLanguageNeedsOnlyWords() {
        let german = CustomerSignals(lexicon: Lexicon([
            .noOpeners: ["nein"], .negationCues: ["ich will keinen", "keinen"], .negationFillers: ["nein", "aber"],
            .clauseConnectors: ["und", "aber"], .clauseRestarts: ["ich will"],
            .sarcasmPhrases: ["danke für nichts"], .dismissalPhrases: ["vergiss es"], .dismissalFillers: ["ach"],
        ]))
        #expect(german.clauses("nein ich will keinen Menschen ich will meinen Pullover").map { ClauseReading(text: String($0.text), negated: $0.negated) }
            == [said("nein"), not("ich will keinen Menschen"), said("ich will meinen Pullover")])
        #expect(german.isSarcastic("Danke für nichts!"))
        #expect(german.afterDismissal("ach, vergiss es. Wo ist meine Bestellung?").map(String.init) == "Wo ist meine Bestellung?")
    }
}
