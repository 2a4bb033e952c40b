import ArgumentParser
import Foundation
import RapportConsole
import RapportIO
import RapportCore
import RapportStore
#if canImport(Glibc)
import Glibc
#endif

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with the bot in a readline console (the default command).",
        discussion: """
            At a terminal: line editing, history (Up/Down, kept across runs), Tab to
            complete /commands. \(ConsoleText.keys)
            With piped input, reads plain lines and prints a clean conversation:
              printf 'hi\\nwhere is my order\\n' | rapport chat
            Commands: \(SlashCommand.completions.joined(separator: " ")). Colour is used only
            when output is a terminal and NO_COLOR is unset.
            """
    )

    @OptionGroup var engine: EngineOptions

    @Option(help: ArgumentHelp("Who is chatting: the customer id conversations are stored under.",
                               discussion: "Default: local:<your user name>.", valueName: "ID"))
    var customer: String?

    @Option(help: ArgumentHelp("Seed for the choice of reply variants, for a repeatable conversation.",
                               valueName: "N"))
    var seed: UInt64?

    @Flag(help: "Start with the debug view on (as /debug does).")
    var debug = false

    @Option(help: ArgumentHelp(
        "Save the conversation as a transcript (.convo.txt) that `rapport test` can replay.",
        valueName: "FILE"))
    var record: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if let customer, let problem = Identifier.problem(in: customer) {
            throw CommandFailure(lines: [problem.message(for: "--customer")]).report()
        }
        // At a terminal, a first start (or one after the bot's examples
        // changed) says why it takes a few seconds; piped output stays clean.
        let (engine, store) = try await self.engine.openOrExit(environment: environment, willTrain: {
            if isatty(STDERR_FILENO) == 1 {
                OutputStream.standardError.write("rapport: getting the bot ready (training on its examples; saved, so only once)...\n")
            }
        })
        let settings = ConsoleSettings(
            customerID: customer ?? "local:\(environment["USER"] ?? NSUserName())",
            seed: seed ?? UInt64.random(in: .min ... .max),
            style: .detect(outputIsTerminal: isatty(STDOUT_FILENO) == 1, environment: environment),
            debug: debug,
            recordPath: record
        )
        func converse<Reader: LineReader>(with reader: Reader) async {
            var session = ConsoleSession(
                engine: engine, store: store, reader: reader, output: TerminalOutput(),
                settings: settings, sessionID: UUID().uuidString.lowercased(), clock: Date.init
            )
            await session.run()
        }
        if isatty(STDIN_FILENO) == 1 {
            await converse(with: ReadlineLineReader(
                historyPath: DefaultLocations(environment: environment).history,
                historyLimit: environment["RAPPORT_HISTORY_SIZE"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 1000,
                completions: SlashCommand.completions
            ))
        } else {
            await converse(with: PlainLineReader())
        }
    }
}

/// The console's output on the real terminal: stdout for the conversation,
/// stderr for warnings, both unbuffered so they interleave with readline's.
struct TerminalOutput: ConsoleOutput {
    mutating func write(_ text: String) {
        OutputStream.standardOutput.write(text)
    }

    mutating func warn(_ text: String) {
        OutputStream.standardError.write(text)
    }
}
