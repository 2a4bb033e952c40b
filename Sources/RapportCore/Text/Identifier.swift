import Foundation

/// What a session or customer id must be: the store files conversations,
/// profiles and erasures under it. Not empty, at most `maximumLength`
/// characters, and free of control characters: a NUL would cut
/// "victim\u{0}x" to "victim" in a C string and read or erase another
/// customer; a newline or escape would forge lines in logs and terminals.
/// And in Unicode's normal form C: Swift compares strings by canonical
/// equivalence and SQLite by bytes, so "café" written two ways would be one
/// session in memory and two in the database, and the Kelvin sign's "Kate"
/// would be Kate's.
public enum Identifier {
    public static let maximumLength = 200

    public enum Problem: Hashable, Sendable {
        case empty
        case tooLong
        /// A control character (Unicode category Cc) at `position`, counted from 1 in characters' scalars.
        case controlCharacter(Unicode.Scalar, position: Int)
        /// Not in normal form C: written another way, it would be the same id to Swift and another to SQLite.
        case notNormalized

        /// The problem in words, for an id named `name` ("'customer'", "--customer").
        public func message(for name: String) -> String {
            switch self {
            case .empty: return "\(name) must not be empty"
            case .tooLong: return "\(name) is longer than \(Identifier.maximumLength) characters"
            case .controlCharacter(let scalar, let position):
                let code = String(scalar.value, radix: 16, uppercase: true)
                return "\(name) must not hold control characters; it has U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) at character \(position)"
            case .notNormalized:
                return "\(name) must be in Unicode normal form C (NFC), as most systems write text; normalise it before sending"
            }
        }
    }

    /// What is wrong with `value` as an id, or nil when nothing is.
    public static func problem(in value: String) -> Problem? {
        if value.isEmpty { return .empty }
        if value.count > maximumLength { return .tooLong }
        for (offset, scalar) in value.unicodeScalars.enumerated() where scalar.properties.generalCategory == .control {
            return .controlCharacter(scalar, position: offset + 1)
        }
        if !value.unicodeScalars.allSatisfy(\.isASCII),
           !value.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(value.unicodeScalars) {
            return .notNormalized
        }
        return nil
    }
}
