import Foundation
import Testing
import RapportCore
import RapportIntents

/// The bundled bot's reading of erasure requests: "forget it" is a dismissal,
/// not "forget me"; what the customer notices is that nothing is deleted.
@Suite("The bundled bot and erasure")
struct BundledErasureTests {
    static let noon = Date(timeIntervalSince1970: 1_795_000_000)

    static func conversation() throws -> Conversation {
        var profile = CustomerProfile(id: "c-sam")
        profile.visits = 2
        profile.facts["first_name"] = ProfileFact(value: "Sam", source: .stated, at: noon, consent: true)
        var conversation = Conversation(engine: try #require(BundledTranscriptsTests.engine), sessionID: "s", seed: 1, profile: profile)
        _ = conversation.handle(.started(at: noon))
        return conversation
    }

    @Test func everyErasureExampleNamesTheCustomer() async throws {
        let bot = try #require(BundledTranscriptsTests.bot)
        let examples = bot.intents.filter { $0.action == .eraseCustomer }.flatMap(\.examples)
        #expect(!examples.isEmpty)
        for example in examples {
            #expect(bot.signals.namesCustomerOrTheirData(example), "the engine would never read '\(example)' as erasure")
        }
    }

    @Test("a dismissal is no erasure request", arguments: [
        "forget it", "never mind, forget it", "hmm actually forget it, just tell me about your club", "forget about it", "forget that",
        "forget it all", "oh forget it then", "no, forget it",
    ])
    func dismissalIsNoErasure(text: String) throws {
        var conversation = try Self.conversation()
        let outcome = conversation.handle(.customerSaid(text, at: Self.noon))
        #expect(outcome.understanding?.matched?.intent != "profile_erase")
        #expect(!conversation.state.erasurePending)
        let yes = conversation.handle(.customerSaid("yes", at: Self.noon))
        #expect(!yes.effects.contains(.eraseCustomer("c-sam")))
        #expect(conversation.state.profile.facts["first_name"]?.value == "Sam", "the profile is still there")
    }

    @Test("a question naming the club or the orders while the deletion waits is answered, not told where to close them", arguments: [
        "before that, how do I join the pine club?", "wait, where are my orders?", "how do I see my order history",
    ])
    func aQuestionOfItsOwnIsNotAboutWhatIsKeptElsewhere(text: String) throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid("delete all my data", at: Self.noon))
        let outcome = conversation.handle(.customerSaid(text, at: Self.noon))
        #expect(!outcome.replies.contains { $0.contains("aren't kept by me") }, "replied \(outcome.replies)")
        #expect(!outcome.effects.contains(.eraseCustomer("c-sam")))
    }

    @Test("a privacy question while the deletion waits for a yes is answered, and the yes still deletes", arguments: [
        "do you share my info with anyone", "how long do you keep my data",
    ])
    func aQuestionWhileTheDeletionWaitsIsAnswered(question: String) throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid("delete all my data", at: Self.noon))
        #expect(conversation.state.erasurePending)
        let answered = conversation.handle(.customerSaid(question, at: Self.noon))
        let intent = try #require(answered.understanding?.matched?.intent)
        #expect(intent.hasPrefix("privacy_"), "read as \(intent): \(answered.replies)")
        #expect(answered.replies.count == 2, "the answer, then the question again: \(answered.replies)")
        #expect(!answered.effects.contains(.eraseCustomer("c-sam")))
        let yes = conversation.handle(.customerSaid("yes", at: Self.noon))
        #expect(yes.effects.contains(.eraseCustomer("c-sam")))
    }

    @Test func theRequestAfterADismissalIsAnswered() async throws {
        var conversation = try Self.conversation()
        let outcome = conversation.handle(.customerSaid("hmm actually forget it, just tell me about your club", at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == "loyalty_join")
        #expect(outcome.replies.first?.contains("Pine Club") == true)
    }

    @Test("an erasure request", arguments: ["forget me", "forget about me", "delete all my data", "forget everything I've told you"])
    func erasureRequest(text: String) throws {
        var conversation = try Self.conversation()
        let outcome = conversation.handle(.customerSaid(text, at: Self.noon))
        #expect(outcome.understanding?.matched?.intent == "profile_erase")
        #expect(outcome.replies.first?.contains("your first name (Sam)") == true, "the question names what would be lost")
    }

    @Test("after 'no wait', a change of mind is the request again", arguments: [
        "ok fine, delete it all", "ok fine, delete everything", "actually yes, delete all my data",
    ])
    func changeOfMind(text: String) throws {
        var conversation = try Self.conversation()
        _ = conversation.handle(.customerSaid("delete all my data", at: Self.noon))
        _ = conversation.handle(.customerSaid("no wait", at: Self.noon))
        let again = conversation.handle(.customerSaid(text, at: Self.noon))
        #expect(again.understanding?.matched?.intent == "profile_erase")
        #expect(!again.effects.contains(.eraseCustomer("c-sam")), "still confirmed before erasing")
        #expect(conversation.handle(.customerSaid("yes", at: Self.noon)).effects.contains(.eraseCustomer("c-sam")))
    }
}
