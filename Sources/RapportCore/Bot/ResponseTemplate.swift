/// A response variant with `{placeholder}` slots, parsed once when the bot loads.
///
/// `{{` and `}}` write literal braces. `{name|there}` says "there" when the
/// value is unknown (a slot not filled, a profile field not given). Names may
/// hold dots, for looked-up data: `{order.status}`.
public struct ResponseTemplate: Hashable, Sendable {
    public enum Piece: Hashable, Sendable {
        case text(String)
        /// A value by name, and what to say when it is unknown (nil: nothing).
        case placeholder(String, fallback: String?)
    }

    /// Placeholders the engine always fills, whatever the bot declares.
    public static let builtInPlaceholders: Set<String> = ["bot_name"]

    public let source: String
    public let pieces: [Piece]
    public var location: SourceLocation?
    /// Who this variant is for (rules-based personalisation); nil: anyone.
    /// Variants whose condition holds are preferred over those without one.
    public var condition: CustomerCondition?
    /// Whether the variant ends by offering a person (`offers: person`): the
    /// customer's next message may be a yes or no to that offer.
    public var offersPerson = false

    /// Parses `source`; fails on an unclosed `{`, a stray `}` or an empty or malformed name.
    public init(_ source: String, location: SourceLocation? = nil, condition: CustomerCondition? = nil) throws(TemplateSyntaxError) {
        self.source = source
        (self.pieces, self.placeholders) = try Self.parse(source)
        self.location = location
        self.condition = condition
    }

    /// A `{name}` in the template and how many characters into the source its `{` stands.
    public struct Placeholder: Hashable, Sendable {
        public var name: String
        public var offset: Int
        /// The text after `|`, said when the value is unknown.
        public var fallback: String? = nil
    }

    /// The placeholders in order of appearance.
    public let placeholders: [Placeholder]

    /// Fills the placeholders from `values`; an unknown one renders as `fallback(name)`.
    public func render(_ values: [String: String], fallback: (String) -> String = { _ in "" }) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .placeholder(let name, let written): out += values[name] ?? written ?? fallback(name)
            }
        }
        return out
    }

    private static func parse(_ source: String) throws(TemplateSyntaxError) -> ([Piece], [Placeholder]) {
        var pieces: [Piece] = []
        var placeholders: [Placeholder] = []
        var literal = ""
        var index = source.startIndex
        var column = 0
        func isNameCharacter(_ c: Character) -> Bool {
            c == "_" || c == "." || (c.isASCII && (c.isLetter || c.isNumber))
        }
        while index < source.endIndex {
            let character = source[index]
            let next = source.index(after: index)
            let following: Character? = next < source.endIndex ? source[next] : nil
            if character == "{" && following == "{" {
                literal.append("{")
                index = source.index(after: next)
                column += 2
                continue
            }
            if character == "}" && following == "}" {
                literal.append("}")
                index = source.index(after: next)
                column += 2
                continue
            }
            if character == "}" {
                throw TemplateSyntaxError(offset: column, problem: "a '}' with no '{' before it (write '}}' for a literal brace)")
            }
            if character == "{" {
                guard let close = source[next...].firstIndex(of: "}") else {
                    throw TemplateSyntaxError(offset: column, problem: "a '{' that is never closed (write '{{' for a literal brace)")
                }
                let inside = String(source[next..<close])
                let parts = inside.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let fallback = parts.count > 1 ? String(parts[1]) : nil
                guard !name.isEmpty, name.allSatisfy(isNameCharacter), name.first.map({ $0.isLetter || $0 == "_" }) == true,
                      !name.hasSuffix("."), !name.contains("..") else {
                    throw TemplateSyntaxError(
                        offset: column,
                        problem: "'{\(inside)}' is not a placeholder (use letters, digits and '_', like {shop_name}, or {name|fallback})"
                    )
                }
                if !literal.isEmpty {
                    pieces.append(.text(literal))
                    literal = ""
                }
                pieces.append(.placeholder(name, fallback: fallback))
                placeholders.append(Placeholder(name: name, offset: column, fallback: fallback))
                column += inside.count + 2
                index = source.index(after: close)
                continue
            }
            literal.append(character)
            column += 1
            index = next
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return (pieces, placeholders)
    }
}

/// Why a response template could not be parsed, and where in it.
public struct TemplateSyntaxError: Error, Hashable, Sendable {
    /// Characters from the start of the template to the offending brace.
    public var offset: Int
    public var problem: String
}
