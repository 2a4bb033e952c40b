/// How the service compared with what the customer expected (satisfaction
/// is perceived performance against expectations).
public enum AgainstExpectations: String, Hashable, Sendable, CaseIterable {
    /// Below what they expected: dissatisfied.
    case below
    /// As expected: satisfied.
    case met
    /// Above: delighted.
    case above

    /// The customer's state the answer shows.
    public var satisfaction: String {
        switch self {
        case .below: return "dissatisfied"
        case .met: return "satisfied"
        case .above: return "delighted"
        }
    }
}

/// Reading satisfaction answers in the forms people type: "5", "five",
/// "very satisfied", "meh", "10/10", ":)". Pure; English, like the bundled bot.
public enum SatisfactionAnswer {
    private static let numberWords: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    ]

    /// Phrases and their score on 1 to 5, longest first so "not very good" beats "very good".
    private static let csatPhrases: [(String, Int)] = [
        ("not very satisfied", 2), ("not very good", 2), ("not very happy", 2), ("not satisfied", 2), ("not happy", 2), ("not good", 2), ("not great", 2), ("not bad", 3),
        ("not very helpful", 2), ("not helpful", 1), ("no help", 1), ("very dissatisfied", 1), ("very unhappy", 1),
        ("very satisfied", 5), ("very happy", 5), ("very good", 5), ("very helpful", 5), ("really good", 5), ("really helpful", 5),
        ("so so", 3), ("could be better", 2), ("could have been better", 2), ("not too bad", 3), ("not so good", 2),
        ("not that good", 2), ("not that great", 2), ("not so great", 2), ("not too good", 2), ("no complaints", 5),
        ("excellent", 5), ("brilliant", 5), ("amazing", 5), ("perfect", 5), ("fantastic", 5), ("superb", 5), ("outstanding", 5),
        ("great", 5), ("awesome", 5), ("love", 5), ("loved", 5), ("wonderful", 5),
        ("good", 4), ("satisfied", 4), ("happy", 4), ("helpful", 4), ("fine", 4), ("pleased", 4), ("nice", 4), ("useful", 4),
        ("ok", 3), ("okay", 3), ("alright", 3), ("average", 3), ("meh", 3), ("mediocre", 3), ("neutral", 3), ("fair", 3), ("decent", 3),
        ("poor", 2), ("disappointed", 2), ("disappointing", 2), ("unhappy", 2), ("dissatisfied", 2), ("bad", 2), ("unhelpful", 2),
        ("terrible", 1), ("awful", 1), ("useless", 1), ("horrible", 1), ("rubbish", 1), ("worst", 1), ("hopeless", 1), ("appalling", 1),
    ]

    private static let emoticons: [(String, Int)] = [
        (":D", 5), (":-D", 5), ("😍", 5), ("🤩", 5), ("😀", 5), ("😁", 5), ("👍", 4), ("🙂", 4), ("😊", 4), (":)", 4), (":-)", 4),
        ("😐", 3), (":|", 3), (":-|", 3), ("🙁", 2), ("😕", 2), (":(", 2), (":-(", 2), ("👎", 2), ("😠", 1), ("😡", 1), (":'(", 1), ("😭", 1),
    ]

    /// A customer satisfaction score on 1 to 5, or nil if the text holds none.
    /// A number out of ten ("8/10", "8 out of 10") is halved and rounded up.
    public static func csat(_ text: String) -> Int? {
        if let (value, outOf) = rating(text) {
            switch outOf {
            case 5: return (1...5).contains(value) ? value : nil
            case 10: return (0...10).contains(value) ? max(1, Int((Double(value) / 2).rounded(.up))) : nil
            default: return (1...5).contains(value) ? value : nil
            }
        }
        if let score = phraseScore(text, csatPhrases) { return score }
        for (icon, score) in emoticons where text.contains(icon) { return score }
        return nil
    }

    /// A score given without being asked for: "I'll give you a 2 out of 10",
    /// "rate you 4/5 so far". Only a number out of 5 or 10, said as one ("out
    /// of", or "/" with a word of rating: "rate", "score", "give you", "stars"),
    /// so a date ("due 3/12") or a count ("2 of the 3 items") is none.
    public static func unaskedScore(_ text: String) -> Int? {
        guard let (_, outOf) = rating(text), outOf == 5 || outOf == 10 else { return nil }
        let tokens = TextNormalizer.tokens(text)
        // "Only 2 out of 5 items arrived" counts items.
        if let last = tokens.lastIndex(of: String(outOf)), last + 1 < tokens.count, countedThings.contains(tokens[last + 1]) { return nil }
        let words = " " + tokens.joined(separator: " ") + " "
        let rates = [" out of ", " rate ", " rating ", " score ", " give you ", " stars ", " marks "].contains { words.contains($0) }
        return rates ? csat(text) : nil
    }

    /// Words that make a number a count, not a rating ("2 items", "5 days").
    static let countedThings: Set<String> = ["sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "moment", "more",
                                             "item", "items", "question", "questions", "thing", "things", "order", "orders", "day", "days",
                                             "parcel", "parcels", "box", "boxes", "pair", "pairs", "week", "weeks", "piece", "pieces"]

    /// Likelihood to recommend on 0 to 10 ("9", "nine", "10/10", "definitely"), or nil.
    public static func nps(_ text: String) -> Int? {
        if let (value, outOf) = rating(text) {
            if outOf == 5 && (text.contains("/") || text.lowercased().contains("out of")) { return (0...5).contains(value) ? value * 2 : nil }
            return (0...10).contains(value) ? value : nil
        }
        // "Definitely not", "wouldn't", "likely not": a negation turns any yes into a detractor.
        let negative: [(String, Int)] = [
            ("definitely not", 0), ("absolutely not", 0), ("never", 0), ("no way", 0), ("probably not", 3), ("likely not", 3),
            ("not likely", 3), ("unlikely", 3), ("not sure", 5),
        ]
        if let score = phraseScore(text, negative) { return score }
        let words = TextNormalizer.tokens(text)
        if words.contains("not") || words.first == "no" { return 2 }
        let phrases: [(String, Int)] = [
            ("definitely not", 0), ("never", 0), ("no way", 0), ("unlikely", 3), ("probably not", 3), ("not likely", 3),
            ("maybe", 5), ("not sure", 5), ("probably", 8), ("likely", 8), ("definitely", 10), ("absolutely", 10), ("of course", 10),
            ("already have", 10), ("already did", 10),
        ]
        return phraseScore(text, phrases)
    }

    /// "Below", "as expected", "better than I expected", or nil.
    public static func expectation(_ text: String) -> AgainstExpectations? {
        let phrase = " " + TextNormalizer.tokens(text).joined(separator: " ") + " "
        // Negations first: "not as expected", "not impressed", "not disappointed".
        let negatedBelow = [" not as expected ", " not what i expected ", " not met ", " expectations not met ", " expected better ",
                            " expected more ", " not impressed ", " not good enough ", " no better "]
        if negatedBelow.contains(where: phrase.contains) { return .below }
        if [" not disappointed ", " not worse "].contains(where: phrase.contains) { return .met }
        let above = [" above ", " better ", " exceeded ", " more than i expected ", " beyond ", " delighted ", " surprised ", " impressed "]
        let below = [" below ", " worse ", " less than ", " not what i expected ", " disappointed ", " fell short ", " short of ", " under "]
        let met = [" as expected ", " expected ", " about right ", " what i expected ", " as i expected ", " met ", " same ", " fine ", " ok ", " okay "]
        if below.contains(where: phrase.contains) { return .below }
        if above.contains(where: phrase.contains) { return .above }
        if met.contains(where: phrase.contains) { return .met }
        return nil
    }

    /// "Skip", "no thanks", "not now": the whole answer says the customer does not want to answer.
    public static func isDeclined(_ text: String) -> Bool {
        let phrase = TextNormalizer.tokens(text).joined(separator: " ")
        let whole: Set<String> = [
            "skip", "no", "nope", "nah", "no thanks", "no thank you", "not now", "rather not", "i would rather not", "no feedback",
            "pass", "later", "maybe later", "i do not want to", "do not want to", "leave it", "skip it", "no skip", "not today",
        ]
        if whole.contains(phrase) { return true }
        // "No survey thanks", "nah im good": a short answer that opens with a no and gives no number;
        // "I don't want to do a survey": a not with what is asked.
        let words = TextNormalizer.tokens(text)
        guard !words.contains(where: { $0.contains(where: \.isNumber) }) else { return false }
        // Only with words that decline ("no problem" and "no complaints" are answers, and good ones).
        let survey: Set<String> = ["survey", "surveys", "feedback", "rating", "score", "questionnaire", "questions"]
        let declining = survey.union(["thanks", "thank", "you", "thx", "ta", "please", "i", "am", "good", "fine", "not", "now", "for", "me", "the", "a"])
        if let first = words.first, ["no", "nope", "nah"].contains(first), words.count >= 2, words.dropFirst().allSatisfy(declining.contains) { return true }
        return words.contains("not") && words.contains(where: survey.contains)
    }

    /// The whole answer to "anything to add?" is a no: "no", "nothing", "that's all".
    public static func isNoComment(_ text: String) -> Bool {
        let phrase = TextNormalizer.tokens(text).joined(separator: " ")
        let whole: Set<String> = [
            "no", "nope", "nah", "no thanks", "no thank you", "nothing", "none", "nothing else", "that is all", "no that is all",
            "skip", "n a", "na", "no comment", "no comments", "all good", "not really", "yes", "yeah", "ok", "okay",
        ]
        return phrase.isEmpty || whole.contains(phrase) || isDeclined(text)
    }

    /// A question rather than a comment: a question mark, or a question word first.
    public static func looksLikeQuestion(_ text: String) -> Bool {
        if text.contains("?") { return true }
        let first = TextNormalizer.tokens(text).first ?? ""
        return ["where", "how", "what", "when", "why", "can", "could", "do", "does", "is", "are", "will", "which"].contains(first)
    }

    /// A number the text rates with, and what it is out of (5 when not said).
    private static func rating(_ text: String) -> (Int, Int)? {
        let lowered = text.lowercased()
        // "8/10", "4 / 5", "8 out of 10"
        let scalars = Array(lowered)
        var numbers: [(value: Int, end: Int)] = []
        var index = 0
        while index < scalars.count {
            if scalars[index].isASCII, scalars[index].isNumber {
                var end = index
                while end < scalars.count, scalars[end].isASCII, scalars[end].isNumber { end += 1 }
                if let value = Int(String(scalars[index..<end])) { numbers.append((value, end)) }
                index = end
            } else {
                index += 1
            }
        }
        if numbers.count >= 2 {
            let between = String(scalars[numbers[0].end..<scalars.count]).prefix(12)
            if between.trimmingCharacters(in: .whitespaces).hasPrefix("/") || between.contains("out of") {
                return (numbers[0].value, numbers[1].value)
            }
            return nil // two numbers that are not a rating: not an answer
        }
        if let only = numbers.first {
            // "4", "a 4", "4 stars": a rating. "I want to return 2 items", "1 sec": not one.
            let words = TextNormalizer.tokens(text)
            if words.contains(where: countedThings.contains) || words.count > 5 { return nil }
            return (only.value, 5)
        }
        let words = TextNormalizer.tokens(text)
        let spelled = words.compactMap { numberWords[$0] }
        if spelled.count == 2, words.contains("out") { return (spelled[0], spelled[1]) } // "ten out of ten"
        if spelled.count == 1, let value = spelled.first {
            let notRatings: Set<String> = ["more", "sec", "second", "minute", "moment", "thing", "item", "items", "question"]
            if words.contains(where: notRatings.contains) || words.count > 5 { return nil }
            return (value, 5)
        }
        return nil
    }

    private static func phraseScore(_ text: String, _ phrases: [(String, Int)]) -> Int? {
        let phrase = " " + TextNormalizer.tokens(text).joined(separator: " ") + " "
        let sorted = phrases.sorted { $0.0.count > $1.0.count }
        for (words, score) in sorted where phrase.contains(" \(words) ") { return score }
        return nil
    }
}
