import Foundation

/// The relationship side of a conversation: trust, the loyalty ladder,
/// progressive profiling, the customer's control over their data, checking
/// back and offers. Every change to the profile goes through `change(_:)`, so
/// the turn's outcome carries exactly what the store must apply.
extension Turn {
    static let confirmButtons = [QuickReply(title: "Yes, delete everything", message: "yes"), QuickReply(title: "No, keep it", message: "no")]
    static let checkBackButtons = [QuickReply(title: "Yes", message: "yes"), QuickReply(title: "No", message: "no")]

    var catalogue: ProfileCatalogue { engine.bot.profile }

    /// The relationship level the bot offers this customer now.
    public var level: RelationshipLevel {
        state.profile.level(partnershipOrders: engine.bot.profile.asking.partnershipOrders)
    }

    mutating func change(_ change: ProfileChange) {
        state.profile.apply(change)
        profileChanges.append(change)
    }

    mutating func trust(_ event: TrustEvent) {
        let weight = catalogue.trust.weight(event)
        if weight != 0 { change(.trust(event, delta: weight)) }
    }

    /// Whether the message asks why the bot wants to know ("why do you need
    /// that?", or "why do you need my email?" naming the field asked for),
    /// and is no refusal ("I'd rather not" is no question).
    private func asksWhy(_ text: String, _ understanding: Understanding, field: String? = nil) -> Bool {
        let action = understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }?.action
        let asks = action == .explainPurpose || (action == .explainUse && field != nil && fieldMentioned(in: text)?.name == field)
        return asks && !signals.isDecline(text)
    }

    /// The answer to "did that work out as you expected?": yes or no is felt in
    /// trust (a no offers a person); anything else is read as a message of its
    /// own, and the check-back counts as done. "Why do you ask?" keeps it waiting.
    mutating func answerCheckBack(_ request: SolvedRequest, text: String, understanding: Understanding, at: Date) -> TurnOutcome? {
        if asksWhy(text, understanding) {
            state.awaiting = .checkBack(request)
            return nil
        }
        change(.checkedBack(request))
        let answering = understanding.answering("the check-back on \(request.intent)")
        switch signals.yesNo(text) {
        case .yes?:
            trust(.goodFeedback)
            return simpleReply(say(catalogue.texts.checkBackGood, .checkBackGood, extra: ["label": request.label]),
                               text: text, understanding: answering, answered: false, at: at)
        case .no?:
            trust(.badFeedback)
            waitForPerson(.dissatisfied)
            var outcome = simpleReply(say(catalogue.texts.checkBackBad, .checkBackBad, extra: ["label": request.label]),
                                      text: text, understanding: answering, answered: false, at: at)
            outcome.quickReplies = Self.handoffButtons
            return outcome
        case nil:
            return nil
        }
    }

    /// The answer to a profile question: the value noted, a refusal respected,
    /// or, when the message is something else, nothing (it is read as a
    /// message of its own, and the question is not held against the customer).
    mutating func answerProfileQuestion(_ name: String, text: String, understanding: Understanding, at: Date) -> TurnOutcome? {
        guard let field = catalogue.field(named: name) else { return nil }
        // "Why do you need that?" is answered by its intent; the question still waits.
        if asksWhy(text, understanding, field: name) {
            state.awaiting = .profileAnswer(field: name)
            return nil
        }
        // The pause before the next question counts from the end of this one.
        state.lastQuestionAt = state.turns
        // Answered, refused or passed over: not asked again in this conversation.
        state.passedOver.insert(name)
        // An angry message is no answer: the fallback ladder deals with it.
        if signals.isFrustrated(text) { return nil }
        let answering = understanding.answering("the profile question about \(name)")
        // "No, it's Sam" corrects rather than refuses.
        if signals.isDecline(text), let comma = text.firstIndex(where: { $0 == "," || $0 == ";" }),
           case let rest = String(text[text.index(after: comma)...]), !signals.isDecline(rest),
           let value = engine.profileReader.answer(rest, for: field, at: at) {
            change(.remember(field: name, ProfileFact(value: value, source: .stated, at: at, consent: true)))
            trust(.answeredQuestion)
            return simpleReply(remembered([(field, value)]), text: text, understanding: answering, answered: false, at: at)
        }
        if signals.isDecline(text) {
            change(.decline(field: name, at: at))
            trust(.refusal)
            return simpleReply(say(catalogue.texts.declined, .declined, extra: ["field": field.label]), text: text,
                               understanding: understanding.answering("the profile question about \(name), declining it"), answered: false, at: at)
        }
        // Facts: whether a request can answer is the reader's to say
        // (`ProfileReader.answer`): a free answer ("Leeds") never, a contact
        // detail only as the customer's own.
        guard let value = engine.profileReader.answer(text, for: field, at: at, reading: reading(understanding)) else {
            // Facts: passed over, the question may still be answered in the next message ("lol why", "haha ok, it's Chris").
            state.contexts[ProfileCatalogue.passedOverContext(name)] = 2
            return nil
        }
        change(.remember(field: name, ProfileFact(value: value, source: .stated, at: at, consent: true)))
        trust(.answeredQuestion)
        return simpleReply(remembered([(field, value)]), text: text, understanding: answering, answered: false, at: at)
    }

    /// Facts the customer told the bot unasked ("I'm Sam, I live in Leeds"):
    /// kept, and confirmed in one reply (`confirmations`). Nothing is noted for
    /// an anonymous customer (it could not be kept), nor in a request about the
    /// customer's data ("forget that my name is Sam").
    mutating func noteVolunteered(_ text: String, understanding: Understanding, erasureAwaited: Bool, at: Date) {
        guard !state.profile.isAnonymous else { return }
        let action = understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }?.action
        if let action, action != .introduce { return }
        var found = engine.profileReader.volunteeredFacts(in: text, at: at)
        if found.isEmpty, action == .introduce, !signals.isAboutSomeoneElse(text) {
            // "You can reach me at sam@example.com", "mostly hiking and books": an introduction holding
            // values only an entity field can read; a contact detail only when the message says it is theirs.
            found = engine.profileReader.introducedFacts(in: text, fields: catalogue.fields, at: at)
        }
        var late = false
        if found.isEmpty, let (field, value) = lateAnswer(text, understanding: understanding, at: at) {
            // Facts: the answer to the question passed over in the message before.
            found = [(field, value)]
            late = true
        }
        if found.isEmpty, let corrected = correctedFact(text, at: at) { found = [corrected] }
        let new = found.filter { state.profile.facts[$0.field.name]?.value != $0.value }
        guard !new.isEmpty else { return }
        // "My email is j.harlow@example.com" while "shall I delete everything?" waits for its yes: the
        // customer is asking for less to be kept, not more. Nothing is kept, and the customer is told.
        if erasureAwaited {
            confirmations = [say(catalogue.texts.notKeptWhileErasing, .notKeptWhileErasing)]
            return
        }
        for (field, value) in new {
            change(.remember(field: field.name, ProfileFact(value: value, source: .stated, at: at, consent: true)))
            trust(late ? .answeredQuestion : .volunteered)
        }
        confirmations = [remembered(new)]
    }

    /// Facts: how the engine understood the message, for reading an answer in it.
    private func reading(_ understanding: Understanding) -> ProfileReader.MessageReading {
        guard let intent = understanding.matched.flatMap({ engine.bot.intent(named: $0.intent) }) else { return .unmatched }
        if intent.action == .introduce { return .introduction }
        return intent.resolves || intent.action != nil ? .request : .smallTalk
    }

    /// Facts: a bare answer ("its Chris", "ok fine, Chris") to the profile
    /// question the message before passed over, while nothing else waits and
    /// the field is still unknown and not declined. The question's context
    /// (`ProfileCatalogue.passedOverContext`) lasts that one message.
    private mutating func lateAnswer(_ text: String, understanding: Understanding, at: Date) -> (ProfileField, String)? {
        // Opened at 2 when the question is passed over, the context is at 1 in the message after (not in the same one).
        guard state.awaiting == .nothing,
              let name = state.contexts.compactMap({ $0.value == 1 ? ProfileCatalogue.passedOverField($0.key) : nil }).first,
              let field = catalogue.field(named: name),
              state.profile.facts[name] == nil, state.profile.declined[name] == nil,
              let value = engine.profileReader.bareAnswer(text, for: field, at: at, reading: reading(understanding)) else { return nil }
        state.contexts[ProfileCatalogue.passedOverContext(name)] = nil
        return (field, value)
    }

    /// Facts: "sorry it's John with an h, not Jon" just after the bot noted the first name Jon: a fact the
    /// customer stated, named as not meant (a `correction.rejecting` phrase just before its value, "not
    /// Jon"), with one other value for its field in the rest of the message, is corrected to that value.
    private func correctedFact(_ text: String, at: Date) -> (ProfileField, String)? {
        // Only just after the bot said it noted the fact ("Thanks, I'll remember that your first name is Jon"), and
        // not of someone else ("they are for my brother Mark, not Jon"): "sorry York not Leeds" after a shop's hours
        // corrects the shop asked about, not the customer's town.
        guard !signals.isAboutSomeoneElse(text) else { return nil }
        let noted = state.lastBotTurn.filter { line in catalogue.texts.remembered.contains { template in
            line.hasPrefix(template.source.prefix { $0 != "{" })
        } }
        for (name, fact) in state.profile.facts.sorted(by: { $0.key < $1.key }) where fact.source == .stated {
            guard let field = catalogue.field(named: name), noted.contains(where: { $0.contains(fact.value) }) else { continue }
            // The message less "not Jon", as typed (case kept, for the value read from the rest).
            let rejected = signals.lexicon[.correctionRejecting].compactMap { phrase in
                text.range(of: "\\b\(NSRegularExpression.escapedPattern(for: phrase))\\s+\(NSRegularExpression.escapedPattern(for: fact.value))\\b",
                           options: [.regularExpression, .caseInsensitive])
            }.first
            guard let rejected else { continue }
            // Less "I meant" and the like (`correction.phrases`), which are no value.
            var rest = text.replacingCharacters(in: rejected, with: " ")
            for phrase in signals.lexicon[.correctionPhrases].sorted(by: { $0.count > $1.count }) {
                if let found = rest.range(of: "\\b\(NSRegularExpression.escapedPattern(for: phrase))\\b", options: [.regularExpression, .caseInsensitive]) {
                    rest.replaceSubrange(found, with: " ")
                }
            }
            // (Never a thing the bot looks up, a shop or a product: "sorry York not Leeds".)
            func looksUp(_ value: String) -> Bool {
                engine.entities.extract(from: value, at: at).contains { engine.focusEntities.contains($0.entity) }
            }
            if let value = engine.profileReader.volunteeredFacts(in: rest, at: at).first(where: { $0.field.name == name })?.value
                ?? engine.profileReader.bareAnswer(rest, for: field, at: at, reading: .introduction),
               value.lowercased() != fact.value.lowercased(), !looksUp(value) {
                return (field, value)
            }
            // A name among other words ("sorry it's John with an h"): the one word of the rest read as one.
            guard field.answer == .name else { continue }
            let candidates = Set(rest.split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" }).compactMap { word in
                engine.profileReader.bareAnswer(String(word), for: field, at: at, reading: .introduction)
            }.filter { $0.lowercased() != fact.value.lowercased() && !looksUp($0) })
            if candidates.count == 1, let value = candidates.first { return (field, value) }
        }
        return nil
    }

    /// "Thanks, I'll remember that your first name is Sam and your city is Leeds."
    private mutating func remembered(_ facts: [(field: ProfileField, value: String)]) -> String {
        let described = Self.list(facts.map { "\($0.field.label) is \($0.value)" }, conjunction: "and")
        return say(catalogue.texts.remembered, .remembered, extra: [
            "facts": described, "field": facts.first?.field.label ?? "", "value": facts.first?.value ?? "",
        ])
    }

    /// An intent answered: the ladder's evidence and guesses from what the
    /// customer asked about; for a request (`resolves`), trust and the request to check back on.
    mutating func noteResolved(_ intent: Intent, understanding: Understanding, at: Date) {
        if intent.evidence == .purchase, let reference = foundRecord, !state.profile.purchases.contains(reference) {
            change(.purchase(reference: reference))
        }
        if intent.evidence == .recommendation, !state.profile.recommended { change(.recommended) }
        if intent.resolves && !intent.endsConversation && !intent.handsOff {
            state.resolvedRequests = state.resolvedRequests.incremented()
            state.lastResolvedIntent = intent.name
            trust(.resolvedRequest)
            if state.profile.stage < .prospect { change(.stage(.prospect)) }
            change(.solved(SolvedRequest(intent: intent.name, label: intent.label, session: sessionID, at: at)))
        }
        let evidenced = state.profile.evidencedStage
        if evidenced > state.profile.stage { change(.stage(evidenced)) }
        for field in catalogue.fields {
            guard let entity = field.inferredFrom, let match = understanding.entities.first(where: { $0.entity == entity }) else { continue }
            // A guess never replaces what the customer said.
            if let known = state.profile.facts[field.name], known.source == .stated || known.value == match.value { continue }
            change(.remember(field: field.name, ProfileFact(value: match.value, source: .inferred, at: at, consent: false)))
        }
    }

    /// The one thing the bot may add after answering a request: checking back
    /// on an earlier one (accountable and above), else an offer that fits
    /// (proactive and above); and once the customer closes an answered
    /// request with a pleasantry ("thanks", "ok": `Intent.isPleasantry`,
    /// `closing`), a profile question the asking
    /// policy allows, never in the middle of a request. None of them in a
    /// conversation that has had a problem (`hadAProblem`).
    mutating func afterAnswer(_ intent: Intent, earlierSolved: SolvedRequest?, closing: Bool) -> (text: String, buttons: [QuickReply])? {
        // A customer writing in another language gets answers, in English, and
        // nothing the bot adds of its own: no personal question they may not
        // follow, no check-back, no offer.
        guard !state.profile.isAnonymous, state.saidItAnswersInEnglish != true else { return nil }
        // Checking back asks about the service, not about the customer, so it
        // goes on after "stop asking me questions" (which is about personal data).
        // "Stop asking me questions" stops every question, checking back too; and
        // just after an apology for a late order, "did that work out?" is no question to ask either.
        let hadAProblem = self.hadAProblem
        if !closing, level >= .accountable, state.profile.profilingOn, !hadAProblem, let solved = earlierSolved, solved.session != sessionID,
           state.checkingBack == nil {
            state.awaiting = .checkBack(solved)
            state.lastQuestionAt = state.turns
            state.questionsAsked = state.questionsAsked.incremented()
            state.contexts[ProfileCatalogue.questionContext] = 1
            return (say(catalogue.texts.checkBack, .checkBack, extra: ["label": solved.label]), Self.checkBackButtons)
        }
        let moment = ProfilingPolicy.Moment(
            messages: state.turns, lastQuestionAt: state.lastQuestionAt, questionsAsked: state.questionsAsked,
            requestDealtWith: state.filling == nil && state.pendingClarification == nil && state.handoffOffered == nil,
            notNow: state.passedOver
        )
        if closing, !hadAProblem, case .success(let field) = engine.profiling.nextQuestion(for: state.profile, at: moment) {
            // Facts: a new question ends the chance of a late answer to the last.
            state.contexts = state.contexts.filter { ProfileCatalogue.passedOverField($0.key) == nil }
            state.awaiting = .profileAnswer(field: field.name)
            state.lastQuestionAt = state.turns
            state.questionsAsked = state.questionsAsked.incremented()
            state.contexts[ProfileCatalogue.questionContext] = 1
            return (say(field.questions, .profileQuestion(field.name)), [])
        }
        // Nor an offer to a customer who has just heard an apology.
        let level = self.level
        guard !closing, level >= .proactive, !state.offerMade, !hadAProblem,
              let offer = catalogue.offers.first(where: {
                  ($0.after.isEmpty || $0.after.contains(intent.name)) && $0.when.holds(for: state.profile, level: level)
              }) else { return nil }
        state.offerMade = true
        return (say(offer.texts, .offer(offer.name)), [])
    }

    /// Whether the conversation has had a problem in it, within the lines it
    /// keeps: then it is no moment to ask about the customer, however the last
    /// request went. The customer said so ("it's a week late", "why not??"
    /// after "can't be cancelled"), or the bot had to apologise for something
    /// (an order 9 days late, a number it could not find) other than not
    /// following a message ("Sorry, I didn't quite follow that").
    var hadAProblem: Bool {
        // The texts of not following: their words up to the first placeholder ("Sorry, I want to be sure: did you mean").
        let ladder = engine.bot.ladder
        let notFollowing = (engine.bot.fallback + engine.bot.clarify + ladder.suggest + ladder.tooLong + ladder.otherLanguage)
            .map { String($0.source.prefix { $0 != "{" }) }.filter { $0.count >= 12 }
        return state.recent.contains { line in
            line.speaker == .customer
                ? signals.mentionsProblem(line.text) || signals.saysStillAProblem(line.text) || signals.isFrustrated(line.text)
                : signals.apologises(line.text) && !notFollowing.contains { line.text.hasPrefix($0) }
        }
    }

    /// What an intent with a profile action says and does.
    mutating func act(_ action: ProfileAction, intent: Intent, text: String, at: Date) -> String {
        let texts = catalogue.texts
        switch action {
        case .showProfile:
            let facts = describedFacts()
            return facts.isEmpty ? say(texts.knowsNothing, .knowsNothing) : say(intent.responses, .intent(intent.name), extra: ["facts": facts])
        case .forgetField:
            guard let field = fieldMentioned(in: text) else {
                let known = catalogue.fields.filter { state.profile.facts[$0.name] != nil }.map(\.label)
                return known.isEmpty
                    ? say(texts.knowsNothing, .knowsNothing)
                    : say(texts.whichField, .whichField, extra: ["fields": Self.list(known, conjunction: "and")])
            }
            guard state.profile.facts[field.name] != nil else {
                // Nothing to remove, but the wish is clear: never ask for it.
                if state.profile.declined[field.name] == nil { change(.decline(field: field.name, at: at)) }
                return say(texts.notKnown, .notKnown, extra: ["field": field.label])
            }
            if let value = state.profile.facts[field.name]?.value {
                redactions.append(value)
                state.forget(value)
            }
            change(.forget(field: field.name, at: at))
            return say(intent.responses, .intent(intent.name), extra: ["field": field.label])
        case .eraseCustomer:
            state.awaiting = .erasure(.asked)
            return say(intent.responses, .intent(intent.name), extra: ["kept": keptAboutCustomer()])
        case .stopProfiling:
            if state.askingField != nil { state.questionDone() }
            if state.profile.profilingOn { change(.profiling(on: false)) }
            return say(intent.responses, .intent(intent.name))
        case .resumeProfiling:
            if !state.profile.profilingOn { change(.profiling(on: true)) }
            return say(intent.responses, .intent(intent.name))
        case .introduce:
            return say(intent.responses, .intent(intent.name))
        case .giveFeedback:
            return askForFeedback(solicited: false)
        case .explainUse:
            let field = fieldMentioned(in: text)
            // Asked about the field the bot is waiting for: its purpose, as to "why do you need that?".
            if let field, field.name == state.askingField, !field.purpose.isEmpty {
                state.contexts[ProfileCatalogue.questionContext] = 1
                return say(field.purpose, .profilePurpose(field.name))
            }
            if state.askingField != nil { state.contexts[ProfileCatalogue.questionContext] = 1 }
            guard let field, !field.use.isEmpty else { return say(intent.responses, .intent(intent.name)) }
            let use = say(field.use, .profileUse(field.name))
            return say(intent.responses, .intent(intent.name), extra: ["field": field.label, "use": use])
        case .explainPurpose:
            guard let name = state.askingField, let field = catalogue.field(named: name), !field.purpose.isEmpty else {
                // Why the bot checks back on the last request: the intent's own words.
                if state.checkingBack != nil { state.contexts[ProfileCatalogue.questionContext] = 1 }
                return say(intent.responses, .intent(intent.name))
            }
            // Still waiting for the answer, and for "why?" again.
            state.contexts[ProfileCatalogue.questionContext] = 1
            return say(field.purpose, .profilePurpose(field.name))
        }
    }

    /// The answer to "shall I delete everything I know about you?". Erasure
    /// cannot be undone, so only a clear yes to that question erases
    /// (`CustomerSignals.confirmsErasure`); a no or a dismissal calls it off.
    /// Anything else is not a yes: a message that is another request ("yes
    /// but first tell me about the club") is answered, then the question is
    /// asked again (`afterErasureQuestion`); anything else ("ok", "hmm") gets
    /// the question again. Asked again once: after a second unclear answer the
    /// erasure is called off, and the customer is told nothing was deleted.
    /// An answer that names what the bot does not keep ("yes, including my
    /// Pine Club account": `CustomerSignals.namesKeptElsewhere`) first hears
    /// where that is dealt with (`erasure_elsewhere`), then the question
    /// again; with a no, it is called off, as it is when the customer says
    /// they do not want to lose such a thing ("I don't want to lose my
    /// points actually"), and a request beside that is answered.
    /// Just after a no, a clear "ok fine, delete it all" is the request again,
    /// and is confirmed like the first. Nil when the message is to be read as
    /// a message of its own.
    mutating func answerErasureQuestion(
        _ step: ErasureStep, text: String, understanding: inout Understanding, at: Date
    ) -> TurnOutcome? {
        let question = "the question whether to delete everything"
        // Each reply here answers the question; none is a request answered.
        // `first`, when given, is said before the reply, in the same message.
        func answer(_ reply: String, after first: String? = nil) -> TurnOutcome {
            simpleReply((first.map { $0 + " " } ?? "") + reply, text: text, understanding: understanding.answering(question),
                        answered: false, at: at)
        }
        func callOff(after first: String? = nil) -> TurnOutcome {
            state.awaiting = .erasure(.calledOff)
            return answer(say(catalogue.texts.erasureCancelled, .erasureCancelled), after: first)
        }
        // No clear yes: the question again, naming what would be lost, once; after that, word that nothing was deleted.
        // A question about what deleting touches ("will I lose my points if you do that?") is no answer:
        // the question is asked again, however often (`stillWaiting`).
        func askAgain(after first: String? = nil, stillWaiting: Bool = false) -> TurnOutcome {
            guard step == .asked || stillWaiting else { return answer(say(catalogue.texts.erasureNotConfirmed, .erasureNotConfirmed), after: first) }
            state.awaiting = .erasure(.askedAgain)
            var outcome = answer(say(catalogue.texts.erasureUnclear, .erasureUnclear, extra: ["kept": keptAboutCustomer()]), after: first)
            outcome.quickReplies = Self.confirmButtons
            return outcome
        }
        let other = understanding.matched.flatMap { engine.bot.intent(named: $0.intent) }
        if step == .calledOff {
            // "No wait", then "ok fine, delete it all": the request again, to confirm again.
            if signals.confirmsErasure(text), other?.action != .eraseCustomer,
               let erasure = engine.bot.intents.first(where: { $0.action == .eraseCustomer }) {
                understanding.decision = .matched(IntentCandidate(intent: erasure.name, confidence: 1))
            }
            return nil
        }
        // The message's clauses, read once; and whether one holds a verb that can only mean deleting ("just
        // delete it", "don't delete it").
        let parts = signals.clauses(text)
        func deletes(_ clause: Clause) -> Bool {
            TextNormalizer.tokens(String(clause.text)).contains(where: signals.words(.erasureDeletingVerbs).contains)
        }
        // "I'm not a member, I just ordered once", "sorry no, I don't have an order, I just get your
        // emails": who the customer is to the shop, which makes no difference to what the bot deletes
        // (the "no" is about the order, not the deleting). Said so, and the question asked again, however
        // often; not a question ("I'm not a member, will that matter?"), nor beside a yes or calling it off.
        if signals.tellsTheirStanding(text) {
            // A no to the question is one ("no not now, I'm not a member anyway": a `no.phrases` phrase; "no,
            // I just ordered something yesterday": a no before no denial); but not a bare no that agrees with
            // the denial after it ("sorry no, I don't have an order", "no I'm not a pine club member, just an
            // online account": a word of `still_a_problem.negations`), nor one beside a clause that asks to
            // delete ("no I don't have an account, just delete it").
            let words = TextNormalizer.tokens(text)
            let asksToDelete = parts.contains { !$0.negated && deletes($0) }
            let noAt = words.prefix(2).firstIndex(where: signals.words(.noWords).contains)
            let agrees = noAt.map { words[($0 + 1)...].contains(where: signals.words(.stillAProblemNegations).contains) } ?? false
            let saysNoToIt = (signals.yesNo(text) == .no || signals.startsWithNo(text))
                && (signals.holds(words, .noPhrases) || !agrees) && !asksToDelete
            if saysNoToIt { return callOff() }
            if !text.contains("?"), !engine.profileReader.isQuestion(text), !signals.confirmsErasure(text), signals.yesNo(text) != .yes,
               !parts.contains(where: { signals.isCancel(String($0.text)) }) {
                state.awaiting = .erasure(step)
                var outcome = answer(say(catalogue.texts.erasureStanding, .erasureStanding, extra: ["kept": keptAboutCustomer()]))
                outcome.quickReplies = Self.confirmButtons
                return outcome
            }
        }
        // "Yes, including my Pine Club account": the bot keeps no such thing, and must not seem to
        // delete it. Where it is dealt with, then the question again: only a plain yes now erases
        // ("no, I only wanted to close my club account" calls it off).
        if signals.namesKeptElsewhere(text) {
            // "I dont want to lose my points actually. can you just stop the marketing emails then": not
            // wanting what the customer believes deleting costs is a no; a request beside it is answered.
            // Not beside a yes ("yes, but don't close my pine club account"), nor asked ("wait, won't I lose my points?").
            // (A yes, a go-ahead or a word of deleting outside what is refused: "I don't want to lose my points,
            // just delete the rest"; not "I really don't want my membership deleted".)
            let unrefused = parts.filter { !$0.negated }.map { String($0.text) }.joined(separator: ", ")
            let tokens = TextNormalizer.tokens(unrefused)
            let saysYesToo = tokens.contains(where: signals.words(.erasureYesWords).contains)
                || tokens.contains(where: signals.words(.erasureVerbs).union(signals.words(.erasureDeletingVerbs)).contains)
                || !tokens.isEmpty && (signals.asksToAct(unrefused) || signals.yesNo(unrefused) == .yes)
            if !saysYesToo, parts.contains(where: { clause in
                clause.negated && signals.namesKeptElsewhere(String(clause.text)) && !engine.profileReader.isQuestion(String(clause.text))
            }) {
                if let other, other.action != .eraseCustomer, other.isPlainRequest,
                   let read = understanding.matched, read.confidence >= Turn.weakReading {
                    erasureAside = .declined
                    return nil
                }
                return callOff()
            }
            let elsewhere = say(catalogue.texts.erasureElsewhere, .erasureElsewhere)
            // "Actually no don't delete it, I'd lose my Pine Club points": a clause that refuses the deleting is a no.
            let refusesDeleting = parts.contains { $0.negated && deletes($0) }
            let saysNo = signals.yesNo(text) == .no || signals.startsWithNo(text) || signals.isCancel(text) || refusesDeleting
            // With no yes in it ("will I lose my points if you do that"), it answers nothing yet.
            let saysYes = TextNormalizer.tokens(text).contains(where: signals.words(.erasureYesWords).contains)
            return saysNo ? callOff(after: elsewhere) : askAgain(after: elsewhere, stillWaiting: !saysYes)
        }
        // "Fine, do it anyway. how will I know it's been done": a go-ahead that says what to do (not a bare
        // yes: "yes but where is my order" asks its own question first), and besides it only yeses and
        // questions its doing answers: ones that name nothing and read as no request of their own ("fine,
        // do it. but can you tell me where my order HP-10610 is first?" asks first, and deletes nothing).
        func asksOnlyOfTheDoing(_ clause: String) -> Bool {
            guard engine.profileReader.isQuestion(clause), !signals.namesKeptElsewhere(clause), signals.yesNo(clause) != .no else { return false }
            let read = engine.understand(clause, at: at, contexts: [])
            return read.entities.isEmpty && read.matched.map { read in
                read.confidence >= Turn.weakReading && engine.bot.intent(named: read.intent)?.isPlainRequest == true
            } != true
        }
        // A clause the customer asked ("all of it? what does that include") is no yes, whatever its words;
        // nor is one that refuses ("all of it. don't delete this conversation").
        let scalars = Array(text.unicodeScalars)
        func asked(_ clause: Clause) -> Bool {
            scalars[clause.scalarRange.upperBound...].first { !$0.properties.isWhitespace } == "?"
        }
        let clauses = parts.map { String($0.text) }
        if signals.confirmsErasure(text) || clauses.count >= 2
            && parts.contains(where: { signals.confirmsErasure(String($0.text)) && signals.yesNo(String($0.text)) != .yes && !asked($0) })
            && parts.allSatisfy({ part in
            let clause = String(part.text)
            return signals.confirmsErasure(clause) && !asked(part) || signals.yesNo(clause) == .yes
                || TextNormalizer.tokens(clause).allSatisfy(signals.words(.erasureYesAnswerWords).contains)
                || !part.negated && asksOnlyOfTheDoing(clause)
        }) {
            return erase(understanding: understanding.answering(question))
        }
        // "No I don't want a person, just do it": the no is to something else, and what the customer
        // wants is a go-ahead; not called off, but not a clear yes either: the question again.
        let wanted = signals.wanted(text)
        if signals.startsWithNo(text), wanted != text, signals.confirmsErasure(wanted) || signals.asksToAct(wanted) {
            return askAgain()
        }
        // "No", "never mind", "forget it": called off, however the ranker reads two words.
        if signals.yesNo(text) == .no || signals.isCancel(text) || signals.afterDismissal(text)?.isEmpty == true {
            return callOff()
        }
        // "I want my data erased" again: its intent asks again.
        if other?.action == .eraseCustomer { return nil }
        // A request of its own ("yes but first tell me about the club"), answered before more is said about erasing;
        // not "all of it including my pine club account PC-118230": a record named with a word of deleting
        // everything says what to delete, and answering it would show that account's points mid-deletion.
        // A question the bot answers from its data counts too ("do you share my info with anyone?"), though it solves nothing.
        var isRequest = other.map { $0.resolves || $0.suggestible || $0.action != nil || $0.endsConversation || $0.handsOff } ?? false
        // Nor "all of it. don't delete this conversation", read as "that's all": no goodbye, in answer to "delete it all?".
        let namesRecord = understanding.entities.contains { engine.lookupKeyEntities.contains($0.entity) }
        if namesRecord || other?.endsConversation == true,
           TextNormalizer.tokens(text).contains(where: signals.words(.erasureEverything).contains) { isRequest = false }
        if case .ambiguous = understanding.decision { isRequest = true }
        // "No I'm not giving you my address or anything, just delete it": the no is to giving, and a clause
        // of its own asks to delete. Read as forgetting the address, it is no request of its own that calls
        // the erasure off, nor a no to it: the question again.
        let asksToDelete = parts.contains { !$0.negated && deletes($0) }
        if asksToDelete, other?.action == .forgetField { isRequest = false }
        let saysNo = (signals.startsWithNo(text) || signals.afterDismissal(text) != nil) && !asksToDelete
        // A detail of deleting itself ("how long will it take?", "will that cancel my open order?", "how do I
        // know you've actually done it?") is a question about the question, however the words read alone:
        // answered, and the question asked again, however often. Only just after the erasure's own answer:
        // "how long does that take by law?" after what is kept asks that answer's time.
        let erasure = state.lastIntent.flatMap(engine.bot.intent(named:)).flatMap { $0.action == .eraseCustomer ? $0 : nil }
        let ofTheErasure = erasure.map { erasure in
            signals.detailsAsked(text).details.contains { name in erasure.details.contains { $0.name == name } }
        } ?? false
        if ofTheErasure, !saysNo, signals.yesNo(text) != .yes { isRequest = true }
        if isRequest {
            // "And stop sending me emails too": a request besides the erasure, which still stands.
            erasureAside = saysNo ? .declined
                : .unclear(askedBefore: step == .askedAgain && !ofTheErasure && !signals.tellsOfSomethingBesides(text))
            return nil
        }
        if saysNo {
            return callOff()
        }
        return askAgain()
    }

    /// What follows the answer to a request that came instead of a yes or no
    /// to "shall I delete everything?": the question again, once, if nothing
    /// else now waits for an answer; else word that nothing was deleted.
    mutating func afterErasureQuestion(_ aside: ErasureAside) -> (reply: String, buttons: [QuickReply]?)? {
        // The request was itself "delete all my data": its answer asks.
        guard !state.erasurePending, state.phase == .open else { return nil }
        switch aside {
        case .declined:
            state.awaiting = .erasure(.calledOff)
            return (say(catalogue.texts.erasureCancelled, .erasureCancelled), nil)
        case .unclear(let askedBefore):
            let somethingWaits = state.awaiting != .nothing
            if askedBefore || somethingWaits {
                // Not after a second unclear answer: then it is up to the customer to ask again.
                if !askedBefore { state.erasureSetAside = true }
                return (say(catalogue.texts.erasureNotConfirmed, .erasureNotConfirmed), nil)
            }
            state.awaiting = .erasure(.askedAgain)
            return (say(catalogue.texts.erasureUnclear, .erasureUnclear, extra: ["kept": keptAboutCustomer()]), Self.confirmButtons)
        }
    }

    /// Everything an erasure would delete, from what is actually kept:
    /// "your first name (Jo), your town (Leeds), my note of the order you asked me about
    /// (HP-10501; the order itself stays), our 3 conversations (this one included) and any feedback
    /// you've given". The words for each kind of record are here, in one place.
    func keptAboutCustomer() -> String {
        let profile = state.profile
        var kept = catalogue.fields.compactMap { field in
            profile.facts[field.name].map { "\(field.label) (\($0.value)\($0.source == .inferred ? ", my guess" : ""))" }
        }
        let orders = profile.purchases.sorted()
        if !orders.isEmpty {
            // A note of the order, not the order: deleting it here touches no order with the shop.
            let one = orders.count == 1
            kept.append("my note of \(one ? "the order" : "the orders") you asked me about (\(Self.list(orders, conjunction: "and")); \(one ? "the order itself stays" : "the orders themselves stay"))")
        }
        let declined = catalogue.fields.filter { profile.declined[$0.name] != nil }.map(\.label)
        if !declined.isEmpty { kept.append("the note that you'd rather not give me \(Self.list(declined, conjunction: "or"))") }
        let conversations = max(profile.visits, 1)
        kept.append(conversations == 1 ? "this conversation" : "our \(conversations) conversations (this one included)")
        kept.append("any feedback you've given")
        return Self.list(kept, conjunction: "and")
    }

    /// "Delete all my data", confirmed: nothing of the customer is left, in
    /// the store or in this conversation, and the conversation is over.
    private mutating func erase(understanding: Understanding) -> TurnOutcome {
        let id = state.profile.id
        profileChanges = []
        var fresh = DialogueState(random: state.random, profile: CustomerProfile(id: id))
        fresh.turns = state.turns
        fresh.phase = .ended
        state = fresh
        let reply = say(catalogue.texts.erased, .erased)
        return TurnOutcome(replies: [reply], understanding: understanding, changes: [], effects: [.eraseCustomer(id)])
    }

    /// What a front end says instead of the engine's "done" when the store
    /// could not carry out an erasure the customer confirmed.
    mutating func erasureFailedReply() -> String {
        say(catalogue.texts.erasureFailed, .erased)
    }

    /// "your first name: Sam; your city: Leeds (my guess from what you asked about)", in catalogue order.
    func describedFacts() -> String {
        catalogue.fields.compactMap { field in
            state.profile.facts[field.name].map { fact in
                "\(field.label): \(fact.value)" + (fact.source == .inferred ? " (my guess from what you asked about)" : "")
            }
        }.joined(separator: "; ")
    }

    /// The profile field a message names ("forget my email"): the longest of
    /// its names found in the message's words.
    func fieldMentioned(in text: String) -> ProfileField? {
        let message = " " + TextNormalizer.tokens(text).joined(separator: " ") + " "
        var best: (field: ProfileField, length: Int)?
        for field in catalogue.fields {
            let label = field.label.hasPrefix("your ") ? String(field.label.dropFirst(5)) : field.label
            let names = [field.name.replacingOccurrences(of: "_", with: " "), label] + field.synonyms
            for name in names {
                let words = TextNormalizer.tokens(name).joined(separator: " ")
                guard !words.isEmpty, message.contains(" \(words) ") else { continue }
                if words.count > best?.length ?? 0 { best = (field, words.count) }
            }
        }
        return best?.field
    }
}

extension Understanding {
    /// The same reading, marked as the answer to one of the bot's questions.
    func answering(_ question: String) -> Understanding {
        var understanding = self
        understanding.answers = question
        return understanding
    }
}


extension Conversation {
    /// Everything an erasure would delete now (`Turn.keptAboutCustomer`).
    func keptAboutCustomer() -> String {
        Turn(engine: engine, sessionID: sessionID, unfinished: unfinished, state: state).keptAboutCustomer()
    }
}
