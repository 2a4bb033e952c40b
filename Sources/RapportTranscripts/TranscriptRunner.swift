import Foundation
import RapportCore
import RapportSessions
import RapportStore

/// One way a transcript's expectation was not met.
public struct TurnFailure: Hashable, Sendable {
    /// The line of the `#bot` block (or assertion) that failed.
    public var line: Int
    /// The customer message that turn answered (1 for the first); 0 for the welcome.
    public var turn: Int
    /// What the customer said in that turn, if anything.
    public var customerText: String?
    public var message: String
    public var expected: String?
    public var actual: String?
}

/// The outcome of running one transcript.
public struct TranscriptResult: Hashable, Sendable {
    public var file: String
    public var title: String
    /// Problems that kept the transcript from running at all.
    public var problems: [TranscriptProblem] = []
    public var failures: [TurnFailure] = []
    /// Every reply variant the run used, and every intent it answered, for coverage.
    public var variantsUsed: Set<VariantChoice> = []
    public var intentsMatched: Set<String> = []
    /// The customer messages sent.
    public var turns = 0

    /// Why the transcript was not run: it is written for another matcher.
    public var skipped: String?

    public var passed: Bool { problems.isEmpty && failures.isEmpty }

    public init(file: String, title: String, problems: [TranscriptProblem] = []) {
        self.file = file
        self.title = title
        self.problems = problems
    }
}

/// Replays transcripts through the engine, exactly as the console would, with
/// the transcript's seed and clock, and checks each `#bot` block.
public struct TranscriptRunner: Sendable {
    public let engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    /// Parses and runs one file's text.
    public func run(text: String, file: String) async -> TranscriptResult {
        do {
            return await run(try TranscriptParser.parse(text, file: file))
        } catch {
            return TranscriptResult(
                file: file, title: (file as NSString).lastPathComponent, problems: error.problems
            )
        }
    }

    /// The transcript rewritten with what the bot says now: the same front
    /// matter, title, description and customer messages, and every reply
    /// exactly as said, with the intents matched (`rapport test --rerecord`).
    public func rerecord(_ transcript: Transcript) async -> String {
        var recorder = TranscriptRecorder(title: transcript.title, settings: transcript.settings)
        recorder.description = transcript.description
        var session = TranscriptSession(engine: engine, settings: transcript.settings)
        recorder.record(customer: nil, outcome: await session.start().outcome)
        for case .customer(let text, _) in transcript.steps {
            recorder.record(customer: text, outcome: await session.say(text).outcome)
        }
        return recorder.text
    }

    public func run(_ transcript: Transcript) async -> TranscriptResult {
        var result = TranscriptResult(file: transcript.file, title: transcript.title)
        if let wanted = transcript.settings.matcher, wanted != engine.matcher.kind {
            result.skipped = "written for matcher \(wanted); this run matches on \(engine.matcher.summary)"
            return result
        }
        var session = TranscriptSession(engine: engine, settings: transcript.settings)
        let started = await session.start()
        if let refused = started.refused {
            result.failures.append(TurnFailure(line: 1, turn: 0, message: "the session could not start: \(refused)"))
            return result
        }
        var current = started.outcome
        var customerText: String?
        var unchecked = current.replies[...]
        var checkedThisTurn = false

        func record(_ step: TranscriptSession.Step, line: Int) {
            let outcome = step.outcome
            result.variantsUsed.formUnion(outcome.variants)
            if let intent = outcome.understanding?.matched?.intent { result.intentsMatched.insert(intent) }
            for error in step.storeFailures {
                result.failures.append(TurnFailure(
                    line: 0, turn: result.turns, customerText: customerText, message: "the store refused the turn: \(error)"
                ))
            }
            if let refused = step.refused {
                result.failures.append(TurnFailure(
                    line: line, turn: result.turns, customerText: customerText, message: "the session refused the message: \(refused)"
                ))
            }
        }
        func closeTurn(at line: Int) {
            // A turn that checked some replies must account for all of them.
            if checkedThisTurn, let extra = unchecked.first {
                result.failures.append(TurnFailure(
                    line: line, turn: result.turns, customerText: customerText,
                    message: "the bot said more than the transcript expects", expected: nil, actual: extra
                ))
            }
        }
        record(started, line: 1)

        for step in transcript.steps {
            switch step {
            case .customer(let text, let line):
                closeTurn(at: line)
                result.turns += 1
                customerText = text
                let said = await session.say(text)
                current = said.outcome
                record(said, line: line)
                unchecked = current.replies[...]
                checkedThisTurn = false
            case .bot(let expectation):
                checkedThisTurn = true
                let reply = unchecked.popFirst()
                check(expectation, reply: reply, outcome: current, turn: result.turns, customerText: customerText, into: &result)
            }
        }
        closeTurn(at: transcript.steps.last.map(Self.line(of:)) ?? 1)
        return result
    }

    private func check(
        _ expectation: BotExpectation, reply: String?, outcome: TurnOutcome,
        turn: Int, customerText: String?, into result: inout TranscriptResult
    ) {
        func fail(_ line: Int, _ message: String, expected: String? = nil, actual: String? = nil) {
            result.failures.append(TurnFailure(
                line: line, turn: turn, customerText: customerText, message: message, expected: expected, actual: actual
            ))
        }
        if let pattern = expectation.text {
            if let reply {
                if !pattern.matches(reply) {
                    fail(expectation.line, pattern.negated ? "the reply matches what it must not" : "the reply differs",
                         expected: pattern.description, actual: reply)
                }
            } else {
                fail(expectation.line, "the bot said nothing more", expected: pattern.description, actual: nil)
            }
        } else if reply == nil, outcome.replies.isEmpty {
            fail(expectation.line, "the bot did not reply", expected: "a reply", actual: nil)
        }
        for assertion in expectation.assertions {
            switch assertion {
            case .intent(let name, let line):
                let actual = outcome.understanding?.turnIntent
                if actual != name {
                    fail(line, "the intent differs", expected: name ?? "none", actual: describeIntent(outcome))
                }
            case .confidence(let atLeast, let line):
                let confidence = outcome.understanding?.matched?.confidence ?? 0
                if confidence < atLeast {
                    fail(line, "the confidence is too low", expected: "at least \(atLeast)",
                         actual: String(format: "%.3f", confidence))
                }
            case .buttons(let titles, let line):
                let offered = outcome.quickReplies.map(\.title)
                if offered != titles {
                    fail(line, "the buttons differ", expected: titles.joined(separator: " | "),
                         actual: offered.isEmpty ? "no buttons" : offered.joined(separator: " | "))
                }
            case .clarify(let intents, let line):
                if case .ambiguous(let first, let second)? = outcome.understanding?.decision, outcome.understanding?.answers == nil {
                    if [first.intent, second.intent] != intents {
                        fail(line, "the bot asked between other intents", expected: intents.joined(separator: " or "),
                             actual: "\(first.intent) or \(second.intent)")
                    }
                } else {
                    fail(line, "the bot did not ask which intent was meant", expected: intents.joined(separator: " or "),
                         actual: describeIntent(outcome))
                }
            case .entity(let name, let value, let line):
                let found = outcome.understanding?.entities ?? []
                if !found.contains(where: { $0.entity == name && (value == "*" || $0.value == value) }) {
                    fail(line, "the entity was not found", expected: "\(name) \(value)",
                         actual: found.isEmpty ? "no entities" : found.map { "\($0.entity) \($0.value)" }.joined(separator: ", "))
                }
            case .event(let name, let line):
                let events = Self.events(of: outcome)
                if !events.contains(name) {
                    fail(line, "the event did not happen", expected: name,
                         actual: events.isEmpty ? "no events" : events.joined(separator: ", "))
                }
            }
        }
    }

    private func describeIntent(_ outcome: TurnOutcome) -> String {
        guard let understanding = outcome.understanding else { return "none (no message in this turn)" }
        if let question = understanding.answers { return "none (it answered \(question))" }
        switch understanding.decision {
        case .matched(let candidate):
            return "\(candidate.intent) (\(String(format: "%.2f", candidate.confidence)))"
        case .ambiguous(let first, let second):
            return "none (asked which of \(first.intent) or \(second.intent))"
        case .fallback(let best):
            return "none (fell back; best was " + (best.map { "\($0.intent) at \(String(format: "%.2f", $0.confidence))" } ?? "nothing") + ")"
        }
    }

    /// The events a turn produced, by the names the protocol and transcripts use.
    static func events(of outcome: TurnOutcome) -> [String] {
        outcome.effects.compactMap(\.eventName)
    }

    private static func line(of step: Transcript.Step) -> Int {
        switch step {
        case .customer(_, let line): return line
        case .bot(let expectation): return expectation.line
        }
    }
}
