import Foundation
import RapportCore
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
/// engine, shows the replies, and carries out the engine's effects against the
/// store. Holds no conversation logic of its own.
public struct ConsoleSession<Reader: LineReader, Output: ConsoleOutput> {
    public typealias Settings = ConsoleSettings

    /// Saves a transcript's text to a path; the real console writes a file.
    public typealias TranscriptSaver = (_ path: String, _ text: String) throws -> Void

    private var reader: Reader
    public private(set) var output: Output
    private var conversation: Conversation
    private let store: any ConversationStore
    private var settings: Settings
    private let clock: () -> Date
    /// Set after the first store failure, so the customer is told once, not every turn.
    private var storeFailed = false
    /// The whole conversation so far as a transcript, kept from the start so
    /// `/record` mid-conversation still replays with the same seed.
    private var recorder: TranscriptRecorder
    private let saveTranscript: TranscriptSaver

    public init(
        engine: Engine, store: any ConversationStore, reader: Reader, output: Output,
        settings: Settings, sessionID: String, clock: @escaping () -> Date,
        saveTranscript: @escaping TranscriptSaver = { path, text in
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    ) {
        self.reader = reader
        self.output = output
        self.store = store
        self.settings = settings
        self.clock = clock
        self.saveTranscript = saveTranscript
        self.conversation = Conversation(engine: engine, sessionID: sessionID, seed: settings.seed)
        self.recorder = TranscriptRecorder(
            title: ConsoleText.recordedTitle,
            settings: Transcript.Settings(customer: settings.customerID, seed: settings.seed, clock: Date(timeIntervalSince1970: 0))
        )
    }

    private var botName: String { conversation.engine.bot.name }
    private var style: ConsoleStyle { settings.style }

    /// Runs the conversation until the customer leaves or input ends.
    public mutating func run() {
        let now = clock()
        let session = SessionRecord(
            id: conversation.sessionID, customerID: settings.customerID, channel: "console", startedAt: now
        )
        do {
            try store.beginSession(session)
        } catch {
            warnStoreFailure(error)
        }
        do {
            // Who the customer is to the bot: what earlier conversations taught
            // it, and a conversation of theirs that stopped mid-way (the terminal
            // was closed, the machine went down), to offer to pick up.
            let profile = try store.profile(of: settings.customerID) ?? CustomerProfile(id: settings.customerID)
            // A console conversation, not one a rapport serve may still be having.
            let unfinished = try store.unfinishedConversation(
                of: settings.customerID, excluding: [conversation.sessionID], channel: "console", now: now, engine: conversation.engine)
            conversation = Conversation(engine: conversation.engine, sessionID: conversation.sessionID, seed: settings.seed,
                                        profile: profile, unfinished: unfinished)
        } catch {
            warnStoreFailure(error)
            conversation = Conversation(engine: conversation.engine, sessionID: conversation.sessionID, seed: settings.seed,
                                        profile: CustomerProfile(id: settings.customerID))
        }
        recorder.settings.clock = now
        // A recording replays with the customer as they were when it started.
        recorder.settings.customerSetup = Transcript.CustomerSetup(conversation.state.profile)
        recorder.settings.customerSetup.unfinished = conversation.offeredToPickUp?.filling?.intent
        recorder.title = ConsoleText.recordedTitle(at: now)
        show(conversation.handle(.started(at: now)), said: nil)
        if reader.isInteractive { output.write(style.notice(ConsoleText.firstHint) + "\n") }
        while conversation.state.phase != .ended {
            switch reader.readLine(prompt: style.readlinePrompt(ConsoleText.prompt)) {
            case .interrupted:
                continue
            case .endOfInput:
                show(conversation.handle(.ended(at: clock())), said: "/quit")
            case .line(let line):
                if !reader.isInteractive {
                    // Piped input is not echoed by a terminal: show it so the output reads as a conversation.
                    output.write(style.customerPrompt(ConsoleText.prompt) + TerminalText.sanitized(line) + "\n")
                }
                handle(line)
            }
        }
    }

    private mutating func handle(_ line: String) {
        switch SlashCommand.parse(line) {
        case .message:
            guard !line.allSatisfy(\.isWhitespace) else { return }
            show(conversation.handle(.customerSaid(line, at: clock())), said: line)
        case .unknown(let word):
            output.write(style.notice(ConsoleText.unknownCommand(word)) + "\n")
        case .command(.help, _):
            output.write(helpText())
        case .command(.debug, _):
            settings.debug.toggle()
            output.write(style.notice(ConsoleText.debugView(on: settings.debug, matcher: conversation.engine.matcher)) + "\n")
        case .command(.feedback, _):
            show(conversation.handle(.feedbackRequested(at: clock())), said: "/feedback")
        case .command(.profile, _):
            output.write(style.notice(ConsoleText.profile(
                conversation.state.profile, level: conversation.level, catalogue: conversation.engine.bot.profile,
                thresholds: conversation.engine.bot.profile.trust)))
        case .command(.record, let argument):
            startRecording(to: argument)
        case .command(.restart, _):
            output.write(style.notice(ConsoleText.startingOver) + "\n")
            show(conversation.handle(.restarted(at: clock())), said: "/restart")
        case .command(.quit, _):
            show(conversation.handle(.ended(at: clock())), said: "/quit")
        }
    }

    /// Prints the replies, the debug view if on, carries out the effects, and
    /// adds the exchange to the transcript (`said` is the customer's line, or
    /// the command that caused the event).
    private mutating func show(_ outcome: TurnOutcome, said: String?) {
        var outcome = outcome
        // The store first: nothing is acknowledged to the customer before it is kept (or erased).
        let failures = store.carryOut(outcome.effects, session: conversation.sessionID, saving: conversation.state)
        if let failure = failures.first { warnStoreFailure(failure) }
        let erasure = outcome.effects.lazy.compactMap(\.erasedCustomer).first
        if erasure != nil, !failures.isEmpty {
            outcome.replies = [conversation.erasureFailedReply()]
        }
        recorder.record(customer: said, outcome: outcome)
        saveRecording()
        for reply in outcome.replies where !reply.isEmpty {
            output.write(style.botName(ConsoleText.botSays(botName)) + " " + TerminalText.sanitized(reply) + "\n")
        }
        if !outcome.quickReplies.isEmpty {
            // A terminal has no buttons: show the choices as things to type.
            output.write(style.notice(ConsoleText.youCouldAsk(outcome.quickReplies.map(\.message))) + "\n")
        }
        if settings.debug {
            output.write(DebugView.render(outcome, threshold: conversation.engine.policy.settings.confidenceThreshold, style: style))
        }
        for case .handoff(let summary) in outcome.effects {
            output.write(style.notice(HandoffView.render(summary)))
        }
        if let customer = erasure, failures.isEmpty {
            output.write(style.notice(ConsoleText.erased(customer)) + "\n")
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
        let intents = conversation.engine.bot.intents
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
