import Foundation
import Testing

@Suite("rapport chat, run as a process")
struct ChatCommandTests {
    @Test func pipedInputPrintsACleanConversation() throws {
        let sandbox = Sandbox()
        let result = try runRapport(["chat", "--intents", RapportBinary.bundledIntents, "--seed", "1"],
                                    stdin: "hi\nwhere is my order HP-10442\n", environment: sandbox.environment)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(!result.stdout.contains("\u{1B}"), "no escape codes when output is not a terminal")
        // Suggested answers ("You could ask: ...") depend on today's date against the order's due day.
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("  You could ask: ") }
        try #require(lines.count == 6, "welcome, two exchanges, farewell: \(lines)")
        #expect(lines[0].hasPrefix("Pip: ") && lines[0].contains("Harbour & Pine"))
        #expect(lines[1] == "you> hi")
        #expect(lines[2].hasPrefix("Pip: "))
        #expect(lines[3] == "you> where is my order HP-10442")
        #expect(lines[4].hasPrefix("Pip: Order HP-10442 (a wool jumper and a mug) is on its way"))
        #expect(lines[5].hasPrefix("Pip: ") && lines[5].contains("oodbye"))
    }

    @Test func plainRapportRunsTheChatFromTheRepository() throws {
        let sandbox = Sandbox()
        let repository = (RapportBinary.bundledIntents as NSString).deletingLastPathComponent
        let result = try runRapport([], stdin: "thanks\n", environment: sandbox.environment, directory: repository)
        #expect(result.status == 0)
        #expect(result.stdout.contains("you> thanks\nPip: "))
        // The conversation went to the default per-user database.
        #expect(FileManager.default.fileExists(atPath: sandbox.root + "/data/rapport/rapport.sqlite"))
    }

    @Test func rapportOnPathFindsItsBundledBotFromAnyFolder() throws {
        let sandbox = Sandbox()
        let bin = sandbox.root + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/rapport", withDestinationPath: RapportBinary.path)
        var environment = sandbox.environment
        environment["PATH"] = bin + ":/usr/bin:/bin"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Started as plain "rapport" from a folder with no intents/ in it.
        process.arguments = ["-c", "cd \"$HOME\" && printf 'thanks\\n' | rapport"]
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("you> thanks\nPip: "))
    }

    @Test func theSameSeedGivesTheSameConversation() throws {
        let sandbox = Sandbox()
        let arguments = ["chat", "--intents", RapportBinary.bundledIntents, "--seed", "99"]
        let input = "hi\nhello\nthanks\nhi\nwhat are you\n"
        let first = try runRapport(arguments, stdin: input, environment: sandbox.environment)
        let second = try runRapport(arguments, stdin: input, environment: sandbox.environment)
        #expect(first.stdout == second.stdout)
    }

    @Test func aMissingIntentsFolderIsOneErrorLineAndStatusOne() throws {
        let sandbox = Sandbox()
        let result = try runRapport(["chat", "--intents", sandbox.root + "/nowhere"], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "rapport: \(sandbox.root)/nowhere: error: intents folder not found; pass --intents DIR with the folder holding bot.yaml\n")
    }

    @Test("a customer id with a control character is refused before anything is stored", arguments: [
        ("victim\u{1}x", "rapport: --customer must not hold control characters; it has U+0001 at character 7\n"),
        ("a\nb", "rapport: --customer must not hold control characters; it has U+000A at character 2\n"),
        ("", "rapport: --customer must not be empty\n"),
    ])
    func badCustomer(id: String, message: String) throws {
        let sandbox = Sandbox()
        let result = try runRapport(["chat", "--intents", RapportBinary.bundledIntents, "--customer", id, "--db", sandbox.root + "/r.sqlite"],
                                    stdin: "hi\n", environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == message)
        #expect(!FileManager.default.fileExists(atPath: sandbox.root + "/r.sqlite"))
    }

    @Test func aBrokenIntentsFileNamesFileLineAndColumn() throws {
        let sandbox = Sandbox()
        let copy = sandbox.root + "/intents"
        try FileManager.default.copyItem(atPath: RapportBinary.bundledIntents, toPath: copy)
        let orders = copy + "/orders.yaml"
        let text = try String(contentsOfFile: orders, encoding: .utf8)
        try text.replacingOccurrences(of: "    examples:", with: "    exmaples:").write(toFile: orders, atomically: true, encoding: .utf8)
        let result = try runRapport(["chat", "--intents", copy], stdin: "hi\n", environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout == "", "a broken bot must not start a conversation")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        // The line of order_status's examples, the first intent's, wherever the file has it.
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "    examples:" }) + 1
        #expect(lines.contains("rapport: \(orders):\(line):5: error: unknown key 'exmaples' in intent 'order_status'; did you mean 'examples'?"))
        #expect(lines.allSatisfy { $0.hasPrefix("rapport: \(orders):") && $0.contains(": error: ") })
    }

    @Test func aDatabaseThatIsNotOneIsOneErrorLineAndLeftUntouched() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/important.txt"
        let contents = Data(String(repeating: "my precious notes\n", count: 300).utf8)
        _ = FileManager.default.createFile(atPath: path, contents: contents)
        let result = try runRapport(["chat", "--intents", RapportBinary.bundledIntents, "--db", path],
                                    stdin: "hi\n", environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "rapport: \(path): not a rapport database, or it is damaged; it was left untouched. Move it aside or choose another file with --db PATH\n")
        #expect(FileManager.default.contents(atPath: path) == contents)
    }

    @Test func anUnwritableDatabasePlaceIsOneErrorLine() throws {
        let sandbox = Sandbox()
        let blocker = sandbox.root + "/a-file"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data())
        let result = try runRapport(["chat", "--intents", RapportBinary.bundledIntents, "--db", blocker + "/rapport.sqlite"],
                                    stdin: "hi\n", environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("cannot create or write the database"))
    }

    @Test func helpDescribesTheOptions() throws {
        let result = try runRapport(["chat", "--help"], environment: Sandbox().environment)
        #expect(result.status == 0)
        for option in ["--intents <DIR>", "--db <PATH|URL>", "--customer <ID>", "--seed <N>", "--debug"] {
            #expect(result.stdout.contains(option))
        }
    }
}
