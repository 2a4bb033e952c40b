/// Pieces of text a regular expression cannot match without: at least one of
/// them is in any text it matches. "\b(which|what) (courier|carrier) do you"
/// needs " do you" (or, as chosen, one of "courier", "carrier"); "HP-?(\d{5})"
/// needs a digit; a pattern read as needing nothing is always run.
///
/// Read conservatively from the pattern's source: literal characters, groups
/// and alternatives, quantifiers, classes and escapes, and a leading `(?i)`
/// (then a letter is no literal piece); anything it does not know for sure
/// (another flag, an escape it does not read, a back-reference) makes it give
/// up and say nothing is needed. What a positive lookaround asserts is in the
/// text, so needed too (`^(?=.*\bbroke)(?=.*\bwarranty)` needs "warranty");
/// a negative one is passed over. So a text without any of the pieces is one
/// the pattern cannot match, and skipping the engine there changes no answer
/// (tested on the bundled bot's patterns against its examples and the
/// transcripts' messages).
///
/// The pieces are compared with the text the pattern runs on, as UTF-8 bytes.
/// Swift's `Regex` compares characters by canonical equivalence ("é" matches
/// its decomposed form), which bytes cannot: read for that engine
/// (`swiftRegex`), a literal outside ASCII is no piece, a text outside ASCII
/// may always match, and pieces are compared ignoring ASCII case, so the
/// case flags (`(?i)`, `(?-i:...)`, `ignoresCase()`) change nothing.
struct RequiredText: Hashable, Sendable {
    enum Piece: Hashable, Sendable {
        /// These bytes, in a row.
        case text([UInt8])
        /// A decimal digit (`\d`): an ASCII one, or possibly one of another
        /// script in a text outside ASCII.
        case digit
    }

    /// At least one of these is in any text the pattern matches; nil when
    /// the pattern could match without any piece this reading found.
    let pieces: [Piece]?
    /// Whether the pattern runs on Swift's `Regex` (canonical equivalence).
    let swiftRegex: Bool

    /// Pieces this short say too little to be worth looking for, unless
    /// they hold a character rare in messages (`isRare`: the @ of an e-mail address).
    static let shortest = 3

    init(pattern: String, swiftRegex: Bool = false) {
        self.swiftRegex = swiftRegex
        var reader = Reader(Array(pattern.unicodeScalars), asciiOnly: swiftRegex)
        let found = reader.alternatives(until: nil)
        guard reader.failed == false, reader.atEnd, let found, !found.isEmpty,
              found.allSatisfy({ Reader.telling($0) >= Self.shortest }) else {
            pieces = nil
            return
        }
        pieces = Set(found).sorted { a, b in
            switch (a, b) {
            case (.text(let x), .text(let y)): x.lexicographicallyPrecedes(y)
            case (.digit, .text): true
            default: false
            }
        }
    }

    /// The pieces as text, a digit as `\d`: for messages and tests.
    var readable: [String]? {
        pieces?.map { piece in
            switch piece {
            case .text(let bytes): String(decoding: bytes, as: UTF8.self)
            case .digit: #"\d"#
            }
        }
    }

    /// Whether the pattern may match `text` (its UTF-8 bytes): false only when none of the pieces is in it.
    func mayMatch(_ text: [UInt8]) -> Bool {
        guard let pieces else { return true }
        var text = text
        if swiftRegex {
            if text.contains(where: { $0 >= 0x80 }) { return true }
            text = text.map(Self.lowercased)
        }
        return pieces.contains { piece in
            switch piece {
            case .text(let bytes): ByteSearch.firstIndex(of: bytes, in: text) != nil
            case .digit: text.contains { ($0 >= 0x30 && $0 <= 0x39) || $0 >= 0x80 }
            }
        }
    }

    /// An ASCII byte lower-cased.
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// A recursive reading of the pattern. Each sequence gives the pieces of
    /// its most telling required part; alternatives, the pieces of each.
    private struct Reader {
        let scalars: [Unicode.Scalar]
        /// Whether a literal outside ASCII is no piece (`swiftRegex`).
        let asciiOnly: Bool
        var position = 0
        var failed = false
        /// A leading `(?i)`: a letter matches its other cases, so it is no piece.
        var ignoresCase = false

        init(_ scalars: [Unicode.Scalar], asciiOnly: Bool) {
            self.scalars = scalars
            self.asciiOnly = asciiOnly
            if lookingAt("(?i)") {
                ignoresCase = true
                position = 4
            }
        }

        var atEnd: Bool { position >= scalars.count }

        /// Alternatives up to `closing` (or the end): the union of each one's
        /// pieces; nil when one of them needs none.
        mutating func alternatives(until closing: Unicode.Scalar?) -> [Piece]? {
            var union: [Piece] = []
            var everyOneNeedsSome = true
            while true {
                let pieces = sequence(until: closing)
                if failed { return nil }
                if let pieces { union += pieces } else { everyOneNeedsSome = false }
                guard !atEnd, scalars[position] == "|" else { break }
                position += 1
            }
            return everyOneNeedsSome ? union : nil
        }

        /// One alternative: its literal runs and required groups, each a
        /// candidate; the candidate whose shortest piece is longest wins.
        private mutating func sequence(until closing: Unicode.Scalar?) -> [Piece]? {
            var candidates: [[Piece]] = []
            var run = ""
            func endRun() {
                if !run.isEmpty { candidates.append([.text(Array(run.utf8))]) }
                run = ""
            }
            while !atEnd {
                let scalar = scalars[position]
                if scalar == "|" { break }
                if let closing, scalar == closing { break }
                // One atom: a literal character, or something that is not one.
                var literal: Unicode.Scalar?
                var group: [Piece]?? = nil // .some(nil): a group that needs nothing of its own
                switch scalar {
                case "(":
                    position += 1
                    if lookingAt("?=") || lookingAt("?!") || lookingAt("?<=") || lookingAt("?<!") {
                        // A lookaround: zero-width, so it joins no run. What a positive one
                        // asserts is in the text wherever the pattern matches: needed too.
                        let positive = lookingAt("?=") || lookingAt("?<=")
                        position += lookingAt("?<") ? 3 : 2
                        let inner = alternatives(until: ")")
                        guard expect(")") else { return nil }
                        endRun()
                        if positive, let inner { candidates.append(inner) }
                        continue
                    }
                    if lookingAt("?:") {
                        position += 2
                    } else if asciiOnly, let flags = ["?i:", "?-i:"].first(where: lookingAt) {
                        // Case on or off: pieces are compared ignoring case here.
                        position += flags.unicodeScalars.count
                    } else if asciiOnly, let flags = ["?i)", "?-i)"].first(where: lookingAt) {
                        position += flags.unicodeScalars.count
                        endRun()
                        continue
                    } else if lookingAt("?") {
                        // Flags, named groups, atomic groups...: not read.
                        failed = true
                        return nil
                    }
                    let inner = alternatives(until: ")")
                    guard expect(")") else { return nil }
                    group = .some(inner)
                case ")":
                    // A closing bracket with no opening one.
                    failed = true
                    return nil
                case "[":
                    guard skipClass() else { return nil }
                case "\\":
                    guard position + 1 < scalars.count else {
                        failed = true
                        return nil
                    }
                    let escaped = scalars[position + 1]
                    position += 2
                    if "bBAzZ".unicodeScalars.contains(escaped) {
                        // Zero-width: ends a run (nothing matches across it as one piece here).
                        endRun()
                        continue
                    } else if escaped == "d" {
                        group = .some([.digit])
                    } else if "sSDwWhHvVRX".unicodeScalars.contains(escaped) {
                        // A class of characters.
                    } else if escaped == "p" || escaped == "P" {
                        guard position < scalars.count, scalars[position] == "{", let close = scalars[position...].firstIndex(of: "}") else {
                            failed = true
                            return nil
                        }
                        position = close + 1
                    } else if escaped == "t" {
                        literal = "\t"
                    } else if escaped == "n" {
                        literal = "\n"
                    } else if escaped.properties.isAlphabetic || escaped.properties.numericType != nil {
                        // \x, \u, \N, \Q, back-references...: not read.
                        failed = true
                        return nil
                    } else {
                        literal = escaped // \. \? \- \( \/ ...
                    }
                case ".":
                    position += 1
                case "^", "$":
                    position += 1
                    endRun()
                    continue
                case "*", "+", "?", "{":
                    // A quantifier with nothing before it.
                    failed = true
                    return nil
                default:
                    literal = scalar
                    position += 1
                }
                // Its quantifier, if any: none or at least one keeps it needed; zero or more, optional.
                let needed = quantifier()
                if failed { return nil }
                if let scalar = literal {
                    if asciiOnly {
                        // Compared ignoring ASCII case, whatever the pattern's case flags.
                        literal = scalar.isASCII ? Unicode.Scalar(RequiredText.lowercased(UInt8(scalar.value))) : nil
                    } else if ignoresCase && Self.hasOtherCases(scalar) {
                        literal = nil
                    }
                }
                if let literal {
                    if needed.needed {
                        run.unicodeScalars.append(literal)
                        if needed.repeats { endRun() } // "ab+c": "ab" is needed, "abc" need not be there
                    } else {
                        endRun()
                    }
                } else {
                    endRun()
                    if needed.needed, case .some(.some(let pieces)) = group { candidates.append(pieces) }
                }
            }
            endRun()
            return candidates.max { telling($0) < telling($1) }
        }

        /// How much a candidate's pieces say: that of its least telling.
        private func telling(_ pieces: [Piece]) -> Int {
            pieces.map(Self.telling).min() ?? 0
        }

        /// How much one piece says: its length; a digit or a rare character
        /// as much as the shortest piece worth looking for; a short piece of
        /// common characters nothing.
        static func telling(_ piece: Piece) -> Int {
            switch piece {
            case .digit:
                return RequiredText.shortest
            case .text(let bytes):
                let text = String(decoding: bytes, as: UTF8.self)
                let length = text.unicodeScalars.count
                if length >= RequiredText.shortest { return length }
                return text.unicodeScalars.contains(where: isRare) ? RequiredText.shortest : 0
            }
        }

        /// A character few messages have: not a letter, digit, space or common punctuation.
        private static func isRare(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar)
                && !scalar.properties.isWhitespace && !".,;:'\"!?-()/&".unicodeScalars.contains(scalar)
        }

        /// Whether a case-insensitive match may take another character for this one.
        private static func hasOtherCases(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar.properties.changesWhenCaseFolded || scalar.properties.changesWhenCaseMapped
        }

        /// The quantifier after an atom: whether the atom is needed at least
        /// once, and whether it may repeat.
        private mutating func quantifier() -> (needed: Bool, repeats: Bool) {
            guard !atEnd else { return (true, false) }
            var result: (needed: Bool, repeats: Bool)
            switch scalars[position] {
            case "?":
                position += 1
                result = (false, false)
            case "*":
                position += 1
                result = (false, true)
            case "+":
                position += 1
                result = (true, true)
            case "{":
                guard let close = scalars[position...].firstIndex(of: "}") else {
                    failed = true
                    return (false, false)
                }
                let inside = String(String.UnicodeScalarView(scalars[(position + 1)..<close]))
                let bounds = inside.split(separator: ",", omittingEmptySubsequences: false)
                guard let low = bounds.first.flatMap({ Int($0) }), bounds.count <= 2 else {
                    failed = true
                    return (false, false)
                }
                position = close + 1
                result = (low >= 1, bounds.count == 2 || low > 1)
            default:
                return (true, false)
            }
            // Lazy or possessive: the same need.
            if !atEnd, scalars[position] == "?" || scalars[position] == "+" { position += 1 }
            return result
        }

        /// Passes a bracketed class, nested ones and escapes included. A
        /// class opening with "]" ("[]a]", "[^]a]") is not read.
        private mutating func skipClass() -> Bool {
            var depth = 0
            while !atEnd {
                let scalar = scalars[position]
                if scalar == "\\" {
                    position += 2
                    continue
                }
                position += 1
                if scalar == "[" {
                    depth += 1
                    if !atEnd, scalars[position] == "^" { position += 1 }
                    if !atEnd, scalars[position] == "]" { break }
                } else if scalar == "]" {
                    depth -= 1
                    if depth == 0 { return true }
                }
            }
            failed = true
            return false
        }

        private func lookingAt(_ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            return position + wanted.count <= scalars.count && Array(scalars[position..<(position + wanted.count)]) == wanted
        }

        private mutating func expect(_ scalar: Unicode.Scalar) -> Bool {
            guard !atEnd, scalars[position] == scalar else {
                failed = true
                return false
            }
            position += 1
            return true
        }
    }
}
