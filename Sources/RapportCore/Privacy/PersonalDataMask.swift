/// Masks e-mail addresses, card numbers and phone numbers in free text before
/// it is stored for support staff to read (feedback comments): it is kept for
/// review, not as a copy of the customer's contact details.
public enum PersonalDataMask {
    nonisolated(unsafe) private static let email = /[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/
    /// 13 to 19 digits, optionally grouped by spaces or dashes (payment cards).
    nonisolated(unsafe) private static let card = /\b(?:\d[ \-]?){12,18}\d\b/
    /// An optional +, then 7 to 15 digits with spaces, dots, dashes or brackets between.
    nonisolated(unsafe) private static let phone = /(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?\d(?:[ .\-]?\d){6,14}\b/

    public static func mask(_ text: String) -> String {
        text.replacing(email, with: "[email]")
            .replacing(card, with: "[card number]")
            .replacing(phone, with: "[phone number]")
    }
}
