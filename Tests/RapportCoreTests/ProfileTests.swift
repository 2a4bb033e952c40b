import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

/// A bot that profiles its customers: the slot-filling bot, plus a catalogue
/// of three fields and the intents a customer controls their data with.
enum ProfileFixtures {
    static let catalogue = ProfileBot.catalogue
    static let bot = ProfileBot.bot
    static let engine = Engine(bot: bot)

    static func customer(_ id: String = "c-1", visits: Int = 0, trust: Double = 0) -> CustomerProfile {
        var profile = CustomerProfile(id: id)
        profile.visits = visits
        profile.trust = trust
        return profile
    }

    static func conversation(_ profile: CustomerProfile, session: String = "s1") -> Conversation {
        var conversation = Conversation(engine: engine, sessionID: session, seed: 1, profile: profile)
        _ = conversation.handle(.started(at: Fixtures.noon))
        return conversation
    }
}

extension TurnOutcome {
    /// The profile changes the turn asks the store to apply.
    var profileChanges: [ProfileChange] {
        effects.flatMap { effect -> [ProfileChange] in
            if case .updateProfile(_, let changes) = effect { return changes }
            return []
        }
    }
}

@Suite("The asking policy")
struct ProfilingPolicyTests {
    let policy = ProfilingPolicy(catalogue: ProfileFixtures.catalogue)

    func moment(_ messages: Int, last: Int? = nil, asked: Int = 0, dealtWith: Bool = true, notNow: Set<String> = []) -> ProfilingPolicy.Moment {
        ProfilingPolicy.Moment(messages: messages, lastQuestionAt: last, questionsAsked: asked, requestDealtWith: dealtWith, notNow: notNow)
    }

    @Test("each tier waits for its trust", arguments: [
        (0.0, nil), (7.9, nil), (8.0, "first_name"), (19.0, "first_name"),
    ] as [(Double, String?)])
    func tierGating(trust: Double, expected: String?) {
        let profile = ProfileFixtures.customer(visits: 2, trust: trust)
        let field = try? policy.nextQuestion(for: profile, at: moment(5)).get()
        #expect(field?.name == expected)
    }

    @Test func theLeastSensitiveUnknownFieldComesFirstInCatalogueOrder() {
        var profile = ProfileFixtures.customer(visits: 2, trust: 30)
        #expect((try? policy.nextQuestion(for: profile, at: moment(5)).get())?.name == "first_name")
        profile.facts["first_name"] = ProfileFact(value: "Sam", source: .stated, at: Fixtures.noon, consent: true)
        #expect((try? policy.nextQuestion(for: profile, at: moment(5)).get())?.name == "email")
    }

    @Test func aRefusedFieldIsNeverAskedAgain() {
        var profile = ProfileFixtures.customer(visits: 2, trust: 30)
        profile.apply(.decline(field: "first_name", at: Fixtures.noon))
        profile.apply(.decline(field: "email", at: Fixtures.noon))
        #expect((try? policy.nextQuestion(for: profile, at: moment(5)).get())?.name == "city")
        profile.apply(.decline(field: "city", at: Fixtures.noon))
        #expect(policy.nextQuestion(for: profile, at: moment(5)) == .failure(.nothingToAsk))
    }

    @Test func silenceHasAReason() {
        let trusted = ProfileFixtures.customer(visits: 2, trust: 30)
        var optedOut = trusted
        optedOut.profilingOn = false
        #expect(policy.nextQuestion(for: ProfileFixtures.customer("anonymous:s1", visits: 2, trust: 30), at: moment(5)) == .failure(.anonymous))
        #expect(policy.nextQuestion(for: optedOut, at: moment(5)) == .failure(.optedOut))
        #expect(policy.nextQuestion(for: trusted, at: moment(5, dealtWith: false)) == .failure(.requestNotDealtWith))
        #expect(policy.nextQuestion(for: trusted, at: moment(5, last: 3)) == .failure(.coolingDown))
        #expect((try? policy.nextQuestion(for: trusted, at: moment(6, last: 3)).get()) != nil, "three messages on, it may ask")
        #expect(policy.nextQuestion(for: trusted, at: moment(9, last: 3, asked: 2)) == .failure(.enoughThisConversation))
        #expect((try? policy.nextQuestion(for: trusted, at: moment(5, notNow: ["first_name"])).get())?.name == "email")
    }

    @Test func theFirstMessagesOfAFirstConversationAreQuiet() {
        let newcomer = ProfileFixtures.customer(visits: 1, trust: 30)
        #expect(policy.nextQuestion(for: newcomer, at: moment(2)) == .failure(.firstMessagesOfFirstVisit))
        #expect((try? policy.nextQuestion(for: newcomer, at: moment(3)).get()) != nil)
        let returning = ProfileFixtures.customer(visits: 2, trust: 30)
        #expect((try? policy.nextQuestion(for: returning, at: moment(1)).get()) != nil, "a returning customer may be asked at once")
    }

    @Test func aCatalogueMayAskNothingInAFirstConversation() {
        var catalogue = ProfileFixtures.catalogue
        catalogue.asking.inFirstConversation = false
        let policy = ProfilingPolicy(catalogue: catalogue)
        #expect(policy.nextQuestion(for: ProfileFixtures.customer(visits: 1, trust: 30), at: moment(9)) == .failure(.firstVisit))
        #expect((try? policy.nextQuestion(for: ProfileFixtures.customer(visits: 2, trust: 30), at: moment(1)).get())?.name == "first_name",
                "asking starts when the customer comes back")
    }
}

@Suite("Trust and the ladder of loyalty")
struct TrustTests {
    @Test func trustStaysBetweenZeroAndAHundred() {
        var profile = CustomerProfile(id: "c")
        profile.apply(.trust(.refusal, delta: -5))
        #expect(profile.trust == 0)
        for _ in 0..<30 { profile.apply(.trust(.goodFeedback, delta: 8)) }
        #expect(profile.trust == 100)
    }

    @Test func theStageMovesOnlyOnEvidenceAndNeverDown() {
        var profile = CustomerProfile(id: "c")
        profile.apply(.recommended)
        #expect(profile.evidencedStage == .suspect, "a recommendation from someone who never bought proves nothing yet")
        profile.apply(.purchase(reference: "HP-1"))
        #expect(profile.evidencedStage == .advocate)
        profile.apply(.stage(.advocate))
        profile.apply(.stage(.prospect))
        #expect(profile.stage == .advocate)
    }

    @Test("the level follows stage and value", arguments: [
        (LoyaltyStage.suspect, 0, RelationshipLevel.basic), (.prospect, 0, .reactive), (.customer, 1, .accountable),
        (.client, 2, .proactive), (.client, 5, .partnership), (.advocate, 1, .proactive), (.advocate, 6, .partnership),
    ])
    func level(stage: LoyaltyStage, orders: Int, expected: RelationshipLevel) {
        var profile = CustomerProfile(id: "c")
        profile.stage = stage
        profile.purchases = Set((0..<orders).map { "HP-\($0)" })
        #expect(profile.level(partnershipOrders: 5) == expected)
    }

    @Test func twoOrdersInOneConversationDoNotMakeAClient() {
        var profile = CustomerProfile(id: "c")
        profile.visits = 1
        profile.purchases = ["HP-1", "HP-2"]
        #expect(profile.evidencedStage == .customer)
        profile.visits = 2
        #expect(profile.evidencedStage == .client)
    }
}

@Suite("Progressive profiling in the conversation")
struct ProgressiveProfilingTests {
    typealias F = ProfileFixtures

    @Test func aTrustedCustomerIsAskedAfterTheAnswerNotBeforeAndTheAnswerIsKept() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        #expect(conversation.say("where is my order HP-10442").replies == ["Order HP-10442 is on its way."],
                "no question tacked onto the answer")
        #expect(conversation.state.askingField == nil)
        let outcome = conversation.say("got it")
        #expect(outcome.replies == ["Okay.", "What should I call you?"], "once the customer closes it")
        #expect(conversation.state.askingField == "first_name")
        let answer = conversation.say("it's Sam")
        #expect(answer.replies == ["Thanks, I'll remember that your first name is Sam."])
        #expect(conversation.state.profile.facts["first_name"]?.value == "Sam")
        #expect(conversation.state.profile.facts["first_name"]?.source == .stated)
        #expect(answer.profileChanges.contains(.trust(.answeredQuestion, delta: 3)))
    }

    @Test func noQuestionInTheMiddleOfSlotFilling() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        #expect(conversation.say("where is my order").replies == ["Which order?"])
        #expect(conversation.state.askingField == nil)
        #expect(conversation.say("HP-10442").replies == ["Order HP-10442 is on its way."])
        #expect(conversation.say("got it").replies == ["Okay.", "What should I call you?"], "once the request is dealt with")
    }

    @Test func whyGetsThePurposeAndTheQuestionStillWaits() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("got it")
        #expect(conversation.say("why do you need it?").replies == ["To greet you by name."])
        #expect(conversation.state.askingField == "first_name")
        #expect(conversation.say("Sam").replies == ["Thanks, I'll remember that your first name is Sam."])
    }

    @Test func howItHasADetailIsAnsweredAtAnyTime() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        #expect(conversation.say("how did you get my name?").replies == ["Only to greet you. Say forget your first name."],
                "the named field's use, with no question after it")
        #expect(conversation.state.askingField == nil)
        #expect(conversation.say("how did you get my email?").replies == ["I keep only what you tell me."],
                "a field with no use gets the general answer")
        #expect(conversation.say("how did you get my details?").replies == ["I keep only what you tell me."])
    }

    @Test func howItHasTheDetailItAsksForGetsThePurpose() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("got it")
        #expect(conversation.state.askingField == "first_name")
        #expect(conversation.say("how did you get my name?").replies == ["To greet you by name."],
                "while asking for it: its purpose, and the question still waits")
        #expect(conversation.say("Sam").replies == ["Thanks, I'll remember that your first name is Sam."])
    }

    @Test func aRefusalIsRespectedAndCostsLittle() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        // 10, +6 for coming back, +4 for the answer
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("got it")
        let refusal = conversation.say("I'd rather not")
        #expect(refusal.replies == ["No problem, I won't ask about that again."])
        #expect(conversation.state.profile.declined["first_name"] != nil)
        #expect(conversation.state.profile.trust == 19, "a refusal costs one point")
        for message in ["how much is delivery", "is shipping free", "delivery charges", "how much is delivery"] {
            #expect(!conversation.say(message).replies.contains("What should I call you?"))
        }
    }

    @Test func anAnswerThatIsAnotherRequestIsAnsweredAndTheQuestionDropped() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        _ = conversation.say("where is my order HP-10442")
        #expect(conversation.say("how much is delivery").replies == ["Delivery is £3.95."])
        #expect(conversation.state.profile.facts.isEmpty)
        #expect(conversation.state.profile.declined.isEmpty, "ignoring a question is not refusing it")
    }

    @Test func volunteeredFactsAreKeptAndConfirmedAtAnyTime() {
        var conversation = F.conversation(F.customer())
        let outcome = conversation.say("my name is Sam, how much is delivery")
        #expect(outcome.replies == ["Delivery is £3.95.", "Thanks, I'll remember that your first name is Sam."])
        #expect(outcome.profileChanges.contains(.trust(.volunteered, delta: 5)))
        let alone = conversation.say("I live in Leeds")
        #expect(alone.replies == ["Thanks, I'll remember that your town is Leeds."], "an introduction alone is no miss")
        #expect(conversation.state.consecutiveMisses == 0)
    }

    @Test func anIntroductionNamingSeveralInterestsKeepsThemAll() {
        var bot = F.bot
        bot.entities.append(EntityType(name: "interest", recognizer: .list([
            EntityValue("walking", synonyms: ["hiking"]), EntityValue("reading", synonyms: ["books"]),
        ])))
        bot.profile.fields.append(ProfileField(name: "interests", label: "what you enjoy", kind: .psychographic, tier: 4,
                                               questions: [template("What do you enjoy?")], purpose: [template("For ideas.")],
                                               answer: .entity("interest")))
        bot.intents.append(Intent(name: "introduce", examples: ["I like"], responses: [template("Nice to meet you!")],
                                  patterns: [ProfileBot.pattern("/^mostly/")], resolves: false, action: .introduce))
        var conversation = Conversation(engine: Engine(bot: bot), sessionID: "s1", seed: 1, profile: F.customer())
        _ = conversation.handle(.started(at: Fixtures.noon))
        let outcome = conversation.say("mostly hiking and books")
        #expect(conversation.state.profile.facts["interests"]?.value == "walking, reading", "\(outcome.replies)")
    }

    @Test func aNewCustomerIsNotAskedInTheFirstMessages() {
        var conversation = F.conversation(F.customer(visits: 0, trust: 0))
        #expect(conversation.say("where is my order HP-10442").replies.count == 1)
        #expect(conversation.say("how much is delivery").replies.count == 1) // trust 8 now, but message 2
        // The same answer again is said as such, never word for word; nothing new was solved, so no question yet.
        #expect(conversation.say("is shipping free").replies == ["As I said: Delivery is £3.95."])
        #expect(conversation.say("where is my order HP-10610").replies == ["Order HP-10610 is delayed."])
        #expect(conversation.say("got it").replies == ["Okay.", "What should I call you?"])
    }

    @Test func anAnonymousCustomerIsNeverAskedAndNothingIsStored() {
        var conversation = Conversation(engine: F.engine, sessionID: "s", seed: 1) // no customer id
        _ = conversation.handle(.started(at: Fixtures.noon))
        for message in ["where is my order HP-10442", "how much is delivery", "is shipping free", "my name is Sam"] {
            let outcome = conversation.say(message)
            #expect(!outcome.replies.contains("What should I call you?"))
            #expect(outcome.profileChanges.isEmpty)
        }
    }
}

@Suite("The customer's control over their data")
struct CustomerControlTests {
    typealias F = ProfileFixtures

    static func known() -> CustomerProfile {
        var profile = F.customer(visits: 2, trust: 30)
        profile.facts["first_name"] = ProfileFact(value: "Sam", source: .stated, at: Fixtures.noon, consent: true)
        profile.facts["city"] = ProfileFact(value: "Leeds", source: .stated, at: Fixtures.noon, consent: true)
        return profile
    }

    @Test func whatDoYouKnowListsEveryFact() {
        var conversation = F.conversation(Self.known())
        #expect(conversation.say("what do you know about me?").replies == ["I know: your first name: Sam; your town: Leeds."])
        var stranger = F.conversation(F.customer("c-2"))
        #expect(stranger.say("what do you know about me?").replies == ProfileTexts.default.knowsNothing.map { $0.render([:]) },
                "another customer's facts never appear")
    }

    @Test func forgettingOneFactRemovesItAndItIsNeverAskedAgain() {
        var conversation = F.conversation(Self.known())
        let outcome = conversation.say("forget my name")
        #expect(outcome.replies == ["Forgotten your first name."])
        #expect(conversation.state.profile.facts["first_name"] == nil)
        #expect(conversation.state.profile.declined["first_name"] != nil)
        #expect(outcome.profileChanges == [.forget(field: "first_name", at: Fixtures.noon)])
        #expect(conversation.say("forget my email").replies == ["I don't have your email, so there is nothing to forget."])
    }

    @Test func stopAskingTurnsProfilingOff() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 30))
        _ = conversation.say("stop asking me questions")
        #expect(conversation.state.profile.profilingOn == false)
        for message in ["where is my order HP-10442", "how much is delivery", "is shipping free", "delivery charges"] {
            #expect(conversation.say(message).replies.count == 1)
        }
    }

    @Test func erasureNeedsAYesThenEndsWithEverythingGone() {
        var conversation = F.conversation(Self.known())
        #expect(conversation.say("delete all my data").replies == ["Delete everything?"])
        #expect(conversation.say("no").replies == ["All right, I've deleted nothing."])
        #expect(conversation.state.profile.facts.count == 2)
        _ = conversation.say("delete all my data")
        let erased = conversation.say("yes")
        #expect(erased.effects == [.eraseCustomer("c-1")])
        #expect(conversation.state.phase == .ended)
        #expect(conversation.state.profile.facts.isEmpty)
        #expect(conversation.state.recent.isEmpty, "nothing of the conversation stays in memory either")
    }
}

@Suite("A customer's journey over several conversations")
struct CustomerJourneyTests {
    typealias F = ProfileFixtures

    /// One conversation: the customer says each message; the store keeps what changed.
    static func visit(_ profile: inout CustomerProfile, session: String, _ messages: [String]) -> [TurnOutcome] {
        var conversation = Conversation(engine: F.engine, sessionID: session, seed: 1, profile: profile)
        var outcomes = [conversation.handle(.started(at: Fixtures.noon))]
        outcomes += messages.map { conversation.say($0) }
        // What a store would hold: the changes applied to what it had.
        for change in outcomes.flatMap(\.profileChanges) { profile.apply(change) }
        #expect(profile == conversation.state.profile, "the effects carry every change the conversation made")
        return outcomes
    }

    @Test func fromSuspectToClientOnEvidence() {
        var profile = CustomerProfile(id: "c-journey")
        _ = Self.visit(&profile, session: "s1", ["hi"])
        #expect(profile.stage == .suspect, "a greeting is no enquiry")
        _ = Self.visit(&profile, session: "s2", ["how much is delivery"])
        #expect(profile.stage == .prospect)
        #expect(profile.level(partnershipOrders: 5) == .reactive)
        _ = Self.visit(&profile, session: "s3", ["where is my order HP-10442"])
        #expect(profile.stage == .customer)
        #expect(profile.purchases == ["HP-10442"])
        #expect(profile.level(partnershipOrders: 5) == .accountable)
        // Accountable: the next conversation checks back on the last solved request.
        let fourth = Self.visit(&profile, session: "s4", ["where is my order HP-10610", "yes"])
        #expect(fourth[1].replies.last == "Last time you asked me about order status. Did that work out as you expected?")
        #expect(fourth[2].replies == ["Glad to hear it. What can I do for you today?"])
        #expect(profile.stage == .client, "a second order, in another conversation")
        #expect(profile.level(partnershipOrders: 5) == .proactive)
        #expect(profile.visits == 4)
        // Proactive: an offer that fits, once.
        let fifth = Self.visit(&profile, session: "s5", ["how much is delivery", "is shipping free"])
        #expect(fifth[1].replies == ["Delivery is £3.95.", "Last time you asked me about order status. Did that work out as you expected?"])
        // The same answer as just before the check-back question is said as said before, never word for word.
        #expect(fifth[2].replies == ["As I said: Delivery is £3.95.", "Join our club!"], "the check-back went unanswered: an offer may follow")
        _ = Self.visit(&profile, session: "s6", ["I recommended you"])
        #expect(profile.stage == .advocate)
    }

    @Test func aReturningCustomerIsGreetedByName() {
        var profile = CustomerProfile(id: "c-name")
        _ = Self.visit(&profile, session: "s1", ["my name is Sam"])
        let next = Self.visit(&profile, session: "s2", [])
        #expect(next[0].replies == ["Welcome back, Sam!"])
        #expect(profile.trust == 11, "volunteered +5, then a return visit +6")
    }

    @Test func whenTheLastRequestFellShortAPersonIsOffered() {
        var profile = CustomerProfile(id: "c-sad")
        profile.stage = .customer
        profile.purchases = ["HP-10442"]
        profile.lastSolved = SolvedRequest(intent: "delivery_costs", label: "what delivery costs", session: "old", at: Fixtures.noon)
        let outcomes = Self.visit(&profile, session: "s1", ["how much is delivery", "no", "yes"])
        #expect(outcomes[2].replies == ["I'm sorry it didn't. Would you like me to pass you to a person who can put it right?"])
        guard case .handoff(let summary)? = outcomes[3].effects.first(where: { if case .handoff = $0 { true } else { false } }) else {
            Issue.record("no handoff")
            return
        }
        #expect(summary.reason == .dissatisfied)
        #expect(summary.stage == .customer)
        #expect(profile.trust == 0, "bad feedback lowered trust (from 4 after the answer, floored at 0)")
    }
}

@Suite("Profiling edge cases")
struct ProfilingEdgeCaseTests {
    typealias F = ProfileFixtures

    @Test func aFactWithdrawnInTheSameBreathIsNotKept() {
        let reader = ProfileReader(catalogue: F.catalogue, entities: EntityExtractor(types: F.bot.entities))
        #expect(reader.volunteeredFacts(in: "forget that my name is Zebulon", at: Fixtures.noon).isEmpty)
        #expect(reader.volunteeredFacts(in: "please do not store that my email is a@b.co", at: Fixtures.noon).isEmpty)
        #expect(reader.volunteeredFacts(in: "hello, my name is Zebulon", at: Fixtures.noon).map(\.value) == ["Zebulon"])
        let bundled = ProfileReader(catalogue: ProfileCatalogue(
            fields: [ProfileField(name: "first_name", label: "your first name", kind: .contact, tier: 1, questions: [], purpose: [],
                                  answer: .name, volunteered: [#"\bcall me (\p{L}+)"#])],
            trust: .default, asking: .default, texts: .default, offers: []), entities: EntityExtractor(types: []), lexicon: bundledLexicon)
        #expect(bundled.volunteeredFacts(in: "you can call me on 0161 496 0000", at: Fixtures.noon).isEmpty, "'on' is no name (signals.yaml)")
        #expect(bundled.volunteeredFacts(in: "call me Jo", at: Fixtures.noon).map(\.value) == ["Jo"])
    }

    @Test("keys hit at random are no name", arguments: ["asdfgh", "qwerty", "Hjkl", "fdsa", "zxcvbn", "aaaa", "Grrrr", "sdfkjl", "mnbvcx"])
    func keyboardMashIsNoName(answer: String) {
        let reader = ProfileReader(catalogue: F.catalogue, entities: EntityExtractor(types: F.bot.entities))
        let field = F.catalogue.fields.first { $0.name == "first_name" }!
        #expect(reader.answer(answer, for: field, at: Fixtures.noon) == nil)
    }

    @Test("names that look a little like it are names", arguments: ["Liberty", "Gerty", "Lynn", "Ng", "Aaron", "Siobhan", "Wren", "Jo", "Llŷr", "Ffion", "Анна", "Дмитрий", "Νίκος", "محمد"])
    func unusualNamesAreNames(answer: String) {
        let reader = ProfileReader(catalogue: F.catalogue, entities: EntityExtractor(types: F.bot.entities))
        let field = F.catalogue.fields.first { $0.name == "first_name" }!
        #expect(reader.answer(answer, for: field, at: Fixtures.noon) == answer)
    }

    @Test func aVolunteeredFactIsConfirmedWhateverElseTheTurnSays() {
        var conversation = F.conversation(F.customer())
        _ = conversation.say("where is my order")
        let outcome = conversation.say("I can't remember it, my name is Zebulon")
        #expect(outcome.replies == ["They look like HP-12345. Which order?", "Thanks, I'll remember that your first name is Zebulon."])
        guard case .recordTurn(let turn)? = outcome.effects.first else { Issue.record("no turn"); return }
        #expect(turn.replies == outcome.replies, "the stored turn holds the confirmation too")
    }

    @Test func noIsntARefusalWhenAnAnswerFollows() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("got it")
        #expect(conversation.say("no, it's Sam").replies == ["Thanks, I'll remember that your first name is Sam."])
        #expect(conversation.state.profile.declined.isEmpty)
    }

    @Test func aMessageTheBotDoesNotReadCancelsAPendingErasure() {
        var conversation = F.conversation(CustomerControlTests.known())
        _ = conversation.say("delete all my data")
        _ = conversation.say(String(repeating: "a", count: FallbackLadder.longestMessage + 1))
        let after = conversation.say("yes")
        #expect(!after.effects.contains(.eraseCustomer("c-1")))
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test func startingOverDoesNotResetTheAskingLimits() {
        var conversation = F.conversation(F.customer(visits: 2, trust: 30))
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("got it") // asks first_name
        _ = conversation.say("I'd rather not")
        _ = conversation.handle(.restarted(at: Fixtures.noon))
        #expect(!conversation.say("how much is delivery").replies.contains("What's your email?"), "still cooling down")
        #expect(conversation.state.questionsAsked == 1)
    }

    @Test func forgettingAFactRemovesItsValueFromWhatIsKept() {
        var conversation = F.conversation(F.customer())
        _ = conversation.say("my email is zeb@secret.example")
        #expect(conversation.state.recent.contains { $0.text.contains("zeb@secret.example") })
        let outcome = conversation.say("forget my email")
        #expect(outcome.effects.contains(.redact(customer: "c-1", value: "zeb@secret.example")))
        #expect(!conversation.state.recent.contains { $0.text.contains("zeb@secret.example") })
    }

    @Test func anAnonymousCustomerIsNotToldTheirNameIsRemembered() {
        var conversation = Conversation(engine: F.engine, sessionID: "s", seed: 1)
        _ = conversation.handle(.started(at: Fixtures.noon))
        #expect(conversation.say("my name is Sam").replies == ["Sorry, say that another way?"])
        #expect(conversation.state.profile.facts.isEmpty)
    }

    @Test("values are removed however they were typed", arguments: [
        ("07700900123", "call me on 07700 900 123 or (07700) 900-123?", "call me on [forgotten] or ([forgotten]?"),
        ("sam@example.com", "mail SAM@example.com please", "mail [forgotten] please"),
        ("Leeds", "I live in leeds, Leeds!", "I live in [forgotten], [forgotten]!"),
        ("Al", "a total refund, Al", "a total refund, [forgotten]"),
        ("07700900123", "order 1077009001234", "order 1077009001234"),
    ])
    func redaction(value: String, text: String, expected: String) {
        #expect(Redaction.redact(value, in: text) == expected)
    }
}

@Suite("Picking up and going quiet")
struct SessionEventTests {
    typealias F = ProfileFixtures

    static func unfinished() -> UnfinishedConversation {
        var earlier = Conversation(engine: F.engine, sessionID: "earlier", seed: 1)
        _ = earlier.handle(.started(at: Fixtures.noon))
        _ = earlier.say("where is my order")
        return UnfinishedConversation(sessionID: "earlier", state: earlier.state)
    }

    @Test func aConversationThatStoppedMidQuestionIsOfferedAndPickedUp() {
        var conversation = Conversation(engine: F.engine, sessionID: "s2", seed: 1, profile: F.customer(), unfinished: Self.unfinished())
        let start = conversation.handle(.started(at: Fixtures.noon))
        #expect(start.replies == ["Hello!", "Last time we didn't finish order status. Shall we pick up where we left off?"])
        #expect(start.effects.contains(.closeEarlierSession("earlier", at: Fixtures.noon)), "it is not offered twice")
        #expect(conversation.say("yes").replies == ["Now, back to order status. Which order?"])
        #expect(conversation.say("HP-10610").replies.first == "Order HP-10610 is delayed.")
    }

    @Test func noStartsAfresh() {
        var conversation = Conversation(engine: F.engine, sessionID: "s2", seed: 1, profile: F.customer(), unfinished: Self.unfinished())
        _ = conversation.handle(.started(at: Fixtures.noon))
        #expect(conversation.say("no").replies == ["No problem, let's start afresh. What can I do for you?"])
        #expect(conversation.state.filling == nil)
    }

    @Test func nothingWaitingMeansNothingOffered() {
        var earlier = Conversation(engine: F.engine, sessionID: "earlier", seed: 1)
        _ = earlier.handle(.started(at: Fixtures.noon))
        _ = earlier.say("how much is delivery")
        var conversation = Conversation(engine: F.engine, sessionID: "s2", seed: 1, profile: F.customer(),
                                        unfinished: UnfinishedConversation(sessionID: "earlier", state: earlier.state))
        let start = conversation.handle(.started(at: Fixtures.noon))
        #expect(start.replies == ["Hello!"])
        #expect(start.effects.contains(.closeEarlierSession("earlier", at: Fixtures.noon)))
    }

    @Test func quietOnceIsANudgeTwiceEndsAndAMessageInBetweenStartsAgain() {
        var conversation = F.conversation(F.customer())
        #expect(conversation.handle(.timedOut(at: Fixtures.noon)).replies == SessionTexts.default.stillThere.map { $0.render([:]) })
        _ = conversation.say("how much is delivery")
        #expect(conversation.handle(.timedOut(at: Fixtures.noon)).effects.isEmpty, "a nudge again, not the end")
        let end = conversation.handle(.timedOut(at: Fixtures.noon))
        #expect(end.effects == [.endSession(at: Fixtures.noon)])
        #expect(conversation.state.phase == .ended)
        #expect(conversation.handle(.timedOut(at: Fixtures.noon)).replies.isEmpty)
    }
}

@Suite("Feedback as an event")
struct FeedbackEventTests {
    typealias F = ProfileFixtures

    @Test func feedbackIsRecordedForTheIntentRatedAndMovesTrust() {
        var conversation = F.conversation(F.customer())
        _ = conversation.say("how much is delivery")
        let outcome = conversation.handle(.feedbackGiven(score: 5, comment: "lovely, call me on 07700 900123", at: Fixtures.noon))
        #expect(outcome.replies == ["Thank you for your feedback. Is there anything else I can help with?"])
        #expect(outcome.effects.first == .recordFeedback(FeedbackRecord(
            customerID: "c-1", sessionID: "s1", intent: "delivery_costs", score: 5, comment: "lovely, call me on [phone number]", at: Fixtures.noon)))
        #expect(outcome.profileChanges.contains(.trust(.goodFeedback, delta: 8)))
    }

    @Test func aLowScoreApologisesAndOffersAPersonWhileTheConversationIsOpen() {
        var conversation = F.conversation(F.customer(trust: 20))
        let low = conversation.handle(.feedbackGiven(score: 1, comment: nil, at: Fixtures.noon))
        #expect(low.replies == FeedbackTexts.default.sorryOffer.map { $0.render([:]) })
        #expect(conversation.state.handoffOffered == .dissatisfied)
        #expect(low.profileChanges.contains(.trust(.badFeedback, delta: -8)))
        _ = conversation.handle(.ended(at: Fixtures.noon))
        let after = conversation.handle(.feedbackGiven(score: 2, comment: nil, at: Fixtures.noon))
        #expect(after.replies == FeedbackTexts.default.sorry.map { $0.render([:]) }, "no person to offer after the end")
        #expect(conversation.state.phase == .ended)
    }
}

@Suite("Asking for feedback")
struct FeedbackConversationTests {
    typealias F = ProfileFixtures

    /// A customer who has bought (accountable), after one answered request.
    static func accountable() -> Conversation {
        var profile = F.customer(visits: 2, trust: 30)
        profile.stage = .customer
        profile.purchases = ["HP-10442"]
        profile.declined = ["first_name": Fixtures.noon, "email": Fixtures.noon, "city": Fixtures.noon] // no profile questions here
        var conversation = F.conversation(profile)
        _ = conversation.say("how much is delivery")
        return conversation
    }

    /// An accountable customer who has been asked for feedback after "thanks"
    /// and has given these answers.
    static func answering(_ answers: String...) -> Conversation {
        var conversation = accountable()
        _ = conversation.say("thanks")
        for answer in answers { _ = conversation.say(answer) }
        return conversation
    }

    @Test func thanksAfterARequestIsTheMomentToAskAndTheAnswersAreStoredTogether() {
        var conversation = Self.accountable()
        #expect(conversation.say("thanks").replies == FeedbackTexts.default.ask.map { $0.render([:]) })
        #expect(conversation.say("4/5").replies == FeedbackTexts.default.expectation.map { $0.render([:]) })
        #expect(conversation.say("better than I expected").replies == FeedbackTexts.default.comment.map { $0.render([:]) })
        let done = conversation.say("quick and friendly, mail me at sam@example.com")
        #expect(done.replies == FeedbackTexts.default.thanks.map { $0.render([:]) })
        #expect(done.effects.contains(.recordFeedback(FeedbackRecord(
            customerID: "c-1", sessionID: "s1", intent: "delivery_costs", score: 4,
            comment: "quick and friendly, mail me at [email]", at: Fixtures.noon, expectation: .above, recommend: nil, ref: "s1#3"))))
        #expect(!conversation.say("thanks").replies.contains(FeedbackTexts.default.ask[0].render([:])), "once per conversation")
    }

    @Test("a goodbye or a request for a person at the comment question is no comment", arguments: ["bye", "talk to a human"])
    func aGoodbyeOrAPersonAtTheCommentStepIsNoComment(message: String) {
        var conversation = Self.accountable()
        _ = conversation.say("thanks")
        _ = conversation.say("4/5")
        _ = conversation.say("better than I expected")
        let outcome = conversation.say(message)
        #expect(!outcome.replies.contains(FeedbackTexts.default.thanks[0].render([:])), "not thanked as a comment: \(outcome.replies)")
        let stored = outcome.effects.compactMap { effect -> FeedbackRecord? in
            if case .recordFeedback(let record) = effect { return record }
            return nil
        }
        #expect(stored.count == 1 && stored.first?.comment == nil && stored.first?.score == 4, "the answers so far stored, with no comment")
        #expect(outcome.understanding?.matched?.intent == (message == "bye" ? "goodbye" : "human_agent"), "then read on its own")
    }

    @Test func whyAScoreWasLowIsKeptAsItsCommentInTheSameRecord() {
        var conversation = Self.accountable()
        _ = conversation.say("thanks")
        let low = conversation.say("2")
        #expect(low.replies == FeedbackTexts.default.sorryOffer.map { $0.render([:]) })
        let reason = conversation.say("because you didnt tell me anything useful, mail me at sam@example.com")
        #expect(reason.replies == FeedbackTexts.default.reasonNoted.map { $0.render([:]) })
        #expect(reason.effects.first == .recordFeedback(FeedbackRecord(
            customerID: "c-1", sessionID: "s1", intent: "delivery_costs", score: 2,
            comment: "because you didnt tell me anything useful, mail me at [email]", at: Fixtures.noon, expectation: nil, recommend: nil,
            ref: "s1#3")), "the score's own record, by its reference, with the address masked")
        #expect(conversation.state.handoffOffered == .dissatisfied, "the offer of a person stands")
        // Only just after the score: a second reason, with the offer still open, is read on its own.
        let second = conversation.say("and the delivery was slow")
        #expect(second.replies != FeedbackTexts.default.reasonNoted.map { $0.render([:]) })
        #expect(!second.effects.contains { if case .recordFeedback = $0 { true } else { false } })
    }

    @Test func notAskedOfABasicCustomerNorWithoutARequestAnswered() {
        var newcomer = F.conversation(F.customer())
        _ = newcomer.say("how much is delivery")
        #expect(newcomer.say("thanks").replies == ["You're welcome. Anything else?"])
        var profile = F.customer(visits: 2, trust: 30)
        profile.stage = .customer
        var idle = F.conversation(profile)
        #expect(idle.say("thanks").replies == ["You're welcome. Anything else?"], "nothing was resolved yet")
    }

    @Test func anUnreadableScoreIsAskedOnceMoreThenDropped() {
        var conversation = Self.accountable()
        _ = conversation.say("thanks")
        #expect(conversation.say("blue").replies == FeedbackTexts.default.askAgain.map { $0.render([:]) })
        #expect(conversation.say("purple").replies == FeedbackTexts.default.dropped.map { $0.render([:]) })
        #expect(conversation.state.feedback == nil)
    }

    @Test func skippingWhenAskedMeansNeverAskingAgain() {
        var conversation = Self.accountable()
        _ = conversation.say("thanks")
        let skipped = conversation.say("skip")
        #expect(skipped.profileChanges == [.decline(field: "feedback", at: Fixtures.noon)])
        #expect(!skipped.effects.contains { if case .recordFeedback = $0 { true } else { false } })
    }

    @Test func aNewRequestInsteadOfAScoreIsAnswered() {
        var conversation = Self.accountable()
        _ = conversation.say("thanks")
        #expect(conversation.say("where is my order HP-10610").replies.first == "Order HP-10610 is delayed.")
        #expect(conversation.state.feedback == nil)
    }

    @Test func askingForAPersonMidwayKeepsTheScoreAndHandsOver() {
        var conversation = Self.answering("4")
        let outcome = conversation.say("talk to a human")
        #expect(outcome.replies.contains("A person will help you."), "\(outcome.replies)")
        #expect(outcome.effects.contains { if case .handoff = $0 { true } else { false } })
        #expect(outcome.effects.contains { if case .recordFeedback(let record) = $0 { record.score == 4 && record.expectation == nil } else { false } })
        #expect(conversation.state.feedback == nil)
    }

    @Test func leavingTheQuestionsSaysNothingThatTheNextAnswerContradicts() {
        // Any score would ask "anything else?": it is not said when the
        // customer has already moved on.
        var conversation = Self.answering("3")
        let outcome = conversation.say("talk to a human")
        #expect(outcome.replies == ["A person will help you."], "\(outcome.replies)")
        #expect(outcome.quickReplies.isEmpty)
        #expect(outcome.effects.contains { if case .recordFeedback(let record) = $0 { record.score == 3 } else { false } })
        var leaving = Self.answering("5")
        #expect(leaving.say("bye").replies == ["Bye!"])
    }

    @Test func aRequestAboutOnesDataIsNeverTakenAsAnAnswer() {
        var atScore = Self.answering()
        let forget = atScore.say("forget my email")
        #expect(forget.replies == ["I don't have your email, so there is nothing to forget."], "\(forget.replies)")
        #expect(atScore.state.feedback == nil)

        var atComment = Self.answering("5", "as expected")
        let outcome = atComment.say("forget my email")
        #expect(outcome.replies.last == "I don't have your email, so there is nothing to forget.", "\(outcome.replies)")
        #expect(outcome.effects.contains { if case .recordFeedback(let record) = $0 { record.score == 5 && record.comment == nil } else { false } },
                "the feedback is stored without the request as its comment")
    }

    @Test func clientsAreAskedToRecommendNowAndThenAndAPromoterBecomesAnAdvocate() {
        var profile = F.customer(visits: 3, trust: 30)
        profile.stage = .client
        profile.purchases = ["HP-10442", "HP-10610"]
        profile.declined = ["first_name": Fixtures.noon, "email": Fixtures.noon, "city": Fixtures.noon]
        var conversation = F.conversation(profile)
        _ = conversation.say("I want to leave feedback")
        _ = conversation.say("5")
        #expect(conversation.say("as expected").replies == FeedbackTexts.default.recommend.map { $0.render([:]) })
        _ = conversation.say("10/10")
        let done = conversation.say("no")
        #expect(done.effects.contains { if case .recordFeedback(let record) = $0 { record.recommend == 10 && record.comment == nil } else { false } })
        #expect(conversation.state.profile.stage == .advocate)
        #expect(conversation.state.profile.lastAskedToRecommend == Fixtures.noon)
    }

    @Test(arguments: ["terrible", "2", "1. rubbish"])
    func aLowScoreOffersAPersonAtOnce(score: String) {
        // No "how did that compare?" first: the apology and a person come at once, and the score is stored.
        var conversation = Self.accountable()
        _ = conversation.say("thanks")
        let done = conversation.say(score)
        #expect(done.replies == FeedbackTexts.default.sorryOffer.map { $0.render([:]) }, "\(done.replies)")
        #expect(done.effects.contains { if case .recordFeedback(let record) = $0 { record.score <= 2 } else { false } })
        let handoff = conversation.say("yes")
        #expect(handoff.effects.contains { if case .handoff(let summary) = $0 { summary.reason == .dissatisfied } else { false } })
    }
}
