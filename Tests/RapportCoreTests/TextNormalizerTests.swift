import Testing
@testable import RapportCore

@Suite("Text normalisation")
struct TextNormalizerTests {
    @Test("folds case, accents, punctuation and contractions", arguments: [
        ("Where IS my ORDER?!", ["where", "is", "my", "order"]),
        ("Café crème, s'il vous plaît", ["cafe", "creme", "sil", "vous", "plait"]),
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
