import Foundation
import RapportCore

/// A conversation test: what the customer says, what the bot must answer, and
/// what it must have understood. Read from and written to `.convo.txt` files
/// (see transcripts/README.md).
public struct Transcript: Hashable, Sendable {
    /// Front matter: what makes a run deterministic.
    public struct Settings: Hashable, Sendable {
        public var customer: String
        public var seed: UInt64
        /// When the conversation starts; each later event is one minute on.
        public var clock: Date

        public static let defaultClock = Date(timeIntervalSince1970: 1_767_258_000) // 2026-01-01T09:00:00Z

        public init(customer: String = "transcript", seed: UInt64 = 0, clock: Date = Settings.defaultClock) {
            self.customer = customer
            self.seed = seed
            self.clock = clock
        }
    }

    public enum Step: Hashable, Sendable {
        /// A `#me` block: the customer's message, or a console command (`/restart`, `/quit`).
        case customer(String, line: Int)
        /// A `#bot` block: one reply to check.
        case bot(BotExpectation)
    }

    public var file: String
    public var title: String
    public var description: String
    public var settings: Settings
    public var steps: [Step]

    public init(file: String, title: String, description: String = "", settings: Settings = Settings(), steps: [Step]) {
        self.file = file
        self.title = title
        self.description = description
        self.settings = settings
        self.steps = steps
    }
}

/// What one `#bot` block expects of one reply.
public struct BotExpectation: Hashable, Sendable {
    /// The line of the `#bot` marker.
    public var line: Int
    /// The expected text, or nil when the block only has assertions.
    public var text: TextPattern?
    public var assertions: [Assertion]

    public init(line: Int, text: TextPattern?, assertions: [Assertion] = []) {
        self.line = line
        self.text = text
        self.assertions = assertions
    }
}

/// A check on what the bot understood in the turn, written as an upper-case
/// line in a `#bot` block.
public enum Assertion: Hashable, Sendable {
    /// `INTENT order_status`, or `INTENT none` for a fallback.
    case intent(String?, line: Int)
    /// `CONFIDENCE 0.5`: the answered intent's confidence is at least this.
    case confidence(atLeast: Double, line: Int)
    /// `EVENT session_ended`, `EVENT handoff`: the turn produced this event.
    case event(String, line: Int)
    /// `BUTTONS Track my order | Delivery costs`: the quick replies offered, by title, in order.
    case buttons([String], line: Int)
    /// `CLARIFY delivery_costs delivery_times`: the bot asked which of these two intents was meant.
    case clarify([String], line: Int)
    /// `ENTITY order_number HP-10442`: the message held this entity with this
    /// normalised value (`*` for any value).
    case entity(String, value: String, line: Int)

    public var line: Int {
        switch self {
        case .intent(_, let line), .confidence(_, let line), .event(_, let line), .buttons(_, let line),
             .clarify(_, let line), .entity(_, _, let line): return line
        }
    }

    /// The assertion as written in a transcript.
    public var written: String {
        switch self {
        case .intent(let name, _): return "INTENT \(name ?? "none")"
        case .confidence(let value, _): return "CONFIDENCE \(value)"
        case .event(let name, _): return "EVENT \(name)"
        case .buttons(let titles, _): return "BUTTONS " + titles.joined(separator: " | ")
        case .clarify(let intents, _): return "CLARIFY " + intents.joined(separator: " ")
        case .entity(let name, let value, _): return "ENTITY \(name) \(value)"
        }
    }

    /// The names a transcript may use, for the parser and its suggestions.
    static let names = ["INTENT", "CONFIDENCE", "EVENT", "BUTTONS", "CLARIFY", "ENTITY"]
    /// The events a turn can produce.
    static let events = EventName.all
}
