import Foundation
import RapportCore

/// A problem in a transcript file, with its line.
public struct TranscriptProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): error: \(message)" }
}

/// Reads `.convo.txt` transcripts. Every problem is reported with its line;
/// a transcript with any problem is not run.
public enum TranscriptParser {
    /// The earlier conversations a transcript's customer can have had.
    static let visitsRange = 0...1_000_000
    /// The values of front matter `matcher`: `MatcherDescription.kind`s.
    static let matchers = ["words", "hybrid"]
    static let frontMatterKeys = ["customer", "seed", "clock", "stage", "trust", "visits", "facts", "orders", "solved", "asking", "unfinished", "matcher"]
    /// The console commands a `#me` block may hold.
    static let commands = ["/restart", "/quit", "/timeout", "/feedback"]

    public static func parse(_ text: String, file: String) throws(TranscriptFailure) -> Transcript {
        var problems: [TranscriptProblem] = []
        func problem(_ line: Int, _ message: String) {
            problems.append(TranscriptProblem(file: file, line: line, message: message))
        }
        // Swift reads "\r\n" as one Character, which splitting at "\n" never finds.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        var settings = Transcript.Settings()

        // Front matter, between two '---' lines at the very top.
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            index = 1
            var closed = false
            while index < lines.count {
                let line = lines[index].trimmingCharacters(in: .whitespaces)
                index += 1
                if line == "---" { closed = true; break }
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    problem(index, "front matter lines look like 'key: value'; got '\(line)'")
                    continue
                }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch key {
                case "customer":
                    if value.isEmpty { problem(index, "'customer' needs a customer id") } else { settings.customer = value }
                case "seed":
                    if let seed = UInt64(value) { settings.seed = seed } else { problem(index, "'seed' must be a whole number from 0, like 'seed: 7'") }
                case "clock":
                    if let date = ISO8601DateFormatter().date(from: value) {
                        settings.clock = date
                    } else {
                        problem(index, "'clock' must be a date and time like 2026-11-23T10:00:00Z")
                    }
                case "stage":
                    if let stage = LoyaltyStage(rawValue: value) {
                        settings.customerSetup.stage = stage
                    } else {
                        problem(index, "'stage' is one of \(LoyaltyStage.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                case "trust":
                    if let trust = Double(value), (0...100).contains(trust) {
                        settings.customerSetup.trust = trust
                    } else {
                        problem(index, "'trust' is a number from 0 to 100")
                    }
                case "visits":
                    if let visits = Int(value), Self.visitsRange.contains(visits) {
                        settings.customerSetup.visits = visits
                    } else {
                        problem(index, "'visits' is the number of earlier conversations, from 0 to \(Self.visitsRange.upperBound), like 'visits: 3'")
                    }
                case "facts":
                    for pair in value.split(separator: ";") {
                        let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                            settings.customerSetup.facts[parts[0]] = parts[1]
                        } else {
                            problem(index, "'facts' look like 'first_name=Sam; city=Leeds'")
                        }
                    }
                case "orders":
                    settings.customerSetup.orders = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                case "solved":
                    if value.isEmpty { problem(index, "'solved' names the intent solved in an earlier conversation") } else { settings.customerSetup.solved = value }
                case "unfinished":
                    if value.isEmpty { problem(index, "'unfinished' names the intent the last conversation was asking a slot for") } else { settings.customerSetup.unfinished = value }
                case "matcher":
                    if Self.matchers.contains(value) {
                        settings.matcher = value
                    } else {
                        problem(index, "'matcher' is \(Self.matchers.joined(separator: " or ")) (the matcher the transcript is written for)")
                    }
                case "asking":
                    switch value {
                    case "on": settings.customerSetup.asking = true
                    case "off": settings.customerSetup.asking = false
                    default: problem(index, "'asking' is on or off (whether the bot may ask profile questions)")
                    }
                default:
                    problem(index, "unknown front matter key '\(key)'; the keys are \(frontMatterKeys.joined(separator: ", "))")
                }
            }
            if !closed {
                // Without its end, nothing after it can be read reliably.
                throw TranscriptFailure([TranscriptProblem(
                    file: file, line: 1, message: "the front matter that starts here has no closing '---' line"
                )])
            }
        }

        // Title and description: the text before the first block.
        var header: [String] = []
        while index < lines.count, !isMarker(lines[index]) {
            header.append(lines[index])
            index += 1
        }
        let headerLines = header.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let title = headerLines.first ?? ((file as NSString).lastPathComponent)
        let description = headerLines.dropFirst().joined(separator: " ")

        // Blocks.
        var steps: [Transcript.Step] = []
        while index < lines.count {
            let markerLine = index + 1
            let marker = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            var body: [(text: String, line: Int)] = []
            while index < lines.count, !isMarker(lines[index]) {
                let text = lines[index].trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { body.append((text, index + 1)) }
                index += 1
            }
            switch marker.lowercased() {
            case "#me":
                let message = body.map(\.text).joined(separator: " ")
                if message.isEmpty {
                    problem(markerLine, "this #me block is empty; write what the customer says below it")
                } else if message.hasPrefix("/"), !commands.contains(message) {
                    problem(body[0].line, "'\(message)' is not a command transcripts know; use \(commands.dropLast().joined(separator: ", ")) or \(commands.last ?? ""), or write the message without the leading '/'")
                } else {
                    steps.append(.customer(message, line: markerLine))
                }
            case "#bot":
                var texts: [String] = []
                var assertions: [Assertion] = []
                for (text, line) in body {
                    switch readAssertion(text, line: line) {
                    case .assertion(let assertion): assertions.append(assertion)
                    case .problem(let message): problem(line, message)
                    case .text: texts.append(text)
                    }
                }
                var pattern: TextPattern?
                if !texts.isEmpty {
                    do {
                        pattern = try TextPattern(parsing: texts.joined(separator: " "))
                    } catch {
                        problem(body[0].line, error.message)
                    }
                }
                if body.isEmpty {
                    problem(markerLine, "this #bot block is empty; write the reply expected (use * for any text), or an assertion like INTENT greet")
                }
                steps.append(.bot(BotExpectation(line: markerLine, text: pattern, assertions: assertions)))
            default:
                problem(markerLine, "unknown block '\(marker)'; blocks start with #me (the customer) or #bot (the bot)")
            }
        }
        if !steps.contains(where: { if case .customer = $0 { return true } else { return false } }) && problems.isEmpty {
            problem(max(lines.count, 1), "the transcript has no #me block; add what the customer says")
        }
        guard problems.isEmpty else { throw TranscriptFailure(problems) }
        return Transcript(file: file, title: title, description: description, settings: settings, steps: steps)
    }

    private static func isMarker(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#"), trimmed.count > 1 else { return false }
        let word = trimmed.dropFirst()
        return word.allSatisfy { $0.isLetter }
    }

    private enum LineKind {
        case text
        case assertion(Assertion)
        case problem(String)
    }

    /// An upper-case word at the start of a line is an assertion when it is
    /// one rapport knows, and a likely typo of one is an error; anything else
    /// is reply text.
    private static func readAssertion(_ text: String, line: Int) -> LineKind {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0]
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard name.count >= 4, name.allSatisfy({ $0.isUppercase || $0 == "_" }) else { return .text }
        switch name {
        case "INTENT":
            guard !argument.isEmpty else { return .problem("INTENT needs an intent name, or 'none' for a fallback") }
            return .assertion(.intent(argument == "none" ? nil : argument, line: line))
        case "CONFIDENCE":
            guard let value = Double(argument), (0...1).contains(value) else {
                return .problem("CONFIDENCE needs a number from 0 to 1, the lowest confidence accepted")
            }
            return .assertion(.confidence(atLeast: value, line: line))
        case "BUTTONS":
            let titles = argument.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !titles.isEmpty, !titles.contains(where: \.isEmpty) else {
                return .problem("BUTTONS needs the buttons' titles, separated by '|', like BUTTONS Track my order | Delivery costs")
            }
            return .assertion(.buttons(titles, line: line))
        case "CLARIFY":
            let intents = argument.split(separator: " ").map(String.init)
            guard intents.count == 2 else {
                return .problem("CLARIFY needs the two intents the bot asks between, like CLARIFY delivery_costs delivery_times")
            }
            return .assertion(.clarify(intents, line: line))
        case "ENTITY":
            let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                return .problem("ENTITY needs an entity name and its value, like ENTITY order_number HP-10442 (* for any value)")
            }
            return .assertion(.entity(parts[0], value: parts[1].trimmingCharacters(in: .whitespaces), line: line))
        case "EVENT":
            guard Assertion.events.contains(argument) else {
                return .problem("EVENT needs one of: \(Assertion.events.joined(separator: ", "))")
            }
            return .assertion(.event(argument, line: line))
        default:
            if let near = EditDistance.nearest(name, in: Assertion.names, ignoringCase: false) {
                return .problem("unknown assertion '\(name)'; did you mean \(near)?")
            }
            return .text
        }
    }
}

/// Every problem in a transcript file, in line order.
public struct TranscriptFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [TranscriptProblem]

    public init(_ problems: [TranscriptProblem]) {
        self.problems = problems.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
