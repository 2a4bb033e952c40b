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
    ])
    func tokens(input: String, expected: [String]) {
        #expect(TextNormalizer.tokens(input) == expected)
    }
}
