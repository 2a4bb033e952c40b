import Foundation
import Testing
@testable import RapportCore

@Suite("Amounts a table writes, added up")
struct AmountTests {
    @Test("amounts read as written", arguments: [
        ("£38", "£", "38", "", 0), ("£12.50", "£", "12.5", "", 2), ("1,200 kr", "", "1200", " kr", 0), ("€ 9.99", "€ ", "9.99", "", 2),
    ])
    func reads(text: String, prefix: String, value: String, suffix: String, places: Int) throws {
        let amount = try #require(Amount(text))
        #expect(amount.prefix == prefix)
        #expect(amount.value == Decimal(string: value))
        #expect(amount.suffix == suffix)
        #expect(amount.places == places)
    }

    @Test("not amounts", arguments: ["free", "", "£3.95 or £7.95", "XS to XXL", "UK 3 to 12", "9,99 €", "12,5"])
    func notAmounts(text: String) {
        #expect(Amount(text) == nil)
    }

    @Test func aSumIsWrittenAsTheTableWritesAmounts() throws {
        #expect(Amount.sum(["£38", "£22"].compactMap(Amount.init))?.written == "£60")
        #expect(Amount.sum(["£12.50", "£38"].compactMap(Amount.init))?.written == "£50.50")
        #expect(Amount.sum(["£995", "£300"].compactMap(Amount.init))?.written == "£1,295")
        // Exact: no binary rounding ("£0.10" three times is £0.30).
        #expect(Amount.sum(["£0.10", "£0.10", "£0.10"].compactMap(Amount.init))?.written == "£0.30")
    }

    @Test func amountsOfDifferentKindsHaveNoSum() {
        #expect(Amount.sum(["£38", "$20"].compactMap(Amount.init)) == nil)
        #expect(Amount.sum([]) == nil)
    }
}
