import Foundation

/// Finds a bot's entities in a message, each with its span and normalised
/// value. Pure: the same message at the same time gives the same entities.
///
/// When two candidates overlap, the longer one wins, then an exact one over a
/// typo-tolerant one, then the entity declared first; what is left is
/// returned in the order it appears in the message.
public struct EntityExtractor: @unchecked Sendable { // compiled regexes are never mutated
    private enum Compiled {
        case pattern(Regex<AnyRegexOutput>, template: String?, normalization: EntityType.Normalization)
        case list([ListForm])
        case date(dayFirst: Bool)
        case amount
    }

    /// One way of saying one list value, as folded words.
    private struct ListForm {
        var value: String
        var words: [String]
        /// Each word's length in characters and how many typos it allows, worked out once.
        var lengths: [Int]
        var allowances: [Int]

        init(value: String, words: [String]) {
            self.value = value
            self.words = words
            lengths = words.map(\.count)
            allowances = words.map(EntityExtractor.typoAllowance)
        }
    }

    private let types: [(name: String, compiled: Compiled)]
    private let timeZone: TimeZone

    /// - Parameter timeZone: where "today" is, for relative dates.
    public init(types: [EntityType], timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.timeZone = timeZone
        self.types = types.compactMap { type in
            switch type.recognizer {
            case .pattern(let source, let template, let normalization):
                guard let regex = try? Regex(source) else { return nil } // the loader has already refused it
                return (type.name, .pattern(regex, template: template, normalization: normalization))
            case .list(let values):
                let forms = values.flatMap { value in
                    ([value.value] + value.synonyms).map { ListForm(value: value.value, words: Self.foldedWords(of: $0)) }
                }.filter { !$0.words.isEmpty }
                return (type.name, .list(forms))
            case .date(let dayFirst):
                return (type.name, .date(dayFirst: dayFirst))
            case .amount:
                return (type.name, .amount)
            }
        }
    }

    public var isEmpty: Bool { types.isEmpty }

    /// Every entity in `message`, in the order they appear. `now` is the
    /// moment the message was sent, which relative dates count from.
    public func extract(from message: String, at now: Date) -> [EntityMatch] {
        guard !types.isEmpty, !message.isEmpty else { return [] }
        let scalars = ScalarOffsets(message)
        var candidates: [(match: EntityMatch, rank: Int)] = []
        var words: [Word]?
        for (rank, type) in types.enumerated() {
            var found: [EntityMatch] = []
            switch type.compiled {
            case .pattern(let regex, let template, let normalization):
                for match in message.matches(of: regex) where !match.range.isEmpty {
                    let text = String(message[match.range])
                    var value = text
                    if let template { value = Self.fill(template, with: match) }
                    value = Self.normalize(value, normalization)
                    guard !value.isEmpty else { continue }
                    found.append(scalars.match(type.name, range: match.range, value: value))
                }
            case .list(let forms):
                if words == nil { words = Self.words(of: message) }
                found = Self.listMatches(type.name, forms: forms, words: words ?? [], scalars: scalars, in: message)
            case .date(let dayFirst):
                found = DateRecognizer(now: now, timeZone: timeZone, dayFirst: dayFirst)
                    .matches(in: message).map { scalars.match(type.name, range: $0.range, value: $0.value) }
            case .amount:
                found = AmountRecognizer.matches(in: message).map { scalars.match(type.name, range: $0.range, value: $0.value) }
            }
            candidates += found.map { ($0, rank) }
        }
        // Longest first, exact before approximate, earlier declaration first, leftmost first.
        candidates.sort { a, b in
            let lengthA = a.match.end - a.match.start, lengthB = b.match.end - b.match.start
            if lengthA != lengthB { return lengthA > lengthB }
            if a.match.approximate != b.match.approximate { return !a.match.approximate }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.match.start < b.match.start
        }
        var kept: [EntityMatch] = []
        for candidate in candidates where !kept.contains(where: { $0.start < candidate.match.end && candidate.match.start < $0.end }) {
            kept.append(candidate.match)
        }
        return kept.sorted { ($0.start, $0.entity) < ($1.start, $1.entity) }
    }

    // MARK: - patterns

    /// `$0`...`$9` in `template` replaced by the match's capture groups (an
    /// unmatched group gives nothing).
    private static func fill(_ template: String, with match: Regex<AnyRegexOutput>.Match) -> String {
        var result = ""
        var characters = template.makeIterator()
        while let character = characters.next() {
            guard character == "$" else { result.append(character); continue }
            guard let next = characters.next() else { result.append("$"); break }
            if let digit = next.wholeNumberValue, digit < match.output.count {
                if let substring = match.output[digit].substring { result += substring }
            } else {
                result.append("$")
                result.append(next)
            }
        }
        return result
    }

    static func normalize(_ value: String, _ normalization: EntityType.Normalization) -> String {
        switch normalization {
        case .none: return value
        case .upper: return value.uppercased()
        case .lower: return value.lowercased()
        case .digits:
            let digits = value.filter { $0.isASCII && $0.isNumber }
            return value.trimmingCharacters(in: .whitespaces).hasPrefix("+") && !digits.isEmpty ? "+" + digits : digits
        }
    }

    // MARK: - lists

    /// A word of the message: folded for comparison, with its place in the message.
    struct Word {
        var folded: String
        var range: Range<String.Index>
        var length: Int

        init(folded: String, range: Range<String.Index>) {
            self.folded = folded
            self.range = range
            length = folded.count
        }
    }

    /// The message's words (letters and digits; apostrophes dropped), each folded.
    static func words(of text: String) -> [Word] {
        var words: [Word] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let inWord = character.isLetter || character.isNumber || (character == "'" && start != nil)
            if inWord {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.append(Word(folded: foldWord(text[wordStart..<index]), range: wordStart..<index))
                start = nil
            }
            index = text.index(after: index)
        }
        if let wordStart = start {
            words.append(Word(folded: foldWord(text[wordStart..<text.endIndex]), range: wordStart..<text.endIndex))
        }
        return words.filter { !$0.folded.isEmpty }
    }

    /// The folded words of `text`, as list values are compared.
    public static func foldedWords(of text: String) -> [String] {
        words(of: text).map(\.folded)
    }

    private static func foldWord(_ word: Substring) -> String {
        TextNormalizer.fold(String(word)).replacingOccurrences(of: "'", with: "")
    }

    /// How many typos a word of this length may have and still count: none
    /// up to 5 letters (too many short words are one letter from another:
    /// "stain" and "spain"), one up to 8, two beyond.
    static func typoAllowance(_ word: String) -> Int {
        switch word.count {
        case ..<6: return 0
        case ..<9: return 1
        default: return 2
        }
    }

    private static func listMatches(
        _ entity: String, forms: [ListForm], words: [Word], scalars: ScalarOffsets, in message: String
    ) -> [EntityMatch] {
        var found: [EntityMatch] = []
        for start in words.indices {
            for form in forms where start + form.words.count <= words.count {
                var approximate = false
                var matches = true
                for (offset, expected) in form.words.enumerated() {
                    let candidate = words[start + offset]
                    let word = candidate.folded
                    if word == expected { continue }
                    let allowance = form.allowances[offset]
                    // One typo keeps the first and last letters ("jumped" is not "jumper").
                    guard allowance > 0, abs(candidate.length - form.lengths[offset]) <= allowance,
                          word.first == expected.first, allowance > 1 || word.last == expected.last,
                          EditDistance.between(word, expected) <= allowance else {
                        matches = false
                        break
                    }
                    approximate = true
                }
                guard matches else { continue }
                let range = words[start].range.lowerBound..<words[start + form.words.count - 1].range.upperBound
                var match = scalars.match(entity, range: range, value: form.value)
                match.approximate = approximate
                found.append(match)
            }
        }
        return found
    }
}

/// Converts string ranges to Unicode scalar offsets, the unit spans are reported in.
struct ScalarOffsets {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    func offset(_ index: String.Index) -> Int {
        text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: index)
    }

    func match(_ entity: String, range: Range<String.Index>, value: String) -> EntityMatch {
        EntityMatch(entity: entity, text: String(text[range]), value: value, start: offset(range.lowerBound), end: offset(range.upperBound))
    }
}
