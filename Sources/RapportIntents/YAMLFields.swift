import RapportCore
import Yams

/// Reads typed values out of a composed YAML tree, turning every surprise into
/// a located `LoadProblem` instead of a crash or a silent default.
struct YAMLFields {
    let file: String
    private(set) var problems: [LoadProblem] = []
    /// How many `when: {given: ...}` conditions were read: the check that
    /// they stand only where they can hold walks the whole bot only when
    /// some stand elsewhere (`BotLoader.givenOutsideIntentReplies`).
    var givenConditions = 0

    init(file: String) {
        self.file = file
    }

    func location(of node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func report(_ node: Node, _ message: String) {
        problems.append(LoadProblem(at: location(of: node), message))
    }

    mutating func report(at location: SourceLocation, _ message: String) {
        problems.append(LoadProblem(at: location, message))
    }

    /// A mapping's entries by key, reporting keys that are not in `allowed`
    /// (with the nearest allowed key as a suggestion) and keys that are not text.
    mutating func entries(
        of mapping: Node.Mapping, allowed: [String], in context: String
    ) -> [String: (key: Node, value: Node)] {
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key, "\(context) has a key that is not plain text; keys are names like \(allowed.map { "'\($0)'" }.joined(separator: ", "))")
                continue
            }
            guard allowed.contains(scalar.string) else {
                var message = "unknown key '\(scalar.string)' in \(context)"
                if let suggestion = Self.nearest(scalar.string, in: allowed) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += "; the keys allowed here are \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
                }
                report(key, message)
                continue
            }
            result[scalar.string] = (key, value)
        }
        return result
    }

    mutating func mapping(_ node: Node, describing what: String) -> Node.Mapping? {
        if case .mapping(let mapping) = node { return mapping }
        report(node, "\(what) must be a mapping of keys to values, but it is \(Self.kind(of: node))")
        return nil
    }

    mutating func sequence(_ node: Node, describing what: String) -> Node.Sequence? {
        if case .sequence(let sequence) = node { return sequence }
        report(node, "\(what) must be a list (lines starting with '- '), but it is \(Self.kind(of: node))")
        return nil
    }

    mutating func text(_ node: Node, describing what: String) -> String? {
        if case .scalar(let scalar) = node, !Self.isNull(scalar) {
            return scalar.string
        }
        report(node, "\(what) must be text, but it is \(Self.kind(of: node))")
        return nil
    }

    /// Non-empty text: a blank example or response is always a mistake.
    mutating func nonBlankText(_ node: Node, describing what: String) -> String? {
        guard let value = text(node, describing: what) else { return nil }
        if value.allSatisfy(\.isWhitespace) {
            report(node, "\(what) is blank; write some text or remove the line")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, describing what: String) -> Bool? {
        if case .scalar(let scalar) = node {
            switch scalar.string.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: break
            }
        }
        report(node, "\(what) must be true or false")
        return nil
    }

    mutating func number(_ node: Node, describing what: String, in range: ClosedRange<Double>) -> Double? {
        if case .scalar(let scalar) = node, let value = Double(scalar.string), range.contains(value) {
            return value
        }
        report(node, "\(what) must be a number from \(range.lowerBound) to \(range.upperBound)")
        return nil
    }

    /// A whole number of days in `range`; a fraction is reported as "`named`
    /// is 2.5; give a whole number of days, like `example`".
    mutating func wholeDays(_ node: Node, describing what: String, named: String, in range: ClosedRange<Double>, like example: Int) -> Int? {
        guard let days = number(node, describing: what, in: range) else { return nil }
        guard days == days.rounded() else {
            report(node, "\(named) is \(days); give a whole number of days, like \(example)")
            return nil
        }
        return Int(days)
    }

    /// The column where the text of a scalar starts: after the quote, if it is quoted.
    func contentLocation(of node: Node, offset: Int) -> SourceLocation {
        var location = location(of: node)
        if case .scalar(let scalar) = node {
            switch scalar.style {
            case .plain: location.column += offset
            case .singleQuoted, .doubleQuoted: location.column += 1 + offset
            default: break // block scalars: the text starts on a later line; point at the scalar
            }
        }
        return location
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(scalar) { return "empty" }
            return "the text '\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// YAML's null: nothing after the colon, or `~`/`null` unquoted.
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The allowed key closest to a misspelt one, if it is close enough to be a typo.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        EditDistance.nearest(word, in: candidates)
    }
}
