import Foundation

/// A customer message as the turn reads it: what it says, how the engine
/// read it, and what the rules have made of it so far.
struct Message {
    let text: String
    let at: Date
    var understanding: Understanding
    /// What the bot was waiting for when the message came.
    let awaited: Awaiting
    /// Whether it sounds clearly frustrated (or sarcastic).
    let frustrated: Bool
    /// Whether it is sarcastic, as said just after the bot's last reply ("great. brilliant." after an apology).
    var sarcastic = false
    /// Whether the message before ended with the bot saying it deleted
    /// nothing, an erasure having been set aside (`DialogueState.erasureSetAside`).
    var erasureSetAside = false
    /// The score of 1 or 2 given in the message before (`DialogueState.lowScore`).
    var lowScore: LowScore?
    /// Whether a request was gathering values when the rules came to it.
    var hadTask = false
    /// A request that was gathering values when the message asked something
    /// else: its question is asked again after the answer ("Now, back to...").
    var resumeAfter: (intent: Intent, slot: SlotSpec)?
    /// The details of the answer the message asks about ("is it free?"):
    /// their short answers are said instead of the whole answer.
    var details: [String] = []
    /// Whether it asks only when, once a person has the conversation
    /// (`Turn.asksOnlyWhen`), worked out once for the rules that ask.
    var onlyWhen: Bool?
    /// Whether it says when something was bought or came, naming the day
    /// (`Turn.noteNamedPastDay`): "bought it on 2 November".
    var toldPastDay = false
}

/// One step of reading a customer message: it claims the turn (returns what
/// the bot says and does) or passes, perhaps having read the message anew.
struct MessageRule: Sendable {
    /// What the rule is about, for people reading the list.
    let name: String
    let apply: @Sendable (inout Turn, inout Message) -> TurnOutcome?
}

extension Turn {
    /// What a customer message goes through, in order; the first rule that
    /// claims the turn answers it, and what none claims is answered by its
    /// decision (`respondToDecision`). Where a case is handled is found here:
    /// a no while the bot waited for a yes is in `answerAwaited`; a value for
    /// the order being asked about, in `readAsSlotAnswer`.
    static let messageRules: [MessageRule] = [
        MessageRule(name: "why a score was low, just after it") { $0.noteLowScoreReason(&$1) },
        MessageRule(name: "no goodbye in a refusal (\"No I don't want to wait. I want it sorted.\")") { $0.keepTalking(&$1) },
        MessageRule(name: "the problem solved (\"actually sorry, found it, ignore me\")") { $0.takeItAsSolved(&$1) },
        MessageRule(name: "an answer to what the bot waits for") { $0.answerAwaited(&$1) },
        MessageRule(name: "going ahead with an erasure set aside (\"do it anyway\")") { $0.goAheadWithErasure(&$1) },
        MessageRule(name: "someone else's details asked for (\"can you tell me her phone number?\")") { $0.refuseSomeoneElsesDetails(&$1) },
        MessageRule(name: "someone else's record, not read out, asked about again (\"can you at least tell me what she ordered?\")") { $0.keepSomeoneElsesRecordClosed(&$1) },
        MessageRule(name: "a value taken back in the same message (\"HP-10501, no wait I mean HP-10610\")") { $0.keepTheCorrectedValue(&$1) },
        MessageRule(name: "a score given unasked (\"I'd give you 2 out of 10\")") { $0.takeAnUnaskedScore(&$1) },
        MessageRule(name: "facts the customer told about themselves") { $0.noteVolunteeredFacts(&$1) },
        MessageRule(name: "a total asked of things named (\"a blanket and a candle as a gift, how much together\")") { $0.answerTheTotalAsked(&$1) },
        MessageRule(name: "a question in words only the record in focus holds (\"who is K Patel??\")") { $0.answerFromTheRecordsOwnWords(&$1) },
        MessageRule(name: "asking the bot to do what it described") { $0.answerRequestToAct(&$1) },
        MessageRule(name: "the answer to \"did you mean A or B?\"") { $0.readAsChoice(&$1) },
        MessageRule(name: "a value for the request gathering values") { $0.readAsSlotAnswer(&$1) },
        MessageRule(name: "a correction, or a value for the last answer") { $0.readAsCorrection(&$1) },
        MessageRule(name: "the day something was bought, for the last answer (\"bought it on 2 November\")") { $0.answerForTheDayTold(&$1) },
        MessageRule(name: "more told while a person is offered (\"ordered it like 10th nov\")") { $0.offerThePersonAgain(&$1) },
        MessageRule(name: "what happened, told after an answer that asks for it (\"a tall man at the tills rolled his eyes\")") { $0.takeWhatWasTold(&$1) },
        MessageRule(name: "\"how do I do that?\": the request the conversation is on") { $0.referToTheSubject(&$1) },
        MessageRule(name: "records named in a message read weakly two ways (\"HP-10442 and HP-10443. One came, the other didn't.\")") { $0.lookUpTheRecordsNamed(&$1) },
        MessageRule(name: "a near tie not worth asking about") { $0.settleNearTie(&$1) },
        MessageRule(name: "a near tie of two requests about the thing named (\"do you have the beanie in navy\")") { $0.answerBothReadings(&$1) },
        MessageRule(name: "a person asked for beside the request just answered (\"... and someone to actually look into it\")") { $0.takeThePersonAsked(&$1) },
        MessageRule(name: "a thing the order in focus holds, asked about coming (\"are the boots coming separately?\")") { $0.askWhenAThingOfTheRecordComes(&$1) },
        MessageRule(name: "one detail of an answer (\"is it free?\")") { $0.answerDetail(&$1) },
        MessageRule(name: "a short follow-up in the words of the request just answered (\"what temperature\")") { $0.keepToTheWordsOfTheLastRequest(&$1) },
        MessageRule(name: "sarcasm (\"thanks for nothing\")") { $0.answerSarcasm(&$1) },
        MessageRule(name: "a weak reading of a problem the message does not tell (\"thats the one with the rain jacket yeah?\")") { $0.noProblemUntold(&$1) },
        MessageRule(name: "a follow-up about what is in focus") { $0.leanOnFocus(&$1) },
        MessageRule(name: "still a problem with the record just read out (\"my bank says nothing came in\")") { $0.stillAProblemWithTheRecord(&$1) },
        MessageRule(name: "a weak reading that leaves the topic") { $0.keepToTheTopic(&$1) },
        MessageRule(name: "a weak reading after a handoff") { $0.leaveToTheTeam(&$1) },
        MessageRule(name: "a part of the last answer (\"where do I send the photos?\")") { $0.pointToTheLastAnswer(&$1) },
        MessageRule(name: "only what the customer does not want") { $0.acknowledgeDeclined(&$1) },
        MessageRule(name: "two requests in one message") { $0.answerEachRequest(&$1) },
        MessageRule(name: "a record named in a message read as nothing (\"just checking HP-10501 was the candles\")") { $0.lookUpWhatIsNamed(&$1) },
        MessageRule(name: "an introduction that gives no name (\"just wet and smells a bit now\")") { $0.noIntroductionWithoutAName(&$1) },
        MessageRule(name: "a question about a thing named, in the words of its row (\"gloves - do they do touchscreen ones\")") { $0.answerFromTheRowNamed(&$1) },
    ]

    /// A customer message: read, then passed through `messageRules`.
    mutating func receive(_ text: String, at: Date) -> TurnOutcome {
        guard state.phase != .ended else {
            return TurnOutcome(replies: [], understanding: nil, changes: [], effects: [])
        }
        if let refused = refuseUnreadable(text, at: at) { return refused }
        // A bare "10443" is an order number in answer to "What's your order
        // number?", or while an order is what the conversation is about
        // ("wrong number, it's 10501 not 10443").
        // So is one that is a row of the table its kind is looked up in ("where's 10443").
        let asking: String? = if case .slot(let filling) = state.awaiting {
            engine.bot.intent(named: filling.intent)?.slots.first { $0.name == filling.asking }?.entity
        } else {
            engine.bot.entities.first { $0.whenAsked != nil && state.focus.value(for: $0.name) != nil }?.name
                ?? engine.bareKey(in: text, at: at)
        }
        // What the customer said is kept as said; what is read leaves out a key they corrected at once.
        let said = text
        let heard = engine.withoutCorrectedKeys(text, at: at, asking: asking)
        var understanding = readingClearLead(engine.understand(heard, at: at, contexts: Set(state.contexts.keys), asking: asking), of: heard)
        // "Thanks so much. When will it get here?": the question is what the rules read.
        let asked = questionBesidePleasantries(heard, understanding, at: at, asking: asking)
        if let asked { understanding = asked.understanding }
        var text = asked?.text ?? heard
        // "The candles one yeah. wheres that": the order talked about that holds the candles, by its number.
        if let named = recordNamedByItsThing(text, understanding) {
            text = named
            understanding = engine.understand(named, at: at, contexts: Set(state.contexts.keys), asking: asking)
        }
        if let listed = thingListed(pointedAtBy: text, understanding.entities, at: at) { understanding.entities.append(listed) }
        if let own = ownRecordsRequest(text, understanding) { understanding.decision = .matched(own) }
        // A message in another language that the bot could not read gets the
        // other-language reply rather than "could you rephrase?" (with the
        // sentence encoder, which knows 16 languages, most are read). One
        // that answers a question, or names an order, goes on to be read.
        // A follow-up, in a conversation on a request or after a handoff, goes through the rules first
        // ("et l'adresse ?" after a shop's hours); what none of them reads gets the same reply, or, after
        // a handoff, when a person will answer (`respondToDecision`).
        if case .fallback = understanding.decision, case .nothing = state.awaiting, understanding.entities.isEmpty,
           state.focus.subject == nil, state.handedOffAt == nil, signals.isInOtherLanguage(text) {
            return politeRefusal(say(engine.bot.ladder.otherLanguage, .otherLanguage), storing: said, at: at)
        }
        let withTheTeam = state.handedOffAt != nil
        let saidLast = state.lastBotReply
        state.turns = state.turns.incremented()
        state.nudged = false
        // Contexts count down with each message; an intent answered below may open one again.
        state.contexts = state.contexts.compactMapValues { $0 > 1 ? $0 - 1 : nil }
        state.remember(.customer, said)
        if state.firstMessage == nil { state.firstMessage = said }
        // "I don't want a refund, I just want the jumper": what the customer refuses holds from here on, read in
        // the words after the refusal's cue (so "I don't want a replacement", a phrase of the refund detail
        // whole, refuses no refund); until a clause asks for it ("I don't want a replacement, I want a refund").
        for clause in signals.clauses(text) {
            if clause.negated {
                let refused = signals.wordsAfter(.negationCues, opening: clause).map { $0.joined(separator: " ") } ?? ""
                for detail in signals.detailsAsked(refused).details where state.declinedDetails?.contains(detail) != true {
                    state.declinedDetails = (state.declinedDetails ?? []) + [detail]
                }
            } else {
                let asked = signals.detailsAsked(String(clause.text)).details
                state.declinedDetails?.removeAll(where: asked.contains)
                // "I bought it in the manchester shop about 3 weeks ago, paid cash, no receipt": what a statement tells holds
                // from here on; only before a word that denies ("I didn't pay in cash" tells nothing).
                let negations = signals.words(.stillAProblemNegations)
                if !engine.profileReader.isQuestion(String(clause.text)) {
                    let affirmed = TextNormalizer.tokens(String(clause.text)).prefix { !negations.contains($0) }.joined(separator: " ")
                    for detail in signals.detailsAsked(affirmed).details where state.toldDetails?.contains(detail) != true {
                        state.toldDetails = (state.toldDetails ?? []) + [detail]
                    }
                }
            }
        }
        // "Sorry I mixed them up, it's the socks that came": things said to have come, none of them what was kept as
        // come though not sent (`cameNotSent`), take that back, whichever rule answers the message.
        if let kept = state.cameNotSent, kept.count > 1 {
            let came = signals.clausesSayingOnlyWhatCame(text).flatMap { engine.entities.extract(from: String($0.text), at: at) }
                .filter { engine.focusEntities.contains($0.entity) && !engine.recordIdentifiers.contains($0.entity) }
            if !came.isEmpty, !came.contains(where: { kept.dropFirst().contains($0.value) }) { state.cameNotSent = nil }
        }
        // What the conversation is about fades a step with every message.
        // The customer's own membership number stays: one whose record a request read out (never one
        // named as someone else's, which is not read out).
        let readOut = Set((state.recordsReadOut ?? [:]).values.joined()), lasting = engine.lastingFocus
        state.focus.fade { lasting.contains($0.entity) && readOut.contains($0.value) }
        let toldPastDay = noteNamedPastDay(text, understanding.entities, at: at)
        askedJustBefore = state.awaiting.task.flatMap { filling in
            engine.bot.intent(named: filling.intent)?.slots.first { $0.name == filling.asking }?.entity
        }
        arrivals = engine.bot.deliveryEstimates?.placeholders(ordered: at, in: engine.bot.timeZone, calendar: engine.bot.calendar) ?? [:]
        seasons = engine.bot.seasons(today: CalendarDay(at, in: engine.bot.timeZone))
        let sarcastic = signals.isSarcastic(said, after: state.lastBotReply)
        askedHowTheyHear = state.handedOffAt != nil && signals.speaksOfAReply(said)
        var message = Message(text: text, at: at, understanding: understanding, awaited: state.awaiting,
                              frustrated: signals.isFrustrated(said) || sarcastic, sarcastic: sarcastic,
                              erasureSetAside: state.erasureSetAside == true, lowScore: state.lowScore,
                              toldPastDay: toldPastDay)
        state.erasureSetAside = nil
        state.lowScore = nil
        let saidEarlier = sentencesSaidLately()
        var claimed: TurnOutcome?
        for rule in Self.messageRules {
            claimed = rule.apply(&self, &message)
            if claimed != nil { break }
        }
        var outcome = claimed ?? respondToDecision(&message)
        // Never the last reply again word for word: one that offers a person ("...: shall I pass you to someone
        // in our team?" once more, after "I've checked my bank three times, nothing") says it heard, and asks again.
        // (Not another question said again on purpose: what an erasure deletes, "however often".)
        // (A question asked again is answered again: "will I lose my points" after the same answer.)
        if outcome.replies.count == 1, let only = outcome.replies.first, only == saidLast, only.count > Self.shortReply,
           !said.contains("?"), !engine.profileReader.isQuestion(said), case .person = state.awaiting,
           let question = Self.fromTheQuestionOn(only), question != only {
            say(replacing: &outcome, with: [say(engine.bot.ladder.noted, .noted) + " " + question])
        }
        // With the team since before this message: an answer's "ask me for a person and we'll chase it" as what
        // the team will do (bot.yaml `with_the_team`).
        if withTheTeam { say(replacing: &outcome, with: outcome.replies.map(engine.bot.ladder.forTheTeam)) }
        return withoutSentencesSaid(saidEarlier, in: outcome, asked: said, naming: message.understanding.entities).recording(said, if: asked != nil)
    }

    /// `outcome` with `replies` said instead of its own: what the bot remembers saying, and the turn it stores.
    mutating func say(replacing outcome: inout TurnOutcome, with replies: [String]) {
        guard replies != outcome.replies else { return }
        state.replaceLastReplies(outcome.replies, with: replies)
        outcome.effects = outcome.effects.map { effect in
            guard case .recordTurn(var turn) = effect, turn.replies == outcome.replies else { return effect }
            turn.replies = replies
            return .recordTurn(turn)
        }
        outcome.replies = replies
    }

    /// How many of the bot's latest lines a sentence said again is looked for in (`withoutSentencesSaid`).
    static let repeatWindow = 6
    /// The most words a sentence naming a record may have to be its heading (`withoutSentencesSaid`).
    static let headingWords = 25

    /// The sentences of the bot's latest lines (`repeatWindow`), before this
    /// turn's, and the record the last answer was about, looked up by an
    /// identifier (`Engine.recordIdentifiers`: an order's number, not a shop's name).
    func sentencesSaidLately() -> (sentences: Set<String>, record: String?) {
        let sentences = Set(state.recent.filter { $0.speaker == .bot }.suffix(Self.repeatWindow).flatMap { AnswerSentences.split($0.text) })
        let recordSlots = Set(engine.bot.intents.compactMap(\.lookupSlot).filter { engine.recordIdentifiers.contains($0.entity) }.map(\.name))
        let record = state.slots.filter { recordSlots.contains($0.key) }.values.sorted().first
        return (sentences, record)
    }

    /// The turn's replies without the opening sentences, of a few words
    /// (`headingWords`), that say where the record the last answer was about
    /// stands, said in the bot's latest lines (`sentencesSaidLately`): "Order HP-10442 (a wool jumper and a mug) is
    /// on its way: it's 12 days late, and I'm sorry." again before which
    /// parcel each thing is in tells the customer nothing new. A reply is
    /// left whole when nothing but a question would be left, when it says it
    /// was said before ("As I said: ..."), or when the customer asks for it
    /// again or names the record.
    mutating func withoutSentencesSaid(_ said: (sentences: Set<String>, record: String?), in outcome: TurnOutcome, asked text: String,
                                       naming named: [EntityMatch]) -> TurnOutcome {
        let earlier = said.sentences
        guard !earlier.isEmpty, !signals.asksAgain(text), !chosen.contains(where: { $0.source == .saidBefore }) else { return outcome }
        // Only the record the last answer was about: after another one, a heading says which is meant again
        // ("and the other order?"). Nor one the message names ("hold on, where is HP-10443?").
        // (Named as typed: "it was a jumper and a mug" names it by its things, which is no asking for it.)
        guard let record = said.record, !named.contains(where: { $0.value == record && text.contains($0.text) }) else { return outcome }
        // A message that points at a record by its place ("and the first one, can i cancel that") is told
        // which one the answer is about.
        guard signals.listedPosition(text) == nil else { return outcome }
        // Words the message asks about that a heading says ("is it late?": "it's 12 days late") make it the
        // answer; the things the record holds, in brackets, do not ("it was a jumper and a mug, ...").
        let asking = Set(engine.tellingWords(of: text, atLeast: 4))
        func answers(_ sentence: String) -> Bool {
            let outsideBrackets = sentence.replacingOccurrences(of: #"\([^)]*\)"#, with: " ", options: .regularExpression)
            let words = TextNormalizer.tokens(outsideBrackets)
            return asking.contains { word in words.contains { AnswerSentences.sameWord($0, word) } }
        }
        func repeats(_ sentence: String) -> Bool {
            earlier.contains(sentence) && !sentence.hasSuffix("?") && sentence.contains(record)
                && TextNormalizer.tokens(sentence).count <= Self.headingWords && !answers(sentence)
        }
        var changed: [String: String] = [:]
        for reply in outcome.replies {
            let sentences = AnswerSentences.split(reply)
            let kept = Array(sentences.drop(while: repeats))
            // What is left must tell something, not only ask ("Could you check the number on your confirmation email?").
            guard kept.contains(where: { !$0.hasSuffix("?") }), kept.count < sentences.count else { continue }
            changed[reply] = kept.joined(separator: " ")
        }
        guard !changed.isEmpty else { return outcome }
        var result = outcome
        result.replies = outcome.replies.map { changed[$0] ?? $0 }
        result.effects = outcome.effects.map { effect in
            guard case .recordTurn(var turn) = effect else { return effect }
            turn.replies = turn.replies.map { changed[$0] ?? $0 }
            return .recordTurn(turn)
        }
        // The conversation remembers the whole reply: the rules that never say an answer twice compare
        // whole answers ("can i cancel it" three times is not answered three times alike), and the team
        // reading a handoff sees which order each reply was about.
        return result
    }

    /// "I'm in the pine club, number PC-300771, do I get free delivery?": read as a request that looks
    /// nothing up (how the club works), while the message names the key of the one request of the
    /// same topic that looks it up and has the detail asked (the member's points and tier, whose
    /// `free_delivery` says what their own tier gives): that request, for the customer's own record.
    func ownRecordsRequest(_ text: String, _ understanding: Understanding) -> IntentCandidate? {
        guard !state.awaiting.readsTheNextMessage, let matched = understanding.matched,
              let intent = engine.bot.intent(named: matched.intent), intent.isPlainRequest else { return nil }
        // Only the customer's own membership (a key whose focus lasts the conversation), never one named as
        // someone else's ("my husband's number is PC-300771, does he get free delivery?" reads no record out);
        // an order's number beside "how much is delivery" or "how long does it take" asks the general answer.
        let keys = Set(understanding.entities.filter { found in
            engine.lastingFocus.contains(found.entity) && !namesAsSomeoneElses(found, in: text)
        }.map(\.entity)).intersection(engine.lookupKeyEntities)
        guard !keys.isEmpty, !intent.slots.contains(where: { keys.contains($0.entity) }) else { return nil }
        let asked = signals.detailsAsked(text).details
        guard !asked.isEmpty else { return nil }
        let owners = engine.bot.intents.filter { other in
            other.topic == intent.topic && other.isPlainRequest && other.lookupSlot.map { keys.contains($0.entity) } == true
                && other.details.contains { asked.contains($0.name) }
        }
        guard owners.count == 1, let owner = owners.first else { return nil }
        return IntentCandidate(intent: owner.name, confidence: matched.confidence)
    }

    /// "The candles one yeah. wheres that", "and the jacket one, how do I return it": a thing
    /// followed by a word that makes it a record's name (`refers_back.by_thing`: "one", "order")
    /// names the record talked about (in focus, or displaced from it) that holds the thing, when
    /// exactly one does; the text with the record's key in its place, or nil.
    func recordNamedByItsThing(_ text: String, _ understanding: Understanding) -> String? {
        // Not while the bot waits for a value, a choice or an answer of its own ("the candles one yes" to the erasure question).
        guard !state.awaiting.readsTheNextMessage else { return nil }
        let scalars = Array(text.unicodeScalars)
        // "Hi its me again about the jumper and mug": coming back to a record, named by a thing it holds.
        if signals.holds(TextNormalizer.tokens(text), .refersBackComingBack) {
            for thing in understanding.entities where engine.focusEntities.contains(thing.entity) && !engine.recordIdentifiers.contains(thing.entity)
                && thing.end <= scalars.count && !signals.isRejected(thing, in: text) {
                for kind in engine.recordIdentifiers.sorted() where engine.listedKinds[kind]?.contains(thing.entity) == true {
                    let holding = state.focus.values(for: kind).filter { engine.row(of: kind, $0, mentions: thing) }
                    guard holding.count == 1, let key = holding.first else { continue }
                    var replaced = scalars
                    replaced.replaceSubrange(thing.start..<thing.end, with: Array(key.unicodeScalars))
                    return String(String.UnicodeScalarView(replaced))
                }
            }
        }
        let after = signals.words(.refersBackByThing)
        // Not one turned down ("not the blanket one"), which says which record is not meant.
        for thing in understanding.entities where engine.focusEntities.contains(thing.entity) && !engine.recordIdentifiers.contains(thing.entity)
            && thing.end <= scalars.count && !signals.isRejected(thing, in: text) {
            let spaces = scalars[thing.end...].prefix { $0 == " " }.count
            let word = String(String.UnicodeScalarView(scalars[(thing.end + spaces)...].prefix { $0.properties.isAlphabetic }))
            guard after.contains(word.lowercased()) else { continue }
            // Then the end, a mark ("the jacket one, can I..."), or a word that goes on about it ("the candles
            // one yeah", "the jumper one hasn't come"): not "the blanket one size", "the mug one side is chipped".
            let next = thing.end + spaces + word.unicodeScalars.count
            if next < scalars.count {
                let following = scalars[next...]
                if let category = following.first?.properties.generalCategory,
                   [.nonspacingMark, .enclosingMark, .spacingMark].contains(category) { continue }
                let nextWord = String(String.UnicodeScalarView(following.drop { $0 == " " }.prefix { $0.properties.isAlphabetic || $0 == "'" }))
                if !nextWord.isEmpty, let first = TextNormalizer.tokens(nextWord).first, !signals.words(.refersBackByThingThen).contains(first) { continue }
            }
            // Only for a message read weakly, or as a request of that record: "how much is the mug one" asks the price.
            let read = understanding.matched
            for kind in engine.recordIdentifiers.sorted() where engine.listedKinds[kind]?.contains(thing.entity) == true {
                if let read, read.confidence >= Self.weakReading,
                   engine.bot.intent(named: read.intent)?.lookupSlot?.entity != kind { continue }
                let holding = state.focus.values(for: kind).filter { engine.row(of: kind, $0, mentions: thing) }
                guard holding.count == 1, let key = holding.first else { continue }
                // The thing and the word after it give way to the key: "the HP-10501 yeah. wheres that".
                var replaced = scalars
                replaced.replaceSubrange(thing.start..<next, with: Array(key.unicodeScalars))
                return String(String.UnicodeScalarView(replaced))
            }
        }
        return nil
    }

    /// "Thanks so much. When will it get here?", "Wow, amazing. And when was
    /// it dispatched?": read whole, thanks or praise; but the message asks a
    /// question beside it, which is what the customer wants answered (and
    /// praise beside a question after a let-down is likelier sarcasm than
    /// praise; "thanks. when will it arrive now?" is no detail of the last
    /// answer that "when" might ask). The clauses at the start or the end that
    /// read alone as a pleasantry (`Intent.isPleasantry`: surely, when the
    /// whole message reads as something else), name nothing and are no yes or
    /// no are set aside, and the rest is read instead, when it is a question
    /// that is no pleasantry itself. A message whose whole reading is no
    /// pleasantry is so read only while nothing waits; one that is, also
    /// while a yes or no to a person or a check-back waits, which a question
    /// with thanks does not answer. Never while a value, a choice, a profile
    /// answer or feedback waits ("thanks, but when?" to "which order?" is that
    /// question's to read).
    func questionBesidePleasantries(_ text: String, _ understanding: Understanding, at: Date, asking: String?)
        -> (text: String, understanding: Understanding)? {
        let pleasantry = { (reading: Understanding) -> Bool in
            reading.ranking.first.flatMap { engine.bot.intent(named: $0.intent) }?.isPleasantry == true
        }
        guard !state.awaiting.readsTheNextMessage else { return nil }
        // Read whole as a request, only when nothing waits: "right, so it's lost then? what happens
        // now?" to an offer of a person is that offer's to read, as it was typed.
        let wholeIsPleasantry = pleasantry(understanding)
        guard wholeIsPleasantry || state.awaiting == .nothing else { return nil }
        // The clauses ("Wow | great service | my candles turned up smashed | Brilliant").
        let clauses = signals.clauses(text)
        guard clauses.count >= 2 else { return nil }
        let contexts = Set(state.contexts.keys)
        // Read as a pleasantry (surely, when the whole is read as something else), naming nothing ("I
        // bought a jacket in the York shop" tells what the question is about), and no yes or no ("no
        // thanks. when will it come?" turns an offer down).
        func setsAside(_ clause: Clause) -> Bool {
            guard !clause.negated, signals.yesNo(String(clause.text)) == nil else { return false }
            let reading = engine.understand(String(clause.text), at: at, contexts: contexts)
            return (wholeIsPleasantry || reading.matched != nil) && pleasantry(reading) && reading.entities.isEmpty
        }
        // Only the clauses at the ends are set aside: when neither is, the others need no reading.
        // (There are two clauses or more.)
        let opening = setsAside(clauses[0]), closing = setsAside(clauses[clauses.count - 1])
        guard opening || closing else { return nil }
        let setAside = [opening] + clauses.dropFirst().dropLast().map(setsAside) + [closing]
        guard let first = setAside.firstIndex(of: false), let last = setAside.lastIndex(of: false), setAside.contains(true) else { return nil }
        // From the first clause asked to the end of the last, with its question mark; without a pleasantry
        // between ("oh brilliant, 'being processed'. very helpful. is there any actual date").
        let end = last == clauses.count - 1 ? text.endIndex : clauses[last + 1].text.startIndex
        // (Only when the last clause left asks, in three words or more: "thanks! how kind. lovely. the candles
        // arrived safely" is thanks, whatever "how kind" opens with.)
        let contiguous = setAside[first...last].allSatisfy { !$0 }
        let rest: String
        if contiguous {
            rest = String(text[clauses[first].text.startIndex..<end]).trimmingCharacters(in: .whitespaces.union(.init(charactersIn: ",;")))
        } else {
            let lastAsked = String(clauses[last].text)
            guard TextNormalizer.tokens(lastAsked).count >= 3, engine.profileReader.isQuestion(lastAsked) else { return nil }
            let kept = (first...last).filter { !setAside[$0] }.map { String(clauses[$0].text) }
            let mark = text[clauses[last].text.endIndex..<end].contains("?") ? "?" : ""
            rest = kept.joined(separator: ". ") + mark
        }
        let reading = readingClearLead(engine.understand(rest, at: at, contexts: contexts, asking: asking), of: rest)
        guard !pleasantry(reading) else { return nil }
        // A question; or, when the whole was read as praise and is sarcastic, a statement that tells a
        // problem, read without the praise as a request that answers every detail it asks ("Wow, great
        // service, my candles from HP-10501 turned up smashed. Brilliant.": the damage, not a compliment;
        // but "Great, another order gone missing. HP-10442." asks whether the order is lost, which the
        // missing items it is read as do not say). Thanks beside a statement ("thank you, my order was
        // late but it arrived safely. Great service!", "haha ok, its Chris") is read as it was.
        if engine.profileReader.isQuestion(rest) || !contiguous { return (rest, reading) }
        // (Or praise beside a statement read surely as a request whose answer for anyone apologises: "ordered
        // a scarf HP-10702 and got a BEANIE. brilliant. well done." is no compliment, though it says no angry word;
        // unless a word of it says the praise is meant: "thank you so much! my mug arrived chipped and the new
        // one came in two days. amazing", `sarcasm.sincere_words`.)
        guard wholeIsPleasantry, let read = reading.matched, engine.isSureEnough(read),
              let intent = engine.bot.intent(named: read.intent),
              signals.isSarcastic(text, after: state.lastBotReply) && signals.mentionsProblem(rest)
                  || read.confidence >= Self.sureReading && intent.isPlainRequest
                  && !TextNormalizer.tokens(text).contains(where: signals.words(.sarcasmSincereWords).contains)
                  && intent.responses.first(where: { $0.condition == nil }).map({ signals.apologises($0.render(engine.bot.variables)) }) == true,
              signals.detailsAsked(rest).details.allSatisfy({ asked in intent.details.contains { $0.name == asked } }) else { return nil }
        return (rest, reading)
    }

    /// "Ooh how much is the first one?" just after a reply that named the
    /// jumper, the blanket and the candles: the thing the message points at by
    /// its place among those the bot's last turn named (of the kind named
    /// first: products, shops, orders), when the message names none itself.
    /// It is the message's value, as if the customer had typed it.
    func thingListed(pointedAtBy text: String, _ entities: [EntityMatch], at: Date) -> EntityMatch? {
        guard let position = signals.listedPosition(text), !entities.contains(where: { engine.focusEntities.contains($0.entity) }) else { return nil }
        let named = engine.entities.extract(from: state.lastBotTurn.joined(separator: " "), at: at)
            .filter { engine.focusEntities.contains($0.entity) }
        guard let kind = named.first?.entity else { return nil }
        var values: [String] = []
        for found in named where found.entity == kind && !values.contains(found.value) { values.append(found.value) }
        let index = position < 0 ? values.count + position : position
        guard values.indices.contains(index) else { return nil }
        return EntityMatch(entity: kind, text: values[index], value: values[index], start: 0, end: 0)
    }

    /// "Bought it 5 weeks ago", "it only arrived today": in a message that
    /// says when something was bought or came (`purchase.words`), the latest
    /// day named up to today (a built-in date), kept for the conversation
    /// until another such message names one; and how many days before this
    /// message the day kept is, for `Bot.timeLimits`. A day named for anything
    /// else ("a member since March") is not kept. Whether this message named one.
    mutating func noteNamedPastDay(_ text: String, _ entities: [EntityMatch], at: Date) -> Bool {
        guard !engine.bot.timeLimits.isEmpty else { return false }
        let today = CalendarDay(at, in: engine.bot.timeZone)
        var toldNow = false
        // ("It's been 5 weeks, is that too late?" asks whether the day named is in time: it is the one measured.)
        // Besides the dates found, "been about 5 weeks" and "5 weeks since" count back as "5 weeks ago" does.
        // (Not a day of something else: "it's been 2 weeks since I sent it back, is that ok?")
        let told = signals.tellsWhenBought(text)
            || signals.asksIfInTime(text) && !TextNormalizer.tokens(text).contains(where: signals.words(.purchaseOtherEvents).contains)
        let spans = told ? DateRecognizer.spansWrittenAsAgo(text).map { engine.entities.extract(from: $0, at: at) } ?? [] : []
        if told, let latest = (entities + spans).filter({ engine.dateEntities.contains($0.entity) })
            .compactMap({ CalendarDay(iso: $0.value) }).filter({ $0.days(to: today) >= 0 }).max() {
            state.namedPastDay = latest.description
            toldNow = true
        }
        let named = state.namedPastDay.flatMap(CalendarDay.init(iso:))
        daysSinceNamedDay = named.map { $0.days(to: today) }
        extendedLimits = named.map { day in Set(engine.bot.limitExtensions.filter { $0.value.covers(day, today: today) }.keys) } ?? []
        return toldNow
    }

    /// "¿Envían a España?": in another language every word is new to the
    /// bot's examples, so the words' coverage scales the reading down
    /// (shipping abroad at 0.12, under the threshold), however clearly the
    /// sentence encoder points to it. With the encoder, a message in another
    /// language whose best reading is `otherLanguageLead` times the next and
    /// at least half the threshold (and sure enough for its intent's
    /// `min_confidence`) is taken as that reading.
    func readingClearLead(_ understanding: Understanding, of text: String) -> Understanding {
        guard engine.matcher.usesEncoder, case .fallback(let best?) = understanding.decision,
              best.intent == understanding.ranking.first?.intent,
              best.confidence * 2 >= engine.policy.settings.confidenceThreshold,
              best.confidence >= Self.otherLanguageLead * (understanding.ranking.dropFirst().first?.confidence ?? 0),
              engine.isSureEnough(best), signals.isInOtherLanguage(text) else { return understanding }
        var understanding = understanding
        understanding.decision = .matched(best)
        return understanding
    }

    /// How many times the next reading the best one of a message in another
    /// language must be, to be taken below the threshold.
    static let otherLanguageLead = 4.0

    /// Messages the bot will not read get a polite reply, not a crash or a
    /// guess: too long to be a question, or in a script other than Latin when
    /// it matches on words alone (which are English).
    mutating func refuseUnreadable(_ text: String, at: Date) -> TurnOutcome? {
        if text.count > FallbackLadder.longestMessage {
            let kept = String(text.prefix(FallbackLadder.longestMessage))
            return politeRefusal(say(engine.bot.ladder.tooLong, .tooLong, extra: ["limit": Self.grouped(FallbackLadder.longestMessage)]),
                                 storing: kept, at: at)
        }
        if !engine.matcher.usesEncoder, CustomerSignals.isMostlyOtherScript(text) {
            return politeRefusal(say(engine.bot.ladder.otherLanguage, .otherLanguage), storing: text, at: at)
        }
        return nil
    }

    mutating func answerAwaited(_ message: inout Message) -> TurnOutcome? {
        answerAwaited(message.awaited, text: message.text, understanding: &message.understanding, at: message.at)
    }

    /// "No I don't want to 'wait another few days'. I want it sorted.", read
    /// as "that's all" at 0.96: a message that refuses something is no
    /// goodbye, whatever the rest of its words read as; the chat never ends on
    /// it. It is read as nothing (and, to an offer of a person, "I want it
    /// sorted" asks the bot to act: a yes). "Useless, bye" may still leave. Claims nothing.
    mutating func keepTalking(_ message: inout Message) -> TurnOutcome? {
        // Nor in a message that says the answer did not help ("that did not help me at all", read as all done at 0.54).
        guard let read = message.understanding.matched, engine.bot.intent(named: read.intent)?.endsConversation == true,
              !message.understanding.declined.isEmpty || signals.saysStillAProblem(message.text) else { return nil }
        message.understanding.decision = .fallback(best: read)
        return nil
    }

    /// "Do it anyway", "yes delete it" right after the bot said it deleted
    /// nothing, since another question of the customer's came instead of a
    /// yes: the erasure request again, so its question (which says what will
    /// be lost) is asked again. Never an erasure without that yes, and never
    /// "Okay", which would seem to say it was done.
    mutating func goAheadWithErasure(_ message: inout Message) -> TurnOutcome? {
        guard message.erasureSetAside, signals.confirmsErasure(message.text),
              message.understanding.matched.flatMap({ engine.bot.intent(named: $0.intent) })?.action != .eraseCustomer,
              let erasure = engine.bot.intents.first(where: { $0.action == .eraseCustomer }) else { return nil }
        message.understanding.decision = .matched(IntentCandidate(intent: erasure.name, confidence: 1))
        return nil
    }

    /// "HP-10501, no wait I mean HP-10610": two values of one kind in a
    /// message that says it corrects itself ask about the last one only,
    /// never both (two answers, one of them unwanted).
    mutating func keepTheCorrectedValue(_ message: inout Message) -> TurnOutcome? {
        guard signals.saysCorrection(message.text) else { return nil }
        let scalars = Array(message.text.unicodeScalars)
        for kind in Set(message.understanding.entities.map(\.entity)) {
            let values = message.understanding.entities.filter { $0.entity == kind }
            guard Set(values.map(\.value)).count >= 2, let last = values.max(by: { $0.start < $1.start }),
                  let first = values.min(by: { $0.start < $1.start }), first.end <= last.start else { continue }
            // Only what the message takes back: the correction stands between the two ("HP-10501, no
            // wait I mean HP-10610"), not "I asked about HP-10501 and HP-10610".
            let between = String(String.UnicodeScalarView(scalars[first.end..<last.start]))
            guard signals.saysCorrection(between) else { continue }
            message.understanding.entities.removeAll { $0.entity == kind && $0.value != last.value }
        }
        return nil
    }

    /// "I'm Sam", "I live in Leeds": noted; when that is all the message
    /// says, the confirmation is the reply, and it is no miss.
    mutating func noteVolunteeredFacts(_ message: inout Message) -> TurnOutcome? {
        // While the erasure's question waited, and this message did not say no to it ("no don't, my email is
        // sam@example.com actually" keeps the email): the rule before this one has read the answer.
        let erasureAwaited = if case .erasure(let step) = message.awaited, step != .calledOff,
                                erasureAside != .declined, state.awaiting != .erasure(.calledOff) { true } else { false }
        noteVolunteered(message.text, understanding: message.understanding, erasureAwaited: erasureAwaited, at: message.at)
        // "I'm a student", "i'm usually a 9": read as an introduction, but no name or fact of the customer's
        // is in them, so no "Nice to meet you"; "let me introduce myself", with no "I am", still is one.
        // Nor is an e-mail address alone ("jane.doe@example.com" when asked for an order number).
        if let matched = message.understanding.matched, engine.bot.intent(named: matched.intent)?.action == .introduce,
           confirmations.isEmpty,
           signals.saysIAm(message.text) || message.understanding.entities.contains(where: { signals.isBareValue(message.text, value: $0) }),
           engine.profileReader.volunteeredFacts(in: message.text, at: message.at).isEmpty {
            message.understanding.decision = .fallback(best: matched)
        }
        // "It's Sarah not Jon": a fact noted from a message read only weakly as an introduction is the reply
        // on its own, not "I didn't follow" before it.
        // (Or as a near tie of which the first is an introduction.)
        let weakIntroduction: IntentCandidate? = switch message.understanding.decision {
        case .matched(let read) where read.confidence < Self.weakReading: read
        case .ambiguous(let first, _): first
        default: nil
        }
        if let weakIntroduction, engine.bot.intent(named: weakIntroduction.intent)?.action == .introduce, !confirmations.isEmpty,
           !engine.profileReader.isQuestion(message.text) {
            message.understanding.decision = .fallback(best: weakIntroduction)
        }
        // "Can you reset it for me my email is sam@example.com": a question, read first as telling about
        // oneself; the fact is noted, and the request behind it answered, with the confirmation after.
        if let matched = message.understanding.matched, engine.bot.intent(named: matched.intent)?.action == .introduce,
           !confirmations.isEmpty, engine.profileReader.isQuestion(message.text),
           let request = message.understanding.ranking.first(where: { $0.intent != matched.intent && engine.bot.intent(named: $0.intent)?.isPlainRequest == true }),
           request.confidence >= engine.policy.settings.confidenceThreshold {
            message.understanding.decision = .matched(request)
        }
        guard case .fallback = message.understanding.decision, !confirmations.isEmpty,
              message.awaited.task == nil, message.awaited.pendingClarification == nil else { return nil }
        confirmationsSaid = true
        return simpleReply(confirmations.joined(separator: " "), text: message.text, understanding: message.understanding,
                           answered: false, at: message.at)
    }

    /// An answer to "did you mean A or B?" carries on with the message that raised it.
    mutating func readAsChoice(_ message: inout Message) -> TurnOutcome? {
        guard let pending = message.awaited.pendingClarification else { return nil }
        let understanding = message.understanding
        switch pending.resolve(message.text, understanding: understanding, engine: engine) {
        case .option(let chosen):
            // The answer may name what the question was about ("the York
            // shop"): its values come first, then the first message's.
            message.understanding = Understanding(
                ranking: understanding.ranking, decision: .matched(chosen),
                entities: understanding.entities + pending.entities, clarifiedMessage: pending.message)
        case .neither:
            message.understanding = Understanding(ranking: understanding.ranking, decision: .fallback(best: nil),
                                                  entities: understanding.entities, clarifiedMessage: pending.message)
        case .somethingElse:
            break
        }
        return nil
    }

    /// While a request gathers its values ("which order?"): the value, a
    /// change of topic (answered, then the question again), "never mind", or
    /// something that is neither (the question again, saying why).
    mutating func readAsSlotAnswer(_ message: inout Message) -> TurnOutcome? {
        guard let filling = state.filling, let waiting = engine.bot.intent(named: filling.intent),
              let spec = waiting.slots.first(where: { $0.name == filling.asking }) else { return nil }
        message.hadTask = true
        let text = message.text
        let otherIntent = message.understanding.matched.map { $0.intent != waiting.name } ?? false
        let readAs = message.understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }
        // The question waits while the message is answered, and is asked again after it ("Now, back to...").
        func askAgainAfterTheAnswer() {
            var asked = filling
            asked.resumed += 1
            state.awaiting = state.awaiting.with(task: asked)
            message.resumeAfter = (waiting, spec)
        }
        // "I don't know it" read as small talk (an acknowledgement) is no request: below, it is
        // unsure. An unsure phrase in a request ("no idea how to return it") is the request.
        // Nor is "no idea" read as gift ideas: an unsure phrase with nothing beside it but words every request has.
        let unsureNotARequest = signals.isUnsure(text) && !message.frustrated
            && (readAs.map { $0.isPlainRequest && $0.resolves } != true || signals.wordsBesidesUnsure(text).map(engine.namesNothing) == true)
        // "Never mind" calls the question off, whatever else the ranker makes of two words;
        // "cancel it" is a request of its own when the ranker understood one.
        if signals.isCancel(text) && (!otherIntent || signals.isPlainCancel(text)) {
            state.dropTask()
            return simpleReply(say(engine.bot.slotTexts.cancelled, .cancelled), text: text, understanding: message.understanding,
                               answered: false, at: message.at)
        }
        // "What else do you need then": what the question asks for, and how to do without it (`reask`: the slot's
        // `unsure`), whatever else the words read as ("what else do you sell").
        if signals.asksWhatIsNeeded(text), !message.understanding.entities.contains(where: { $0.entity == spec.entity }) {
            message.understanding.answers = "the question for \(spec.name), without a value"
            return reask(waiting, spec, filling: filling, text: text, understanding: message.understanding, at: message.at)
        }
        if !message.understanding.entities.contains(where: { $0.entity == spec.entity }) {
            // "No I'm not giving you my order number, just put me through": a person asked for in a clause of
            // its own, beside whatever else the words read as; the question goes.
            if let person = clauseAskingForAPerson(message) {
                state.dropTask()
                message.understanding.decision = .matched(person)
                return nil
            }
            // "Why do you need it?": what it is wanted for, and the question again, whatever else the words
            // read as (the privacy of what the bot keeps about the customer).
            // (Not beside a question of its own: "I'm not giving my number to a bot. What time does the York shop
            // open?" asks that, which is answered, and the question goes.)
            let refuses = signals.refusesTheValue(text), asksWhy = signals.asksWhyItIsWanted(text)
            if refuses || asksWhy {
                let clauses = signals.clauses(text)
                let otherQuestion = clauses.count >= 2 && clauses.contains { clause in
                    !signals.refusesTheValue(String(clause.text)) && !signals.asksWhyItIsWanted(String(clause.text))
                        && (engine.profileReader.isQuestion(String(clause.text)) || clause.text.contains("?"))
                }
                if otherQuestion {
                    state.dropTask()
                    return nil
                }
            }
            if !spec.why.isEmpty, asksWhy {
                message.understanding.decision = .fallback(best: IntentCandidate(intent: waiting.name, confidence: 0))
                message.understanding.answers = "why \(spec.name) is wanted"
                let why = say(spec.why, .why(intent: waiting.name, slot: spec.name), extra: filling.values)
                let ask = say(spec.prompts, .prompt(intent: waiting.name, slot: spec.name), extra: filling.values)
                return simpleReply(why + " " + ask, text: text, understanding: message.understanding, answered: false, at: message.at)
            }
            // "I'd rather not say", "none of your business": the value refused, not missing. Not asked for
            // again, nor where to find it said: what a person can do without it (`reask`).
            if !spec.without.isEmpty, refuses {
                message.understanding.decision = .fallback(best: message.understanding.matched ?? IntentCandidate(intent: waiting.name, confidence: 0))
                message.understanding.answers = "the question for \(spec.name), refused"
                return reask(waiting, spec, filling: filling, text: text, understanding: message.understanding, at: message.at, refused: true)
            }
        }
        if let value = message.understanding.entities.first(where: { $0.entity == spec.entity }) {
            if otherIntent, readAs?.slots.contains(where: { $0.entity == spec.entity }) == true, !signals.isBareValue(text, value: value) {
                // "Can I change the address on HP-10443?" while the bot asked which order to
                // track: a new request that uses the value; the question it replaces is dropped.
                state.dropTask()
            } else {
                message.understanding.decision = .matched(IntentCandidate(intent: waiting.name, confidence: 1))
                message.understanding.slotAnswer = spec.name
            }
        } else if !otherIntent, signals.detailsAsked(text).details.contains(where: { name in
                      engine.bot.intents.contains { intent in
                          (intent.name == waiting.name || intent.isPlainRequest && intent.lookup != nil && intent.lookup?.table == waiting.lookup?.table)
                              && intent.details.contains { $0.name == name }
                      }
                  }) {
            // "Do they expire?" while the bot asks for the Pine Club number: a detail of the request
            // waiting itself, answered (`answerDetail`), and the question asked again after it. So is one
            // of a request of its table: "and is there parking nearby" while it asks which shop.
            askAgainAfterTheAnswer()
        } else if otherIntent && !unsureNotARequest && !strayReading(message, readAs) {
            let sameTopic = readAs?.topic == waiting.topic
            // Help with the question itself: a request of its topic that needs no value ("where do I find the
            // order number?", "I never got a confirmation email").
            func helpsWithIt(_ intent: Intent?) -> Bool {
                intent.map { $0.topic == waiting.topic && $0.name != waiting.name && $0.slots.allSatisfy { !$0.required } && $0.isPlainRequest } == true
            }
            let helps = helpsWithIt(readAs)
            // (Only a request that looks nothing up, and not for one of its details: "i bought it in the manchester
            // shop so i dont have an order number" just after where to find it asks that answer's in-store detail.)
            let asksItsDetail = readAs.map { read in signals.detailsAsked(text).details.contains { name in read.details.contains { $0.name == name } } } ?? false
            if helps, readAs?.lookup == nil, !asksItsDetail, state.lastIntent == readAs?.name, !text.contains(where: \.isNumber) {
                // The same help asked for again ("ugh i dont have a clue what the number is" just after it): no
                // value to come, and no use saying the help again; a person can find it another way (`reask`).
                message.understanding.answers = "the question for \(spec.name), without a value"
                return reask(waiting, spec, filling: filling, text: text, understanding: message.understanding, at: message.at)
            }
            if helps, asksItsDetail, signals.saysUnsure(text) {
                // "i bought it in the manchester shop so i dont have an order number": a detail of the help, from a
                // customer who has no value to give; the detail answers it (`answerDetail`), and the question goes.
                state.dropTask()
            } else if helps, signals.saysUnsure(text) || helpsWithIt(state.lastIntent.flatMap(engine.bot.intent(named:))) {
                // "I don't have the email any more, can you find it with my email address?": to a customer who
                // says they have no answer, or asks for more help just after some, the help is the answer; asking
                // for the value again at once would not have listened. The question waits, unasked, for a value
                // that may still come. (As if asked again, so another topic next lets the question go.)
                var unasked = filling
                unasked.resumed += 1
                state.awaiting = state.awaiting.with(task: unasked)
            } else if filling.resumed >= 1, !sameTopic {
                // Asked again once already and passed over again for another topic ("Now, back to
                // a product's details" after every answer about shops): the customer has moved on;
                // the question goes. Help with the question itself ("where do I find the number?") keeps it.
                state.dropTask()
            } else {
                askAgainAfterTheAnswer()
            }
        } else if signals.isUnsure(text) && !message.frustrated {
            // "I don't have one": no answer, however the ranker reads it.
            message.understanding.answers = "the question for \(spec.name), without a value"
            return reask(waiting, spec, filling: filling, text: text, understanding: message.understanding, at: message.at)
        } else if case .ambiguous(let first, let second) = message.understanding.decision, offersChoice(first, second),
                  first.confidence >= Self.weakReading || SatisfactionAnswer.looksLikeQuestion(text) {
            // A new request, too close to call: "did you mean A or B?" first; the question waits.
            // Not a weak tie in a statement ("I don't have it with me", a parcel not
            // received at 0.25 or stop asking at 0.15): that is no answer, asked again below.
        } else if message.frustrated {
            // Not the time to ask again: the ladder offers a person; the question waits.
        } else {
            // Not understood, or a near tie with small talk ("somewhere far away"):
            // no answer, and no new request to ask "did you mean?" about.
            if case .ambiguous = message.understanding.decision {
                message.understanding.answers = "the question for \(spec.name), without a value"
            }
            return reask(waiting, spec, filling: filling, text: text, understanding: message.understanding, at: message.at)
        }
        return nil
    }

    /// "Somewhere far away" for "which country?", read as a parcel not
    /// received: a statement read less than surely as another request, whose telling
    /// words that request's examples do not hold, and which tells of no
    /// problem, is no new request but a try at the answer. "The boots I
    /// bought last winter have a hole" is a problem, and a request of its own.
    func strayReading(_ message: Message, _ readAs: Intent?) -> Bool {
        guard let readAs, let read = message.understanding.matched, read.confidence < Self.sureReading else { return false }
        return !engine.profileReader.isQuestion(message.text) && !signals.mentionsProblem(message.text) && !examplesSpeak(to: message, readAs)
    }

    /// "No, it's HP-10443" (a correction of the answer just given), "and
    /// for Ireland?" (a value for an optional slot the last answer left
    /// empty), or "and the blanket?" (another value for the answer just given).
    mutating func readAsCorrection(_ message: inout Message) -> TurnOutcome? {
        guard !message.hadTask, let last = state.lastIntent.flatMap(engine.bot.intent(named:)) else { return nil }
        let understanding = message.understanding
        // "Is there parking at the leeds one" just after the Leeds shop's hours, read as nothing: a detail the
        // last answer has none for, that a request of its table has (where the shop is), is that request's
        // question (`answerDetail`), not the hours again.
        let ownDetails = signals.detailsAsked(withoutNames(message)).details
        // (A correction beside it, "is it open tomorrow? I mean the Leeds one", is read below.) Only a question:
        // "oh sorry its HP-10655, at the leeds shop" just after click and collect says which order, and asks
        // nothing "at the shop".
        if !ownDetails.isEmpty, holdsAQuestion(message.text), !ownDetails.contains(where: { asked in last.details.contains { $0.name == asked } }),
           correctedValue(of: last, message) == nil,
           let table = last.lookup?.table, engine.bot.intents.contains(where: { other in
               other.lookup?.table == table && other.isPlainRequest && ownDetails.contains { asked in other.details.contains { $0.name == asked } }
           }) {
            return nil
        }
        if lastTurnWasAnAnswer, let (spec, value) = correctedValue(of: last, message) {
            // "Not the mug, the jumper", "sorry, I meant the blanket": the last answer, for the value meant.
            // Unless the message asks a detail of its own that answer has none for ("is it open tomorrow?
            // I mean the Leeds one, not Edinburgh" after the Edinburgh shop's parking): that question,
            // for the value meant.
            let ownDetails = signals.detailsAsked(message.text).details
            if !ownDetails.isEmpty, !ownDetails.contains(where: { asked in last.details.contains { $0.name == asked } }) {
                message.understanding.entities = [value] + understanding.entities.filter { $0.entity != spec.entity }
                return nil
            }
            message.understanding.decision = .matched(IntentCandidate(intent: last.name, confidence: 1))
            message.understanding.slotAnswer = spec.name
            message.understanding.entities = [value] + understanding.entities.filter { $0.entity != spec.entity }
        } else if let (spec, value) = valueAfterNotFound(of: last, message) {
            // "Sorry typo, HP-10501. the candles" just after "I can't find an order HP-10510" for a
            // cancellation: the number meant, for that request, read less than surely as anything else.
            message.understanding.decision = .matched(IntentCandidate(intent: last.name, confidence: 1))
            message.understanding.slotAnswer = spec.name
            message.understanding.entities = [value] + understanding.entities.filter { $0.entity != spec.entity }
        } else if isCorrectionCandidate(understanding),
           let spec = last.slots.first(where: { slot in understanding.entities.contains { $0.entity == slot.entity } }) {
            // Not understood, or too close to call, but with a new value for the intent just answered.
            message.understanding.decision = .matched(IntentCandidate(intent: last.name, confidence: 1))
            message.understanding.slotAnswer = spec.name
        } else if let spec = last.slots.first(where: { slot in
                      !slot.required && state.slots[slot.name] == nil && understanding.entities.contains { $0.entity == slot.entity }
                  }),
                  understanding.clarifiedMessage == nil,
                  let value = understanding.entities.first(where: { $0.entity == spec.entity }),
                  signals.isBareValue(message.text, value: value) || namesOnlyItsThings(message, value: value)
                      || tellsTheSameProblem(message, value: value, as: last) {
            // Just after an answer that left this optional slot empty (and may
            // have invited it): the value for that answer, not a new request.
            message.understanding.decision = .matched(IntentCandidate(intent: last.name, confidence: 1))
            message.understanding.slotAnswer = spec.name
        } else if lastTurnWasAnAnswer, understanding.clarifiedMessage == nil,
                  let (spec, value) = anotherValue(for: last, understanding.entities),
                  signals.isBareValue(message.text, value: value) || wouldOnlyAskWhich(understanding) {
            // "And the blanket?" just after what the wool jumper is made of: the same
            // question about another thing, however the words alone read. So is "what about
            // the York one specifically" after the Leeds hours, read as a product's details
            // that would only ask "which product?".
            message.understanding.decision = .matched(IntentCandidate(intent: last.name, confidence: 1))
            message.understanding.slotAnswer = spec.name
        } else if lastTurnWasAnAnswer, understanding.clarifiedMessage == nil, case .ambiguous(let first, let second) = understanding.decision,
                  let subject = state.focus.subjects.compactMap({ engine.bot.intent(named: $0.value) })
                      .first(where: { [first.intent, second.intent].contains($0.name) }),
                  anotherValue(for: subject, understanding.entities) != nil {
            // "What about the other one, HP-10442 with the jumper and mug" after HP-10443's status, then
            // delivery times: a near tie of two requests, one of them a request the conversation was on,
            // with a value of a kind it takes: that request, for this value.
            message.understanding.decision = .matched(IntentCandidate(intent: subject.name, confidence: 1))
        }
        // The last answer for another value, after a detail of it ("is there parking nearby?" of the
        // Edinburgh shop): "what about Manchester", the value and nothing more, asks that detail of
        // Manchester, not the whole answer ("and what does the top one get me" asks more).
        // Only a detail with a reply for the value, or one that says it or its row ("I'm a member, number is
        // PC118230" just after when missing points show, which no member changes, gets that member's points,
        // not the same words again; "and the rain jacket?" after children's sizes of the boots is the jacket's).
        if let slot = message.understanding.slotAnswer, message.understanding.matched?.intent == last.name, message.details.isEmpty,
           let details = state.lastDetails, let entity = last.slots.first(where: { $0.name == slot })?.entity,
           let value = message.understanding.entities.first(where: { $0.entity == entity }), signals.isBareValue(message.text, value: value),
           details.contains(where: { name in
               last.details.first { $0.name == name }?.responses.contains { response in
                   response.condition?.given.contains(slot) == true || response.placeholders.contains { placeholder in
                       placeholder.name == slot || last.lookup.map { placeholder.name.hasPrefix($0.table + ".") } == true
                   }
               } == true
           }) {
            message.details = details
        }
        return nil
    }

    /// "It's HP-10501. I've checked with the neighbours and the bins" just
    /// after a parcel marked delivered that never came: a record's key, and
    /// besides it a statement that asks nothing and tells no other problem
    /// (read without the key as nothing, or as the request just answered).
    func tellsTheSameProblem(_ message: Message, value: EntityMatch, as last: Intent) -> Bool {
        guard engine.recordIdentifiers.contains(value.entity), !message.text.contains("?"),
              !engine.profileReader.isQuestion(message.text) else { return false }
        let rest = Self.without([value], in: message.text)
        switch engine.understand(rest, at: message.at, contexts: Set(state.contexts.keys)).decision {
        case .fallback: return !signals.mentionsProblem(rest)
        case .matched(let read), .ambiguous(let read, _): return read.intent == last.name
        }
    }

    /// "HP-10501, two candles": a record's key and the things its row holds,
    /// and at most two words besides (not counting `bare_value.fillers` and
    /// the words of the key's kind), telling no problem and asking nothing:
    /// no more than the key alone (just after "it says delivered but it isn't here").
    func namesOnlyItsThings(_ message: Message, value: EntityMatch) -> Bool {
        let things = message.understanding.entities.filter { $0 != value }
        guard engine.recordIdentifiers.contains(value.entity), !things.isEmpty,
              things.allSatisfy({ engine.row(of: value.entity, value.value, mentions: $0) }),
              !signals.mentionsProblem(message.text), !engine.profileReader.isQuestion(message.text) else { return false }
        // The words of the key's kind ("order" of order_number) are part of naming it ("it was walking boots,
        // order HP-10377"), and those around a bare value say nothing ("oh sorry its HP-10655, at the leeds shop").
        let naming = Set(value.entity.split(separator: "_").map(String.init)).union(signals.words(.bareValueFillers))
        return TextNormalizer.tokens(Self.without(things + [value], in: message.text)).filter { !naming.contains($0) }.count <= 2
    }

    /// "Bought it on 2 November" just after how returns work: a day told, read
    /// as nothing, weakly, or as that request again, for an answer that changes
    /// with it (replies for `past_<limit>` or `within_<limit>`, bot.yaml
    /// `time_limits`): that answer again, for the day.
    mutating func answerForTheDayTold(_ message: inout Message) -> TurnOutcome? {
        guard message.toldPastDay, !message.hadTask, lastTurnWasAnAnswer,
              let subject = state.lastIntent.flatMap(engine.bot.intent(named:)) else { return nil }
        let limits = Bot.timePlaceholders(engine.bot.timeLimits).subtracting(["days_since"])
        guard subject.responses.contains(where: { !limits.isDisjoint(with: $0.condition?.given ?? []) }) else { return nil }
        // Not a problem told with the day ("bought it yesterday, wrong size sent", "ordered on 20 November,
        // been charged twice"), nor a question: those are requests of their own. But for one whether the day is
        // in time ("its been about 5 weeks since I bought it, is that ok"), which the answer for the day says.
        let asksIfInTime = signals.asksIfInTime(message.text)
        guard !signals.mentionsProblem(asksIfInTime ? signals.withoutInTimePhrases(message.text) : message.text),
              asksIfInTime || !message.text.contains("?") && !engine.profileReader.isQuestion(message.text) else { return nil }
        // A statement of a few words besides the day ("I bought it on 10 October") tells only the day,
        // however the ranker reads it (delivery times, for "on 10 October"), unless that reading's
        // examples speak to its words.
        let days = message.understanding.entities.filter { engine.dateEntities.contains($0.entity) }
        // (Nor do the words asking whether it is in time: "it's been 5 weeks, is that too late?")
        let besides = Self.without(days, in: message.text)
        let onlyTellsTheDay = TextNormalizer.tokens(asksIfInTime ? signals.withoutInTimePhrases(besides) : besides).count <= Self.dayToldWords
            && !(message.understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }.map { examplesSpeak(to: message, $0) } ?? false)
        switch message.understanding.decision {
        case _ where onlyTellsTheDay: break
        case .fallback: break
        case .matched(let read) where read.intent == subject.name || read.confidence < Self.weakReading: break
        case .ambiguous(let first, _) where first.confidence < Self.weakReading: break
        default: return nil
        }
        message.understanding.decision = .matched(candidate(subject, in: message))
        return respondToDecision(&message)
    }

    /// Whether the message's reading would only ask for a value it needs
    /// ("Which product?"): none is named, and none of that kind is in focus.
    private func wouldOnlyAskWhich(_ understanding: Understanding) -> Bool {
        guard let read = understanding.matched.flatMap({ engine.bot.intent(named: $0.intent) }) else { return false }
        return read.slots.contains { spec in
            spec.required && !understanding.entities.contains { $0.entity == spec.entity } && state.focus.value(for: spec.entity) == nil
        }
    }

    /// A value of a kind one of `intent`'s slots takes, other than the one the last answer used.
    private func anotherValue(for intent: Intent, _ entities: [EntityMatch]) -> (SlotSpec, EntityMatch)? {
        for spec in intent.slots {
            if let value = entities.first(where: { $0.entity == spec.entity && $0.value != state.slots[spec.name] }) { return (spec, value) }
        }
        return nil
    }

    /// Just after the last answer found no row for the value it was given
    /// ("I can't find an order HP-10510"), another value of that kind in a
    /// message read as nothing, a near tie or less than surely (or that is
    /// the value alone): the value meant, for the same request. Not the
    /// example the reply showed, not after a handoff, and not in a message
    /// that says that order came.
    private func valueAfterNotFound(of last: Intent, _ message: Message) -> (SlotSpec, EntityMatch)? {
        guard let lookup = last.lookup, let spec = last.lookupSlot, state.slots[spec.name] == nil, state.handedOffAt == nil,
              let table = engine.bot.tables[lookup.table], let reply = state.lastBotReply,
              // Not one that says it came ("hmm HP-10442 came through fine last week").
              !saysItCame(message.text, message.understanding.entities) else { return nil }
        // Only a message that names a value of that kind; the reply is read for the one not found only then.
        let named = message.understanding.entities.filter { $0.entity == spec.entity }
        guard !named.isEmpty else { return nil }
        // The value not found, not the example the reply shows ("it looks like HP-12345").
        let example = engine.bot.entities.first { $0.name == spec.entity }?.example
        let missed = engine.entities.extract(from: reply, at: message.at).filter {
            $0.entity == spec.entity && table.row(for: $0.value) == nil && $0.value != example
        }
        let offered = named.filter { found in !missed.contains { $0.value == found.value } }
        guard !missed.isEmpty, Set(offered.map(\.value)).count == 1, let value = offered.first else { return nil }
        let unsure = message.understanding.matched.map { $0.confidence < Self.sureReading } ?? true
        return unsure || signals.isBareValue(message.text, value: value) ? (spec, value) : nil
    }

    /// The value a message offers instead of the one the last answer used,
    /// when it says it corrects: a value it rejects ("not the mug") or a
    /// correction phrase ("I meant"), and one other value of that kind. A
    /// value rejected by name that the last reply named corrects even an
    /// answer that kept none ("Sorry, I meant HP-10442, not 10443" after
    /// HP-10443 turned out not to hold the boots, and was set aside).
    private func correctedValue(of last: Intent, _ message: Message) -> (SlotSpec, EntityMatch)? {
        for spec in last.slots {
            let used = state.slots[spec.name]
            let found = message.understanding.entities.filter { $0.entity == spec.entity }
            let rejected = found.filter { signals.isRejected($0, in: message.text) }
            // With no value kept, only one the bot's last reply named ("I can't see any walking boots in
            // HP-10443"): "I got HP-10442 but not HP-10443, where is it?" after how to cancel corrects nothing.
            let namedJustNow = rejected.contains { value in state.lastBotReply?.contains(value.value) == true }
            guard used != nil || namedJustNow else { continue }
            let offered = found.filter { value in !rejected.contains(value) && value.value != used }
            guard Set(offered.map(\.value)).count == 1, let meant = offered.first else { continue }
            if !rejected.isEmpty || signals.saysCorrection(message.text) { return (spec, meant) }
        }
        return nil
    }

    /// "So is that done or not?" (`CustomerSignals.asksIfDone`): a question,
    /// not read surely as a pleasantry ("ok great so its done" is praise).
    private func asksIfDone(_ message: Message) -> Bool {
        if case .matched(let read) = message.understanding.decision, read.confidence >= Self.sureReading,
           engine.bot.intent(named: read.intent)?.isPleasantry == true { return false }
        return signals.asksIfDone(message.text, asks: engine.profileReader.isQuestion(message.text))
    }

    /// "Ok do that please", "just do it then!!" after an answer that said how
    /// something is done: the bot cannot do it, and must never seem to have
    /// done it. It says so and offers a person who can.
    mutating func answerRequestToAct(_ message: inout Message) -> TurnOutcome? {
        // After the question the bot asked was passed over (a profile question), not while one still waits.
        // Also once what the customer does not want is set aside ("no I don't want a refund, just send them again").
        // While a person is offered, only what happens next ("so what happens now, do I have to do anything"
        // after the double charge's offer): the offer is said again with it.
        let personOffered = if case .person(_, nil) = message.awaited { true } else { false }
        // (In a clause of its own: "so what happens now, do I have to do anything"; not after a yes or a no
        // to the offer, "yes please, what happens now?", which answers it. Its clauses are read only then.)
        func asksWhatNextOfTheOffer() -> Bool {
            let clauses = signals.clauses(message.text)
            guard let first = clauses.first, signals.yesNo(String(first.text)) == nil else { return false }
            return clauses.contains { signals.asksWhatNext(String($0.text), offered: true) }
        }
        let asksWhatNext = signals.asksWhatNext(message.text) || personOffered && asksWhatNextOfTheOffer()
        guard state.awaiting == .nothing || personOffered && asksWhatNext,
              state.handedOffAt == nil,
              signals.asksToAct(message.text) || signals.asksToAct(signals.wanted(message.text)) || asksIfDone(message) || asksWhatNext,
              // The request last answered, through an "ok" and the question after it ("ok do that please").
              let said = state.lastIntent.flatMap(engine.bot.intent(named:)),
              let last = said.isPleasantry ? subjectIntent : said, last.resolves, last.action == nil else { return nil }
        // Nor another request read surely, once the last is refused: "hmm wait. don't cancel. just change it to a
        // large" just after cancelling asks the change, not the cancelling done.
        if !message.understanding.declined.isEmpty || signals.clauses(message.text).contains(where: \.negated),
           let read = message.understanding.matched, read.intent != last.name, read.confidence >= Self.sureReading,
           engine.bot.intent(named: read.intent)?.isPlainRequest == true { return nil }
        // Nor another request read surely that has an answer of its own from the record in focus, not given yet:
        // "actually i ordered the wrong size, i need a large not a medium. can you change it" just after HP-10443's
        // whereabouts asks to change that order, whose answer says how (it hasn't left yet), not for the bot to act.
        if let read = message.understanding.matched, read.intent != last.name, read.confidence >= Self.sureReading,
           let readIntent = engine.bot.intent(named: read.intent), readIntent.isPlainRequest, hasNewAnswerFromData(readIntent, message) {
            return nil
        }
        // "Can I do it in a shop?" asks a detail of a request the conversation is on, not for the bot to act.
        let details = signals.detailsAsked(signals.wanted(message.text)).details // not "a refund" in "I don't want a refund"
        let recent = [last] + state.focus.subjects.compactMap { engine.bot.intent(named: $0.value) }
        guard !recent.contains(where: { $0.details.contains { details.contains($0.name) } }) else { return nil }
        let reply = asksIfDone(message)
            ? say(engine.bot.ladder.notDone, .notDone, extra: ["label": last.label])
            : asksWhatNext
            ? say(engine.bot.ladder.nextStep, .nextStep, extra: ["label": last.label])
            : say(engine.bot.ladder.cannotAct, .cannotAct, extra: ["label": last.label])
        return cannotDoIt(reply, of: last, &message)
    }

    /// The bot cannot do what `last` described, and says so (`reply`), offering a person: it never seems to have done it.
    mutating func cannotDoIt(_ reply: String, of last: Intent, _ message: inout Message) -> TurnOutcome {
        message.understanding.answers = "a request to do what \(last.name) described"
        waitForPerson(.customerRequest)
        var outcome = simpleReply(reply, text: message.text, understanding: message.understanding, answered: false, at: message.at)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// "Ordered it like 10th nov", "jumper and mug" just after an answer that
    /// offered a person (a late order's, `offers: person`): a statement that
    /// tells more about the request but asks nothing, read as nothing, a near
    /// tie or weakly, and naming nothing the record in focus does not hold.
    /// The whole answer again ("As I said: ...") or "did you mean A or B?"
    /// would tell the customer nothing; the bot takes note (`noted`) and asks
    /// its question again: the last reply from its first question on. A
    /// question, however it is read, with two words of what that offer says a
    /// person would do, not common to requests ("so is it lost? do you send
    /// another one or a refund?", after "they'll chase it and send you a
    /// replacement or a full refund") hears the offer again. Not for a request with its own `told_more`, which says what
    /// to do with more told, nor for an offer a ladder reply made ("could you
    /// tell me what's missing, or shall I pass you to a person?").
    mutating func offerThePersonAgain(_ message: inout Message) -> TurnOutcome? {
        // (Frustrated too, when it asks whether anyone will answer: "is this going into a black hole".)
        let asksForAReply = signals.speaksOfAReply(message.text)
        guard case .person(let reason, nil) = message.awaited, reason != .dissatisfied, state.handedOffAt == nil,
              !message.frustrated || asksForAReply, !message.sarcastic,
              message.understanding.clarifiedMessage == nil, message.understanding.declined.isEmpty,
              // ("Ok forget it, I'll try tomorrow" tells nothing more: it calls the matter off.)
              signals.afterDismissal(message.text) == nil,
              let subject = subjectIntent, state.lastIntent == subject.name, !signals.asksAgain(message.text),
              engine.profileReader.holdsKnownWords(message.text, besides: engine.commonWords),
              let lastSaid = state.lastBotReply, let offer = Self.fromTheQuestionOn(lastSaid), offer != lastSaid else { return nil }
        // A question, or a sentence of it one ("no thanks. can i just take it back to a shop instead").
        // Or one that speaks of anyone answering ("will anyone actually get back to me or is this going into a black hole").
        let asks = holdsAQuestion(message.text) || asksForAReply
        // The offer the request's answer made, or, for a question, the one its `told_more` made ("you're
        // sending another pair or refunding? which" after "They'll send what's missing at once, free, or
        // refund it, whichever you prefer"): a statement then is more told, which `told_more` takes.
        guard subject.responses.contains(where: { $0.offersPerson && $0.source.hasSuffix(offer) }) && subject.toldMore.isEmpty
                || asks && subject.toldMore.contains(where: { $0.render(engine.bot.variables).hasSuffix(offer) }) else { return nil }
        // Read as nothing, as a near tie, as this request ("my order still hasnt come"), or as another
        // request: weakly, for a statement; not as small talk or an action ("thanks", "my name is Sam").
        switch message.understanding.decision {
        case .fallback, .ambiguous: break
        case .matched(let read) where read.intent == subject.name: break
        case .matched(let read) where (asks || read.confidence < Self.weakReading)
            && engine.bot.intent(named: read.intent)?.isPlainRequest == true: break
        // A statement that speaks of the thing coming, read less than surely as another request ("It's a present
        // for my mum so it really needs to be here before Christmas" just after a late order, at 0.68 as gift
        // ideas): more told of this one.
        case .matched(let read) where !asks && read.confidence < Self.sureReading && signals.speaksOfArrival(message.text)
            && engine.bot.intent(named: read.intent)?.isPlainRequest == true: break
        default: return nil
        }
        if asks {
            // Two words of what the offer says a person would do (after its question), not ones common to
            // nearly every request.
            let done = whatThePersonWouldDo(offer)
            let shared = Set(TextNormalizer.tokens(message.text).filter { word in
                word.count >= 3 && !engine.commonWords.contains(word) && done.contains { AnswerSentences.sameWord($0, word) }
            })
            // Or it asks whether anyone will answer ("will anyone actually get back to me or is this going into a
            // black hole"): the offer says who would, and when.
            guard shared.count >= Self.offerWordsAsked || asksForAReply else { return nil }
        } else {
            // Never the last reply word for word: after one such note, another way of saying it, if there is one.
            guard engine.bot.ladder.noted.contains(where: { !lastSaid.hasPrefix($0.render(engine.bot.variables)) }) else { return nil }
        }
        // Another order or product than the record holds is a new request ("and HP-10501?").
        let kept = message.understanding.entities.filter { engine.focusEntities.contains($0.entity) }.allSatisfy { found in
            state.focus.value(for: found.entity) == found.value
                || state.focus.items.contains { engine.row(of: $0.entity, $0.value, mentions: found) }
        }
        guard kept else { return nil }
        message.understanding.decision = .matched(candidate(subject, in: message))
        message.understanding.answers = "more about \(subject.name), while a person is offered"
        state.consecutiveMisses = 0
        let reply = asks ? offer : say(engine.bot.ladder.noted, .noted, notOpening: lastSaid) + " " + offer
        waitForPerson(reason)
        var outcome = simpleReply(reply, text: message.text, understanding: message.understanding, answered: false, at: message.at)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// "It was about 3pm, a tall man with a beard at the tills. He rolled his
    /// eyes and ignored me." just after the complaint's answer ("tell me what
    /// happened, or shall I pass you to them?"): while the offer of a person
    /// an answer with `told_more` made waits, a statement (no question) read
    /// as nothing, as a near tie, or weakly as a request, naming no other
    /// order or product, is that telling, not a miss: `told_more` is said
    /// and a person offered. Read surely as a request, it is that request.
    mutating func takeWhatWasTold(_ message: inout Message) -> TurnOutcome? {
        // Only while the answer's offer of a person waits: the answer asked to be told more, or for a yes
        // ("tell me what happened, or shall I pass you to them?"); not after any answer with `told_more`
        // ("my gran is coming to visit next week" after how refunds work is no more about the refund).
        // Or when the message names things, all of them what the answer was about: "yes the boots were
        // there, its just the socks" just after HP-10588's missing pair of socks.
        let offerWaits = if case .person(_, nil) = message.awaited { true } else { false }
        let namesOnlyTheSubject = !message.understanding.entities.isEmpty && message.understanding.entities.allSatisfy { found in
            engine.focusEntities.contains(found.entity)
                && (state.focus.value(for: found.entity) == found.value || state.focus.items.contains { engine.row(of: $0.entity, $0.value, mentions: found) })
        }
        // Or when it says the thing was had, read as nothing or weakly: "I've only used it 3 times" just
        // after a leaking flask.
        let saysItWasHad = saysItCame(message.text, message.understanding.entities)
        // Or when it is the request the answer was, again, naming no record: "it's two lots of the same
        // amount on my card statement, both on the same day" just after a double charge. Read surely as
        // it, or at least weakly when it names only things of the subject's record ("the boots were there
        // yes, just the socks missing"). Not one that tells of something else too ("I was also charged for
        // an order I cancelled"), says the thing came (its record's answer is corrected for that: "the lid
        // is broken, only had it a week" after a flask waiting to be collected), or says the answer did
        // not help ("it's been 4 days": `answerDidNotHelp`).
        let namesNoRecord = !namesARecord(message.understanding)
        let sameRequestAgain = message.understanding.matched.map {
            $0.intent == state.lastIntent && $0.confidence >= (namesOnlyTheSubject ? Self.weakReading : Self.sureReading)
        } == true
            && namesNoRecord && !saysItWasHad && !saysStillNotRight(message.text)
            && !signals.tellsOfSomethingBesides(message.text)
        // Or when, read after the customer's messages before it, it is the subject, surely: "no I checked the
        // packaging twice, theres definitely not another pair" just after missing socks, which alone reads
        // as a double charge ("another"), or "already tried a different browser, didnt help" just after a
        // declined card, alone a password reset. Worked out last, as it reads the message again.
        guard offerWaits || message.awaited == .nothing,
              let subject = subjectIntent, state.lastIntent == subject.name, !subject.toldMore.isEmpty, state.handedOffAt == nil,
              message.understanding.clarifiedMessage == nil, message.understanding.declined.isEmpty,
              !engine.profileReader.isQuestion(message.text), !signals.asksAgain(message.text),
              // Nor one with a question in it, nor one that supposes: "if the mug turns up chipped what do I do".
              // A clause that only says it is still not right is none, though it opens as a question would
              // ("already tried a different browser, didnt help"); nor is one after the first that opens as one
              // by a verb, with no question mark after it ("Blonde, about 30, was on the till around 3pm"), as
              // one opening with a question word is ("the staff were rude, what should I do now").
              // (A question mark anywhere already made the message a question, above.)
              !signals.clauses(message.text).enumerated().contains(where: { index, clause in
                  engine.profileReader.isQuestion(String(clause.text))
                      && (index == 0 || Engine.opensAsAQuestion(String(clause.text)))
                      && !signals.saysStillAProblem(String(clause.text))
              }),
              !signals.supposes(message.text),
              engine.profileReader.holdsKnownWords(message.text, besides: engine.commonWords) else { return nil }
        let admitted = offerWaits || namesOnlyTheSubject || sameRequestAgain || saysItWasHad
        switch message.understanding.decision {
        case .fallback where admitted, .ambiguous where admitted: break
        case .matched(let read) where admitted && read.confidence < Self.weakReading
            && engine.bot.intent(named: read.intent).map { $0.isPlainRequest || $0.name == subject.name } == true: break
        // "The jumper was fine" (read as an acknowledgement) just after the smashed mug of that order: other
        // things of the record, not the thing or record the problem is about ("thanks, the socks turned up",
        // "ok thanks, the mug is fine actually", "great, thanks for checking HP-10702" close it).
        case .matched(let read) where admitted && namesOnlyTheSubject && engine.bot.intent(named: read.intent)?.isSmallTalk == true
            && !message.understanding.entities.contains(where: { state.focus.value(for: $0.entity) == $0.value }): break
        // "The boots were there yes, just the socks missing" just after the missing socks of HP-10588: the
        // same request again, naming no record, tells more of it.
        case .matched(let read) where read.intent == subject.name && sameRequestAgain: break
        case .fallback, .ambiguous: guard readAfterTheMessagesBefore(message, are: subject) else { return nil }
        case .matched(let read) where read.confidence < Self.sureReading
            && engine.bot.intent(named: read.intent).map { $0.isPlainRequest || $0.name == subject.name } == true:
            guard readAfterTheMessagesBefore(message, are: subject) else { return nil }
        default: return nil
        }
        // A detail of the request asked ("I'd rather have a replacement than money back") is that detail's to answer.
        let asked = signals.detailsAsked(message.text).details
        guard !asked.contains(where: { name in subject.details.contains { $0.name == name } }) else { return nil }
        let kinds = Set(subject.slots.map(\.entity))
        // (While the answer's offer of a person waits, a thing in the story is part of it: "she was really rude
        // when I asked about returning boots" just after a complaint. Not a record, which asks of its own.)
        guard namesOnlyTheSubject || !message.understanding.entities.contains(where: { found in
                  engine.focusEntities.contains(found.entity) && !kinds.contains(found.entity)
                      && (!offerWaits || engine.recordIdentifiers.contains(found.entity))
              }) else { return nil }
        message.understanding.decision = .matched(candidate(subject, in: message))
        message.understanding.answers = "more told about \(subject.name)"
        state.consecutiveMisses = 0
        var reply = sameAnswerCannotHelp(subject, at: message.at)
        // Told more again after that reply, just after or a question later ("no I checked the packaging twice"
        // after "thank you, that's clear. Shall I pass this to someone?"): never its words again, but noted,
        // and its question.
        if state.recent.contains(where: { $0.speaker == .bot && $0.text == reply }), let offer = Self.fromTheQuestionOn(reply) {
            reply = say(engine.bot.ladder.noted, .noted, notOpening: state.lastBotReply) + " " + offer
        }
        var outcome = simpleReply(reply, text: message.text, understanding: message.understanding, answered: false, at: message.at)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// Whether a statement, read after the customer's messages about the
    /// request just answered (`messagesReadBefore` at most, oldest first), is read surely as
    /// `subject`, the request just answered, and alone as something else or
    /// weakly: it tells more of that request ("already tried a different
    /// browser, didnt help" just after a declined card). Only when those
    /// messages told of a problem or asked about one, for three words or
    /// more (`wordsOfAStatement`), and for a statement that says it is still
    /// a problem or denies something (`still_a_problem`: "its not pending"),
    /// not one that says it is solved ("found them under the sofa"), nor a
    /// dismissal ("never mind, I'll go to the shop"); not for sarcasm, nor
    /// one naming a thing other than those in focus (a new product, another
    /// order), nor one that adds another request ("also").
    func readAfterTheMessagesBefore(_ message: Message, are subject: Intent) -> Bool {
        // The messages since the one the request was answered for, that one too.
        guard let answeredAt = state.focus.subject?.turn, state.turns > answeredAt else { return false }
        let since = min(state.turns - answeredAt, Self.messagesReadBefore)
        let before = state.recent.filter { $0.speaker == .customer }.dropLast().suffix(since).map(\.text)
        // The messages before told of a problem, or asked about one: not "how long do refunds take?",
        // after which "my gran is coming to visit next week" is no more about refunds.
        let words = TextNormalizer.tokens(message.text)
        guard before.contains(where: { !engine.profileReader.isQuestion($0) || signals.mentionsProblem($0) }),
              !message.sarcastic, words.count >= Self.wordsOfAStatement,
              // Still a problem, or something denied: not "ok it went through on paypal", "found them under the sofa".
              signals.saysStillAProblem(message.text) || words.contains(where: signals.words(.stillAProblemNegations).contains),
              !signals.saysSolved(message.text),
              signals.afterDismissal(message.text) == nil, !signals.isCancel(message.text),
              !signals.tellsOfSomethingBesides(message.text),
              message.understanding.entities.allSatisfy({ found in
                  !engine.focusEntities.contains(found.entity) || state.focus.value(for: found.entity) == found.value
              }) else { return false }
        let together = (before + [message.text]).joined(separator: ". ")
        guard let read = engine.understand(together, at: message.at, contexts: Set(state.contexts.keys)).matched else { return false }
        return read.intent == subject.name && read.confidence >= Self.sureReading
    }

    /// At most how many of the customer's messages before a statement, since
    /// the one the request just answered was answered for, it is read after,
    /// to see whether it tells more of that request.
    static let messagesReadBefore = 3

    /// The fewest words a message read after the ones before it must have:
    /// "apple pay" just after a declined card tells nothing, it names.
    static let wordsOfAStatement = 3

    /// Words of what an offer says a person would do that a question must hold
    /// to be about it: two, so that one shared by chance ("send the jumper
    /// back", "if I prefer") does not make it so.
    static let offerWordsAsked = 2

    /// The sentences of a reply from its first question on ("That's too long
    /// to keep you waiting: shall I pass you to someone? They'll chase it.");
    /// nil when it asks nothing.
    static func fromTheQuestionOn(_ reply: String) -> String? {
        let sentences = AnswerSentences.split(reply)
        guard let first = sentences.firstIndex(where: { $0.hasSuffix("?") }) else { return nil }
        return sentences[first...].joined(separator: " ")
    }

    /// "Thanks for nothing", "oh great, thanks a lot": not thanks. When the
    /// words alone would read as small talk (or nothing), the bot apologises
    /// and offers a person instead of "glad I could help".
    mutating func answerSarcasm(_ message: inout Message) -> TurnOutcome? {
        guard message.sarcastic else { return nil }
        // Once a person is on the way, no second offer: the team will read it, and the bot says so
        // (the fallback after a handoff), never "Glad I could help!" and the satisfaction question.
        if state.handedOffAt != nil {
            // Only small talk gives way ("thanks for nothing" as thanks); a request, or one that acts
            // ("thanks for nothing, just delete all my data"), is answered.
            if let read = message.understanding.matched, engine.bot.intent(named: read.intent).map(\.isSmallTalk) ?? true {
                message.understanding.decision = .fallback(best: read)
            }
            return nil
        }
        // A request in a sarcastic message is answered ("great, where is my order then?"), but not one a
        // word of the sarcasm alone reads as ("do you even care" as washing instructions).
        if let matched = message.understanding.matched, let intent = engine.bot.intent(named: matched.intent),
           intent.suggestible && !intent.asksFeedback && !intent.endsConversation, !signals.isOnlySarcasm(message.text) { return nil }
        // So is a record it names ("Great, another order gone missing. HP-10442. Absolutely brilliant
        // service."): where that order is, with the apology its answer makes, before any offer.
        if state.filling == nil, let read = readingOfARecordNamed(message) {
            message.understanding.decision = .matched(read)
            return nil
        }
        // So is a problem the words besides the praise (and the sarcasm) tell and read as ("great, the beanie you
        // sent is a completely different colour to the website. love that for me" is a wrong item). Not one
        // they tell nothing wrong of ("great service, I was on hold for an hour"), nor one that came ("brilliant,
        // the missing mug turned up today").
        if state.filling == nil {
            for rest in signals.withoutSarcasm(message.text) where signals.mentionsProblem(rest) && !signals.saysArrived(rest) {
                guard let reread = readRest(rest, at: message.at)?.matched,
                      reread.confidence >= Self.namesRequest, let intent = engine.bot.intent(named: reread.intent),
                      intent.isPlainRequest, !intent.toldMore.isEmpty else { continue }
                message.understanding.decision = .matched(reread)
                return nil
            }
        }
        trust(.misunderstanding)
        var outcome = simpleReply(offerHandoff(.frustration), text: message.text, understanding: message.understanding,
                                  answered: false, at: message.at)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// "I'm not unhappy, just asking", "I don't want to cancel it": the
    /// message says only what the customer does not want, or only dismisses
    /// ("actually no, leave it") with no question to call off. Nothing of it
    /// is done, and it is no miss: the bot says so and asks what they would like.
    mutating func acknowledgeDeclined(_ message: inout Message) -> TurnOutcome? {
        // Once a person is on the way, what the bot does not act on is theirs (`handed_over`).
        guard message.understanding.clarifiedMessage == nil, state.handedOffAt == nil else { return nil }
        // "Never mind, I'll keep it": a dismissal, then what the customer will do themselves,
        // read weakly as something else (the scarf's fabric). Nothing to do: said so.
        if let rest = signals.afterDismissal(message.text), !rest.isEmpty, !message.frustrated,
           !engine.profileReader.isQuestion(String(rest)), !rest.contains("?") {
            // (Or as small talk the words after the dismissal do not say: "ok forget it, I'll try tomorrow" read as
            // an acknowledgement by its "ok"; not "leave it as it is. thanks", whose thanks is the customer's.)
            let weak: Bool = switch message.understanding.decision {
            case .fallback, .ambiguous: true
            case .matched(let read):
                read.confidence < Self.weakReading || !message.understanding.byPattern && engine.bot.intent(named: read.intent).map { intent in
                    (intent.isPleasantry || intent.action == .introduce) && !(intent.isPleasantry
                        && engine.understand(String(rest), at: message.at, contexts: Set(state.contexts.keys)).matched?.intent == intent.name)
                } == true
            }
            if weak {
                message.understanding.answers = "a dismissal, and what the customer will do instead"
                return simpleReply(say(engine.bot.ladder.declinedRequest, .declinedRequest), text: message.text,
                                   understanding: message.understanding, answered: false, at: message.at)
            }
        }
        // "No wait don't cancel, I'll keep it": the request just answered refused, and what the customer will
        // do themselves (`act.self_phrases`), asking nothing, however the words read ("keep" as what a product
        // is made of).
        let rest = signals.wanted(message.text)
        // (Asking nothing besides the refusal: "don't cancel it" reads as a question by its "do".)
        // (And nothing else: "I will keep it but I need the bigger size sent" wants an exchange.)
        func onlyWhatTheyWillDo() -> Bool {
            let restWords = TextNormalizer.tokens(rest)
            guard signals.holds(restWords, .actSelfPhrases) else { return false }
            let phraseWords = Set(signals.lexicon[.actSelfPhrases].flatMap(TextNormalizer.tokens))
            let passed = signals.words(.fillerWords).union(signals.words(.fillerAcknowledgements)).union(signals.words(.dismissalFillers))
            return restWords.allSatisfy { phraseWords.contains($0) || passed.contains($0) || engine.commonWords.contains($0) }
        }
        if let last = state.lastIntent, message.understanding.declined.contains(last), !holdsAQuestion(rest), onlyWhatTheyWillDo() {
            message.understanding.decision = .fallback(best: message.understanding.matched ?? IntentCandidate(intent: last, confidence: 0))
            message.understanding.answers = "what the customer does not want (\(last)), and what they will do instead"
            return simpleReply(say(engine.bot.ladder.declinedRequest, .declinedRequest), text: message.text,
                               understanding: message.understanding, answered: false, at: message.at)
        }
        // ("Not interested in excuses" just after a late order's apology is no request called off: it is anger.)
        guard case .fallback = message.understanding.decision, !message.frustrated else { return nil }
        // What is left besides the refusal must ask nothing the bot missed: "just checking", or
        // nothing. "I don't want a refund, just a replacement in a 9" wants something.
        if !message.understanding.declined.isEmpty, signals.isOnlyAsking(rest) || engine.namesNothing(rest) {
            message.understanding.answers = "what the customer does not want (\(message.understanding.declined.joined(separator: ", ")))"
        } else if signals.afterDismissal(message.text)?.isEmpty == true {
            // "Actually no, leave it" after the address answer, with no question to call off.
            message.understanding.answers = "a dismissal, with nothing to call off"
        } else {
            return nil
        }
        return simpleReply(say(engine.bot.ladder.declinedRequest, .declinedRequest), text: message.text,
                           understanding: message.understanding, answered: false, at: message.at)
    }

    /// "Just checking HP-10501 was the candles right": read as nothing, but
    /// it names a record of the customer's by its identifier (an order, a
    /// member: `Engine.recordIdentifiers`; not a product or a country). It is
    /// answered as that value alone would be ("HP-10501": where the order
    /// is), from its data, rather than "I didn't follow"; so is the value with
    /// only the words a bare value may have around it, read as a request that
    /// takes no value of that kind ("sorry the order number is HP-10443", read
    /// as where to find an order number): the first value
    /// named, of a kind named once, whose bare reading is a request that looks
    /// that kind up. Not for a question or a request the bot did not read
    /// ("can you split HP-10443 into two deliveries" is no status question:
    /// it still gets "I didn't follow"), nor while a request gathers its
    /// values, nor once a person is on the way, nor for what the customer said
    /// they do not want. The reading is the value's own, with its confidence.
    mutating func lookUpWhatIsNamed(_ message: inout Message) -> TurnOutcome? {
        guard state.filling == nil, state.handedOffAt == nil,
              message.understanding.declined.isEmpty, !engine.profileReader.isQuestion(message.text),
              !signals.asksToAct(message.text) else { return nil }
        let named = recordsNamed(in: message)
        // Read as nothing, or as a request that takes no value of the kind named: "sorry the order
        // number is HP-10443" is no question of where to find an order number.
        switch message.understanding.decision {
        case .fallback: break
        case .matched(let read):
            guard let intent = engine.bot.intent(named: read.intent), intent.isPlainRequest,
                  !intent.slots.contains(where: { spec in named.contains { $0.entity == spec.entity } }),
                  named.count == 1, let value = named.first, signals.isBareValue(message.text, value: value) else { return nil }
        case .ambiguous: return nil
        }
        if let read = readingOfARecordNamed(message) { message.understanding.decision = .matched(read) }
        return nil
    }

    /// "I have two orders, HP-10442 and HP-10443. One came, the other
    /// didn't.": a statement naming two records of a kind or more, no problem
    /// and nothing to do, too close to call between two readings neither of
    /// which is sure, asks after each
    /// record as its identifier alone would (where each order is); the
    /// records are then answered one by one (`answerEachRequest`). Not a near
    /// tie either reading of which is sure enough to answer.
    mutating func lookUpTheRecordsNamed(_ message: inout Message) -> TurnOutcome? {
        // Only a statement that tells no problem and asks nothing to be done: "got HP-10442 and HP-10501 today
        // but one had a smashed candle" tells damage, "can HP-10442 and HP-10443 be delivered to my work" asks.
        guard case .ambiguous(let first, let second) = message.understanding.decision, state.filling == nil,
              message.understanding.declined.isEmpty, max(first.confidence, second.confidence) < Self.weakReading,
              !engine.profileReader.isQuestion(message.text), !signals.mentionsProblem(message.text),
              !signals.asksToAct(message.text) else { return nil }
        let named = recordsNamed(in: message)
        guard let first = named.first, Set(named.filter { $0.entity == first.entity }.map(\.value)).count >= 2,
              let read = readingAlone(of: first, at: message.at) else { return nil }
        message.understanding.decision = .matched(read)
        return nil
    }

    /// The words that name a request: its label's, and those of a quarter of its examples (`Engine.namingWords`).
    func wordsNaming(_ intent: Intent) -> Set<String> {
        Set(TextNormalizer.tokens(intent.label)).union(engine.namingWords[intent.name] ?? [])
    }

    /// Whether the message names a thing a record in focus holds ("the jumper" while HP-10442 is in focus).
    func namesAThingOfTheRecordInFocus(_ message: Message) -> Bool {
        engine.recordIdentifiers.contains { kind in
            guard let value = state.focus.value(for: kind) else { return false }
            return message.understanding.entities.contains { engine.row(of: kind, value, mentions: $0) }
        }
    }

    /// Whether `text` holds a word naming `intent` (`wordsNaming`) that is not common to the bot's requests.
    func namesInItsOwnWords(_ intent: Intent, in text: String) -> Bool {
        !wordsNaming(intent).subtracting(engine.commonWords).isDisjoint(with: TextNormalizer.tokens(text))
    }

    /// Whether records are named one after the other with nothing but "and",
    /// "or" or punctuation between them ("HP-10442 and HP-10501", "HP-10442, HP-10501").
    func namedTogether(_ records: [EntityMatch], in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars), joiners: Set<String> = ["and", "or", "plus"]
        let ordered = records.sorted { $0.start < $1.start }
        return zip(ordered, ordered.dropFirst()).allSatisfy { one, next in
            guard one.end <= next.start, next.start <= scalars.count else { return false }
            var between = String.UnicodeScalarView()
            between.append(contentsOf: scalars[one.end..<next.start])
            return TextNormalizer.tokens(String(between)).allSatisfy(joiners.contains)
        }
    }

    /// The records' identifiers the message names (`Engine.recordIdentifiers`), in order.
    func recordsNamed(in message: Message) -> [EntityMatch] {
        message.understanding.entities.filter { engine.recordIdentifiers.contains($0.entity) }.sorted { $0.start < $1.start }
    }

    /// The reading of the first record the message names by its identifier,
    /// of a kind named once, as that value alone would be read: a request that
    /// looks that kind up ("HP-10501" alone is where the order is).
    func readingOfARecordNamed(_ message: Message) -> IntentCandidate? {
        let named = recordsNamed(in: message)
        return named.lazy.filter { key in Set(named.filter { $0.entity == key.entity }.map(\.value)).count == 1 }
            .compactMap { readingAlone(of: $0, at: message.at) }.first
    }

    /// The record's identifier read alone, when that is a request that
    /// looks its kind up and only answers ("HP-10501" alone is where the
    /// order is); nil otherwise.
    func readingAlone(of key: EntityMatch, at: Date) -> IntentCandidate? {
        guard let read = engine.understand(key.text, at: at, contexts: Set(state.contexts.keys)).matched,
              let intent = engine.bot.intent(named: read.intent), intent.lookupSlot?.entity == key.entity,
              intent.suggestible, intent.action == nil, !intent.handsOff else { return nil }
        return read
    }

    /// "Where is HP-10442 and how much is the wool jumper?", "is the rain
    /// jacket in stock? also what are your hours in leeds", "HP-10442 and
    /// HP-10443, where are they?": each clear request is answered, in the
    /// order asked, as if it had come alone; the turn is recorded once, with
    /// every reply. Only requests count (not "thanks"), each must be
    /// understood on its own, and two clauses asking the same thing are one.
    mutating func answerEachRequest(_ message: inout Message) -> TurnOutcome? {
        guard message.awaited.task == nil, state.filling == nil, message.understanding.clarifiedMessage == nil,
              message.understanding.slotAnswer == nil, message.understanding.declined.isEmpty else { return nil }
        let (requests, story, came) = separateRequests(message)
        // A story told is answered by its problems and questions, even one alone. So is the one request of a
        // message whose other clauses only name things, when the whole reads as another: "my pine club number
        // is PC-118230, where is my order" asks where the order is, not the points (the number says who asks).
        if requests.isEmpty, let request = onlyRequestBesidesNames(message) { return answerInTurn([request], message) }
        // "Does the wool jumper itch? my last one from somewhere else was like wearing a hedge": the one request,
        // read alone, when the rest only tells of a thing from another shop (which may lead the whole elsewhere).
        if requests.count == 1, !story, signals.clauses(message.text).contains(where: { tellsOfAnotherShop(String($0.text)) }) {
            return answerInTurn(requests, message)
        }
        guard requests.count >= 2 || story && requests.count == 1 else { return nil }
        cameRecords = came
        return answerInTurn(requests, message)
    }

    /// Whether a clause is a statement about a thing from another shop (`purchase.elsewhere_phrases`: "my last
    /// one from somewhere else was like wearing a hedge"): no problem of ours, and no request of its own.
    func tellsOfAnotherShop(_ clause: String) -> Bool {
        !engine.profileReader.isQuestion(clause) && signals.holds(TextNormalizer.tokens(clause), .purchaseElsewherePhrases)
    }

    /// The one clause of a message that asks anything, when every other only names things and the
    /// whole message is read as the request that looks up what they name ("my pine club number is
    /// PC-118230, where is my order" as the points), and it reads alone, surely, as a request of
    /// another topic: that request, with everything the message names.
    private func onlyRequestBesidesNames(_ message: Message) -> (text: String, understanding: Understanding)? {
        guard let whole = message.understanding.matched, let wholeIntent = engine.bot.intent(named: whole.intent),
              let key = wholeIntent.lookupSlot?.entity, message.understanding.entities.contains(where: { $0.entity == key }) else { return nil }
        let clauses = signals.clauses(message.text)
        guard clauses.count >= 2, !clauses.contains(where: \.negated) else { return nil }
        let readings = clauses.map { engine.understand(String($0.text), at: message.at, contexts: Set(state.contexts.keys)) }
        let asking = clauses.indices.filter { !onlyNames(String(clauses[$0].text), readings[$0].entities) }
        guard asking.count == 1, let index = asking.first, let read = readings[index].matched, read.confidence >= Self.sureReading,
              let intent = engine.bot.intent(named: read.intent), intent.isPlainRequest, intent.topic != wholeIntent.topic,
              !intent.slots.contains(where: { $0.entity == key }),
              clauses.indices.contains(where: { $0 != index && readings[$0].entities.contains { $0.entity == key } }) else { return nil }
        var understanding = readings[index]
        understanding.entities = message.understanding.entities
        return (String(clauses[index].text), understanding)
    }

    /// "Do you have the merino beanie in navy": unsure whether that asks if
    /// it is in stock or what colours it comes in, both about the beanie it
    /// names. Rather than ask which, the bot answers both, as two requests:
    /// two requests of the same topic, each with a value the message names
    /// for one of its slots (not a record's number), each read at least at the threshold.
    mutating func answerBothReadings(_ message: inout Message) -> TurnOutcome? {
        guard case .ambiguous(let first, let second) = message.understanding.decision, message.awaited == .nothing,
              state.filling == nil, message.understanding.declined.isEmpty else { return nil }
        let threshold = engine.policy.settings.confidenceThreshold
        // Not an order by its number: two answers from one record say much the same twice.
        let named = Set(message.understanding.entities.map(\.entity)).subtracting(engine.recordIdentifiers)
        let intents = [first, second].compactMap { candidate -> Intent? in
            guard candidate.confidence >= threshold, engine.isSureEnough(candidate),
                  let intent = engine.bot.intent(named: candidate.intent), intent.isPlainRequest,
                  intent.slots.contains(where: { named.contains($0.entity) }) else { return nil }
            return intent
        }
        // Words besides the names ("in navy"): "the gloves" alone asks nothing in particular, and is asked about.
        guard intents.count == 2, intents[0].topic == intents[1].topic, !engine.namesNothing(withoutNames(message)) else { return nil }
        let requests = [first, second].map { candidate in
            var understanding = message.understanding
            understanding.decision = .matched(candidate)
            return (text: message.text, understanding: understanding)
        }
        // Recorded as the likelier reading, answered as both; the likelier is what the conversation is on.
        message.understanding.decision = .matched(first)
        let outcome = answerInTurn(requests, message)
        state.lastIntent = first.intent
        return outcome
    }

    /// Each request answered as if it had come alone, in order, as one turn
    /// recorded once with every reply.
    private mutating func answerInTurn(_ requests: [(text: String, understanding: Understanding)], _ message: Message) -> TurnOutcome? {
        var combined: TurnOutcome?
        // What each request's answer said, for a total of what they said (`totalSaid`).
        var answers: [String] = []
        // What follows the answers (an erasure question again, a person for a
        // frustrated customer) comes once, after the last.
        let aside = erasureAside
        answeringSeveral = true
        for (index, request) in requests.enumerated() {
            moreRequestsFollow = index < requests.count - 1
            erasureAside = moreRequestsFollow ? nil : aside
            // What one answer found is not the next one's.
            foundRecord = nil
            notFoundOptional = false
            usedFocus = []
            if index > 0 { confirmations = [] }
            // "I lost my card, number was PC-300771. can I still get points today?": a thing an earlier
            // request names is a later one's too, when it takes its kind and names none of its own. Not one
            // named as someone else's ("my mum's card is lost, number was PC-118230"), which is not read out.
            var understanding = request.understanding
            let startsAt = message.text.range(of: request.text).map { message.text.unicodeScalars.distance(from: message.text.unicodeScalars.startIndex, to: $0.lowerBound) } ?? 0
            if let intent = understanding.matched.flatMap({ engine.bot.intent(named: $0.intent) }) {
                let earlier = message.understanding.entities.filter {
                    found in found.end <= startsAt && intent.slots.contains(where: { $0.entity == found.entity }) && !namesAsSomeoneElses(found, in: message.text)
                }
                for found in earlier where !understanding.entities.contains(where: { $0.entity == found.entity }) {
                    // Of two records named before, the one holding what this request names: "got HP-10442
                    // and HP-10501 today but one had a smashed candle" is about the candles' order.
                    let things = signals.thingsNamed(of: engine.listedKinds[found.entity] ?? [], in: understanding.entities, text: request.text)
                    understanding.entities.append(engine.soleHolder(of: things, among: earlier.filter { $0.entity == found.entity }) ?? found)
                }
            }
            var part = Message(text: request.text, at: message.at, understanding: understanding, awaited: .nothing,
                               frustrated: message.frustrated && !moreRequestsFollow)
            // One request for each of several things ("do either of them have parking"): the detail asked is each one's.
            if request.text == message.text, request.understanding.matched?.intent == message.understanding.matched?.intent {
                part.details = message.details
            }
            let outcome = respondToDecision(&part)
            answers.append(outcome.replies.joined(separator: " "))
            guard var whole = combined else {
                combined = outcome
                continue
            }
            // A sentence an earlier answer of the turn said ("Order HP-10588 ... is 3 days late") is said
            // once; what the bot remembers saying is what it said.
            // So is a last clause said at the end of an earlier sentence ("..., and standard delivery is free on orders over £50.").
            let kept = outcome.replies.compactMap { AnswerSentences.without(whole.replies, in: $0) }
                .map { AnswerSentences.withoutClausesSaid(whole.replies, in: $0) }
            state.replaceLastReplies(outcome.replies, with: kept)
            whole.replies += kept
            if !kept.isEmpty { whole.quickReplies = outcome.quickReplies }
            whole.effects += outcome.effects.filter { if case .recordTurn = $0 { false } else { true } }
            combined = whole
        }
        moreRequestsFollow = false
        answeringSeveral = false
        guard var outcome = combined else { return nil }
        // "How much are the scarf and the beanie together?": the sum, after each one's answer.
        if let total = totalSaid(of: requests, answered: answers, in: message) {
            state.remember(.bot, total)
            outcome.replies.append(total)
        }
        // One turn, as the customer typed it, with every reply.
        outcome.effects = outcome.effects.map { effect in
            guard case .recordTurn(var turn) = effect else { return effect }
            turn.customerText = message.text
            turn.replies = outcome.replies
            return .recordTurn(turn)
        }
        outcome.understanding = message.understanding
        return outcome
    }

    /// "Who is K Patel?? nobody by that name lives here" while HP-10501 is in focus, whose `signed` column says
    /// it was signed for by 'K. Patel': a question with a name (a word written with a capital) that the
    /// customer's own record in focus holds (an order, a membership: not a product's row) and no other row of
    /// its table holds is about what the columns holding it tell. It is
    /// answered by the request that says that column for the record (`{orders.signed}`), of several the one
    /// the message ranks highest, not read as who the bot is. Not while the bot waits for something, nor for
    /// a word of any example (`Engine.exampleWords`: "who", "delivered" are words customers ask with).
    mutating func answerFromTheRecordsOwnWords(_ message: inout Message) -> TurnOutcome? {
        guard case .nothing = message.awaited, state.filling == nil, message.understanding.clarifiedMessage == nil,
              message.text.contains("?") || engine.profileReader.isQuestion(message.text) else { return nil }
        // A question of who ("who is K Patel??", "whos that"), or one the bot cannot read; never the customer
        // naming themselves ("I'm Kiran Patel by the way, can I return one of the candles?").
        let tokens = TextNormalizer.tokens(message.text)
        let unread = if case .fallback = message.understanding.decision { true } else { false }
        let introduces = zip(tokens, tokens.dropFirst()).contains { pair in
            pair == ("i", "am") || pair == ("my", "name") || pair == ("this", "is")
        }
        guard tokens.contains("who") || tokens.contains("whose") || unread, !introduces else { return nil }
        let asked = Set(TextNormalizer.tokens(message.text).filter {
            $0.count >= 3 && !$0.contains(where: \.isNumber) && !engine.exampleWords.contains($0)
        })
        guard !asked.isEmpty else { return nil }
        // Only the customer's own records (an order, a membership), whose rows hold names; not a product's row.
        for item in state.focus.items where engine.lookupKeyEntities.contains(item.entity) && engine.ownRecordKinds.contains(item.entity) {
            let readers = engine.bot.intents.filter { $0.lookupSlot?.entity == item.entity && $0.isPlainRequest }
            guard let tableName = readers.first?.lookup?.table, let table = engine.bot.tables[tableName],
                  let row = table.rows[DataTable.key(item.value)] else { continue }
            // The words asked that this record holds and no other row does, anywhere ("patel"), and the columns holding them.
            let others = table.rows.lazy.filter { $0.key != DataTable.key(item.value) }.flatMap(\.value.values)
            // Only names: written with a capital in the record ("K. Patel"), not "faff" of a sentence of it.
            let named = Set(row.values.flatMap { cell in
                cell.split(whereSeparator: { !$0.isLetter }).filter { $0.first?.isUppercase == true }.map { $0.lowercased() }
            })
            var own = asked.intersection(named)
            for cell in others where !own.isEmpty { own.subtract(TextNormalizer.tokens(cell)) }
            guard !own.isEmpty else { continue }
            var columns: Set<String> = []
            for (column, cell) in row where column != table.columns.first && !own.isDisjoint(with: TextNormalizer.tokens(cell)) {
                columns.insert(column.hasSuffix(DataTable.lateSuffix) ? String(column.dropLast(DataTable.lateSuffix.count)) : column)
            }
            guard !columns.isEmpty else { continue }
            let saying = readers.filter { intent in
                (intent.responses + intent.details.flatMap(\.responses)).contains { reply in
                    reply.placeholders.contains { placeholder in columns.contains { placeholder.name == tableName + "." + $0 } }
                }
            }
            guard let intent = message.understanding.highestRanked(saying), message.understanding.matched?.intent != intent.name else { continue }
            message.understanding.decision = .matched(IntentCandidate(intent: intent.name, confidence: max(message.understanding.confidence, Self.sureReading)))
            message.understanding.answers = "words only the record in focus holds"
            return respondToDecision(&message)
        }
        return nil
    }

    /// "I want to buy a blanket and a candle as a gift, how much together", "boots plus 2 pairs of socks, what's
    /// the total": a message that asks what things come to (signals.yaml `total.phrases` and `asking_phrases`)
    /// and names two or more rows of a request whose lookup adds up a column (`Lookup.total`; of several, the
    /// one the message ranks highest), read as
    /// something else (gift cards, what the boots are made of): that request for each, then their total
    /// (`totalSaid`). Not while the bot waits for something, nor beside a quantity it cannot count or another
    /// cost (`total.not_with`).
    mutating func answerTheTotalAsked(_ message: inout Message) -> TurnOutcome? {
        guard case .nothing = message.awaited, state.filling == nil, message.understanding.clarifiedMessage == nil else { return nil }
        let words = TextNormalizer.tokens(message.text)
        // A price asked ("how much", "what's the total?"), not a total told or a way to pay asked ("can I pay for
        // the scarf and the beanie together with paypal?", "the total on my statement is wrong").
        let asksAPrice = signals.valueAsked(message.text) == .amount
            || words.contains("total") && !signals.mentionsProblem(message.text)
                && signals.clauses(message.text).contains { $0.words.contains("total") && engine.profileReader.isQuestion(String($0.text)) }
        guard asksAPrice, signals.holds(words, .totalPhrases), !words.contains(where: signals.words(.totalNotWith).contains),
              signals.countsOnlyThings(message.text, named: message.understanding.entities) else { return nil }
        let adding = engine.bot.intents.filter { $0.lookup?.total != nil && $0.isPlainRequest }
        let candidates: [(intent: Intent, named: [EntityMatch])] = adding.compactMap { intent in
            guard let key = intent.lookupSlot?.entity else { return nil }
            var seen: Set<String> = []
            let named = message.understanding.entities.filter { $0.entity == key && seen.insert($0.value).inserted }
            return named.count >= 2 ? (intent, named) : nil
        }
        // Of several such requests (the price's, the stock's), the one the message ranks highest.
        guard let intent = message.understanding.highestRanked(candidates.map(\.intent)),
              let named = candidates.first(where: { $0.intent.name == intent.name })?.named,
              message.understanding.matched?.intent != intent.name else { return nil }
        // Not over a sure reading of a request about a record of another topic ("I returned the boots and the
        // socks, how much will I get back in total?" is the refund's; gift cards look nothing up).
        if let read = message.understanding.matched, read.confidence >= Self.sureReading,
           let other = engine.bot.intent(named: read.intent), other.topic != intent.topic, other.lookup != nil { return nil }
        let confidence = max(message.understanding.matched?.confidence ?? 0, Self.sureReading)
        let requests = named.map { thing in
            var understanding = message.understanding
            understanding.decision = .matched(IntentCandidate(intent: intent.name, confidence: confidence))
            understanding.entities = [thing]
            return (text: message.text, understanding: understanding)
        }
        message.understanding.decision = .matched(IntentCandidate(intent: intent.name, confidence: confidence))
        return answerInTurn(requests, message)
    }

    /// "How much are the scarf and the beanie together?", "what's the total for both": several requests of one
    /// intent whose lookup adds up a column (`Lookup.total`), each for another row, in a message that asks for
    /// the sum (signals.yaml `total`): what the lookup says of their sum, each row counted as often as the
    /// message counts it ("boots plus 2 pairs of socks": `CustomerSignals.count(of:in:)`). Only when each answer said its row's
    /// amount ("are the scarf and the beanie in stock together?" adds up nothing). Nil when a row lacks an
    /// amount, or amounts are of different kinds.
    mutating func totalSaid(of requests: [(text: String, understanding: Understanding)], answered: [String], in message: Message) -> String? {
        let words = TextNormalizer.tokens(message.text)
        // Counted when a count stands just before a thing ("boots plus 2 pairs of socks": £120 and twice £14); not
        // of a quantity it cannot count ("a few mugs"), nor beside a figure that counts no thing named ("the total
        // for 3 people"), nor beside delivery ("the total delivery cost to France").
        let besides = signals.words(.totalNotWith)
        guard !words.contains(where: besides.contains), signals.countsOnlyThings(message.text, named: message.understanding.entities) else { return nil }
        guard requests.count >= 2, signals.holds(words, .totalPhrases), signals.holds(words, .totalAsking),
              let name = requests.first?.understanding.matched?.intent,
              requests.allSatisfy({ $0.understanding.matched?.intent == name }),
              let intent = engine.bot.intent(named: name), let lookup = intent.lookup, let total = lookup.total,
              let key = intent.lookupSlot?.entity, let table = engine.bot.tables[lookup.table] else { return nil }
        let values = requests.compactMap { request in request.understanding.entities.first { $0.entity == key }?.value }
        guard values.count == requests.count, Set(values).count == values.count else { return nil }
        let said = values.compactMap { table.row(for: $0)?["\(lookup.table).\(total.column)"] }
        func says(_ amount: String, in answer: String) -> Bool {
            var from = answer.startIndex
            while let found = answer.range(of: amount, range: from..<answer.endIndex) {
                if found.upperBound == answer.endIndex || !answer[found.upperBound].isNumber { return true }
                from = found.upperBound
            }
            return false
        }
        guard said.count == values.count, answered.count == said.count, zip(said, answered).allSatisfy({ says($0, in: $1) }) else { return nil }
        let counts = values.map { value in
            message.understanding.entities.first { $0.entity == key && $0.value == value }.map { signals.count(of: $0, in: message.text) } ?? 1
        }
        let amounts = zip(said, counts).compactMap { amount, count in Amount(amount)?.times(count) }
        guard amounts.count == values.count, let sum = Amount.sum(amounts) else { return nil }
        return say(total.say, .total(intent: name), extra: ["total": sum.written])
    }

    /// The requests a message holds, each with the words that ask it: its
    /// clauses read one by one (a clause that is no request of its own joins
    /// none), or one request with several values of what it looks up.
    /// `came`: the records a clause said came (empty when it named none), or nil when none said so.
    private func separateRequests(_ message: Message) -> (requests: [(text: String, understanding: Understanding)], story: Bool, came: Set<String>?) {
        let contexts = Set(state.contexts.keys)
        func isRequest(_ candidate: IntentCandidate) -> Intent? {
            guard let intent = engine.bot.intent(named: candidate.intent), intent.isPlainRequest else { return nil }
            return intent
        }
        // "HP-10442 and HP-10443, where are they?": one request for each value it looks up.
        if let best = message.understanding.matched, let intent = isRequest(best), let key = intent.lookupSlot?.entity {
            // Not a value named as someone else's: "My number is PC-300771. Not PC-118230, that's my mum's."
            // asks after the customer's own membership only, and the other is never read out.
            var values = message.understanding.entities.filter {
                $0.entity == key && !namesAsSomeoneElses($0, in: message.text)
            }
            // Nor one the message says it does not mean, beside one it does: "I'm not talking about HP-10442,
            // where is HP-10443?" and "not HP-10442, I mean HP-10443" ask after HP-10443 alone.
            values = signals.meant(values, in: message.text)
            var distinct = values.reduce(into: [EntityMatch]()) { kept, value in
                if !kept.contains(where: { $0.value == value.value }) { kept.append(value) }
            }
            // "Do either of them have parking" after the Edinburgh and the Leeds shops: each of the last
            // two talked about (the one in focus, and the one it displaced), when the message names none.
            // Not when the message names things such records list: "can I return both the jumper and the mug" is both things.
            let recent = state.focus.values(for: key)
            let namesListed = message.understanding.entities.contains { engine.listedKinds[key]?.contains($0.entity) == true }
            if distinct.isEmpty, recent.count >= 2, !namesListed, signals.refersToBoth(message.text) {
                distinct = recent.prefix(2).reversed().map { EntityMatch(entity: key, text: $0, value: $0, start: 0, end: 0) }
            }
            let listed = engine.listedKinds[key] ?? []
            // "HP-10442 and HP-10501, the candle is smashed": a problem told of a thing only one of two records
            // named together ("A and B") holds is about that one, answered alone, not with the other's
            // whereabouts and "I can't see any candle in HP-10442". Only a statement that names each record
            // once and no other ("where is HP-10443, and can I still return the scarf from HP-10702" asks about
            // both; so does "HP-10442 and HP-10501: the candles came fine but the other one never arrived").
            if distinct.count >= 2, values.count == distinct.count, !signals.meansAnother(message.text),
               let holder = engine.soleHolder(of: signals.thingsNamed(of: listed, in: message.understanding.entities, text: message.text), among: distinct),
               namedTogether(values, in: message.text), signals.mentionsProblem(message.text),
               !signals.clauses(message.text).contains(where: { engine.profileReader.isQuestion(String($0.text)) }) {
                var understanding = message.understanding
                understanding.entities = message.understanding.entities.filter { $0.entity != key } + [holder]
                return ([(message.text, understanding)], true, nil)
            }
            if distinct.count >= 2 {
                // A thing such records list goes with the value whose record holds it, when one does: "where is
                // HP-10443, and can I still return the scarf from HP-10702" asks nothing about a scarf in HP-10443.
                func belongsElsewhere(_ thing: EntityMatch, than value: EntityMatch) -> Bool {
                    listed.contains(thing.entity) && !engine.row(of: key, value.value, mentions: thing)
                        && distinct.contains { engine.row(of: key, $0.value, mentions: thing) }
                }
                return (distinct.map { value in
                    var understanding = message.understanding
                    understanding.entities = message.understanding.entities.filter { $0.entity != key && !belongsElsewhere($0, than: value) } + [value]
                    return (message.text, understanding)
                }, false, nil)
            }
        }
        let clauses = signals.clauses(message.text).filter { !$0.negated }
        guard clauses.count >= 2 else { return ([], false, nil) }
        var requests: [(text: String, understanding: Understanding)] = []
        // What each request's own words name to look up.
        var named: [Set<String>] = []
        // Whether each request's clause was read with the name of the thing it points back at.
        var pointsAtTheNamedThing: [Bool] = []
        // Where each request's clause ends in the message.
        var clauseEnds: [String.Index] = []
        // "What are the opening hours for your Edinburgh shop and where is it?": "it" in a clause
        // naming nothing to look up is the one such thing the message names elsewhere, and the clause
        // is read with its name ("where is it" alone reads as an order's whereabouts).
        let things = message.understanding.entities.filter { engine.focusEntities.contains($0.entity) }
        // Before the only such things are named, "it" is the thing most in focus: "where exactly is it, and do they
        // have walking boots in size 9" just after the Edinburgh shop's hours asks where that shop is.
        // (A thing of another kind than those named, and no record: "and the other one? when will the boots get
        // here" with HP-10588 in focus is about the boots.)
        let inFocus = state.focus.items.first(where: { engine.focusEntities.contains($0.entity) })
            .flatMap { item in
                engine.recordIdentifiers.contains(item.entity) || things.contains(where: { $0.entity == item.entity }) ? nil : item.value
            }
        // Each clause read alone, once: for the clauses naming things below, and as the reading of a clause read
        // with no name.
        let alone = clauses.map { engine.understand(String($0.text), at: message.at, contexts: contexts) }
        let names: [String?] = clauses.map { clause in
            guard signals.refersBack(String(clause.text)), !things.contains(where: { clause.scalarRange.contains($0.start) }) else { return nil }
            // (Only when the clauses naming them ask their own, not "is it in stock? the rain jacket i mean".)
            if !things.isEmpty, things.allSatisfy({ $0.start >= clause.scalarRange.upperBound }), let inFocus,
               things.allSatisfy({ thing in
                   clauses.firstIndex { $0.scalarRange.contains(thing.start) }.map { naming in
                       !onlyNames(String(clauses[naming].text), alone[naming].entities)
                   } ?? false
               }) { return inFocus }
            return Set(things.map(\.value)).count == 1 ? things.first?.text : nil
        }
        let readWithName = names.map { $0 != nil }
        let readings = clauses.indices.map { index in
            names[index].map { engine.understand(String(clauses[index].text) + " " + $0, at: message.at, contexts: contexts) } ?? alone[index]
        }
        // "My candles arrived smashed, order HP-10501": a clause that only names a thing
        // ("order HP-10501", "HP-10501 btw") asks nothing of its own; what it names goes to the others.
        // So does one that only says the thing came ("order HP-10442 arrived and the mug is cracked",
        // "HP-10588 came today but only one pair of socks in the box"): what came is no question of
        // where it is, and the record's whereabouts would tell the customer they do not hold it.
        // Only that: no question, no problem, and nothing named but the record ("order HP-10442 arrived
        // with the mug cracked" tells the damage).
        func saysOnlyItCame(_ index: Int) -> Bool {
            let text = String(clauses[index].text), entities = readings[index].entities
            return saysItCame(text, entities) && !engine.profileReader.isQuestion(text) && !signals.mentionsProblem(text)
                && !entities.contains(where: { engine.focusEntities.contains($0.entity) && !engine.recordIdentifiers.contains($0.entity) })
        }
        // "Can I cancel just the mug and keep the jumper?": a statement about a thing the order in play
        // holds says which part of it the request is about; it asks nothing about the thing as such
        // (what the jumper is made of). The order in play is one the message names, or one in focus or
        // displaced from it.
        let records = message.understanding.entities.filter { engine.recordIdentifiers.contains($0.entity) }
            .map { ($0.entity, $0.value) }
            + engine.recordIdentifiers.flatMap { kind in state.focus.values(for: kind).map { (kind, $0) } }
        // Not one that tells what came or a problem with it ("only the socks came"): that is a request.
        // Nor one read surely as a request ("and I'd like the care instructions for the wool jumper").
        func onlyPartOfTheRecord(_ index: Int, _ intent: Intent) -> Bool {
            let text = String(clauses[index].text)
            guard let kind = intent.lookupSlot?.entity, !engine.profileReader.isQuestion(text),
                  (readings[index].matched?.confidence ?? 0) < Self.weakReading,
                  !saysItCame(text, readings[index].entities), !signals.mentionsProblem(text) else { return false }
            let things = readings[index].entities.filter { $0.entity == kind }
            return !things.isEmpty && records.contains { record in
                engine.listedKinds[record.0]?.contains(kind) == true && things.allSatisfy { engine.row(of: record.0, record.1, mentions: $0) }
            }
        }
        func asksItsOwn(_ index: Int) -> Bool {
            guard let best = readings[index].matched, let intent = isRequest(best), !saysOnlyItCame(index),
                  !onlyPartOfTheRecord(index, intent) else { return false }
            // Not a clause that only names someone else's record ("Not PC-118230, that's my mum's"): never read out.
            // Nor one that names a record only to say it is not meant ("not HP-10442, I mean HP-10443").
            let text = String(clauses[index].text)
            // Nor a statement about a thing from another shop ("my last one from somewhere else was like wearing a
            // hedge" beside whether the wool jumper itches): no problem of ours (`purchase.elsewhere_phrases`).
            if tellsOfAnotherShop(text) { return false }
            let records = readings[index].entities.filter { engine.recordIdentifiers.contains($0.entity) }
            if !records.isEmpty, records.allSatisfy({ record in
                // (Where the record is in the whole message: "I got HP-10442 but not HP-10443" sets none aside.)
                var inMessage = record
                inMessage.start += clauses[index].scalarRange.lowerBound
                inMessage.end += clauses[index].scalarRange.lowerBound
                return namesAsSomeoneElses(record, in: message.text) || signals.setsAside(inMessage, in: message.text)
            }) {
                return false
            }
            // "What about the gloves, how much are they": a clause that only names a thing a later clause
            // asks about, pointing back at it, asks nothing of its own.
            if onlyNames(text, readings[index].entities), clauses.indices.contains(where: { $0 > index && names[$0] != nil }) {
                return false
            }
            return engine.profileReader.isQuestion(text) || !onlyNames(text, readings[index].entities)
        }
        // What a request's own clause names is that request's ("do you still sell the grey wool beanie?"),
        // not the other clauses' ("where's my order HP-10655").
        // The records the clauses that only say something came name.
        let cameClauses = clauses.indices.filter(saysOnlyItCame)
        let came: Set<String>? = cameClauses.isEmpty ? nil
            : Set(cameClauses.flatMap { readings[$0].entities.filter { engine.recordIdentifiers.contains($0.entity) }.map(\.value) })
        let ownedByRequests = Set(clauses.indices.filter(asksItsOwn).flatMap { readings[$0].entities.map { $0.entity + "=" + $0.value } })
        for (index, clause) in clauses.enumerated() {
            let text = String(clause.text)
            var reading = readings[index]
            guard var best = reading.matched, asksItsOwn(index) else { continue }
            var own = Set(reading.entities.filter { engine.lookupKeyEntities.contains($0.entity) }.map(\.value))
            // "... and second I wanted to know if I get pine club points on it, my number is PC-118230": a clause
            // naming nothing to look up, of the topic of the request the whole message was read as, whose key
            // another clause only names, is that request, for that key (not joining the club, as it reads alone).
            if own.isEmpty, let whole = message.understanding.matched, whole.intent != best.intent,
               let wholeIntent = engine.bot.intent(named: whole.intent), wholeIntent.isPlainRequest,
               wholeIntent.topic == engine.bot.intent(named: best.intent)?.topic, let key = wholeIntent.lookupSlot?.entity,
               case let keys = message.understanding.entities.filter({ $0.entity == key }), Set(keys.map(\.value)).count == 1,
               let value = keys.first, !ownedByRequests.contains(value.entity + "=" + value.value) {
                best = whole
                reading.decision = .matched(whole)
                own = [value.value]
            }
            // "The blanket still hasn't arrived. Order HP-10610": what the message
            // names once, and this clause does not, belongs to every clause, unless another request names it.
            for kind in Set(message.understanding.entities.map(\.entity)) where !reading.entities.contains(where: { $0.entity == kind }) {
                let values = message.understanding.entities.filter { $0.entity == kind }
                if Set(values.map(\.value)).count == 1, let value = values.first, !ownedByRequests.contains(value.entity + "=" + value.value) {
                    reading.entities.append(value)
                }
            }
            // The same request twice ("I ordered a scarf and got a mug": the wrong item, twice) is
            // answered once: only the values its slots take make two answers differ.
            let kinds = Set(engine.bot.intent(named: best.intent)?.slots.map(\.entity) ?? [])
            func used(_ understanding: Understanding) -> Set<String> {
                Set(understanding.entities.filter { kinds.contains($0.entity) }.map(\.value))
            }
            if requests.contains(where: { $0.understanding.matched?.intent == best.intent && used($0.understanding) == used(reading) }) { continue }
            // "This is ridiculous" is a mood, not a request of its own.
            if signals.isFrustrated(text) && reading.entities.isEmpty { continue }
            requests.append((text, reading))
            named.append(own)
            pointsAtTheNamedThing.append(readWithName[index])
            clauseEnds.append(clause.text.endIndex)
        }
        // "Got part of HP-10588 today, the boots came but the socks didn't": parts that are all the one request
        // that looks a record up, for one record at most (a part naming none is about the one another names),
        // are that request once, read whole: each part alone would tell only half of what came.
        if requests.count >= 2, let only = requests.first?.understanding.matched?.intent,
           requests.allSatisfy({ $0.understanding.matched?.intent == only }),
           let key = engine.bot.intent(named: only)?.lookupSlot?.entity,
           Set(requests.flatMap { $0.understanding.entities.filter { $0.entity == key }.map(\.value) }).count <= 1 {
            return ([], false, nil)
        }
        // A message the ranker read as one confident request is split only when
        // each part names its own thing to look up ("the rain jacket" ... "leeds"):
        // "I moved and forgot to update it, is it too late to send it to my new
        // flat?" is one request about an address, however its clauses read alone.
        // So is one whose clauses are each a question read with some confidence as a request of its
        // own, one of them the request the whole message was read as: "do you deliver to Ireland and
        // do you have any discounts on?" (offers, as a whole). Not "how long will the deletion take?
        // and will I lose my Pine Club points?", closing an account as a whole, whose clauses alone
        // read as how long data is kept and a points balance.
        if let whole = message.understanding.matched {
            let eachNamesItsOwn = named.allSatisfy { !$0.isEmpty } && Set(named).count == named.count
            let intents = requests.compactMap { $0.understanding.matched?.intent }
            // None pointing back at what the first named and asking what the first request's examples
            // ask ("where is HP-10442 and when will it arrive?"; "... and can I return it?" asks its own),
            // when the whole is read as the first: "how much is delivery and how long does it take?", read
            // as how long, would leave the price unsaid.
            let first = requests.first.flatMap { $0.understanding.matched }.flatMap { engine.bot.intent(named: $0.intent) }
                .flatMap { $0.name == whole.intent ? $0 : nil }
            // One read with that name asks its own when it reads as another request ("and where is it?"
            // after the Edinburgh shop's hours is its address).
            let eachAsksItsOwn = Set(intents).count == requests.count && intents.contains(whole.intent)
                && !zip(requests, pointsAtTheNamedThing).dropFirst().contains { later, withName in
                    !withName && signals.refersBack(later.text) && first.map { engine.speaksTo(later.text, answer: "", intent: $0) } == true
                }
                && requests.allSatisfy { request in
                    engine.profileReader.isQuestion(request.text) && (request.understanding.matched?.confidence ?? 0) >= Self.weakReading
                }
            guard eachNamesItsOwn || eachAsksItsOwn else { return ([], false, nil) }
        }
        // "Got HP-10588 today. Boots are there. Socks are not. I paid for two pairs.": a message read as
        // one of two requests, too close to call, is split only when one of its parts is one of them;
        // parts that read as neither (what the socks are, a second charge) are the telling of it.
        if case .ambiguous(let first, let second) = message.understanding.decision,
           !requests.contains(where: { [first.intent, second.intent].contains($0.understanding.matched?.intent) }) {
            return ([], false, nil)
        }
        // "So I got my parcel today, order HP-10377, ... but when I opened it the mug was smashed ...
        // Not happy. What can you do?": three requests or more in one message, one of them a problem
        // ("the mug was smashed": `problem` in signals.yaml), are a story told, not a list of questions.
        // What it asks is its problems and its questions (with a question mark) that seek an answer of
        // their own; what it only tells ("I got my parcel today"), or a question of what the bot can do
        // (an intent that `resolves: false`), goes with them. A message with no problem in it ("where is
        // HP-10442, can I return the boots, and do you sell gift cards?") is left as it is.
        if requests.count >= Self.storyRequests, requests.contains(where: { signals.mentionsProblem($0.text) }) {
            // A question there ends with its question mark ("which I was really excited about" asks nothing).
            func asked(_ index: Int) -> Bool {
                message.text[clauseEnds[index]...].drop(while: { $0 == " " }).first == "?"
            }
            let kept = requests.indices.filter { index in
                let intent = requests[index].understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }
                return signals.mentionsProblem(requests[index].text) || asked(index) && intent?.resolves == true
            }.map { requests[$0] }
            if !kept.isEmpty { return (kept, true, came) }
        }
        // What is left of a message that said the thing came is told as a story: answered alone too. Not a
        // statement alone that reads as another request than the whole message, read surely: "got my
        // order HP-10702 and it's gloves not a scarf" is the wrong item, not what the gloves are made of.
        if came != nil, requests.count == 1, let left = requests.first, let whole = message.understanding.matched,
           whole.confidence >= Self.sureReading, left.understanding.matched?.intent != whole.intent,
           !engine.profileReader.isQuestion(left.text), !signals.mentionsProblem(left.text) {
            return ([], false, nil)
        }
        return (requests, came != nil, came)
    }

    /// Whether a message says the thing came (`CustomerSignals.saysArrived`),
    /// read as written and with each record it names read as "my order":
    /// "got HP-10588 today" says "got my order today". ("I got yesterday's
    /// email about HP-10610" says nothing came.) With `orPart`, a thing a
    /// record lists is read so too: "the jumper came but no mug" says some
    /// of the order came (which a record of an order sent in parts already says).
    func saysItCame(_ text: String, _ entities: [EntityMatch], orPart: Bool = false) -> Bool {
        if signals.saysArrived(text) { return true }
        let records = entities.filter { engine.recordIdentifiers.contains($0.entity) || orPart && engine.listedThings.contains($0.entity) }
        guard !records.isEmpty else { return false }
        var scalars = Array(text.unicodeScalars)
        for record in records.sorted(by: { $0.start > $1.start }) where record.start >= 0 && record.end <= scalars.count {
            scalars.replaceSubrange(record.start..<record.end, with: Array(Self.recordAsSaid.unicodeScalars))
        }
        var read = String.UnicodeScalarView()
        read.append(contentsOf: scalars)
        return signals.saysArrived(String(read))
    }

    /// How a record named is read when asking whether the message says it came.
    static let recordAsSaid = "my order"

    /// The words of the bot's last replies (`repliesRecalled`): a word the
    /// customer takes up from them is the bot's own, said of what it was on.
    var wordsOfTheLastReplies: Set<String> {
        Set(state.recent.filter { $0.speaker == .bot }.suffix(Self.repliesRecalled).flatMap { TextNormalizer.tokens($0.text) })
    }

    /// The words of the customer's message just before this one, which the last answer answered ("I've
    /// got a gift voucher, can I use it online?" before "does the voucher expire?").
    var wordsOfTheCustomerBefore: Set<String> {
        Set(state.recent.filter { $0.speaker == .customer }.dropLast().suffix(1).flatMap { TextNormalizer.tokens($0.text) })
    }

    /// Whether what the message names includes a record by its identifier ("HP-10442").
    func namesARecord(_ understanding: Understanding) -> Bool {
        understanding.entities.contains { engine.recordIdentifiers.contains($0.entity) }
    }

    /// The bot's last replies whose words a follow-up may take up without
    /// naming another request (the answer, and an offer or a "no problem" after it).
    static let repliesRecalled = 3

    /// How many requests one message must hold to be read as a story told,
    /// whose problems and real questions are answered (`separateRequests`).
    static let storyRequests = 3

    /// Whether a clause only names things: without its entities, nothing but
    /// the fillers a bare value may have around it (signals.yaml
    /// `bare_value.fillers`: "order", "number", "my"...) and the words of the
    /// kinds named ("order" of `order_number`), so no request of its own.
    func onlyNames(_ text: String, _ entities: [EntityMatch]) -> Bool {
        guard !entities.isEmpty else { return false }
        let scalars = Array(text.unicodeScalars)
        var kept = String.UnicodeScalarView()
        for (offset, scalar) in scalars.enumerated() {
            kept.append(entities.contains { $0.start <= offset && offset < $0.end } ? " " : scalar)
        }
        let kindWords = Set(entities.flatMap { $0.entity.split(separator: "_").map(String.init) })
        let fillers = signals.words(.bareValueFillers)
        return TextNormalizer.tokens(String(kept)).allSatisfy { fillers.contains($0) || kindWords.contains($0) }
    }

    /// Whether an intent has a slot the thing in focus would fill (the
    /// message naming no thing of that kind itself).
    /// With `salience`, only a thing in focus at least that salient: one
    /// brought into focus by the message just before (by the customer or the
    /// bot's answer) is at `Focus.lasting - 1` once this message has faded it.
    func usesFocus(_ name: String, _ message: Message, salience: Int = 1) -> Bool {
        guard let intent = engine.bot.intent(named: name) else { return false }
        return intent.slots.contains { slot in
            state.focus.items.contains { $0.entity == slot.entity && $0.salience >= salience }
                && !message.understanding.entities.contains { $0.entity == slot.entity }
        }
    }

    /// "What colours will it come in?" just after the scarf, read as nothing
    /// in particular: a follow-up about the thing in focus is likelier than a
    /// miss. The best reading that can use it is taken when it reaches a
    /// third of the confidence threshold and is the best of the ranking's
    /// first five. And a message that points back at it ("when will it
    /// arrive?" just after HP-10442), read as a request that cannot use it,
    /// is the best of the first three readings that can, if the ranker gives
    /// it at least a sixth of its first reading's confidence.
    mutating func leanOnFocus(_ message: inout Message) -> TurnOutcome? {
        // "I don't want excuses, I want to know where it is" just after HP-10443's answer, too close to
        // call between what the bot knows of the customer and where the order is: of a near tie, the one
        // reading that can use the thing in focus, when the message points back at it.
        // (Whatever else the message turns down: "I don't want excuses".)
        if case .ambiguous(let first, let second) = message.understanding.decision, message.understanding.clarifiedMessage == nil,
           state.filling == nil, message.details.isEmpty, signals.refersBack(message.text),
           !message.understanding.entities.contains(where: { engine.focusEntities.contains($0.entity) }),
           usesFocus(first.intent, message) != usesFocus(second.intent, message) {
            let leaning = usesFocus(first.intent, message) ? first : second
            if engine.isSureEnough(leaning), !message.understanding.declined.contains(leaning.intent), let intent = engine.bot.intent(named: leaning.intent),
               intent.action == nil, !intent.handsOff, !intent.endsConversation {
                message.understanding.decision = .matched(leaning)
            }
            return nil
        }
        guard message.understanding.clarifiedMessage == nil,
              state.filling == nil, !state.focus.items.isEmpty, message.details.isEmpty else { return nil }
        let declined = message.understanding.declined
        // "When will it arrive?" just after HP-10442 was found 9 days late: read as delivery times
        // in general, but "it" is the order, and the order's own answer is the one that can use it.
        // Not when the reading is the request the conversation is on: "how do I do that?" after returns.
        if declined.isEmpty, case .matched(let read) = message.understanding.decision, engine.bot.intent(named: read.intent)?.suggestible == true,
           read.intent != state.focus.subject?.value, !usesFocus(read.intent, message), signals.refersBack(message.text),
           !message.understanding.entities.contains(where: { engine.focusEntities.contains($0.entity) }),
           let best = message.understanding.ranking.prefix(3).first(where: { $0.intent != read.intent && usesFocus($0.intent, message) }),
           // At a sixth of the first reading; or any, when it is the request just answered ("when will it
           // arrive" just after HP-10442's, read as delivery times at 0.94 and the order at 0.06), or
           // when what it uses came into focus with the message just before ("when will it arrive now?"
           // just after changing HP-10501's address: "it" is that order).
           best.confidence >= Self.focusFloor,
           best.confidence * 6 >= read.confidence || best.intent == state.lastIntent
               || usesFocus(best.intent, message, salience: Focus.lasting - 1),
           engine.isSureEnough(best),
           let intent = engine.bot.intent(named: best.intent), intent.action == nil, !intent.handsOff, !intent.endsConversation,
           examplesSpeak(to: message, intent) {
            message.understanding.decision = .matched(best)
            return nil
        }
        guard case .fallback = message.understanding.decision else { return nil }
        if let best = readingLeaningOnFocus(message) { message.understanding.decision = .matched(best) }
        return nil
    }

    /// "Can you tell me her phone number so I can text her?", "what's her email on the account?": the bot
    /// gives out no one else's details (bot.yaml `someone_elses_details`), whatever the message reads as
    /// (the shop's own number, how to change one's email). Not while the bot waits for something.
    mutating func refuseSomeoneElsesDetails(_ message: inout Message) -> TurnOutcome? {
        guard !engine.bot.ladder.someoneElsesDetails.isEmpty, case .nothing = message.awaited,
              signals.asksForSomeoneElsesDetails(message.text) else { return nil }
        message.understanding.decision = .fallback(best: message.understanding.matched ?? IntentCandidate(intent: "", confidence: 0))
        message.understanding.answers = "someone else's details asked for"
        return simpleReply(say(engine.bot.ladder.someoneElsesDetails, .someoneElsesDetails), text: message.text,
                           understanding: message.understanding, answered: false, at: message.at)
    }

    /// "Who signed for it?", "HP-10655" just after the bot would not read out an order named as the
    /// customer's sister's (`DialogueState.refusedAsSomeoneElses`), or "can you at least tell me what she
    /// ordered?" in the message after (a person named, not "they": couriers are "they" too): naming no
    /// other record (a bare key just after the refusal is hers) and not claiming one as the customer's own
    /// ("my order"), read as a request that needs a record of that table, or as nothing and naming nothing
    /// else, it is about that record still. The refusal's first sentence is said again ("As I said: ..."),
    /// then its other sentences; not a question for the number, nor the record.
    mutating func keepSomeoneElsesRecordClosed(_ message: inout Message) -> TurnOutcome? {
        guard let table = state.refusedAsSomeoneElses, case .nothing = message.awaited, !signals.claimsAsOwn(message.text) else { return nil }
        let lookups = engine.bot.intents.filter { $0.lookup?.table == table && engine.bot.someoneElse(of: $0) != nil }
        // About that person ("what she ordered"), or, just after the refusal, any request of that table
        // ("who signed for it?"): the refusal's words are the bot's last.
        let openings = lookups.compactMap { engine.bot.someoneElse(of: $0)?.texts }.joined().compactMap { AnswerSentences.split($0.source).first?.prefix(40) }
        func refuses(_ line: String) -> Bool { openings.contains { line.contains($0) } }
        let refusalJustNow = state.lastBotTurn.contains(where: refuses)
        // Or about that person, in the message after ("can you at least tell me what she ordered?"): not for long,
        // nor any message with "they" in it ("the courier said they tried to deliver").
        let botLinesLately = state.recent.dropLast().suffix(4).filter { $0.speaker == .bot }.map(\.text)
        let person = signals.words(.otherPeopleWords).subtracting(["they", "them", "their", "theirs"])
        let aboutAPerson = TextNormalizer.tokens(message.text).contains(where: person.contains)
        guard refusalJustNow || botLinesLately.contains(where: refuses) && aboutAPerson else { return nil }
        let keys = Set(lookups.compactMap { $0.lookupSlot?.entity })
        // A key named is looked up as named (and refused if named as someone else's); but a bare key just after the
        // refusal ("HP-10655" after "can you check where my wife's order is?") is that person's record's.
        let named = message.understanding.entities.filter { keys.contains($0.entity) }
        guard named.isEmpty || refusalJustNow && named.count == 1 && signals.isBareValue(message.text, value: named[0]) else { return nil }
        let read: String? = switch message.understanding.decision {
        case .matched(let best): best.intent
        case .ambiguous(let first, _): first.intent
        case .fallback: nil
        }
        // Only a request that needs the record ("who signed for it?"), not one with an answer for anyone
        // ("can my husband collect an order for me?").
        func needsTheRecord(_ intent: Intent) -> Bool { intent.slots.contains { $0.name == intent.lookup?.slot && $0.required } }
        var intent = read.flatMap { name in lookups.first { $0.name == name } }
        // Read as nothing, or weakly as something else: the record's, for a bare key or a message naming
        // nothing else ("she's K. Patel, she signed for it"; not "can my son return a jumper he got as a present?").
        if intent.map(needsTheRecord) != true, message.understanding.confidence < Self.sureReading,
           named.count == 1 || message.understanding.entities.isEmpty {
            intent = lookups.first(where: needsTheRecord)
        }
        guard let intent, needsTheRecord(intent), let refusal = engine.bot.someoneElse(of: intent) else { return nil }
        var refusing = self
        let sentences = AnswerSentences.split(refusing.say(refusal.texts, refusal.source))
        guard let first = sentences.first else { return nil }
        message.understanding.decision = .fallback(best: IntentCandidate(intent: intent.name, confidence: message.understanding.matched?.confidence ?? 0))
        message.understanding.answers = "someone else's record, not read out"
        var reply = say(engine.bot.ladder.saidBefore, .saidBefore, extra: ["reply": first])
        // Said just now: what the other person can do (the refusal's other sentences), never the same words twice.
        if state.lastBotTurn.contains(reply) {
            guard sentences.count > 1 else { return nil }
            reply = sentences.dropFirst().joined(separator: " ")
        }
        return simpleReply(reply, text: message.text, understanding: message.understanding, answered: false, at: message.at)
    }

    /// "Actually sorry, found it, it was there on the 14th. ignore me", "K. Patel is a neighbour, she had the
    /// parcel! so all sorted": the request the conversation is on (one in focus, a person offered or on the
    /// way) solved, in a statement that tells no new problem and denies nothing: said so (bot.yaml
    /// `solved`), and no person offered again; once a person has it, noted for them as well.
    mutating func takeItAsSolved(_ message: inout Message) -> TurnOutcome? {
        guard !engine.bot.ladder.solved.isEmpty, signals.saysSolved(message.text), !message.frustrated, !message.sarcastic,
              !message.text.contains("?"), !engine.profileReader.isQuestion(message.text), !signals.mentionsProblem(message.text),
              signals.afterDismissal(message.text) == nil, message.awaited.task == nil else { return nil }
        // "I haven't found it", "still not sorted": not solved.
        let words = TextNormalizer.tokens(message.text)
        let denying = signals.words(.stillAProblemNegations).subtracting(["no"]).union(["still", "yet"])
        guard !words.contains(where: denying.contains) else { return nil }
        let onAProblem: Bool = if case .person = message.awaited { true } else { false }
        guard onAProblem || state.handedOffAt != nil || subjectIntent != nil else { return nil }
        message.understanding.decision = .fallback(best: message.understanding.matched ?? IntentCandidate(intent: "", confidence: 0))
        message.understanding.answers = "the problem solved"
        var reply = say(engine.bot.ladder.solved, .solved)
        if state.handedOffAt != nil, !engine.bot.ladder.handedOverNoted.isEmpty {
            reply += " " + say(engine.bot.ladder.handedOverNoted, .handedOverNoted)
        }
        state.awaiting = .nothing
        return simpleReply(reply, text: message.text, understanding: message.understanding, answered: false, at: message.at)
    }

    /// "No I'm not giving you my order number, just put me through": one clause of a message of two or
    /// more that, read alone, surely asks for a person (an intent that `handsOff`), neither refused ("no
    /// need for a person") nor reported ("your agent said someone would call").
    func clauseAskingForAPerson(_ message: Message) -> IntentCandidate? {
        let clauses = signals.clauses(message.text)
        guard clauses.count >= 2 else { return nil }
        let negations = signals.words(.stillAProblemNegations).union(signals.words(.personReported))
        let contexts = Set(state.contexts.keys)
        let person = signals.words(.personWords).union(["through", "transfer"])
        for clause in clauses where !clause.negated && !clause.words.contains(where: negations.contains) && clause.words.contains(where: person.contains) {
            let reading = engine.understand(String(clause.text), at: message.at, contexts: contexts)
            if let read = reading.matched, read.confidence >= Self.sureReading, engine.bot.intent(named: read.intent)?.handsOff == true {
                return read
            }
        }
        return nil
    }

    /// "I want the return processed properly and someone to actually look
    /// into it" just after the return's answer: the request just answered,
    /// asked again, beside a clause of its own that asks for a person (a
    /// word for one, read surely alone as a request that hands off). The
    /// person is what is new: not the same answer again.
    ///
    /// The clause asks for a person (`person.asking`: "want", "look"), says no
    /// no (`still_a_problem.negations`: "no person please, just the tracking")
    /// and reports no one's words (`person.reported`: "your agent told me
    /// someone would look into it"); the rest of the message, read alone, is
    /// the request just answered ("where is my order, the agent on the phone
    /// said tuesday" asks for no one).
    mutating func takeThePersonAsked(_ message: inout Message) -> TurnOutcome? {
        guard case .matched(let whole) = message.understanding.decision, whole.intent == state.lastIntent,
              state.handedOffAt == nil else { return nil }
        let clauses = signals.clauses(message.text)
        let person = signals.words(.personWords), asking = signals.words(.personAsking)
        let negations = signals.words(.stillAProblemNegations).union(signals.words(.personReported))
        guard clauses.count >= 2 else { return nil }
        let contexts = Set(state.contexts.keys)
        for clause in clauses where !clause.negated && clause.words.contains(where: person.contains)
            && clause.words.contains(where: asking.contains) && !clause.words.contains(where: negations.contains) {
            let rest = clauses.filter { $0 != clause }.map { String($0.text) }.joined(separator: ", ")
            guard engine.understand(rest, at: message.at, contexts: contexts).matched?.intent == whole.intent else { continue }
            let reading = engine.understand(String(clause.text), at: message.at, contexts: contexts)
            if let read = reading.matched, read.confidence >= Self.sureReading,
               let intent = engine.bot.intent(named: read.intent), intent.handsOff {
                message.understanding.decision = .matched(read)
                return nil
            }
        }
        return nil
    }

    /// "Thats the one with the rain jacket yeah? it was meant to come
    /// tuesday" read weakly as damage: a problem the customer tells more
    /// about (an intent with `told_more`), read less than surely from a
    /// message that names no problem (`CustomerSignals.mentionsProblem`) and
    /// whose words its examples do not speak to, is no reading: the message
    /// is read as nothing, for the rules after (what is in focus) to read.
    mutating func noProblemUntold(_ message: inout Message) -> TurnOutcome? {
        guard case .matched(let read) = message.understanding.decision, !message.understanding.byPattern,
              let intent = engine.bot.intent(named: read.intent), !intent.toldMore.isEmpty,
              !signals.mentionsProblem(message.text) else { return nil }
        // However surely read, a statement that only names what the record in focus holds ("it was the walking
        // boots. 120 quid" just after HP-10377's refund) tells no problem: it says which, and what it cost.
        let namesTheRecord = namesOnlyTheRecordInFocus(message)
        guard read.confidence < Self.weakReading && !examplesSpeak(to: message, intent) || namesTheRecord else { return nil }
        // Said of the request just answered from that record: it stands (not another reading of the record).
        if namesTheRecord, let last = state.lastIntent, last != read.intent, engine.bot.intent(named: last)?.lookup != nil {
            message.understanding.decision = .matched(IntentCandidate(intent: last, confidence: read.confidence))
            return nil
        }
        message.understanding.decision = .fallback(best: read)
        return nil
    }

    /// "It was the walking boots. 120 quid": a statement naming nothing but things the record in focus holds
    /// (an amount beside them), and words that carry values.
    func namesOnlyTheRecordInFocus(_ message: Message) -> Bool {
        // (A statement: "the mug" alone just after the order asks about it.)
        guard !engine.profileReader.isQuestion(message.text), !message.text.contains("?"), TextNormalizer.tokens(message.text).count >= 4,
              onlyNames(message.text, message.understanding.entities) else { return false }
        let things = message.understanding.entities.filter { !engine.amountEntities.contains($0.entity) }
        return !things.isEmpty && things.allSatisfy { thing in
            engine.lookupTables.keys.contains { key in
                state.focus.value(for: key).map { engine.row(of: key, $0, mentions: thing) } ?? false
            }
        }
    }

    /// Of a message read as nothing, the reading that can use the thing in
    /// focus, among the first five, at a third of the bot's threshold or
    /// more: only a request whose examples speak to the message's words ("is
    /// that covered?" after the broken backpack zip is no question about its
    /// colours, however weakly the ranker leans there), and not one the
    /// message turns down ("I don't want excuses, I want to know where it
    /// is" may lean on the order, not on a complaint).
    func readingLeaningOnFocus(_ message: Message) -> IntentCandidate? {
        let floor = engine.policy.settings.confidenceThreshold / 3
        guard let best = message.understanding.ranking.prefix(5).first(where: { candidate in
                  usesFocus(candidate.intent, message) && !message.understanding.declined.contains(candidate.intent)
              }),
              best.confidence >= floor, engine.isSureEnough(best),
              let intent = engine.bot.intent(named: best.intent), intent.action == nil, !intent.handsOff, !intent.endsConversation,
              examplesSpeak(to: message, intent) else { return nil }
        return best
    }

    /// Of the first five readings, one that can use the thing in focus and whose examples ask one of these
    /// details in its own words ("how much is the wool jumper" asks the price's `cost`).
    func readingAskingTheDetail(_ message: Message, asked: [String]) -> IntentCandidate? {
        // The detail's phrases the message says ("how much").
        let said = TextNormalizer.tokens(message.text)
        let phrases = signals.detailCues.filter { asked.contains($0.name) }.flatMap(\.phrases)
            .filter { !$0.contains(CustomerSignals.gap) && CustomerSignals.holds(said, phrase: $0) }
        guard !phrases.isEmpty else { return nil }
        // The reading with the most examples asking it so, a quarter of them at least.
        let scored = message.understanding.ranking.prefix(5).compactMap { candidate -> (IntentCandidate, Int)? in
            guard usesFocus(candidate.intent, message), !message.understanding.declined.contains(candidate.intent),
                  let intent = engine.bot.intent(named: candidate.intent), intent.isPlainRequest else { return nil }
            let asking = intent.examples.filter { example in
                phrases.contains { CustomerSignals.holds(TextNormalizer.tokens(example), phrase: $0) }
            }.count
            return asking * 4 >= intent.examples.count ? (candidate, asking) : nil
        }
        return scored.max { $0.1 < $1.1 }?.0
    }

    /// "Is click and collect free?", or "is it free?" just after click and
    /// collect was answered: the customer asks one detail, and an intent has
    /// a short answer for it (`details:`), said instead of the whole answer
    /// they have read already. The intent is, in order: the request the
    /// conversation is on (`Focus.subjects`, the last first) when the
    /// message's other words ("is it") name nothing else, however the ranker
    /// read the detail's words alone ("free" is the delivery costs' word
    /// too); the request those other words name; the one the message is read
    /// as. An answer from data about a thing not yet looked up comes first.
    mutating func answerDetail(_ message: inout Message) -> TurnOutcome? {
        // Not an answer to the question a request waits on, but may be a new request that comes first.
        guard state.filling == nil || message.resumeAfter != nil, message.understanding.slotAnswer == nil || !message.hadTask,
              message.understanding.clarifiedMessage == nil, !asksOnlyWhen(&message) else { return nil }
        // "I don't want a refund, just a replacement" after the broken mug: the detail is in what is wanted.
        let declined = message.understanding.declined
        let wanted = declined.isEmpty ? message.text : signals.wanted(message.text)
        var (asked, rest) = signals.detailsAsked(wanted)
        if asked.isEmpty, declined.isEmpty {
            // "Can I take it back to the Leeds shop instead?": the detail's words are "to the shop",
            // with a name inside; the rest is what is left without both ("can I take it back instead").
            (asked, rest) = signals.detailsAsked(withoutNames(message))
        }
        guard !asked.isEmpty else { return nil }
        // A message a pattern reads as a request the conversation is not on, with no answer for the details asked:
        // that request's ("how long do you keep it after i leave" just after the Pine Club is how long data is
        // kept, not how long points last).
        if case .nothing = message.awaited, message.understanding.byPattern,
           let read = message.understanding.matched.flatMap({ engine.bot.intent(named: $0.intent) }),
           !state.focus.subjects.contains(where: { $0.value == read.name }), !read.details.contains(where: { asked.contains($0.name) }) {
            return nil
        }
        // "And if it's not there by Friday?" just after a refund's answer: the day named says by when, and
        // names no request of its own (delivery times, for "by friday").
        let days = message.understanding.entities.filter { engine.dateEntities.contains($0.entity) }
        if !days.isEmpty {
            let dayWords = Set(days.flatMap { TextNormalizer.tokens($0.text) })
            rest = TextNormalizer.tokens(rest).filter { !dayWords.contains($0) }.joined(separator: " ")
        }
        // The request the whole message is read as, if any.
        let wholeReading = message.understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }
        // "Ok and when will it come then?" just after changing an order's size: when the order comes (the
        // request's `arrival`, when it has one), not how long a change is possible (its `time`).
        // (Not when the message names another request in its own words: "when will it arrive back in stock
        // in medium?" after changing HP-10443's size asks the stock; the words that ask when are no such
        // name: "how long will it take to come?" is no question of delivery times.)
        // ("It's a christmas present, will it be here before the 25th?" with a late order in focus: Christmas is
        // when it is needed by, not a question of our Christmas cut-offs.)
        // (A purchase supposed, "if I order today", "on a new order", is asked of no record in focus.)
        let speaksOfArrival = signals.speaksOfArrival(wanted), supposesAPurchase = signals.supposesAPurchase(message.text)
        let forChristmas = asked.contains(Self.christmasDetail) && speaksOfArrival && !supposesAPurchase
        let asksWhen = asked.contains("time") || asked.contains(Self.arrivalDetail) || forChristmas
        // ("When will the boots come?" of a thing the order holds, too.)
        let arrivalAnswer = asksWhen && (speaksOfArrival || signals.speaksOfAThingComing(wanted)) && !namesARecord(message.understanding)
            && !(wholeReading.map { namesInItsOwnWords($0, in: rest) } ?? false)
            ? arrivalAnswer(for: state.focus.subjects.first) : nil
        if arrivalAnswer != nil, asked.contains("time") || forChristmas {
            asked = asked.filter { $0 != "time" && $0 != Self.arrivalDetail && $0 != Self.christmasDetail } + [Self.arrivalDetail]
        }
        func answerable(_ intent: Intent) -> [String] {
            asked.filter { name in intent.details.contains { $0.name == name } }
        }
        // In order: the request the conversation is on ("can I spend it online?" just after gift
        // cards is about gift cards, though the ranker may hear vouchers in it), or, when it has no
        // answer for the detail, an earlier one ("who pays postage" read as delivery costs, then
        // "can I do it in store?" after returns); the request the other words name ("who pays to
        // send it back" is about returns); the request the whole message is read as.
        var chosen: (intent: Intent, details: [String], confidence: Double)?
        let subjects = state.focus.subjects.compactMap { engine.bot.intent(named: $0.value) }
        // The other words are read once, whichever request they are weighed against.
        var restReading: Understanding?
        // Nor a request named by a word that is a detail of the subject's own, which its answer said: "how long
        // for the refund then" just after broken candles ("we'll send a replacement or a full refund") is that
        // refund's time, not a return's (damaged_item has a `refund` detail; a late order's answer has none).
        func ownsTheWord(of request: IntentCandidate, _ subject: Intent) -> Bool {
            guard !answerable(subject).isEmpty, let named = engine.bot.intent(named: request.intent) else { return false }
            let naming = wordsNaming(named)
            let own = Set(subject.details.map(\.name)), said = wordsOfTheLastReplies
            return TextNormalizer.tokens(message.text).contains { naming.contains($0) && own.contains($0) && said.contains($0) }
        }
        // Not a problem the message does not tell, when the subject has the detail: "I've worn them round the
        // house once, does that matter" just after a return asks the return's `worn`, however it leans to damage.
        func untold(_ request: IntentCandidate, by subject: Intent) -> Bool {
            guard !answerable(subject).isEmpty, let problem = engine.bot.intent(named: request.intent) else { return false }
            return !problem.toldMore.isEmpty && !signals.mentionsProblem(message.text) && !examplesSpeak(to: message, problem)
        }
        // Words of the rest, not said in the bot's last replies, that are `request`'s own: in its examples and
        // not in the subject's ("klarna", "paypal" after gift cards, of the ways to pay; "money" after an order's
        // whereabouts, of a refund).
        // Nor words the customer used for the subject themselves: "does the voucher expire?" after "I've got a
        // gift voucher, can I use it online?" is the gift card's, not a Pine Club voucher's.
        func wordsOfItsOwn(_ request: Intent, besides subject: Intent) -> Bool {
            namesInItsOwnWords(request, besides: subject, in: rest, passing: wordsOfTheLastReplies.union(wordsOfTheCustomerBefore))
        }
        func named(besides subject: Intent) -> IntentCandidate? {
            // Nor does "and when will it arrive?" about the order in focus name another (delivery times).
            if arrivalAnswer != nil { return nil }
            // "How much will delivery cost?" after click and collect, read surely as delivery costs, of
            // the same topic: its other words hold a word of that request's label or a quarter of its
            // examples, which is none of the subject's and not common to requests ("delivery").
            if let read = message.understanding.matched, read.intent != subject.name, read.confidence >= Self.weakReading, !untold(read, by: subject),
               let readIntent = engine.bot.intent(named: read.intent), readIntent.isPlainRequest, readIntent.topic == subject.topic {
                let naming = wordsNaming(readIntent).subtracting(wordsNaming(subject))
                    .subtracting(engine.commonWords).filter { $0.count >= 3 }
                // Not a word the bot's last replies said of the subject: "how long will the refund take?" just
                // after "we'll send a replacement or a full refund" for a broken item (and perhaps "no" to a
                // person between) is that refund's time.
                let said = wordsOfTheLastReplies
                let named = TextNormalizer.tokens(rest).filter(naming.contains)
                if !named.isEmpty, !named.allSatisfy(said.contains) { return read }
            }
            // "And when do i get my money" just after a returned order's whereabouts: read surely as a request of
            // another topic that has the detail, by words of its own, it is that request's, though the subject's
            // answers say "money" somewhere. Not when it names a thing the record in focus holds: "I don't want a
            // refund, I just want the jumper before christmas. can you send it next day?" is about that order.
            if let read = message.understanding.matched, read.confidence >= Self.sureReading, !namesAThingOfTheRecordInFocus(message),
               let readIntent = engine.bot.intent(named: read.intent), readIntent.name != subject.name, readIntent.topic != subject.topic,
               readIntent.isPlainRequest, !answerable(readIntent).isEmpty, !untold(read, by: subject), wordsOfItsOwn(readIntent, besides: subject),
               // (Not one that lacks a detail asked that the subject answers: "how long until that money comes back"
               // just after a declined card asks whether the money is gone, of the card, not a return's refund time.)
               answerable(subject).allSatisfy(answerable(readIntent).contains) {
                return read
            }
            // "Can you send a replacement?" after the missing item: "send" is a word of its answer.
            if engine.answerWords(of: subject, cover: rest) { return nil }
            if restReading == nil { restReading = readRest(rest, at: message.at) }
            guard let request = restReading.flatMap({ requestNamed(in: $0, besides: subject) }), !untold(request, by: subject),
                  !ownsTheWord(of: request, subject) else { return nil }
            // What is left, read as a request the whole message is not, must hold a word that names it, or a
            // thing it takes: "I can't get there until next Saturday, will you hold it that long?" just after a
            // click and collect order, less its details' words, names no points, however the ranker reads the
            // rest; "can i use one in the leeds shop as well as online" just after gift cards names a shop, which
            // no Pine Club reward takes.
            // (Only when the subject has an answer for the detail itself.)
            if !answerable(subject).isEmpty, let intent = engine.bot.intent(named: request.intent),
               message.understanding.matched?.intent != request.intent,
               restReading?.entities.allSatisfy({ found in !intent.slots.contains { $0.entity == found.entity } }) == true,
               !namesInItsOwnWords(intent, in: rest) { return nil }
            // A request the other words name takes the message from the subject only when it has the
            // detail, or the whole message reads surely as it too: "is there an express option" after
            // shipping abroad names ways to pay in "is there an option", but means express abroad.
            // When the subject has the detail and the request does not, only a reading far surer than weak
            // takes it: "could it be I registered with my old email? how would I know" after the reset email
            // that never came asks the reset's old_email, though "registered" reads as opening an account.
            // Nor when the words of the rest that name it are the customer's own words for the subject, which has
            // the detail: "oh and does the voucher expire?" just after "I've got a gift voucher, can I use it
            // online?" asks the gift card's expiry, not a Pine Club voucher's.
            if !answerable(subject).isEmpty, let intent = engine.bot.intent(named: request.intent) {
                let naming = wordsNaming(intent).subtracting(engine.commonWords)
                let named = TextNormalizer.tokens(rest).filter(naming.contains)
                if !named.isEmpty, named.allSatisfy(wordsOfTheCustomerBefore.contains) { return nil }
            }
            let hasDetail = engine.bot.intent(named: request.intent).map { !answerable($0).isEmpty } ?? false
            // Nor, when the subject has the detail and the request has not, when the rest names the request only by
            // a thing: "can I use it for a blanket instead" just after gift cards asks what a gift card buys, not
            // the blanket's care, however surely the whole reads as that.
            // (Not things of the record in focus: "it was a jumper and a mug, are they coming separately or what"
            // just after HP-10442's whereabouts tells what is missing from it.)
            if !hasDetail, !answerable(subject).isEmpty, let found = restReading?.entities, !found.isEmpty,
               !namesAThingOfTheRecordInFocus(message) {
                let thingWords = Set(found.flatMap { TextNormalizer.tokens($0.text) })
                let fillers = signals.words(.choiceFillers)
                if engine.tellingWords(of: rest).allSatisfy({ thingWords.contains($0) || fillers.contains($0) }) { return nil }
            }
            // Nor when the subject has the detail and the words naming the request were the bot's, of the
            // subject, naming no record: "so will you refund one of them or do I have to call my bank" just
            // after "we'll refund anything taken in error" of a double charge asks that refund, though
            // "refund" reads as the order's refund.
            if !hasDetail, !answerable(subject).isEmpty, !namesARecord(message.understanding) {
                let naming = (engine.bot.intent(named: request.intent).map(wordsNaming) ?? []).subtracting(engine.commonWords)
                let said = wordsOfTheLastReplies
                let named = TextNormalizer.tokens(message.text).filter(naming.contains)
                // Unless other words of it, which the bot did not say, are the request's own and not the subject's:
                // "ok and can i pay with klarna or paypal online" just after gift cards ("you can pay the rest by
                // card") asks the ways to pay.
                let itsOwn = engine.bot.intent(named: request.intent).map { wordsOfItsOwn($0, besides: subject) } ?? false
                if !named.isEmpty, named.allSatisfy(said.contains), !itsOwn { return nil }
            }
            let sure = answerable(subject).isEmpty ? Self.weakReading : Self.sureReading
            let readAsIt = message.understanding.matched.map { $0.intent == request.intent && $0.confidence >= sure } ?? false
            return hasDetail || readAsIt ? request : nil
        }
        let namedNow = subjects.first.flatMap(named(besides:))
        var candidates: [(Intent, Double)] = []
        // "How long does that take?" just after what Pip knows of the customer (an action, which is no
        // request the conversation is on), or "so what happens now, do I get a replacement or my money
        // back?" after a parcel marked delivered was handed to a person: the last answer's own detail, when it has one.
        // While the yes it asked for waits, whatever else the message names ("will that affect my order HP-10588,
        // which hasn't arrived yet?" while deleting everything waits for a yes).
        let itsYesWaits = if case .erasure = message.awaited { true } else { false }
        // (The rest, "so do I get a or", "I would prefer the, not", may read as something, but has no
        // word that says what it asks besides the words of a choice.)
        // (A handoff's, only for a message naming no thing besides: "can I get a refund on the jumper instead?"
        // after a parcel of candles marked delivered is about the jumper; "do you send new candles" is not.)
        // (The record in focus itself, named again, or a thing it holds; not one of a record it displaced.)
        let inFocus = engine.recordIdentifiers.compactMap { kind in state.focus.value(for: kind).map { (kind: kind, value: $0) } }
        let namesAThing = message.understanding.entities.contains { found in
            engine.focusEntities.contains(found.entity)
                && !inFocus.contains { found.value == $0.value || engine.row(of: $0.kind, $0.value, mentions: found) }
        }
        // (Nor a word naming one of its own details that its answer said: "how long would the refund take" just
        // after "a replacement sent free, or a full refund" of a parcel marked delivered asks that refund's time.)
        func ownWordsSaid(_ last: Intent) -> Set<String> { Set(last.details.map(\.name)).intersection(wordsOfTheLastReplies) }
        func onlyItsOwnWords(_ last: Intent) -> Bool {
            let own = ownWordsSaid(last), fillers = signals.words(.choiceFillers)
            let telling = engine.tellingWords(of: rest)
            return telling.contains(where: own.contains) && telling.allSatisfy { fillers.contains($0) || own.contains($0) }
        }
        // (Nor those words of a handoff's, when what is left, less the words its replies for the details asked say,
        // names no request: "how long will the refund take to reach my card" just after a parcel marked delivered
        // was handed over, "a replacement or a refund", is that refund's time, "to show on your card".)
        // ("Will I get a refund or new candles?": nor the words of a thing the record in focus holds, with the
        // word just before it, which says which: "new", "the", "my".)
        func namesNothingBesidesItsOwnWords(_ last: Intent) -> Bool {
            let own = ownWordsSaid(last), said = wordsOfTheLastReplies
            let replies = Set(last.details(named: answerable(last)).flatMap(\.responses).flatMap { TextNormalizer.tokens($0.source) })
            let held = Set(message.understanding.entities.filter { found in
                engine.focusEntities.contains(found.entity) && inFocus.contains { engine.row(of: $0.kind, $0.value, mentions: found) }
            }.flatMap { found in
                let before = TextNormalizer.tokens(String(String.UnicodeScalarView(message.text.unicodeScalars.prefix(found.start))))
                return TextNormalizer.tokens(found.text) + before.suffix(1)
            })
            let words = TextNormalizer.tokens(rest)
            // (Or asks one of those details by its phrase: "get a refund" in "will I get a refund or new candles?")
            guard words.contains(where: own.contains) || asked.contains(where: own.contains) else { return false }
            return namesNoRequest(words.filter { !said.contains($0) && !replies.contains($0) && !held.contains($0) }.joined(separator: " "), at: message.at)
        }
        if let last = state.lastIntent.flatMap(engine.bot.intent(named:)), last.action != nil || last.handsOff && !namesAThing, !answerable(last).isEmpty,
           itsYesWaits || engine.tellingWords(of: rest).allSatisfy(signals.words(.choiceFillers).contains) || onlyItsOwnWords(last)
            || namesNoRequest(rest, at: message.at) || last.handsOff && namesNothingBesidesItsOwnWords(last) {
            candidates.append((last, 1))
        }
        // Whether the message is read as a request with no answer for the details asked, two or more, named
        // only by their phrases, not in the rest of the message ("will it go or", of "will it go back to my paypal or as a
        // gift card?", read as gift cards, which asks where a refund goes and of a PayPal refund).
        // (One detail alone may be the request's own words: "how long do you keep it" is how long data is kept.)
        let readOnlyByTheDetails = wholeReading.map { read in
            asked.count >= 2 && answerable(read).isEmpty && namesInItsOwnWords(read, in: wanted) && !namesInItsOwnWords(read, in: rest)
        } ?? false
        // A subject with no answer for the detail lends its record to a request of the same table that
        // has one, when the message reads as nothing else, or as a follow-up of that table (`suggest:
        // false`) with no answer for it either, whose examples do not speak to it ("how much is it?" is
        // the price follow-up's own question): "is there parking nearby?" after the Edinburgh shop's hours
        // is where its address says.
        func answering(_ subject: Intent) -> Intent? {
            if !answerable(subject).isEmpty { return subject }
            guard let table = subject.lookup?.table else { return nil }
            // "And when will it arrive?" just after changing HP-10443's address: the order coming, however
            // the words read alone (delivery times).
            if let arrivalAnswer, arrivalAnswer.lookup?.table == table { return arrivalAnswer }
            // A near tie is no reading of nothing else: "did you mean A or B?" is for it.
            if case .ambiguous = message.understanding.decision { return nil }
            // (Not a reading only the detail's own words make: "will it go back to my paypal or as a gift card?"
            // after a returned order's whereabouts asks where its refund goes, however surely it reads as gift cards.)
            // (Not small talk around it: "thanks. and is there parking nearby" after click and collect at
            // the Edinburgh shop asks the shop's parking.)
            if let read = wholeReading, !readOnlyByTheDetails, !read.isSmallTalk,
               read.suggestible || read.lookup?.table != table || !answerable(read).isEmpty || examplesSpeak(to: message, read) {
                return nil
            }
            return engine.bot.intents.first { $0.lookup?.table == table && $0.needsContext.isEmpty && $0.isPlainRequest && !answerable($0).isEmpty }
        }
        // Not the request on a record in focus for a purchase supposed: "if I order today will it arrive
        // by saturday" just after HP-10442's whereabouts asks of a new order.
        // Against a reading only the details' words make, a record another request of its table read out is
        // no first question: "will it go back to my paypal or as a gift card?" after a returned order's
        // whereabouts asks where its refund goes, not for the refund's whole answer (when the details say
        // nothing of the record).
        func readOutBefore(_ intent: Intent) -> Bool {
            guard readOnlyByTheDetails, let table = intent.lookup?.table, let key = intent.lookupSlot?.entity,
                  let value = state.focus.value(for: key) else { return false }
            return (state.recordsReadOut ?? [:]).contains { name, records in
                records.contains(value) && engine.bot.intent(named: name)?.lookup?.table == table
            }
        }
        for (index, subject) in subjects.enumerated() {
            if supposesAPurchase, let key = subject.lookupSlot?.entity, engine.recordIdentifiers.contains(key),
               state.focus.value(for: key) != nil { continue }
            guard let answering = answering(subject) else { continue }
            if (index == 0 ? namedNow : named(besides: subject)) == nil {
                candidates.append((answering, 1))
                break
            }
        }
        // With no subject that answers it, a request answered earlier in the conversation from a record
        // still in focus that does, when the message names it in a word of its own and only one such does:
        // "thanks. and do my points carry over if I move house?" four questions after PC-300771's balance
        // asks that balance's `keep_points`. Not when the message reads as another request that has the detail
        // ("if I leave the pine club what happens to my points?") or that its other words name ("if I close my
        // online account do I lose my points?").
        func readsAsAnother() -> Bool {
            guard let read = wholeReading, (message.understanding.matched?.confidence ?? 0) >= Self.weakReading else { return false }
            return !answerable(read).isEmpty || namesInItsOwnWords(read, in: rest)
        }
        if candidates.isEmpty, !readsAsAnother() {
            let earlier = (state.recordsReadOut ?? [:]).keys.sorted().compactMap(engine.bot.intent(named:)).filter { intent in
                guard !answerable(intent).isEmpty, let key = intent.lookupSlot?.entity, let value = state.focus.value(for: key),
                      state.hasReadOut(value, by: intent.name) else { return false }
                return namesInItsOwnWords(intent, in: message.text)
            }
            if earlier.count == 1 { candidates.append((earlier[0], 1)) }
        }
        if let namedNow, let intent = engine.bot.intent(named: namedNow.intent) { candidates.append((intent, namedNow.confidence)) }
        let read = message.understanding.matched
        if let read, let intent = engine.bot.intent(named: read.intent) { candidates.append((intent, read.confidence)) }
        // A detail with its own answer for the record, of the request the message is read as ("can you add
        // it to my order HP-10443", `when: {given: order_number}`; "where can I park for the York shop?",
        // `when: {given: store}`), answers from it; else a record not looked up yet is answered whole first.
        // Not when asked of a record past its due day that the conversation has not read out: "HP-10610 wool
        // blanket, when is it coming" as a first message gets its whole answer (late, where it is, a person), not
        // only "it's 9 days late, and I can't tell you more from here".
        func speaksFromRecord(_ intent: Intent) -> Bool {
            guard intent.name == read?.intent, let slot = intent.lookupSlot else { return false }
            if asksWhen, let value = recordKey(of: intent, entities: message.understanding.entities, text: message.text),
               isLate(value, of: intent, at: message.at) { return false }
            let key = slot.name
            let asked = answerable(intent)
            return intent.details(named: asked).allSatisfy { detail in
                detail.responses.contains { $0.condition?.given.contains(key) == true }
            }
        }
        // "Not Leeds, York. is there parking?" after the Leeds shop's hours: a detail that answers from the row
        // of a thing named (a shop, not a record identified by number, whose whole answer a customer would
        // want first) answers for it.
        func speaksOfAThingNamed(_ intent: Intent) -> Bool {
            guard let key = intent.lookupSlot?.entity, !engine.recordIdentifiers.contains(key),
                  message.understanding.entities.contains(where: { $0.entity == key }) else { return false }
            return intent.details(named: answerable(intent)).allSatisfy { detail in
                detail.responses.contains { $0.condition?.given.contains(intent.lookupSlot?.name ?? "") == true }
            }
        }
        // "When will I get the money back and will it go on the same card?" just after cancelling HP-10702,
        // which was returned and refunded: read surely as the refund, a request of the same table whose
        // answer for that order is in its record, not looked up yet, it hears that, not the one general
        // detail of the request the conversation is on that it asks (cancelling's time) beside others
        // that request has no answer for (the refund, where it goes). Not after a handoff's answer: "so
        // what happens now, do I get a replacement or my money back?" after a parcel marked delivered
        // asks what that request's details say, not whether a return was refunded.
        if let read, read.confidence >= Self.weakReading, let readIntent = engine.bot.intent(named: read.intent), readIntent.isPlainRequest,
           let first = candidates.first?.0, first.name != readIntent.name, !first.handsOff, let table = first.lookup?.table, readIntent.lookup?.table == table,
           !answerable(first).isEmpty, answerable(first).count < asked.count, !detailsUseTheRecord(answerable(first), of: first),
           hasNewAnswerFromData(readIntent, message) {
            return nil
        }
        // Not wanting something of the request the conversation is on, beside a detail of it asked, declines
        // only a part of it: "do I have to send the broken one back? I really don't want to post broken glass"
        // just after the smashed candle reads as the damage, but asks whether it goes back.
        // But a refusal of the doing alone ("actually no dont cancel, ill wait. just tell me when" just after
        // cancelling a late order) refuses that request whole: the detail is the one before's (when it comes).
        // Only the doing: after the cue, no word but a word of the request's name and the words that point
        // at it ("don't cancel", "I don't want to cancel it"); "don't want broken glass" refuses a part.
        let refusals = signals.clauses(message.text).filter(\.negated).compactMap { signals.wordsAfter(.negationCues, opening: $0) }
        let pointing = signals.words(.correctionFillers).union(["it", "them", "to"])
        func refusesItWhole(_ intent: Intent) -> Bool {
            let naming = Set(intent.name.split(separator: "_").map(String.init))
            return refusals.contains { after in after.filter { !pointing.contains($0) }.allSatisfy(naming.contains) }
        }
        func refused(_ intent: Intent) -> Bool {
            declined.contains(intent.name) && (intent.name != subjects.first?.name || refusesItWhole(intent))
        }
        let answeredBySome = asked.filter { name in candidates.contains { candidate in candidate.0.details.contains { $0.name == name } } }
        // Nor when that answer from the record would only say again what was just said ("whats the last day to
        // order for christmas" after delivery to Northern Ireland, the United Kingdom's row, answered just now).
        // Nor a detail that can only be said of a thing nobody has named ("how much is it?" with no product said).
        for (intent, confidence) in candidates
        where !answerable(intent).isEmpty
            && (!hasNewAnswerFromData(intent, message) || speaksFromRecord(intent) || speaksOfAThingNamed(intent) || wouldSayAgain(intent, message)
                || intent.name == arrivalAnswer?.name
                || readOutBefore(intent) && !detailsUseTheRecord(answerable(intent), of: intent)
                || detailsSayTheWholeAnswer(answerable(intent), of: intent)
                || intent.name == state.lastIntent && !namesItsKey(intent, message) && !detailsUseTheRecord(answerable(intent), of: intent))
            && !refused(intent) && !needsTheRecord(answerable(intent), of: intent, in: message) {
            // "I'm not in a hurry, how long does delivery take?": delivery times has no short answer
            // for how long, since its whole answer is that; the message read as it gets the whole answer.
            // Just after that whole answer, a detail no candidate answers ("for my dad", with "for xmas" of
            // returns) asks nothing of either; a first question about it gets the whole answer. So does a request
            // answered earlier in the conversation, still in focus: "actually no, dont cancel, I still want it for
            // christmas. will it come before then?" after a late order's whereabouts, then cancelling it.
            let answeredBefore = intent.name == state.lastIntent || subjects.contains { $0.name == intent.name }
            // ("Whats the delivery time before christmas": Christmas says which time, for a request whose Christmas
            // detail answers it; not when the message names its key, "how long to ireland over christmas?", whose
            // whole answer for Ireland says how long.)
            let christmasSaysWhen = answerable(intent).contains(Self.christmasDetail) && !namesItsKey(intent, message)
            // ("A present for my mum who is always cold": whom it is for asks nothing beside what is asked.)
            let forWhom = signals.words(.otherPeopleDetails)
            let counted = (answeredBefore || asked.contains(where: Self.dayDetails.contains) ? answeredBySome : asked)
                .filter { $0 != "time" || !christmasSaysWhen }
                .filter { !forWhom.contains($0) || answerable(intent).contains($0) || answerable(intent).isEmpty }
            if intent.name == read?.intent, answerable(intent).count < counted.count { break }
            chosen = (intent, answerable(intent), confidence)
            break
        }
        guard let chosen else { return answerUnknownDetail(&message, asked: asked, rest: rest) }
        message.understanding.decision = .matched(IntentCandidate(intent: chosen.intent.name, confidence: chosen.confidence))
        // "How does the Pine Club work? is it free to join": a clause with no detail in it, a question
        // read alone surely as that very request, asks for its whole answer (which says it is free too).
        // Not when that whole answer was the last one: "ok and can I return it if I dont like it, its for my
        // dad for xmas" just after how returns work asks the detail.
        let clauses = signals.clauses(wanted)
        if clauses.count >= 2, chosen.intent.name != state.lastIntent, clauses.contains(where: { clause in
            let text = String(clause.text)
            // Of three words or more: "is click" (of "is click and collect free?") is no question of its own.
            guard TextNormalizer.tokens(text).count >= 3, signals.detailsAsked(text).details.isEmpty, engine.profileReader.isQuestion(text),
                  let alone = engine.understand(text, at: message.at, contexts: Set(state.contexts.keys)).matched else { return false }
            return alone.intent == chosen.intent.name && alone.confidence >= Self.weakReading
        }) { return nil }
        message.details = chosen.details
        return nil
    }

    /// "What temperature" just after how to look after the blanket: a few
    /// telling words (one to three, not frequent in the bot's requests), all
    /// of them words of the examples of the request just answered and not
    /// all of the request they are read as (what the blanket is made of),
    /// are that request again, however the ranker weighs them. Not when the
    /// message names another thing, asks a detail or says what it does not want.
    mutating func keepToTheWordsOfTheLastRequest(_ message: inout Message) -> TurnOutcome? {
        guard lastTurnWasAnAnswer, message.details.isEmpty, message.understanding.declined.isEmpty,
              message.understanding.clarifiedMessage == nil, case .nothing = message.awaited,
              let subject = subjectIntent, state.lastIntent == subject.name, subject.isPlainRequest,
              case .matched(let read) = message.understanding.decision, read.intent != subject.name,
              let readIntent = engine.bot.intent(named: read.intent), readIntent.isPlainRequest else { return nil }
        let telling = engine.tellingWords(of: Self.without(message.understanding.entities, in: message.text))
        let kinds = Set(subject.slots.map(\.entity))
        guard (1...3).contains(telling.count), examplesSpeak(to: message, subject), !examplesSpeak(to: message, readIntent),
              !message.understanding.entities.contains(where: { found in
                  engine.focusEntities.contains(found.entity) && !kinds.contains(found.entity) && state.focus.value(for: found.entity) != found.value
              }) else { return nil }
        message.understanding.decision = .matched(IntentCandidate(intent: subject.name, confidence: read.confidence))
        return nil
    }

    /// "No I don't want a person, I want my jumper": a person refused beside
    /// the request. Not a state denied ("no the box wasn't damaged, it just
    /// had one in it" tells more about the missing candle).
    func refusesAPerson(_ understanding: Understanding) -> Bool {
        understanding.declined.contains { engine.bot.intent(named: $0)?.handsOff ?? false }
    }

    /// "It's not damaged exactly, just wet and smells a bit now", read weakly
    /// as introducing oneself, or "sorry I meant York not Leeds", a
    /// correction read surely so: with no name noted from it, "lovely to meet
    /// you" would be absurd; it is read as nothing.
    mutating func noIntroductionWithoutAName(_ message: inout Message) -> TurnOutcome? {
        // (Surely read, only a correction of a thing named: "hey, Sam from Manchester here" is one, though
        // no name was noted from it.)
        let correctsAThing = message.understanding.entities.contains {
            engine.focusEntities.contains($0.entity) && signals.isRejected($0, in: message.text)
        } || signals.saysCorrection(message.text)
        // (Nor one that tells a sum or a day, which says what happened, not who the customer is: "I spent like
        // £120 in the York shop" just after missing points.)
        let tellsWhatHappened = message.understanding.entities.contains {
            engine.dateEntities.contains($0.entity) || engine.amountEntities.contains($0.entity)
        }
        // (Nor one that gives a contact detail, and no name, just after a request was answered: "my new one is
        // jo.b@example.com" after how to change an account's email, "can you look it up by my email? it's ..."
        // after a lost Pine Club number, are about that request, not who the customer is.)
        let last = state.lastIntent.flatMap(engine.bot.intent(named:))
        // (Only a request whose answer spoke of that kind of detail: "...under My details; a new email is
        // confirmed by a link", not where an order is.)
        let answered = Set(TextNormalizer.tokens(state.lastBotReply ?? ""))
        let givesItForTheRequest = state.focus.subject != nil && last?.isPlainRequest == true
            && message.understanding.entities.contains { found in
                engine.bot.profile.fields.contains { $0.kind == .contact && $0.answer == .entity(found.entity) }
                    && found.entity.split(separator: "_").allSatisfy { answered.contains(String($0)) }
            }
            && !engine.profileReader.volunteeredFacts(in: message.text, at: message.at).contains { $0.field.answer == .name }
        guard case .matched(let read) = message.understanding.decision,
              read.confidence < Self.weakReading || correctsAThing || tellsWhatHappened || givesItForTheRequest,
              confirmations.isEmpty, engine.bot.intent(named: read.intent)?.action == .introduce else { return nil }
        message.understanding.decision = .fallback(best: read)
        // Told as a statement ("my new one is jo.b@example.com"), it is for the bot to act on, which it cannot.
        if givesItForTheRequest, let last, state.handedOffAt == nil, !holdsAQuestion(message.text) {
            return cannotDoIt(say(engine.bot.ladder.cannotAct, .cannotAct, extra: ["label": last.label]), of: last, &message)
        }
        return nil
    }

    /// "Gloves - do they do touchscreen ones", "is the rain jacket
    /// breathable", read as nothing: the message names one thing looked
    /// up by name (a product), and a telling word of it is in that thing's
    /// row ("touchscreen fingertips", "a breathable membrane"). The
    /// request of that table whose replies use the column holding the word,
    /// and the fewest other columns (what it is made of, not everything
    /// about it), answers it from the row.
    mutating func answerFromTheRowNamed(_ message: inout Message) -> TurnOutcome? {
        // Once a person has the conversation, only a question: "two candles. ive checked with neighbours
        // already before you ask" after a lost parcel was handed over tells the team more, and asks nothing
        // of the candles' row ("checked" is no word of candle care).
        guard state.filling == nil, message.understanding.declined.isEmpty, message.details.isEmpty,
              state.handedOffAt == nil || holdsAQuestion(message.text) else { return nil }
        // Read as nothing, weakly ("do you do gloves that actually work with touchscreens or is that too
        // much to ask" as how to reach us), or as a near tie. Not a sure reading: "how much is the flask that
        // keeps drinks hot" asks the price, whatever the row says.
        let read = message.understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }
        switch message.understanding.decision {
        case .fallback: break
        case .matched(let best) where !message.understanding.byPattern && best.confidence < Self.weakReading: break
        // "Does it pack down small" after the jacket's sizes: choosing a size, or what it is made of?
        case .ambiguous: break
        default: return nil
        }
        let named = message.understanding.entities.filter { engine.focusEntities.contains($0.entity) && engine.lookupTables[$0.entity] != nil }
        // "Are they touchscreen friendly too?" just after the gloves: a message naming no thing that
        // points back asks of the thing the conversation is on (the most salient one that has a row).
        // Not a statement just after an answer that takes more told: "both of them. glass everywhere"
        // after smashed candles tells of the damage, not of the candle's glass jar.
        let tellsMore = subjectIntent.map { !$0.toldMore.isEmpty } == true && !engine.profileReader.isQuestion(message.text)
        let pointedAt = named.isEmpty && !tellsMore && signals.refersBack(message.text)
            ? state.focus.items.first(where: { engine.lookupTables[$0.entity] != nil && !engine.recordIdentifiers.contains($0.entity) })
                .map { EntityMatch(entity: $0.entity, text: $0.value, value: $0.value, start: 0, end: 0) }
            : nil
        guard named.count == 1 || pointedAt != nil, let thing = named.first ?? pointedAt, let tableName = engine.lookupTables[thing.entity],
              let row = engine.bot.tables[tableName]?.row(for: thing.value) else { return nil }
        let telling = engine.tellingWords(of: Self.without(named, in: message.text), atLeast: 4)
        let cells = row.mapValues(TextNormalizer.tokens)
        func holds(_ words: [String], _ word: String) -> Bool { words.contains { AnswerSentences.sameWord($0, word) } }
        let columns = cells.filter { _, words in telling.contains { holds(words, $0) } }.keys
        guard !columns.isEmpty else { return nil }
        func usesColumns(_ intent: Intent) -> Bool {
            intent.responses.contains { reply in reply.placeholders.contains { columns.contains($0.name) } }
        }
        // A reading stands for a record (an order), or when the words found in the row are words of its
        // own (its examples, label or answers: "deliver" is the shipping's).
        if let read {
            let found = telling.filter { word in cells.values.contains { holds($0, word) } }
            let answers = read.responses.map(\.source).joined(separator: " ")
            guard !engine.recordIdentifiers.contains(thing.entity),
                  !found.contains(where: { engine.speaksTo($0, answer: answers, intent: read) }) else { return nil }
        }
        let answering = engine.bot.intents.filter { intent in
            intent.lookup?.table == tableName && intent.isPlainRequest && intent.needsContext.isEmpty
                && usesColumns(intent)
        }
        func width(_ intent: Intent) -> Int { Set(intent.responses.flatMap { $0.placeholders.map(\.name) }.filter { $0.hasPrefix(tableName + ".") }).count }
        guard let best = answering.min(by: { width($0) < width($1) }) else { return nil }
        if case .ambiguous(let first, let second) = message.understanding.decision {
            guard !engine.recordIdentifiers.contains(thing.entity), [first.intent, second.intent].contains(best.name) else { return nil }
        }
        message.understanding.decision = .matched(IntentCandidate(intent: best.name, confidence: 1))
        return nil
    }

    /// The message with the names of things the conversation can be about
    /// (a shop, a product, an order: `Engine.focusEntities`) taken out.
    func withoutNames(_ message: Message) -> String {
        Self.without(message.understanding.entities.filter { engine.focusEntities.contains($0.entity) }, in: message.text)
    }

    /// The text with these entities' words taken out.
    static func without(_ names: [EntityMatch], in text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for name in names.sorted(by: { $0.start > $1.start })
        where name.start >= 0 && name.end <= scalars.count && name.start < name.end {
            scalars.replaceSubrange(name.start..<name.end, with: [" "])
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    /// Whether the intent's examples (and label) speak to every telling word
    /// of the message, what it names left out: things and values alike
    /// ("and tomorrow? its saturday" names two days) (`Engine.speaksTo`).
    func examplesSpeak(to message: Message, _ intent: Intent) -> Bool {
        engine.speaksTo(Self.without(message.understanding.entities, in: message.text), answer: "", intent: intent)
    }

    /// The intent as a reading of the message, with the confidence the ranker gave it (0 if none).
    func candidate(_ intent: Intent, in message: Message) -> IntentCandidate {
        IntentCandidate(intent: intent.name, confidence: message.understanding.ranking.first { $0.intent == intent.name }?.confidence ?? 0)
    }

    /// The request the conversation is on, as an intent.
    var subjectIntent: Intent? { state.focus.subject.flatMap { engine.bot.intent(named: $0.value) } }

    /// Whether every reply these details of `intent` have for a record says
    /// all its answer for one says ("To {shipping.name}: {shipping.detail}
    /// Prices include VAT and duties" for "what about France, and do I pay
    /// customs?"): then the detail answers for a thing named anew too.
    func detailsSayTheWholeAnswer(_ details: [String], of intent: Intent) -> Bool {
        guard let key = intent.lookupSlot else { return false }
        func forTheRecord(_ reply: ResponseTemplate) -> Bool {
            reply.condition?.given.contains(key.name) == true || reply.condition == nil && intent.speaksOfTheRecord(reply)
        }
        let said = intent.responses.filter(forTheRecord).map { Set($0.placeholders.map(\.name)) }
        guard !said.isEmpty else { return false }
        let whole = said.reduce(said[0]) { $0.union($1) }
        let replies = intent.details(named: details).map { $0.responses.filter(forTheRecord) }
        return !replies.isEmpty && replies.allSatisfy { forRecord in
            !forRecord.isEmpty && forRecord.allSatisfy { whole.isSubset(of: Set($0.placeholders.map(\.name))) }
        }
    }

    /// Whether the message names a value of the kind `intent` looks up ("to new zealand").
    func namesItsKey(_ intent: Intent, _ message: Message) -> Bool {
        guard let key = intent.lookupSlot else { return false }
        return message.understanding.entities.contains { $0.entity == key.entity }
    }

    /// Whether any reply to these details of `intent` is for, or says, the
    /// record it looks up: a detail of the answer just given that reads the
    /// same whatever the record ("no, you don't need to send a broken item
    /// back" after the smashed mug), asked of no record named anew, need not
    /// wait for the record's whole answer.
    func detailsUseTheRecord(_ details: [String], of intent: Intent) -> Bool {
        intent.details(named: details).contains { detail in detail.responses.contains(where: intent.speaksOfTheRecord) }
    }

    /// Whether these details of `intent` can only be said of a record that
    /// nobody has named ("how much is it?" with no product said, whose only
    /// reply is "{catalogue.price} for our {product}"): with none named or in
    /// focus, some detail has no reply for anyone, without the record's values.
    func needsTheRecord(_ details: [String], of intent: Intent, in message: Message) -> Bool {
        guard intent.lookup != nil, recordKey(of: intent, entities: message.understanding.entities, text: message.text) == nil else { return false }
        return intent.details(named: details).contains { detail in
            !detail.responses.contains { reply in reply.condition?.given.isEmpty != false && !intent.speaksOfTheRecord(reply) }
        }
    }

    /// The key of the row an intent would look up for this message: the value
    /// it names, else the one named in the conversation that holds the thing
    /// it names (`holding`), else the thing of that kind in focus.
    func recordKey(of intent: Intent, entities: [EntityMatch], text: String) -> String? {
        guard let key = intent.lookupSlot else { return nil }
        // Nor, of a lookup that refuses to read out someone else's record (`someone_else`), one named as theirs:
        // "my husband's pine club number is PC-300771, does he get free delivery?" hears every tier's.
        let guarded = engine.bot.someoneElse(of: intent) != nil
        let named = entities.filter { $0.entity == key.entity && !(guarded && namesAsSomeoneElses($0, in: text)) }
        if guarded, named.isEmpty, entities.contains(where: { $0.entity == key.entity }) { return nil }
        // Not one the message sets aside beside one it means ("I'm not talking about HP-10442, when will HP-10443 arrive?").
        return signals.meant(named, in: text).first?.value
            ?? holding(key.entity, named: entities, in: text) ?? state.focus.value(for: key.entity)
    }

    /// "How long?" just after the answer about discount codes, which says
    /// nothing of how long: a message of detail words only asks about the
    /// request the conversation is on, whatever the ranker makes of "how
    /// long" alone (keeping data, in another topic). With no short answer for
    /// it, the bot says so and offers a person who can tell more, rather than
    /// answer another topic. A reading in the subject's own topic ("how much?"
    /// after delivery times is delivery costs), or one that uses the thing in
    /// focus ("how much?" after the jumper's stock), is answered as read.
    private mutating func answerUnknownDetail(_ message: inout Message, asked: [String], rest: String) -> TurnOutcome? {
        guard state.filling == nil, state.handedOffAt == nil,
              let subject = subjectIntent,
              engine.namesNothing(rest) else { return nil }
        if let matched = message.understanding.matched, let intent = engine.bot.intent(named: matched.intent),
           intent.topic == subject.topic || usesFocus(intent.name, message) || !intent.suggestible { return nil }
        // Read as nothing, but a request that uses the thing in focus leans that way: "how much" after
        // "do you sell flasks" (the whole range, the flask in focus) is the flask's price, which
        // `leanOnFocus` reads.
        // So is one read weakly as another topic ("how much is it" just after "do you sell a waterproof rain
        // jacket for women?", read at 0.35 as delivery costs, is the jacket's price).
        let weak: Bool = switch message.understanding.decision {
        case .fallback: true
        case .matched(let read): read.confidence < Self.weakReading
        case .ambiguous: false
        }
        // (Of those that use the thing in focus, one whose own examples ask the detail in its words comes first:
        // "how much" is the price's, not what the jacket is made of, however the ranker leans.)
        if weak, let leaning = readingAskingTheDetail(message, asked: asked) ?? readingLeaningOnFocus(message) {
            message.understanding.decision = .matched(leaning)
            return nil
        }
        message.understanding.answers = "the \(Self.list(asked, conjunction: "and")) of \(subject.name), which it has no answer for"
        // Still on the subject: its follow-ups ("how much is it?" after the jumper's stock) stay open.
        if let context = subject.setsContext { state.contexts[context] = subject.contextTurns }
        let reply = say(engine.bot.ladder.nothingMore, .nothingMore, extra: ["label": subject.label])
        waitForPerson(.customerRequest)
        var outcome = simpleReply(reply, text: message.text, understanding: message.understanding, answered: false, at: message.at)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// Whether the intent would answer from its data about a thing the last
    /// answer did not look up: "is HP-10655 ready?" is that order's answer, not the general time.
    private func hasNewAnswerFromData(_ intent: Intent, _ message: Message) -> Bool {
        guard let key = intent.lookupSlot, let value = recordKey(of: intent, entities: message.understanding.entities, text: message.text) else { return false }
        // Looked up already when the request was answered for it, last or before; or, for a thing that
        // is not a record identified by number (a shop, not an order), by another request from the same
        // table ("is there parking nearby?" after the Edinburgh shop's hours is the parking detail).
        let answered = state.focus.subjects.first { $0.value == intent.name }?.record
        let seen = !engine.recordIdentifiers.contains(key.entity) && state.focus.subjects.contains { subject in
            subject.record == value && engine.bot.intent(named: subject.value)?.lookup?.table == intent.lookup?.table
        }
        // Nor a record this request's answer read out earlier in the conversation, though the request has
        // left the subjects since: "do my points carry over if I move house?" five messages after PC-300771's
        // balance asks only that.
        let readOut = engine.recordIdentifiers.contains(key.entity) && state.hasReadOut(value, by: intent.name)
        return answered != value && !seen && !readOut && !(state.lastIntent == intent.name && state.slots[key.name] == value)
    }

    /// A message's words besides its detail words ("is it", "to send it
    /// back"), read on their own; nil when they are only words common to
    /// every kind of request ("is it", "can I"), which name none.
    private func readRest(_ rest: String, at: Date) -> Understanding? {
        // Words that point back ("it") or at other people ("what does he need to bring?" after
        // someone else collecting) name no request either.
        let pointing = signals.words(.refersBackWords).union(signals.words(.otherPeopleWords))
        guard !engine.namesNothing(TextNormalizer.tokens(rest).filter { !pointing.contains($0) }.joined(separator: " ")) else { return nil }
        return engine.understand(rest, at: at, contexts: Set(state.contexts.keys))
    }

    /// The request that reading of a message's other words names, other
    /// than the subject; nil when they name nothing but the subject: no
    /// request of their own, and no thing of a kind the subject does not look up.
    private func requestNamed(in reading: Understanding, besides subject: Intent) -> IntentCandidate? {
        let kinds = Set(subject.slots.map(\.entity))
        // The thing the conversation is already about is no other thing: "do I need to send anything back
        // or do you just send a new mug?" just after the broken mug.
        let namesAnotherThing = reading.entities.contains { found in
            engine.focusEntities.contains(found.entity) && !kinds.contains(found.entity) && state.focus.value(for: found.entity) != found.value
        }
        // A few words read alone ("or", "can I take it") are read with a
        // confidence they do not earn: they name a request of their own only
        // when the ranker is sure of it, and far surer than of the subject.
        guard case .matched(let named) = reading.decision, named.intent != subject.name,
              engine.bot.intent(named: named.intent)?.suggestible == true, named.confidence >= Self.namesRequest else {
            return namesAnotherThing ? reading.matched ?? reading.ranking.first : nil
        }
        let subjectConfidence = reading.ranking.first { $0.intent == subject.name }?.confidence ?? 0
        return subjectConfidence * 3 >= named.confidence && !namesAnotherThing ? nil : named
    }

    /// Details that name a day ("what time does the York shop close today?"): a
    /// "what time" beside one asks that day's hours, not a detail of its own.
    static let dayDetails: Set<String> = ["today", "tomorrow"]

    /// The least confidence a reading that can use the thing in focus needs
    /// to be taken, for a message that points back at it ("when will it arrive?").
    static let focusFloor = 0.02

    /// How sure the ranker must be of a message's other words, beside its
    /// detail words, for them to name a request of their own.
    static let namesRequest = 0.5

    /// Whether answering the candidate, the request just answered, would say a line of the bot's last turn again.
    private func wouldRepeat(_ candidate: IntentCandidate, _ message: Message) -> Bool {
        guard candidate.intent == state.lastIntent, let intent = engine.bot.intent(named: candidate.intent) else { return false }
        return wouldSayAgain(intent, message)
    }

    /// Whether the intent's answer to the message would be what a line of the
    /// bot's last turn said, or ended with (after "As I said: ", or a note
    /// before it).
    func wouldSayAgain(_ intent: Intent, _ message: Message) -> Bool {
        var trial = self
        let answer = trial.respond(intent, entities: message.understanding.entities, correcting: false, previous: state.lastIntent,
                                   text: message.text, lastTurnAnswered: lastTurnWasAnAnswer, at: message.at)
        return !answer.isEmpty && state.lastBotTurn.contains { $0.hasSuffix(answer) }
    }

    /// "My bank says nothing came in" just after the refund of HP-10702 was
    /// read out, taken for a failed payment: a statement that the matter is
    /// still not right (`still_a_problem`), naming nothing new, read as a
    /// request of another topic that could not be about the record the
    /// answer looked up, or only weakly ("it's been 4 days" after a double
    /// charge, as where the order is at 0.23), is about that answer. It did not help, so the bot
    /// says so, or the request's own `told_more`, and offers a person
    /// (`sameAnswerCannotHelp`).
    mutating func stillAProblemWithTheRecord(_ message: inout Message) -> TurnOutcome? {
        // Also while the answer's own offer of a person waits ("my bank says nothing came in" just after
        // a refund long overdue, and the offer to trace it): its `told_more` offers one again.
        let awaitsNothingElse: Bool = switch message.awaited {
        case .nothing, .person(.customerRequest, nil): true
        default: false
        }
        guard awaitsNothingElse, state.handedOffAt == nil, message.details.isEmpty,
              message.understanding.clarifiedMessage == nil, message.understanding.declined.isEmpty,
              let subject = subjectIntent, state.lastIntent == subject.name,
              saysStillNotRight(message.text),
              !message.understanding.entities.contains(where: { engine.focusEntities.contains($0.entity) }) else { return nil }
        let read: IntentCandidate? = switch message.understanding.decision {
        case .matched(let first), .ambiguous(let first, _): first
        case .fallback: nil
        }
        // A request that could use the record looked up only when read weakly ("it's been 4 days" as where
        // the order is, at 0.23), as is any other with no record looked up.
        let usesTheRecord = subject.lookupSlot.map { key in state.focus.value(for: key.entity) != nil } == true
        // "Not seeing it" just after a refund read out, read as small talk (an acknowledgement, "no problem"): the
        // matter is still not right.
        if let read, let intent = engine.bot.intent(named: read.intent), intent.isSmallTalk, !intent.endsConversation,
           !intent.isPleasantry || !signals.saysSolved(message.text), usesTheRecord, !subject.toldMore.isEmpty {
            return answerDidNotHelp(subject, &message)
        }
        guard let read, let intent = engine.bot.intent(named: read.intent), intent.isPlainRequest, intent.name != subject.name,
              intent.topic != subject.topic,
              read.confidence < Self.weakReading
                  || usesTheRecord && !intent.slots.contains(where: { $0.entity == subject.lookupSlot?.entity })
                  // ("It's been over three weeks now" just after a refund long overdue, read as the order's
                  // whereabouts at 0.63: less than surely, and saying nothing of the order coming.)
                  // (Only of a request that is a problem told, with its own `told_more`: not "its been weeks and still
                  // nothing on my card" just after an order's whereabouts, which asks its refund.)
                  || usesTheRecord && !subject.toldMore.isEmpty && read.confidence < Self.sureReading && !signals.speaksOfArrival(message.text)
                      // ("Weeks" of "it's been over three weeks now" says it is still not right, not what it asks.)
                      && !namesInItsOwnWords(intent, besides: subject, in: message.text,
                                             passing: Set(signals.lexicon[.stillAProblemPhrases].flatMap(TextNormalizer.tokens))) else { return nil }
        return answerDidNotHelp(subject, &message)
    }

    /// Whether `text` holds a word that says what it asks of `request`'s own, not `subject`'s and not one of
    /// `passing` (words said before, which name nothing new): "klarna" after gift cards, of the ways to pay;
    /// "card" of "its been weeks and still nothing on my card" just after an order's whereabouts, of a refund.
    func namesInItsOwnWords(_ request: Intent, besides subject: Intent, in text: String, passing: Set<String>) -> Bool {
        let requestWords = engine.vocabulary(of: request), subjectWords = engine.vocabulary(of: subject)
        return engine.tellingWords(of: text).contains { !passing.contains($0) && requestWords.contains($0) && !subjectWords.contains($0) }
    }

    /// The reply to a message that says the answer about `subject` did not
    /// help: its `told_more`, or `repeated`, with the offer of a person.
    mutating func answerDidNotHelp(_ subject: Intent, _ message: inout Message) -> TurnOutcome {
        message.understanding.decision = .matched(candidate(subject, in: message))
        // "Wore it once, didn't like the colour. Bought it 5 weeks ago" just after how returns work: a day
        // past a time limit that the request has replies for (`past_returns`) changes the answer, which is said.
        let past = Set(filledByTheConversation.keys.filter { $0.hasPrefix("past_") })
        if !past.isEmpty, subject.responses.contains(where: { !past.isDisjoint(with: $0.condition?.given ?? []) }) {
            return respondToDecision(&message)
        }
        message.understanding.answers = "more about \(subject.name)"
        state.consecutiveMisses = 0
        var outcome = simpleReply(sameAnswerCannotHelp(subject, at: message.at), text: message.text, understanding: message.understanding,
                                  answered: false, at: message.at)
        outcome.quickReplies = Self.handoffButtons
        return outcome
    }

    /// A statement, not a question, that the matter is still not right ("it's been 4 days").
    func saysStillNotRight(_ text: String) -> Bool {
        signals.saysStillAProblem(text) && !text.contains("?") && !engine.profileReader.isQuestion(text)
    }

    /// "What happens now?" just after a parcel marked delivered that never
    /// came, read as the Pine Club's tiers at 0.31: a weak reading that
    /// leaves the topic the conversation is on, when a reading in that topic
    /// is among the first three and at least a third as likely (a fifth, when
    /// the weak reading resolves nothing: what the bot can help with), gives
    /// way to it; so does a near tie of two readings out of the topic. A message that
    /// names a new thing (a product, an order) may leave. With no such reading,
    /// a weak one that would ask for a value of its own (a club number while
    /// a late order is talked about) is read as nothing.
    mutating func keepToTheTopic(_ message: inout Message) -> TurnOutcome? {
        // A weak reading, or a near tie of two readings neither of which is in the topic ("what do I
        // get?" just after joining the Pine Club: what I can help with, or ideas for presents?).
        let read: IntentCandidate
        switch message.understanding.decision {
        case .matched(let matched) where matched.confidence < Self.weakReading: read = matched
        case .ambiguous(let first, let second) where first.confidence < Self.weakReading && subjectIntent.map { subject in
                 [first, second].allSatisfy { engine.bot.intent(named: $0.intent)?.topic != subject.topic } } == true:
            read = first
        default: return nil
        }
        // A new thing named may leave the topic, unless it is of a kind the request the conversation
        // is on takes: "what about the York one specifically" after the Leeds shop's hours.
        guard message.understanding.clarifiedMessage == nil, message.details.isEmpty, state.filling == nil,
              let subject = subjectIntent,
              let intent = engine.bot.intent(named: read.intent), intent.suggestible, intent.topic != subject.topic,
              !message.understanding.entities.contains(where: { found in
                  engine.focusEntities.contains(found.entity) && !subject.slots.contains { $0.entity == found.entity }
              }) else { return nil }
        if let same = message.understanding.ranking.prefix(3).first(where: { candidate in
               candidate.intent != read.intent
                   && engine.bot.intent(named: candidate.intent).map { $0.topic == subject.topic && $0.isPlainRequest } == true
           }),
           same.confidence * (intent.resolves ? Self.topicShare : Self.topicShareOverNothing) >= read.confidence,
           same.confidence >= Self.focusFloor, engine.isSureEnough(same) {
            message.understanding.decision = .matched(same)
            return nil
        }
        // Nor is a question that points back at what the conversation is on ("how long to break them in?"
        // just after the walking boots' sizes, read at 0.45 as how long data is kept) answered as that other
        // topic: it is read as nothing, and a question that clear gets `cannot_answer`, not a guess.
        if case .matched = message.understanding.decision, holdsAQuestion(message.text), signals.refersBack(message.text) {
            message.understanding.decision = .fallback(best: read)
            return nil
        }
        // Nor does it start asking for a value of its own: "no I don't want to 'check tracking', I've checked
        // it 10 times" just after a late order, read at 0.34 as a points balance, would ask for a Pine Club
        // number out of nowhere. It is read as nothing, and the rules after this one take it.
        if case .matched = message.understanding.decision, intent.isPlainRequest,
           intent.slots.contains(where: { slot in
               slot.required && !message.understanding.entities.contains { $0.entity == slot.entity }
                   && state.focus.value(for: slot.entity) == nil
           }) {
            message.understanding.decision = .fallback(best: read)
        }
        return nil
    }

    /// "What happens now?" just after the bot passed a missing parcel to the
    /// team, read as the Pine Club's tiers at 0.24, or "do I need to wait or
    /// will you send another one", too close to call: once a person is on
    /// the way, a weak reading or a near tie is not guessed at. The message is
    /// the team's, and the bot says so (`handed_over`, in the fallback).
    mutating func leaveToTheTeam(_ message: inout Message) -> TurnOutcome? {
        guard state.handedOffAt != nil, message.understanding.clarifiedMessage == nil else { return nil }
        // "How long do I have to wait before you do something?": only when, naming nothing else, is when
        // the person will answer, not the time a request's answer gives (a refund's 5 working days).
        if asksOnlyWhen(&message) {
            // Answered here: its sentences are no requests of their own ("it's a Christmas present").
            askedOnlyWhen = true
            message.details = []
            message.understanding.decision = .fallback(best: message.understanding.matched)
            return respondToDecision(&message)
        }
        // "I'd rather have them resent than a refund tbh": what the customer prefers, told, naming nothing new, is
        // noted for the team, whatever detail its words name (`person.preference_phrases`).
        // So is one that refuses something and says what instead, read as a request the conversation is not on ("I
        // don't want a refund, I want the candles, they're a gift", read as gift cards by its last words; not "I
        // don't want a refund, I want the jumper" of the late order handed over, whose answer says what the team does).
        let clauses = signals.clauses(message.text)
        let readAsAnother = message.understanding.matched.map { read in !state.focus.subjects.contains { $0.value == read.intent } } ?? false
        let prefers = signals.holds(TextNormalizer.tokens(message.text), .personPreferencePhrases)
            || readAsAnother && clauses.contains(where: \.negated) && !clauses.allSatisfy(\.negated)
        if !holdsAQuestion(message.text), prefers, message.understanding.entities.allSatisfy(namesNothingNew) {
            message.details = []
            message.understanding.decision = .fallback(best: message.understanding.matched)
            return respondToDecision(&message)
        }
        guard message.details.isEmpty else { return nil }
        // "What now?", "can you chase it?": what happens next is the team's, so the reply says when a
        // person will answer, not what the bot can help with. So is "can you send a new one" after
        // a lost parcel was handed over, read as exchanges: a request to act that names nothing new.
        // So is "I don't want a refund, I just want the jumper and the mug. can you send them again?" after a
        // late order was handed over: the things it names are the order's.
        // Read as nothing too: "I've checked with neighbours and the porch, nothing. Can you send them again or
        // what" after a parcel marked delivered was handed over is no question of the candles' sizes.
        let read = message.understanding.ranking.first
        if signals.asksToAct(message.text),
           read.flatMap({ engine.bot.intent(named: $0.intent) }).map(\.isSmallTalk) ?? true || message.understanding.entities.allSatisfy(namesNothingNew) {
            // Answered here: the clauses of "I've checked with the neighbours and the bin store, nothing.
            // what now" are no requests of their own (a shop, what the bot can help with).
            message.understanding.decision = .fallback(best: read)
            return respondToDecision(&message)
        }
        switch message.understanding.decision {
        case .matched(let read) where read.confidence < Self.weakReading:
            message.understanding.decision = .fallback(best: read)
        // "I paid by paypal if that makes any difference", read at 0.70 as the ways to pay: a statement,
        // asking nothing and naming nothing new, read less than surely as a plain request, tells the team more.
        case .matched(let read) where read.confidence < Self.sureReading && tellsTheTeamMore(message, read):
            message.understanding.decision = .fallback(best: read)
        case .ambiguous(let first, _):
            message.understanding.decision = .fallback(best: first)
        default:
            break
        }
        return nil
    }

    /// Whether the message is a question, or a clause of it is one ("no
    /// thanks. can i just take it back to a shop instead").
    func holdsAQuestion(_ text: String) -> Bool {
        engine.profileReader.isQuestion(text) || signals.clauses(text).contains { engine.profileReader.isQuestion(String($0.text)) }
    }

    /// Whether a message after a handoff only tells more: a statement with no
    /// question in it and no start of a request ("I want to make a formal
    /// complaint": `clauses.restarts`), naming no record or thing the
    /// conversation was not on, read as a plain request.
    func tellsTheTeamMore(_ message: Message, _ read: IntentCandidate) -> Bool {
        engine.bot.intent(named: read.intent)?.isPlainRequest == true
            && !holdsAQuestion(message.text) && !signals.startsARequest(message.text)
            && message.understanding.entities.allSatisfy(namesNothingNew)
    }

    /// Whether a value the message names is nothing the conversation was not on: of a kind never in
    /// focus, the value in focus, or a thing a record in focus holds (the mug of HP-10442).
    func namesNothingNew(_ found: EntityMatch) -> Bool {
        !engine.focusEntities.contains(found.entity) || state.focus.value(for: found.entity) == found.value
            || engine.recordIdentifiers.contains { kind in
                state.focus.value(for: kind).map { engine.row(of: kind, $0, mentions: found) } ?? false
            }
    }

    /// Whether the message asks only when ("how long do I have to wait?"),
    /// naming nothing else: once a person has the conversation, that is
    /// when they will answer.
    func asksOnlyWhen(_ message: inout Message) -> Bool {
        if let known = message.onlyWhen { return known }
        let only: Bool
        if state.handedOffAt != nil {
            let (asked, rest) = signals.detailsAsked(message.text)
            if asked.contains("time"), signals.speaksOfAReply(message.text) {
                // "How long will they take to get back to me? this is a gift for saturday": when, whatever the rest names.
                only = true
            } else if signals.speaksOfArrival(message.text), arrivalAnswer(for: state.focus.subjects.first) != nil {
                // "When will it come then?" after a late order's whereabouts or cancelling: when the order
                // comes (its `arrival`, said with the team on it), not when a person will answer.
                only = false
            } else if message.understanding.entities.isEmpty {
                // "How long will the investigation take? it's a Christmas present": when, whatever else it tells;
                // not "how long do I wait before it counts as lost?", which asks a detail of the request the
                // conversation is on as well (the late order's `lost`).
                let subjectDetails = Set(subjectIntent?.details.map(\.name) ?? [])
                only = asked.contains("time") && !asked.contains(where: { $0 != "time" && subjectDetails.contains($0) })
                    && namesNoRequest(rest, at: message.at)
                    && !tellsHowLongOnceWithTheTeam()
            } else {
                only = false
            }
        } else {
            only = false
        }
        message.onlyWhen = only
        return only
    }

    /// Whether the request handed over (the one the conversation is on, or the handoff's own) has a
    /// `time` that says what happens once it is with the team: "fine. how long will that take" after a
    /// late order went to the team asks how long a replacement or a refund takes, not only when a person
    /// will answer. A request that hands over, or whose `time` has a reply for `handed_off`, has one.
    func tellsHowLongOnceWithTheTeam() -> Bool {
        let handedOver: Intent? = subjectIntent ?? state.lastIntent.flatMap(engine.bot.intent(named:)).flatMap { $0.handsOff ? $0 : nil }
        guard let request = handedOver, let time = request.details.first(where: { $0.name == "time" }) else { return false }
        return request.handsOff || time.responses.contains { $0.condition?.given.contains(Bot.handedOffGiven) == true }
    }

    /// "Are the boots coming separately or have they been lost?" with HP-10588 in focus, "is the mug coming
    /// separately?" with HP-10442: things the order in focus holds, every thing the message names, asked
    /// about coming (`arrival.thing_phrases`), are that order's arrival (the request of its table with an
    /// `arrival` detail), not the things' stock or price. Not a message read surely as another request of
    /// the order's table (a missing boot, cancelling the boots), nor one naming another record.
    ///
    /// "And the mug?" just after where HP-10442 is (a message that only names things the order in focus
    /// holds, just after the answer of a request of the order's table with a `parcels` detail): which parcel
    /// each is in, that request's `parcels`. Either while nothing waits, or while only that answer's offer of a
    /// person does and the message opens with no yes to it ("the wool blanket yes. any update?" just after
    /// HP-10610 is 9 days late).
    mutating func askWhenAThingOfTheRecordComes(_ message: inout Message) -> TurnOutcome? {
        guard state.filling == nil, message.understanding.declined.isEmpty,
              message.understanding.clarifiedMessage == nil, !namesARecord(message.understanding) else { return nil }
        switch message.awaited {
        case .nothing: break
        // Not one that opens with a yes to that offer ("yes please, and is the mug still coming?"); a no
        // declines the person, and the question is still the order's ("no, but is the mug still coming?").
        case .person(_, nil) where signals.yesNo(String(signals.clauses(message.text).first?.text ?? "")) != .yes: break
        default: return nil
        }
        let coming = signals.speaksOfAThingComing(message.text)
        for kind in engine.recordIdentifiers.sorted() {
            guard let value = state.focus.value(for: kind), let table = engine.lookupTables[kind] else { continue }
            let things = message.understanding.entities.filter { engine.listedKinds[kind]?.contains($0.entity) == true }
            guard !things.isEmpty, things.allSatisfy({ engine.row(of: kind, value, mentions: $0) }) else { continue }
            let intent: Intent, detail: String
            // The request just answered, when it is on the order's table and says which parcel holds what.
            let last = state.lastIntent.flatMap { engine.bot.intent(named: $0) }.flatMap { last in
                last.lookup?.table == table && last.details.contains(where: { $0.name == Self.parcelsDetail }) ? last : nil
            }
            if coming, let last, signals.detailsAsked(message.text).details.contains(Self.parcelsDetail) {
                // "And the mug? is it coming separately" just after where HP-10442 is: which parcel holds it.
                (intent, detail) = (last, Self.parcelsDetail)
            } else if coming, let request = arrivalRequest(onTable: table) {
                (intent, detail) = (request, Self.arrivalDetail)
            } else if things.count == message.understanding.entities.count, onlyNames(message.text, things), let last {
                (intent, detail) = (last, Self.parcelsDetail)
            } else { return nil }
            // (But for a problem whose answer read this record out: "so when will the boots come then?" after
            // "only part of my order came. order HP-10588" was told the boots follow separately, however
            // surely it reads as the missing item, asks when that parcel comes.)
            if let read = message.understanding.matched, read.intent != intent.name, read.confidence >= Self.sureReading,
               let readIntent = engine.bot.intent(named: read.intent), readIntent.lookup?.table == table,
               !(coming && !readIntent.toldMore.isEmpty && state.hasReadOut(value, by: readIntent.name)) { return nil }
            message.understanding.decision = .matched(IntentCandidate(intent: intent.name, confidence: 1))
            message.details = [detail]
            return nil
        }
        return nil
    }
    static let parcelsDetail = "parcels"

    /// The request that says when the record the request in focus is about
    /// comes (its `arrival` detail): that request itself, or one of its topic
    /// on the same table (the order's whereabouts, after cancelling or
    /// changing it; not after a refund, whose `time` is when the money comes).
    func arrivalAnswer(for subject: Focus.Item?) -> Intent? {
        // Only a request on a record in focus (an order, not delivery times for one not placed yet); not a
        // problem, whose own answer sends something ("when will it come?" after a missing candle is when the
        // missing one comes, its `time`), unless that problem's answer was the record's and the record has
        // not all come: "so when will the boots come then?" after "only part of my order came. order
        // HP-10588" was told the boots follow separately is when that order comes.
        guard let intent = subject.flatMap({ engine.bot.intent(named: $0.value) }),
              let key = intent.lookupSlot?.entity, engine.recordIdentifiers.contains(key), let value = state.focus.value(for: key),
              let table = intent.lookup?.table else { return nil }
        if !intent.toldMore.isEmpty {
            let arrived = engine.bot.tables[table]?.row(for: value)?["\(table).\(Self.arrivedColumn)"]
            guard state.hasReadOut(value, by: intent.name), arrived == Self.notArrived || arrived == Self.partlyArrived else { return nil }
        }
        if intent.details.contains(where: { $0.name == Self.arrivalDetail }) { return intent }
        return arrivalRequest(onTable: table, topic: intent.topic)
    }
    static let arrivalDetail = "arrival"
    static let christmasDetail = "christmas"

    /// The first plain request that looks up `table` (and is of `topic`, when given) with an `arrival` detail.
    func arrivalRequest(onTable table: String, topic: String? = nil) -> Intent? {
        engine.bot.intents.first { candidate in
            candidate.lookup?.table == table && (topic == nil || candidate.topic == topic) && candidate.isPlainRequest
                && candidate.details.contains { $0.name == Self.arrivalDetail }
        }
    }

    /// Whether a message's other words name no request surely ("do I have to
    /// wait before you do something", "does that take by law"): only words
    /// common to requests, or read at less than `namesRequest`.
    func namesNoRequest(_ rest: String, at: Date) -> Bool {
        (readRest(rest, at: at)?.matched?.confidence ?? 0) < Self.namesRequest
    }

    /// "I have photos, where do I send them?" just after the broken mug's
    /// answer, which says where: a message the bot cannot read (or reads
    /// only as a weak near tie), in a
    /// conversation on the request the bot just answered, whose telling words
    /// pick sentences of that answer (`Engine.sentences(answering:in:of:)`),
    /// is answered with them, as that request. Better than "could you put it
    /// another way?": the customer missed or doubted that part.
    mutating func pointToTheLastAnswer(_ message: inout Message) -> TurnOutcome? {
        // Unread, or read as a weak near tie ("I have photos, where do I send them" as returning
        // something at 0.33 or what I know about you at 0.23): no choice of the two is worth offering
        // when the message's own words pick out the part of the answer it asks about.
        // Only a tie led by a reading in the topic the conversation is on: "how many days does delivery
        // take?" just after returns is about delivery, however "days" picks the 30 days of returns.
        switch message.understanding.decision {
        case .fallback: break
        case .ambiguous(let first, _) where first.confidence < Self.weakReading
            && engine.bot.intent(named: first.intent)?.topic == subjectIntent?.topic: break
        default: return nil
        }
        guard message.understanding.clarifiedMessage == nil,
              message.understanding.declined.isEmpty, message.details.isEmpty, state.filling == nil, state.handedOffAt == nil,
              !message.frustrated, case .nothing = message.awaited,
              let subject = subjectIntent, state.lastIntent == subject.name,
              // Not one that names another value than the last answer's ("not Leeds, York. is there parking?"
              // after Leeds's hours): the York of that answer's Sunday sentence is not what it asks about.
              !subject.slots.contains(where: { spec in
                  state.slots[spec.name].map { used in
                      message.understanding.entities.contains {
                          $0.entity == spec.entity && $0.value != used && !signals.setsAside($0, in: message.text)
                      }
                  } ?? false
              }) else { return nil }
        // "It's been 4 days" just after "it drops off within 3 working days": not a part of the answer
        // to say again (its days), but news that it did not help.
        if saysStillNotRight(message.text) { return answerDidNotHelp(subject, &message) }
        // Nor "it's not a pending authorisation, both have gone through" just after "a second charge is
        // usually a pending hold": the answer's own words denied, which its sentence cannot answer.
        // (Its whole answer is rendered only for a request that expects to be told more.)
        if !subject.toldMore.isEmpty, !engine.profileReader.isQuestion(message.text), !signals.asksAgain(message.text),
           case let wholeAnswer = subject.responses.first(where: { $0.condition == nil })?.render(engine.bot.variables) ?? "",
           signals.deniesWhatWasSaid(message.text, in: (state.lastBotReply ?? "") + " " + wholeAnswer, ignoring: engine.commonWords) {
            return answerDidNotHelp(subject, &message)
        }
        // The last reply; or, when that was a short answer to a detail ("Returns are free: the label
        // is on us"), the request's whole answer for anyone (when no value is needed for it).
        let lastSaid = state.lastBotReply
        let general = subject.responses.first.flatMap { $0.condition == nil && !subject.slots.contains(where: \.required) ? $0 : nil }
        let whole = general?.render(engine.bot.variables)
        let engine = engine, text = message.text
        // Or, by no words of its own, the day or the sum it asks for ("ok and how much am I getting back"
        // just after a refund's record).
        guard let part = [lastSaid, whole].compactMap({ $0 })
                .compactMap({ engine.sentences(answering: text, in: $0, of: subject, asked: .unread) }).first
                ?? lastSaid.flatMap({ engine.sentences(holdingWhat: text, asks: $0, of: subject, at: message.at) }) else { return nil }
        message.understanding.decision = .matched(candidate(subject, in: message))
        state.consecutiveMisses = 0
        return simpleReply(part, text: message.text, understanding: message.understanding, at: message.at)
    }

    /// "How was the chat? I'll give you a 2 out of 10", "rate you 4/5 so
    /// far": a score the bot did not ask for is feedback all the same. It is
    /// stored and answered as the answer to "how did we do?" would be: a low
    /// one with the apology and a person at once, another with the next question.
    mutating func takeAnUnaskedScore(_ message: inout Message) -> TurnOutcome? {
        // Also while a person is offered ("I'd rate you 2 out of 10" after "shall I pass you to a person?"):
        // a score is no yes or no, and a low one offers the person again.
        let free: Bool = switch message.awaited {
        case .nothing, .person: true
        default: false
        }
        guard free, state.handedOffAt == nil, SatisfactionAnswer.unaskedScore(message.text) != nil else { return nil }
        state.feedbackAsked = true
        let flow = FeedbackInProgress(step: .score, intent: state.lastResolvedIntent, solicited: false)
        return answerFeedback(flow, text: message.text, understanding: message.understanding, at: message.at)
    }

    /// When a person will answer, how, and what to do meanwhile (`support_hours: say:`); once that was said
    /// in the lines kept, its short form (`say_again:`), unless the message asks only when, or how the team
    /// answers ("will they email me or do I have to stay on here?": signals.yaml `team_reply`).
    func timingOfTheHandoff(at: Date) -> String? {
        let whole = engine.bot.handoffTiming(at: at)
        let saidBefore = !askedOnlyWhen && !askedHowTheyHear
            && whole.map { whole in state.recent.contains { $0.speaker == .bot && $0.text.contains(whole) } } ?? false
        return saidBefore ? engine.bot.handoffTiming(at: at, again: true) : whole
    }

    /// `handed_over`, with when a person will answer (`timingOfTheHandoff`: "I've checked with neighbours
    /// and the porch, nothing. Can you send them again or what" after the handoff hears the short form, not
    /// the whole paragraph again); said again at once, without the when.
    mutating func handedOverReply(to text: String, at: Date) -> String {
        let ladder = engine.bot.ladder
        let reply = [handedOverLine(to: text), timingOfTheHandoff(at: at)].compactMap { $0 }.joined(separator: " ")
        guard reply == state.lastBotReply else { return reply }
        // Asked when, the timing is the answer, said as said before; otherwise the short form.
        return askedOnlyWhen ? say(ladder.saidBefore, .saidBefore, extra: ["reply": reply]) : say(ladder.handedOver, .handedOver)
    }

    /// What the bot says of a message left to the team, by what the message does: asks what happens
    /// now, asks the bot to act ("ok do that then"), asks a question ("how long will that take"), or
    /// tells something ("it needs to be here by the 20th"); a word or two ("hello??", "now") hears
    /// only that the team will see it. Each falls back to `handed_over` when the bot has no such text.
    mutating func handedOverLine(to text: String) -> String {
        let ladder = engine.bot.ladder
        let words = TextNormalizer.tokens(text)
        let (texts, source): ([ResponseTemplate], VariantChoice.Source) =
            // "When will someone get back to me?": when a person answers, which follows, is the answer.
            // An angry or sarcastic message ("great, so I'm left with no blanket. brilliant.") is not "noted".
            // ("How long will that take?": when a person answers, which follows, is the answer as far as the bot has one.)
            if askedHowTheyHear || askedOnlyWhen || signals.isFrustrated(text) || signals.isSarcastic(text, after: state.lastBotReply) { ([], .handedOver) }
            // ("I've checked with the neighbours, nothing. what now": a sentence of its own asks what next.)
            else if signals.asksWhatNext(inASentenceOf: text, offered: true) { (ladder.handedOverNext, .handedOverNext) }
            else if signals.asksToAct(text) || signals.asksToAct(signals.wanted(text)) { (ladder.handedOverAsked, .handedOverAsked) }
            else if words.count >= Self.toldWords, engine.profileReader.isQuestion(text) || text.contains("?") { (ladder.handedOverQuestion, .handedOverQuestion) }
            // (Not one that only refuses or denies: "no I don't have anything else to add" tells nothing to note.)
            else if words.count >= Self.toldWords, !signals.clauses(text).allSatisfy(\.negated) { (ladder.handedOverNoted, .handedOverNoted) }
            else { ([], .handedOver) }
        return texts.isEmpty ? say(ladder.handedOver, .handedOver) : say(texts, source)
    }

    /// The fewest words of a message that tells or asks the team something, rather than only
    /// calling out ("hello??", "anyone there").
    static let toldWords = 5

    /// "How do I do that?" just after the returns answer, "where do I find
    /// it?" after the invoice's: a message the ranker cannot read (or reads
    /// as a near tie of two others, or weakly as another), of words that point back ("that",
    /// "it") and words frequent in the bot's requests (`Engine.frequentWords`),
    /// asks about the request the conversation is on, not about another that
    /// could use the product in focus (its care). So does a message that
    /// only asks why ("why not??" after "it can't be cancelled": the `why`
    /// phrases), however the ranker reads it. Its answer follows as for any
    /// reading: said again, it is said as such, with the reason in it.
    mutating func referToTheSubject(_ message: inout Message) -> TurnOutcome? {
        guard message.understanding.clarifiedMessage == nil, message.understanding.slotAnswer == nil,
              message.understanding.declined.isEmpty, message.details.isEmpty, state.filling == nil, state.handedOffAt == nil,
              let subject = subjectIntent else { return nil }
        // "Why not??" just after "it can't be cancelled": only why, however the ranker reads it;
        // not why the bot asks what it just asked ("why?" to "what's your phone number?").
        var asksWhy = false
        if case .nothing = message.awaited, state.lastIntent == subject.name {
            asksWhy = asksOnlyWhy(message.text, message.understanding.entities, at: message.at)
        }
        if !asksWhy {
            switch message.understanding.decision {
            case .fallback, .ambiguous: break
            // Or reads weakly as no request of its own: "how do I do that" as what the bot can help with
            // at 0.38. A weak request ("how do I send them back?" as returns) stands.
            case .matched(let read) where read.confidence < Self.weakReading && read.intent != subject.name
                && engine.bot.intent(named: read.intent)?.resolves == false: break
            case .matched: return nil
            }
            guard signals.refersBack(message.text),
                  signals.withoutReferences(message.text).allSatisfy(engine.frequentWords.contains) else { return nil }
        }
        message.understanding.decision = .matched(candidate(subject, in: message))
        return nil
    }

    /// Whether the message only asks why (`why` phrases: "why not??"), or
    /// opens with that and goes on to argue ("Why not? it was only two
    /// candles" just after "it can't be cancelled"): what follows asks nothing
    /// (no question, nothing of the bot: "why not? put me through to a human
    /// then" asks for a person, read alone surely as a handoff, and no fresh
    /// start of a request: "why not? I want a refund instead") and names
    /// nothing new (a thing in focus, or nothing).
    func asksOnlyWhy(_ text: String, _ entities: [EntityMatch], at: Date) -> Bool {
        if signals.asksOnlyWhy(text) { return true }
        let clauses = signals.clauses(text)
        guard clauses.count >= 2, signals.asksOnlyWhy(String(clauses[0].text)) else { return false }
        let rest = String(text[clauses[1].text.startIndex...])
        guard !rest.contains("?"), !engine.profileReader.isQuestion(rest), !signals.asksToAct(rest), !signals.startsARequest(rest),
              entities.allSatisfy({ found in
                  !engine.focusEntities.contains(found.entity) || state.focus.value(for: found.entity) == found.value
              }) else { return false }
        let alone = engine.understand(rest, at: at, contexts: Set(state.contexts.keys)).matched
        return !(alone.flatMap { engine.bot.intent(named: $0.intent) }.map { $0.handsOff || $0.endsConversation } ?? false)
    }

    /// Whether the customer spoke of a problem in this message or the one
    /// before ("my candles arrived smashed", then "do I need to send
    /// photos?"): no personal question, check-back or offer is added for a
    /// customer with a problem in hand. A new request after that may be
    /// followed by one again.
    func raisedAProblem(_ text: String) -> Bool {
        return signals.mentionsProblem(text) || state.customerMessageBefore.map(signals.mentionsProblem) == true
    }

    /// Below this, a reading is weak: a follow-up read so may give way to the topic it is in.
    static let weakReading = 0.5
    /// A reading sure enough to take a detail from the request the conversation is on, to be a new
    /// request while a value is asked for (`strayReading`), or to be the last request told again
    /// with no thing named (`takeWhatWasTold`).
    static let sureReading = 0.75
    /// At most how many words besides the day a statement that only tells when
    /// something was bought has ("I bought it on", "got it delivered on").
    static let dayToldWords = 5
    /// How much likelier than a reading in the topic a weak reading out of it may be, and still
    /// give way to it (`keepToTheTopic`): three times; five, for one that resolves nothing.
    static let topicShare = 3.0
    static let topicShareOverNothing = 5.0

    /// The reading of a message's one question among statements ("I'm a Pine Club member PC-300771, do you
    /// have the rain jacket in mustard?"), read alone: only when it is sure, and the other clauses ask nothing.
    func readingOfTheOnlyQuestion(_ message: Message) -> IntentCandidate? {
        let clauses = signals.clauses(message.text)
        guard clauses.count >= 2 else { return nil }
        let questions = clauses.filter { engine.profileReader.isQuestion(String($0.text)) || $0.text.contains("?") }
        guard questions.count == 1, let question = questions.first, !question.negated,
              clauses.allSatisfy({ $0 == question || !signals.asksToAct(String($0.text)) && !signals.startsARequest(String($0.text)) })
        else { return nil }
        let read = engine.understand(String(question.text), at: message.at, contexts: Set(state.contexts.keys)).matched
        return read.flatMap { $0.confidence >= Self.sureReading ? $0 : nil }
    }

    /// "Did you mean something I can't help with, or what delivery costs?"
    /// helps nobody: between a request and small talk, the likelier is
    /// answered; and so it is when both would say the same ("how much is
    /// delivery to Ireland?"). An intent that changes something still needs
    /// its `min_confidence`: "forget it, just tell me about your club" at 0.34
    /// is no erasure request.
    mutating func settleNearTie(_ message: inout Message) -> TurnOutcome? {
        // "When's it back?" while the scarf is in focus: of two readings, the one that can use it;
        // "it says invalid" just after discount codes: the one the conversation is on.
        if case .ambiguous(let first, let second) = message.understanding.decision {
            let usable = [first, second].filter { candidate in
                usesFocus(candidate.intent, message)
                    && engine.bot.intent(named: candidate.intent).map { examplesSpeak(to: message, $0) } == true
            }
            // Not when that would only say the last answer again ("apple pay" twice: the second
            // time, the customer may well mean the other).
            let current = [first, second].filter { candidate in
                state.focus.subject?.value == candidate.intent && !wouldRepeat(candidate, message)
            }
            if let chosen = usable.count == 1 ? usable.first : current.count == 1 ? current.first : nil, engine.isSureEnough(chosen) {
                message.understanding.decision = .matched(chosen)
                return nil
            }
            // "Do you have the waterproof jacket in a women's size 14?": stock (which needs the product
            // named) ahead of choosing a size (which needs none, though it may say how one product fits);
            // the likelier reading, when only it needs the thing the message names, of the same topic ("the
            // sole is coming away... ridiculous for the price" is no question of the boots' price, however
            // near a tie with the damage), needs no question.
            let named = Set(message.understanding.entities.map(\.entity)).intersection(engine.focusEntities)
            func takesNamed(_ candidate: IntentCandidate) -> Bool {
                engine.bot.intent(named: candidate.intent)?.slots.contains { $0.required && named.contains($0.entity) } == true
            }
            if takesNamed(first), !takesNamed(second), first.confidence >= engine.policy.settings.confidenceThreshold,
               engine.bot.intent(named: first.intent)?.topic == engine.bot.intent(named: second.intent)?.topic,
               engine.isSureEnough(first) {
                message.understanding.decision = .matched(first)
                return nil
            }
            // "I'm a Pine Club member PC-300771, do you have the rain jacket in mustard?": of two readings, the
            // one of the message's only question, read alone surely; what the other clauses state is said as
            // context (joining the Pine Club is no question here).
            if let asked = readingOfTheOnlyQuestion(message), asked.intent == first.intent || asked.intent == second.intent {
                message.understanding.decision = .matched(asked.intent == first.intent ? first : second)
                return nil
            }
        }
        // Two weak readings, the second below the threshold itself ("is that covered?" after a broken
        // zip: a lost parcel at 0.25, colours at 0.06): no choice worth offering, and no guess either.
        if case .ambiguous(let first, let second) = message.understanding.decision,
           second.confidence < engine.policy.settings.confidenceThreshold, first.confidence < Self.weakReading, state.handedOffAt == nil,
           state.focus.subject != nil {
            message.understanding.decision = .fallback(best: first)
            return nil
        }
        if case .ambiguous(let first, let second) = message.understanding.decision,
           !offersChoice(first, second) || sameAnswer(first, second, understanding: message.understanding, text: message.text, at: message.at) {
            // The runner-up only when it reaches the threshold itself ("does that apply to sale
            // stuff?" is no discount code question at 0.16 because thanks, at 0.24, needs 0.45).
            let threshold = engine.policy.settings.confidenceThreshold
            message.understanding.decision = engine.isSureEnough(first) ? .matched(first)
                : engine.isSureEnough(second) && second.confidence >= threshold ? .matched(second) : .fallback(best: first)
        }
        return nil
    }
}

extension Turn {
    /// The reply to what the message was decided to be: an intent's answer
    /// (with what may follow it: the question waiting behind, a person for a
    /// frustrated customer, a check-back, a profile question or an offer),
    /// the fallback ladder, or "did you mean A or B?".
    mutating func respondToDecision(_ message: inout Message) -> TurnOutcome {
        let text = message.text, at = message.at, frustrated = message.frustrated, resumeAfter = message.resumeAfter
        let understanding = message.understanding
        // What a request names comes into focus (an answer about the
        // customer, "Manchester" for their town, does not; nor does a message
        // the bot did not understand: what it was about is not known).
        if case .fallback = understanding.decision {} else {
            for found in understanding.entities where engine.focusEntities.contains(found.entity) {
                state.focus.bring(found.entity, found.value)
            }
        }
        var replies: [String] = []
        var effects: [ConversationEffect] = []
        var quickReplies: [QuickReply] = []
        switch understanding.decision {
        case .matched(let match):
            guard let intent = engine.bot.intent(named: match.intent) else { fallthrough }
            // What came before this intent is what the agent needs on a handoff.
            let earlierIntent = state.lastIntent, earlierTopic = state.topic
            let lastTurnAnswered = lastTurnWasAnAnswer
            state.lastIntent = intent.name
            state.lastDetails = message.details.isEmpty ? nil : message.details
            state.topic = intent.topic
            state.consecutiveMisses = 0
            // Any request answered (not small talk, an action, a handoff or a goodbye) is what the conversation is on.
            let answeredRequest = intent.isPlainRequest
            if let context = intent.setsContext { state.contexts[context] = intent.contextTurns }
            if intent.endsConversation || intent.handsOff { state.dropTask() } // nothing to come back to
            let earlierSolved = state.profile.lastSolved
            let lastSaid = state.lastBotReply
            let choicesBefore = chosen.count
            // No reply that offers a person once one was turned down in this message, or is on the way.
            offerNoPerson = state.handedOffAt != nil || understanding.declined.contains { engine.bot.intent(named: $0)?.handsOff == true }
            let askedFeedback = shouldAskForFeedback(intent) && state.filling == nil && resumeAfter == nil
            // "Thanks", "ok great" just after a request was answered: the customer closes it, the
            // moment for a personal question (not in the middle of the request, `afterAnswer`).
            // Not when the customer ends by saying they want no more ("thanks, thats all": `done`, in the
            // last clause: not "thanks, that's all clear. one more thing though"): they are leaving, and a
            // question of the bot's own, "Anything else?" or their first name, would hold them back (the
            // satisfaction question, when it is due, is still asked: "Before you go: ...").
            let leaving = intent.isPleasantry && signals.clauses(text).last.map { signals.saysDone(String($0.text)) } == true
            // Nor a thanks that only signs off ("cheers", "great ta": `done.sign_offs`), nor one that gives up
            // ("ok nevermind"): a question about the customer would be asked at the door.
            let signsOff = intent.isPleasantry && (signals.onlySignsOff(text) || signals.afterDismissal(text) != nil)
            let closesAnAnswer = intent.isPleasantry && !askedFeedback && lastTurnAnswered && !leaving && !signsOff
                && earlierIntent.flatMap(engine.bot.intent(named:)).map { $0.resolves && $0.isPlainRequest } == true
            if askedFeedback {
                // The customer winds down ("thanks"): how did we do? The question
                // takes the place of the intent's answer and its context.
                if let context = intent.setsContext { state.contexts[context] = nil }
                replies = [askForFeedback(solicited: true)]
            } else if intent.action == .introduce && !confirmations.isEmpty {
                replies = [] // the confirmation of what was noted is the answer
            } else if !message.details.isEmpty, !intent.handsOff || state.handedOffAt != nil {
                // A detail of an answer, an action's too ("how long does that take?" after what Pip knows):
                // the detail's reply, not the action again. Not of a request that hands over, before it has:
                // its whole answer says a person is taking it ("it says delivered but it isn't here, will you
                // send a replacement?").
                replies = [answerDetails(message.details, of: intent, entities: understanding.entities, text: text, at: at)]
                noteResolved(intent, understanding: understanding, at: at)
            } else if let action = intent.action {
                replies = [act(action, intent: intent, text: text, at: at)]
            } else {
                replies = [respondWithoutRepeating(intent, entities: understanding.entities, correcting: understanding.slotAnswer != nil, previous: earlierIntent,
                                   text: text, lastTurnAnswered: lastTurnAnswered, at: at,
                                                   insisting: !understanding.declined.isEmpty, refusedPerson: refusesAPerson(understanding), upset: frustrated)]
                if leaving {
                    // "Happy to help. Anything else?" to "thanks, thats all": without its question, nor the
                    // context it opens for an answer to it.
                    if let context = intent.setsContext { state.contexts[context] = nil }
                    replies = replies.map { reply in
                        let told = AnswerSentences.split(reply).filter { !$0.hasSuffix("?") }
                        return told.isEmpty ? reply : told.joined(separator: " ")
                    }
                }
                if state.filling?.intent != intent.name && !notFoundOptional && !gaveNoAnswer { noteResolved(intent, understanding: understanding, at: at) }
            }
            // A reply that ends by offering a person ("shall I pass you to our customer care team?",
            // `offers: person`) waits for the yes, in place of any other question or offer after it.
            // Only when the reply was said: a frustrated customer's "As I said" is left out, and the
            // offer for frustration follows instead.
            // So does a detail's reply that offers one ("is it lost?" of a late order).
            if state.handedOffAt == nil, !intent.handsOff, replies.contains(where: { !$0.isEmpty }), offersPerson(intent, since: choicesBefore) {
                waitForPerson(frustrated ? .frustration : .customerRequest)
            }
            // Details asked of a request that asks for a value first are not answered yet.
            if state.filling?.intent == intent.name { state.lastDetails = nil }
            // The request the conversation is on now, with the record its answer looked up, if any.
            if answeredRequest {
                let record = intent.lookup.flatMap { state.slots[$0.slot] }
                state.focus.answered(intent.name, record: record, turn: state.turns)
                if let record { state.noteReadOut(record, by: intent.name) }
            }
            // Likely not the customer's record: nothing later is answered from it ("can I get a refund
            // instead?", "who signed for it?" ask which order, the thing missing being in another).
            if let record = notTheCustomersRecord {
                state.focus.drop(record.entity, record.value)
                state.slots = state.slots.filter { $0.value != record.value }
            }
            // Already with the team, the same handoff again ("I checked with the neighbours", read as
            // the lost parcel once more): not the paragraph word for word, and no second handoff. Compared
            // before when a person will answer is added, which changes with the time of day.
            let handedOverAlready = intent.handsOff && state.handedOffAt != nil && replies.last.map { answer in
                state.recent.contains { $0.speaker == .bot && $0.text.hasPrefix(answer) }
            } == true
            if handedOverAlready {
                replies = [handedOverReply(to: text, at: at)]
            } else if intent.handsOff || state.handedOffAt != nil && message.details.contains("time"),
                      let timing = timingOfTheHandoff(at: at), let last = replies.indices.last {
                // When a person will answer, how, and what to do meanwhile (shorter once said); after a
                // handoff, with how long what the team does takes ("how long will that take").
                replies[last] += " " + timing
            }
            replies.removeAll(where: \.isEmpty)
            replies += confirmations
            confirmationsSaid = true
            if let (waiting, spec) = resumeAfter, state.filling?.intent == waiting.name, !frustrated, state.handoffOffered == nil {
                replies.append(resumeQuestion(waiting, spec, values: state.filling?.values ?? [:]))
            }
            // Remembered before the handoff, so the agent sees the bot's last word too.
            replies.forEach { state.remember(.bot, $0) }
            quickReplies = intent.quickReplies
            // A detail of a request already handed over ("will you send another one?") hands nothing over again.
            if intent.handsOff && !handedOverAlready && !(state.handedOffAt != nil && !message.details.isEmpty) {
                effects.append(handoff(.customerRequest, lastIntent: earlierIntent, topic: earlierTopic, slots: state.slotsSoFar, at: at))
            }
            if intent.endsConversation {
                state.phase = .ended
                effects.append(.endSession(at: at))
            } else if state.handoffOffered != nil {
                quickReplies = Self.handoffButtons // a lookup that kept failing offered a person
            } else if frustrated && !intent.handsOff && state.handedOffAt == nil {
                let offer = offerHandoff(.frustration)
                replies.append(offer)
                state.remember(.bot, offer)
                quickReplies = Self.handoffButtons
            } else if intent.resolves && intent.action == nil && !intent.handsOff || closesAnAnswer,
                      state.handedOffAt == nil, state.filling == nil, resumeAfter == nil, !notFoundOptional,
                      erasureAside == nil, !moreRequestsFollow, !raisedAProblem(text),
                      // Not after "why not??", nor after the last answer said again: nothing new was solved.
                      !asksOnlyWhy(text, understanding.entities, at: at), !gaveNoAnswer, !replies.contains(where: { reply in lastSaid.map { reply.contains($0) } ?? false }),
                      let extra = afterAnswer(intent, earlierSolved: earlierSolved, closing: closesAnAnswer) {
                replies.append(extra.text)
                state.remember(.bot, extra.text)
                if !extra.buttons.isEmpty { quickReplies = extra.buttons }
            }
            if state.erasurePending { quickReplies = Self.confirmButtons }
        case .fallback:
            // A message in another language that no rule could read is no miss to count towards
            // "I'm not getting this right" (the other-language reply offers a person already).
            let otherLanguage = signals.isInOtherLanguage(text)
            if understanding.clarifiedMessage == nil, !otherLanguage {
                state.consecutiveMisses = state.consecutiveMisses.incremented()
                state.misses = state.misses.incremented()
                trust(.misunderstanding)
            }
            // The fallback ladder: rephrase, then the closest topics, then a person.
            let ladder = engine.bot.ladder
            if state.handedOffAt != nil {
                // "Now", "hello??" while a person is on the way: no ladder, and no second offer of a person.
                // When a person will answer is said once in a row; said again, only that they will see it.
                replies = [handedOverReply(to: text, at: at)]
            } else if frustrated || state.consecutiveMisses >= FallbackLadder.offerAfter {
                replies = [offerHandoff(frustrated ? .frustration : .repeatedMisses)]
                quickReplies = Self.handoffButtons
            } else if otherLanguage {
                // A follow-up in another language that no rule could read: "could you put it another way?" would not help.
                replies = [say(ladder.otherLanguage, .otherLanguage)]
            } else if state.consecutiveMisses < FallbackLadder.offerAfter, understanding.clarifiedMessage == nil, state.focus.subject != nil,
                      engine.profileReader.isQuestion(text), !engine.namesNothing(text) {
                // "Can I park there?" after the Edinburgh shop's address: a question of
                // substance, in a conversation on a request, is clear to the customer.
                // Asking them to rephrase would not help: say so, and offer a person.
                replies = [say(ladder.cannotAnswer, .cannotAnswer)]
                waitForPerson(.customerRequest)
                quickReplies = Self.handoffButtons
            } else if state.consecutiveMisses >= FallbackLadder.suggestAfter, !closestIntents(understanding).isEmpty {
                let closest = closestIntents(understanding)
                replies = [say(ladder.suggest, .suggest, extra: ["suggestions": Self.list(closest.map(\.label))])]
                quickReplies = closest.map { QuickReply(title: $0.label, message: $0.examples.first ?? $0.label) }
            } else {
                replies = [say(engine.bot.fallback, .fallback)]
            }
            replies.forEach { state.remember(.bot, $0) }
        case .ambiguous(let first, let second):
            let options = [first, second]
            state.awaiting = .choice(PendingClarification(message: text, options: options, entities: understanding.entities), then: state.filling)
            let question = clarifyQuestion(options)
            replies = [question.text]
            quickReplies = question.buttons
            replies.forEach { state.remember(.bot, $0) }
        }
        if let aside = erasureAside, let (reply, buttons) = afterErasureQuestion(aside) {
            // The erasure question, again or called off, after the request that came instead of an answer.
            replies.append(reply)
            state.remember(.bot, reply)
            if let buttons { quickReplies = buttons }
        }
        let missed: Bool = if case .fallback = understanding.decision { understanding.clarifiedMessage == nil } else { false }
        effects.insert(record(text, at: at, intent: understanding.matched?.intent, confidence: understanding.confidence,
                              replies: replies, missed: missed), at: 0)
        var outcome = TurnOutcome(replies: replies, understanding: understanding, changes: [], effects: effects)
        outcome.quickReplies = quickReplies
        return outcome
    }
}

