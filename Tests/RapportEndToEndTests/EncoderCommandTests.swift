import Foundation
import Testing

/// The hybrid, the default: the sentence encoder joins the words, or rapport
/// says once why it cannot and runs on the words alone (docs/ENCODER.md).
@Suite("The sentence encoder, run as a process")
struct EncoderCommandTests {
    static let question = #"{"id":"1","session":"s1","customer":"c-1","text":"how much is delivery"}"#

    /// `$RAPPORT_ENCODER`, else the checkout's `.encoder/`, when it holds the model.
    static let modelDirectory: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let candidates = [ProcessInfo.processInfo.environment["RAPPORT_ENCODER"], root + "/.encoder"].compactMap { $0 }.filter { !$0.isEmpty }
        // As EncoderFixtures looks, in the encoder's own tests (another target).
        return candidates.first {
            FileManager.default.fileExists(atPath: $0 + "/sp.model") && FileManager.default.fileExists(atPath: $0 + "/weights.npz")
        }
    }()

    /// Runs where the model is installed, and always on CI, where a missing model must fail.
    static let modelTestsEnabled = modelDirectory != nil || !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty

    func serve(_ extra: [String], sandbox: Sandbox, environment: [String: String]) throws -> (ready: [String: Any], lines: [String], stderr: String) {
        let bot = try sandbox.smallBot()
        let result = try runRapport(["serve", "--intents", bot, "--db", sandbox.root + "/serve.sqlite", "--model-cache", sandbox.root + "/models"] + extra,
                                    stdin: Self.question + "\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let ready = (lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
        return (ready, lines, result.stderr)
    }

    @Test(.enabled(if: modelTestsEnabled, "the encoder model is not installed: run .ci/setup"))
    func theHybridIsTheDefaultSaysSoAndAnswersThenReadsItsModelBack() throws {
        let directory = try #require(Self.modelDirectory, "the encoder model is not installed: run .ci/setup")
        let sandbox = Sandbox()
        var environment = sandbox.environment
        environment["RAPPORT_ENCODER"] = directory
        environment.removeValue(forKey: "RAPPORT_MATCHER")
        let first = try serve([], sandbox: sandbox, environment: environment)
        #expect(first.ready["matcher"] as? String == "hybrid")
        #expect((first.ready["matcher_note"] as? String)?.hasPrefix("use-multilingual-v3 ") == true)
        #expect(first.lines.count == 2 && first.lines[1].contains("Delivery is £3.95."), "\(first.lines)")
        #expect(first.stderr.contains("trained the classifier"))
        #expect(!first.stderr.contains("sentence encoder"), "\(first.stderr)")
        // The examples' vectors are kept beside the model.
        let files = (try? FileManager.default.contentsOfDirectory(atPath: sandbox.root + "/models")) ?? []
        #expect(files.contains { $0.hasPrefix("vectors-") && $0.hasSuffix(".bin") }, "\(files)")

        // The same request in French: no word of it is in the examples, but its meaning is.
        let bot = try sandbox.smallBot()
        let french = #"{"id":"2","session":"s2","customer":"c-2","text":"Où est ma commande ?"}"#
        let answered = try runRapport(["serve", "--intents", bot, "--db", sandbox.root + "/serve.sqlite", "--model-cache", sandbox.root + "/models",
                                       "--matcher", "hybrid"], stdin: french + "\n", environment: environment)
        #expect(answered.stdout.split(separator: "\n").last?.contains("It's on its way.") == true, "\(answered.stdout)")
        let words = try runRapport(["serve", "--intents", bot, "--db", sandbox.root + "/serve.sqlite", "--model-cache", sandbox.root + "/models",
                                    "--matcher", "words"],
                                   stdin: french.replacingOccurrences(of: "s2", with: "s3") + "\n", environment: environment)
        #expect(words.stdout.split(separator: "\n").last?.contains("It's on its way.") == false, "words alone should not understand it: \(words.stdout)")

        let second = try serve([], sandbox: sandbox, environment: environment)
        #expect(second.ready["matcher"] as? String == "hybrid")
        #expect(!second.stderr.contains("trained"), "\(second.stderr)")
        #expect(second.lines.count == 2 && second.lines[1].contains("Delivery is £3.95."))
    }

    @Test func withoutTheModelTheHybridSaysWhyOnceAndRunsOnWords() throws {
        let sandbox = Sandbox()
        var environment = sandbox.environment
        environment["RAPPORT_ENCODER"] = sandbox.root + "/no-encoder-here"
        let result = try serve(["--matcher", "hybrid"], sandbox: sandbox, environment: environment)
        #expect(result.ready["matcher"] as? String == "words")
        #expect((result.ready["matcher_note"] as? String)?.contains("no-encoder-here/sp.model: cannot be read") == true, "\(result.ready)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("sentence encoder") }
        #expect(warnings == ["rapport: the sentence encoder cannot be used (\(sandbox.root)/no-encoder-here/sp.model: cannot be read (No such file or directory)): matching on words alone"])
        #expect(result.lines.count == 2 && result.lines[1].contains("Delivery is £3.95."))
    }

    /// chat keeps piped output clean of training notes, but not of this.
    @Test func chatSaysOnceOnStandardErrorWhyTheHybridIsNotUsed() throws {
        let sandbox = Sandbox()
        let bot = try sandbox.smallBot()
        var environment = sandbox.environment
        environment["RAPPORT_ENCODER"] = sandbox.root + "/no-encoder-here"
        let result = try runRapport(["chat", "--intents", bot, "--matcher", "hybrid", "--model-cache", sandbox.root + "/models"],
                                    stdin: "how much is delivery\n", environment: environment)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Delivery is £3.95."))
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("sentence encoder") }.count == 1, "\(result.stderr)")

        environment["RAPPORT_MATCHER"] = "hybird"
        let misspelt = try runRapport(["chat", "--intents", bot, "--model-cache", sandbox.root + "/models"],
                                      stdin: "hi\n", environment: environment)
        #expect(misspelt.stderr.contains("rapport: RAPPORT_MATCHER=hybird is not a matcher (words or hybrid): matching on words alone"))
    }

    @Test func withoutTheModelTheDefaultSaysWhyOnceAndRunsOnWords() throws {
        let sandbox = Sandbox()
        var environment = sandbox.environment
        environment.removeValue(forKey: "RAPPORT_MATCHER")
        environment["RAPPORT_ENCODER"] = sandbox.root + "/no-encoder-here"
        let result = try serve([], sandbox: sandbox, environment: environment)
        #expect(result.ready["matcher"] as? String == "words")
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("sentence encoder") }.count == 1, "\(result.stderr)")
        #expect(result.lines.count == 2 && result.lines[1].contains("Delivery is £3.95."))
    }

    @Test func wordsAloneAskedForNeedNoModelAndSayNothing() throws {
        let sandbox = Sandbox()
        var environment = sandbox.environment
        environment.removeValue(forKey: "RAPPORT_MATCHER")
        environment["RAPPORT_ENCODER"] = sandbox.root + "/no-encoder-here"
        let result = try serve(["--matcher", "words"], sandbox: sandbox, environment: environment)
        #expect(result.ready["matcher"] as? String == "words")
        #expect(result.ready["matcher_note"] as? String == "asked for with --matcher; the default adds the sentence encoder")
        #expect(!result.stderr.contains("sentence encoder"), "\(result.stderr)")
    }
}
