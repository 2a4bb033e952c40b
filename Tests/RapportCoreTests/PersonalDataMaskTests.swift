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
    ])
    func masks(input: String, expected: String) {
        #expect(PersonalDataMask.mask(input) == expected)
    }
}
