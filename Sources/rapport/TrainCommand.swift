import ArgumentParser
import Foundation
import RapportCore
import RapportIO
import RapportModelCache

/// `rapport train`: trains the bot's classifier ahead and saves it, so the
/// next `chat`, `serve` or `test` starts at once (as `rasa train` does).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the bot's classifier and save it, so every later start loads it in milliseconds.",
        discussion: """
            chat, serve and test train the classifier themselves when the saved model is
            missing or out of date (the bot's examples or rapport's model format changed),
            and save it; train does that ahead, for example when deploying, and says where
            the model is. --force trains again even when a usable model is saved.
            """
    )

    @Option(name: .long, help: ArgumentHelp(
        "The folder holding the bot's intents. Default: the bundled intents/ folder.", valueName: "DIR"))
    var intents: String?

    @OptionGroup var models: ModelOptions

    @Flag(help: "Train and save even when a usable model is already saved.")
    var force = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let bot: Bot
        do {
            bot = try EngineOptions.loadBot(intents: intents, environment: environment)
        } catch {
            throw error.report()
        }
        guard let cache = models.cache(environment: environment) else {
            throw CommandFailure(lines: ["no place for trained models: HOME is not set; pass --model-cache DIR"]).report()
        }
        let embedder = models.encoder(environment: environment, log: logToStandardError)?.embedder
        let started = Date()
        let (_, outcome) = cache.classifier(for: TrainingSet(bot: bot, embedder: embedder), force: force)
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        switch outcome {
        case .loaded(let path):
            OutputStream.standardOutput.write("up to date: \(path) (checked in \(seconds) s; --force trains again)\n")
        case .trained(let problem, let path, let saveError):
            if let problem { logToStandardError("\(path): not used (\(problem))") }
            if let saveError { throw CommandFailure(lines: [saveError]).report() }
            let matcher = embedder == nil ? "words alone" : "words and the sentence encoder"
            OutputStream.standardOutput.write("trained \(bot.intents.count) intents on \(matcher) in \(seconds) s: \(path)\n")
        }
    }
}
