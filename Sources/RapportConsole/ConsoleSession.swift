import Foundation
import RapportCore
import RapportSessions
import RapportStore
import RapportTranscripts

/// How a console session looks and behaves.
public struct ConsoleSettings: Sendable {
    public var customerID: String
    public var seed: UInt64
    public var style: ConsoleStyle
    public var debug: Bool
    /// Where to save the conversation as a transcript from the start, if anywhere.
    public var recordPath: String?

    public init(customerID: String, seed: UInt64, style: ConsoleStyle, debug: Bool = false, recordPath: String? = nil) {
        self.customerID = customerID
        self.seed = seed
        self.style = style
        self.debug = debug
        self.recordPath = recordPath
    }
}

/// Where the console's text goes. The real console writes to the terminal; tests collect it.
public protocol ConsoleOutput {
    mutating func write(_ text: String)
    /// Warnings and errors that are not part of the conversation (standard error).
    mutating func warn(_ text: String)
}

/// One customer's conversation at the console: reads lines, hands them to the
/// session host, and shows the replies. Holds no conversation or session logic.
public struct ConsoleSession<Reader: LineReader, Output: ConsoleOutput> {
    public typealias Settings = ConsoleSettings

    /// Saves a transcript's text to a path; the real console writes a file.
    public typealias TranscriptSaver = (_ path: String, _ text: String) throws -> Void

    private var reader: Reader
    public private(set) var output: Output
    private let host: SessionHost
    private let sessionID: String
    private var settings: Settings
    /// The conversation as the host has it after the latest event: what
    /// `/profile` and the debug view read.
    private var conversation: Conversation
    /// Set after the first store failure, so the customer is told once, not every turn.
    private var storeFailed = false
    private var ended = false
    /// The whole conversation so far as a transcript, kept from the start so
    /// `/record` mid-conversation still replays with the same seed.
    private var recorder: TranscriptRecorder
    private let saveTranscript: TranscriptSaver

    public init(
        engine: Engine, store: any ConversationStore, reader: Reader, output: Output,
        settings: Settings, sessionID: String, clock: @escaping @Sendable () -> Date,
        saveTranscript: @escaping TranscriptSaver = { path, text in
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    ) {
        self.reader = reader
        self.output = output
        self.host = SessionHost(engine: engine, store: store, settings: .console(seed: settings.seed), clock: clock)
        self.sessionID = sessionID
        self.settings = settings
        self.saveTranscript = saveTranscript
        self.conversation = Conversation(engine: engine, sessionID: sessionID, seed: settings.seed)
        self.recorder = TranscriptRecorder(
            title: ConsoleText.recordedTitle,
            settings: Transcript.Settings(customer: settings.customerID, seed: settings.seed, clock: Date(timeIntervalSince1970: 0))
        )
    }

    private var botName: String { host.engine.bot.name }
    private var style: ConsoleStyle { settings.style }

    /// Runs the conversation until the customer leaves or input ends.
    public mutating func run() async {
        // Who the customer is to the bot (what earlier conversations taught
        // it), and a conversation of theirs at the console that stopped mid-way
        // (the terminal was closed, the machine went down), to offer to pick up:
        // the host reads both from the store.
        let customer = settings.customerID
        guard let welcome = await call({ host, session in try await host.start(session: session, customer: customer) }) else {
            return
        }
        recorder.settings.clock = welcome.at
        recorder.title = ConsoleText.recordedTitle(at: welcome.at)
        // A recording replays with the customer as they were when it started.
        if let known = welcome.startedWith {
            recorder.settings.customerSetup = Transcript.CustomerSetup(known.profile)
            let before = Conversation(engine: host.engine, sessionID: sessionID, seed: settings.seed, profile: known.profile, unfinished: known.unfinished)
            recorder.settings.customerSetup.unfinished = before.offeredToPickUp?.filling?.intent
        }
        show(welcome, said: nil)
        if reader.isInteractive { output.write(style.notice(ConsoleText.firstHint) + "\n") }
        while !ended {
            switch reader.readLine(prompt: style.readlinePrompt(ConsoleText.prompt)) {
            case .interrupted:
                continue
            case .endOfInput:
                await send("/quit") { host, session in try await host.end(session: session) }
            case .line(let line):
                if !reader.isInteractive {
                    // Piped input is not echoed by a terminal: show it so the output reads as a conversation.
                    output.write(style.customerPrompt(ConsoleText.prompt) + TerminalText.sanitized(line) + "\n")
                }
                await handle(line)
            }
        }
    }

    private mutating func handle(_ line: String) async {
        switch SlashCommand.parse(line) {
        case .message:
            guard !line.allSatisfy(\.isWhitespace) else { return }
            await send(line) { host, session in try await host.message(session: session, customer: nil, text: line) }
        case .unknown(let word):
            output.write(style.notice(ConsoleText.unknownCommand(word)) + "\n")
        case .command(.help, _):
            output.write(helpText())
        case .command(.debug, _):
            settings.debug.toggle()
            output.write(style.notice(ConsoleText.debugView(on: settings.debug, matcher: host.engine.matcher)) + "\n")
        case .command(.feedback, _):
            await send("/feedback") { host, session in try await host.requestFeedback(session: session) }
        case .command(.profile, _):
            output.write(style.notice(ConsoleText.profile(
                conversation.state.profile, level: conversation.level, catalogue: host.engine.bot.profile,
                thresholds: host.engine.bot.profile.trust)))
        case .command(.record, let argument):
            startRecording(to: argument)
        case .command(.restart, _):
            output.write(style.notice(ConsoleText.startingOver) + "\n")
            await send("/restart") { host, session in try await host.restart(session: session) }
        case .command(.quit, _):
            await send("/quit") { host, session in try await host.end(session: session) }
        }
    }

    /// Makes a call on the host and shows its reply; `said` is the customer's
    /// line, or the command that caused the event.
    private mutating func send(_ said: String, _ body: (SessionHost, String) async throws -> HostReply) async {
        if let reply = await call(body) { show(reply, said: said) }
    }

    /// Makes a call on the host, keeping the conversation it leaves. The
    /// console's host carries on without the store, so a refusal here is a
    /// session the host lost: the conversation is over.
    private mutating func call(_ body: (SessionHost, String) async throws -> HostReply) async -> HostReply? {
        do {
            let reply = try await body(host, sessionID)
            // The host lets go of a session that is over (said goodbye, erased, or an erasure that failed).
            if let current = await host.conversation(sessionID), current.state.phase != .ended {
                conversation = current
            } else {
                ended = true
            }
            if let failure = reply.storeFailures.first { warnStoreFailure(failure) }
            return reply
        } catch {
            // The host throws only `SessionFailure`s; a closure's type cannot say so.
            output.warn(ConsoleText.sessionLost(error as? SessionFailure ?? .storeFailed(String(describing: error))))
            ended = true
            return nil
        }
    }

    /// Prints the replies, the debug view if on, and adds the exchange to the
    /// transcript. The host has stored the turn already: nothing is
    /// acknowledged to the customer before it is kept (or erased).
    private mutating func show(_ reply: HostReply, said: String?) {
        let outcome = reply.outcome
        recorder.record(customer: said, outcome: outcome)
        saveRecording()
        for line in outcome.replies where !line.isEmpty {
            output.write(style.botName(ConsoleText.botSays(botName)) + " " + TerminalText.sanitized(line) + "\n")
        }
        if !outcome.quickReplies.isEmpty {
            // A terminal has no buttons: show the choices as things to type.
            output.write(style.notice(ConsoleText.youCouldAsk(outcome.quickReplies.map(\.message))) + "\n")
        }
        if settings.debug {
            output.write(DebugView.render(outcome, threshold: host.engine.policy.settings.confidenceThreshold, style: style))
        }
        for event in reply.events {
            switch event {
            case .handoff(let summary, _): output.write(style.notice(HandoffView.render(summary)))
            case .customerErased(let customer): output.write(style.notice(ConsoleText.erased(customer)) + "\n")
            case .started, .resumed, .erasureFailed, .ended: break
            }
        }
    }

    private mutating func startRecording(to argument: String) {
        if argument.isEmpty, let path = settings.recordPath {
            output.write(style.notice(ConsoleText.recordingTo(path)) + "\n")
            return
        }
        var path = argument
        if path.isEmpty { path = ConsoleText.defaultRecordingPath(at: recorder.settings.clock) }
        settings.recordPath = path
        if saveRecording() {
            output.write(style.notice(ConsoleText.recordingStarted(path)) + "\n")
        }
    }

    /// Writes the transcript so far, if recording; says so once if it fails.
    @discardableResult
    private mutating func saveRecording() -> Bool {
        guard let path = settings.recordPath else { return false }
        do {
            try saveTranscript(path, recorder.text)
            return true
        } catch {
            output.warn(ConsoleText.cannotSaveTranscript(path, error.localizedDescription))
            settings.recordPath = nil
            return false
        }
    }

    private mutating func warnStoreFailure(_ error: StoreError) {
        guard !storeFailed else { return }
        storeFailed = true
        output.warn(ConsoleText.notSaved(error))
    }

    private func helpText() -> String {
        let intents = host.engine.bot.intents
        var topics: [String] = []
        for intent in intents where !topics.contains(intent.topic) { topics.append(intent.topic) }
        let summaries = topics.map { topic in
            (topic, intents.filter { $0.topic == topic }.compactMap(\.summary))
        }
        return style.notice(ConsoleText.help(botName: botName, topics: summaries, commands: SlashCommand.allCases))
    }
}

/// What the console shows when the conversation is handed to a person: the
/// summary an agent would receive.
public enum HandoffView {
    public static func render(_ summary: HandoffSummary) -> String {
        ConsoleText.handoff(
            reason: ConsoleText.handoffReason(summary.reason),
            firstMessage: summary.firstMessage, lastIntent: summary.lastIntent, topic: summary.topic,
            misses: summary.misses, slots: summary.slots, profile: summary.profile, stage: summary.stage.rawValue,
            lines: summary.transcript.count
        )
    }
}

/// The support-staff view of one turn: what was understood and what changed.
public enum DebugView {
    public static func render(_ outcome: TurnOutcome, threshold: Double, style: ConsoleStyle) -> String {
        var lines: [String] = []
        if let understanding = outcome.understanding {
            switch understanding.decision {
            case .matched(let best):
                let how = understanding.slotAnswer.map { "gives its slot \($0)" }
                    ?? (understanding.byPattern ? "by pattern" : "confidence \(format(best.confidence))")
                lines.append("intent: \(best.intent) (\(how))")
            case .ambiguous(let first, let second):
                lines.append("intent: asking which of \(first.intent) \(format(first.confidence)) or \(second.intent) \(format(second.confidence)) (too close to call)")
            case .fallback(let best):
                let detail = best.map { "best was \($0.intent) at \(format($0.confidence))" } ?? "no intents"
                lines.append("intent: none, fell back (\(detail); threshold \(format(threshold)))")
            }
            if let question = understanding.answers {
                lines.append("answers: \(TerminalText.sanitized(question)) (not read as a request)")
            }
            if let message = understanding.clarifiedMessage {
                lines.append("answering the question about: \(TerminalText.sanitized(message))")
            }
            if !understanding.entities.isEmpty {
                lines.append("entities: " + understanding.entities.map {
                    "\($0.entity)=\(TerminalText.sanitized($0.value))" + ($0.approximate ? " (approximate)" : "") + " @\($0.start)-\($0.end)"
                }.joined(separator: ", "))
            }
            let runnersUp = understanding.ranking.dropFirst().prefix(3)
            if !runnersUp.isEmpty {
                lines.append("next: " + runnersUp.map { "\($0.intent) \(format($0.confidence))" }.joined(separator: ", "))
            }
        }
        if outcome.changes.isEmpty {
            lines.append("state: unchanged")
        } else {
            lines.append("state: " + outcome.changes.map(\.description).joined(separator: "; "))
        }
        return lines.map { style.debug("  [debug] " + $0) + "\n" }.joined()
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
