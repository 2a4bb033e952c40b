import Foundation

/// An amount as a data table writes it ("£38", "£12.50", "1,200 kr"): what
/// comes before and after the number, and the number, exactly (`Decimal`), so
/// amounts of one kind can be added up and the sum written the same way.
public struct Amount: Hashable, Sendable {
    public var prefix: String
    public var value: Decimal
    public var suffix: String
    /// Digits after the decimal point, as written (0 for "£38", 2 for "£12.50").
    public var places: Int

    /// Nil for text that is not one amount: no digits, two numbers, or a number in words.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.firstIndex(where: \.isNumber) else { return nil }
        var end = first
        var seenPoint = false
        var places = 0
        var digits = ""
        while end < trimmed.endIndex {
            let character = trimmed[end]
            if character.isASCII, character.isNumber {
                digits.append(character)
                if seenPoint { places += 1 }
            } else if character == ",", !seenPoint, trimmed.index(after: end) < trimmed.endIndex,
                      trimmed[trimmed.index(after: end)].isNumber {
                // A thousands separator ("1,200"): three digits after it, then no digit. Else ("9,99", a decimal
                // comma) it is no amount this reads: nil, rather than 999.
                let after = trimmed[trimmed.index(after: end)...]
                guard after.prefix(3).count == 3, after.prefix(3).allSatisfy({ $0.isASCII && $0.isNumber }),
                      after.dropFirst(3).first.map({ !$0.isNumber }) ?? true else { return nil }
            } else if character == ".", !seenPoint, trimmed.index(after: end) < trimmed.endIndex,
                      trimmed[trimmed.index(after: end)].isNumber {
                seenPoint = true
                digits.append(".")
            } else {
                break
            }
            end = trimmed.index(after: end)
        }
        let prefix = String(trimmed[..<first]), suffix = String(trimmed[end...])
        guard !digits.isEmpty, !prefix.contains(where: \.isNumber), !suffix.contains(where: \.isNumber),
              !prefix.contains(where: \.isLetter) || prefix.count <= 4, let value = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        self.prefix = prefix
        self.value = value
        self.suffix = suffix
        self.places = places
    }

    init(prefix: String, value: Decimal, suffix: String, places: Int) {
        self.prefix = prefix
        self.value = value
        self.suffix = suffix
        self.places = places
    }

    /// The sum of amounts written alike (the same currency sign and words around the number); nil for none,
    /// or for amounts of different kinds ("£38" and "$20"), which no sum can be written for.
    public static func sum(_ amounts: [Amount]) -> Amount? {
        guard let first = amounts.first, amounts.allSatisfy({ $0.prefix == first.prefix && $0.suffix == first.suffix }) else { return nil }
        let value = amounts.reduce(Decimal(0)) { $0 + $1.value }
        return Amount(prefix: first.prefix, value: value, suffix: first.suffix, places: amounts.map(\.places).max() ?? 0)
    }

    /// So many of it: "£14" twice is "£28".
    public func times(_ count: Int) -> Amount {
        Amount(prefix: prefix, value: value * Decimal(count), suffix: suffix, places: places)
    }

    /// As the table writes amounts: "£60", "£50.50", "1,200 kr".
    public var written: String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.numberStyle = .decimal
        formatter.minimumFractionDigits = places
        formatter.maximumFractionDigits = places
        formatter.usesGroupingSeparator = true
        let number = formatter.string(from: value as NSDecimalNumber) ?? "\(value)"
        return prefix + number + suffix
    }
}
