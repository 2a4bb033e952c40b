import Foundation
import Testing

/// The bot is trained once and its model read back at every later start:
/// `rapport train`, and what chat, serve and test do with the model cache.
@Suite("Trained models saved and read back, run as a process")
struct ModelCacheCommandTests {
    static let question = #"{"id":"1","session":"s1","customer":"c-1","text":"how much is delivery"}"#


    /// `rapport serve` on `cache`, asked one question: its output lines and standard error.
    func serve(cache: String, sandbox: Sandbox, intents: String) throws -> (lines: [String], stderr: String) {
        let result = try runRapport(["serve", "--intents", intents, "--db", sandbox.root + "/serve.sqlite", "--model-cache", cache],
                                    stdin: Self.question + "\n", environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        return (result.stdout.split(separator: "\n").map(String.init), result.stderr)
    }

    func modelFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".model") }
    }

    @Test func trainSavesTheModelAndSaysWhereThenFindsItUpToDate() throws {
        let sandbox = Sandbox()
        let bot = try sandbox.smallBot()
        let cache = sandbox.root + "/models"
        let first = try runRapport(["train", "--intents", bot, "--model-cache", cache], environment: sandbox.environment)
        #expect(first.status == 0)
        let files = modelFiles(in: cache)
        #expect(files.count == 1)
        #expect(first.stdout.hasPrefix("trained 3 intents on words alone in "))
        #expect(first.stdout.contains(cache + "/" + (files.first ?? "?")))

        let second = try runRapport(["train", "--intents", bot, "--model-cache", cache], environment: sandbox.environment)
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("up to date: \(cache)/"))

        let forced = try runRapport(["train", "--force", "--intents", bot, "--model-cache", cache], environment: sandbox.environment)
        #expect(forced.stdout.hasPrefix("trained "))
        #expect(modelFiles(in: cache) == files)
    }

    @Test func withNoCacheNamedTheModelGoesUnderXDGCacheHome() throws {
        let sandbox = Sandbox()
        var environment = sandbox.environment
        environment.removeValue(forKey: "RAPPORT_MODEL_CACHE")
        let result = try runRapport(["serve", "--intents", try sandbox.smallBot(), "--db", sandbox.root + "/serve.sqlite"],
                                    stdin: Self.question + "\n", environment: environment)
        #expect(result.status == 0)
        #expect(result.stdout.contains("delivery_costs"))
        #expect(modelFiles(in: sandbox.root + "/cache/rapport/models").count == 1)
    }

    /// A cache file cut short, overwritten with junk or emptied is never
    /// trusted: serve says so on stderr, answers as usual, and replaces it.
    @Test("a damaged model file is trained again, answered from and replaced", arguments: ["cut", "junk", "empty"])
    func damagedModel(_ damage: String) throws {
        let sandbox = Sandbox()
        let cache = sandbox.root + "/models"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let bot = try sandbox.smallBot()
        let trained = try runRapport(["train", "--intents", bot, "--model-cache", cache], environment: sandbox.environment)
        let file = try #require(trained.stdout.split(separator: " ").last.map { String($0.dropLast()) }, "\(trained.stdout)")
        let good = try Data(contentsOf: URL(fileURLWithPath: file))
        let bad: Data = switch damage {
        case "cut": good.prefix(good.count / 3)
        case "junk": Data((0..<good.count).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        default: Data()
        }
        try bad.write(to: URL(fileURLWithPath: file))

        let (lines, stderr) = try serve(cache: cache, sandbox: sandbox, intents: bot)
        #expect(lines.first?.contains(#""type":"ready""#) == true)
        #expect(lines.count == 2 && lines[1].contains(#""name":"delivery_costs""#))
        #expect(stderr.contains("\(file): not used ("), "\(stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == good)
        // The replacement is used from then on, silently.
        #expect(try serve(cache: cache, sandbox: sandbox, intents: bot).stderr.isEmpty)
    }

    @Test func aCacheThatCannotBeWrittenStillServes() throws {
        let sandbox = Sandbox()
        let blocker = sandbox.root + "/not-a-folder"
        try Data("a file".utf8).write(to: URL(fileURLWithPath: blocker))
        let (lines, stderr) = try serve(cache: blocker, sandbox: sandbox, intents: try sandbox.smallBot())
        #expect(lines.count == 2 && lines[1].contains(#""name":"delivery_costs""#))
        #expect(stderr.contains("cannot save the trained model"))
    }

    @Test func aChangedBotIsTrainedAgainAndAnswersFromItsNewExamples() throws {
        let sandbox = Sandbox()
        let intents = try sandbox.smallBot()
        let cache = sandbox.root + "/models"
        _ = try runRapport(["train", "--intents", intents, "--model-cache", cache], environment: sandbox.environment)
        let topic = intents + "/shop.yaml"
        let text = try String(contentsOfFile: topic, encoding: .utf8)
        // A made-up word taught to the greeting intent.
        let taught = text.replacingOccurrences(of: "[hi, hello,", with: "[hi, zorblax, hello,")
        #expect(taught != text)
        try taught.write(toFile: topic, atomically: true, encoding: .utf8)
        let retrained = try runRapport(["train", "--intents", intents, "--model-cache", cache], environment: sandbox.environment)
        #expect(retrained.stdout.hasPrefix("trained "))
        #expect(modelFiles(in: cache).count == 2)
        let answer = try runRapport(["serve", "--intents", intents, "--db", sandbox.root + "/serve.sqlite", "--model-cache", cache],
                                    stdin: #"{"session":"s","text":"zorblax"}"# + "\n", environment: sandbox.environment)
        #expect(answer.stdout.contains(#""name":"greet""#), "\(answer.stdout)")
        #expect(answer.stderr.isEmpty)
    }

    @Test func serversStartingTogetherOnAColdCacheAllServe() throws {
        let sandbox = Sandbox()
        let bot = try sandbox.smallBot()
        let cache = sandbox.root + "/models"
        let servers = try (0..<4).map { index in
            try ServeProcess(["--intents", bot, "--model-cache", cache, "--db", sandbox.root + "/serve-\(index).sqlite"], sandbox: sandbox)
        }
        for server in servers {
            #expect(try server.receive()["type"] as? String == "ready")
            server.send(Self.question)
            #expect((try server.receive()["intent"] as? [String: Any])?["name"] as? String == "delivery_costs")
            try server.closeInput()
            #expect(try server.waitForExit() == 0)
        }
        #expect(modelFiles(in: cache).count == 1)
        let check = try runRapport(["train", "--intents", bot, "--model-cache", cache], environment: sandbox.environment)
        #expect(check.stdout.hasPrefix("up to date"))
    }
}
