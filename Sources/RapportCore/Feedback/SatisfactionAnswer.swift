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
        ("so so", 3), ("could be better", 2), ("could have been better", 2),
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
        for (icon, score) in emoticons where text.contains(icon) { return score }
        return phraseScore(text, csatPhrases)
    }

    /// Likelihood to recommend on 0 to 10 ("9", "nine", "10/10", "definitely"), or nil.
    public static func nps(_ text: String) -> Int? {
        if let (value, outOf) = rating(text) {
            if outOf == 5 && text.contains("/") { return (0...5).contains(value) ? value * 2 : nil }
            return (0...10).contains(value) ? value : nil
        }
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
        let above = [" above ", " better ", " exceeded ", " more than i expected ", " beyond ", " delighted ", " surprised ", " impressed "]
        let below = [" below ", " worse ", " less than ", " not what i expected ", " disappointed ", " fell short ", " short of ", " under "]
        let met = [" as expected ", " expected ", " about right ", " what i expected ", " as i expected ", " met ", " same ", " fine ", " ok ", " okay "]
        if below.contains(where: phrase.contains) { return .below }
        if above.contains(where: phrase.contains) { return .above }
        if met.contains(where: phrase.contains) { return .met }
        return nil
    }

    /// "Skip", "no thanks", "not now": the customer does not want to answer.
    public static func isDeclined(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 6 else { return false }
        let phrase = " " + words.joined(separator: " ") + " "
        let phrases = [" skip ", " no thanks ", " no thank you ", " not now ", " rather not ", " no feedback ", " pass ", " nope ", " later ",
                       " do not want to ", " leave it ", " no "]
        return phrases.contains(where: phrase.contains) && csat(text) == nil
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
        if let only = numbers.first { return (only.value, 5) }
        let words = TextNormalizer.tokens(text)
        let spelled = words.compactMap { numberWords[$0] }
        if spelled.count == 1, let value = spelled.first {
            if words.contains("ten") && words.contains("out") { return nil }
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
