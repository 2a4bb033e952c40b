/// How a `#bot` block's text is compared with a reply.
///
/// Both sides have their whitespace runs collapsed to one space and are
/// trimmed. Plain text must match the whole reply, with `*` standing for any
/// text; `/.../` is a regular expression that may match anywhere; a leading
/// `!` turns either into "must not match".
public struct TextPattern: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case wildcard(String)
        case regex(String)
    }

    public var kind: Kind
    public var negated: Bool

    public init(kind: Kind, negated: Bool = false) {
        self.kind = kind
        self.negated = negated
    }

    /// Reads the pattern as written; fails on a regular expression that does not compile.
    public init(parsing written: String) throws(TextPatternError) {
        var text = Self.collapse(written)
        negated = text.hasPrefix("!")
        if negated { text = Self.collapse(String(text.dropFirst())) }
        if text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") {
            let source = String(text.dropFirst().dropLast())
            do {
                _ = try Regex(source)
            } catch {
                throw TextPatternError(message: "'/\(source)/' is not a valid regular expression: \(error)")
            }
            kind = .regex(source)
        } else {
            kind = .wildcard(text)
        }
    }

    public func matches(_ reply: String) -> Bool {
        let text = Self.collapse(reply)
        let found: Bool
        switch kind {
        case .regex(let source):
            found = (try? Regex(source)).map { text.contains($0) } ?? false
        case .wildcard(let pattern):
            found = Self.wildcardMatch(pattern, text)
        }
        return found != negated
    }

    public var description: String {
        let body: String
        switch kind {
        case .wildcard(let text): body = text
        case .regex(let source): body = "/\(source)/"
        }
        return (negated ? "!" : "") + body
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `*` matches any run of characters (including none); everything else is literal.
    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}

public struct TextPatternError: Error, Hashable, Sendable {
    public var message: String
}
