import Foundation

/// Masks e-mail addresses, card numbers and phone numbers in free text before
/// it is stored for support staff to read (feedback comments): it is kept for
/// review, not as a copy of the customer's contact details.
public enum PersonalDataMask {
    /// Each pattern with what stands for it. ICU's engine (NSRegularExpression),
    /// not Swift's `Regex`: it takes the lookbehind that keeps the e-mail
    /// pattern linear, and is many times faster on long text.
    ///
    /// The e-mail pattern starts only where a run of address characters
    /// starts: without that, a 2,000-letter word is tried from each of its
    /// letters to its end, quadratic work on every save of the dialogue state.
    ///
    /// Each pattern runs only on text that has what it cannot match without:
    /// an @, or a chain of so many digits (`Needs`).
    private static let patterns: [(regex: NSRegularExpression, template: String, needs: Needs)] = [
        (#"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#, "[email]", .at),
        // 13 to 19 digits, optionally grouped by spaces or dashes (payment cards).
        (#"\b(?:\d[ \-]?){12,18}\d\b"#, "[card number]", .digitChain(13)),
        // An optional +, then 7 to 15 digits with spaces, dots, dashes or brackets between.
        (#"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?\d(?:[ .\-]?\d){6,14}\b"#, "[phone number]", .digitChain(7)),
    ].compactMap { pattern, replacement, needs in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, NSRegularExpression.escapedTemplate(for: replacement), needs) }
    }

    /// What a pattern cannot match without.
    private enum Needs {
        case at
        /// So many digits in a row, with at most one space, dot or dash between two of them.
        case digitChain(Int)
    }

    public static func mask(_ text: String) -> String {
        // Every save of a dialogue state masks each of its recent lines, most of them masked the turn before.
        memo.reading(ExactText(text)) { maskAnew(text) }
    }

    /// The latest texts masked.
    private static let memo = ReadingMemo<ExactText, String>(capacity: 1024)

    private static func maskAnew(_ text: String) -> String {
        // Contact details have an @ or a chain of at least seven digits; most messages have neither.
        let hasAt = text.utf8.contains(UInt8(ascii: "@"))
        let chain = longestDigitChain(in: text)
        guard hasAt || chain >= 7 else { return text }
        var masked = text
        for (regex, template, needs) in patterns {
            switch needs {
            case .at: guard hasAt else { continue }
            case .digitChain(let length): guard chain >= length else { continue }
            }
            masked = regex.stringByReplacingMatches(in: masked, range: NSRange(masked.startIndex..., in: masked), withTemplate: template)
        }
        return masked
    }

    /// The most digits in one chain: digits with at most one space, dot or
    /// dash between two of them, as the card and phone patterns match them.
    /// Text with a character outside ASCII is counted as all its decimal
    /// digits (in any script, which ICU's `\d` matches), so no pattern is passed over there.
    static func longestDigitChain(in text: String) -> Int {
        var longest = 0, current = 0
        var separatorSeen = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return decimalDigits(in: text) }
            if byte >= 0x30 && byte <= 0x39 {
                current += 1
                separatorSeen = false
                longest = max(longest, current)
            } else if current > 0, !separatorSeen, byte == UInt8(ascii: " ") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") {
                separatorSeen = true
            } else {
                current = 0
                separatorSeen = false
            }
        }
        return longest
    }

    /// How many decimal digits `text` has, in any script.
    private static func decimalDigits(in text: String) -> Int {
        text.unicodeScalars.lazy.filter { $0.properties.numericType == .decimal }.count
    }
}

/// Removes one value the customer withdrew ("forget my phone number") from
/// text kept about them: their messages and the bot's replies.
public enum Redaction {
    public static let replacement = "[forgotten]"

    /// `text` with every occurrence of `value` as a whole word replaced,
    /// ignoring case; a value of digits (a phone number kept as "07700900123")
    /// also matches the way it was typed ("07700 900 123", "(07700) 900-123"),
    /// though not in another form ("+44 7700 900123").
    public static func redact(_ value: String, in text: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2 else { return text }
        let digits = trimmed.filter(\.isNumber)
        let pattern: String
        if digits.count >= 5 && trimmed.allSatisfy({ $0.isNumber || $0 == "+" || $0 == " " || $0 == "-" }) {
            // Not inside a longer number.
            pattern = #"(?<![0-9])"# + digits.map(String.init).joined(separator: #"[ .\-()]*"#) + #"(?![0-9])"#
        } else {
            // A whole word or address: forgetting "Al" leaves "a total refund" alone.
            pattern = #"(?<![\p{L}\p{N}])"# + NSRegularExpression.escapedPattern(for: trimmed) + #"(?![\p{L}\p{N}])"#
        }
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return regex.stringByReplacingMatches(in: text, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
    }
}
