import Foundation
import Testing

@Suite("rapport eval on a bot's own intents")
struct EvalCommandTests {
    /// A two-intent bot with one example filed under the wrong intent.
    func bot(in sandbox: Sandbox) throws -> String {
        let folder = sandbox.root + "/bot"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
            name: Pip
            welcome: [Hello.]
            fallback: [Sorry?]
            farewell: [Bye.]

            """.write(toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
        try """
            intents:
              - name: delivery
                examples: [how much is delivery, what does delivery cost, delivery cost to france, is delivery free, cheap delivery]
                responses: [Delivery is £3.95.]
              - name: returns
                examples: [how do I return it, return an item, returns policy, send it back, can I return this, how much is delivery for a big parcel]
                responses: [Returns are free.]
              - name: off_topic
                examples: [tell me a joke, what's the weather, who won the match, sing me a song, what is the capital of france]
                responses: [I can only help with the shop.]

            """.write(toFile: folder + "/shop.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func mistakesListTheExamplesAnsweredWronglyAndWhatTheyWereTakenFor() throws {
        let sandbox = Sandbox()
        let folder = try bot(in: sandbox)
        let result = try runRapport(["eval", "--intents", folder, "--folds", "2", "--mistakes"], environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("2-fold cross-validation of 3 intents, 16 examples\n"), "\(result.stdout)")
        let mistakes = try #require(result.stdout.split(separator: "\n").drop { !$0.hasPrefix("Mistakes (") }.map(String.init) as [String]?)
        #expect(mistakes.first?.hasPrefix("Mistakes (") == true, "\(result.stdout)")
        #expect(mistakes.contains { $0.hasPrefix("  returns → delivery ") && $0.hasSuffix(": how much is delivery for a big parcel") },
                "the misfiled example is listed with what it was taken for: \(mistakes)")
        #expect(!mistakes.contains { $0.contains(": how do I return it") }, "examples answered right are not listed")
    }

    @Test func mistakesComeInTheJSONToo() throws {
        let sandbox = Sandbox()
        let result = try runRapport(["eval", "--intents", try bot(in: sandbox), "--folds", "2", "--json", "--mistakes"], environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let mistakes = try #require(figures["mistakes"] as? [[String: Any]])
        #expect(mistakes.contains { $0["text"] as? String == "how much is delivery for a big parcel" && $0["answered"] as? String == "delivery" })
    }

    @Test func withoutTheFlagNoMistakesAreListed() throws {
        let sandbox = Sandbox()
        let result = try runRapport(["eval", "--intents", try bot(in: sandbox), "--folds", "2"], environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("Mistakes"))
    }

    @Test func theBotsOwnOutOfScopeIntentCountsAsDeclining() throws {
        let sandbox = Sandbox()
        let folder = try bot(in: sandbox)
        let plain = try runRapport(["eval", "--intents", folder, "--folds", "2", "--json"], environment: sandbox.environment)
        let declining = try runRapport(["eval", "--intents", folder, "--folds", "2", "--json", "--oos-intent", "off_topic"],
                                       environment: sandbox.environment)
        #expect(plain.status == 0 && declining.status == 0, "\(plain.stderr)\(declining.stderr)")
        let before = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(declining.stdout.utf8)) as? [String: Any])
        #expect(before["oos_recall"] is NSNull, "without it there are no out-of-scope messages")
        let recall = try #require(after["oos_recall"] as? Double)
        #expect(recall > 0, "off-topic examples answered with off_topic count as declined")
    }

    @Test func aGivenThresholdIsMeasuredInsteadOfAChosenOne() throws {
        let sandbox = Sandbox()
        let folder = try bot(in: sandbox)
        let result = try runRapport(["eval", "--intents", folder, "--folds", "2", "--json", "--oos-intent", "off_topic", "--threshold", "1"],
                                    environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(figures["threshold"] as? Double == 1)
        #expect(figures["in_scope_accuracy"] as? Double == 0, "at 1, every message is declined")
        #expect(figures["oos_recall"] as? Double == 1)
        let wrong = try runRapport(["eval", "--intents", folder, "--threshold", "2"], environment: sandbox.environment)
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("--threshold must be from 0 to 1"))
    }

    @Test func theSameSeedDealsTheSameFolds() throws {
        let sandbox = Sandbox()
        let folder = try bot(in: sandbox)
        func mistakes(_ seed: String) throws -> [String] {
            let result = try runRapport(["eval", "--intents", folder, "--folds", "2", "--seed", seed, "--mistakes"], environment: sandbox.environment)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  ") && $0.contains(" → ") && $0.contains(": ") }
        }
        #expect(try mistakes("3") == mistakes("3"))
    }

    @Test func anUnknownOutOfScopeIntentIsNamed() throws {
        let sandbox = Sandbox()
        let result = try runRapport(["eval", "--intents", try bot(in: sandbox), "--oos-intent", "off_topik"], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stderr == "rapport: --oos-intent: the bot has no intent 'off_topik'; did you mean 'off_topic'?\n")
    }

    @Test func aBrokenBotIsReportedWhereItIsBroken() throws {
        let sandbox = Sandbox()
        let folder = try bot(in: sandbox)
        try "intents:\n  - name: delivery\n".write(toFile: folder + "/shop.yaml", atomically: true, encoding: .utf8)
        let result = try runRapport(["eval", "--intents", folder, "--folds", "2"], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("shop.yaml:2:"), "\(result.stderr)")
    }
}
