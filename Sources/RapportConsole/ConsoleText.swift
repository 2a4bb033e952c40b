import RapportCore
import Foundation
import RapportSessions

/// Everything the console itself says, in one place. The bot's replies are
/// not here: they are data in intents/. Text that comes from data (names,
/// topics, paths, what the customer typed) is made safe for the terminal here.
public enum ConsoleText {
    public static let prompt = "you> "
    /// The keys a person needs, for `/help` and `rapport chat --help`.
    public static let keys = "Ctrl-C abandons the line you are typing; Ctrl-D ends the conversation."
    static let commandsHeading = "Commands (Tab completes them):"
    /// Shown once under the welcome, at a terminal: the bot's own words are
    /// the same on every channel, so the console's keys are its to tell.
    static let firstHint = "(/help lists what you can ask and the commands; Ctrl-D ends the conversation.)"
    static let startingOver = "Starting over."
    static let recordedTitle = "Recorded conversation"

    static func botSays(_ name: String) -> String { clean(name) + ":" }

    static func unknownCommand(_ word: String) -> String {
        "Unknown command \(clean(word)). Type /help to see the commands."
    }

    static func debugView(on: Bool, matcher: MatcherDescription) -> String {
        on ? "Debug view on. Matching on \(clean(matcher.summary))." : "Debug view off."
    }

    static func youCouldAsk(_ messages: [String]) -> String {
        "  You could ask: " + messages.map { "\"\(clean($0))\"" }.joined(separator: ", ")
    }

    static func recordingTo(_ path: String) -> String { "Recording to \(clean(path))." }

    static func recordingStarted(_ path: String) -> String {
        "Recording to \(clean(path)): the conversation so far is saved, and each turn after it."
    }

    static func recordedTitle(at date: Date) -> String {
        recordedTitle + ", " + ISO8601DateFormatter().string(from: date)
    }

    static func defaultRecordingPath(at date: Date) -> String {
        let stamp = ISO8601DateFormatter.string(
            from: date, timeZone: .current, formatOptions: [.withYear, .withMonth, .withDay, .withTime]
        )
        return "recorded-\(stamp).convo.txt"
    }

    static func cannotSaveTranscript(_ path: String, _ reason: String) -> String {
        "rapport: \(clean(path)): cannot save the transcript (\(reason)); recording stopped\n"
    }

    /// The host refused the console's own session: the conversation cannot go on.
    static func sessionLost(_ failure: SessionFailure) -> String {
        let why = switch failure {
        case .sessionExists(let session): "session \(session) exists already"
        case .unknownSession(let session): "session \(session) is no longer in the database"
        case .sessionEnded(let session): "session \(session) has ended"
        case .customerMismatch(let session): "session \(session) belongs to another customer"
        case .storeFailed(let message): message
        }
        return "rapport: the conversation cannot go on: \(why)"
    }

    static func notSaved(_ error: any Error) -> String {
        "rapport: warning: this conversation is not being saved: \(error)\n"
    }

    /// `/help`: what the bot knows about, by topic, then the commands and keys.
    static func help(botName: String, topics: [(topic: String, summaries: [String])], commands: [SlashCommand]) -> String {
        var text = "You can ask \(clean(botName)) about:\n"
        for (topic, summaries) in topics {
            text += "  \(clean(topic)): " + summaries.map(clean).joined(separator: " ") + "\n"
        }
        text += commandsHeading + "\n"
        for command in commands {
            text += "  /\(command.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(command.summary)\n"
        }
        return text + keys + "\n"
    }

    static func handoffReason(_ reason: HandoffSummary.Reason) -> String {
        switch reason {
        case .customerRequest: return "the customer asked, or said yes to a person an answer offered"
        case .repeatedMisses: return "the bot did not understand, and the customer accepted"
        case .frustration: return "the customer sounded frustrated, and accepted"
        case .dissatisfied: return "the last request did not meet the customer's expectations, and they accepted"
        }
    }

    static func handoff(
        reason: String, firstMessage: String?, lastIntent: String?, topic: String?, misses: Int, slots: [String: String],
        profile: [String: String] = [:], stage: String? = nil, lines: Int
    ) -> String {
        var out = ["-- Handing over to a person (\(reason)). For the agent:"]
        if let stage { out.append("   loyalty stage: \(clean(stage))") }
        if !profile.isEmpty {
            out.append("   known about them: " + profile.sorted { $0.key < $1.key }.map { "\($0.key) \(clean($0.value))" }.joined(separator: ", "))
        }
        if let firstMessage { out.append("   first message: \(clean(firstMessage))") }
        if let lastIntent { out.append("   last topic: \(clean(lastIntent))" + (topic.map { " (\(clean($0)))" } ?? "")) }
        if !slots.isEmpty {
            out.append("   given so far: " + slots.sorted { $0.key < $1.key }.map { "\($0.key) \(clean($0.value))" }.joined(separator: ", "))
        }
        out.append("   not understood: \(counted(misses, "message"))")
        out.append("   conversation so far: \(counted(lines, "line"))")
        return out.joined(separator: "\n") + "\n"
    }

    /// `/profile`: everything kept about the customer, for them or for support staff.
    static func profile(_ profile: CustomerProfile, level: RelationshipLevel, catalogue: ProfileCatalogue, thresholds: TrustRules) -> String {
        var out = ["Customer \(clean(profile.id))" + (profile.isAnonymous ? " (anonymous: nothing is kept)" : "")]
        out.append("  loyalty stage: \(profile.stage.rawValue); relationship level: \(level.rawValue)")
        let reachable = (1...max(1, thresholds.tierThresholds.count)).filter { profile.trust >= thresholds.threshold(tier: $0) }.max()
        out.append("  trust: \(String(format: "%.0f", profile.trust)) of 100" + (reachable.map { " (questions up to tier \($0))" } ?? " (no questions yet)"))
        out.append("  visits: \(profile.visits); orders seen: \(profile.purchases.count)" + (profile.recommended ? "; has recommended us" : ""))
        out.append("  profile questions: " + (profile.profilingOn ? "on" : "off (the customer asked not to be asked)"))
        let known = catalogue.fields.filter { profile.facts[$0.name] != nil }
        let others = profile.facts.keys.filter { catalogue.field(named: $0) == nil }.sorted()
        if known.isEmpty && others.isEmpty {
            out.append("  known: nothing yet")
        } else {
            out.append("  known:")
            for field in known {
                guard let fact = profile.facts[field.name] else { continue }
                out.append("    \(field.name) (\(field.kind.rawValue), tier \(field.tier)): \(clean(fact.value)) — \(fact.source.rawValue)"
                           + (fact.consent ? ", given" : ", not given") + ", " + ISO8601DateFormatter().string(from: fact.at))
            }
            for name in others { out.append("    \(clean(name)): \(clean(profile.facts[name]?.value ?? ""))") }
        }
        if !profile.declined.isEmpty {
            out.append("  never to ask: " + profile.declined.keys.sorted().map(clean).joined(separator: ", "))
        }
        if let solved = profile.lastSolved {
            out.append("  last request solved: \(clean(solved.intent))")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func erased(_ customer: String) -> String {
        "-- Everything kept about \(clean(customer)) has been erased from the database."
    }

    private static func clean(_ text: String) -> String { TerminalText.sanitized(text) }
}
