import ArgumentParser
import Foundation
import RapportCore
import RapportIO
import RapportIntents
import RapportStore

/// Options every command that runs the engine takes.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The folder holding the bot's intents (bot.yaml and one file per topic).",
        discussion: "Default: the bundled intents/ folder.", valueName: "DIR"))
    var intents: String?

    @Option(name: .long, help: ArgumentHelp(
        "The SQLite database for conversations.",
        discussion: "Default: $XDG_DATA_HOME/rapport/rapport.sqlite (~/.local/share/rapport/rapport.sqlite).",
        valueName: "PATH"))
    var db: String?

    /// Loads the bot and opens the store, or prints what to fix and fails with status 1.
    func openOrExit(environment: [String: String]) throws(ExitCode) -> (Engine, SQLiteConversationStore) {
        do {
            return try open(environment: environment)
        } catch {
            throw error.report()
        }
    }

    /// Loads the bot and opens the store, or fails with what to fix.
    private func open(environment: [String: String]) throws(CommandFailure) -> (Engine, SQLiteConversationStore) {
        let directory: String
        if let intents {
            directory = intents
        } else {
            directory = try BundledIntents.locate(environment: environment)
        }
        let bot: Bot
        do {
            bot = try BotLoader.load(directory: directory)
        } catch {
            throw CommandFailure(lines: error.problems.map(\.description))
        }
        guard let path = db ?? DefaultLocations(environment: environment).database else {
            throw CommandFailure(lines: ["no place for the database: HOME is not set; pass --db PATH"])
        }
        do {
            return (Engine(bot: bot), try SQLiteConversationStore(path: path))
        } catch {
            throw CommandFailure(lines: [error.description])
        }
    }
}

/// A failure the user can fix, as the lines to print. Thrown out of `run()`,
/// it becomes those lines on standard error and exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var lines: [String]

    var description: String { lines.joined(separator: "\n") }

    func report() -> ExitCode {
        for line in lines {
            OutputStream.standardError.write("rapport: \(line)\n")
        }
        return ExitCode(1)
    }
}

/// Finds the intents folder that ships with rapport when `--intents` is not given.
enum BundledIntents {
    /// In order: `$RAPPORT_INTENTS`; `./intents`; an `intents/` folder beside or
    /// above the executable (a `swift build` tree); `../share/rapport/intents`
    /// from the executable (an installed layout).
    static func locate(environment: [String: String]) throws(CommandFailure) -> String {
        if let path = environment["RAPPORT_INTENTS"], !path.isEmpty { return path }
        let manager = FileManager.default
        func holdsBot(_ folder: String) -> Bool {
            BotLoader.settingsFileNames.contains { manager.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
        }
        if holdsBot("intents") { return "intents" }
        // The real executable, wherever it was started from: argv[0] is only
        // "rapport" when it is found on PATH.
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
            .resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        let installed = folder.appendingPathComponent("../share/rapport/intents").standardized.path
        if holdsBot(installed) { return installed }
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("intents").path
            if holdsBot(candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw CommandFailure(lines: ["no bundled intents folder found near \(executable.path); pass --intents DIR"])
    }
}
