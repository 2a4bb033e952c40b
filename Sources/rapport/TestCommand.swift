import ArgumentParser
import Foundation
import RapportCore
import RapportIntents
import RapportIO
import RapportTranscripts

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Replay conversation transcripts (.convo.txt) and check the bot's replies.",
        discussion: """
            Runs each transcript through the engine with its own seed and clock, prints
            a diff for every expectation not met and a summary line, and exits with
            status 1 if any transcript fails. The format is in transcripts/README.md.
            """
    )

    @Argument(help: ArgumentHelp(
        "Transcript files, or folders searched for *.convo.txt. Default: the bundled transcripts/ folder.",
        valueName: "PATH"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "The folder holding the bot's intents. Default: the bundled intents/ folder.", valueName: "DIR"))
    var intents: String?

    @OptionGroup var models: ModelOptions

    @Option(name: .long, help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "FILE"))
    var junit: String?

    @Flag(help: "Also list the intents and reply variants that no transcript reaches.")
    var coverage = false

    @Flag(help: ArgumentHelp(
        "Rewrite each transcript with the bot's current replies instead of checking them.",
        discussion: """
            Keeps the front matter, title, description and customer messages; every #bot block
            becomes the exact reply with the intent matched. Hand-written patterns, assertions and
            comments are replaced, so review the diff before committing. Use it to turn a list of
            #me blocks into a transcript, or to accept replies that changed on purpose.
            """))
    var rerecord = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let encoderLoading = models.encoderInBackground(environment: environment)
        let bot: Bot
        let files: [String]
        do {
            let directory = try intents ?? BundledIntents.locate(environment: environment)
            do {
                bot = try BotLoader.load(directory: directory)
            } catch {
                throw CommandFailure(lines: error.problems.map(\.description))
            }
            files = try transcriptFiles(defaultFolder: ((directory as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("transcripts"))
        } catch let failure as CommandFailure {
            throw failure.report()
        }
        let runner = TranscriptRunner(engine: models.engine(for: bot, environment: environment, log: logToStandardError, encoderLoading: encoderLoading))
        if rerecord {
            try await rewrite(files, with: runner)
            return
        }
        var results: [TranscriptResult] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                results.append(TranscriptResult(file: file, title: (file as NSString).lastPathComponent, problems: [
                    TranscriptProblem(file: file, line: 1, message: "cannot be read as UTF-8 text"),
                ]))
                continue
            }
            results.append(await runner.run(text: text, file: file))
        }
        print(TestReport.text(results), terminator: "")
        if coverage {
            print(CoverageReport(bot: bot, results: results).text, terminator: "")
        }
        if let junit {
            do {
                try TestReport.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure(lines: ["\(junit): cannot write the JUnit report (\(error.localizedDescription))"]).report()
            }
        }
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    /// `--rerecord`: each file rewritten with the bot's replies; a file that
    /// cannot be read or parsed is left alone and reported.
    private func rewrite(_ files: [String], with runner: TranscriptRunner) async throws {
        var problems: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                problems.append("\(file): cannot be read as UTF-8 text; left as it was")
                continue
            }
            do {
                let transcript = try TranscriptParser.parse(text, file: file)
                if let matcher = transcript.settings.matcher, matcher != runner.engine.matcher.kind {
                    print("SKIP \(file) (written for matcher \(matcher); left as it was)")
                    continue
                }
                try await runner.rerecord(transcript).write(toFile: file, atomically: true, encoding: .utf8)
                print("REWROTE \(file)")
            } catch let failure as TranscriptFailure {
                problems += failure.problems.map { "\($0); left as it was" }
            } catch {
                problems.append("\(file): cannot be written (\(error.localizedDescription))")
            }
        }
        if !problems.isEmpty { throw CommandFailure(lines: problems).report() }
    }

    /// The transcript files to run, sorted; folders are searched recursively.
    private func transcriptFiles(defaultFolder: String) throws(CommandFailure) -> [String] {
        let manager = FileManager.default
        var roots = paths
        if roots.isEmpty {
            roots = [manager.fileExists(atPath: "transcripts") ? "transcripts" : defaultFolder]
        }
        var files: [String] = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw CommandFailure(lines: ["\(root): no such file or folder"])
            }
            guard isDirectory.boolValue else {
                files.append(root)
                continue
            }
            let found = (manager.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".convo.txt") }
                .sorted()
                .map { (root as NSString).appendingPathComponent($0) }
            if found.isEmpty {
                throw CommandFailure(lines: ["\(root): no transcripts (*.convo.txt) in this folder"])
            }
            files += found
        }
        return files
    }
}
