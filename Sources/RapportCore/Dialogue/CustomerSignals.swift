/// Reading short answers, moods, cancellations, negation and sarcasm from a
/// customer's words, with the words of the bot's `Lexicon` (its
/// `signals.yaml`): no language is written here. Pure and deterministic.
public struct CustomerSignals: Sendable {
    public enum YesNo: Hashable, Sendable {
        case yes, no
    }

    /// The lexicon the signals read with.
    public let lexicon: Lexicon

    /// The latest messages split into clauses (`clauses(_:)`), shared by copies of these signals.
    /// A clause's text is a substring of the first of equal texts split, which has the same scalars.
    let clauseMemo = ReadingMemo<ExactText, [Clause]>(capacity: 1024)

    /// Each list as the tokens `TextNormalizer.tokens` makes of its entries
    /// ("don't know" is "do not know"), joined by one space.
    let sets: [Lexicon.List: Set<String>]
    /// The phrase lists again, as token arrays, for matching at a position.
    let sequences: [Lexicon.List: [[String]]]
    /// Each list's phrases by their first word, for finding them in a message
    /// with one look per word rather than a search of the text per phrase.
    let openings: [Lexicon.List: [String: [[String]]]]
    /// A dismissal at the start of a message, built from the `dismissal` lists.
    /// Never changed once built, and a Regex compiles itself thread-safely, so
    /// sharing it is safe (as the static pattern it replaces was).
    nonisolated(unsafe) private let leadingDismissal: Regex<AnyRegexOutput>?
    /// Each detail's phrases as token arrays, in the lexicon's order.
    let detailCues: [(name: String, phrases: [[String]])]
    /// Every detail phrase with its detail, longest first.
    let detailPhrases: [(name: String, phrase: [String])]
    /// Where the detail phrases opening with a word stand in `detailPhrases`, by
    /// that word (`gap` for those opening with one): there are some two
    /// thousand, and a message holds the first word of a few.
    let detailPhraseOpenings: [String: [Int]]
    /// `details_alone`: a whole message's words (fillers and acknowledgements
    /// aside) to the detail they ask for.
    let detailsAlone: [[String]: String]
    /// `details_otherwise`, longest first: asked when the message asks no other detail.
    let detailsOtherwise: [(name: String, phrase: [String])]
    /// `arrival.thing_phrases` as token arrays with their gaps ("when will the ... come"), which the
    /// joined `sets` lose.
    let thingComingPhrases: [[String]]

    public init(lexicon: Lexicon) {
        self.lexicon = lexicon
        var sets: [Lexicon.List: Set<String>] = [:]
        var sequences: [Lexicon.List: [[String]]] = [:]
        for list in Lexicon.List.allCases {
            let phrases = lexicon[list].map(TextNormalizer.tokens).filter { !$0.isEmpty }
            // (Names of details as written: `someone_else`, not "someone else".)
            sets[list] = list.namesDetails ? Set(lexicon[list]) : Set(phrases.map { $0.joined(separator: " ") })
            // Longest first, so "i do not want" wins over "do not".
            sequences[list] = phrases.sorted { $0.count > $1.count }
        }
        self.sets = sets
        self.sequences = sequences
        openings = sequences.mapValues { phrases in Dictionary(grouping: phrases, by: { $0[0] }) }
        leadingDismissal = Self.dismissalPattern(lexicon)
        detailCues = lexicon.details.map { detail in
            (detail.name, detail.phrases.map(Self.phraseWords).filter { !$0.isEmpty })
        }
        detailPhrases = detailCues.flatMap { cue in cue.phrases.map { (cue.name, $0) } }.sorted { $0.phrase.count > $1.phrase.count }
        let phrases = detailPhrases
        detailPhraseOpenings = Dictionary(grouping: phrases.indices, by: { phrases[$0].phrase[0] })
        detailsOtherwise = lexicon.detailsOtherwise.flatMap { cue in cue.phrases.map { (cue.name, Self.phraseWords($0)) } }
            .filter { !$0.phrase.isEmpty }.sorted { $0.phrase.count > $1.phrase.count }
        detailsAlone = Dictionary(lexicon.detailsAlone.flatMap { cue in
            cue.phrases.map { (TextNormalizer.tokens($0), cue.name) }
        }, uniquingKeysWith: { first, _ in first })
        thingComingPhrases = lexicon[.arrivalThingPhrases].map(Self.phraseWords).filter { !$0.isEmpty }
    }

    /// The signals of a bot without `signals.yaml`: they read nothing.
    public static let none = CustomerSignals(lexicon: .empty)

    func words(_ list: Lexicon.List) -> Set<String> { sets[list] ?? [] }

    /// Whether `words` (a message's tokens) hold one of `list`'s entries as
    /// whole words side by side.
    func holds(_ words: [String], _ list: Lexicon.List) -> Bool {
        guard let openings = openings[list] else { return false }
        return words.indices.contains { index in
            openings[words[index]]?.contains { Self.stands($0, at: index, in: words) } ?? false
        }
    }

    static func padded(_ words: [String]) -> String { " " + words.joined(separator: " ") + " " }

    /// Whether `words` hold `phrase`'s words side by side.
    static func holds(_ words: [String], phrase: [String]) -> Bool {
        !phrase.isEmpty && words.indices.contains { stands(phrase, at: $0, in: words) }
    }

    /// Whether `phrase`'s words stand in `words` from `index` on, word for word.
    static func stands(_ phrase: [String], at index: Int, in words: [String]) -> Bool {
        index + phrase.count <= words.count && words[index..<(index + phrase.count)].elementsEqual(phrase)
    }

    /// "Ok it went through on paypal", "found them under the sofa": the
    /// customer says the problem is solved (`still_a_problem.solved`).
    public func saysSolved(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .stillAProblemSolved)
    }

    /// "I was also charged for an order I cancelled": the message tells of
    /// something besides what was told (`another.also`), not more of it.
    public func tellsOfSomethingBesides(_ text: String) -> Bool {
        TextNormalizer.tokens(text).contains(where: words(.alsoWords).contains)
    }

    /// "Show me the tracking again", "can you repeat that": the message asks
    /// for an answer again (`again.words`).
    public func asksAgain(_ text: String) -> Bool {
        TextNormalizer.tokens(text).contains(where: words(.againWords).contains)
    }

    /// "Yes, including my Pine Club account", "will I lose my points?": the
    /// message names something the customer has with the shop that erasing
    /// what the bot knows leaves alone, with a word that ties it to deleting
    /// (`erasure_elsewhere.cues`); "how do I join the pine club?" does not.
    public func namesKeptElsewhere(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        return holds(words, .erasureElsewhere) && words.contains(where: self.words(.erasureElsewhereCues).contains)
    }

    /// What a question asks for, of an answer that says it among other things:
    /// a day ("when did you get it back?") or a sum of money ("how much am I
    /// getting back"), by `parts.day_phrases` and `parts.amount_phrases`.
    public enum ValueAsked: Sendable { case day, amount }

    /// Every word of a list's phrases ("how", "much" of `parts.amount_phrases`).
    public func phraseWords(_ list: Lexicon.List) -> Set<String> {
        Set(lexicon[list].flatMap { TextNormalizer.tokens($0) })
    }

    public func valueAsked(_ text: String) -> ValueAsked? {
        let words = TextNormalizer.tokens(text)
        if holds(words, .partsAmountPhrases) { return .amount }
        if holds(words, .partsDayPhrases) { return .day }
        return nil
    }

    /// "I'm not a member, I just ordered once", "sorry no, I don't have an order, I just get your
    /// emails": the message tells what the customer has or has not with the shop
    /// (`erasure_elsewhere.standing`).
    public func tellsTheirStanding(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .erasureElsewhereStanding)
    }

    /// The text without the words that leave what it asks as it is
    /// (`fillers.words`: "when will it *actually* arrive?"), their
    /// punctuation kept; the text itself when it has none.
    public func withoutFillers(_ text: String) -> String {
        let fillers = words(.fillerWords)
        guard !fillers.isEmpty, TextNormalizer.tokens(text).contains(where: fillers.contains) else { return text }
        return text.split(separator: " ", omittingEmptySubsequences: false).compactMap { part -> Substring? in
            let core = part.trimmingCharacters(in: .punctuationCharacters)
            guard !core.isEmpty, fillers.contains(TextNormalizer.tokens(core).joined(separator: " ")) else { return part }
            let rest = part.filter { $0.isPunctuation }
            return rest.isEmpty ? nil : Substring(rest)
        }.joined(separator: " ")
    }

    /// "How much is the first one?", "is the last one in stock?": which of
    /// the things the bot's last reply named the message points at (0 the
    /// first; -1 the last), if it points at one (`listed.*`).
    public func listedPosition(_ text: String) -> Int? {
        let words = TextNormalizer.tokens(text)
        let positions: [(Lexicon.List, Int)] = [(.listedFirst, 0), (.listedSecond, 1), (.listedThird, 2), (.listedLast, -1)]
        return positions.first { holds(words, $0.0) }?.1
    }

    /// "Sorry, I meant the blanket", "I mean the York one": the message
    /// says it corrects what was asked before.
    public func saysCorrection(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .correctionPhrases)
    }

    /// Whether the customer says they did not mean this value: "not the
    /// mug", "rather than Leeds" (a rejecting phrase just before it, with
    /// only fillers between).
    public func isRejected(_ value: EntityMatch, in text: String) -> Bool {
        endsRejecting(wordsBefore(value, in: text))
    }

    /// "PC-118320, sorry no PC-118230": whether only a correction
    /// (`correction.between_phrases`, besides `correction.fillers` and "it is")
    /// stands between two values, so the second corrects the first.
    public func correctsBetween(_ first: EntityMatch, _ second: EntityMatch, in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard first.end <= second.start, second.start <= scalars.count else { return false }
        var between = String.UnicodeScalarView()
        between.append(contentsOf: scalars[first.end..<second.start])
        let fillers = words(.correctionFillers).union(["it", "is"])
        let tokens = TextNormalizer.tokens(String(between)).filter { !fillers.contains($0) }
        return !tokens.isEmpty && (sequences[.correctionBetween] ?? []).contains(tokens)
    }

    /// Whether words end with a rejecting phrase (`correction.rejecting`: "not", "instead of", "rather than").
    private func endsRejecting(_ words: [String]) -> Bool {
        (sequences[.correctionRejecting] ?? []).contains { phrase in
            words.count >= phrase.count && Array(words.suffix(phrase.count)) == phrase
        }
    }

    /// `words` less the `correction.fillers` at their end ("not *the*", "instead of *my*").
    private func lessFillersAtTheEnd(_ words: [String]) -> [String] {
        var words = words
        let fillers = self.words(.correctionFillers)
        while let last = words.last, fillers.contains(last) { words.removeLast() }
        return words
    }

    /// Whether the sentence of `text` that runs up to `start` (a place in its scalars) says, before it,
    /// that something came (`arrived.got`: "I got HP-10442 but still not HP-10443", "the parcel came but
    /// not the invoice").
    func saysSomethingCame(before start: Int, in text: String) -> Bool {
        let prefix = String(String.UnicodeScalarView(text.unicodeScalars.prefix(start)))
        let sentence = prefix.split(omittingEmptySubsequences: false) { ".!?".contains($0) }.last.map(String.init) ?? prefix
        return TextNormalizer.tokens(sentence).contains(where: words(.arrivedGot).contains)
    }

    /// "Not Leeds", "I'm not talking about HP-10442": clauses of `text` that
    /// only set a value of `found` aside (a rejecting phrase before it, and no
    /// word but those of the rejecting phrases and fillers), when `found`
    /// holds another value of that kind outside them. They ask nothing: the
    /// request is in the rest ("not Leeds, York. Is there parking?").
    public func setAsideClauses(_ text: String, found: [EntityMatch]) -> [Clause] {
        let plain = words(.correctionFillers).union(words(.negationFillers))
            .union((sequences[.correctionRejecting] ?? []).joined())
        return clauses(text).filter { clause in
            let inside = found.filter { clause.scalarRange.contains($0.start) }
            guard !inside.isEmpty, inside.allSatisfy({ setsAside($0, in: text) }) else { return false }
            let named = Set(inside.flatMap { TextNormalizer.tokens($0.text) })
            guard clause.words.allSatisfy({ named.contains($0) || plain.contains($0) }) else { return false }
            return inside.allSatisfy { value in
                found.contains { $0.entity == value.entity && $0.value != value.value && !clause.scalarRange.contains($0.start) }
            }
        }
    }

    /// Whether the customer sets this value aside as not the one meant
    /// (`isRejected`: "not HP-10442, I mean HP-10443", "I'm not talking about
    /// HP-10442"); not after a word of something coming in the same sentence
    /// (`arrived.got`: "I got HP-10442 but still not HP-10443", "HP-10442
    /// came, not HP-10443 though" say HP-10443 did not come), nor a "but not"
    /// going on from the clause before ("HP-10501 is here but not HP-10442").
    public func setsAside(_ value: EntityMatch, in text: String) -> Bool {
        // Not in the same sentence after a word of something coming.
        guard isRejected(value, in: text), !saysSomethingCame(before: value.start, in: text) else { return false }
        // Or going on from the clause before: "HP-10501 is here but not HP-10442", "is fine and not HP-10610".
        let before = wordsBefore(value, in: text)
        return !(before.count >= 2 && before.last == "not" && ["but", "and"].contains(before[before.count - 2]))
    }

    /// Of `values`, those the customer does not set aside (`setsAside`), or all of them when every one is.
    public func meant(_ values: [EntityMatch], in text: String) -> [EntityMatch] {
        let kept = values.filter { !setsAside($0, in: text) }
        return kept.isEmpty ? values : kept
    }

    /// The words of `text` before `value`, less `correction.fillers` just before it ("not *the*").
    private func wordsBefore(_ value: EntityMatch, in text: String) -> [String] {
        lessFillersAtTheEnd(TextNormalizer.tokens(String(String.UnicodeScalarView(text.unicodeScalars.prefix(value.start)))))
    }

    /// Where a detail phrase lets other words in ("send ... back": "send the
    /// broken bits back"): one to `gapWords` words, any.
    public static let gap = "..."
    static let gapWords = 3

    /// A phrase's words, with `gap` where it was written (at the start or
    /// end too, which the loader refuses: a gap goes between words).
    public static func phraseWords(_ phrase: String) -> [String] {
        let parts = phrase.components(separatedBy: gap).map(TextNormalizer.tokens)
        guard parts.count > 1 else { return parts[0] }
        return Array(parts.joined(separator: [gap]))
    }

    /// Where a detail phrase starts at `index` in `words` (what is left of a message, `places` its words'
    /// places in it) as words the message typed side by side: the end of its match, else nil. "If I'm not
    /// in when they come" asks what happens when out, and "and ... when", left side by side by it, asks no
    /// time; a phrase with a gap lets words in.
    static func sideBySideEnd(of phrase: [String], in words: [String], places: [Int], at index: Int) -> Int? {
        guard let end = matchEnd(of: phrase, in: words, at: index),
              phrase.contains(gap) || places[end - 1] - places[index] == end - 1 - index else { return nil }
        return end
    }

    /// Where `phrase` (with gaps) starts at `index` in `words`: the end of its match, else nil.
    static func matchEnd(of phrase: [String], in words: [String], at index: Int) -> Int? {
        // Most places do not hold the first word: say so before splitting the phrase.
        guard let opening = phrase.first, index < words.count, opening == gap || words[index] == opening else { return nil }
        var position = index
        var pieces = phrase.split(separator: gap, omittingEmptySubsequences: false).map(Array.init)
        let first = pieces.removeFirst()
        guard stands(first, at: position, in: words) else { return nil }
        position += first.count
        for piece in pieces {
            guard let start = (1...gapWords).map({ position + $0 }).first(where: { stands(piece, at: $0, in: words) }) else { return nil }
            position = start + piece.count
        }
        return position
    }

    /// The details of an answer the message asks about ("is it free?" asks
    /// the cost; "how long does it take and can someone else collect it?"
    /// the time and who), in the lexicon's order, each with the words that
    /// asked it; and the message's other words ("is it"), which say what
    /// the question is about, if anything.
    public func detailsAsked(_ text: String) -> (details: [String], rest: String) {
        let original = TextNormalizer.tokens(text)
        // "when?", "ok when": words that ask a detail only as the whole message.
        if !detailsAlone.isEmpty {
            let passed = words(.fillerWords).union(words(.fillerAcknowledgements))
            if let name = detailsAlone[original.filter { !passed.contains($0) }] { return ([name], "") }
        }
        // The words left, and beside them each one's place in the message. (Kept as words, not
        // made again from pairs at every place tried: that made a message of 500 words cost seconds.)
        var words = original
        var places = Array(original.indices)
        var found: Set<String> = [], negated: Set<String> = [], told: Set<String> = []
        // "What time does it close?": read first, so "what time" inside it asks no `time`; counted only when
        // the message asks no other detail ("what time does it open on saturday" asks Saturday's).
        var otherwise: Set<String> = []
        for (name, phrase) in detailsOtherwise {
            var index = 0
            while index < words.count {
                if let end = Self.sideBySideEnd(of: phrase, in: words, places: places, at: index) {
                    otherwise.insert(name)
                    words.removeSubrange(index..<end)
                    places.removeSubrange(index..<end)
                } else {
                    index += 1
                }
            }
        }
        // Only the phrases opening with one of the message's words (or a gap) can be found in it.
        let candidates = Set(original + [Self.gap]).flatMap { detailPhraseOpenings[$0] ?? [] }.sorted()
        // Longest phrases first, whichever detail they ask: "how long is it valid" before "how long".
        for (name, phrase) in candidates.map({ detailPhrases[$0] }) {
            var index = 0
            while index < words.count {
                if let end = Self.sideBySideEnd(of: phrase, in: words, places: places, at: index) {
                    // "I meant Saturday, not Sunday", "a replacement instead of my money back": a rejecting
                    // phrase (`correction.rejecting`) just before it in the message as typed, fillers aside.
                    if endsRejecting(lessFillersAtTheEnd(Array(original[..<places[index]]))) {
                        negated.insert(name)
                    } else if self.words(.purchaseChannelDetails).contains(name), tellsHowBought(before: original[..<places[index]]) {
                        told.insert(name)
                    } else {
                        found.insert(name)
                    }
                    words.removeSubrange(index..<end)
                    places.removeSubrange(index..<end)
                } else {
                    index += 1
                }
            }
        }
        // A detail said not to be meant is not asked when another is ("Saturday, not Sunday"); alone, the
        // "not" is the question's ("don't I have to pay postage?", "is that not free?").
        if found.isEmpty { found = negated }
        // "I bought it online, can I return it in the York shop?": where it was bought is told, and asks
        // only when nothing else is ("I bought it online, can I return it?").
        if found.isEmpty { found = told }
        if found.isEmpty { found = otherwise }
        let asked = detailCues.map(\.name).filter(found.contains)
        return (asked, words.joined(separator: " "))
    }

    /// Whether the words before a detail phrase end with a word of buying (`purchase.bought`), alone or
    /// with one word of what was bought between: "bought *online*", "ordered it *online*". Asked only of
    /// the details that say where something was bought (`purchase.channel_details`).
    private func tellsHowBought(before: ArraySlice<String>) -> Bool {
        let bought = words(.purchaseBought)
        guard !bought.isEmpty, let last = before.last else { return false }
        if bought.contains(last) { return true }
        let thing = words(.refersBackWords).union(["something", "mine"])
        return before.count >= 2 && thing.contains(last) && bought.contains(before[before.index(before.endIndex, offsetBy: -2)])
    }

    /// Whether the message asks yes or no (`yes_no.openers` first, after `yes_no.leading` words: "and are
    /// they warm?"), or is three words or fewer with "?" and no question word first ("touchscreen ones?").
    public func asksYesOrNo(_ text: String) -> Bool {
        let leading = words(.yesNoLeading)
        let tokens = TextNormalizer.tokens(text).drop { leading.contains($0) }
        guard let first = tokens.first else { return false }
        // "Is it waterproof or just showerproof?" asks which, not yes or no ("or not" still asks yes or no).
        if let or = tokens.firstIndex(of: "or"), tokens.index(after: or) < tokens.endIndex, !["not", "what"].contains(tokens[tokens.index(after: or)]) {
            return false
        }
        if words(.yesNoOpeners).contains(first) { return true }
        return text.contains("?") && tokens.count <= 3 && !words(.answersQuestionWords).contains(first)
    }

    /// "yes", "yes please", "ok go ahead" → yes; "no", "no thanks", "not now" → no;
    /// anything longer or mixed → nil (not an answer: read it as a message).
    public func yesNo(_ text: String) -> YesNo? {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 5 else { return nil }
        let phrase = words.joined(separator: " ")
        if self.words(.noPhrases).contains(phrase) { return .no }
        if self.words(.yesPhrases).contains(phrase) { return .yes }
        let noWords = self.words(.noWords), yesWords = self.words(.yesWords)
        // "Ok and the socks?": a yes word opening another question is no answer.
        if text.contains("?") && !words.allSatisfy({ yesWords.contains($0) || noWords.contains($0) }) { return nil }
        if words.dropFirst().contains(where: self.words(.clauseConnectors).contains) { return nil }
        let saysNo = words.contains { noWords.contains($0) }
        let saysYes = words.contains { yesWords.contains($0) }
        // "yes" and "no" together ("no, yes") is not an answer.
        if saysNo != saysYes, let first = words.first, yesWords.contains(first) || noWords.contains(first) {
            return saysYes ? .yes : .no
        }
        return nil
    }

    /// Clear frustration: angry words ("useless", "waste of time") or a
    /// shouted message (three or more words, nearly all in capitals, with "!").
    public func isFrustrated(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        if words.contains(where: self.words(.frustrationWords).contains) { return true }
        if holds(words, .frustrationPhrases) { return true }
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

    /// Whether the message is in another language than the bot's: mostly in
    /// another script, or in the Latin script with more words of other
    /// languages (`other_language.words`: "dónde", "est", "möchte") than of
    /// the bot's own (`other_language.own_words`: "the", "my", "where"), and
    /// either two of them, or one in a message of three words or more with
    /// none of the bot's own, or all of a message of one or two words
    /// ("hola", "merci beaucoup"). "¿Dónde está mi pedido?", "¿Puedo pagar con
    /// PayPal?" are; "I live in Los Angeles", "Maria de la Cruz" are not.
    public func isInOtherLanguage(_ text: String) -> Bool {
        if Self.isMostlyOtherScript(text) { return true }
        let markers = words(.otherLanguageWords)
        guard !markers.isEmpty else { return false }
        let words = TextNormalizer.tokens(text).filter { !$0.allSatisfy(\.isNumber) }
        let foreign = words.count { markers.contains($0) }
        guard foreign > 0 else { return false }
        let own = words.count(where: self.words(.otherLanguageOwnWords).contains)
        return foreign > own && (foreign >= 2 || (own == 0 && words.count >= 3) || foreign == words.count)
    }

    /// Whether `words`, as they are or without `filler`, are one of `phrases`:
    /// "oh never mind", "never mind then", "forget it please".
    private func isPhrase(_ words: [String], in phrases: Lexicon.List, filler: Set<String>) -> Bool {
        let phrases = self.words(phrases)
        return phrases.contains(words.joined(separator: " ")) || phrases.contains(words.filter { !filler.contains($0) }.joined(separator: " "))
    }

    /// "Never mind", "forget it": the customer calls off what the bot is asking for.
    public func isCancel(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 5 else { return false }
        return isPhrase(words, in: .cancelPhrases, filler: self.words(.cancelFillers).union(self.words(.cancelObjects)))
    }

    /// A cancel phrase that can only mean "drop the question" ("never mind",
    /// "forget it"), unlike "cancel", which may start a request.
    public func isPlainCancel(_ text: String) -> Bool {
        isPhrase(TextNormalizer.tokens(text), in: .cancelPlainPhrases, filler: words(.cancelFillers))
    }

    /// "I don't have one", "no idea", "I can't find it": a short answer
    /// saying the customer does not have what was asked for.
    public func isUnsure(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 5 else { return false }
        return holds(words, .unsurePhrases)
    }

    /// "I don't have the email any more, can you find it with my email address?": an unsure
    /// phrase anywhere in a message, however long.
    public func saysUnsure(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .unsurePhrases)
    }

    /// "I'm not giving you my order number", "none of your business", "I'd rather not say": the value
    /// the bot asked for, refused (`unsure.refusing_phrases`).
    public func refusesTheValue(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .unsureRefusingPhrases)
    }

    /// "Why do you need it?", "what's that for": why the value asked for is wanted (`unsure.why_phrases`).
    public func asksWhyItIsWanted(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .unsureWhyPhrases)
    }

    /// "What else do you need then", "ok what do you need from me": what the bot needs, asked while it
    /// waits for a value (`unsure.needed_phrases`).
    public func asksWhatIsNeeded(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .unsureNeededPhrases)
    }

    /// The words of an unsure message (`isUnsure`) besides its unsure
    /// phrase: none in "no idea", "how to return it" in "no idea how to
    /// return it". Nil for a message that is not unsure.
    public func wordsBesidesUnsure(_ text: String) -> String? {
        guard isUnsure(text) else { return nil }
        var padded = Self.padded(TextNormalizer.tokens(text))
        for phrase in words(.unsurePhrases).sorted(by: { $0.count > $1.count }) where padded.contains(" \(phrase) ") {
            padded = padded.replacingOccurrences(of: " \(phrase) ", with: " ")
        }
        return padded.trimmingCharacters(in: .whitespaces)
    }

    /// How many words before the thing that came its got word may be ("you sent me a bright red beanie").
    static let gotReach = 6
    /// Words that, after the got word, say the thing did not come with it.
    static let turningWords: Set<String> = ["but", "and", "no", "not", "without", "except"]

    /// "Ordered a scarf HP-10702 and got a BEANIE", "I bought the jumper but
    /// you sent me a mug": `came` came instead of `meant` (a word of
    /// `arrived.ordered` just before `meant`, one of `arrived.got` a few
    /// words before `came`, after `meant`).
    public func cameInstead(_ came: EntityMatch, of meant: EntityMatch, in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard meant.end <= came.start, came.start <= scalars.count else { return false }
        func tokens(_ range: Range<Int>) -> [String] { TextNormalizer.tokens(String(String.UnicodeScalarView(scalars[range]))) }
        guard tokens(0..<meant.start).suffix(3).contains(where: words(.arrivedOrdered).contains) else { return false }
        // The got word at most six words before, with nothing between that turns away ("got the jumper but no candles").
        let between = Array(tokens(meant.end..<came.start).suffix(Self.gotReach))
        guard let got = between.lastIndex(where: words(.arrivedGot).contains) else { return false }
        return !between[got...].contains(where: Self.turningWords.contains)
    }

    /// "My blanket arrived with a big tear in it", "got my order today but
    /// only one pair of socks": a clause says the thing has come
    /// (`arrived.phrases`), with no word that it has not or is only said to
    /// have (`arrived.negators`: "it hasn't arrived", "it should have
    /// arrived", "tracking says it was delivered"), nor that it still has not
    /// (`still_a_problem`), and asks nothing ("has it arrived?": a question
    /// mark after it, or `arrived.asking` among its first two words, "hi has
    /// my order arrived", unless after `arrived.tellers`: "I have used it").
    /// A message with a clause that says so is no such message.
    public func saysArrived(_ text: String) -> Bool {
        let asking = words(.arrivedAsking), tellers = words(.arrivedTellers)
        var says = false
        // "Has it arrived?": an asking word among its first two ("I have used it" tells) or a question mark after.
        func asked(_ clause: Clause) -> Bool {
            clause.words.prefix(2).enumerated().contains { index, word in
                asking.contains(word) && !(index == 1 && tellers.contains(clause.words[0]))
            } || text[clause.text.endIndex...].drop(while: { $0 == " " }).first == "?"
        }
        for clause in clauses(text) where holds(clause.words, .arrivedPhrases) {
            if deniesComing(clause) { return false }
            if !asked(clause) { says = true }
        }
        return says
    }

    /// Whether a clause says the thing did not come, or is still a problem: negated ("it hasn't
    /// arrived"), with an `arrived.negators` word ("it should have arrived"), or a `still_a_problem` phrase.
    private func deniesComing(_ clause: Clause) -> Bool {
        clause.negated || clause.words.contains(where: words(.arrivedNegators).contains)
            || holds(clause.words, .stillAProblemPhrases)
    }

    /// The clauses of a message that say something came: an `arrived` phrase,
    /// or one of `arrived.got` ("boots came", "got the boots"), with no
    /// negation, negator or asking word ("no socks", "the socks didn't come",
    /// "have the boots come?").
    public func clausesSayingItCame(_ text: String) -> [Clause] {
        let asking = words(.arrivedAsking), got = words(.arrivedGot)
        return clauses(text).filter { clause in
            (clause.words.contains(where: got.contains) || holds(clause.words, .arrivedPhrases))
                && !deniesComing(clause) && !clause.words.prefix(1).contains(where: asking.contains)
        }
    }

    /// The clauses that say something came and nothing of what did not: not "everything came except the
    /// boots", which names what is missing (`arrived.missing`).
    public func clausesSayingOnlyWhatCame(_ text: String) -> [Clause] {
        let missing = words(.arrivedMissing)
        return clausesSayingItCame(text).filter { !$0.words.contains(where: missing.contains) }
    }

    /// The clauses of a message that say something did not come: "no boots",
    /// "the socks are missing", "the boots didn't come" (`arrived.missing`).
    public func clausesSayingItDidNotCome(_ text: String) -> [Clause] {
        let missing = words(.arrivedMissing)
        return clauses(text).filter { clause in clause.negated || clause.words.contains(where: missing.contains) }
    }

    /// "The reset email never came", "that didn't work", "still nothing": the
    /// customer says what they were told has not solved it.
    public func saysStillAProblem(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .stillAProblemPhrases)
    }

    /// "Ok I'll wait a bit longer", "I'll check with my neighbours first":
    /// the customer puts off what was offered (`no.later_phrases`).
    public func putsOff(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .noLater)
    }

    /// "Where the hell is it, it's a week late", "my parcel is lost": the
    /// customer has a problem, so it is no moment for a personal question.
    public func mentionsProblem(_ text: String) -> Bool {
        let problems = self.words(.problemWords)
        let words = TextNormalizer.tokens(text)
        return words.contains(where: problems.contains) || holds(words, .problemPhrases)
    }

    /// Whether a reply of the bot's apologises ("it's 9 days late, and I'm
    /// sorry"): something went wrong for the customer, though they may not have said so.
    public func apologises(_ reply: String) -> Bool {
        let apologies = self.words(.problemApologies)
        return TextNormalizer.tokens(reply).contains(where: apologies.contains)
    }

    /// "Ok do that please", "just do it then": the customer asks the bot to
    /// carry out what it just described; or "so what do I do now?", what
    /// happens next, which only the bot's answer or a person can say.
    ///
    /// Each sentence is asked on its own, and only a short one counts ("its
    /// been nearly 3 weeks. can you just send it again or refund me"): in a
    /// long one the phrase is likely part of something else.
    public func asksToAct(_ text: String) -> Bool {
        let fillers = words(.fillerWords)
        return Self.sentences(text).contains { sentence in
            // "What are you actually going to do about it": the act phrase without its fillers.
            let words = TextNormalizer.tokens(String(sentence)).filter { !fillers.contains($0) }
            guard !words.isEmpty, words.count <= Self.actSentenceWords else { return false }
            return holds(words, .actPhrases) && !holds(words, .actSelfPhrases) || holds(words, .actNextPhrases)
        }
    }

    /// A message's sentences as the customer marked them (at ".", "!", "?" and ";").
    static func sentences(_ text: String) -> [Substring] {
        text.split(whereSeparator: { ".!?;".contains($0) })
    }

    /// Whether a sentence of the message asks what happens next ("I've checked with the neighbours,
    /// nothing. what now"): `asksWhatNext` of each.
    public func asksWhatNext(inASentenceOf text: String, offered: Bool = false) -> Bool {
        Self.sentences(text).contains { asksWhatNext(String($0), offered: offered) }
    }

    /// The most words a sentence asking the bot to act may have.
    static let actSentenceWords = 9

    /// "Is that ok?", "am I too late?" (`purchase.in_time_phrases`).
    public func asksIfInTime(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .purchaseInTimePhrases)
    }

    /// The words of `text` without its `purchase.in_time_phrases` ("too late" tells no late order).
    public func withoutInTimePhrases(_ text: String) -> String {
        var padded = Self.padded(TextNormalizer.tokens(text))
        for phrase in words(.purchaseInTimePhrases).sorted(by: { $0.count > $1.count }) {
            padded = padded.replacingOccurrences(of: " \(phrase) ", with: " ")
        }
        return padded.trimmingCharacters(in: .whitespaces)
    }

    /// "Bought it 5 weeks ago", "it arrived in September": the message says
    /// when something was bought or came (`purchase.words`).
    public func tellsWhenBought(_ text: String) -> Bool {
        let tokens = TextNormalizer.tokens(text)
        // "If I order today, when would it get here?" supposes a purchase: no day is told.
        return tokens.contains(where: words(.purchaseWords).contains) && !supposes(tokens)
    }

    /// "If I order today, will it arrive by Saturday?": the message supposes
    /// the customer buys something (`purchase.supposing`, then "I" or "we",
    /// then a word of `purchase.words` within three words: "if we place another
    /// order"): not "if not I will order something else", nor "if it was
    /// ordered on the 19th".
    public func supposesAPurchase(_ text: String) -> Bool {
        let tokens = TextNormalizer.tokens(text)
        let supposing = words(.purchaseSupposing), buying = words(.purchaseWords)
        if holds(tokens, .purchaseNewPhrases) { return true }
        return tokens.indices.contains { index in
            supposing.contains(tokens[index]) && index + 1 < tokens.count && ["i", "we"].contains(tokens[index + 1])
                && tokens[(index + 2)..<min(index + 5, tokens.count)].contains(where: buying.contains)
        }
    }

    /// "If the mug turns up chipped what do I do": the message supposes
    /// something rather than tells it (`purchase.supposing`).
    public func supposes(_ text: String) -> Bool {
        supposes(TextNormalizer.tokens(text))
    }

    private func supposes(_ tokens: [String]) -> Bool {
        tokens.contains(where: words(.purchaseSupposing).contains)
    }

    /// "So is that done or not?", "has it been changed then?": whether the
    /// bot did what it described (`act.done_phrases`), in a sentence of ten
    /// words or fewer ("so has that been updated then? yes or no", "so is
    /// that done? will it go to carr lane now"), in a message that asks
    /// (`asks`: the caller's reading of a question).
    public func asksIfDone(_ text: String, asks: Bool) -> Bool {
        asks && text.split(whereSeparator: { ".!?;".contains($0) }).contains { sentence in
            let words = TextNormalizer.tokens(String(sentence))
            return !words.isEmpty && words.count <= Self.actSentenceWords + 1 && holds(words, .actDonePhrases)
        }
    }

    /// "So what do I do now?": what happens next (`act.next_phrases`); while a
    /// person is offered (`offered`), `act.offered_next_phrases` too ("so what happens now").
    public func asksWhatNext(_ text: String, offered: Bool = false) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 8 else { return false }
        return holds(words, .actNextPhrases) || offered && holds(words, .actOfferedNextPhrases)
    }

    /// "I'm a student", "I am usually a 9": the message says something the
    /// customer is (`own_details.states`).
    public func saysIAm(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .ownDetailsStates)
    }

    /// "Do either of them have parking", "are both orders late": the message
    /// is about the last two things of a kind talked about (`refers_back.both`).
    public func refersToBoth(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .refersBackBoth)
    }

    /// "Is it in stock?", "and where is that one?": the message points back at
    /// something already named, rather than naming it.
    public func refersBack(_ text: String) -> Bool {
        TextNormalizer.tokens(text).contains(where: words(.refersBackWords).contains)
    }

    /// The words of `text` that do not point back ("how do I do that" → "how do I do").
    public func withoutReferences(_ text: String) -> [String] {
        TextNormalizer.tokens(text).filter { !words(.refersBackWords).contains($0) }
    }

    /// "My other order", "a different one": the message is about something
    /// else than what was just talked about. "Other colours", "a different
    /// size" are another kind of the same thing, not another thing; so is a
    /// kind one word later ("another tracking link"). "One of your products"
    /// (`another.phrases`) is any of them.
    public func meansAnother(_ text: String) -> Bool {
        // "Tell me more about one of your products": any of them, not the one talked about.
        if holds(TextNormalizer.tokens(text), .anotherPhrases) { return true }
        let others = words(.anotherWords), kinds = words(.anotherKinds)
        // Within a clause: "what about my other order? update please" is about another order.
        return clauses(text).contains { clause in
            let tokens = clause.words
            return tokens.indices.contains { index in
                others.contains(tokens[index]) && !tokens[(index + 1)..<min(index + 3, tokens.count)].contains(where: kinds.contains)
            }
        }
    }

    /// "My son is into camping", "he loves hiking": the message is about
    /// someone else, so what it says is not the customer's to note.
    public func isAboutSomeoneElse(_ text: String) -> Bool {
        TextNormalizer.tokens(text).contains(where: words(.otherPeopleWords).contains)
    }

    /// "My mate has card PC-118230", "it's my wife's card, PC-204518",
    /// "check the points on PC-118230 for my mum": the clause that names the
    /// value names another person (`other_people.owners`: people, not
    /// pronouns), or the clause just before it does, or one just after,
    /// pointing back ("not PC-118230, that's my mum's"; "what's in HP-10655
    /// and who it's for? it's my wife's"), so the value is that person's ("my
    /// card is PC-204518, can my husband use my points" is the customer's own).
    ///
    /// `placed`: for a record someone placed (an order), a person named is its
    /// owner only as one: "my wife's", "her order", "my wife ordered" or
    /// "placed" it; not one it is for ("I ordered a gift for my sister,
    /// HP-10610", "my husband's birthday present") nor one who says something
    /// of it ("where is my order HP-10442, my husband says it hasn't come").
    public func namesAsSomeoneElses(_ value: EntityMatch, in text: String, placed: Bool = false) -> Bool {
        let owners = words(.otherPeopleOwners)
        // Its last word ("118230" of "PC-118230"): the one least likely to stand elsewhere in the message.
        guard let own = TextNormalizer.tokens(value.text).last else { return false }
        let all = clauses(text)
        let pointing = words(.refersBackWords)
        for (index, clause) in all.enumerated() where clause.words.contains(own) {
            // The clauses after too, while they point back and name no value of their own: "Not PC-118230,
            // that's my mum's" (not "my card is PC-204518, can my husband use my points?").
            let after = all.dropFirst(index + 1).prefix { later in
                !later.words.contains(where: { $0.contains(where: \.isNumber) }) && later.words.contains(where: pointing.contains)
            }
            let around = (index > 0 ? [all[index - 1]] : []) + [clause] + after
            guard placed else { return around.flatMap(\.words).contains(where: owners.contains) }
            return around.contains { namesAnOwner(String($0.text)) }
        }
        return false
    }

    /// Whether a clause names the person who placed a record: a person of
    /// `other_people.owners` as owner ("my wife's", "my wifes order", "her
    /// order"), or as the one who ordered it ("my wife ordered"); not one it
    /// is for ("for my sister", "my husband's birthday present").
    func namesAnOwner(_ clause: String) -> Bool {
        let owners = words(.otherPeopleOwners), things = words(.otherPeopleOwnThings)
        let raw = clause.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
            .split(whereSeparator: { !($0.isLetter || $0 == "'") }).map(String.init)
        for (index, word) in raw.enumerated() {
            let next = index + 1 < raw.count ? raw[index + 1] : nil
            // What it is for: "my husband's birthday present" names whom it is for.
            if let next, Self.forSomeone.contains(next) { continue }
            let bare = word.hasSuffix("'s") ? String(word.dropLast(2)) : word.hasSuffix("'") ? String(word.dropLast()) : word
            if owners.contains(bare), bare != word { return true }                       // "my wife's"
            if owners.contains(word), owners.contains(String(word.dropLast())), next.map(things.contains) == true { return true } // "my wifes order"
            if owners.contains(word), let next, Self.placing.contains(next) { return true } // "my wife ordered"
            if ["her", "his", "their"].contains(word), let next, things.contains(next) { return true } // "her order"
        }
        return false
    }

    /// Words after a person that say the thing is for them, not theirs.
    private static let forSomeone: Set<String> = ["birthday", "present", "gift", "christmas", "xmas", "anniversary"]
    /// Words after a person that say they placed it.
    private static let placing: Set<String> = ["ordered", "placed", "bought", "paid"]

    /// How many of the thing `value` names the message asks about: the count
    /// just before it, past the words of `total.counted_by` ("2 pairs of
    /// socks" is 2, "three candles" 3, "a scarf" 1); 1 with none.
    public func count(of value: EntityMatch, in text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        guard value.start > 0, value.start <= scalars.count else { return 1 }
        var before = String.UnicodeScalarView()
        before.append(contentsOf: scalars[..<value.start])
        let between = words(.totalCountedBy)
        let tokens = Array(TextNormalizer.tokens(String(before)).reversed().prefix(5))
        for (index, word) in tokens.enumerated() {
            if let count = Int(word) ?? Self.countWords[word], count > 0 {
                // A size, not a count: "size 8 walking boots", "uk 9 boots".
                if index + 1 < tokens.count, Self.sizeWords.contains(tokens[index + 1]) { return 1 }
                return count
            }
            guard between.contains(word) else { return 1 }
        }
        return 1
    }

    /// Words before a figure that make it a size ("size 8 walking boots").
    private static let sizeWords: Set<String> = ["size", "sizes", "uk", "eu", "us", "euro", "no"]

    /// The counts written as words.
    private static let countWords = DateRecognizer.numberWords

    /// Every figure of `text` that counts a thing `named` holds ("2" of "2
    /// pairs of socks"); a figure that counts none ("for 3 people") is not.
    public func countsOnlyThings(_ text: String, named: [EntityMatch]) -> Bool {
        let tokens = TextNormalizer.tokens(text)
        // (A size is no figure to count: "size 8 walking boots and a pair of socks".)
        let figures = tokens.indices.filter { index in
            (tokens[index].allSatisfy(\.isNumber) || (Self.countWords[tokens[index]] ?? 0) > 1)
                && !(index > 0 && Self.sizeWords.contains(tokens[index - 1]))
        }.map { tokens[$0] }
        let counted = named.map { count(of: $0, in: text) }.filter { $0 > 1 }.map(String.init)
        return figures.allSatisfy { figure in counted.contains(figure) || Self.countWords[figure].map { counted.contains(String($0)) } == true }
    }

    /// "Can you tell me her phone number?", "what's her email on the account", "what is my sister's
    /// number": another person's details asked for: a word of `other_people.asking_their`, then (past "me",
    /// "is", "my") "her", "his", "their" or a person of `owners`, then a word of `their_details`. "Can you
    /// send it to his email?", "what's the postage to her address?" and "a present for my sister's
    /// birthday, what can you do?" ask for nothing of theirs.
    public func asksForSomeoneElsesDetails(_ text: String) -> Bool {
        let tokens = TextNormalizer.tokens(text)
        let asking = words(.otherPeopleAskingTheir), details = words(.otherPeopleTheirDetails), owners = words(.otherPeopleOwners)
        let whose: Set<String> = ["her", "his", "their"], passing: Set<String> = ["me", "us", "is", "my", "you"]
        for (index, word) in tokens.enumerated() where asking.contains(word) {
            let rest = tokens[(index + 1)...].drop { passing.contains($0) }
            guard let owner = rest.first, whose.contains(owner) || owners.contains(owner) else { continue }
            if let detail = rest.dropFirst().first, details.contains(detail) { return true }
        }
        return false
    }

    /// "It's HP-10443", "and for Ireland?": the value and nothing but filler,
    /// so the message can only be giving it (not asking something new).
    public func isBareValue(_ text: String, value: EntityMatch) -> Bool {
        var scalars = Array(text.unicodeScalars)
        guard value.start >= 0, value.end <= scalars.count, value.start < value.end else { return false }
        scalars.replaceSubrange(value.start..<value.end, with: [" "])
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars)
        return TextNormalizer.tokens(String(rest)).allSatisfy(words(.bareValueFillers).contains)
    }

    /// "I'd rather not", "no", "skip", "that's private": the customer will not
    /// answer a profile question.
    public func isDecline(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty else { return false }
        if holds(words, .declinePhrases) { return true }
        if words.count <= 3, words.contains(where: self.words(.declineWords).contains) { return true }
        return yesNo(text) == .no
    }

    /// "No, but where is my order?": the message opens with a no, whatever follows.
    public func startsWithNo(_ text: String) -> Bool {
        guard let first = TextNormalizer.tokens(text).first else { return false }
        return words(.noOpeners).contains(first)
    }
}

// MARK: - Erasure: an irreversible action needs an unambiguous request and an unambiguous yes

extension CustomerSignals {
    /// A dismissal at the start of a message ("forget it", "never mind",
    /// "hmm actually forget about it"), as a whole clause, built from the
    /// lexicon: fillers, then a dismissal phrase, then closers ("then",
    /// "please"), then punctuation, the end, or a follower ("just", "but").
    /// A filler's last letter may be repeated ("hmmm", "ummm"); a phrase's
    /// words are separated by any spaces, or none ("nevermind").
    ///
    /// The fillers before it are taken possessively (`*+`): once read they are
    /// never tried again another way, so a message of 2,000 characters of
    /// "oh well oh well ..." costs its length, not 2 to the power of its words.
    private static func dismissalPattern(_ lexicon: Lexicon) -> Regex<AnyRegexOutput>? {
        func escaped(_ word: Substring) -> String {
            word.unicodeScalars.map { $0.properties.isAlphabetic || $0.properties.numericType != nil ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
                .joined()
        }
        func words(_ entry: String) -> [Substring] { entry.split(whereSeparator: \.isWhitespace) }
        func alternatives(_ list: Lexicon.List, _ form: ([Substring]) -> String) -> String? {
            let forms = lexicon[list].map(words).filter { !$0.isEmpty }
                // Longest first, so "forget about it" is tried before "forget".
                .sorted { $0.count > $1.count }.map(form)
            return forms.isEmpty ? nil : "(?:" + forms.joined(separator: "|") + ")"
        }
        guard let phrases = alternatives(.dismissalPhrases, { $0.map(escaped).joined(separator: #"\s*"#) }) else { return nil }
        var pattern = #"^\W*"#
        if let fillers = alternatives(.dismissalFillers, { $0.map { escaped($0) + "+" }.joined(separator: #"\s+"#) }) {
            pattern += #"(?:"# + fillers + #"\W+)*+"#
        }
        pattern += phrases
        if let closers = alternatives(.dismissalClosers, { $0.map(escaped).joined(separator: #"\s+"#) }) {
            pattern += #"(?:\s+"# + closers + ")*"
        }
        pattern += #"(?:\s*[,;.!?:\-–—]+\s*|\s*$"#
        if let followers = alternatives(.dismissalFollowers, { $0.map(escaped).joined(separator: #"\s+"#) }) {
            pattern += #"|\s+(?="# + followers + #"\b)"#
        }
        pattern += ")"
        // Built of escaped letters and digits only, so it always compiles;
        // a failure would be a bug here, and reads as no dismissal.
        return (try? Regex(pattern))?.ignoresCase()
    }

    /// What a message says after a leading dismissal: "just tell me about
    /// your club" in "hmm actually forget it, just tell me about your club";
    /// "" when the message is only the dismissal ("never mind, forget it");
    /// nil when it does not start with one. A substring of what was typed, so
    /// entity spans found in it stay meaningful.
    public func afterDismissal(_ text: String) -> Substring? {
        guard let leadingDismissal else { return nil }
        var rest = text[...]
        var dismissed = false
        // "Never mind, forget it": one dismissal after another is still one.
        while let match = try? leadingDismissal.prefixMatch(in: rest), !match.range.isEmpty {
            rest = rest[match.range.upperBound...]
            dismissed = true
        }
        return dismissed ? rest : nil
    }

    /// The message's clauses, as words, for erasure: split where the customer
    /// punctuated, and before the `erasure.clause_starts` words ("but",
    /// "just"), which start another thought.
    func erasureClauses(_ text: String) -> [[String]] {
        let starts = words(.erasureClauseStarts)
        var clauses: [[String]] = []
        for piece in TextNormalizer.fold(text).split(whereSeparator: { ",;.!?:()–—".contains($0) }) {
            var clause: [String] = []
            for word in TextNormalizer.tokens(String(piece)) {
                if starts.contains(word), !clause.isEmpty {
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
    public func namesCustomerOrTheirData(_ text: String) -> Bool {
        let requests = words(.erasureRequestWords), customer = words(.erasureCustomerWords), verbs = words(.erasureVerbs)
        let openers = words(.erasureEverythingOpeners)
        var verbWaiting = false
        for clause in erasureClauses(text) {
            if clause.contains(where: requests.contains) { return true }
            let names = clause.contains(where: customer.contains)
            let hasVerb = clause.contains(where: verbs.contains)
            if names && (hasVerb || (verbWaiting && openers.contains(clause[0]))) { return true }
            // "Delete it all", "erase everything": there is nothing else a customer can have deleted.
            if deletesItAll(clause) { return true }
            verbWaiting = hasVerb
        }
        return false
    }

    /// "Delete my account and all the data you have on me", "erase everything": a
    /// clause with a verb that can only mean deleting and a word of everything.
    public func asksToDeleteItAll(_ text: String) -> Bool {
        erasureClauses(text).contains(where: deletesItAll)
    }

    /// Whether a clause's words hold a verb that can only mean deleting and a word of everything.
    private func deletesItAll(_ clause: [String]) -> Bool {
        clause.contains(where: words(.erasureDeletingVerbs).contains) && clause.contains(where: words(.erasureEverything).contains)
    }

    /// A clear yes to "shall I delete everything I know about you?": "yes",
    /// "yes please delete it all", "go ahead", "delete everything". Stricter
    /// than `yesNo`, because erasure cannot be undone: every word must belong
    /// to such a yes (no other request, no "but", no question mark), there
    /// must be a yes or a word of deleting, and "ok", "sure" or "fine" alone
    /// are not enough. Other yes/no questions keep the lenient `yesNo`.
    public func confirmsErasure(_ text: String) -> Bool {
        guard !text.contains("?"), afterDismissal(text) == nil else { return false }
        let words = TextNormalizer.tokens(text)
        guard !words.isEmpty, words.count <= 12 else { return false }
        let saysYes = self.words(.erasureYesWords).union(self.words(.erasureDeletingVerbs))
        var allowed = saysYes.union(self.words(.erasureYesAnswerWords)).union(self.words(.erasureYesVagueVerbs))
        // "Yes everything, the account and the emails": the things named with all of it, nothing limiting it
        // ("yes just the emails" is no clear yes to deleting everything).
        if words.contains(where: self.words(.erasureYesWhole).contains), !words.contains(where: self.words(.erasureYesLimits).contains) {
            allowed.formUnion(self.words(.erasureYesThings))
        }
        guard words.allSatisfy(allowed.contains) else { return false }
        // A vague verb says what to erase only when it names the customer: "yes, forget me", not "yes, forget it".
        let objects = sequences[.erasureYesVagueObjects] ?? []
        for (index, word) in words.enumerated() where self.words(.erasureYesVagueVerbs).contains(word) {
            let next = words.dropFirst(index + 1)
            guard objects.contains(where: { next.starts(with: $0) }) else { return false }
        }
        return words.contains(where: saysYes.contains) || holds(words, .erasureYesPhrases)
    }
}

extension Engine {
    /// How the bot reads short answers and moods: its lexicon's signals.
    var signals: CustomerSignals { bot.signals }
}

extension Turn {
    /// How the bot reads short answers and moods: its lexicon's signals.
    var signals: CustomerSignals { engine.bot.signals }
}
