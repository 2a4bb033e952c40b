import Foundation

/// Turns what a customer typed into comparable tokens: case and accents folded,
/// punctuation dropped, common English contractions expanded, numbers kept
/// whole ("£1,250.50" gives "1250.50").
///
/// Pure and deterministic: the same text gives the same tokens on every machine.
public enum TextNormalizer {
    /// Changes whenever the words read from a text change, so that a model
    /// trained on the old words is not used with the new (part of a saved
    /// model's key): 2 splits French elisions.
    public static let version: UInt64 = 2

    /// Letters that French elides before a vowel, written with an apostrophe
    /// and the next word: "d'York", "l'adresse", "qu'il".
    static let elisions: Set<String> = ["d", "l", "j", "n", "s", "c", "m", "t", "qu"]

    /// Whether French elides before this letter: a vowel or h, as in
    /// "d'York" (y sounds as a vowel there) but not "c'mon" or "s'pose".
    static func elidedBefore(_ letter: Character) -> Bool {
        let base = fold(String(letter))
        return ["a", "e", "i", "o", "u", "h", "y"].contains(base)
    }

    /// Contractions written without their apostrophe too, since customers often skip it.
    private static let contractions: [String: [String]] = [
        "im": ["i", "am"], "i'm": ["i", "am"],
        "ive": ["i", "have"], "i've": ["i", "have"],
        "i'd": ["i", "would"], "i'll": ["i", "will"],
        "you're": ["you", "are"], "youre": ["you", "are"],
        "it's": ["it", "is"], "what's": ["what", "is"], "whats": ["what", "is"],
        "where's": ["where", "is"], "wheres": ["where", "is"],
        "how's": ["how", "is"], "that's": ["that", "is"], "thats": ["that", "is"],
        "there's": ["there", "is"], "let's": ["let", "us"],
        "can't": ["can", "not"], "cant": ["can", "not"], "cannot": ["can", "not"],
        "won't": ["will", "not"], "wont": ["will", "not"],
        "don't": ["do", "not"], "dont": ["do", "not"],
        "doesn't": ["does", "not"], "doesnt": ["does", "not"],
        "didn't": ["did", "not"], "didnt": ["did", "not"],
        "isn't": ["is", "not"], "isnt": ["is", "not"],
        "aren't": ["are", "not"], "arent": ["are", "not"],
        "wasn't": ["was", "not"], "wasnt": ["was", "not"],
        "haven't": ["have", "not"], "havent": ["have", "not"],
        "hasn't": ["has", "not"], "hasnt": ["has", "not"],
        "couldn't": ["could", "not"], "couldnt": ["could", "not"],
        "wouldn't": ["would", "not"], "wouldnt": ["would", "not"],
        "shouldn't": ["should", "not"], "shouldnt": ["should", "not"],
        "we're": ["we", "are"], "they're": ["they", "are"],
        "gonna": ["going", "to"], "wanna": ["want", "to"], "gotta": ["got", "to"],
    ]

    /// Lower-cased, accent-free text with typographic quotes made plain.
    public static func fold(_ text: String) -> String {
        // Plain ASCII needs only lower-casing, and Foundation's folding is
        // the slowest step of a prediction.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "\u{2019}", with: "'")
            .replacingOccurrences(of: "\u{2018}", with: "'")
    }

    /// The words of `text`, folded, with contractions expanded and punctuation gone.
    ///
    /// Linear in the text's length: this runs on every message and on every
    /// example when a bot loads. ASCII text is read byte by byte, without
    /// building Characters.
    public static func tokens(_ text: String) -> [String] {
        // A turn reads the same texts many times over (the message, its clauses, the bot's answers, the
        // cells of a table): each is tokenized once, while it is among the latest.
        memo.reading(ExactText(text)) { tokensAnew(text) }
    }

    /// The latest texts' tokens, for any bot (tokens depend on the text alone).
    private static let memo = ReadingMemo<ExactText, [String]>(capacity: 2048)

    private static func tokensAnew(_ text: String) -> [String] {
        var words: [String] = []
        func flush(_ current: String) {
            guard !current.isEmpty else { return }
            // Most words have no apostrophe: one look in the contractions ("dont", "im").
            guard current.utf8.contains(UInt8(ascii: "'")) else {
                if let expansion = contractions[current] { words.append(contentsOf: expansion) } else { words.append(current) }
                return
            }
            // French elision: "d'York", "l'adresse" are two words, so the name stands alone.
            if let apostrophe = current.firstIndex(of: "'"), elisions.contains(String(current[..<apostrophe])),
               current.index(after: apostrophe) < current.endIndex, elidedBefore(current[current.index(after: apostrophe)]) {
                words.append(String(current[..<apostrophe]))
                flush(String(current[current.index(after: apostrophe)...]))
                return
            }
            // A trailing possessive ("order's") keeps its stem.
            let word = current.hasSuffix("'s") && contractions[current] == nil
                ? String(current.dropLast(2)) : current
            if let expansion = contractions[word] {
                words.append(contentsOf: expansion)
            } else {
                let bare = word.utf8.contains(UInt8(ascii: "'")) ? word.filter { $0 != "'" } : word
                if !bare.isEmpty { words.append(bare) }
            }
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            asciiWords(Array(text.utf8)) { flush(String(decoding: $0, as: UTF8.self)) }
        } else {
            foldedWords(Array(fold(text))) { flush(String($0)) }
        }
        return words
    }

    /// The raw words of ASCII text, lower-cased, before contractions.
    private static func asciiWords(_ bytes: [UInt8], _ emit: (ArraySlice<UInt8>) -> Void) {
        var current: [UInt8] = []
        // Whether `current` is all digits and points, so far: a number.
        var numeric = true
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        for (index, raw) in bytes.enumerated() {
            let byte = raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
            if (byte >= 0x61 && byte <= 0x7A) || isDigit(byte) || byte == 0x27 {
                numeric = (current.isEmpty || numeric) && isDigit(byte)
                current.append(byte)
            } else if byte == 0x2E || byte == 0x2C, let last = current.last, isDigit(last), numeric,
                      index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                // A number keeps its decimal point ("12.50") and loses its
                // thousands separators ("1,000" is 1000).
                let digitsAfter = bytes[(index + 1)...].prefix(while: isDigit).count
                if byte == 0x2E || digitsAfter != 3 { current.append(0x2E) }
            } else {
                emit(current[...])
                current.removeAll(keepingCapacity: true)
                numeric = true
            }
        }
        emit(current[...])
    }

    /// The raw words of folded text, before contractions.
    private static func foldedWords(_ characters: [Character], _ emit: (Substring) -> Void) {
        var current = ""
        var numeric = true
        for (index, character) in characters.enumerated() {
            if isWordCharacter(character) {
                numeric = (current.isEmpty || numeric) && character.isNumber
                current.append(character)
            } else if character == "." || character == ",", let last = current.last, last.isNumber, numeric,
                      index + 1 < characters.count, characters[index + 1].isNumber {
                let digitsAfter = characters[(index + 1)...].prefix { $0.isNumber }.count
                if character == "." || digitsAfter != 3 { current.append(".") }
            } else {
                emit(current[...])
                current = ""
                numeric = true
            }
        }
        emit(current[...])
    }

    /// Letters, digits and the apostrophe; ASCII is decided without Unicode's tables.
    private static func isWordCharacter(_ character: Character) -> Bool {
        if let ascii = character.asciiValue {
            return (ascii >= 0x61 && ascii <= 0x7A) || (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A) || ascii == 0x27
        }
        return character.isLetter || character.isNumber
    }
}
