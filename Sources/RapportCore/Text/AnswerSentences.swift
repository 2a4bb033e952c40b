import Foundation

/// The sentences of an answer, and the ones that speak to a follow-up
/// question: "will I lose my Pine Club points if I delete?" after the
/// account-closing answer is answered by its sentence on points, not by the
/// whole paragraph again.
///
/// Pure and deterministic; words are compared as `TextNormalizer` gives them.
public enum AnswerSentences {
    /// `text` cut after each ".", "!" or "?" that a space and then a capital
    /// letter, a digit, a quote or a bracket follow: "£3.95", "9:30am" and a
    /// web address stay whole.
    public static func split(_ text: String) -> [String] {
        // Answers are mostly plain ASCII, where a byte is a character: read without building Characters.
        // (Each turn splits the replies said lately again.)
        text.utf8.allSatisfy({ $0 < 0x80 }) ? splitASCII(text) : splitCharacters(text)
    }

    /// `split`, character by character: for any text.
    static func splitCharacters(_ text: String) -> [String] {
        let characters = Array(text)
        var sentences: [String] = []
        var start = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if ".!?".contains(character), index + 2 < characters.count, characters[index + 1] == " ",
               let next = characters[(index + 2)...].first(where: { $0 != " " }),
               next.isUppercase || next.isNumber || "\"“'(£".contains(next) {
                sentences.append(String(characters[start...index]).trimmingCharacters(in: .whitespaces))
                start = index + 1
            }
            index += 1
        }
        let rest = String(characters[min(start, characters.count)...]).trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    /// `split` of ASCII text, byte by byte: the same cuts ("“" and "£" are not ASCII).
    static func splitASCII(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        /// The text of `range`, less spaces and tabs at its ends (what `.whitespaces` trims in ASCII).
        func trimmed(_ range: Range<Int>) -> String {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
            return String(decoding: bytes[lower..<upper], as: UTF8.self)
        }
        /// Whether a sentence ends at `index`: a space, then a capital, a digit, a quote or a bracket.
        func endsSentence(_ index: Int) -> Bool {
            guard [UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(bytes[index]),
                  index + 2 < bytes.count, bytes[index + 1] == 0x20,
                  let next = bytes[(index + 2)...].first(where: { $0 != 0x20 }) else { return false }
            return (0x41...0x5A).contains(next) || (0x30...0x39).contains(next)
                || [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "(")].contains(next)
        }
        var sentences: [String] = []
        var start = 0
        for index in bytes.indices where endsSentence(index) {
            sentences.append(trimmed(start..<(index + 1)))
            start = index + 1
        }
        let rest = trimmed(min(start, bytes.count)..<bytes.count)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    /// The sentences of `answer` that hold the most of `words` that only some
    /// of its sentences hold, in the answer's order; nil when no sentence
    /// holds one, or when every sentence would be picked (the whole answer is
    /// the answer). A word held by fewer sentences counts for more: it says
    /// more about which one is meant. A sentence that is a question ("Got a
    /// code already?") is not picked for its own words, but comes with the
    /// sentence after it, which answers it. Words match as `sameWord` says.
    public static func answering(_ words: [String], in answer: String, clausesToo: Bool = false) -> String? {
        let sentences = split(answer)
        if sentences.count == 1, clausesToo {
            // One sentence: its clauses, each said as a sentence of its own.
            return answering(words, in: clauses(of: sentences[0]).joined(separator: " "))
        }
        guard sentences.count > 1, !words.isEmpty else { return nil }
        let sentenceWords = sentences.map { Set(TextNormalizer.tokens($0)) }
        func holds(_ index: Int, _ word: String) -> Bool { sentenceWords[index].contains { sameWord($0, word) } }
        var scores = Array(repeating: 0.0, count: sentences.count)
        for word in Set(words) {
            let holding = sentences.indices.filter { holds($0, word) }
            guard !holding.isEmpty, holding.count < sentences.count else { continue }
            for index in holding { scores[index] += 1 / Double(holding.count) }
        }
        // A question of the answer's own ("Got a code already?") answers nothing.
        for index in sentences.indices where sentences[index].hasSuffix("?") { scores[index] = 0 }
        guard let best = scores.max(), best > 0 else { return nil }
        var picked = Set(sentences.indices.filter { scores[$0] == best })
        // The question a picked sentence answers comes with it ("Got a code already? Put it in...").
        for index in picked where index > 0 && sentences[index - 1].hasSuffix("?") { picked.insert(index - 1) }
        let inOrder = picked.sorted()
        guard inOrder.count < sentences.count else { return nil }
        return inOrder.map { sentences[$0] }.joined(separator: " ")
    }

    /// `answer` without the sentences any of `said` holds, or nil when none
    /// is left: a second answer in one turn says nothing twice.
    public static func without(_ said: [String], in answer: String) -> String? {
        let before = Set(said.flatMap(split))
        let fresh = split(answer).filter { !before.contains($0) }
        return fresh.isEmpty ? nil : fresh.joined(separator: " ")
    }

    /// `answer` with each sentence's last clause after ", and " left out when
    /// a sentence of `said` ends with the same words: "£14 for our socks, and
    /// standard delivery is free on orders over £50." just after the boots'
    /// price said so is "£14 for our socks.".
    public static func withoutClausesSaid(_ said: [String], in answer: String) -> String {
        let endings = Set(said.flatMap(split).compactMap { sentence in
            sentence.range(of: ", and ", options: .backwards).map { String(sentence[$0.upperBound...]) }
        })
        guard !endings.isEmpty else { return answer }
        return split(answer).map { sentence in
            guard let cut = sentence.range(of: ", and ", options: .backwards), endings.contains(String(sentence[cut.upperBound...])),
                  let mark = sentence.last, ".!".contains(mark) else { return sentence }
            return String(sentence[..<cut.lowerBound]) + String(mark)
        }.joined(separator: " ")
    }

    /// The word without a plural "s" ("points", not "gas" or "yes").
    public static func singular(_ word: String) -> String {
        word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
    }

    /// A sentence's clauses, each made a sentence: cut at "; " and at ", and"
    /// or ", but" (the joining word dropped), the first letter made a
    /// capital and a full stop put at the end. "Open 9am to 6pm, and 11am to
    /// 4pm on Sundays; on bank holidays, 11am to 4pm." gives three.
    public static func clauses(of sentence: String) -> [String] {
        var body = sentence
        if let last = body.last, ".!?".contains(last) { body.removeLast() }
        var pieces: [String] = []
        for part in body.components(separatedBy: "; ") {
            var rest = Substring(part)
            while let cut = rest.range(of: ", and ") ?? rest.range(of: ", but ") {
                pieces.append(String(rest[..<cut.lowerBound]))
                rest = rest[cut.upperBound...]
            }
            pieces.append(String(rest))
        }
        return pieces.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
    }

    /// Whether two words are one word: the same, or the same but for a plural
    /// "s" or an "ing" or "ed" ending on four letters or more ("send" and
    /// "sending"; not "box" and "boxing"), or sharing their
    /// first five letters or more with at most three others after ("expire"
    /// and "expiry", "waterproof" and "waterproofing").
    public static func sameWord(_ first: String, _ second: String) -> Bool {
        if first == second || singular(first) == singular(second) { return true }
        let (short, long) = first.count <= second.count ? (first, second) : (second, first)
        if short.count >= 4, long.hasPrefix(short), ["ing", "ed"].contains(String(long.dropFirst(short.count))) { return true }
        let shared = zip(first, second).prefix { $0 == $1 }.count
        return shared >= 5 && first.count - shared <= 3 && second.count - shared <= 3
    }
}
