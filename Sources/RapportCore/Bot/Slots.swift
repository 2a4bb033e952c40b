import Foundation

/// A value an intent needs before it can answer, taken from an entity in the
/// customer's message: "which order?" for `order_status`.
public struct SlotSpec: Hashable, Sendable {
    /// The slot's name: responses use it as `{name}`.
    public var name: String
    /// The entity type that fills it.
    public var entity: String
    /// Whether the intent waits for it; an optional slot is used when given and never asked for.
    public var required: Bool
    /// Ways of asking for it.
    public var prompts: [ResponseTemplate]
    /// Said, before asking again, when the answer held no such entity;
    /// `{example}` is the entity's example (`HP-12345`).
    public var invalid: [ResponseTemplate]
    /// Said instead of `invalid` and the prompt when the customer has no
    /// value to give ("no idea", "I don't have one": signals.yaml `unsure`):
    /// how to find it, or who can do without it. The question still waits.
    public var unsure: [ResponseTemplate]
    /// Said when the customer still has no value just after being told where
    /// to find it (`unsure`, or a request of the same topic that says where):
    /// only a person can do without it, so it offers one ("I can't look an
    /// order up here without its number, but a person can find it from your
    /// email address: shall I pass you to them?"). Without them, the bot's
    /// `offer_handoff`. The question is dropped either way.
    public var without: [ResponseTemplate]
    /// Said when the customer asks why the value is wanted ("why do you need
    /// it?", signals.yaml `unsure.why_phrases`): what it is for, and what it
    /// is not used for. The question is asked again after it. Without them,
    /// the message is read as any other.
    public var why: [ResponseTemplate]
    /// When the message gives no value, take the one of this entity the last
    /// answer used, without asking: for a follow-up about the same thing
    /// ("what colours?" just after the rain jacket). Without it, only a message
    /// that points back ("is it in stock?") takes the last answer's value.
    public var fromLastAnswer: Bool
    /// Whether what the conversation is about (its focus) fills the slot when
    /// the message names no value: true but for a slot only the message's own
    /// words should fill ("do you sell flasks?" names the product; "what else
    /// do you sell?" after the mug is no question about the mug).
    public var fromFocus: Bool

    public var location: SourceLocation?

    public init(
        name: String, entity: String, required: Bool = true, prompts: [ResponseTemplate], invalid: [ResponseTemplate] = [],
        unsure: [ResponseTemplate] = [], without: [ResponseTemplate] = [], why: [ResponseTemplate] = [], fromLastAnswer: Bool = false,
        fromFocus: Bool = true, location: SourceLocation? = nil
    ) {
        self.why = why
        self.unsure = unsure
        self.without = without
        self.fromFocus = fromFocus
        self.name = name
        self.entity = entity
        self.required = required
        self.prompts = prompts
        self.invalid = invalid
        self.fromLastAnswer = fromLastAnswer
        self.location = location
    }

    /// The placeholder only `invalid` may use.
    public static let invalidPlaceholders: Set<String> = ["example"]
}

/// Answers backed by data: the intent's responses can use the columns of the
/// row whose key is a slot's value, as `{table.column}`.
public struct Lookup: Hashable, Sendable {
    public var table: String
    /// The slot whose value is looked up in the table's key column.
    public var slot: String
    /// Said when no row has that key (the slot is then asked for again).
    public var notFound: [ResponseTemplate]
    /// Said instead of the row when the message names the key as someone
    /// else's ("my mate has card PC-118230, can I use his points"): a record
    /// that is its owner's alone, such as a member's account. Empty: any
    /// record is read out to whoever names it (an order, a shop).
    public var someoneElse: [ResponseTemplate]
    /// A column of amounts ("£38") that several rows asked about in one
    /// message can be added up by ("how much are the scarf and the beanie
    /// together?"), and what is said after their answers: `{total}` is the sum,
    /// written as the column writes amounts. Nil: no total is said.
    public var total: Total?

    public struct Total: Hashable, Sendable {
        public var column: String
        public var say: [ResponseTemplate]
        public init(column: String, say: [ResponseTemplate]) {
            self.column = column
            self.say = say
        }
        public static let placeholders: Set<String> = ["total"]
    }

    public var location: SourceLocation?

    public init(
        table: String, slot: String, notFound: [ResponseTemplate], someoneElse: [ResponseTemplate] = [], total: Total? = nil,
        location: SourceLocation? = nil
    ) {
        self.total = total
        self.table = table
        self.slot = slot
        self.notFound = notFound
        self.someoneElse = someoneElse
        self.location = location
    }
}

/// A table of data shipped with the bot (`intents/data/NAME.csv`): the
/// first column is the key. Integrators replace the file with their own data.
public struct DataTable: Hashable, Sendable {
    public var name: String
    public var columns: [String]
    /// Rows by key, the key compared with case folded.
    public var rows: [String: [String: String]]

    public init(name: String, columns: [String], rows: [[String]]) {
        self.name = name
        self.columns = columns
        var byKey: [String: [String: String]] = [:]
        for row in rows {
            guard let key = row.first else { continue }
            byKey[Self.key(key)] = Dictionary(uniqueKeysWithValues: zip(columns, row))
        }
        self.rows = byKey
    }

    /// The row with this key, its values named `table.column`.
    public func row(for key: String) -> [String: String]? {
        rows[Self.key(key)].map { row in
            Dictionary(uniqueKeysWithValues: row.map { ("\(name).\($0.key)", $0.value) })
        }
    }

    /// The column of the day a record is due (`yyyy-mm-dd`), worded by bot.yaml's `due_dates`.
    public static let dueColumn = "due"
    /// The suffix of a column's late form: `detail_late`, when not empty, is
    /// said for `{orders.detail}` once the record is past its due day ("it
    /// was due on Tuesday 24 November" instead of "due on Tuesday 24
    /// November", written when it was still to come).
    public static let lateSuffix = "_late"

    /// The row with its late forms in place of their columns, where not empty.
    public static func lateForms(of row: [String: String]) -> [String: String] {
        var late = row
        for (column, value) in row where column.hasSuffix(lateSuffix) && !value.trimmingCharacters(in: .whitespaces).isEmpty {
            late[String(column.dropLast(lateSuffix.count))] = value
        }
        return late
    }

    /// How keys are compared: case and accents folded, surrounding spaces dropped.
    public static func key(_ text: String) -> String {
        TextNormalizer.fold(text).trimmingCharacters(in: .whitespaces)
    }
}

/// What the bot says around slot filling, outside any one intent.
public struct SlotTexts: Hashable, Sendable {
    /// The customer called it off ("never mind") while the bot was asking.
    public var cancelled: [ResponseTemplate]
    /// Said before asking again after the customer changed topic; `{label}` is the waiting intent's label.
    public var resume: [ResponseTemplate]
    /// Said before asking again when a slot declares no `invalid` text; `{example}` is the entity's example.
    public var invalid: [ResponseTemplate]
    /// Said instead of asking for a value of a list entity (a product) again
    /// at once: "what sizes?" just after "Which product do you mean?" for
    /// merino base layers. `{options}` is every value of the entity ("rain
    /// jacket, wool jumper, ... and gloves"). Empty: the slot's prompt again.
    public var askedAgain: [ResponseTemplate] = []

    public static let `default` = SlotTexts(
        cancelled: [try! ResponseTemplate("No problem, I've left that. What else can I help with?")],
        resume: [try! ResponseTemplate("Now, back to {label}.")],
        invalid: [try! ResponseTemplate("Sorry, I couldn't find that in your message.")]
    )

    public init(cancelled: [ResponseTemplate], resume: [ResponseTemplate], invalid: [ResponseTemplate], askedAgain: [ResponseTemplate] = []) {
        self.cancelled = cancelled
        self.resume = resume
        self.invalid = invalid
        self.askedAgain = askedAgain
    }

    public static let resumePlaceholders: Set<String> = ["label"]
    public static let askedAgainPlaceholders: Set<String> = ["options"]
}
