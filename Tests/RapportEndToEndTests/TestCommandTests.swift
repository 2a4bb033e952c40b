import Foundation
import Testing

@Suite("rapport test, run as a process")
struct TestCommandTests {
    @Test func theBundledTranscriptsPass() throws {
        let repository = (RapportBinary.bundledIntents as NSString).deletingLastPathComponent
        let result = try runRapport(["test"], environment: Sandbox().environment, directory: repository)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("PASS transcripts/orders.convo.txt  Orders\n"))
        // The sandbox asks for words alone: transcripts written for the hybrid are skipped, and said to be.
        let summary = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.contains(" passed, 0 failed, ") && summary.hasSuffix(" skipped"), "\(summary)")
        #expect(result.stdout.contains("SKIP transcripts/hybrid-other-languages.convo.txt  Requests in other languages, read by the sentence encoder (written for matcher hybrid; this run matches on words alone"))
    }

    @Test func aFailingTranscriptPrintsADiffAndExitsOne() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/wrong.convo.txt"
        try """
            Wrong on purpose
            #me
            how much is delivery
            #bot
            Delivery is always free.
            INTENT delivery_times
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let junit = sandbox.root + "/report.xml"
        let result = try runRapport(["test", path, "--intents", RapportBinary.bundledIntents, "--junit", junit],
                                    environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL \(path)  Wrong on purpose\n  \(path):4: turn 1, you> how much is delivery: the reply differs\n    expected: Delivery is always free.\n    actual:   Standard delivery is £3.95"))
        #expect(result.stdout.contains("  \(path):6: turn 1, you> how much is delivery: the intent differs\n    expected: delivery_times\n    actual:   delivery_costs"))
        #expect(result.stdout.hasSuffix("0 passed, 1 failed\n"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"rapport transcripts\" tests=\"1\" failures=\"1\" errors=\"0\">"))
    }

    @Test func aBrokenTranscriptNamesItsLine() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/broken.convo.txt"
        try "Broken\n#me\nhi\n#bot\nINTNET greet\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runRapport(["test", path, "--intents", RapportBinary.bundledIntents], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("  \(path):5: error: unknown assertion 'INTNET'; did you mean INTENT?\n"))
    }

    @Test func aMissingPathIsOneErrorLine() throws {
        let sandbox = Sandbox()
        let result = try runRapport(["test", sandbox.root + "/nope", "--intents", RapportBinary.bundledIntents],
                                    environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stderr == "rapport: \(sandbox.root)/nope: no such file or folder\n")
    }

    @Test func aRecordedConsoleConversationReplaysGreen() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/recorded.convo.txt"
        let chat = try runRapport(["chat", "--intents", RapportBinary.bundledIntents, "--record", path],
                                  stdin: "hi\nwhere is my order\nzzz qqq\n/restart\nthanks\n", environment: sandbox.environment)
        #expect(chat.status == 0)
        let replay = try runRapport(["test", path, "--intents", RapportBinary.bundledIntents], environment: sandbox.environment)
        #expect(replay.status == 0, "\(replay.stdout)")
        #expect(replay.stdout.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test func coverageListsWhatIsMissed() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/one.convo.txt"
        try "One\n#me\nhi\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runRapport(["test", path, "--coverage", "--intents", RapportBinary.bundledIntents],
                                    environment: sandbox.environment)
        #expect(result.status == 0)
        let intents = try RapportBinary.bundledIntentCount()
        #expect(result.stdout.contains("Coverage: 1/\(intents) intents answered"), "\(result.stdout)")
        #expect(result.stdout.contains("Intents no transcript reaches:\n  reset_password\n"))
    }
}
