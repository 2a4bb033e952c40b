/// Customer-typed text as it is kept in a TEXT column, so that no character is
/// lost: GRDB binds a `String` as a C string and reads it back with
/// `String(cString:)`, which ends it at the first NUL ("abc\u{0}def" came back
/// as "abc").
///
/// A reversible escape with the private-use scalar U+E000: NUL is stored as
/// U+E000 U+E001 and U+E000 itself as U+E000 U+E000. Text with neither (all
/// real text) is stored byte for byte as it is, so older databases, raw SQL
/// and the report's queries see what they always saw; a U+E000 followed by
/// anything else is read as it is, so text stored before the escape reads
/// back unchanged. Applied only where the store writes and reads such text.
public enum StoredText {
    static let escape: Unicode.Scalar = "\u{E000}"
    static let escapedNUL: Unicode.Scalar = "\u{E001}"

    /// The text as it is written to the database.
    public static func encode(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\u{0}" || $0 == escape }) else { return text }
        var stored = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{0}": stored.append(contentsOf: [escape, escapedNUL])
            case escape: stored.append(contentsOf: [escape, escape])
            default: stored.append(scalar)
            }
        }
        return String(stored)
    }

    /// The text as the customer typed it, from what `encode` wrote.
    public static func decode(_ stored: String) -> String {
        guard stored.unicodeScalars.contains(escape) else { return stored }
        var text = String.UnicodeScalarView()
        var scalars = stored.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            guard scalar == escape, let next = pending, next == escape || next == escapedNUL else {
                text.append(scalar)
                continue
            }
            text.append(next == escapedNUL ? "\u{0}" : escape)
            pending = scalars.next()
        }
        return String(text)
    }

    public static func encode(_ text: String?) -> String? { text.map { encode($0) } }
    public static func decode(_ stored: String?) -> String? { stored.map { decode($0) } }
}
