import Foundation

/// Reads profile values out of customers' words: answers to a profile
/// question, and facts volunteered at any time ("I'm Sam, I live in Leeds").
/// Built once per engine (it compiles the catalogue's patterns); pure.
///
/// A fact is read only where the message states it about the customer, and
/// only a value that passes its field's own check (`answer`) is read:
/// - a first name is no word of the bot's own (`isName`): not in the
///   lexicon's `names.not_names`, no question word, no word of the lexicon or
///   of the intents' examples (`vocabulary`), unless `names.also_words` says
///   it is a name too; and it holds no digit;
/// - a question ("what do I get", "wheres order 10501") or a message the
///   engine understands as a request is no answer for a name or a free answer;
/// - a free answer (a town) is at most four words and no sentence
///   (`answers.sentence_words`: "I don't know");
/// - a contact detail given unasked, or in a request, is the customer's only
///   when the words just before it say so (`own_details`: "my email is",
///   "reach me at"), not "send it to X" (`isTheirs`).
public struct ProfileReader: @unchecked Sendable {
    // Regex is not Sendable; these are never mutated after init.
    /// Each field's `volunteered` patterns, with what each cannot match without (most messages volunteer nothing).
    private let volunteered: [(field: ProfileField, patterns: [(regex: Regex<AnyRegexOutput>, needs: RequiredText)])]
    private let entities: EntityExtractor
    /// Folded words that are never a first name (`isName`).
    private let notNames: Set<String>
    /// The lexicon's `names.not_names` alone: a one-word free answer is none of them ("fine").
    private let notAnswers: Set<String>
    private let questionWords: Set<String>
    /// `answers.asking_phrases`, each as its words, to be found side by side among a message's.
    private let askingPhrases: [[String]]
    /// Two words a question may open with whose first alone may open a statement: "has it shipped",
    /// "have you sent it", not "has been three weeks" (`answers.opening_phrases`).
    private let questionOpeners: Set<[String]>
    private let fillers: Set<String>
    private let sentenceWords: Set<String>
    private let ownershipCues: [[String]]
    private let ownershipBetween: Set<String>
    /// Every word an answer may hold besides its value: fillers and the words of lead-ins.
    private let answerWords: Set<String>

    /// A reader of `catalogue`'s fields. `lexicon` holds the words names,
    /// questions and fillers are told by; `vocabulary` the words the bot's
    /// intents use (`vocabulary(of:)`), none of which is a first name.
    public init(catalogue: ProfileCatalogue, entities: EntityExtractor, lexicon: Lexicon = .empty, vocabulary: Set<String> = []) {
        self.entities = entities
        self.volunteered = catalogue.fields.compactMap { field in
            let patterns = field.volunteered.compactMap { source in // the loader has refused bad ones
                (try? Regex(source).ignoresCase()).map { (regex: $0, needs: RequiredText(pattern: source, swiftRegex: true)) }
            }
            return patterns.isEmpty ? nil : (field, patterns)
        }
        func words(_ list: Lexicon.List) -> Set<String> { Set(lexicon[list].flatMap(TextNormalizer.tokens)) }
        let notAnswers = words(.namesNotNames)
        let questionWords = words(.answersQuestionWords)
        // Every word the bot reads signals by is a word of its language, not a name.
        let lexiconWords = Set(Lexicon.List.allCases.filter { $0 != .namesAlsoWords }.flatMap { lexicon[$0].flatMap(TextNormalizer.tokens) })
        self.notAnswers = notAnswers
        self.questionWords = questionWords
        self.notNames = notAnswers.union(questionWords).union(lexiconWords.union(vocabulary).subtracting(words(.namesAlsoWords)))
        self.fillers = words(.answersFillers)
        self.sentenceWords = words(.answersSentenceWords)
        self.askingPhrases = lexicon[.answersAskingPhrases].map(TextNormalizer.tokens).filter { !$0.isEmpty }
        self.questionOpeners = Set(lexicon[.answersOpeningPhrases].map(TextNormalizer.tokens).filter { $0.count == 2 })
        self.ownershipCues = lexicon[.ownDetailsCues].map(TextNormalizer.tokens).filter { !$0.isEmpty }
        self.ownershipBetween = words(.ownDetailsBetween)
        self.answerWords = fillers.union(Self.leadIns.flatMap(TextNormalizer.tokens))
    }

    /// The reader of `bot`'s profile fields, with its lexicon and the words
    /// of its intents' examples as the vocabulary no name is taken from.
    public init(bot: Bot, entities: EntityExtractor) {
        self.init(catalogue: bot.profile, entities: entities, lexicon: bot.signals.lexicon, vocabulary: Self.vocabulary(of: bot.intents))
    }

    /// The words customers use in requests, from the intents' examples,
    /// folded: a word the bot knows from requests ("returning", "wheres",
    /// "looking") is no first name. Left out: the examples of introductions
    /// (they hold sample names), and words an example writes only with a
    /// capital inside a sentence (proper nouns: "Edinburgh", "Pine").
    public static func vocabulary(of intents: [Intent]) -> Set<String> {
        var words: Set<String> = []
        // The examples repeat their words: each is folded and tokenised once (a start reads every example).
        var seen: Set<String> = []
        func note(_ word: String) {
            guard seen.insert(word).inserted else { return }
            words.insert(TextNormalizer.fold(word).filter { $0 != "'" })
            words.formUnion(TextNormalizer.tokens(word))
        }
        for intent in intents where intent.action != .introduce {
            for example in intent.examples {
                if example.utf8.allSatisfy({ $0 < 0x80 }) {
                    // ASCII, byte by byte: letters and the apostrophe make words.
                    let bytes = Array(example.utf8)
                    var start: Int?
                    var index = 0
                    var first = true
                    func flush(_ end: Int) {
                        guard let from = start else { return }
                        let isCapital = bytes[from] >= 0x41 && bytes[from] <= 0x5A
                        if first || !isCapital { note(String(decoding: bytes[from..<end], as: UTF8.self)) }
                        first = false
                        start = nil
                    }
                    while index < bytes.count {
                        let byte = bytes[index] | 0x20
                        if (byte >= 0x61 && byte <= 0x7A) || bytes[index] == 0x27 {
                            if start == nil { start = index }
                        } else {
                            flush(index)
                        }
                        index += 1
                    }
                    flush(bytes.count)
                    continue
                }
                let typed = example.split { !($0.isLetter || $0 == "'" || $0 == "’") }
                for (index, word) in typed.enumerated() where index == 0 || word.first?.isUppercase != true {
                    note(String(word))
                }
            }
        }
        return words
    }

    /// How the engine understood the message an answer may be in.
    public enum MessageReading: Sendable {
        /// No intent: the message may well be an answer.
        case unmatched
        /// "I'm Sam", "it's sam@example.com": the customer tells about themselves.
        case introduction
        /// Small talk, which resolves no request ("haha ok").
        case smallTalk
        /// A request of the customer's own ("can you email the invoice to...?").
        case request
    }

    /// The value of `field` in an answer to its question, or nil if the answer
    /// holds none. A message the engine understood as anything but an
    /// introduction is no name or free answer ("good morning" is no town); a
    /// request holds a contact detail only as the customer's own ("can you
    /// email the invoice to accounts@acme.example?" does not).
    public func answer(_ text: String, for field: ProfileField, at now: Date, reading: MessageReading = .unmatched) -> String? {
        switch field.answer {
        case .name where reading == .smallTalk:
            // "haha ok, its Chris" may read as "ok": the name with fillers only is still an answer.
            return bareAnswer(text, for: field, at: now, reading: reading)
        case .name, .text:
            // "What do I get", "wheres order 10501": a question answers nothing about the customer.
            guard reading == .unmatched || reading == .introduction, !isQuestion(text) else { return nil }
        case .entity where field.kind == .contact && reading == .request:
            return ownedDetail(in: text, for: field, at: now, alone: true)
        case .entity, .number:
            break
        }
        return read(withoutLeadIn(text), with: field.answer, at: now, wholeAnswer: true)
    }

    /// The value of `field` when the message is that value with only fillers
    /// around it ("its Chris", "Chris", "ok fine, Chris") and no request: how
    /// an answer one message late is read (the question was passed over in
    /// the message before). Small talk ("haha ok, its Chris" may read as
    /// "ok") may hold a name, which is no word of the bot's own anyway, but
    /// no free answer.
    public func bareAnswer(_ text: String, for field: ProfileField, at now: Date, reading: MessageReading = .unmatched) -> String? {
        guard reading != .request else { return nil }
        let asRead: MessageReading = field.answer == .name && reading == .smallTalk ? .unmatched : reading
        guard let value = answer(text, for: field, at: now, reading: asRead) else { return nil }
        var rest = text
        switch field.answer {
        case .entity(let entity):
            // The value as typed may differ from its normal form ("07700 900123").
            var scalars = Array(text.unicodeScalars)
            for match in entities.extract(from: text, at: now).reversed() where match.entity == entity {
                guard match.start >= 0, match.end <= scalars.count, match.start < match.end else { return nil }
                scalars.replaceSubrange(match.start..<match.end, with: [" "])
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            rest = String(view)
        case .number:
            rest = String(text.map { $0.isNumber ? " " : $0 })
        case .name, .text:
            let valueWords = Set(TextNormalizer.tokens(value))
            return TextNormalizer.tokens(text).allSatisfy { answerWords.contains($0) || valueWords.contains($0) } ? value : nil
        }
        return TextNormalizer.tokens(rest).allSatisfy(answerWords.contains) ? value : nil
    }

    /// Facts the customer volunteered in a message, by field, in catalogue order.
    public func volunteeredFacts(in text: String, at now: Date) -> [(field: ProfileField, value: String)] {
        var found: [(ProfileField, String)] = []
        let bytes = Array(text.utf8)
        for (field, patterns) in volunteered {
            for (pattern, needs) in patterns where needs.mayMatch(bytes) {
                guard let match = try? pattern.firstMatch(in: text), match.output.count > 1,
                      let captured = match.output[1].substring else { continue }
                // "Forget that my name is Sam", "it's not that my email is...": withdrawn, not given.
                // Only the clause the phrase is in counts: "I can't find it, my name is Sam" gives a name.
                let prefix = text[..<match.range.lowerBound]
                let clause = prefix.lastIndex(where: { ",.;!?".contains($0) }).map { prefix[prefix.index(after: $0)...] } ?? prefix
                let before = TextNormalizer.tokens(String(clause)).suffix(4)
                if before.contains(where: Self.withdrawing.contains) { continue }
                if let value = read(String(captured), with: field.answer, at: now, wholeAnswer: false) {
                    found.append((field, value))
                    break
                }
            }
        }
        return found
    }

    /// Contact details an introduction holds that no `volunteered` pattern
    /// read ("you can reach me at sam@example.com"), with list values the
    /// fields read by an entity find ("walking and reading"): a contact
    /// detail only when the words before it say it is the customer's.
    public func introducedFacts(in text: String, fields: [ProfileField], at now: Date) -> [(field: ProfileField, value: String)] {
        fields.compactMap { field in
            guard case .entity(let entity) = field.answer,
                  entities.extract(from: text, at: now).contains(where: { $0.entity == entity }) else { return nil }
            let value = field.kind == .contact
                ? ownedDetail(in: text, for: field, at: now, alone: false)
                : read(withoutLeadIn(text), with: field.answer, at: now, wholeAnswer: true)
            return value.map { (field, $0) }
        }
    }

    /// The values of a contact field's entity that the message says are the
    /// customer's (`isTheirs`), or, with `alone`, that are all it says.
    private func ownedDetail(in text: String, for field: ProfileField, at now: Date, alone: Bool) -> String? {
        guard case .entity(let entity) = field.answer else { return nil }
        let scalars = text.unicodeScalars
        var values: [String] = []
        for match in entities.extract(from: text, at: now) where match.entity == entity && !values.contains(match.value) {
            guard match.start >= 0, match.start <= scalars.count else { continue }
            let start = scalars.index(scalars.startIndex, offsetBy: match.start)
            if isTheirs(text, before: start) { values.append(match.value) }
        }
        if values.isEmpty, alone { return bareAnswer(text, for: field, at: now, reading: .smallTalk) }
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// Whether the words just before `index`, in its clause, say that what
    /// follows is the customer's own: a cue ("my", "me", "I'm"), then only
    /// words of the kind of detail ("my work email is", "reach me at", "I'm on").
    func isTheirs(_ text: String, before index: String.Index) -> Bool {
        let prefix = text[..<index]
        // A clause ends at , ; ! ? or a full stop before a space (an address has full stops of its own).
        var start = prefix.startIndex
        var position = prefix.startIndex
        while position < prefix.endIndex {
            let next = prefix.index(after: position)
            if ",;!?".contains(prefix[position]) || (prefix[position] == "." && (next == prefix.endIndex || prefix[next] == " ")) {
                start = next
            }
            position = next
        }
        var words = TextNormalizer.tokens(String(prefix[start...]))
        while let last = words.last, ownershipBetween.contains(last) { words.removeLast() }
        return ownershipCues.contains { cue in words.count >= cue.count && Array(words.suffix(cue.count)) == cue }
    }

    /// Whether the message asks rather than answers: a "?", or two words or
    /// more opening, after fillers, with a question word ("wheres order 10501").
    /// Only fillers that are no words of a sentence ("ok", "haha") are passed
    /// over: "it was cancelled on the 12th", "i can't find it" open with their
    /// subject, as statements do, not with the verb a question opens with.
    /// So does a later sentence of it: "so the jumper one. has it gone out yet".
    public func isQuestion(_ text: String) -> Bool {
        if text.contains("?") { return true }
        // "I want to know when it'll arrive": a question with no question word first.
        let words = TextNormalizer.tokens(text)
        if askingPhrases.contains(where: { CustomerSignals.holds(words, phrase: $0) }) { return true }
        let sentences = text.split(whereSeparator: { ".!;\n".contains($0) })
        // A later sentence only by a question word that opens no statement ("where", not "was": "Checked
        // the box twice. Was definitely not in there" drops its subject, as a statement may) or an opening phrase.
        if sentences.count > 1 {
            return opensAsAQuestion(String(sentences[0])) || sentences.dropFirst().contains { opensAsAQuestion(String($0), later: true) }
        }
        return opensAsAQuestion(text)
    }

    /// Whether `text` opens, after fillers, with a question word, and has two words or more. `later`: a
    /// sentence after the first, which a word that may open a statement with its subject left out does not
    /// make a question (`answers.sentence_words`: "was", "did").
    private func opensAsAQuestion(_ text: String, later: Bool = false) -> Bool {
        // Words as typed, so that "it's Sam" opens with "it's", not with the "is" it stands for.
        let typed = text.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") }
            .map { TextNormalizer.fold(String($0)).filter { $0 != "'" } }
        let words = typed.drop { fillers.contains($0) && !questionWords.contains($0) && !sentenceWords.contains($0) }
        guard let first = words.first.flatMap({ TextNormalizer.tokens($0).first }), words.count >= 2 else { return false }
        let second = TextNormalizer.tokens(words[words.index(after: words.startIndex)]).first ?? ""
        return questionWords.contains(first) && !(later && sentenceWords.contains(first)) || questionOpeners.contains([first, second])
    }

    /// Whether the message holds a word the bot knows (of its intents'
    /// examples or its signals) of three letters or more, not one of
    /// `besides` (the words most requests share): "blorp zingle" and "wher
    /// is it nowww" hold none.
    public func holdsKnownWords(_ text: String, besides common: Set<String> = []) -> Bool {
        TextNormalizer.tokens(text).contains { $0.count >= 3 && !common.contains($0) && notNames.contains($0) }
    }

    /// Whether a word may be a first name: two to thirty letters (no digit),
    /// no word of the bot's own (`notNames`), no keys hit at random.
    public func isName(_ word: String) -> Bool {
        guard word.count >= 2, word.count <= 30, word.first?.isLetter == true, !word.contains(where: \.isNumber) else { return false }
        let folded = TextNormalizer.fold(word).filter { $0 != "'" && $0 != "’" }
        // "Wheres" is "where is": no name either.
        guard !notNames.contains(folded), !TextNormalizer.tokens(word).contains(where: notNames.contains) else { return false }
        return !Self.isKeyboardMash(word)
    }

    /// Words that, just before a volunteered phrase, take it back.
    private static let withdrawing: Set<String> = ["forget", "delete", "remove", "erase", "wipe", "not", "never", "stop"]

    // MARK: - readers

    /// Words customers put before an answer: "it's", "my name is", "I live in".
    private static let leadIns = [
        "my name is", "my name's", "the name is", "name is", "call me", "you can call me", "i am called", "i'm called",
        "i live in", "i'm in", "i am in", "i'm from", "i am from", "i'm based in", "i am based in", "based in", "from",
        "it's", "it is", "its", "i'm", "i am", "im", "sure", "ok", "okay", "yes", "yeah", "well", "oh",
    ]

    /// The answer without what customers put before it: lead-ins ("it's",
    /// "my name is") and the lexicon's fillers ("haha ok, it's Chris").
    func withoutLeadIn(_ text: String) -> String {
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        var changed = true
        while changed {
            changed = false
            let lowered = rest.lowercased()
            for leadIn in Self.leadIns where lowered.hasPrefix(leadIn + " ") || lowered.hasPrefix(leadIn + ",") {
                rest = String(rest.dropFirst(leadIn.count)).trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
                changed = true
                break
            }
            if !changed, let end = rest.firstIndex(where: { !($0.isLetter || $0 == "'" || $0 == "’") }), end > rest.startIndex,
               fillers.contains(TextNormalizer.fold(String(rest[..<end])).filter { $0 != "'" && $0 != "’" }) {
                let after = rest[end...].trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
                if !after.isEmpty {
                    rest = after
                    changed = true
                }
            }
        }
        return rest
    }

    /// Runs of keys side by side on a keyboard, which no first name holds
    /// ("asdfgh", "qwerty", "hjkl"). Runs that names do hold are left out:
    /// "erty" (Liberty, Gerty), "wert".
    private static let keyboardRuns = ["asdf", "sdfg", "dfgh", "fghj", "ghjk", "hjkl", "zxcv", "xcvb", "cvbn", "vbnm",
                                       "qwer", "rtyu", "tyui", "yuio", "uiop"]

    /// Whether a would-be name is someone hitting keys: a keyboard run either
    /// way round, one letter three times running ("aaaa", "hmmm"), or four
    /// Latin letters or more with no vowel ("sdfkj", "grrr").
    static func isKeyboardMash(_ name: String) -> Bool {
        let folded = TextNormalizer.fold(name)
        let reversed = String(folded.reversed())
        if keyboardRuns.contains(where: { folded.contains($0) || reversed.contains($0) }) { return true }
        let letters = Array(folded)
        for index in letters.indices.dropFirst(2) where letters[index] == letters[index - 1] && letters[index] == letters[index - 2] {
            return true
        }
        // Only a name in Latin letters can be judged by its Latin vowels ("Анна", "Νίκος" have none).
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        let latin = letters.allSatisfy { $0.isASCII }
        return latin && letters.count >= 4 && !letters.contains(where: vowels.contains)
    }

    private func read(_ text: String, with reader: AnswerReader, at now: Date, wholeAnswer: Bool) -> String? {
        switch reader {
        case .name:
            // A name holds no digit: "wheres order 10501" gives none.
            guard !text.contains(where: \.isNumber) else { return nil }
            let words = text.split { !($0.isLetter || $0 == "-" || $0 == "'") }
            // An answer is a name and little else; a volunteered capture is the name itself.
            guard let first = words.first, !wholeAnswer || words.count <= 2 else { return nil }
            let name = String(first)
            guard isName(name) else { return nil }
            return name.prefix(1).uppercased() + name.dropFirst()
        case .text:
            let cleaned = text.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
            let words = cleaned.split(separator: " ")
            // A few words that are no sentence: "Leeds", "Stoke on Trent", not "what do I get" or "I don't know".
            guard !words.isEmpty, words.count <= 4, cleaned.count <= 40, cleaned.contains(where: \.isLetter),
                  !(words.count == 1 && notAnswers.contains(TextNormalizer.fold(String(words[0])))),
                  !TextNormalizer.tokens(cleaned).contains(where: sentenceWords.contains) else { return nil }
            return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        case .number(let range):
            let numbers = text.split { !$0.isNumber }.compactMap { Int($0) }
            guard numbers.count == 1, let number = numbers.first, range.contains(number) else { return nil }
            return String(number)
        case .entity(let name):
            var values: [String] = []
            for match in entities.extract(from: text, at: now) where match.entity == name && !values.contains(match.value) {
                values.append(match.value)
            }
            return values.isEmpty ? nil : values.joined(separator: ", ")
        }
    }
}
