import Testing
@testable import RapportCore

@Suite("Remembered readings")
struct ReadingMemoTests {
    @Test("a text read again is not read anew, until newer ones have pushed it out")
    func oldestGoesFirst() {
        let memo = ReadingMemo<ExactText, Int>(capacity: 2)
        var reads = 0
        func read(_ text: String) -> Int { memo.reading(ExactText(text)) { reads += 1; return text.count } }
        #expect(read("one") == 3 && read("one") == 3)
        #expect(reads == 1)
        _ = read("two")
        _ = read("three") // pushes "one" out
        #expect(read("two") == 3 && reads == 3)
        #expect(read("one") == 3 && reads == 4, "read anew once pushed out")
    }

    @Test("a long text is read anew each time, not kept")
    func longTextsAreNotKept() {
        let memo = ReadingMemo<ExactText, Int>(capacity: 4)
        let long = String(repeating: "x", count: ReadingMemo<ExactText, Int>.longest + 1)
        var reads = 0
        for _ in 0..<3 { _ = memo.reading(ExactText(long)) { reads += 1; return 0 } }
        #expect(reads == 3)
        #expect(memo[ExactText(long)] == nil)
    }

    @Test("texts are the same key only with the same scalars")
    func exactText() {
        #expect("café" == "cafe\u{301}", "equal to Swift")
        #expect(ExactText("café") != ExactText("cafe\u{301}"))
        #expect(ExactText("café") == ExactText("caf" + "é"))
        #expect(Set([ExactText("café"), ExactText("cafe\u{301}"), ExactText("café")]).count == 2)
    }
}
