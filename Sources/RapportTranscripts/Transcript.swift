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
        /// Who the customer already is when the conversation starts: what
        /// earlier conversations taught the bot (front matter `stage`, `trust`,
        /// `visits`, `facts`, `orders`, `solved`, `asking`).
        public var customerSetup = CustomerSetup()
        /// The matcher the transcript is written for (front matter `matcher`:
        /// `words` or `hybrid`), when how the classifier reads its messages is
        /// what it tests; a run on the other one skips it. Nil: any.
        public var matcher: String?

        public init(customer: String = "transcript", seed: UInt64 = 0, clock: Date = Settings.defaultClock) {
            self.customer = customer
            self.seed = seed
            self.clock = clock
        }
    }

    /// A customer as earlier conversations left them, for transcripts that
    /// test returning customers, personalisation and profiling.
    public struct CustomerSetup: Hashable, Sendable {
        public var stage: LoyaltyStage = .suspect
        public var trust: Double = 0
        /// Conversations before this one.
        public var visits = 0
        /// Stated facts, by field.
        public var facts: [String: String] = [:]
        /// Orders seen in earlier conversations.
        public var orders: [String] = []
        /// The intent last solved in an earlier conversation, to check back on.
        public var solved: String?
        /// False: the customer has asked not to be asked questions.
        public var asking = true
        /// An intent whose first required slot the customer's last
        /// conversation was waiting for when it stopped: the welcome offers to pick it up.
        public var unfinished: String?

        public init() {}

        /// The setup that reproduces a profile (for recording a console conversation).
        public init(_ profile: CustomerProfile) {
            stage = profile.stage
            trust = profile.trust
            visits = profile.visits
            facts = profile.facts.filter { $0.value.source == .stated }.mapValues(\.value)
            orders = profile.purchases.sorted()
            solved = profile.lastSolved?.intent
            asking = profile.profilingOn
        }

        /// The unfinished conversation the welcome offers to pick up, if any.
        public func unfinishedConversation(engine: Engine) -> UnfinishedConversation? {
            guard let unfinished, let intent = engine.bot.intent(named: unfinished),
                  let slot = intent.slots.first(where: \.required) else { return nil }
            var state = DialogueState(random: SplitMix64(seed: 0))
            state.awaiting = .slot(SlotFilling(intent: intent.name, values: [:], asking: slot.name))
            state.lastIntent = intent.name
            state.topic = intent.topic
            return UnfinishedConversation(sessionID: "earlier", state: state)
        }

        /// The profile the conversation starts with.
        public func profile(for customer: String, engine: Engine, at start: Date) -> CustomerProfile {
            var profile = CustomerProfile(id: customer)
            profile.stage = stage
            profile.trust = trust
            profile.visits = visits
            if visits > 0 { profile.firstSeen = start.addingTimeInterval(-86_400 * 7) }
            for (field, value) in facts {
                profile.facts[field] = ProfileFact(value: value, source: .stated, at: start.addingTimeInterval(-86_400 * 7), consent: true)
            }
            profile.purchases = Set(orders)
            if let solved {
                let label = engine.bot.intent(named: solved)?.label ?? solved
                profile.lastSolved = SolvedRequest(intent: solved, label: label, session: "earlier", at: start.addingTimeInterval(-86_400 * 2))
            }
            profile.profilingOn = asking
            return profile
        }

        /// Front matter lines for what differs from a new customer.
        var frontMatter: [String] {
            var lines: [String] = []
            if stage != .suspect { lines.append("stage: \(stage.rawValue)") }
            if trust != 0 { lines.append("trust: \(trust == trust.rounded() ? String(Int(trust)) : String(trust))") }
            if visits != 0 { lines.append("visits: \(visits)") }
            if !facts.isEmpty { lines.append("facts: " + facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
            if !orders.isEmpty { lines.append("orders: " + orders.joined(separator: ", ")) }
            if let solved { lines.append("solved: \(solved)") }
            if !asking { lines.append("asking: off") }
            if let unfinished { lines.append("unfinished: \(unfinished)") }
            return lines
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
