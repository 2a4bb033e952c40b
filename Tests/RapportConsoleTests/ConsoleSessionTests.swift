import Foundation
import Testing
import RapportTestSupport
import RapportCore
import RapportStore
@testable import RapportConsole

/// Feeds the console a script of inputs, as a customer would type them.
struct ScriptedReader: LineReader {
    var inputs: [LineInput]
    var isInteractive: Bool
    private(set) var prompts: [String] = []

    init(_ inputs: [LineInput], interactive: Bool = true) {
        self.inputs = inputs
        self.isInteractive = interactive
    }

    mutating func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }
}

struct CollectedOutput: ConsoleOutput {
    var text = ""
    var warnings = ""
    mutating func write(_ text: String) { self.text += text }
    mutating func warn(_ text: String) { warnings += text }
}



let bot = Bot(
    name: "Pip",
    welcome: [template("Welcome!")],
    fallback: [template("Sorry?")],
    farewell: [template("Farewell!")],
    intents: [
        Intent(name: "greet", topic: "smalltalk", summary: "Saying hello.", examples: ["hi", "hello"], responses: [template("Hello!")], resolves: false),
        Intent(name: "goodbye", topic: "smalltalk", examples: ["bye"], responses: [template("Bye!")], endsConversation: true),
        Intent(name: "order_status", topic: "orders", summary: "Where an order is.", examples: ["where is my order"], responses: [template("It's on its way.")]),
        Intent(name: "human_agent", topic: "help", examples: ["talk to a human"], responses: [template("A person will help.")], handsOff: true),
        Intent(name: "help", topic: "help", examples: ["what can you do"], responses: [template("I track orders.")],
               quickReplies: [QuickReply(title: "Track my order", message: "where is my order"), QuickReply(title: "A person", message: "talk to a human")]),
    ],
    lexicon: bundledLexicon
)

/// Runs a scripted console session. The hint the console shows under the
/// welcome at a terminal is left out of the output unless `keepHint`: one
/// test checks it, and the others are about what comes after.
func runConsole(
    _ inputs: [LineInput], interactive: Bool = true, debug: Bool = false, colour: Bool = false,
    store: any ConversationStore = MemoryConversationStore(), keepHint: Bool = false
) async -> (CollectedOutput, any ConversationStore) {
    var session = ConsoleSession(
        engine: Engine(bot: bot), store: store, reader: ScriptedReader(inputs, interactive: interactive),
        output: CollectedOutput(),
        settings: .init(customerID: "c-1", seed: 1, style: ConsoleStyle(colour: colour), debug: debug),
        sessionID: "s1", clock: { Date(timeIntervalSince1970: 1_800_000_000) }
    )
    await session.run()
    var output = session.output
    if !keepHint { output.text = output.text.replacingOccurrences(of: ConsoleText.firstHint + "\n", with: "") }
    return (output, store)
}

@Suite("The console session")
struct ConsoleSessionTests {
    @Test func aConversationFromWelcomeToFarewell() async throws {
        let (output, store) = await runConsole([.line("hi"), .line("where is my order"), .endOfInput], keepHint: true)
        // At a terminal the console adds its own hint under the welcome, once.
        #expect(output.text == "Pip: Welcome!\n\(ConsoleText.firstHint)\nPip: Hello!\nPip: It's on its way.\nPip: Farewell!\n")
        let turns = try await store.turns(inSession: "s1")
        #expect(turns.map(\.intent) == ["greet", "order_status"])
        #expect(try await store.sessions(ofCustomer: "c-1").first?.endedAt != nil)
    }

    @Test func theProfileCommandShowsWhatIsKeptAboutTheCustomer() async throws {
        let store = MemoryConversationStore()
        try await store.updateProfile(of: "c-1", [
            .visit(at: Date(timeIntervalSince1970: 1_700_000_000)), .trust(.resolvedRequest, delta: 12), .stage(.prospect),
            .remember(field: "first_name", ProfileFact(value: "Sam", source: .stated, at: Date(timeIntervalSince1970: 1_700_000_000), consent: true)),
            .decline(field: "email", at: Date(timeIntervalSince1970: 1_700_000_000)),
        ])
        let (output, after) = await runConsole([.line("/profile"), .endOfInput], store: store)
        #expect(output.text.contains("""
            Customer c-1
              loyalty stage: prospect; relationship level: reactive
              trust: 18 of 100 (questions up to tier 1)
              visits: 2; orders seen: 0
              profile questions: on
              known:
                first_name: Sam
              never to ask: email

            """), "\(output.text)")
        #expect(try await after.profile(of: "c-1")?.visits == 2, "this conversation was a visit")
    }

    @Test func pipedInputIsEchoedSoTheOutputReadsAsAConversation() async {
        let (output, _) = await runConsole([.line("hi"), .line("bye")], interactive: false, keepHint: true)
        // No hint for piped input: nobody is there to press keys.
        #expect(output.text == "Pip: Welcome!\nyou> hi\nPip: Hello!\nyou> bye\nPip: Bye!\n")
    }

    @Test func aGoodbyeEndsWithoutReadingMore() async {
        let (output, _) = await runConsole([.line("bye"), .line("hi")])
        #expect(output.text == "Pip: Welcome!\nPip: Bye!\n")
    }

    @Test func ctrlCAbandonsTheLineAndCarriesOn() async {
        let (output, _) = await runConsole([.interrupted, .interrupted, .line("hi"), .endOfInput])
        #expect(output.text == "Pip: Welcome!\nPip: Hello!\nPip: Farewell!\n")
    }

    @Test func blankLinesAreIgnored() async throws {
        let (output, store) = await runConsole([.line("   "), .line(""), .endOfInput])
        #expect(output.text == "Pip: Welcome!\nPip: Farewell!\n")
        #expect(try await store.turns(inSession: "s1").isEmpty)
    }

    @Test func quitSaysFarewell() async {
        let (output, _) = await runConsole([.line("/quit"), .line("hi")])
        #expect(output.text == "Pip: Welcome!\nPip: Farewell!\n")
    }

    @Test func debugTogglesTheSupportView() async {
        let (output, _) = await runConsole([.line("/debug"), .line("hi"), .line("/debug"), .line("hello"), .endOfInput])
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines == [
            "Pip: Welcome!",
            "Debug view on. Matching on words alone.",
            "Pip: Hello!",
            "  [debug] intent: greet (confidence 1.00)",
            "  [debug] next: order_status 0.00, help 0.00, goodbye 0.00",
            "  [debug] state: turns: 0 → 1; last intent: none → greet; topic: none → smalltalk; focus: nothing → intent=greet (4)",
            "Debug view off.",
            "Pip: Hello!",
            "Pip: Farewell!",
        ])
    }

    @Test func debugSaysWhenAPatternDecided() async throws {
        let pattern = try IntentPattern(parsing: "where is my parcel*")
        var patterned = bot
        patterned.intents[2].patterns = [pattern]
        var session = ConsoleSession(
            engine: Engine(bot: patterned), store: MemoryConversationStore(), reader: ScriptedReader([.line("where is my parcel now"), .endOfInput]),
            output: CollectedOutput(), settings: .init(customerID: "c", seed: 1, style: ConsoleStyle(colour: false), debug: true),
            sessionID: "s", clock: { Date(timeIntervalSince1970: 0) }
        )
        await session.run()
        #expect(session.output.text.contains("  [debug] intent: order_status (by pattern)\n"))
    }

    @Test func debugExplainsAFallback() async {
        let (output, _) = await runConsole([.line("quantum flux"), .endOfInput], debug: true)
        #expect(output.text.contains("  [debug] intent: none, fell back (best was "))
        #expect(output.text.contains("threshold 0.45)"))
        #expect(output.text.contains("misses in a row: 0 → 1"))
    }

    @Test func restartStartsOver() async {
        let (output, _) = await runConsole([.line("hi"), .line("/restart"), .endOfInput], debug: true)
        #expect(output.text.contains("Starting over.\nPip: Welcome!\n  [debug] state: last intent: greet → none; topic: smalltalk → none; focus: intent=greet (4) → nothing\n"))
    }

    @Test func helpListsTopicsAndCommands() async {
        let (output, _) = await runConsole([.line("/help"), .endOfInput])
        #expect(output.text.contains("  smalltalk: Saying hello.\n"))
        #expect(output.text.contains("  orders: Where an order is.\n"))
        for command in ["/help", "/debug", "/profile", "/feedback", "/record", "/restart", "/quit"] {
            #expect(output.text.contains("  \(command)"))
        }
    }

    @Test func anUnknownCommandIsNamedNotSentToTheBot() async throws {
        let (output, store) = await runConsole([.line("/frobnicate now"), .endOfInput])
        #expect(output.text.contains("Unknown command /frobnicate. Type /help to see the commands.\n"))
        #expect(try await store.turns(inSession: "s1").isEmpty)
    }

    @Test func quickRepliesAreShownAsThingsToType() async {
        let (output, _) = await runConsole([.line("what can you do"), .endOfInput])
        #expect(output.text.contains("Pip: I track orders.\n  You could ask: \"where is my order\", \"talk to a human\"\n"))
    }

    @Test func aHandoffSummaryNamesTheStageAndWhatIsKnown() async throws {
        let store = MemoryConversationStore()
        try await store.updateProfile(of: "c-1", [
            .stage(.customer),
            .remember(field: "first_name", ProfileFact(value: "Sam", source: .stated, at: Date(timeIntervalSince1970: 1_700_000_000), consent: true)),
        ])
        let (output, _) = await runConsole([.line("talk to a human"), .endOfInput], store: store)
        #expect(output.text.contains("   loyalty stage: customer\n   known about them: first_name Sam\n"), "\(output.text)")
    }

    @Test func aHandoffShowsTheAgentsSummary() async {
        let (output, _) = await runConsole([.line("where is my order"), .line("talk to a human"), .endOfInput])
        #expect(output.text.contains("""
            Pip: A person will help.
            -- Handing over to a person (the customer asked, or said yes to a person an answer offered). For the agent:
               loyalty stage: prospect
               first message: where is my order
               last topic: order_status (orders)
               not understood: 0 messages
               conversation so far: 4 lines

            """))
    }

    @Test func controlCharactersAreNeverPrintedRaw() async {
        let (output, _) = await runConsole([.line("\u{1B}[31mhi\u{07}"), .endOfInput], interactive: false)
        #expect(!output.text.contains("\u{1B}"))
        #expect(!output.text.contains("\u{07}"))
        #expect(output.text.contains("you> ^[[31mhi^G\n"))
    }

    @Test func colourWrapsTheBotNameAndPromptOnly() async {
        let (output, _) = await runConsole([.line("hi"), .endOfInput], interactive: false, colour: true)
        #expect(output.text.hasPrefix("\u{1B}[1;36mPip:\u{1B}[0m Welcome!\n\u{1B}[1;32myou> \u{1B}[0mhi\n"))
    }

    @Test func aFailingStoreWarnsOnceAndTheConversationGoesOn() async {
        let (output, _) = await runConsole([.line("hi"), .line("where is my order"), .endOfInput], store: FailingStore())
        #expect(output.text == "Pip: Welcome!\nPip: Hello!\nPip: It's on its way.\nPip: Farewell!\n")
        #expect(output.warnings == "rapport: warning: this conversation is not being saved: database error while trying to begin a session: disk full\n")
    }
}

@Suite("Recording at the console")
struct ConsoleRecordingTests {
    /// Runs a console that saves transcripts into a dictionary instead of files.
    func run(_ inputs: [LineInput], recordPath: String? = nil, failSaving: Bool = false) async -> (CollectedOutput, [String: String]) {
        nonisolated(unsafe) var saved: [String: String] = [:]
        var session = ConsoleSession(
            engine: Engine(bot: bot), store: MemoryConversationStore(), reader: ScriptedReader(inputs),
            output: CollectedOutput(),
            settings: .init(customerID: "c-1", seed: 1, style: ConsoleStyle(colour: false), recordPath: recordPath),
            sessionID: "s1", clock: { Date(timeIntervalSince1970: 1_800_000_000) },
            saveTranscript: { path, text in
                if failSaving { throw CocoaError(.fileWriteNoPermission) }
                saved[path] = text
            }
        )
        await session.run()
        return (session.output, saved)
    }

    @Test func recordFromTheStartSavesEveryTurn() async throws {
        let (_, saved) = await run([.line("hi"), .line("where is my order"), .endOfInput], recordPath: "t.convo.txt")
        let text = try #require(saved["t.convo.txt"])
        #expect(text.hasPrefix("---\ncustomer: c-1\nseed: 1\nclock: 2027-01-15T08:00:00Z\n---\nRecorded conversation, 2027-01-15T08:00:00Z\n\n#bot\nWelcome!\n\n#me\nhi\n\n#bot\nHello!\nINTENT greet\n"))
        #expect(text.hasSuffix("#me\n/quit\n\n#bot\nFarewell!\nEVENT session_ended\n"))
    }

    @Test func recordMidConversationSavesWhatCameBefore() async throws {
        let (output, saved) = await run([.line("hi"), .line("/record later.convo.txt"), .line("where is my order"), .line("/record"), .endOfInput])
        let text = try #require(saved["later.convo.txt"])
        #expect(text.contains("#me\nhi\n"), "the turns before /record are in the file")
        #expect(text.contains("#me\nwhere is my order\n"))
        #expect(!text.contains("/record"), "console commands other than /restart and /quit are not part of the conversation")
        #expect(output.text.contains("Recording to later.convo.txt: the conversation so far is saved, and each turn after it.\n"))
        #expect(output.text.contains("Recording to later.convo.txt.\n"))
    }

    @Test func aTranscriptThatCannotBeSavedStopsRecordingWithOneWarning() async {
        let (output, saved) = await run([.line("hi"), .line("hello"), .endOfInput], recordPath: "/nowhere/t.convo.txt", failSaving: true)
        #expect(saved.isEmpty)
        #expect(output.warnings.components(separatedBy: "cannot save the transcript").count == 2, "warned exactly once: \(output.warnings)")
        #expect(output.text.contains("Pip: Hello!"), "the conversation goes on")
    }
}

@Suite("Console pieces")
struct ConsolePiecesTests {
    @Test("colour only on a terminal without NO_COLOR", arguments: [
        (true, [String: String](), true),
        (false, [:], false),
        (true, ["NO_COLOR": "1"], false),
        (true, ["NO_COLOR": ""], true),
    ])
    func colour(terminal: Bool, environment: [String: String], expected: Bool) {
        #expect(ConsoleStyle.detect(outputIsTerminal: terminal, environment: environment).colour == expected)
    }

    @Test func readlinePromptsMarkTheirEscapesAsInvisible() async {
        #expect(ConsoleStyle(colour: true).readlinePrompt("you> ") == "\u{1}\u{1B}[1;32m\u{2}you> \u{1}\u{1B}[0m\u{2}")
        #expect(ConsoleStyle(colour: false).readlinePrompt("you> ") == "you> ")
    }

    @Test("slash commands", arguments: [
        ("/help", SlashCommand.Parsed.command(.help, argument: "")),
        ("  /DEBUG  ", .command(.debug, argument: "")),
        ("/exit", .command(.quit, argument: "")),
        ("/restart please", .command(.restart, argument: "please")),
        ("/record  My File.convo.txt ", .command(.record, argument: "My File.convo.txt")),
        ("/nope", .unknown("/nope")),
        ("/", .message),
        ("where is my order", .message),
        ("1/2 price?", .message),
    ])
    func parse(line: String, expected: SlashCommand.Parsed) {
        #expect(SlashCommand.parse(line) == expected)
    }

    @Test func completionsAreEverySlashCommand() async {
        #expect(SlashCommand.completions == ["/help", "/debug", "/profile", "/feedback", "/record", "/restart", "/quit"])
    }

    @Test("terminal text", arguments: [
        ("plain text, café ✓", "plain text, café ✓"),
        ("\u{1B}[2J", "^[[2J"),
        ("tab\tkept", "tab\tkept"),
        ("bell\u{07}", "bell^G"),
        ("del\u{7F}", "del^?"),
        ("c1\u{9B}31m", "c1\u{FFFD}31m"),
    ])
    func sanitized(input: String, expected: String) {
        #expect(TerminalText.sanitized(input) == expected)
    }
}
