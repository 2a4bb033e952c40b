import Foundation

/// A loaded bot with its trained ranker and decision policy: everything a
/// conversation needs that does not change while it runs. Build once, share freely.
public struct Engine: Sendable {
    public let bot: Bot
    public let ranker: any IntentRanker
    public let policy: DecisionPolicy
    private let patterns: PatternMatcher
    public let entities: EntityExtractor
    /// Reads profile answers and volunteered facts.
    public let profileReader: ProfileReader
    public let profiling: ProfilingPolicy
    /// How the ranker reads a message: entity values standing as their type.
    public let reading: RankerReading
    /// The contexts each follow-up intent needs, for the intents that need one.
    public let contextNeeds: ContextNeeds
    /// The latest messages understood (`understand`), shared by copies of this engine.
    private let understood = ReadingMemo<UnderstandingKey, Understanding>(capacity: 512)
    /// The entities some intent looks a row up by (orders, products, shops):
    /// the things a conversation can be about.
    public let lookupKeyEntities: Set<String>
    /// The lookup keys written as identifiers (a pattern: HP-12345,
    /// PC-123456), which name one record of the customer's, unlike a product
    /// or a country from a list.
    public let recordIdentifiers: Set<String>
    /// The entity types a conversation can be about (`focus: true`): kept in `Focus`.
    public let focusEntities: Set<String>
    /// The entities whose value stays in focus for the whole conversation (`EntityType.focusLastsTheConversation`).
    public let lastingFocus: Set<String>
    /// The kinds of the customer's own records: a lookup's key that is its
    /// owner's alone (`someone_else`, `private_records`: an order) or lasts
    /// the conversation (a membership); not a shop or a product.
    public let ownRecordKinds: Set<String>
    /// The kinds of record a bot.yaml `private_records` table keeps (an
    /// order): one is someone else's only as placed by them
    /// (`CustomerSignals.namesAsSomeoneElses(_:in:placed:)`).
    public let placedRecordKinds: Set<String>
    /// The table each lookup-key entity finds its rows in (`order_number` → `orders`).
    public let lookupTables: [String: String]
    /// The intents that erase the customer (`action: erase_customer`): considered
    /// only for a message that names the customer or their data, or just
    /// after an answer about their data (`erasureContexts`).
    public let erasureIntents: Set<String>
    /// Each intent's `notWith`, for those that have one.
    let notWith: [String: Set<String>]
    /// The contexts that answers of the erasure intents' topic open (how long
    /// conversations are kept, who sees them): while one is open, "can you
    /// delete it?" is about the customer's data.
    public let erasureContexts: Set<String>
    /// Words that say nothing about what a message asks ("is", "it", "can",
    /// "i"): those in the examples of at least two requests in five.
    /// Learnt from the bot's own examples, so a bot in any language has its own.
    public let commonWords: Set<String>
    /// Words in the examples of at least one request in five ("about",
    /// "there"): too frequent to say what a question asks that its answer does not.
    public let frequentWords: Set<String>
    /// Words in the examples of at least 7% of the requests ("look",
    /// "keep", "code"): too widespread, alone, to pick a sentence out of an
    /// answer to a question asked again.
    public let widespreadWords: Set<String>
    /// Every word of every example: a word in none ("patel") is no word
    /// customers ask the bot's requests with, but a name, a place, a thing of
    /// the bot's data.
    public let exampleWords: Set<String>
    /// For each entity rows are looked up by, the other kinds of thing in
    /// focus that at least half its table's rows name: orders name products,
    /// so a product an order's row does not name is not in that order (a shop
    /// named in the odd row is not listed). Only kinds named from a list
    /// count (products, not another record's number). Found once, when the
    /// engine is built, by reading every cell.
    public let listedKinds: [String: Set<String>]
    /// The kinds some table lists (products): `listedKinds`' values, together.
    public let listedThings: Set<String>
    /// For each intent, the words in at least a quarter of its examples
    /// ("gift" and "card" for gift cards): they name the request, not a part of its answer.
    public let namingWords: [String: Set<String>]
    /// For each intent, every word of its examples, worked out once.
    public let exampleVocabulary: [String: Set<String>]
    /// Small talk and goodbyes none of whose examples asks anything ("ok",
    /// "thanks", "bye"): a question is never read as one of them ("so you're
    /// saying it's my problem?" is no "ok", whatever the ranker makes of it).
    public let neverAsked: Set<String>
    /// For each intent, the words of its label that name a thing ("gift" and "card" of "gift cards"):
    /// singular, less `commonWords` and the words of a problem or of something coming
    /// (`problem.words`, `arrived.got`). What "not gift cards" sets aside (`topicsSetAside`).
    public let labelWords: [String: Set<String>]
    /// The entities read by the built-in date recogniser (`date` in the bundled bot).
    public let dateEntities: Set<String>
    /// The entities read by the built-in amount recogniser (`amount` in the bundled bot).
    public let amountEntities: Set<String>

    /// What the classifier reads, for the front ends to show (`/debug`, the
    /// protocol's `ready` line).
    public let matcher: MatcherDescription

    /// The ranker is trained on the examples as the engine reads messages:
    /// with entity values standing as their type (`RankerReading`).
    public init(bot: Bot, ranker: (any IntentRanker)? = nil, policy: DecisionPolicy? = nil) {
        if let ranker {
            self.init(bot: bot, policy: policy, matcher: .words(note: ""), ranking: { _ in ranker })
        } else {
            self.init(bot: bot, policy: policy) { $0.train() }
        }
    }

    /// The engine with the classifier `classifier` gives for the bot's
    /// training set: trained on the spot, or a saved model read back (the
    /// front ends' model cache, keyed by `TrainingSet.key`). With an
    /// `embedder`, the classifier is the hybrid of words and the sentence
    /// encoder's vectors; without one, `noEncoder` may say why, for the front ends.
    public init(bot: Bot, policy: DecisionPolicy? = nil, embedder: (any SentenceEmbedder)? = nil, noEncoder: String = "",
                classifier: (TrainingSet) -> any IntentRanker) {
        let matcher = embedder.map { MatcherDescription.hybrid(encoder: $0.identity) } ?? .words(note: noEncoder)
        self.init(bot: bot, policy: policy, matcher: matcher, ranking: {
            classifier(TrainingSet(intents: bot.intents, reading: $0, embedder: embedder))
        })
    }

    private init(bot: Bot, policy: DecisionPolicy?, matcher: MatcherDescription, ranking: (RankerReading) -> any IntentRanker) {
        self.matcher = matcher
        self.bot = bot
        self.policy = policy ?? DecisionPolicy(settings: bot.matching)
        self.patterns = PatternMatcher(intents: bot.intents)
        // Dates are counted in the shop's time zone, as the days the dialogue manager compares them with.
        let entities = EntityExtractor(types: bot.entities, timeZone: bot.timeZone)
        let reading = RankerReading(entities: entities, types: bot.entities)
        self.entities = entities
        self.profileReader = ProfileReader(bot: bot, entities: entities)
        self.profiling = ProfilingPolicy(catalogue: bot.profile)
        self.reading = reading
        self.contextNeeds = ContextNeeds(intents: bot.intents)
        self.lookupKeyEntities = Set(bot.intents.compactMap { $0.lookupSlot?.entity })
        self.recordIdentifiers = Set(bot.entities.filter { entity in
            guard case .pattern = entity.recognizer else { return false }
            return bot.intents.contains { $0.lookupSlot?.entity == entity.name }
        }.map(\.name))
        self.focusEntities = Set(bot.entities.filter(\.focus).map(\.name))
        self.lastingFocus = Set(bot.entities.filter(\.focusLastsTheConversation).map(\.name))
        self.ownRecordKinds = lastingFocus.union(bot.intents.compactMap { bot.someoneElse(of: $0) == nil ? nil : $0.lookupSlot?.entity })
        self.placedRecordKinds = Set(bot.intents.compactMap { intent in
            if case .privateRecord? = bot.someoneElse(of: intent)?.source { intent.lookupSlot?.entity } else { nil }
        })
        var tables: [String: String] = [:]
        for intent in bot.intents {
            if let entity = intent.lookupSlot?.entity, let table = intent.lookup?.table, tables[entity] == nil { tables[entity] = table }
        }
        self.lookupTables = tables
        let erasers = bot.intents.filter { $0.action == .eraseCustomer }
        self.erasureIntents = Set(erasers.map(\.name))
        self.notWith = Dictionary(uniqueKeysWithValues: bot.intents.filter { !$0.notWith.isEmpty }.map { ($0.name, $0.notWith) })
        let erasureTopics = Set(erasers.map(\.topic))
        self.erasureContexts = Set(bot.intents.filter { erasureTopics.contains($0.topic) }.compactMap(\.setsContext))
        // Every example's words, worked out once for what is counted of them below.
        let exampleWords = Dictionary(bot.intents.map { ($0.name, $0.examples.map(TextNormalizer.tokens)) }, uniquingKeysWith: { first, _ in first })
        self.exampleVocabulary = exampleWords.mapValues { Set($0.joined()) }
        self.exampleWords = Set(exampleWords.values.joined().joined())
        // Two in five requests, and one in five: one count of the examples serves both.
        // (Of the requests with examples: one read by its patterns alone has no words to count.)
        let shared = Self.commonWords(in: bot.intents.filter { $0.resolves && !$0.examples.isEmpty }.map { exampleWords[$0.name] ?? [] },
                                      shares: [0.4, 0.2, 0.07])
        self.commonWords = shared[0]
        self.frequentWords = shared[1]
        self.widespreadWords = shared[2]
        let focusKinds = Set(bot.entities.filter(\.focus).map(\.name))
        let keyEntities = Set(tables.keys)
        // Only the kinds that can be in focus are looked for, and of those only the kinds named from a
        // list (products, shops): a record lists things by their names, while a pattern's value in a cell
        // (another record's number) refers to it. Every cell of every table is read at each start, and
        // the other kinds' patterns and dates took a quarter of a warm start.
        let focusFinder = EntityExtractor(types: bot.entities.filter { type in
            guard type.focus, case .list = type.recognizer else { return false }
            return true
        })
        self.listedKinds = tables.mapValues { table in
            // A kind named in at least half the rows: every order lists its products, while only an
            // order waiting for collection names a shop ("can I pick it up from Leeds instead?" is no item).
            let rows = bot.tables[table].map { Array($0.rows.values) } ?? []
            var named: [String: Int] = [:]
            for row in rows {
                let kinds = Set(row.values.flatMap { focusFinder.extract(from: $0, at: Date(timeIntervalSince1970: 0)).map(\.entity) })
                for kind in kinds { named[kind, default: 0] += 1 }
            }
            let listed = Set(named.filter { $0.value * 2 >= rows.count }.keys)
            return listed.intersection(focusKinds).subtracting(keyEntities.filter { tables[$0] == table })
        }
        self.listedThings = Set(listedKinds.values.joined())
        self.namingWords = Dictionary(bot.intents.map { intent in
            var spread: [String: Int] = [:]
            for words in exampleWords[intent.name] ?? [] {
                for word in Set(words) { spread[word, default: 0] += 1 }
            }
            return (intent.name, Set(spread.filter { $0.value * 4 >= intent.examples.count }.keys))
        }, uniquingKeysWith: { first, _ in first })
        let unnaming = commonWords.union(bot.signals.words(.problemWords)).union(bot.signals.words(.arrivedGot))
        self.labelWords = Dictionary(bot.intents.map { intent in
            (intent.name, Set(TextNormalizer.tokens(intent.label).map(AnswerSentences.singular)).subtracting(unnaming))
        }, uniquingKeysWith: { first, _ in first })
        self.dateEntities = Set(bot.entities.filter { if case .date = $0.recognizer { true } else { false } }.map(\.name))
        self.amountEntities = Set(bot.entities.filter { if case .amount = $0.recognizer { true } else { false } }.map(\.name))
        self.neverAsked = Set(bot.intents.filter { intent in
            (intent.isSmallTalk || intent.endsConversation) && !intent.examples.contains(where: Self.opensAsAQuestion)
        }.map(\.name))
        self.ranker = ranking(reading)
    }

    /// Every word of `intent`'s examples (`exampleVocabulary`).
    public func vocabulary(of intent: Intent) -> Set<String> { exampleVocabulary[intent.name] ?? [] }

    /// Whether an answer speaks to every word of a message that says what it
    /// asks: each word not frequent in the bot's requests is in the answer,
    /// the intent's examples or its label ("dog" is in none of the York
    /// shop's). The examples count because they say, in customers' words,
    /// what the answer answers ("what time does it close" is the opening
    /// hours, which never say "close"); so an example must not ask what the
    /// answer does not say. Words under three letters, and a plural "s", do not count.
    public func speaksTo(_ text: String, answer: String, intent: Intent) -> Bool {
        let stem = AnswerSentences.singular
        let known = Set((TextNormalizer.tokens(answer) + vocabulary(of: intent) + TextNormalizer.tokens(intent.label)).map(stem))
        return tellingWords(of: text).allSatisfy { known.contains(stem($0)) }
    }

    /// The words of `text` that say what it asks. Words shorter than
    /// `letters` ("u", "so"), and words of one request in five ("about"), say
    /// too little to count; nor does a number ("the number is GC-4471-2290"
    /// names a card, it asks nothing); nor do fillers ("when will it actually
    /// arrive"), nor words that only point back ("its", "those").
    public func tellingWords(of text: String, atLeast letters: Int = 3) -> [String] {
        let fillers = signals.words(.fillerWords).union(signals.words(.refersBackWords)).union(signals.words(.fillerAcknowledgements))
        return TextNormalizer.tokens(text).filter {
            $0.count >= letters && !frequentWords.contains($0) && !$0.contains(where: \.isNumber) && !fillers.contains($0)
        }
    }

    /// The sentences of `answer` that speak to what `text` asks
    /// (`AnswerSentences.answering`), by its words that say what it asks: of
    /// three letters or more, without digits (an order number is no
    /// question), and not frequent in the bot's requests.
    /// Nor words that name the request itself (`namingWords`): "the gift
    /// card bit" asks for the gift card answer, not its sentences with "card".
    /// How the message came (`PartAsked`) says which words count.
    public func sentences(answering text: String, in answer: String, of intent: Intent, asked how: PartAsked = .followUp) -> String? {
        let naming = namingWords[intent.name] ?? []
        // What the customer says they do not want asks nothing ("no I don't want a person").
        let words = TextNormalizer.tokens(signals.wanted(text)).filter {
            $0.count >= 3 && !$0.contains(where: \.isNumber) && !frequentWords.contains($0)
                && !frequentWords.contains(AnswerSentences.singular($0)) && !naming.contains($0)
        }
        // A question the intent's examples ask (every telling word of it in one example) asks for the whole answer.
        var usual: Bool {
            intent.examples.contains { example in
                let said = TextNormalizer.tokens(example)
                return words.allSatisfy { word in said.contains { AnswerSentences.sameWord($0, word) } }
            }
        }
        switch how {
        case .followUp:
            return usual ? nil : AnswerSentences.answering(words, in: answer)
        case .again:
            // Only words that few requests are asked with: "paypal", "sunday", "recorded".
            // An answer of one sentence may be cut at its clauses: "sunday?" after the hours.
            return AnswerSentences.answering(words.filter { !widespreadWords.contains($0) }, in: answer, clausesToo: true)
        case .unread:
            return AnswerSentences.answering(words, in: answer)
        case .record:
            // The sentences that speak to it, and of one sentence, its clauses that do.
            if usual { return nil }
            guard let part = AnswerSentences.answering(words, in: answer) else {
                return AnswerSentences.answering(words, in: answer, clausesToo: true)
            }
            return AnswerSentences.answering(words, in: part, clausesToo: true) ?? part
        }
    }

    /// "When did you get it back?", "ok and how much am I getting back" just after a refund's record: a
    /// question for a day or a sum of money (signals.yaml `parts.day_phrases`, `parts.amount_phrases`) is
    /// answered by the sentences of `answer` that hold one (a `date` or an `amount` entity), when some do
    /// and some do not (`orAll`: or all do). Nil for a message that asks neither.
    public func sentences(holdingWhat text: String, asks answer: String, of intent: Intent, at now: Date, orAll: Bool = false) -> String? {
        guard let asked = signals.valueAsked(text) else { return nil }
        let kinds = Set(bot.entities.filter { type in
            switch (asked, type.recognizer) {
            case (.amount, .amount), (.day, .date): true
            default: false
            }
        }.map(\.name))
        // Of those, the ones that share a word with the question, when it has one besides the asking words
        // (signals.yaml `answers.sentence_words` and `answers.fillers`, and the phrase's own): "when did you
        // get it back?" is the sentence on the return coming back; "when did I order it?" is none of them.
        let asking = signals.words(.answersSentenceWords).union(signals.words(.answersFillers))
            .union(signals.phraseWords(asked == .amount ? .partsAmountPhrases : .partsDayPhrases))
        // A word the answer says must be in the sentence ("order" in "when did I order it?" is the answer's,
        // and in none of its dates); one it does not say must be a word of the request's own examples ("when
        // did the money go in?" of a refund), or the question is about something the answer does not tell
        // ("when was it dispatched?" of a refund).
        let said = TextNormalizer.tokens(answer)
        let own = vocabulary(of: intent)
        var telling: [String] = []
        for word in TextNormalizer.tokens(text) where word.count >= 3 && !asking.contains(word) {
            if said.contains(where: { AnswerSentences.sameWord($0, word) }) {
                telling.append(word)
            } else if !own.contains(where: { AnswerSentences.sameWord($0, word) }) {
                return nil
            }
        }
        let all = AnswerSentences.split(answer)
        let holding = all.filter { sentence in
            let words = TextNormalizer.tokens(sentence)
            return entities.extract(from: sentence, at: now).contains { kinds.contains($0.entity) }
                && (telling.isEmpty || telling.contains { word in words.contains { AnswerSentences.sameWord($0, word) } })
        }
        guard !holding.isEmpty, orAll || holding.count < all.count else { return nil }
        return holding.joined(separator: " ")
    }

    /// How a message asks about a part of an answer, for `sentences(answering:in:of:asked:)`.
    public enum PartAsked: Sendable {
        /// A follow-up read as the request: nothing when it asks what the
        /// intent's examples ask (every telling word of it is in one example:
        /// "what does an order number look like" asks for the whole answer).
        case followUp
        /// Asked again just after the whole answer ("paypal?" after the ways
        /// to pay): the part that speaks to it is news, even for the usual
        /// question; only words few requests are asked with count (not `widespreadWords`).
        case again
        /// A message the ranker could not read at all: every telling word counts.
        case unread
        /// A question about a record's answer said earlier in the conversation
        /// ("how many more do I need for the top one?" after the member's
        /// points), unless its examples ask it: every telling word counts, and the sentence that speaks to
        /// it is cut to its clauses that do ("760 more points this year will
        /// take you to Evergreen.").
        case record
    }

    /// Whether every word of `text` not common to the bot's requests is a
    /// word of the intent's own answers (its responses and details, as
    /// written): "send" in "can you send a" is the missing item's ("we'll
    /// send the right item"). Not its examples, which other requests share.
    public func answerWords(of intent: Intent, cover text: String) -> Bool {
        let words = TextNormalizer.tokens(text).filter { !commonWords.contains($0) }
        let said = Set((intent.responses + intent.details.flatMap(\.responses)).flatMap { TextNormalizer.tokens($0.source) })
        return words.allSatisfy(said.contains)
    }

    /// Whether `text` holds only words common to every kind of request
    /// ("is it", "can I"), or none: it names no request of its own.
    public func namesNothing(_ text: String) -> Bool {
        TextNormalizer.tokens(text).allSatisfy(commonWords.contains)
    }

    /// The words found in the examples of at least each share of `intents`
    /// (each intent given as its examples' words; one set per share),
    /// counting each intent's examples once.
    static func commonWords(in intents: [[[String]]], shares: [Double]) -> [Set<String>] {
        guard intents.count >= 4 else { return shares.map { _ in [] } }
        var spread: [String: Int] = [:]
        for examples in intents {
            for word in Set(examples.joined()) { spread[word, default: 0] += 1 }
        }
        return shares.map { share in Set(spread.filter { Double($0.value) >= Double(intents.count) * share }.keys) }
    }

    /// Ranks, decides and extracts entities in one step; the ranking is kept
    /// for the debug view. A pattern that matches wins outright, with full
    /// confidence, before the ranker's opinion is considered. `now` is when
    /// the message was sent: relative dates ("tomorrow") count from it.
    ///
    /// The ranker reads the values of pattern, date and amount entities as
    /// words for their types: the digits of an order number say nothing about
    /// the intent, and characters the model never saw would only lower its
    /// confidence. List entities (products, countries) are ordinary words and stay.
    ///
    /// Intents that need a context are left out of the ranking unless it is
    /// one of `contexts`, the contexts open in the conversation.
    ///
    /// After a dismissal ("hmm actually forget it, just tell me about your
    /// club"), what follows is the request, and it is what is read; if it
    /// cannot be read, the whole message is. An erasure intent is considered
    /// only when the message names the customer or their data
    /// (`CustomerSignals.namesCustomerOrTheirData`): "forget it" asks to
    /// delete nothing, however close its words are to "forget me".
    public func understand(_ message: String, at now: Date, contexts: Set<String> = [], asking: String? = nil) -> Understanding {
        // A turn reads its message, its clauses and what is left of it several times over: about 2.7
        // readings a message, 1.6 of them different, on the transcripts' messages. Everything a
        // reading depends on is in the key: the moment only through its entities, which count whole days.
        let key = UnderstandingKey(message: ExactText(message), day: entities.day(of: now), contexts: contexts, asking: asking)
        return understood.reading(key) { understandAnew(message, at: now, contexts: contexts, asking: asking) }
    }

    struct UnderstandingKey: MemoKey {
        var message: ExactText
        var day: Int
        var contexts: Set<String>
        var asking: String?
        var textBytes: Int { message.textBytes }
    }

    private func understandAnew(_ message: String, at now: Date, contexts: Set<String>, asking: String?) -> Understanding {
        // "But", "and", ", and , but ;": words that only join clauses ask nothing, however
        // surely the ranker reads them (a lost parcel's examples all say "delivered but...").
        if signals.onlyJoins(message) { return Understanding(ranking: [], decision: .fallback(best: nil)) }
        let asking = asking ?? bareValueEntity(message, at: now)
        // (A key the customer corrected at once is blanked before: `withoutCorrectedKeys`.)
        let found = entities.extract(from: message, at: now, asking: asking)
        // "Not Leeds, York. Is there parking?": what only sets a value aside asks nothing; the rest is read, with
        // every value the message names (the one set aside says what is corrected).
        let aside = signals.setAsideClauses(message, found: found)
        if !aside.isEmpty {
            let rest = signals.clauses(message).filter { !aside.contains($0) }.map { String($0.text) }.joined(separator: ", ")
            var understood = understand(rest, at: now, contexts: contexts, asking: asking)
            understood.entities = found
            return understood
        }
        if let understood = readAroundNegation(message, found: found, at: now, contexts: contexts, asking: asking) { return understood }
        return readWhole(message, found: found, at: now, contexts: contexts, asking: asking)
    }

    /// `message` with each record's key that another of its kind corrects
    /// just after it ("it's PC-118320, sorry no PC-118230"), and the
    /// correction, blanked with spaces: neither is meant, nor words of the
    /// request ("oh sorry the order number, it's HP-10601... no sorry
    /// HP-10610" asks no way to find an order number). Every value keeps its
    /// place in the message.
    /// `asking`: the entity a bare value is read as (`EntityExtractor.extract(from:at:asking:)`): "10501 sorry
    /// 10442" when an order number is asked for.
    public func withoutCorrectedKeys(_ message: String, at now: Date, asking: String? = nil) -> String {
        let extracted = entities.extract(from: message, at: now, asking: asking ?? bareValueEntity(message, at: now))
        var scalars = Array(message.unicodeScalars), blanked = false
        for value in extracted where recordIdentifiers.contains(value.entity) {
            guard let later = extracted.first(where: { later in
                later.entity == value.entity && later.value != value.value && signals.correctsBetween(value, later, in: message)
            }) else { continue }
            scalars.replaceSubrange(value.start..<later.start, with: repeatElement(" ", count: later.start - value.start))
            blanked = true
        }
        guard blanked else { return message }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    /// The entity a message is nothing but a value of, read as if the bot
    /// had asked for it: "10443" alone is an order number, though no one
    /// asked (a `when_asked` pattern that covers the whole message).
    private func bareValueEntity(_ message: String, at now: Date) -> String? {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        guard !trimmed.isEmpty, trimmed.count <= 20 else { return nil }
        for type in bot.entities where type.whenAsked != nil {
            let found = entities.extract(from: trimmed, at: now, asking: type.name)
            if found.count == 1, let value = found.first, value.entity == type.name,
               value.start == 0, value.end == trimmed.unicodeScalars.count { return type.name }
        }
        return nil
    }

    /// How sure a reading as deleting everything must be when the message asks to delete it all.
    static let sureOfDeletingItAll = 0.7

    /// How sure the reading of a message's rest, besides what it says the
    /// customer does not want, must be to say the same request again.
    static let sureOfTheRest = 0.5

    /// "I don't want to cancel it all, just the hat": a refusal of the whole
    /// (`negation.whole`) before a thing named, asking nothing else surely,
    /// is the refused request for that thing, not a refusal.
    private func narrowedRequest(
        _ refusals: [(clause: Clause, reading: Understanding)], rest: Understanding, restFound: [EntityMatch], found: [EntityMatch]
    ) -> Understanding? {
        let whole = signals.words(.negationWhole)
        guard let refusal = refusals.first(where: { TextNormalizer.tokens(String($0.clause.text)).contains(where: whole.contains) }),
              restFound.contains(where: { focusEntities.contains($0.entity) }),
              let request = refusal.reading.matched, bot.intent(named: request.intent)?.isPlainRequest == true else { return nil }
        if let other = rest.matched, other.intent != request.intent, other.confidence >= Self.sureOfTheRest,
           bot.intent(named: other.intent)?.isPlainRequest == true { return nil }
        return Understanding(ranking: [request], decision: .matched(request), entities: found)
    }

    /// "No I don't want a person, I want my jumper", "no need for a human,
    /// thanks", "I'm not unhappy, just asking": what a negated clause reads
    /// as is what the customer does not want (`Understanding.declined`), and
    /// the rest of the message is the request, read on its own. Nil when no
    /// clause is negated. The clauses and their negation come from the bot's
    /// lexicon (`CustomerSignals.clauses`).
    private func readAroundNegation(
        _ message: String, found: [EntityMatch], at now: Date, contexts: Set<String>, asking: String?
    ) -> Understanding? {
        // "Not gift cards": a clause that sets a topic aside refuses it, as "I don't want gift cards" does.
        let setAside = signals.clauses(message).map { ($0, topicsSetAside($0, in: message)) }
        let clauses = setAside.map { clause, topics in
            var refused = clause
            if !topics.isEmpty { refused.negated = true }
            return refused
        }
        guard clauses.contains(where: \.negated) else { return nil }
        // Each refusal read once: what it reads as is declined, or narrowed to a thing named after it.
        let refusals = clauses.filter(\.negated).map { clause -> (clause: Clause, reading: Understanding) in
            let text = String(clause.text)
            return (clause, read(text, found: entities.extract(from: text, at: now, asking: asking), contexts: contexts))
        }
        var declined = refusals.compactMap { refusal -> String? in
            if let matched = refusal.reading.matched { return matched.intent }
            if case .ambiguous(let first, _) = refusal.reading.decision { return first.intent }
            return nil
        }
        for topic in setAside.flatMap(\.1) where !declined.contains(topic) { declined.append(topic) }
        // "No" on its own says nothing more than the negation it opens.
        let kept = clauses.filter { !$0.negated && signals.yesNo(String($0.text)) != .no }
        let rest = kept.map { String($0.text) }.joined(separator: ", ")
        let restFound = entities.extract(from: rest, at: now, asking: asking)
        var understood: Understanding
        if rest.contains(where: \.isLetter) {
            understood = readWhole(rest, found: restFound, at: now, contexts: contexts, asking: asking)
        } else {
            understood = Understanding(ranking: [], decision: .fallback(best: nil))
        }
        if let narrowed = narrowedRequest(refusals, rest: understood, restFound: restFound, found: found) { return narrowed }
        // "I don't want marketing emails, I've unsubscribed twice and still get them": the rest read
        // surely as the request the negation reads as says that not wanting it is the request.
        if case .matched(let best) = understood.decision, best.confidence >= Self.sureOfTheRest, declined.contains(best.intent) {
            declined.removeAll { $0 == best.intent }
        }
        // What the customer said they do not want is never the answer.
        understood.ranking.removeAll { declined.contains($0.intent) }
        switch understood.decision {
        case .matched(let best) where declined.contains(best.intent):
            understood.decision = .fallback(best: nil)
        case .ambiguous(let first, let second) where declined.contains(first.intent) || declined.contains(second.intent):
            let other = declined.contains(first.intent) ? second : first
            understood.decision = policy.decide([other])
        default:
            break
        }
        // "Fine, forget the gloves then. Do you have the socks in Leeds instead?": a thing named only in what is
        // refused gives way to one of its kind named in the rest.
        let refused = clauses.filter(\.negated).map(\.scalarRange)
        func isRefused(_ match: EntityMatch) -> Bool { refused.contains { $0.contains(match.start) } }
        // Not a record ("I don't want to wait for HP-10610 any longer, can you cancel it? HP-10442 can stay"
        // refuses the waiting, not the order), nor when the rest points back at what was refused ("I don't
        // need the beanie, I've got the gloves. is it machine washable?"); "one" just after a thing the rest
        // names is that thing ("ok, forget the gloves. just tell me about the jacket one").
        let restPointsBack = signals.refersBack(Self.withoutOnesNamed(rest, restFound))
        understood.entities = found.filter { match in
            !isRefused(match) || recordIdentifiers.contains(match.entity) || restPointsBack
                || !found.contains { $0.entity == match.entity && !isRefused($0) }
        }
        understood.declined = declined
        return understood
    }

    /// `text` without the "one" just after a thing it names ("the jacket one" is "the jacket").
    static func withoutOnesNamed(_ text: String, _ found: [EntityMatch]) -> String {
        let lastWords = Set(found.compactMap { TextNormalizer.tokens($0.text).last })
        let tokens = TextNormalizer.tokens(text)
        return tokens.indices.filter { index in
            !(tokens[index] == "one" && index > 0 && lastWords.contains(tokens[index - 1]))
        }.map { tokens[$0] }.joined(separator: " ")
    }

    /// "Not gift cards", "not the Pine Club": the intents a clause sets aside, when it is a rejecting
    /// phrase (`correction.rejecting`, after `negation.fillers`) and nothing but words of their labels
    /// (besides `correction.fillers`). Only a label's words that name a thing count: not those common to the
    /// bot's requests (`commonWords`), nor a problem's or a delivery's ("not delivered", "not broken" say what
    /// is wrong), so "not in stock" sets nothing aside.
    ///
    /// Not a "not" after a word of something coming in the same sentence: "the parcel came but not the
    /// invoice" says what is missing ("I want to know about gifts, but not gift cards" sets them aside).
    func topicsSetAside(_ clause: Clause, in message: String) -> [String] {
        guard let after = signals.wordsAfter(.correctionRejecting, opening: clause) else { return [] }
        let fillers = signals.words(.correctionFillers)
        // ("It", "them": "I want to swap it, not return it" sets returning aside.)
        let pointing = signals.words(.refersBackWords)
        let named = after.filter { !fillers.contains($0) && !pointing.contains($0) }.map(AnswerSentences.singular)
        // Words that name a thing: not a state ("not delivered", "not wrapped", "not cancelled": a word
        // ending "ed", or one of a problem or of something coming), which says what is wrong.
        let unnaming = signals.words(.problemWords).union(signals.words(.arrivedGot))
        guard !named.isEmpty, !named.contains(where: { unnaming.contains($0) || $0.hasSuffix("ed") }),
              !signals.saysSomethingCame(before: clause.scalarRange.lowerBound, in: message) else { return [] }
        // The same word, or one but for its ending ("exchange" of "exchanging an order").
        return labelWords.filter { _, label in
            named.allSatisfy { word in label.contains { AnswerSentences.sameWord(word, $0) } }
        }.map(\.key).sorted()
    }

    private func readWhole(_ message: String, found: [EntityMatch], at now: Date, contexts: Set<String>, asking: String?) -> Understanding {
        if let rest = signals.afterDismissal(message), !rest.allSatisfy({ $0.isWhitespace || $0.isPunctuation }) {
            var understood = read(String(rest), found: entities.extract(from: String(rest), at: now, asking: asking), contexts: contexts)
            if case .fallback = understood.decision {} else {
                // The entities are the message's, with their places in it.
                understood.entities = found
                return understood
            }
        }
        return read(message, found: found, contexts: contexts)
    }

    private func read(_ message: String, found: [EntityMatch], contexts: Set<String>) -> Understanding {
        let erasureAllowed = erasureIntents.isEmpty || signals.namesCustomerOrTheirData(message) || !contexts.isDisjoint(with: erasureContexts)
        // Nor an intent the message's values rule out (`Intent.notWith`: an order number given asks not where to find one).
        let kinds = Set(found.map(\.entity))
        let allowed = { (intent: String) in
            contextNeeds.allows(intent, open: contexts) && (erasureAllowed || !erasureIntents.contains(intent))
                && (self.notWith[intent]?.isDisjoint(with: kinds) ?? true)
        }
        // Fillers ("when will it *actually* arrive") ask nothing: the ranker reads the message without them.
        let reading = signals.withoutFillers(reading.readingForm(of: message, found: found))
        var ranking = ranker.rank(reading, among: allowed)
        if let intent = patterns.match(message, allowed: allowed) {
            let winner = IntentCandidate(intent: intent, confidence: 1)
            ranking = [winner] + ranking.filter { $0.intent != intent }
            return Understanding(ranking: ranking, decision: .matched(winner), entities: found, byPattern: true)
        }
        var decision = policy.decide(ranking)
        // "Did you mean resetting your password, or forgetting a detail?": an intent that changes
        // something, below its `min_confidence`, gives way in the question to the next reading that
        // is sure enough and as close to the first. With none, the question stays as it was.
        if case .ambiguous(let first, let second) = decision, !isSureEnough(second),
           let next = ranking.first(where: { $0.intent != first.intent && $0.intent != second.intent && isSureEnough($0) }),
           first.confidence - next.confidence < policy.settings.clarifyMargin {
            decision = .ambiguous(first, next)
        }
        // "The later one is the mistake" is no goodbye, however surely "later" reads as one: a message that
        // tells a problem, in a word no goodbye's examples say ("mistake"; not "again" of "see you again
        // soon"), does not end the conversation, unless it says a word a quarter of them say ("thanks pip
        // you've been great, bye"). (Not a word pointing back: "great, will use this next time. see you".)
        if case .matched(let best) = decision, let intent = bot.intent(named: best.intent), intent.endsConversation {
            let said = vocabulary(of: intent)
            let problems = signals.words(.problemWords)
            let words = TextNormalizer.tokens(message)
            if words.contains(where: { problems.contains($0) && !said.contains($0) }),
               !words.contains(where: (namingWords[intent.name] ?? []).contains) {
                decision = .fallback(best: best)
            }
        }
        // (Deleting everything, asked for in so many words, less surely: "and delete my account and all the data
        // you have on me" after an unsubscribe reads as it at 0.83. It only asks for a yes before anything goes.)
        if case .matched(let best) = decision, !isSureEnough(best),
           !(erasureIntents.contains(best.intent) && best.confidence >= Self.sureOfDeletingItAll && signals.asksToDeleteItAll(message)) {
            // An intent that changes something ("stop asking me questions") answers only when the ranker is sure.
            decision = .fallback(best: best)
        }
        // Not a question the small talk's own examples speak to ("thank you so much?").
        // (After fillers too: "ok well how do I check it then" asks, whatever its "ok".)
        if case .matched(let best) = decision, Self.opensAsAQuestion(message) || profileReader.isQuestion(message), let intent = bot.intent(named: best.intent),
           intent.endsConversation || neverAsked.contains(best.intent) && !speaksTo(message, answer: "", intent: intent) {
            // A question is no farewell: "why so late" is close to "see you later", and ending
            // the session would cut the customer off mid-complaint. A declared pattern still may.
            // Nor is it an "ok" or a "thanks" ("so you're saying it's my problem?": "No problem!").
            decision = .fallback(best: best)
        }
        return Understanding(ranking: ranking, decision: decision, entities: found)
    }

    /// The entity a bare value in `text` names by being a key of its table:
    /// "where's 10443" names order HP-10443, since orders.csv has that row,
    /// though only "HP-10443" or "order 10443" reads as an order number
    /// unasked. Nil when no such value is in the text.
    public func bareKey(in text: String, at now: Date) -> String? {
        bot.entities.first { type in
            guard type.whenAsked != nil, let table = lookupTables[type.name].flatMap({ bot.tables[$0] }) else { return false }
            return entities.extract(from: text, at: now, asking: type.name).contains { $0.entity == type.name && table.row(for: $0.value) != nil }
        }?.name
    }

    /// Whether `thing` (a product named, say) is part of the row `value` of
    /// `entity` looks up: "my jumper" is in order HP-10442 ("a wool jumper
    /// and a mug"), so naming it does not move the conversation off the order.
    public func row(of entity: String, _ value: String, mentions thing: EntityMatch) -> Bool {
        guard let table = lookupTables[entity], let row = bot.tables[table]?.row(for: value) else { return false }
        return row.values.contains { Self.cell($0, mentions: thing) }
    }

    /// Whether a table's cell names the thing, by its value or as typed, alone or plural.
    public static func cell(_ cell: String, mentions thing: EntityMatch) -> Bool {
        let cellWords = TextNormalizer.tokens(cell)
        return [thing.value, thing.text].map(TextNormalizer.tokens).contains { words in
            guard let last = words.last else { return false }
            return CustomerSignals.holds(cellWords, phrase: words) || CustomerSignals.holds(cellWords, phrase: words.dropLast() + [last + "s"])
        }
    }

    /// Of several records named, the one whose row holds every thing named,
    /// when exactly one does ("HP-10442 and HP-10501 ... a smashed candle":
    /// HP-10501). Nil with no thing named, or with none or several holding them.
    public func soleHolder(of things: [EntityMatch], among records: [EntityMatch]) -> EntityMatch? {
        guard !things.isEmpty else { return nil }
        let holding = records.filter { record in things.allSatisfy { row(of: record.entity, record.value, mentions: $0) } }
        return Set(holding.map(\.value)).count == 1 ? holding.first : nil
    }

    /// A value of `entity` that the data row of a thing in focus holds in a
    /// column named after that entity: member PC-204518's `tier` column says
    /// Oak, so "what tier am I?" while the member is in focus is about Oak.
    /// The most recent thing in focus first; a cell that names no single
    /// value of the kind gives none.
    public func valueInFocusedRows(of entity: String, focus: Focus, at now: Date) -> String? {
        for item in focus.items {
            guard let table = lookupTables[item.entity], let row = bot.tables[table]?.row(for: item.value),
                  let cell = row["\(table).\(entity)"] else { continue }
            let values = Set(entities.extract(from: cell, at: now).filter { $0.entity == entity }.map(\.value))
            if values.count == 1 { return values.first }
        }
        return nil
    }

    /// A question by its form alone: a "?", or a question word opening it
    /// ("why so late"); not "dont need anything else thanks", whose "do not"
    /// `ProfileReader.isQuestion` would read as a question.
    static func opensAsAQuestion(_ text: String) -> Bool {
        if text.contains("?") { return true }
        let typed = text.split { !($0.isLetter || $0 == "'" || $0 == "’") }.first.map { TextNormalizer.fold(String($0)) }
        return typed.map { ["why", "what", "when", "where", "how", "who", "which", "whose", "whats", "what's", "hows", "how's",
                         "wheres", "where's", "whens", "when's", "whos", "who's"].contains($0) } ?? false
    }

    /// Whether a candidate reaches its intent's `min_confidence`, if it has one.
    public func isSureEnough(_ candidate: IntentCandidate) -> Bool {
        guard let floor = bot.intent(named: candidate.intent)?.minimumConfidence else { return true }
        return candidate.confidence >= floor
    }
}

/// How the engine read one customer message.
public struct Understanding: Hashable, Sendable {
    /// Every intent, best first.
    public var ranking: [IntentCandidate]
    public var decision: MatchDecision
    /// The entities found in the message, in the order they appear.
    public var entities: [EntityMatch]
    /// True when a declared pattern decided, not the ranker.
    public var byPattern = false
    /// Set when this message answered "did you mean A or B?": the message
    /// that raised the question, which the decision applies to.
    public var clarifiedMessage: String?
    /// Set when this message gave the slot the bot was asking for (or
    /// corrected one already given): the slot's name.
    public var slotAnswer: String?
    /// Set when this message answered a question of the bot's other than an
    /// intent's slot, for the debug view: "the profile question about first_name".
    public var answers: String?
    /// What the message said the customer does NOT want ("I don't want a
    /// person"): the intents its negated clauses read as, never answered.
    public var declined: [String] = []

    public init(
        ranking: [IntentCandidate], decision: MatchDecision, entities: [EntityMatch] = [],
        byPattern: Bool = false, clarifiedMessage: String? = nil
    ) {
        self.ranking = ranking
        self.decision = decision
        self.entities = entities
        self.byPattern = byPattern
        self.clarifiedMessage = clarifiedMessage
    }

    /// Of `intents`, the one the ranker puts highest (one it does not rank
    /// comes last); nil for none.
    public func highestRanked(_ intents: [Intent]) -> Intent? {
        func rank(_ name: String) -> Int { ranking.firstIndex { $0.intent == name } ?? Int.max }
        return intents.min { rank($0.name) < rank($1.name) }
    }

    /// The intent a transcript's INTENT names: the one answered, or none
    /// when the message answered one of the bot's own questions.
    public var turnIntent: String? {
        answers == nil ? matched?.intent : nil
    }

    /// The intent answered, if one was.
    public var matched: IntentCandidate? {
        if case .matched(let candidate) = decision { return candidate }
        return nil
    }

    /// The confidence a turn is recorded with: the answered intent's, else
    /// the top candidate's, whether or not it was trusted.
    public var confidence: Double {
        matched?.confidence ?? ranking.first?.confidence ?? 0
    }
}
