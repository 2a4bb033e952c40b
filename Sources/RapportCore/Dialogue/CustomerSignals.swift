/// Reading short answers and moods from a customer's words. English only,
/// like the bundled bot; pure and deterministic.
public enum CustomerSignals {
    public enum YesNo: Hashable, Sendable {
        case yes, no
    }

    private static let yesWords: Set<String> = [
        "yes", "yeah", "yea", "yep", "yup", "y", "sure", "ok", "okay", "please", "definitely", "absolutely", "certainly",
        "correct", "alright",
    ]
    private static let noWords: Set<String> = ["no", "nope", "nah", "n", "never", "neither"]
    private static let yesPhrases: Set<String> = ["go ahead", "of course", "sounds good", "why not", "i would", "i do", "that would be great"]
    private static let noPhrases: Set<String> = ["no thanks", "no thank you", "not now", "not yet", "i am ok", "i am fine", "i will keep trying", "keep trying"]

    /// "yes", "yes please", "ok go ahead" → yes; "no", "no thanks", "not now" → no;
    /// anything longer or mixed → nil (not an answer: read it as a message).
    public static func yesNo(_ text: String) -> YesNo? {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 5 else { return nil }
        let phrase = words.joined(separator: " ")
        if noPhrases.contains(phrase) { return .no }
        if yesPhrases.contains(phrase) { return .yes }
        let saysNo = words.contains { noWords.contains($0) }
        let saysYes = words.contains { yesWords.contains($0) }
        // "yes" and "no" together ("no, yes") is not an answer.
        if saysNo != saysYes, let first = words.first, yesWords.contains(first) || noWords.contains(first) {
            return saysYes ? .yes : .no
        }
        return nil
    }

    private static let angryWords: Set<String> = [
        "useless", "rubbish", "ridiculous", "stupid", "pointless", "terrible", "awful", "hopeless", "pathetic", "furious",
        "angry", "annoyed", "annoying", "frustrated", "frustrating", "unhelpful", "incompetent", "disgrace", "disgraceful",
        "wtf", "ffs", "damn", "bloody", "crap", "shit", "fucking", "fuck", "idiot", "idiotic", "dumb",
    ]
    private static let angryPhrases = [
        "waste of time", "fed up", "sick of", "not helpful", "no help", "does not help", "not listening", "you are not helping",
        "for god sake", "for gods sake", "this is a joke", "makes no sense", "speak to a manager",
    ]

    /// Clear frustration: angry words ("useless", "waste of time") or a
    /// shouted message (three or more words, nearly all in capitals, with "!").
    public static func isFrustrated(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        if words.contains(where: { angryWords.contains($0) }) { return true }
        let phrase = " " + words.joined(separator: " ") + " "
        if angryPhrases.contains(where: { phrase.contains(" \($0) ") }) { return true }
        let letters = text.unicodeScalars.filter { $0.properties.isAlphabetic }
        let capitals = letters.filter { $0.properties.isUppercase }
        return words.count >= 3 && letters.count >= 8 && Double(capitals.count) >= 0.8 * Double(letters.count) && text.contains("!")
    }

    /// True when most of the message's letters are outside the Latin script
    /// (Cyrillic, Greek, Arabic, Chinese...): a language the bot was not
    /// trained on. Latin-script languages fall to the ordinary fallback.
    public static func isMostlyOtherScript(_ text: String) -> Bool {
        var letters = 0, latin = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            // Basic Latin, Latin-1, Latin Extended A/B and Additional, and full-width Latin.
            let value = scalar.value
            if value < 0x0250 || (0x1E00...0x1EFF).contains(value) || (0xFF21...0xFF5A).contains(value) { latin += 1 }
        }
        return letters >= 2 && latin * 2 < letters
    }

    private static let cancelPhrases: Set<String> = [
        "never mind", "nevermind", "cancel", "cancel that", "forget", "forget it", "forget about", "forget about it", "stop", "stop it", "quit", "leave", "leave it",
        "it does not matter", "doesnt matter", "not important", "no thanks", "no thank you", "skip it", "skip",
    ]

    private static let cancelFiller: Set<String> = ["oh", "ok", "okay", "actually", "then", "please", "thanks", "just", "um", "ah"]

    /// Whether `words`, as they are or without `filler`, are one of `phrases`:
    /// "oh never mind", "never mind then", "forget it please".
    private static func isPhrase(_ words: [String], in phrases: Set<String>, filler: Set<String>) -> Bool {
        phrases.contains(words.joined(separator: " ")) || phrases.contains(words.filter { !filler.contains($0) }.joined(separator: " "))
    }

    /// "Never mind", "forget it": the customer calls off what the bot is asking for.
    public static func isCancel(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 5 else { return false }
        return isPhrase(words, in: cancelPhrases, filler: cancelFiller.union(["it", "that"]))
    }

    private static let plainCancelPhrases: Set<String> = [
        "never mind", "nevermind", "forget it", "forget about it", "leave it", "skip it", "skip", "it does not matter", "doesnt matter",
        "not important", "stop", "stop it", "quit",
    ]

    /// A cancel phrase that can only mean "drop the question" ("never mind",
    /// "forget it"), unlike "cancel", which may start a request.
    public static func isPlainCancel(_ text: String) -> Bool {
        isPhrase(TextNormalizer.tokens(text), in: plainCancelPhrases, filler: cancelFiller)
    }

    private static let unsurePhrases = [
        "do not know", "no idea", "not sure", "can not remember", "can not find", "do not have", "dunno", "forgot", "forgotten",
        "lost it", "no clue", "have not got",
    ]

    /// "I don't have one", "no idea", "I can't find it": a short answer
    /// saying the customer does not have what was asked for.
    public static func isUnsure(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 5 else { return false }
        let phrase = " " + words.joined(separator: " ") + " "
        return unsurePhrases.contains { phrase.contains(" \($0) ") }
    }

    /// "Is it in stock?", "and where is that one?": the message points back at
    /// something already named, rather than naming it.
    public static func refersBack(_ text: String) -> Bool {
        let pointers: Set<String> = ["it", "its", "that", "this", "them", "they", "those", "these", "one", "there", "same"]
        return TextNormalizer.tokens(text).contains(where: pointers.contains)
    }

    /// "My other order", "a different one": the message is about something
    /// else than what was just talked about.
    public static func meansAnother(_ text: String) -> Bool {
        let words: Set<String> = ["other", "another", "different"]
        // "Other colours", "a different size": another kind of the same thing.
        let kinds: Set<String> = ["colour", "colours", "color", "colors", "size", "sizes", "shade", "shades", "style", "styles", "pattern", "patterns"]
        let tokens = TextNormalizer.tokens(text)
        return tokens.indices.contains { index in
            words.contains(tokens[index]) && !(index + 1 < tokens.count && kinds.contains(tokens[index + 1]))
        }
    }

    private static let otherPeople: Set<String> = [
        "he", "she", "they", "him", "her", "them", "his", "hers", "their", "son", "daughter", "wife", "husband", "partner",
        "mum", "mom", "dad", "mother", "father", "brother", "sister", "friend", "boyfriend", "girlfriend", "kids", "children",
        "grandson", "granddaughter", "nan", "grandma", "grandad", "colleague", "boss", "niece", "nephew", "aunt", "uncle",
    ]

    /// "My son is into camping", "he loves hiking": the message is about
    /// someone else, so what it says is not the customer's to note.
    public static func isAboutSomeoneElse(_ text: String) -> Bool {
        TextNormalizer.tokens(text).contains(where: otherPeople.contains)
    }

    private static let valueFiller: Set<String> = [
        "it", "its", "s", "is", "it's", "the", "a", "an", "and", "what", "about", "how", "for", "to", "in", "at", "on", "of",
        "number", "order", "my", "ok", "okay", "oh", "sorry", "please", "then", "yes", "no", "one", "that", "this", "try", "with",
    ]

    /// "It's HP-10443", "and for Ireland?": the value and nothing but filler,
    /// so the message can only be giving it (not asking something new).
    public static func isBareValue(_ text: String, value: EntityMatch) -> Bool {
        var scalars = Array(text.unicodeScalars)
        guard value.start >= 0, value.end <= scalars.count, value.start < value.end else { return false }
        scalars.replaceSubrange(value.start..<value.end, with: [" "])
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars)
        return TextNormalizer.tokens(String(rest)).allSatisfy(valueFiller.contains)
    }

    private static let declinePhrases = [
        "rather not", "prefer not", "not telling", "not saying", "none of your business", "mind your own business",
        "do not want to", "not want to say", "not comfortable", "keep that to myself", "keep it to myself", "not share",
    ]
    private static let declineWords: Set<String> = ["skip", "pass", "private", "nope", "no", "nah", "personal"]

    /// "I'd rather not", "no", "skip", "that's private": the customer will not
    /// answer a profile question.
    public static func isDecline(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty else { return false }
        let phrase = " " + words.joined(separator: " ") + " "
        if declinePhrases.contains(where: { phrase.contains(" \($0) ") }) { return true }
        if words.count <= 3, words.contains(where: { declineWords.contains($0) }) { return true }
        return yesNo(text) == .no
    }
}

// MARK: - Erasure: an irreversible action needs an unambiguous request and an unambiguous yes

extension CustomerSignals {
    /// A dismissal at the start of a message ("forget it", "never mind",
    /// "hmm actually forget about it"), as a whole clause: what follows it is
    /// the message. "Forget that my name is Sam" and "forget it all" are not
    /// dismissals: the phrase goes on with what is to be forgotten.
    ///
    /// The fillers before it are taken possessively (`*+`): once read they are
    /// never tried again another way, so a message of 2,000 characters of
    /// "oh well oh well ..." costs its length, not 2 to the power of its words.
    nonisolated(unsafe) private static let leadingDismissal = try! Regex(
        #"^\W*(?:(?:hm+|oh|ah|ok|okay|actually|no|nah|well|wait|um+|erm|sorry|right|so)\W+)*+"#
            + #"(?:never\s*mind|forget\s+(?:about\s+)?(?:it|that|this)|leave\s+it|drop\s+it|scratch\s+that)"#
            + #"(?:\s+(?:then|please|thanks|actually))*"#
            + #"(?:\s*[,;.!?:\-–—]+\s*|\s*$|\s+(?=(?:just|and|but|instead|rather)\b))"#
    ).ignoresCase()

    /// What a message says after a leading dismissal: "just tell me about
    /// your club" in "hmm actually forget it, just tell me about your club";
    /// "" when the message is only the dismissal ("never mind, forget it");
    /// nil when it does not start with one. A substring of what was typed, so
    /// entity spans found in it stay meaningful.
    public static func afterDismissal(_ text: String) -> Substring? {
        var rest = text[...]
        var dismissed = false
        // "Never mind, forget it": one dismissal after another is still one.
        while let match = rest.prefixMatch(of: leadingDismissal), !match.range.isEmpty {
            rest = rest[match.range.upperBound...]
            dismissed = true
        }
        return dismissed ? rest : nil
    }

    /// Words that name the customer or what is kept about them.
    private static let customerWords: Set<String> = [
        "me", "my", "myself", "mine", "i", "data", "profile", "account", "details", "detail", "information", "info", "records",
        "record", "history", "conversations", "conversation", "chats", "traces", "trace",
    ]
    /// Words that ask for erasure in themselves ("right to be forgotten", "gdpr erasure request").
    private static let erasureWords: Set<String> = ["forgotten", "erasure", "gdpr"]
    /// Verbs of removing, keeping or forgetting: a clause with one of them and
    /// a word naming the customer asks about the customer's data.
    private static let erasureVerbs: Set<String> = [
        "forget", "delete", "erase", "wipe", "remove", "clear", "purge", "bin", "scrub", "rid", "keep", "keeping", "hold", "holding",
        "store", "storing", "save", "saving", "deleted", "erased", "wiped", "removed", "cleared", "purged",
    ]

    /// The message's clauses, as words: split where the customer punctuated,
    /// and before "but" and "just", which start another thought.
    static func clauses(_ text: String) -> [[String]] {
        var clauses: [[String]] = []
        for piece in TextNormalizer.fold(text).split(whereSeparator: { ",;.!?:()–—".contains($0) }) {
            var clause: [String] = []
            for word in TextNormalizer.tokens(String(piece)) {
                if (word == "but" || word == "just"), !clause.isEmpty {
                    clauses.append(clause)
                    clause = []
                }
                clause.append(word)
            }
            if !clause.isEmpty { clauses.append(clause) }
        }
        return clauses
    }

    /// Whether a message asks about the customer or their data, as an erasure
    /// request must: "forget me", "delete all my data", "erase everything you
    /// know about me", "I want to be forgotten", "gdpr erasure request". The
    /// verb and what it is about must be in one clause ("forget it, just tell
    /// me about your club" is not), or the object may follow in a clause of
    /// its own that starts with "everything" or "all" ("forget all of it,
    /// everything I've said"). "Forget it", "forget about it", "forget that"
    /// name nobody; "delete it all" and "erase everything" do, as the
    /// customer's data is all a customer can have deleted (unlike "forget it all").
    public static func namesCustomerOrTheirData(_ text: String) -> Bool {
        var verbWaiting = false
        for clause in clauses(text) {
            if clause.contains(where: erasureWords.contains) { return true }
            let names = clause.contains(where: customerWords.contains)
            let hasVerb = clause.contains(where: erasureVerbs.contains)
            if names && (hasVerb || (verbWaiting && ["everything", "all", "every"].contains(clause[0]))) { return true }
            // "Delete it all", "erase everything": there is nothing else a customer can have deleted.
            if clause.contains(where: erasureVerbsOnly.contains), clause.contains(where: ["all", "everything"].contains) { return true }
            verbWaiting = hasVerb
        }
        return false
    }

    private static let erasureYesWords: Set<String> = ["yes", "yeah", "yep", "yup", "yess", "absolutely", "definitely", "certainly", "confirm", "confirmed"]
    /// "Delete it all" is a yes; "forget it" is not ("forget" may go with a yes: "yes, forget me").
    private static let erasureVerbsOnly: Set<String> = ["delete", "erase", "wipe", "remove", "clear", "purge"]
    /// Words that may go with a yes to "shall I delete everything?" without
    /// making it anything else: what to delete, politeness and emphasis.
    private static let erasureAnswerWords: Set<String> = [
        "please", "go", "ahead", "do", "it", "all", "everything", "of", "my", "me", "about", "data", "details", "info", "information",
        "profile", "the", "whole", "lot", "you", "know", "have", "hold", "on", "told", "said", "i", "am", "sure", "ok", "okay", "fine",
        "actually", "then", "right", "thanks", "thank", "really", "that", "just", "and", "now", "forget",
    ]
    private static let erasureYesPhrases = ["go ahead", "do it", "please do", "i am sure"]

    /// A clear yes to "shall I delete everything I know about you?": "yes",
    /// "yes please delete it all", "go ahead", "delete everything". Stricter
    /// than `yesNo`, because erasure cannot be undone: every word must belong
    /// to such a yes (no other request, no "but", no question mark), there
    /// must be a yes or a word of deleting, and "ok", "sure" or "fine" alone
    /// are not enough. Other yes/no questions keep the lenient `yesNo`.
    public static func confirmsErasure(_ text: String) -> Bool {
        guard !text.contains("?"), afterDismissal(text) == nil else { return false }
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 12 else { return false }
        let allowed = erasureYesWords.union(erasureVerbsOnly).union(erasureAnswerWords)
        guard words.allSatisfy(allowed.contains) else { return false }
        // "Forget" says what to erase only when it names the customer: "yes, forget me", not "yes, forget it".
        for (index, word) in words.enumerated() where word == "forget" {
            let next = words.dropFirst(index + 1).prefix(2)
            guard let first = next.first, ["me", "my", "everything"].contains(first) || Array(next) == ["about", "me"] else { return false }
        }
        let phrase = " " + words.joined(separator: " ") + " "
        return words.contains(where: erasureYesWords.union(erasureVerbsOnly).contains)
            || erasureYesPhrases.contains { phrase.contains(" \($0) ") }
    }
}

extension CustomerSignals {
    /// "No, but where is my order?": the message opens with a no, whatever follows.
    public static func startsWithNo(_ text: String) -> Bool {
        guard let first = TextNormalizer.tokens(text).first else { return false }
        return noWords.contains(first) && first != "neither"
    }
}
