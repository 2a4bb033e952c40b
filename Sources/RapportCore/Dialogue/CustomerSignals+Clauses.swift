/// One clause of a customer's message: a piece the customer punctuated off,
/// or that a connector ("and", "but", "also") or a fresh start ("I want"
/// after "I don't want a person") begins. The engine decides whether two
/// clauses are two requests.
public struct Clause: Hashable, Sendable {
    /// The clause as typed: a substring of the message, so what is found in
    /// it maps back to the message. Connectors are left out.
    public var text: Substring
    /// Where `text` is in the message, in Unicode scalar offsets, as entity
    /// matches give theirs (`EntityMatch.start`, `end`).
    public var scalarRange: Range<Int>
    /// The clause's words, as `TextNormalizer.tokens` reads them.
    public var words: [String]
    /// Whether the clause opens with a negation cue ("I don't want a
    /// person", "no need for a human", "I'm not unhappy").
    public var negated: Bool

    public init(text: Substring, scalarRange: Range<Int>, words: [String], negated: Bool) {
        self.text = text
        self.scalarRange = scalarRange
        self.words = words
        self.negated = negated
    }
}

extension CustomerSignals {
    /// A word as typed and the tokens it reads as ("don't" is "do", "not").
    private struct TypedWord {
        var range: Range<String.Index>
        var scalars: Range<Int>
        var tokens: [String]
    }

    /// Where a message is punctuated into pieces: Latin, CJK and Arabic
    /// stops, commas, question marks and semicolons, and new lines.
    private static let clauseBreaks: Set<Unicode.Scalar> = [
        ",", ";", ".", "!", "?", "\n", "\r", "\u{2026}", "\u{3002}", "\u{FF01}", "\u{FF1F}", "\u{FF1B}", "\u{FF0C}", "\u{3001}",
        "\u{061F}", "\u{060C}", "\u{061B}",
    ]

    /// The message's words, in pieces between punctuation. A point or comma
    /// between digits ("12.50", "1,000") is part of a number, not a break.
    private static func punctuatedWords(_ text: String) -> [[TypedWord]] {
        let scalars = text.unicodeScalars
        var pieces: [[TypedWord]] = [[]]
        var wordStart: (index: String.Index, offset: Int)?
        var offset = 0
        var index = scalars.startIndex
        func endWord(at end: String.Index) {
            guard let start = wordStart else { return }
            let tokens = TextNormalizer.tokens(String(text[start.index..<end]))
            if !tokens.isEmpty {
                pieces[pieces.count - 1].append(TypedWord(range: start.index..<end, scalars: start.offset..<offset, tokens: tokens))
            }
            wordStart = nil
        }
        func isDigit(_ scalar: Unicode.Scalar?) -> Bool { scalar?.properties.numericType != nil }
        var previous: Unicode.Scalar?
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            let following = next == scalars.endIndex ? nil : scalars[next]
            let inNumber = (scalar == "." || scalar == ",") && isDigit(previous) && isDigit(following)
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || scalar == "'" || scalar == "\u{2019}" || inNumber
                || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark {
                if wordStart == nil { wordStart = (index, offset) }
            } else {
                endWord(at: index)
                if clauseBreaks.contains(scalar), !pieces[pieces.count - 1].isEmpty { pieces.append([]) }
            }
            previous = scalar
            offset += 1
            index = next
        }
        endWord(at: index)
        return pieces.filter { !$0.isEmpty }
    }

    /// How many tokens one of `list`'s phrases takes at `position` of
    /// `tokens` (the longest), or nil when none starts there.
    private func match(_ list: Lexicon.List, in tokens: [String], at position: Int) -> Int? {
        guard position < tokens.count else { return nil }
        let rest = tokens[position...]
        return sequences[list]?.first { rest.starts(with: $0) }?.count
    }

    /// Where the negation cue ends when one opens the clause at `position`,
    /// after fillers ("no", "oh", "i", "but"); nil when none does.
    private func negationEnd(in tokens: [String], from position: Int) -> Int? {
        let fillers = words(.negationFillers)
        var position = position
        while position < tokens.count {
            if let length = match(.negationCues, in: tokens, at: position) { return position + length }
            // "I'm not unhappy" says there is no complaint; "I'm not happy" is one.
            if let length = match(.negationStateCues, in: tokens, at: position),
               tokens[(position + length)...].contains(where: words(.negationNegativeWords).contains) {
                return position + length
            }
            guard fillers.contains(tokens[position]) else { return nil }
            position += 1
        }
        return nil
    }

    /// "It's not a pending authorisation, both have gone through" just after
    /// "a second charge is usually a pending hold": a clause opening with a
    /// state denied (`negation.state_cues`, after fillers) about a word of
    /// four letters or more that `answer` says, not one of `ignoring` (words
    /// common to the bot's requests: "that", "your") nor a figure. The customer
    /// says the answer does not fit them.
    public func deniesWhatWasSaid(_ text: String, in answer: String, ignoring: Set<String> = []) -> Bool {
        let said = Set(TextNormalizer.tokens(answer).filter { $0.count >= 4 && !ignoring.contains($0) && !$0.contains(where: \.isNumber) })
        return clauses(text).contains { clause in
            wordsAfter(.negationStateCues, opening: clause)?.contains(where: said.contains) == true
        }
    }

    /// The words of a clause after `negation.fillers` and the longest phrase of
    /// `list` that opens it then ("oh *it's not* a pending hold", "*not* gift
    /// cards"); nil when none does.
    public func wordsAfter(_ list: Lexicon.List, opening clause: Clause) -> ArraySlice<String>? {
        let fillers = words(.negationFillers)
        var position = 0
        while position < clause.words.count, fillers.contains(clause.words[position]) { position += 1 }
        guard let length = match(list, in: clause.words, at: position) else { return nil }
        return clause.words[(position + length)...]
    }

    /// "Sorry I mean mine is PC-300771", "my own points", "I meant my account":
    /// the message says what it names is the customer's own (`other_people.own`:
    /// "mine", "own"; or "my" before `other_people.own_things`).
    public func claimsAsOwn(_ text: String) -> Bool {
        let tokens = TextNormalizer.tokens(text)
        let things = words(.otherPeopleOwnThings)
        return tokens.contains(where: words(.otherPeopleOwn).contains)
            || zip(tokens, tokens.dropFirst()).contains { $0 == "my" && things.contains($1) }
    }

    /// "I want a refund instead", "can you put me through": the text holds a
    /// fresh start of a request (`clauses.restarts`), anywhere.
    public func startsARequest(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .clauseRestarts)
    }

    /// Where a fresh start ("I want", "I need") begins at `position`, after fillers.
    private func restarts(in tokens: [String], from position: Int) -> Bool {
        let fillers = words(.negationFillers)
        var position = position
        while position < tokens.count {
            if match(.clauseRestarts, in: tokens, at: position) != nil { return true }
            guard fillers.contains(tokens[position]) else { return false }
            position += 1
        }
        return false
    }

    /// The message split into clauses: where the customer punctuated (, ; .
    /// ! ? and new lines), before connectors (`clauses.connectors`: "and",
    /// "but", "as well"), after an opening no that another clause follows
    /// ("no | I don't want a person"), and, once a negated clause has said
    /// what is not wanted, at a fresh start (`clauses.restarts`: "I don't
    /// want a person | I want my jumper"). Liberal: "fish and chips" is two.
    public func clauses(_ text: String) -> [Clause] {
        // A turn splits its message a dozen times over (each rule that reads clauses): once is enough.
        clauseMemo.reading(ExactText(text)) { clausesAnew(text) }
    }

    private func clausesAnew(_ text: String) -> [Clause] {
        var result: [Clause] = []
        for piece in Self.punctuatedWords(text) {
            // Each token, and the typed word it came from.
            let tokens = piece.flatMap(\.tokens)
            let owners = piece.indices.flatMap { index in Array(repeating: index, count: piece[index].tokens.count) }
            func add(_ from: Int, _ to: Int, negated: Bool) {
                guard from < to else { return }
                let first = piece[owners[from]], last = piece[owners[to - 1]]
                result.append(Clause(text: text[first.range.lowerBound..<last.range.upperBound],
                                     scalarRange: first.scalars.lowerBound..<last.scalars.upperBound,
                                     words: Array(tokens[from..<to]), negated: negated))
            }
            var start: Int?
            var negated = false
            var cueEnd = 0
            var position = 0
            while position < tokens.count {
                if let length = match(.clauseConnectors, in: tokens, at: position) {
                    if let start { add(start, position, negated: negated) }
                    start = nil
                    position += length
                    continue
                }
                guard let open = start else {
                    // "No I don't want a person": the no is an answer of its own.
                    if words(.noOpeners).contains(tokens[position]), match(.negationCues, in: tokens, at: position) == nil,
                       negationEnd(in: tokens, from: position + 1) != nil || restarts(in: tokens, from: position + 1) {
                        add(position, position + 1, negated: false)
                        position += 1
                        continue
                    }
                    start = position
                    cueEnd = negationEnd(in: tokens, from: position) ?? position
                    negated = cueEnd > position
                    position += 1
                    continue
                }
                // "I don't want a person I want my jumper": a fresh start ends what is not wanted.
                if negated, position > cueEnd, match(.clauseRestarts, in: tokens, at: position) != nil {
                    add(open, position, negated: true)
                    start = nil
                    continue
                }
                position += 1
            }
            if let start { add(start, tokens.count, negated: negated) }
        }
        // "I don't want to be emailed anymore" asks to stop the emails: no refusal. Not one
        // that refuses the stopping itself ("I don't want to unsubscribe from your emails").
        // Nor "I'd rather not talk to a bot", which refuses the bot (`negation.the_bot`): a person is asked for;
        // nor a clause asked, "so i wont be charged?", just before a question mark, which refuses nothing.
        return result.map { clause in
            guard clause.negated else { return clause }
            let stops = holds(clause.words, .negationStopping)
                && !clause.words.contains(where: words(.negationStoppingVerbs).contains)
            let refusesTheBot = clause.words.contains(where: words(.negationTheBot).contains)
            let asked = text[clause.text.endIndex...].drop { $0 == " " }.first == "?"
            guard stops || refusesTheBot || asked else { return clause }
            var kept = clause
            kept.negated = false
            return kept
        }
    }

    /// Whether the message holds words and every one of them only joins
    /// clauses (`clauses.connectors`: "but", "and also").
    public func onlyJoins(_ text: String) -> Bool {
        let joining = Set(words(.clauseConnectors).flatMap { $0.split(separator: " ").map(String.init) })
        let tokens = TextNormalizer.tokens(text)
        return !tokens.isEmpty && tokens.allSatisfy(joining.contains)
    }

    /// What a message says besides what the customer does not want: its
    /// clauses that are not negated, joined ("I don't want a refund, just a
    /// replacement" → "just a replacement"); a clause that is only a yes or a
    /// no ("no, I don't want a voucher") says nothing more than the negation.
    public func wanted(_ text: String) -> String {
        clauses(text).filter { !$0.negated && yesNo(String($0.text)) == nil }.map { String($0.text) }.joined(separator: ", ")
    }

    /// "Ok thanks that's all", "nothing else": the customer wants no more (`done`).
    public func saysDone(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .donePhrases)
    }

    /// Whether the message only signs off: a word of `done.sign_offs` ("cheers", "ta"), and otherwise only
    /// `done.sign_off_words` ("k cheers", "great ta, thanks").
    public func onlySignsOff(_ text: String) -> Bool {
        let words = TextNormalizer.tokens(text), signOffs = self.words(.doneSignOffs), besides = self.words(.doneSignOffWords)
        return words.contains(where: signOffs.contains) && words.allSatisfy { signOffs.contains($0) || besides.contains($0) }
    }

    /// "How long until I hear back", "when will they get back to me": the
    /// message speaks of someone answering the customer (`team_reply`).
    public func speaksOfAReply(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .teamReplyPhrases)
    }

    /// "Are the boots coming separately?", "have they been lost?": asks whether a thing comes (`arrival.thing_phrases`).
    public func speaksOfAThingComing(_ text: String) -> Bool {
        // (Its phrases may have gaps: "when will the ... come" holds "when will the boots come".)
        let tokens = TextNormalizer.tokens(text)
        return thingComingPhrases.contains { phrase in tokens.indices.contains { Self.matchEnd(of: phrase, in: tokens, at: $0) != nil } }
    }

    /// "When will it come then?", "when do I get it": asks when the order comes (`arrival`).
    /// (Fillers passed over: "will it definitely be here".)
    public func speaksOfArrival(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(withoutFillers(text)), .arrivalPhrases)
    }

    /// The things of `kinds` the message names, less any it names as not
    /// meant ("not the blanket one"): what a record of a kind that lists them may hold.
    public func thingsNamed(of kinds: Set<String>, in entities: [EntityMatch], text: String) -> [EntityMatch] {
        entities.filter { kinds.contains($0.entity) && !isRejected($0, in: text) }
    }

    /// "Why not??", "but why", "how come": the whole message asks only why
    /// (one of the `why` phrases), about the answer just given.
    public func asksOnlyWhy(_ text: String) -> Bool {
        words(.whyPhrases).contains(TextNormalizer.tokens(text).joined(separator: " "))
    }

    /// "Just checking", "only asking", "just curious": the customer wants to
    /// know something, not to have something done.
    public func isOnlyAsking(_ text: String) -> Bool {
        holds(TextNormalizer.tokens(text), .onlyAskingPhrases)
    }

    /// Praise that means the opposite: a sarcasm phrase ("thanks for
    /// nothing", "yeah right", "great, just great"); praise ending in a
    /// sarcasm ending ("you've been a great help... not"); or a thanks or
    /// praise word together with an angry or negative word or phrase ("oh
    /// brilliant, it's broken", "thanks a lot, this is useless").
    /// Whether the message is a sarcastic phrase and nothing more, fillers
    /// aside ("do you even care", "oh thanks for nothing"): whatever a word
    /// of it reads as ("care" as washing instructions), it asks for nothing.
    public func isOnlySarcasm(_ text: String) -> Bool {
        let tokens = TextNormalizer.tokens(text)
        let covered = sarcasmCovered(tokens)
        guard covered.contains(true) else { return false }
        let fillers = words(.negationFillers)
        return zip(tokens, covered).allSatisfy { token, isCovered in isCovered || fillers.contains(token) }
    }

    /// The words of `text` less its praise (`sarcasm.praise_words`), and then less its sarcasm phrases
    /// (`sarcasm.phrases`) too: "great, the beanie you sent is a completely different colour to the website.
    /// love that for me" is "the beanie you sent is a completely different colour to the website love that
    /// for me"; "thanks for nothing, the mug came smashed" is "for nothing the mug came smashed", then "the mug
    /// came smashed".
    public func withoutSarcasm(_ text: String) -> [String] {
        let tokens = TextNormalizer.tokens(text)
        let praise = words(.sarcasmPraiseWords)
        let covered = sarcasmCovered(tokens)
        return [
            tokens.filter { !praise.contains($0) },
            zip(tokens, covered).filter { token, isCovered in !isCovered && !praise.contains(token) }.map(\.0),
        ].map { $0.joined(separator: " ") }
    }

    /// For each token, whether a sarcasm phrase covers it.
    private func sarcasmCovered(_ tokens: [String]) -> [Bool] {
        var covered = [Bool](repeating: false, count: tokens.count)
        var position = 0
        while position < tokens.count {
            if let length = match(.sarcasmPhrases, in: tokens, at: position) {
                for index in position ..< position + length { covered[index] = true }
                position += length
            } else {
                position += 1
            }
        }
        return covered
    }

    /// Just after a reply that apologised (`after`: "it's 7 days late, and
    /// I'm sorry"), praise heaped up ("great. brilliant. thanks a lot": two
    /// `heaped_words` or more) is sarcastic too; "perfect, thank you!" is not.
    public func isSarcastic(_ text: String, after reply: String? = nil) -> Bool {
        let words = TextNormalizer.tokens(text)
        if holds(words, .sarcasmPhrases) { return true }
        guard words.contains(where: self.words(.sarcasmPraiseWords).contains) else { return false }
        if let reply, apologises(reply),
           Set(words.filter(self.words(.sarcasmHeapedWords).contains)).count >= 2 {
            return true
        }
        if let last = words.last, self.words(.sarcasmEndings).contains(last) { return true }
        let negative = self.words(.sarcasmNegativeWords).union(self.words(.frustrationWords))
        if words.contains(where: negative.contains) || holds(words, .frustrationPhrases) || holds(words, .sarcasmNegativePhrases) { return true }
        // "The jumper I got shrank after one wash. brilliant quality"; not "love the new jumper, my old one
        // shrank in the wash so this is perfect".
        // (A sincere word that is not itself praise: "thanks a lot, the jumper shrank after one wash" is still sarcastic.)
        let sincere = self.words(.sarcasmSincereWords).subtracting(self.words(.sarcasmPraiseWords))
        return words.contains(where: self.words(.sarcasmWearWords).contains) && !words.contains(where: sincere.contains)
    }
}
