import Foundation
import Testing

/// Drives `rapport chat` through a pseudo-terminal, as a person at a keyboard
/// would, to prove the console really runs on GNU readline.
@Suite("The readline console on a terminal", .serialized)
struct ConsoleTerminalTests {
    static let up = "\u{1B}[A"
    static let orderReply = "confirmation email"
    static let greetings = ["How can I help you today?", "What can I do for you?", "What can I help you with?"]

    func start(_ sandbox: Sandbox, with extra: [String: String] = [:]) throws -> PseudoTerminal {
        var environment = sandbox.environment
        environment["TERM"] = "xterm"
        environment["COLUMNS"] = "200"
        environment["LINES"] = "50"
        environment.merge(extra) { $1 }
        return try PseudoTerminal(arguments: ["chat", "--intents", RapportBinary.bundledIntents], environment: environment)
    }

    @Test func typingRecallingCompletingInterruptingAndLeaving() throws {
        let sandbox = Sandbox()
        let terminal = try start(sandbox)
        var mark = try terminal.waitFor("you> ")
        // Colour on a terminal: the bot's name is painted.
        #expect(terminal.screen.contains("\u{1B}[1;36mPip:\u{1B}[0m"))

        terminal.type("where is my order\r")
        mark = try terminal.waitFor(Self.orderReply, after: mark)
        mark = try terminal.waitFor("you> ", after: mark)

        // Up recalls the line from history; Enter sends it again.
        terminal.type(Self.up)
        mark = try terminal.waitFor("where is my order", after: mark)
        terminal.type("\r")
        mark = try terminal.waitFor(Self.orderReply, after: mark)
        mark = try terminal.waitFor("you> ", after: mark)

        // Tab completes /he to /help.
        terminal.type("/he\t")
        mark = try terminal.waitFor("/help", after: mark)
        terminal.type("\r")
        mark = try terminal.waitFor("Commands (Tab completes them)", after: mark)
        mark = try terminal.waitFor("you> ", after: mark)

        // Ctrl-C abandons the half-typed line; the console carries on.
        terminal.type("cancel my ord")
        mark = try terminal.waitFor("cancel my ord", after: mark)
        terminal.type("\u{03}")
        mark = try terminal.waitFor("^C", after: mark)
        mark = try terminal.waitFor("you> ", after: mark)
        #expect(terminal.isRunning)
        terminal.type("hi\r")
        let afterHi = try terminal.waitFor("Pip:", after: mark)
        terminal.pump(milliseconds: 200)
        let reply = String(terminal.screen[afterHi...])
        #expect(Self.greetings.contains { reply.contains($0) }, "the abandoned line must not reach the bot: \(reply)")
        #expect(!reply.contains("Orders can be cancelled"))
        mark = try terminal.waitFor("you> ", after: afterHi)

        // Ctrl-D leaves cleanly with a goodbye.
        terminal.type("\u{04}")
        try terminal.waitFor("oodbye", after: mark)
        #expect(try terminal.waitForExit() == 0)

        let history = try String(contentsOfFile: sandbox.root + "/state/rapport/history", encoding: .utf8)
        #expect(history.split(separator: "\n").map(String.init) == ["where is my order", "/help ", "hi"], "lines are kept as typed, with the space completion adds")
    }

    @Test func historyIsKeptAcrossRuns() throws {
        let sandbox = Sandbox()
        do {
            let first = try start(sandbox)
            let mark = try first.waitFor("you> ")
            first.type("how much is delivery\r")
            let answered = try first.waitFor("Standard delivery is", after: mark)
            // Keys typed before the prompt is back can be lost by the terminal, as for a person.
            try first.waitFor("you> ", after: answered)
            first.type("\u{04}")
            #expect(try first.waitForExit() == 0)
        }
        let second = try start(sandbox)
        var mark = try second.waitFor("you> ")
        second.type(Self.up)
        mark = try second.waitFor("how much is delivery", after: mark)
        second.type("\r")
        try second.waitFor("Standard delivery is", after: mark)
        second.type("/quit\r")
        #expect(try second.waitForExit() == 0)
    }

    @Test func theHistoryFileNeverHoldsMoreThanItsLimit() throws {
        let sandbox = Sandbox()
        let terminal = try start(sandbox, with: ["RAPPORT_HISTORY_SIZE": "3"])
        var mark = try terminal.waitFor("you> ")
        for line in ["hi", "thanks", "where is my order", "how much is delivery", "hello"] {
            terminal.type(line + "\r")
            mark = try terminal.waitFor("Pip:", after: mark)
            mark = try terminal.waitFor("you> ", after: mark)
        }
        // Checked while rapport is still running: the cap holds as it goes, not only at the next start.
        let history = try String(contentsOfFile: sandbox.root + "/state/rapport/history", encoding: .utf8)
        #expect(history.split(separator: "\n").map(String.init) == ["where is my order", "how much is delivery", "hello"])
        terminal.type("/quit\r")
        #expect(try terminal.waitForExit() == 0)
    }

    @Test func sigtermGivesTheTerminalBackAndSaysGoodbye() throws {
        let sandbox = Sandbox()
        let terminal = try start(sandbox)
        let mark = try terminal.waitFor("you> ")
        terminal.type("half a line")
        try terminal.waitFor("half a line", after: mark)
        #expect(!terminal.localEcho, "readline has the terminal in raw mode while reading")
        kill(terminal.pid, SIGTERM)
        try terminal.waitFor("oodbye", after: mark)
        #expect(try terminal.waitForExit() == 0)
        #expect(terminal.localEcho, "the terminal is back in its normal mode, not left raw")
    }

    @Test func noColorTurnsColourOff() throws {
        let sandbox = Sandbox()
        let terminal = try start(sandbox, with: ["NO_COLOR": "1"])
        try terminal.waitFor("you> ")
        #expect(terminal.screen.contains("Pip: "))
        #expect(!terminal.screen.contains("\u{1B}[1;36m"))
        terminal.type("/quit\r")
        #expect(try terminal.waitForExit() == 0)
    }
}
