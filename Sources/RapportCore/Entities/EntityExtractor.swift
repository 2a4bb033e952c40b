import Foundation

/// Finds a bot's entities in a message, each with its span and normalised
/// value. Pure: the same message on the same day (in its time zone) gives the same entities.
///
/// When two candidates overlap, the longer one wins, then an exact one over a
/// typo-tolerant one, then the entity declared first; what is left is
/// returned in the order it appears in the message.
public struct EntityExtractor: @unchecked Sendable { // compiled regexes are never mutated
    private enum Compiled {
        /// With what the pattern cannot match without, so most texts are passed over without the engine.
        case pattern(Regex<AnyRegexOutput>, needs: RequiredText, template: String?, normalization: EntityType.Normalization)
        case list(ListForms)
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

    /// A list's forms, indexed by how their first word can be met: a first
    /// word that allows no typo only by itself, one that allows typos by its
    /// first letter (a typo keeps the first letter). So a message's word is
    /// compared with the few forms it could start, not with every synonym
    /// in every language (a start reads every cell of the bot's tables).
    private struct ListForms {
        var forms: [ListForm]
        /// Whether a plural of a form's last word is the form (`EntityType.plurals`).
        var plurals: Bool
        var byFirstWord: [String: [Int]] = [:]
        var byFirstLetter: [Character: [Int]] = [:]

        init(_ forms: [ListForm], plurals: Bool) {
            self.forms = forms
            self.plurals = plurals
            for (index, form) in forms.enumerated() {
                if form.allowances[0] == 0 {
                    byFirstWord[form.words[0], default: []].append(index)
                } else if let letter = form.words[0].first {
                    byFirstLetter[letter, default: []].append(index)
                }
            }
        }

        /// The forms a word can start, in their declared order.
        func starting(with word: String) -> [Int] {
            // A one-word form in the plural ("mugs"), which `listMatches` takes as the form.
            let singulars = plurals ? [String(word.dropLast()), String(word.dropLast(2))].filter { EntityExtractor.isPlural(word, of: $0) } : []
            let exact = ([word] + singulars).flatMap { byFirstWord[$0] ?? [] }.sorted()
            guard let letter = word.first, let near = byFirstLetter[letter] else { return exact }
            return exact.isEmpty ? near : (exact + near).sorted()
        }
    }

    /// A compiled entity type: how it is found, the letters read as digits
    /// in its patterns, and its pattern for when the bot asks for it.
    private struct CompiledType {
        var name: String
        var compiled: Compiled
        var lookalikes: [Unicode.Scalar: Unicode.Scalar]
        var whenAsked: (regex: Regex<AnyRegexOutput>, needs: RequiredText, template: String?)?
    }

    private let types: [CompiledType]
    /// The latest readings, shared by copies of this extractor: a turn's, and the bot's answers.
    private let memo = ReadingMemo<ReadingKey, [EntityMatch]>(capacity: 2048)
    /// Each type's matches in the latest texts, before overlaps are settled (`findEach`): one text
    /// is read with different entities asked for.
    private let foundByType = ReadingMemo<ReadingKey, [[EntityMatch]]>(capacity: 1024)
    struct ReadingKey: MemoKey {
        var message: ExactText
        /// The day the text is read on, in the extractor's time zone (`DateRecognizer.dayNumber`).
        var day: Int
        var asking: String?
        var textBytes: Int { message.textBytes }
    }
    private let timeZone: TimeZone

    /// - Parameter timeZone: where "today" is, for relative dates.
    public init(types: [EntityType], timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.timeZone = timeZone
        self.types = types.compactMap { type in
            let compiled: Compiled
            switch type.recognizer {
            case .pattern(let source, let template, let normalization):
                guard let regex = try? Regex(source) else { return nil } // the loader has already refused it
                compiled = .pattern(regex, needs: RequiredText(pattern: source, swiftRegex: true), template: template, normalization: normalization)
            case .list(let values):
                let forms = values.flatMap { value in
                    ([value.value] + value.synonyms).map { ListForm(value: value.value, words: Self.foldedWords(of: $0)) }
                }.filter { !$0.words.isEmpty }
                compiled = .list(ListForms(forms, plurals: type.plurals))
            case .date(let dayFirst):
                compiled = .date(dayFirst: dayFirst)
            case .amount:
                compiled = .amount
            }
            // Only one-scalar letters and digits can stand for each other without moving any offset.
            var lookalikes: [Unicode.Scalar: Unicode.Scalar] = [:]
            for (letter, digit) in type.digitLookalikes {
                guard letter.unicodeScalars.count == 1, digit.unicodeScalars.count == 1,
                      let from = letter.unicodeScalars.first, let to = digit.unicodeScalars.first else { continue }
                lookalikes[from] = to
            }
            let whenAsked = type.whenAsked.flatMap { asked in
                (try? Regex(asked.source)).map { (regex: $0, needs: RequiredText(pattern: asked.source, swiftRegex: true), template: asked.template) }
            }
            return CompiledType(name: type.name, compiled: compiled, lookalikes: lookalikes, whenAsked: whenAsked)
        }
    }

    public var isEmpty: Bool { types.isEmpty }

    /// Every entity in `message`, in the order they appear. `now` is the
    /// moment the message was sent, which relative dates count from.
    ///
    /// - Parameter entity: the entity the bot has just asked for (the slot's
    ///   entity while it waits for an answer), or nil. That entity's
    ///   `whenAsked` pattern is read too: a bare "10443" answers "What's your
    ///   order number?", and means nothing otherwise.
    public func extract(from message: String, at now: Date, asking entity: String? = nil) -> [EntityMatch] {
        guard !types.isEmpty, !message.isEmpty else { return [] }
        // A turn reads the same text several times (the message, its clauses, around a correction),
        // and asking for each entity in turn; the bot's answers are read too, each turn, and most are
        // read again in another turn. A reading depends on the day it is made on (relative dates
        // count whole days), not the moment, and on the entity asked only when that has a `whenAsked`.
        let asked = types.indices.filter { types[$0].name == entity && types[$0].whenAsked != nil }
        let day = day(of: now)
        return memo.reading(ReadingKey(message: ExactText(message), day: day, asking: asked.isEmpty ? nil : entity)) {
            let found = foundByType.reading(ReadingKey(message: ExactText(message), day: day, asking: nil)) { findEach(in: message, at: now) }
            var candidates: [(match: EntityMatch, rank: Int)] = []
            for (rank, matches) in found.enumerated() {
                candidates += matches.map { ($0, rank) }
                if asked.contains(rank) { candidates += askedFor(types[rank], in: message).map { ($0, rank) } }
            }
            return Self.resolve(candidates)
        }
    }

    /// The day `now` falls on where this extractor reads dates: all a reading depends on of the moment.
    func day(of now: Date) -> Int {
        DateRecognizer.dayNumber(of: now, in: timeZone)
    }

    /// Each type's matches in `message`, by rank (the order the types were
    /// declared in), overlapping or not; `whenAsked` patterns aside.
    private func findEach(in message: String, at now: Date) -> [[EntityMatch]] {
        let scalars = ScalarOffsets(message)
        var words: [Word]?
        return types.map { type in
            switch type.compiled {
            case .pattern(let regex, let needs, let template, let normalization):
                let read = type.lookalikes.isEmpty ? message : Self.readingDigits(in: message, lookalikes: type.lookalikes)
                guard needs.mayMatch(Array(read.utf8)) else { return [] }
                return Self.patternMatches(type.name, regex: regex, template: template, normalization: normalization,
                                           in: read, message: message, scalars: scalars)
            case .list(let forms):
                if words == nil { words = Self.words(of: message) }
                return Self.listMatches(type.name, forms: forms, words: words ?? [], scalars: scalars, in: message)
            case .date(let dayFirst):
                return DateRecognizer(now: now, timeZone: timeZone, dayFirst: dayFirst)
                    .matches(in: message).map { scalars.match(type.name, range: $0.range, value: $0.value) }
            case .amount:
                return AmountRecognizer.matches(in: message).map { scalars.match(type.name, range: $0.range, value: $0.value) }
            }
        }
    }

    /// The matches of a type's `whenAsked` pattern, read only while the bot asks for that entity.
    private func askedFor(_ type: CompiledType, in message: String) -> [EntityMatch] {
        guard let asked = type.whenAsked, case .pattern(_, _, _, let normalization) = type.compiled else { return [] }
        let read = type.lookalikes.isEmpty ? message : Self.readingDigits(in: message, lookalikes: type.lookalikes)
        guard asked.needs.mayMatch(Array(read.utf8)) else { return [] }
        return Self.patternMatches(type.name, regex: asked.regex, template: asked.template, normalization: normalization,
                                   in: read, message: message, scalars: ScalarOffsets(message))
    }

    /// The matches kept where some overlap: longest first, exact before
    /// approximate, earlier declaration first, leftmost first; in the order they appear.
    private static func resolve(_ candidates: [(match: EntityMatch, rank: Int)]) -> [EntityMatch] {
        let ordered = candidates.sorted { a, b in
            let lengthA = a.match.end - a.match.start, lengthB = b.match.end - b.match.start
            if lengthA != lengthB { return lengthA > lengthB }
            if a.match.approximate != b.match.approximate { return !a.match.approximate }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.match.start < b.match.start
        }
        var kept: [EntityMatch] = []
        for candidate in ordered where !kept.contains(where: { $0.start < candidate.match.end && candidate.match.start < $0.end }) {
            kept.append(candidate.match)
        }
        return kept.sorted { ($0.start, $0.entity) < ($1.start, $1.entity) }
    }

    // MARK: - patterns

    /// A pattern's matches in `read` (the message, or the message with
    /// lookalike letters read as digits: the same scalars, one for one),
    /// reported with the text the customer typed.
    private static func patternMatches(
        _ entity: String, regex: Regex<AnyRegexOutput>, template: String?, normalization: EntityType.Normalization,
        in read: String, message: String, scalars: ScalarOffsets
    ) -> [EntityMatch] {
        let repaired = read != message
        let readScalars = repaired ? ScalarOffsets(read) : scalars
        var found: [EntityMatch] = []
        for match in read.matches(of: regex) where !match.range.isEmpty {
            var value = String(read[match.range])
            if let template { value = fill(template, with: match) }
            value = normalize(value, normalization)
            guard !value.isEmpty else { continue }
            if repaired {
                let start = readScalars.offset(match.range.lowerBound), end = readScalars.offset(match.range.upperBound)
                found.append(scalars.match(entity, scalarRange: start..<end, value: value))
            } else {
                found.append(scalars.match(entity, range: match.range, value: value))
            }
        }
        return found
    }

    /// `message` with each lookalike letter replaced by its digit where it
    /// sits in a run of digits and lookalikes holding at least one digit
    /// ("1O442" reads "10442"; "OIL" and "hello" stay as they are). A letter
    /// carrying an accent or other mark is a letter, never a digit.
    static func readingDigits(in message: String, lookalikes: [Unicode.Scalar: Unicode.Scalar]) -> String {
        var scalars = Array(message.unicodeScalars)
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
        func isLookalike(_ index: Int) -> Bool {
            guard lookalikes[scalars[index]] != nil else { return false }
            // "Ó" typed as O and a combining accent is a letter.
            return index + 1 == scalars.count || !isMark(scalars[index + 1])
        }
        var index = 0
        while index < scalars.count {
            guard isDigit(scalars[index]) || isLookalike(index) else { index += 1; continue }
            var end = index
            var hasDigit = false
            while end < scalars.count, isDigit(scalars[end]) || isLookalike(end) {
                hasDigit = hasDigit || isDigit(scalars[end])
                end += 1
            }
            if hasDigit {
                for position in index..<end where !isDigit(scalars[position]) {
                    scalars[position] = lookalikes[scalars[position]] ?? scalars[position]
                }
            }
            index = end
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return scalar.properties.isGraphemeExtend || scalar.value == 0x200D
        }
    }

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
        // A possessive keeps its name: "York's hours" (or "York’s") names York.
        func word(_ range: Range<String.Index>) -> Word {
            var end = range.upperBound
            let word = text[range]
            if word.count > 2, let last = word.last, last == "s" || last == "S",
               let apostrophe = word.dropLast().last, apostrophe == "'" || apostrophe == "\u{2019}" {
                end = text.index(end, offsetBy: -2)
            }
            return Word(folded: foldWord(text[range.lowerBound..<end]), range: range.lowerBound..<end)
        }
        while index < text.endIndex {
            let character = text[index]
            // French elision: "d'York" is "d" and "York", so the shop's name is found.
            if character == "'" || character == "\u{2019}", let wordStart = start,
               TextNormalizer.elisions.contains(TextNormalizer.fold(String(text[wordStart..<index]))),
               text.index(after: index) < text.endIndex, TextNormalizer.elidedBefore(text[text.index(after: index)]) {
                words.append(word(wordStart..<index))
                start = nil
                index = text.index(after: index)
                continue
            }
            let inWord = character.isLetter || character.isNumber || ((character == "'" || character == "\u{2019}") && start != nil)
            if inWord {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.append(word(wordStart..<index))
                start = nil
            }
            index = text.index(after: index)
        }
        if let wordStart = start {
            words.append(word(wordStart..<text.endIndex))
        }
        return words.filter { !$0.folded.isEmpty }
    }

    /// The folded words of `text`, as list values are compared.
    public static func foldedWords(of text: String) -> [String] {
        words(of: text).map(\.folded)
    }

    private static func foldWord(_ word: Substring) -> String {
        let folded = TextNormalizer.fold(String(word))
        return folded.contains(where: { $0 == "'" || $0 == "\u{2019}" }) ? folded.filter { $0 != "'" && $0 != "\u{2019}" } : folded
    }

    /// Whether `word` is the English plural of `singular` (three letters or
    /// more): "jackets", "boxes", "brushes"; not "hates" of "hat".
    static func isPlural(_ word: String, of singular: String) -> Bool {
        guard singular.count >= 3, word.hasPrefix(singular) else { return false }
        let ending = word.dropFirst(singular.count)
        let sibilant = ["s", "x", "z", "ch", "sh"].contains { singular.hasSuffix($0) }
        return sibilant ? ending == "es" : ending == "s"
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
        _ entity: String, forms: ListForms, words: [Word], scalars: ScalarOffsets, in message: String
    ) -> [EntityMatch] {
        var found: [EntityMatch] = []
        for start in words.indices {
            for form in forms.starting(with: words[start].folded).map({ forms.forms[$0] }) where start + form.words.count <= words.count {
                var approximate = false
                var matches = true
                for (offset, expected) in form.words.enumerated() {
                    let candidate = words[start + offset]
                    let word = candidate.folded
                    if word == expected { continue }
                    // A plural of the form's last word: "waterproof jackets" is the waterproof jacket.
                    if forms.plurals, offset == form.words.count - 1, Self.isPlural(word, of: expected) { continue }
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

    /// A match given by scalar offsets; its text is exactly those scalars.
    func match(_ entity: String, scalarRange: Range<Int>, value: String) -> EntityMatch {
        let view = text.unicodeScalars
        let lower = view.index(view.startIndex, offsetBy: scalarRange.lowerBound)
        let upper = view.index(lower, offsetBy: scalarRange.count)
        return EntityMatch(entity: entity, text: String(view[lower..<upper]), value: value, start: scalarRange.lowerBound, end: scalarRange.upperBound)
    }
}
