import Testing
@testable import RapportCore

@Suite("Masking personal data")
struct PersonalDataMaskTests {
    @Test("masks", arguments: [
        ("write to sam.smith+shop@example.co.uk please", "write to [email] please"),
        ("card 4111 1111 1111 1111 was charged twice", "card [card number] was charged twice"),
        ("card 4111-1111-1111-1111", "card [card number]"),
        ("call me on 0161 555 0142", "call me on [phone number]"),
        ("or +44 7700 900123 after 6", "or [phone number] after 6"),
        ("ring (0161) 555-0142", "ring [phone number]"),
        ("order HP-12345 came late, 2 days", "order HP-12345 came late, 2 days"),
        ("it cost £49.99 in 2026", "it cost £49.99 in 2026"),
        ("great service :)", "great service :)"),
        ("two: a@b.com and c.d@e.org", "two: [email] and [email]"),
        ("mail me at ＠ home", "mail me at ＠ home"),
        ("١٢٣٤٥٦٧٨٩٠١", "[phone number]"),
        ("HP-10443, 4 of them, on 24/11/2026 at 10:30", "HP-10443, 4 of them, on 24/11/2026 at 10:30"),
        ("ref 24 11 2026 0930", "ref [phone number]"),
    ])
    func masks(input: String, expected: String) {
        #expect(PersonalDataMask.mask(input) == expected)
    }

    /// The card and phone patterns run only on a chain of as many digits as they need.
    @Test("the chain of digits a card or phone number needs", arguments: [
        ("HP-10443 on 24/11", 5), ("0161 555 0142", 11), ("12  34", 2), ("1-2.3 4", 4), ("x 12-", 2),
        ("١٢٣ ٤", 4), // outside ASCII, every decimal digit counts
    ])
    func digitChain(input: String, expected: Int) {
        #expect(PersonalDataMask.longestDigitChain(in: input) == expected)
    }

    /// The mask runs on every message kept in the dialogue state at every
    /// save; its speed on long messages is measured by docs/benchmarks/startup.py.
    @Test("long words are masked unchanged and an address at their end is still found", arguments: [
        (String(repeating: "x", count: 1_999), String(repeating: "x", count: 1_999)),
        (String(repeating: "x", count: 1_999) + "@", String(repeating: "x", count: 1_999) + "@"),
        (String(repeating: "x", count: 1_990) + "@shop.com", "[email]"),
        ("hi " + String(repeating: "x.", count: 999) + "@", "hi " + String(repeating: "x.", count: 999) + "@"),
    ])
    func longWords(input: String, expected: String) {
        #expect(PersonalDataMask.mask(input) == expected)
    }
}
