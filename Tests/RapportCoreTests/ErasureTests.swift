import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

/// Erasing a customer cannot be undone: the request must name the customer or
/// their data, and only a clear yes to a question naming what will be lost erases.
@Suite("Reading an erasure request and its confirmation")
struct ErasureSignalTests {
    @Test("names the customer or their data", arguments: [
        "forget me", "forget about me", "delete all my data", "forget everything I've told you", "erase my profile",
        "I want to be forgotten", "right to be forgotten", "gdpr erasure request", "remove all traces of me",
        "I don't want you to keep anything about me", "start fresh, delete everything you know about me",
        "forget all of it, everything I've said", "delete it all", "ok fine, delete everything",
    ])
    func namesTheCustomer(text: String) {
        #expect(bundledSignals.namesCustomerOrTheirData(text))
    }

    @Test("names nobody", arguments: [
        "forget it", "never mind, forget it", "hmm actually forget it, just tell me about your club", "forget about it",
        "forget that", "forget it all", "just tell me about your club", "where is my order", "forget it, tell me about my order",
    ])
    func namesNobody(text: String) {
        #expect(!bundledSignals.namesCustomerOrTheirData(text))
    }

    @Test("a leading dismissal, and what follows it", arguments: [
        ("forget it", ""), ("never mind, forget it", ""), ("hmm actually forget it, just tell me about your club", "just tell me about your club"),
        ("Forget about it. Where is my order HP-10442?", "Where is my order HP-10442?"), ("oh never mind then", ""),
        ("forget that, I live in York now", "I live in York now"),
    ])
    func dismissal(text: String, rest: String) {
        #expect(bundledSignals.afterDismissal(text).map(String.init) == rest)
    }

    /// Found in review: "oh" and "well" were fillers and so was "oh well", so a
    /// message of "oh well oh well ..." could be split 2^n ways, each tried
    /// again when the match failed: 320 characters never finished. The time
    /// limit only bounds a hang; the speed is measured by docs/benchmarks/startup.py.
    @Test(.timeLimit(.minutes(1)))
    func fillersAreReadOnce() {
        let fillers = String(repeating: "oh well ", count: 250)
        #expect(bundledSignals.afterDismissal(fillers + "x") == nil)
        #expect(bundledSignals.afterDismissal(fillers + "never mind, where is my order").map(String.init) == "where is my order")
        #expect(bundledSignals.afterDismissal("oh well, forget it").map(String.init) == "")
    }

    @Test("no dismissal", arguments: ["forget me", "forget that my name is Sam", "forget it all", "forget about me", "never", "leave it out of my profile"])
    func noDismissal(text: String) {
        #expect(bundledSignals.afterDismissal(text) == nil)
    }

    @Test("a clear yes to erasing", arguments: [
        "yes", "Yes.", "yes delete everything", "yes please delete it all", "go ahead", "yes, go ahead and delete it",
        "delete it all", "ok fine, delete everything", "yes forget me", "yep, delete all my data", "absolutely",
        // The things the question named, with all of it and nothing limiting it.
        "yes everything, the account and the emails", "yes delete all of it, the chat history and the feedback",
    ])
    func clearYes(text: String) {
        #expect(bundledSignals.confirmsErasure(text))
    }

    @Test("not a clear yes to erasing", arguments: [
        "yes but first tell me about the club", "yeah what's the club", "sure, what do you know about me?", "ok", "hmm", "sure",
        "yes?", "no", "no wait", "forget it", "yes no", "don't delete it", "yes, I want to know what you know", "fine",
        "yes delete my data but keep my name", "yes please, how much is delivery", "yes, forget it", "yes forget it", "ok forget about it",
        // A yes limited to some of it, or naming things without all of it, deletes nothing.
        "yes just the emails", "yes just the chat history", "just delete the feedback", "delete my email", "yes the account",
        "yes everything but the emails", "yes all except my account",
    ])
    func notAClearYes(text: String) {
        #expect(!bundledSignals.confirmsErasure(text))
    }

    @Test func otherQuestionsKeepTheLenientYes() {
        #expect(bundledSignals.yesNo("ok") == .yes)
        #expect(bundledSignals.yesNo("sure") == .yes)
    }
}

@Suite("Confirming an erasure")
struct ErasureConfirmationTests {
    typealias F = ProfileFixtures

    static let kept = "your first name (Sam), your town (Leeds), our 3 conversations (this one included) and any feedback you've given"
    static let askedAgain = "I only delete everything on a clear yes. Shall I delete \(kept)? (yes or no)"
    static let notConfirmed = ProfileTexts.default.erasureNotConfirmed[0].source
    static let cancelled = "All right, I've deleted nothing."

    /// A known customer who has just asked to delete everything.
    static func asked() -> Conversation {
        var conversation = F.conversation(CustomerControlTests.known())
        _ = conversation.say("delete all my data")
        return conversation
    }

    static func erased(_ outcome: TurnOutcome) -> Bool {
        outcome.effects.contains(.eraseCustomer("c-1"))
    }

    @Test("a clear yes erases", arguments: ["yes", "yes delete everything", "yes please delete it all", "go ahead"])
    func clearYesErases(answer: String) {
        var conversation = Self.asked()
        let outcome = conversation.say(answer)
        #expect(Self.erased(outcome))
        #expect(conversation.state.profile.facts.isEmpty)
        #expect(conversation.state.phase == .ended)
    }

    @Test("no clear yes is asked again once, naming what would be lost", arguments: ["ok", "hmm", "sure", "yes?", "fine"])
    func unclearIsAskedAgain(answer: String) {
        var conversation = Self.asked()
        let again = conversation.say(answer)
        #expect(!Self.erased(again))
        #expect(again.replies == [Self.askedAgain])
        #expect(again.quickReplies.map(\.title) == ["Yes, delete everything", "No, keep it"])
        #expect(conversation.state.profile.facts.count == 2, "the profile is still there")
        // A second answer that is no clear yes deletes nothing either, and says so.
        let second = conversation.say(answer)
        #expect(!Self.erased(second))
        #expect(second.replies == [Self.notConfirmed])
        #expect(conversation.state.erasure == nil)
        // And a yes after that is no answer to anything.
        #expect(!Self.erased(conversation.say("yes")))
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test("a yes that names what the bot does not keep is no yes: where it is closed, then the question again", arguments: [
        "yes including my pine club account", "yes delete everything and my online account too", "delete it all, my membership as well",
    ])
    func aYesNamingWhatIsKeptElsewhere(answer: String) {
        var conversation = Self.asked()
        let outcome = conversation.say(answer)
        #expect(!Self.erased(outcome), "the customer might think the club account goes too")
        #expect(outcome.replies == [ProfileTexts.default.erasureElsewhere[0].source + " " + Self.askedAgain])
        #expect(Self.erased(conversation.say("yes")), "a plain yes to the question asked again")
    }

    @Test("telling what the customer has with the shop makes no difference: said so, and the question again, however often",
          arguments: ["I'm not a member I just ordered once", "sorry no, I don't have an order, I just get your emails",
                      "no, I'm not a pine club member, just an online account"])
    func tellingTheirStanding(answer: String) {
        var conversation = Self.asked()
        let standing = "That makes no difference: I can still delete \(Self.kept). Shall I? (yes or no)"
        for _ in 1...2 {
            let outcome = conversation.say(answer)
            #expect(!Self.erased(outcome))
            #expect(outcome.replies == [standing], "not the club's sign-up, nor 'no' calling it off")
            #expect(outcome.quickReplies.map(\.title) == ["Yes, delete everything", "No, keep it"])
        }
        #expect(Self.erased(conversation.say("yes")))
    }

    @Test("told beside calling it off, or asked, it is no standing told", arguments: [
        ("no, forget it, I'm not a member anyway", [cancelled]),
        ("no not now, I'm not a member anyway", [cancelled]),
    ])
    func standingBesideANo(answer: String, replies: [String]) {
        var conversation = Self.asked()
        #expect(conversation.say(answer).replies == replies)
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test func aNoNamingTheClubStillCallsItOff() {
        var conversation = Self.asked()
        #expect(conversation.say("no, I only wanted to close my pine club account").replies
            == [ProfileTexts.default.erasureElsewhere[0].source + " " + Self.cancelled])
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test("not wanting to lose what is kept elsewhere calls it off; beside a yes, or asked, it is where that is closed and the question again",
          arguments: [
              ("I dont want to lose my pine club account actually", [cancelled]),
              ("I really don't want my membership deleted", [cancelled]),
              ("yes, but don't close my pine club account", [ProfileTexts.default.erasureElsewhere[0].source + " " + askedAgain]),
              ("wait, won't I lose my pine club account?", [ProfileTexts.default.erasureElsewhere[0].source + " " + askedAgain]),
          ])
    func notWantingToLoseTheClub(answer: String, replies: [String]) {
        var conversation = Self.asked()
        let outcome = conversation.say(answer)
        #expect(!Self.erased(outcome))
        #expect(outcome.replies == replies)
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test func notWantingToLoseTheClubWithARequestAnswersItAndCallsItOff() {
        var conversation = Self.asked()
        let outcome = conversation.say("I dont want to lose my pine club account. how much is delivery")
        #expect(!Self.erased(outcome))
        #expect(outcome.replies == ["Delivery is £3.95.", Self.cancelled])
        #expect(!Self.erased(conversation.say("yes")), "the question is no longer waiting")
    }

    @Test func aClearYesToTheQuestionAskedAgainErases() {
        var conversation = Self.asked()
        _ = conversation.say("ok")
        #expect(Self.erased(conversation.say("yes delete everything")))
    }

    @Test("a no calls it off", arguments: ["no", "no wait", "no thanks", "never mind", "forget it", "nope, keep it"])
    func noCallsItOff(answer: String) {
        var conversation = Self.asked()
        let outcome = conversation.say(answer)
        #expect(!Self.erased(outcome))
        #expect(outcome.replies == [Self.cancelled])
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test func anotherRequestIsAnsweredThenTheQuestionIsAskedAgain() {
        var conversation = Self.asked()
        let outcome = conversation.say("yes but first how much is delivery")
        #expect(!Self.erased(outcome))
        #expect(outcome.replies == ["Delivery is £3.95.", Self.askedAgain])
        #expect(conversation.state.erasure == .askedAgain)
        #expect(Self.erased(conversation.say("yes")), "a clear yes to the question asked again")
    }

    @Test func aRequestThatAsksItsOwnQuestionLeavesNothingDeleted() {
        var conversation = Self.asked()
        let outcome = conversation.say("yes but where is my order")
        #expect(outcome.replies == ["Which order?", Self.notConfirmed])
        #expect(conversation.state.erasure == nil)
        #expect(conversation.say("HP-10442").replies.first == "Order HP-10442 is on its way.")
        #expect(conversation.state.profile.facts.count == 2)
    }

    @Test("after a no, a clear yes is the request again, and is confirmed again", arguments: [
        "ok fine, delete it all", "ok fine, delete everything", "actually yes, delete all my data", "yes",
    ])
    func changeOfMindIsConfirmedAgain(answer: String) {
        var conversation = Self.asked()
        _ = conversation.say("no wait")
        let again = conversation.say(answer)
        #expect(!Self.erased(again))
        #expect(again.replies == ["Delete everything?"])
        #expect(again.understanding?.matched?.intent == "profile_erase")
        #expect(Self.erased(conversation.say("yes")))
    }

    @Test func theChangeOfMindCountsOnlyRightAfterTheNo() {
        var conversation = Self.asked()
        _ = conversation.say("no wait")
        _ = conversation.say("how much is delivery")
        let later = conversation.say("yes")
        #expect(later.understanding?.matched?.intent != "profile_erase")
        #expect(!Self.erased(later))
    }

    @Test func whatWouldBeLostIsWhatIsKept() {
        var profile = CustomerControlTests.known()
        profile.purchases = ["HP-10442", "HP-10610"]
        profile.declined["email"] = Fixtures.noon
        profile.facts["city"] = ProfileFact(value: "Leeds", source: .inferred, at: Fixtures.noon, consent: false)
        var conversation = F.conversation(profile)
        #expect(conversation.keptAboutCustomer() == "your first name (Sam), your town (Leeds, my guess), "
            + "my note of the orders you asked me about (HP-10442 and HP-10610; the orders themselves stay), the note that you'd rather not give me your email, "
            + "our 3 conversations (this one included) and any feedback you've given")
        conversation = F.conversation(F.customer())
        #expect(conversation.keptAboutCustomer() == "this conversation and any feedback you've given")
    }
}

/// The floor of an intent that changes something holds in a near tie, too.
@Suite("min_confidence in a near tie")
struct NearTieFloorTests {
    static let bot = Bot(
        name: "Pip", welcome: [template("Hello!")], fallback: [template("Sorry, say that another way?")],
        farewell: [template("Bye.")],
        intents: [
            Intent(name: "acknowledge", topic: "smalltalk", examples: ["ok", "okay then", "fine", "alright"],
                   responses: [template("Okay.")], suggestible: false, resolves: false),
            Intent(name: "wipe", topic: "privacy", examples: ["ok delete my data", "fine delete my data", "delete my data"],
                   responses: [template("Delete everything?")], resolves: false, action: .eraseCustomer, minimumConfidence: 0.9999),
        ],
        matching: MatchingSettings(confidenceThreshold: 0.05, clarifyMargin: 1),
        profile: ProfileBot.catalogue,
        lexicon: bundledLexicon
    )

    @Test func theLikelierIsAnsweredOnlyWhenSureEnough() {
        let engine = Engine(bot: Self.bot)
        var conversation = Conversation(engine: engine, sessionID: "s", seed: 1, profile: CustomerProfile(id: "c-1"))
        _ = conversation.handle(.started(at: Fixtures.noon))
        let message = "alright, delete my data"
        guard case .ambiguous = engine.understand(message, at: Fixtures.noon).decision else {
            Issue.record("the fixture should make a near tie: \(engine.understand(message, at: Fixtures.noon))")
            return
        }
        let outcome = conversation.say(message)
        // The runner-up is answered only when it reaches the threshold itself; either way, nothing is wiped.
        let understanding = engine.understand(message, at: Fixtures.noon)
        if case .ambiguous(_, let second) = understanding.decision, second.confidence >= Self.bot.matching.confidenceThreshold {
            #expect(outcome.understanding?.matched?.intent == "acknowledge")
        } else {
            #expect(outcome.understanding?.matched == nil)
        }
        #expect(!conversation.state.erasurePending)
    }
}
