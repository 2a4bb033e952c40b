import Testing
@testable import RapportCore

@Suite("Reading satisfaction answers")
struct SatisfactionAnswerTests {
    @Test("scores on 1 to 5, as people type them", arguments: [
        ("5", 5), ("4", 4), ("1", 1), ("five", 5), ("Three.", 3), ("4 stars", 4), ("4/5", 4), ("2 / 5", 2),
        ("10/10", 5), ("8 out of 10", 4), ("3/10", 2), ("0/10", 1),
        ("very satisfied", 5), ("Excellent!", 5), ("really helpful thanks", 5), ("good", 4), ("pretty good", 4),
        ("meh", 3), ("it was ok", 3), ("so-so", 3), ("not bad", 3), ("not very good", 2), ("could be better", 2),
        ("poor", 2), ("useless", 1), ("terrible!!", 1), ("not helpful at all", 1),
        (":)", 4), ("🙂", 4), (":D", 5), (":(", 2), ("😡", 1), ("👍", 4), ("terrible :)", 1), ("not that great", 2),
        ("not too bad", 3), ("ten out of ten", 5), ("no complaints", 5),
    ])
    func csat(text: String, expected: Int) {
        #expect(SatisfactionAnswer.csat(text) == expected)
    }

    @Test("no score in these", arguments: ["", "where is my order", "7", "11/10", "2 and 3", "HP-10442", "hmm let me think",
                                           "I want to return 2 items", "1 sec", "one more thing", "hold on 2 mins"])
    func noCSAT(text: String) {
        #expect(SatisfactionAnswer.csat(text) == nil)
    }

    @Test("a score given unasked", arguments: [
        ("how was the chat? ill give you a 2 out of 10", 1), ("thanks, rate you 4/5 so far", 4), ("8 out of 10 for that", 4),
        ("I'd score this 5/5", 5),
    ])
    func unaskedScore(text: String, score: Int) {
        #expect(SatisfactionAnswer.unaskedScore(text) == score)
    }

    @Test("no unasked score in dates, counts and plain numbers", arguments: [
        "it was due 3/12 but never came", "2 of the 3 items came", "4", "good", "order 10/5 please", "HP-10442",
        "only 2 out of 5 items arrived in my order", "3 out of 5 parcels came",
    ])
    func noUnaskedScore(text: String) {
        #expect(SatisfactionAnswer.unaskedScore(text) == nil)
    }

    @Test("likelihood to recommend on 0 to 10", arguments: [
        ("9", 9), ("10", 10), ("0", 0), ("ten", 10), ("10/10", 10), ("4/5", 8), ("definitely", 10), ("probably", 8),
        ("maybe", 5), ("probably not", 3), ("never", 0), ("I already have!", 10), ("definitely wouldn't", 2), ("absolutely not", 0),
        ("of course not", 2), ("5 out of 5", 10),
    ])
    func nps(text: String, expected: Int) {
        #expect(SatisfactionAnswer.nps(text) == expected)
    }

    @Test("against expectations", arguments: [
        ("better than I expected", AgainstExpectations.above), ("above", .above), ("it exceeded them", .above),
        ("as expected", .met), ("about what I expected", .met), ("fine", .met),
        ("below", .below), ("worse than I expected", .below), ("not what I expected", .below), ("a bit disappointed", .below),
        ("not as expected", .below), ("I expected better", .below), ("not impressed", .below), ("not disappointed", .met),
    ])
    func expectation(text: String, expected: AgainstExpectations) {
        #expect(SatisfactionAnswer.expectation(text) == expected)
    }

    @Test("declining", arguments: [("skip", true), ("no thanks", true), ("not now", true), ("no", true), ("5", false), ("good", false),
                                   ("no problem", false), ("no complaints", false), ("no survey thanks", true), ("nah im good", true),
                                   ("I don't want to do a survey", true), ("no, 2", false), ("no worries", false)])
    func declining(text: String, declined: Bool) {
        #expect(SatisfactionAnswer.isDeclined(text) == declined)
    }
}
