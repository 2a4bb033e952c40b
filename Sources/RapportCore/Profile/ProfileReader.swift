import Foundation

/// Reads profile values out of customers' words: answers to a profile
/// question, and facts volunteered at any time ("I'm Sam, I live in Leeds").
/// Built once per engine (it compiles the catalogue's patterns); pure.
public struct ProfileReader: @unchecked Sendable {
    // Regex is not Sendable; these are never mutated after init.
    private let volunteered: [(field: ProfileField, patterns: [Regex<AnyRegexOutput>])]
    private let entities: EntityExtractor

    public init(catalogue: ProfileCatalogue, entities: EntityExtractor) {
        self.entities = entities
        self.volunteered = catalogue.fields.compactMap { field in
            let patterns = field.volunteered.compactMap { try? Regex($0).ignoresCase() } // the loader has refused bad ones
            return patterns.isEmpty ? nil : (field, patterns)
        }
    }

    /// The value of `field` in an answer to its question, or nil if the answer holds none.
    public func answer(_ text: String, for field: ProfileField, at now: Date) -> String? {
        Self.read(Self.withoutLeadIn(text), with: field.answer, entities: entities, at: now, wholeAnswer: true)
    }

    /// Facts the customer volunteered in a message, by field, in catalogue order.
    public func volunteeredFacts(in text: String, at now: Date) -> [(field: ProfileField, value: String)] {
        var found: [(ProfileField, String)] = []
        for (field, patterns) in volunteered {
            for pattern in patterns {
                guard let match = try? pattern.firstMatch(in: text), match.output.count > 1,
                      let captured = match.output[1].substring else { continue }
                // "Forget that my name is Sam", "it's not that my email is...": withdrawn, not given.
                // Only the clause the phrase is in counts: "I can't find it, my name is Sam" gives a name.
                let prefix = text[..<match.range.lowerBound]
                let clause = prefix.lastIndex(where: { ",.;!?".contains($0) }).map { prefix[prefix.index(after: $0)...] } ?? prefix
                let before = TextNormalizer.tokens(String(clause)).suffix(4)
                if before.contains(where: Self.withdrawing.contains) { continue }
                if let value = Self.read(String(captured), with: field.answer, entities: entities, at: now, wholeAnswer: false) {
                    found.append((field, value))
                    break
                }
            }
        }
        return found
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

    static func withoutLeadIn(_ text: String) -> String {
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        var changed = true
        while changed {
            changed = false
            let lowered = rest.lowercased()
            for leadIn in leadIns where lowered.hasPrefix(leadIn + " ") || lowered.hasPrefix(leadIn + ",") {
                rest = String(rest.dropFirst(leadIn.count)).trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
                changed = true
                break
            }
        }
        return rest
    }

    /// Words that follow "I'm" or answer a question but are not names.
    private static let notNames: Set<String> = [
        "a", "an", "the", "and", "but", "not", "no", "yes", "yeah", "nope", "sure", "ok", "okay", "fine", "good", "great",
        "well", "sorry", "so", "very", "just", "really", "still", "here", "back", "looking", "trying", "having", "going",
        "waiting", "wondering", "interested", "confused", "lost", "done", "afraid", "happy", "unhappy", "angry", "glad",
        "new", "tired", "busy", "rather", "prefer", "why", "what", "who", "where", "when", "how", "nobody", "none", "skip",
        "pass", "private", "never", "mind", "hi", "hello", "hey", "thanks", "thank", "please", "order", "my", "your",
        "i", "me", "you", "it", "that", "this", "there", "about", "calling", "writing", "asking", "annoyed", "frustrated",
        "ugh", "hmm", "meh", "huh", "eh", "um", "er", "lol", "k", "nah", "maybe", "later", "whatever", "anonymous",
        // How people say they feel ("I'm Disappointed"), not who they are.
        "disappointed", "furious", "upset", "sad", "worried", "concerned", "pleased", "delighted", "excited", "surprised",
        "shocked", "disgusted", "fed", "sick", "bored", "ready", "certain", "unsure", "finished", "curious", "hoping",
        "contacting", "also", "quite", "pretty", "getting", "fuming", "livid", "gutted", "thrilled", "stuck", "lucky",
        // "call me on 0161...", "call me back": how to call, not a name.
        "on", "at", "when", "if", "tomorrow", "today", "tonight", "asap", "anytime", "any", "now",
    ]

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

    private static func read(
        _ text: String, with reader: AnswerReader, entities: EntityExtractor, at now: Date, wholeAnswer: Bool
    ) -> String? {
        switch reader {
        case .name:
            let words = text.split { !($0.isLetter || $0 == "-" || $0 == "'") }
            // An answer is a name and little else; a volunteered capture is the name itself.
            guard let first = words.first, !wholeAnswer || words.count <= 2 else { return nil }
            let name = String(first)
            guard name.count >= 2, name.count <= 30, name.first?.isLetter == true,
                  !notNames.contains(name.lowercased()), !isKeyboardMash(name) else { return nil }
            return name.prefix(1).uppercased() + name.dropFirst()
        case .text:
            let cleaned = text.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
            let words = cleaned.split(separator: " ")
            guard !words.isEmpty, words.count <= 4, cleaned.count <= 40, cleaned.contains(where: \.isLetter),
                  !(words.count == 1 && notNames.contains(words[0].lowercased())) else { return nil }
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
