import ArgumentParser
import Dispatch
import Foundation
import RapportCore
import RapportEvaluation
import RapportIntents
import RapportIO
import RapportModelCache

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the intent matcher: accuracy, out-of-scope handling, training time, latency.",
        discussion: """
            On labelled CSV files with a header 'text,category':
              rapport eval --train T.csv --test S.csv [--validate V.csv] [--oos-label oos] [--json]
            trains on T, picks the out-of-scope threshold on V when V has out-of-scope rows, and
            reports on S. On a bot's own intents, by stratified cross-validation:
              rapport eval --intents intents/ --folds 5
            or trains on all of them and tests on S (its rows read as the bot reads messages):
              rapport eval --intents intents/ --test S.csv
            reads every example as the bot reads messages: entity values (order
            numbers, dates, sums) stand as their type, and a follow-up intent
            (needs_context) is ranked only for its own examples, with its contexts
            open. Patterns are not applied: this measures the classifier, which a
            matching pattern overrides in the bot.
            Build with -c release for meaningful timings (docs/BENCHMARKS.md).
            """
    )

    @Option(help: ArgumentHelp("Training data (CSV: text,category).", valueName: "T.csv")) var train: String?
    @Option(help: ArgumentHelp("Test data (CSV: text,category).", valueName: "S.csv")) var test: String?
    @Option(name: .customLong("validate"), help: ArgumentHelp("Validation data for choosing the out-of-scope threshold.", valueName: "V.csv"))
    var validation: String?
    @Option(name: .customLong("oos-label"), help: ArgumentHelp("The category that marks out-of-scope rows.", valueName: "LABEL"))
    var oosLabel = "oos"
    @Option(help: ArgumentHelp(
        "Instead of --test: hold out this fraction of --train (stratified, seeded) and test on it.",
        valueName: "FRACTION"))
    var holdout: Double?
    @Option(help: ArgumentHelp("Cross-validate the bot in this intents folder instead.", valueName: "DIR")) var intents: String?
    @Option(help: ArgumentHelp("Number of folds for --intents.", valueName: "N")) var folds = 5
    @Option(help: ArgumentHelp(
        "The seed that deals examples into folds (--intents) or picks the holdout (--holdout): another seed shows how much the figures vary.",
        valueName: "N"))
    var seed: UInt64 = 0
    @Option(help: ArgumentHelp(
        "Measure with this out-of-scope threshold (like the bot's confidence_threshold) instead of choosing one.", valueName: "T"))
    var threshold: Double?
    @Option(name: .customLong("oos-intent"), help: ArgumentHelp(
        "With --intents: the bot's intent for requests it can't help with; its examples count as out of scope, and answering with it as declining.",
        valueName: "NAME"))
    var oosIntent: String?
    @Flag(help: "Print the figures as one JSON object.") var json = false
    @Flag(help: "Also list every test text answered wrongly (as the bot reads it), with what it was taken for: the examples to improve.")
    var mistakes = false

    enum Matcher: String, ExpressibleByArgument, CaseIterable {
        /// The first matcher: the nearest example by TF-IDF cosine, kept for comparison.
        case similarity
        /// The trained linear SVM classifier on words and character n-grams.
        case linear
        /// The linear SVM on words joined with the sentence encoder's vectors.
        case hybrid
        /// The linear SVM on the sentence encoder's vectors alone.
        case encoder
    }

    @Option(help: ArgumentHelp(
        "The matcher to measure: linear (words alone), hybrid (words and the sentence encoder), encoder (its vectors alone) or similarity (the first matcher, for comparison).",
        valueName: "NAME"))
    var matcher: Matcher = .linear
    @Option(name: .customLong("dense-weight"), help: ArgumentHelp("hybrid: the length of the encoder's vector against the words' 1.", valueName: "W"))
    var denseWeight: Double?

    @Option(name: .customLong("model-cache"), help: ArgumentHelp(
        "hybrid, encoder: a folder whose vector file keeps the training examples' vectors, so later runs do not encode them again.",
        discussion: "Default: none, every run encodes them (training is measured cold). Best not the bot's own model cache: a large data set would push the bot's vectors out of it.",
        valueName: "DIR"))
    var modelCache: String?

    @Option(name: .customLong("dense-full-words"), help: ArgumentHelp("hybrid: the words from which a text's vector counts in full (fewer count for less); 0 for always in full.", valueName: "N"))
    var denseFullWords: Int?

    @Option(help: ArgumentHelp(
        "Also report the 'ask which of two' decision with this margin (default with --intents: the bot's clarify_margin).",
        valueName: "M"))
    var margin: Double?

    @Option(help: ArgumentHelp("linear: the SVM cost.", valueName: "C")) var cost: Double?
    @Option(name: .customLong("char-grams"), help: ArgumentHelp("linear: character n-gram lengths, like 2-5.", valueName: "A-B"))
    var characterGrams: String?
    @Option(name: .customLong("word-weight"), help: ArgumentHelp("linear: weight of the word block against the character block.", valueName: "W"))
    var wordWeight: Double?
    @Flag(inversion: .prefixedNo, help: "linear: pair every word with every other word of a message (default: on).")
    var combinations: Bool?

    /// The linear classifier's settings, from the defaults and the options given.
    private func linearSettings() throws(CommandFailure) -> LinearIntentClassifier.Settings {
        var settings = LinearIntentClassifier.Settings()
        if let cost { settings.cost = cost }
        if let wordWeight { settings.wordWeight = wordWeight }
        if let combinations { settings.wordCombinations = combinations }
        if let denseWeight { settings.denseWeight = denseWeight }
        if let denseFullWords {
            guard denseFullWords >= 0 else { throw CommandFailure(lines: ["--dense-full-words takes a number of words, 0 or more, got \(denseFullWords)"]) }
            settings.denseFullWords = denseFullWords
        }
        if let characterGrams {
            let bounds = characterGrams.split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] else {
                throw CommandFailure(lines: ["--char-grams takes two lengths like 2-5, got '\(characterGrams)'"])
            }
            settings.characterGrams = bounds[0]...bounds[1]
        }
        return settings
    }

    func validate() throws {
        switch (train, test ?? holdout.map { "\($0)" }, intents) {
        case (.some, .some, nil):
            if test != nil && holdout != nil { throw ValidationError("give --test or --holdout, not both") }
            if let holdout, !(holdout > 0 && holdout < 1) { throw ValidationError("--holdout must be a fraction between 0 and 1, like 0.2") }
        case (nil, nil, .some):
            guard folds >= 2 else { throw ValidationError("--folds must be 2 or more") }
        case (nil, .some, .some):
            if holdout != nil { throw ValidationError("with --intents, give --test (the bot trains on all its examples), not --holdout") }
            if oosIntent != nil { throw ValidationError("--oos-intent is for --folds: with --test, label out-of-scope rows with --oos-label") }
        case (.some, nil, nil) where validation != nil:
            throw ValidationError("give --test or --holdout too: --validate only chooses the threshold")
        default:
            throw ValidationError("give --train with --test or --holdout (and optionally --validate), or --intents with --folds or --test")
        }
        if oosIntent != nil && intents == nil { throw ValidationError("--oos-intent names an intent of the bot given with --intents") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be from 0 to 1, like 0.3") }
        if let margin, !(0...1).contains(margin) { throw ValidationError("--margin must be from 0 to 1, like 0.1") }
    }

    func run() throws {
        var report: Evaluator.Report
        let botMargin: Double?
        let embedder: EncoderEmbedder?
        do {
            (report, botMargin, embedder) = try measure()
        } catch {
            throw error.report()
        }
        if let embedder {
            report.encoding = Self.encodingTime(of: report.predictions.prefix(1000).map(\.text), with: embedder)
        }
        if let threshold {
            // A threshold given (the bot's own, say) replaces the one chosen.
            report.scores = MatcherScores(predictions: report.predictions, threshold: threshold, oosLabel: oosLabel)
            report.thresholdChosen = false
        }
        let clarify = (margin ?? botMargin).map {
            ClarifyScores(predictions: report.predictions, threshold: report.scores.threshold, margin: $0, oosLabel: oosLabel)
        }
        OutputStream.standardOutput.write(json
            ? Self.json(report, clarify: clarify, mistakes: mistakes ? oosLabel : nil)
            : Self.text(report, clarify: clarify, crossValidated: intents != nil && test == nil, folds: folds)
                + (mistakes ? Self.mistakes(report, oosLabel: oosLabel) : ""))
    }

    /// The time the encoder takes for each of `texts`, one at a time on one
    /// thread, as the engine encodes a message: median and 99th percentile.
    static func encodingTime(of texts: [String], with embedder: EncoderEmbedder) -> (p50Microseconds: Double, p99Microseconds: Double) {
        var nanoseconds: [UInt64] = []
        for text in texts {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = embedder.embed(text)
            nanoseconds.append(DispatchTime.now().uptimeNanoseconds - start)
        }
        return Evaluator.medianAndP99(nanoseconds)
    }

    /// The report, with --intents the bot's own clarify margin, and the sentence encoder if the matcher uses it.
    private func measure() throws(CommandFailure) -> (Evaluator.Report, Double?, EncoderEmbedder?) {
        var embedder: EncoderEmbedder?
        let trainer: Evaluator.Trainer
        switch matcher {
        case .similarity: trainer = { SimilarityMatcher(intents: $0) }
        case .linear:
            let settings = try linearSettings()
            trainer = { LinearIntentClassifier(intents: $0, settings: settings) }
        case .hybrid, .encoder:
            var settings = try linearSettings()
            settings.sparseFeatures = matcher == .hybrid
            // Only the folder asked for: measuring on a large set would
            // otherwise push the bot's own vectors out of its cache.
            let cache = modelCache.map(ModelCache.init(directory:))
            let loading = EncoderLoading.load(environment: ProcessInfo.processInfo.environment, unpackedFolder: cache?.directory)
            guard let loaded = loading.embedder else {
                throw CommandFailure(lines: ["--matcher \(matcher.rawValue) needs the sentence encoder: " + (loading.warning ?? "")])
            }
            embedder = loaded
            let hybridSettings = settings
            // With --model-cache, the examples' vectors come from the vector
            // file there where it has them, as when a bot is trained:
            // repeated runs skip encoding, and training time is the
            // classifier's and the file's reading.
            trainer = { intents in
                LinearIntentClassifier(intents: intents, settings: hybridSettings, embedder: loaded,
                                       exampleVectors: cache?.vectors(of: intents.flatMap(\.examples), with: loaded))
            }
        }
        let evaluator = Evaluator(train: trainer, clock: { DispatchTime.now().uptimeNanoseconds })
        if let intents {
            let bot: Bot
            do {
                bot = try BotLoader.load(directory: intents)
            } catch {
                throw CommandFailure(lines: error.problems.map(\.description))
            }
            if let oosIntent, bot.intent(named: oosIntent) == nil {
                var message = "--oos-intent: the bot has no intent '\(oosIntent)'"
                if let near = EditDistance.nearest(oosIntent, in: bot.intents.map(\.name)) { message += "; did you mean '\(near)'?" }
                throw CommandFailure(lines: [message])
            }
            if let test {
                // Trained on every example, tested on messages read as the bot reads them.
                let reading = RankerReading(bot: bot)
                func read(_ rows: [LabelledText]) -> [LabelledText] {
                    rows.map { LabelledText(text: reading.readingForm(of: $0.text), label: $0.label) }
                }
                let validating = try validation.map(Self.load).map(read)
                let report = evaluator.evaluate(
                    training: LabelledText.examples(of: bot), test: read(try Self.load(test)),
                    validation: validating, oosLabel: oosLabel)
                return (report, bot.matching.clarifyMargin, embedder)
            }
            let report = evaluator.crossValidate(
                bot, folds: folds, seed: seed, validation: try validation.map(Self.load), oosLabel: oosLabel, outOfScopeIntent: oosIntent)
            return (report, bot.matching.clarifyMargin, embedder)
        }
        guard let train else { throw CommandFailure(lines: ["give --train and --test, or --intents"]) }
        var training = try Self.load(train)
        let testing: [LabelledText]
        if let test {
            testing = try Self.load(test)
        } else {
            (training, testing) = Evaluator.stratifiedSplit(training, holdOut: holdout ?? 0.2, seed: seed)
        }
        let report = evaluator.evaluate(
            training: training, test: testing, validation: try validation.map(Self.load), oosLabel: oosLabel
        )
        return (report, nil, embedder)
    }

    private static func load(_ path: String) throws(CommandFailure) -> [LabelledText] {
        do {
            return try LabelledCSV.load(path)
        } catch {
            throw CommandFailure(lines: [error.description])
        }
    }

    static func json(_ report: Evaluator.Report, clarify: ClarifyScores? = nil, mistakes oosLabel: String? = nil) -> String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "null" }
        let scores = report.scores
        return "{" + ([
            "\"accuracy\":\(number(scores.accuracy))",
            "\"in_scope_accuracy\":\(number(scores.inScopeAccuracy))",
            "\"oos_recall\":\(number(scores.oosRecall))",
            "\"oos_precision\":\(number(scores.oosPrecision))",
            "\"macro_f1\":\(number(scores.macroF1))",
            "\"train_seconds\":\(number(report.trainSeconds))",
            "\"p50_us\":\(number(report.p50Microseconds))",
            "\"p99_us\":\(number(report.p99Microseconds))",
            "\"encode_p50_us\":\(number(report.encoding?.p50Microseconds))",
            "\"encode_p99_us\":\(number(report.encoding?.p99Microseconds))",
            "\"threshold\":\(number(scores.threshold))",
            "\"model_mb\":\(number(report.modelBytes.map { Double($0) / 1_048_576 }))",
            "\"examples\":\(scores.examples)",
        ] + (clarify.map { clarify in [
            "\"margin\":\(number(clarify.margin))",
            "\"clarify_rate\":\(number(clarify.clarifyRate))",
            "\"answered_accuracy\":\(number(clarify.answeredAccuracy))",
            "\"clarify_contains_truth\":\(number(clarify.clarifyContainsTruth))",
        ] } ?? []) + (oosLabel.map { label in ["\"mistakes\":" + mistakesJSON(report, oosLabel: label)] } ?? [])).joined(separator: ",") + "}\n"
    }

    /// Every test text answered wrongly (out-of-scope rows rejected are right),
    /// with what it was answered as, in the order of the predictions.
    static func wrongAnswers(_ report: Evaluator.Report, oosLabel: String) -> [(prediction: Prediction, answered: String)] {
        report.predictions.compactMap { prediction in
            let answered = prediction.label(threshold: report.scores.threshold, oosLabel: oosLabel)
            return answered == prediction.truth ? nil : (prediction, answered)
        }
    }

    /// The wrong answers as a JSON array of {text, truth, answered, confidence}.
    static func mistakesJSON(_ report: Evaluator.Report, oosLabel: String) -> String {
        let wrong: [[String: Any]] = wrongAnswers(report, oosLabel: oosLabel).map {
            ["text": $0.prediction.text, "truth": $0.prediction.truth, "answered": $0.answered, "confidence": $0.prediction.confidence]
        }
        let data = (try? JSONSerialization.data(withJSONObject: wrong, options: [.sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The wrong answers as text, grouped by the intent each belongs to.
    static func mistakes(_ report: Evaluator.Report, oosLabel: String) -> String {
        let wrong = wrongAnswers(report, oosLabel: oosLabel)
            .sorted { ($0.prediction.truth, $0.prediction.top, $0.prediction.text) < ($1.prediction.truth, $1.prediction.top, $1.prediction.text) }
        var out = "Mistakes (\(wrong.count) of \(report.predictions.count); true → answered, confidence):\n"
        for (prediction, answered) in wrong {
            out += "  \(prediction.truth) → \(answered) " + String(format: "%.2f", prediction.confidence) + ": \(prediction.text)\n"
        }
        return out
    }

    static func text(_ report: Evaluator.Report, clarify: ClarifyScores? = nil, crossValidated: Bool, folds: Int) -> String {
        let scores = report.scores
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a" }
        var out = crossValidated
            ? "\(folds)-fold cross-validation of \(report.intents) intents, \(report.trainingExamples) examples\n"
                + "  read as the bot reads them (entity values masked, follow-ups only in their context); patterns not applied\n"
            : "Trained on \(report.trainingExamples) examples of \(report.intents) intents; tested on \(scores.examples)\n"
        out += "  accuracy            \(percent(scores.accuracy))\n"
        out += "  in-scope accuracy   \(percent(scores.inScopeAccuracy))\n"
        out += "  out-of-scope recall \(percent(scores.oosRecall))   precision \(percent(scores.oosPrecision))\n"
        out += "  macro-F1            \(percent(scores.macroF1))\n"
        out += "  threshold           " + String(format: "%.3f", scores.threshold) + (report.thresholdChosen ? " (chosen on the validation set)\n" : "\n")
        out += "  training            " + String(format: "%.2f s", report.trainSeconds) + (crossValidated ? " per fold\n" : "\n")
        out += "  one prediction      " + String(format: "median %.1f µs, 99th percentile %.1f µs", report.p50Microseconds, report.p99Microseconds) + "\n"
        if let encoding = report.encoding {
            out += "    of which encoding " + String(format: "median %.1f µs, 99th percentile %.1f µs", encoding.p50Microseconds, encoding.p99Microseconds) + "\n"
        }
        if let clarify {
            out += "  ask which of two    " + String(format: "margin %.2f: asks about ", clarify.margin) + percent(clarify.clarifyRate) + " of confident messages, "
                + "right one offered in \(percent(clarify.clarifyContainsTruth)); answers the rest \(percent(clarify.answeredAccuracy)) right\n"
        }
        if let bytes = report.modelBytes {
            out += "  model               " + String(format: "%.1f MB", Double(bytes) / 1_048_576) + "\n"
        }
        if !scores.confusions.isEmpty {
            out += "Most frequent confusions (true → answered):\n"
            for confusion in scores.confusions {
                out += "  \(confusion.count)× \(confusion.truth) → \(confusion.predicted)\n"
            }
        }
        return out
    }
}
