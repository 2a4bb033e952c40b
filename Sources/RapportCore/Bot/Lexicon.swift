/// The words a bot reads short answers, moods, cancellations, negation and
/// sarcasm by: the bot's language, as data (`signals.yaml`), so a bot in
/// another language needs no change to the engine.
///
/// A lexicon is only lists of words and phrases, each under a `List` name;
/// `CustomerSignals` is what reads messages with them. A list the lexicon
/// does not hold is empty: a bot without `signals.yaml` reads no yes, no,
/// cancel or mood, and every message goes to the ranker.
public struct Lexicon: Hashable, Sendable {
    /// The lists a lexicon may hold, named `group.list` as in `signals.yaml`.
    /// What each list means is said, with examples, in intents/signals.yaml
    /// and intents/README.md.
    public enum List: String, CaseIterable, Hashable, Sendable {
        case yesWords = "yes.words"
        case yesPhrases = "yes.phrases"
        /// Yes words that, opening a longer message asking nothing else, answer an offer yes ("yes please, it's been ages").
        case yesOpeners = "yes.openers"
        case noWords = "no.words"
        case noPhrases = "no.phrases"
        /// The no words that, opening a message, say no whatever follows.
        case noOpeners = "no.openers"
        /// Phrases that put an offer off ("I'll wait a bit longer"): to an offer of a person, with no question, a no.
        case noLater = "no.later_phrases"
        case frustrationWords = "frustration.words"
        case frustrationPhrases = "frustration.phrases"
        case cancelPhrases = "cancel.phrases"
        /// Cancel phrases that can only mean "drop the question".
        case cancelPlainPhrases = "cancel.plain_phrases"
        case cancelFillers = "cancel.fillers"
        /// Words dropped when reading any cancel ("cancel that"), but not a plain one.
        case cancelObjects = "cancel.objects"
        case unsurePhrases = "unsure.phrases"
        /// "What else do you need then": asking what the bot needs, while it waits for a value.
        case unsureNeededPhrases = "unsure.needed_phrases"
        /// "I'm not giving you my order number", "I'd rather not say": the value asked for refused, not missing.
        case unsureRefusingPhrases = "unsure.refusing_phrases"
        /// "Why do you need it?": what the value asked for is wanted for.
        case unsureWhyPhrases = "unsure.why_phrases"
        /// "Together", "in total", "add up": the sum of the amounts asked about (a lookup's `total`).
        case totalPhrases = "total.phrases"
        /// "How much", "cost": what amounts asked about together come to is asked.
        case totalAsking = "total.asking_phrases"
        /// "Several", "dozen", "delivery": a quantity the bot cannot count, or a cost besides the rows', which no sum answers.
        case totalNotWith = "total.not_with"
        /// "Pairs", "of", "x": words between a count and the thing counted ("2 pairs of socks", "3 x mugs").
        case totalCountedBy = "total.counted_by"
        /// "I meant", "sorry, I mean": the message corrects what the customer asked before.
        case correctionPhrases = "correction.phrases"
        /// "Not", "rather than": the value just after is the one the customer did not mean ("not the mug").
        case correctionRejecting = "correction.rejecting"
        /// Words that may stand between a rejecting word and its value ("not *the* mug").
        case correctionFillers = "correction.fillers"
        /// "Sorry no", "I mean": all that stands between a record's key and the one that
        /// corrects it ("it's PC-118320, sorry no PC-118230"), which is then not meant.
        case correctionBetween = "correction.between_phrases"
        /// "How much is the first one?": phrases that point at the first, second,
        /// third or last of the things the bot's last reply named.
        case listedFirst = "listed.first"
        case listedSecond = "listed.second"
        case listedThird = "listed.third"
        case listedLast = "listed.last"
        /// Words of a problem ("late", "lost", "broken"): no moment for personal questions.
        case problemWords = "problem.words"
        /// "Too small", "not working", "says invalid": a problem said in more than one word.
        case problemPhrases = "problem.phrases"
        /// "Sorry", "apologise": words the bot's own replies apologise with (a late order, a failed look-up).
        case problemApologies = "problem.apologies"
        /// "Do that please", "go ahead", "just do it": asking the bot to act.
        case actPhrases = "act.phrases"
        /// "Can I", "how do I": the customer is the one to act ("can I do that in Edinburgh?"), so no request of the bot.
        case actSelfPhrases = "act.self_phrases"
        /// "What do I do now?": asking what happens next, answered as a request to act though it holds a self phrase.
        case actNextPhrases = "act.next_phrases"
        /// "So what happens now": while a person is offered, what happens next too.
        case actOfferedNextPhrases = "act.offered_next_phrases"
        case actDonePhrases = "act.done_phrases"
        case actInsteadOpeners = "act.instead_openers"
        /// "It never came", "still not working": what was said did not solve it.
        case stillAProblemPhrases = "still_a_problem.phrases"
        /// Words that turn a statement round ("not", "no", "never"): a statement read after the messages
        /// about a problem tells more of it only with one, or with a phrase of `still_a_problem`.
        case stillAProblemNegations = "still_a_problem.negations"
        /// "Ok it went through on paypal", "found them under the sofa": the problem is solved.
        case stillAProblemSolved = "still_a_problem.solved"
        /// "It arrived", "turned up", "got it": the customer has what was sent, whatever its record says.
        case arrivedPhrases = "arrived.phrases"
        /// "Not", "never", "yet to": in a clause with an arrived phrase, it has not come ("it hasn't arrived").
        case arrivedNegators = "arrived.negators"
        /// "Has it arrived?": words that, opening a clause, make it ask whether it came.
        case arrivedAsking = "arrived.asking"
        /// "I", "we": opening a clause before an asking word, they make it a statement ("I've only used it 3 times").
        case arrivedTellers = "arrived.tellers"
        /// "Ordered", "bought": before a thing, the one meant to come ("ordered a scarf and got a beanie").
        case arrivedOrdered = "arrived.ordered"
        /// "Got", "received": just before a thing, after one of `arrived.ordered`, the one that came instead;
        /// before a "not", what did not come ("I got HP-10442 but still not HP-10443").
        case arrivedGot = "arrived.got"
        /// "No boots", "the socks are missing": in a clause, what it names did not come.
        case arrivedMissing = "arrived.missing"
        /// Words that leave what a message asks as it is ("what are you actually going to do about it",
        /// "when will it actually arrive"): passed over when reading a request to act, and when
        /// weighing whether an intent's examples speak to a message.
        case fillerWords = "fillers.words"
        /// Words that only acknowledge ("yeah", "ok"), which ask nothing.
        case fillerAcknowledgements = "fillers.acknowledgements"
        case choiceFillers = "fillers.choice"
        /// "Bought", "arrived": a day named with one is when something was bought or came, which
        /// bot.yaml's `time_limits` measure ("bought it 5 weeks ago"); one named for anything else is not.
        case purchaseWords = "purchase.words"
        /// "If I order today...": words that make the purchase told a supposed one, whose day is kept for nothing.
        case purchaseSupposing = "purchase.supposing"
        /// "On a new order": a purchase not made yet, however it is asked.
        case purchaseNewPhrases = "purchase.new_phrases"
        /// "My last one from somewhere else was like wearing a hedge": a thing from another shop.
        case purchaseElsewherePhrases = "purchase.elsewhere_phrases"
        /// "I bought it online": a phrase of a `purchase.channel_details` detail just after one of these tells where
        /// something was bought.
        case purchaseBought = "purchase.bought"
        /// The details that say where something was bought (`online`): told after a `purchase.bought` word.
        case purchaseChannelDetails = "purchase.channel_details"
        /// "Is that ok?", "am I too late?": a question whether the day told is within a limit.
        case purchaseInTimePhrases = "purchase.in_time_phrases"
        /// "Sent", "returned", "emailed": a day told beside one is not the day something was bought.
        case purchaseOtherEvents = "purchase.other_events"
        case refersBackWords = "refers_back.words"
        /// "Either of them", "both": the last two things of a kind talked about, each.
        case refersBackBoth = "refers_back.both"
        /// "The candles *one*", "the jacket *order*": a word after a thing that names the record holding it.
        case refersBackByThing = "refers_back.by_thing"
        /// What may follow "the candles one" for it to name the record: "yeah", "is", "hasn't".
        case refersBackByThingThen = "refers_back.by_thing_then"
        /// "Me again about", "I was on earlier about": a customer coming back to what they asked about before.
        case refersBackComingBack = "refers_back.coming_back_phrases"
        case anotherWords = "another.words"
        /// "Also", "as well": a statement with one tells of something besides what was told ("I was also charged
        /// for an order I cancelled"), not more of it.
        case alsoWords = "another.also"
        /// What an "other" word may be about and still mean the same thing ("other colours").
        case anotherKinds = "another.kinds"
        /// Phrases that point at any one of many, not at the thing talked about ("tell me more about one of
        /// your products" just after the jumper).
        case anotherPhrases = "another.phrases"
        case otherPeopleWords = "other_people.words"
        /// People a record may belong to ("my mate's card", "my wife's"): the
        /// nouns of `other_people`, not its pronouns ("they gave me a new card").
        case otherPeopleOwners = "other_people.owners"
        /// "Mine", "own", and "my" before `own_things`: what the message names is the customer's own.
        case otherPeopleOwn = "other_people.own"
        case otherPeopleOwnThings = "other_people.own_things"
        /// "Phone number", "email": another person's details, asked for with a word of `asking_their`.
        case otherPeopleTheirDetails = "other_people.their_details"
        /// "What", "tell", "give": asking for them ("can you tell me her phone number?").
        case otherPeopleAskingTheir = "other_people.asking_their"
        /// Details that only say whom a request is for ("my mum"): beside another detail that a request answers,
        /// they ask nothing of it ("a present for my mum who is always cold").
        case otherPeopleDetails = "other_people.details"
        case bareValueFillers = "bare_value.fillers"
        case declineWords = "decline.words"
        case declinePhrases = "decline.phrases"
        /// Read in the text as typed (a pattern is built of them), not as tokens.
        case dismissalFillers = "dismissal.fillers"
        case dismissalPhrases = "dismissal.phrases"
        case dismissalClosers = "dismissal.closers"
        case dismissalFollowers = "dismissal.followers"
        case erasureCustomerWords = "erasure.customer_words"
        case erasureRequestWords = "erasure.request_words"
        case erasureVerbs = "erasure.verbs"
        case erasureDeletingVerbs = "erasure.deleting_verbs"
        case erasureEverything = "erasure.everything"
        case erasureEverythingOpeners = "erasure.everything_openers"
        case erasureClauseStarts = "erasure.clause_starts"
        /// What the customer may have with the shop that erasing what the bot knows does not delete.
        case erasureElsewhere = "erasure_elsewhere.phrases"
        case erasureElsewhereCues = "erasure_elsewhere.cues"
        /// "I'm not a member", "I just ordered once": what the customer has or has not with the shop, told
        /// in answer to "shall I delete everything?", which makes no difference to it.
        case erasureElsewhereStanding = "erasure_elsewhere.standing_phrases"
        case erasureYesWords = "erasure_yes.words"
        case erasureYesPhrases = "erasure_yes.phrases"
        case erasureYesAnswerWords = "erasure_yes.answer_words"
        case erasureYesVagueVerbs = "erasure_yes.vague_verbs"
        case erasureYesVagueObjects = "erasure_yes.vague_objects"
        /// "The account", "the emails": things to delete that go with a yes only beside a `whole` word and no `limits` word.
        case erasureYesThings = "erasure_yes.things"
        /// "Everything", "all": the whole of it, which lets `things` be named with a yes.
        case erasureYesWhole = "erasure_yes.whole"
        /// "Just", "only": a yes limited to some of it is no clear yes to deleting everything.
        case erasureYesLimits = "erasure_yes.limits"
        case clauseConnectors = "clauses.connectors"
        case clauseRestarts = "clauses.restarts"
        case negationCues = "negation.cues"
        /// "I'm not": a negation only before a negative word ("I'm not unhappy", not "I'm not happy").
        case negationStateCues = "negation.state_cues"
        case negationNegativeWords = "negation.negative_words"
        case negationFillers = "negation.fillers"
        /// "All", "whole": a refusal holding one ("I don't want to cancel it all, just
        /// the hat") narrows its request to the thing named after it.
        case negationWhole = "negation.whole"
        /// "Anymore", "no longer": a clause opening with a cue that holds one asks to stop
        /// something ("I don't want to be emailed anymore"), and is no refusal.
        case negationStopping = "negation.stopping"
        /// "Bot", "robot": a refusal of one refuses the bot itself ("I'd rather not talk to a bot"), asking for a person.
        case negationTheBot = "negation.the_bot"
        /// Verbs of stopping: a clause of `stopping` that holds one refuses the stopping
        /// ("I don't want to unsubscribe from your emails"), and stays a refusal.
        case negationStoppingVerbs = "negation.stopping_verbs"
        case onlyAskingPhrases = "only_asking.phrases"
        /// "Hear back", "get back to me": asked how long after a handoff, when a person will answer.
        case teamReplyPhrases = "team_reply.phrases"
        /// "Will it come", "get here": asked when, about the order in focus, when it comes (its `arrival`),
        /// not how long a change of it is possible, nor, after a handoff, when a person answers.
        case arrivalPhrases = "arrival.phrases"
        /// "Coming", "been lost", "here in time": asked of a thing the order in focus holds ("are the boots
        /// coming separately?"), about that order coming, not the thing's stock.
        case arrivalThingPhrases = "arrival.thing_phrases"
        /// "That's all", "nothing else": the customer wants no more.
        case donePhrases = "done.phrases"
        /// "Cheers", "great ta": words of a thanks that signs off, with no moment left for a personal question.
        case doneSignOffs = "done.sign_offs"
        /// Words beside a sign-off that leave it one ("k cheers", "great ta").
        case doneSignOffWords = "done.sign_off_words"
        /// "Person", "someone": a refusal that holds one refuses the person offered.
        case personWords = "person.words"
        /// "Want", "can", "speak": a clause with a word for a person asks for one only with one of these
        /// ("and someone to actually look into it", not "the agent on the phone said tuesday").
        case personAsking = "person.asking"
        /// "Said", "told": a clause that reports what someone said asks for no person.
        case personReported = "person.reported"
        /// "I'd rather have them resent than a refund": what the customer prefers, told; once a person has the
        /// conversation, it is for them to see, not a question of the refund.
        case personPreferencePhrases = "person.preference_phrases"
        /// "Why not?", "how come?": a message that only asks why, about the answer just given.
        case whyPhrases = "why.phrases"
        case againWords = "again.words"
        case sarcasmPhrases = "sarcasm.phrases"
        case sarcasmPraiseWords = "sarcasm.praise_words"
        case sarcasmNegativeWords = "sarcasm.negative_words"
        /// Complaints in more than one word ("completely different", "love that for me"): praise beside one is sarcastic.
        case sarcasmNegativePhrases = "sarcasm.negative_phrases"
        case sarcasmEndings = "sarcasm.endings"
        /// Praise that, two of them just after a reply that apologised ("great. brilliant."), is sarcastic.
        case sarcasmHeapedWords = "sarcasm.heaped_words"
        /// What wear did to a thing ("shrank", "faded"): beside praise, sarcastic unless a sincere word is there too.
        case sarcasmWearWords = "sarcasm.wear_words"
        /// Words that make praise beside a statement of something wrong meant ("thank you", "I actually love it").
        case sarcasmSincereWords = "sarcasm.sincere_words"
        /// Words that are never a first name, though they follow "I'm" or
        /// answer "what should I call you?": nationalities, moods, common words.
        case namesNotNames = "names.not_names"
        /// First names that are also words of the bot's intents ("will",
        /// "mark"): names all the same.
        case namesAlsoWords = "names.also_words"
        /// Words that open a question ("what", "where", "can"): a question is
        /// no answer about the customer.
        case answersQuestionWords = "answers.question_words"
        /// Phrases that ask without a question word first ("I want to know when it'll arrive", "I was wondering if it's lost").
        case answersAskingPhrases = "answers.asking_phrases"
        /// Two words a question may open with, whose first alone may open a statement ("has it", "have you").
        case answersOpeningPhrases = "answers.opening_phrases"
        /// Words around an answer about the customer that say nothing ("haha ok, it's Chris").
        case answersFillers = "answers.fillers"
        /// Words that make a short free answer a sentence ("I don't know"), not a value.
        case answersSentenceWords = "answers.sentence_words"
        /// Words that open a question asking yes or no ("is", "are", "does"): "are they touchscreen friendly?".
        case yesNoOpeners = "yes_no.openers"
        /// Words that, before the word asked about in a clause of an answer, make it a no ("isn't itchy").
        case yesNoDenying = "yes_no.denying"
        /// Words that may come before the opener ("and", "so"): "and are they warm?".
        case yesNoLeading = "yes_no.leading"
        /// Words that weigh an amount or an absence ("free", "more", "than"): a question holding one hears no yes or no.
        case yesNoUndecided = "yes_no.undecided"
        /// Words that only ask ("come", "have", "friendly"): not what a yes or a no is about.
        case yesNoAskingWords = "yes_no.asking_words"
        /// "When did you get it back?": a question for a day, which the sentences of an answer holding a date answer.
        case partsDayPhrases = "parts.day_phrases"
        /// "How much am I getting back": a question for a sum, which the sentences of an answer holding an amount answer.
        case partsAmountPhrases = "parts.amount_phrases"
        /// What, just before a contact detail, makes it the customer's own ("my", "reach me at").
        case ownDetailsCues = "own_details.cues"
        /// Words that may stand between such a cue and the detail ("email", "address", "is").
        case ownDetailsBetween = "own_details.between"
        /// "I am": a message saying what the customer is. Read as an introduction
        /// but holding no name or fact ("I'm a student"), it is no introduction.
        case ownDetailsStates = "own_details.states"
        /// Words of other languages written in the Latin script ("dónde",
        /// "est", "möchte") that are no words of the bot's: a message made
        /// mostly of them is in another language.
        case otherLanguageWords = "other_language.words"
        /// The commonest words of the bot's own language ("the", "my", "where"):
        /// a message has to hold more words of other languages than of these.
        case otherLanguageOwnWords = "other_language.own_words"

        /// The group in `signals.yaml` ("yes" for `yes.words`).
        public var group: Substring { rawValue.prefix { $0 != "." } }
        /// The list's key inside its group ("words" for `yes.words`).
        public var key: Substring { rawValue.drop { $0 != "." }.dropFirst() }

        /// Whether each entry must be one word (as `TextNormalizer.tokens`
        /// reads it: "dont" is two, "do" and "not"); the other lists take phrases.
        /// Whether the list holds names of `details` (`someone_else`, `online`), not words: read as written,
        /// and checked against `details` on loading.
        public var namesDetails: Bool { self == .otherPeopleDetails || self == .purchaseChannelDetails }

        public var takesSingleWords: Bool {
            // Every list named "phrases" or "..._phrases" takes phrases, and these besides.
            group != "listed" && !key.hasSuffix("phrases") && !namesDetails
                && !["cues", "state_cues", "connectors", "restarts", "vague_objects", "rejecting", "states", "stopping", "solved", "both"].contains(key)
        }

        /// Whether the list is matched against the text as typed (the
        /// dismissal lists, which a pattern is built of), so its entries are
        /// words of letters and digits separated by spaces.
        public var readsTypedText: Bool { group == "dismissal" }
    }

    private var lists: [List: [String]]

    /// The details of an answer a customer may ask about on their own ("is
    /// it free?", "how long does it take?"), each with the words that ask for
    /// it, in the order `signals.yaml` writes them. An intent answers a detail
    /// with its `details:` texts (`Intent.details`).
    public var details: [DetailCue]

    /// Words that ask for a detail only when they are the whole message,
    /// fillers and acknowledgements aside ("when?", "ok when" just after an
    /// answer): within a longer message "when" asks no time ("what happens
    /// when it comes").
    public var detailsAlone: [DetailCue]

    /// Words that ask for a detail when the message asks no other ("what
    /// time does it close?" asks today's hours, "what time does it open on
    /// saturday" Saturday's); read before `details`, so a phrase of those
    /// inside them ("what time") asks nothing.
    public var detailsOtherwise: [DetailCue]

    /// A lexicon holding `lists` and `details`; a list not given is empty.
    public init(_ lists: [List: [String]] = [:], details: [DetailCue] = [], detailsAlone: [DetailCue] = [],
                detailsOtherwise: [DetailCue] = []) {
        self.lists = lists.filter { !$0.value.isEmpty }
        self.details = details.filter { !$0.phrases.isEmpty }
        self.detailsAlone = detailsAlone.filter { !$0.phrases.isEmpty }
        self.detailsOtherwise = detailsOtherwise.filter { !$0.phrases.isEmpty }
    }

    /// The lexicon of a bot without `signals.yaml`: every list empty.
    public static let empty = Lexicon()

    /// The entries of `list`, as written; empty when the lexicon does not hold it.
    public subscript(list: List) -> [String] {
        get { lists[list] ?? [] }
        set { lists[list] = newValue.isEmpty ? nil : newValue }
    }

    /// Whether every list is empty.
    public var isEmpty: Bool { lists.isEmpty && details.isEmpty && detailsAlone.isEmpty && detailsOtherwise.isEmpty }
}

/// One detail of an answer a customer may ask about ("cost"), and the
/// phrases that ask for it ("free", "how much", "is there a charge").
public struct DetailCue: Hashable, Sendable {
    public var name: String
    public var phrases: [String]

    public init(name: String, phrases: [String]) {
        self.name = name
        self.phrases = phrases
    }
}
