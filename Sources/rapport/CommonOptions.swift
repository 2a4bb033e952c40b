import ArgumentParser
import Foundation
import RapportCore
import RapportIO
import RapportIntents
import RapportModelCache
import RapportPostgres
import RapportStore

/// Options every command that runs the engine takes.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The folder holding the bot's intents (bot.yaml and one file per topic).",
        discussion: "Default: the bundled intents/ folder.", valueName: "DIR"))
    var intents: String?

    @Option(name: .long, help: ArgumentHelp(
        "Where conversations are kept: a SQLite file, or a PostgreSQL database (postgres://user@host:5432/db).",
        discussion: "Default: $RAPPORT_DATABASE_URL, else $XDG_DATA_HOME/rapport/rapport.sqlite (~/.local/share/rapport/rapport.sqlite). See docs/STORE.md.",
        valueName: "PATH|URL"))
    var db: String?

    @OptionGroup var models: ModelOptions

    /// Loads the bot and opens the store, or prints what to fix and fails with status 1.
    /// `log` is told when the model had to be trained (and why a saved one was not used).
    func openOrExit(
        environment: [String: String], log: (String) -> Void = { _ in }, willTrain: () -> Void = {}
    ) async throws(ExitCode) -> (Engine, any ConversationStore) {
        do throws(CommandFailure) {
            let encoderLoading = models.encoderInBackground(environment: environment)
            let bot = try loadBot(environment: environment)
            let store = try await StoreLocation(db, environment: environment).open()
            return (models.engine(for: bot, environment: environment, log: log, willTrain: willTrain, encoderLoading: encoderLoading), store)
        } catch {
            throw error.report()
        }
    }

    /// The bot in `--intents` (or the bundled one), or what to fix in it.
    func loadBot(environment: [String: String]) throws(CommandFailure) -> Bot {
        try Self.loadBot(intents: intents, environment: environment)
    }

    /// The bot in `intents` (or the bundled one), or what to fix in it.
    static func loadBot(intents: String?, environment: [String: String]) throws(CommandFailure) -> Bot {
        let directory: String
        if let intents {
            directory = intents
        } else {
            directory = try BundledIntents.locate(environment: environment)
        }
        do {
            return try BotLoader.load(directory: directory)
        } catch {
            throw CommandFailure(lines: error.problems.map(\.description))
        }
    }
}

/// Where trained models are kept (`ModelCache`).
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The folder trained models are kept in, so the bot is trained once, not at every start.",
        discussion: "Default: $RAPPORT_MODEL_CACHE, else $XDG_CACHE_HOME/rapport/models (~/.cache/rapport/models). Removing it only costs a retraining.",
        valueName: "DIR"))
    var modelCache: String?

    /// What the bot's classifier reads.
    enum Reading: String, ExpressibleByArgument, CaseIterable {
        /// Words, word pairs and character n-grams alone.
        case words
        /// Words joined with the sentence encoder's vectors (docs/ENCODER.md):
        /// the default when the encoder is installed.
        case hybrid
    }

    @Option(name: .customLong("matcher"), help: ArgumentHelp(
        "What the classifier reads: hybrid (words and the sentence encoder, docs/ENCODER.md) or words alone.",
        discussion: "Default: $RAPPORT_MATCHER, else hybrid when the sentence encoder is installed (.ci/setup installs it), else words, which rapport says once.",
        valueName: "NAME"))
    var matcher: Reading?

    /// The matcher asked for: the option, else $RAPPORT_MATCHER; nil when
    /// neither names one, which means the hybrid if the encoder is installed.
    func reading(environment: [String: String]) -> Reading? {
        matcher ?? environment["RAPPORT_MATCHER"].flatMap(Reading.init(rawValue:))
    }

    /// The sentence encoder unless words alone are asked for: loaded, or why
    /// not (said once on `log`: rapport then matches on words alone); nil
    /// for words alone, which need no encoder.
    /// With `loading`, the encoder already loading in the background is waited for.
    func encoder(environment: [String: String], log: (String) -> Void, loading: EncoderInBackground? = nil) -> EncoderLoading.Outcome? {
        if let problem = matcherVariableProblem(environment: environment) {
            log("\(problem): matching on words alone")
            return nil
        }
        guard wantsEncoder(environment: environment) else { return nil }
        let outcome = loading?.loaded ?? loadEncoder(environment: environment)()
        if let warning = outcome.warning { log(warning) }
        return outcome
    }

    /// Starts loading the sentence encoder on a thread of its own, unless
    /// words alone are asked for: start it before reading the bot, and hand
    /// it to `engine(for:)`, which waits for it and says what went wrong.
    func encoderInBackground(environment: [String: String]) -> EncoderInBackground? {
        wantsEncoder(environment: environment) ? EncoderInBackground(loadEncoder(environment: environment)) : nil
    }

    /// Whether the encoder is wanted: unless words alone are asked for, or
    /// $RAPPORT_MATCHER names no matcher (which falls back to words).
    private func wantsEncoder(environment: [String: String]) -> Bool {
        matcherVariableProblem(environment: environment) == nil && reading(environment: environment) != .words
    }

    /// Loading the encoder, its weights unpacked in the model cache.
    private func loadEncoder(environment: [String: String]) -> @Sendable () -> EncoderLoading.Outcome {
        let folder = cache(environment: environment)?.directory
        return { EncoderLoading.load(environment: environment, unpackedFolder: folder) }
    }

    /// What is wrong with $RAPPORT_MATCHER when it decides the matcher and names none.
    func matcherVariableProblem(environment: [String: String]) -> String? {
        guard matcher == nil, let variable = environment["RAPPORT_MATCHER"], !variable.isEmpty,
              Reading(rawValue: variable) == nil else { return nil }
        return "RAPPORT_MATCHER=\(variable) is not a matcher (words or hybrid)"
    }

    /// The model cache in use, or nil when there is no place for one (no HOME).
    func cache(environment: [String: String]) -> ModelCache? {
        let variable = environment["RAPPORT_MODEL_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
        return (modelCache ?? variable ?? DefaultLocations(environment: environment).models).map(ModelCache.init(directory:))
    }

    /// The engine for `bot`, its classifier read from the model cache when a
    /// usable model is there, else trained and saved.
    /// `log` is told when the classifier had to be trained, why a saved
    /// model was not used, and where the new one went; `willTrain`, just
    /// before training starts.
    func engine(for bot: Bot, environment: [String: String], log: (String) -> Void, willTrain: () -> Void = {},
                encoderLoading: EncoderInBackground? = nil) -> Engine {
        // Said on standard error whatever `log` does (chat keeps piped output
        // clean of training notes, but the hybrid asked for and not had is a
        // problem to fix).
        let encoder = self.encoder(environment: environment, log: logToStandardError, loading: encoderLoading)
        let embedder = encoder?.embedder
        let noEncoder = encoder?.reason ?? matcherVariableProblem(environment: environment)
            ?? "asked for with \(matcher == nil ? "RAPPORT_MATCHER" : "--matcher"); the default adds the sentence encoder"
        guard let cache = cache(environment: environment) else {
            log("no place for trained models (HOME is not set; pass --model-cache DIR): training the classifier")
            return Engine(bot: bot, embedder: embedder, noEncoder: noEncoder) { $0.train() }
        }
        return Engine(bot: bot, embedder: embedder, noEncoder: noEncoder) { training in
            let started = Date()
            let (classifier, outcome) = cache.classifier(for: training, willTrain: willTrain)
            if case .trained(let problem, let path, let saveError) = outcome {
                let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                if let problem { log("\(path): not used (\(problem))") }
                if let saveError {
                    log("trained the classifier in \(seconds) s; " + saveError)
                } else {
                    log("trained the classifier in \(seconds) s; saved as \(path), read back at later starts")
                }
            }
            return classifier
        }
    }
}

/// Writes a line for the operator to standard error, as `rapport: LINE`:
/// what serve and test say about the model they had to train.
func logToStandardError(_ line: String) {
    OutputStream.standardError.write("rapport: \(line)\n")
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

/// Where conversations are kept: `--db`, else `RAPPORT_DATABASE_URL`, else
/// the SQLite file in the XDG data folder. A `postgres://` address is a
/// PostgreSQL database; anything else is a SQLite file's path.
enum StoreLocation {
    case sqlite(path: String)
    case postgres(url: String)

    init(_ db: String?, environment: [String: String]) throws(CommandFailure) {
        let chosen = db ?? environment["RAPPORT_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let chosen, DatabaseURL.isPostgres(chosen) {
            self = .postgres(url: chosen)
        } else if let path = chosen ?? DefaultLocations(environment: environment).database {
            self = .sqlite(path: path)
        } else {
            throw CommandFailure(lines: ["no place for the database: HOME is not set; pass --db PATH"])
        }
    }

    func open() async throws(CommandFailure) -> any ConversationStore {
        do {
            switch self {
            case .sqlite(let path): return try SQLiteConversationStore(path: path)
            case .postgres(let url): return try await PostgresConversationStore(url: url)
            }
        } catch {
            throw CommandFailure(lines: [error.description])
        }
    }
}
