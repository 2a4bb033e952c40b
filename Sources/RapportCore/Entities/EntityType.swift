import Foundation

/// A kind of thing customers mention that the bot should pick out of a
/// message: an order number, an e-mail address, a product. Declared in
/// `intents/entities.yaml`.
public struct EntityType: Hashable, Sendable {
    /// How the entity is recognised in a message.
    public enum Recognizer: Hashable, Sendable {
        /// A regular expression searched in the message as typed. The value is
        /// the match, or `template` with `$0`...`$9` standing for the capture
        /// groups, then normalised.
        case pattern(source: String, template: String?, normalization: Normalization)
        /// A closed list of values, each with the other ways customers say it;
        /// matched word by word with case and accents folded, tolerating typos.
        case list([EntityValue])
        /// Dates as customers write them ("tomorrow", "next friday", "3 March",
        /// "03/11/2026"), normalised to `yyyy-MM-dd` relative to the message's time.
        case date(dayFirst: Bool)
        /// Sums of money with a currency ("£12.50", "12 pounds", "€4,99"),
        /// normalised to `12.50 GBP`.
        case amount
    }

    /// What is done to a pattern's value after the template.
    public enum Normalization: String, Hashable, Sendable, CaseIterable {
        /// Kept as written.
        case none
        /// Upper-cased: order numbers, postcodes.
        case upper
        /// Lower-cased: e-mail addresses.
        case lower
        /// Digits only, a leading "+" kept: phone numbers.
        case digits
    }

    public var name: String
    public var recognizer: Recognizer
    /// A value written the expected way, for messages such as "order numbers
    /// look like A-12345".
    public var example: String?
    /// Whether a conversation can be about a value of this type (an order, a
    /// product, a shop): once named, it stays in focus and fills any slot of
    /// this type the customer leaves out (`Focus`).
    public var focus: Bool
    /// Whether a value in focus stays there for the rest of the conversation
    /// (`focus: conversation`) once a request has read its record out: the
    /// customer's own membership number, told at the start, is still theirs
    /// ten messages later ("do my points carry over?"). Another value of the
    /// type displaces it as usual.
    public var focusLastsTheConversation: Bool
    public var location: SourceLocation?
    /// Letters customers type for digits, each read as its digit when it sits
    /// among digits (`O` for `0`, `l` for `1`: "HP-1O442" is HP-10442).
    /// Only pattern entities use them. A letter is read as a digit when its
    /// run of digits and such letters holds at least one real digit, so words
    /// ("hello", "OIL") are never changed.
    public var digitLookalikes: [Character: Character]
    /// A second pattern that counts only while the bot is asking for this
    /// entity: a bare "10443" is an order number in answer to "What's your
    /// order number?", and nothing anywhere else.
    public var whenAsked: AskedPattern?
    /// Whether a list value's English plural counts as the value
    /// ("waterproof jackets", "mugs"): for things, not names ("Frances" is
    /// no France). Only list entities use it.
    public var plurals: Bool

    /// A pattern read only in answer to the bot's question for its entity.
    public struct AskedPattern: Hashable, Sendable {
        /// A regular expression, as `Recognizer.pattern`'s `source`.
        public var source: String
        /// The value built from the match (`$0`...`$9`); nil: the match.
        public var template: String?

        public init(source: String, template: String? = nil) {
            self.source = source
            self.template = template
        }
    }

    public init(
        name: String, recognizer: Recognizer, example: String? = nil, focus: Bool = false, location: SourceLocation? = nil,
        digitLookalikes: [Character: Character] = [:], whenAsked: AskedPattern? = nil, plurals: Bool = false,
        focusLastsTheConversation: Bool = false
    ) {
        self.name = name
        self.recognizer = recognizer
        self.example = example
        self.focus = focus || focusLastsTheConversation
        self.focusLastsTheConversation = focusLastsTheConversation
        self.location = location
        self.digitLookalikes = digitLookalikes
        self.whenAsked = whenAsked
        self.plurals = plurals
    }
}

/// One value of a list entity and the other ways customers say it.
public struct EntityValue: Hashable, Sendable {
    /// The normalised value reported when any of its forms is found.
    public var value: String
    public var synonyms: [String]

    public init(_ value: String, synonyms: [String] = []) {
        self.value = value
        self.synonyms = synonyms
    }
}

/// An entity found in a message.
public struct EntityMatch: Hashable, Sendable, Codable {
    /// The entity type's name.
    public var entity: String
    /// The text as the customer typed it.
    public var text: String
    /// The normalised value: what responses and slots use.
    public var value: String
    /// Where the text is in the message, in Unicode scalar (code point)
    /// offsets: `start` inclusive, `end` exclusive.
    public var start: Int
    public var end: Int
    /// True when a list value was recognised despite a typo.
    public var approximate: Bool

    public init(entity: String, text: String, value: String, start: Int, end: Int, approximate: Bool = false) {
        self.entity = entity
        self.text = text
        self.value = value
        self.start = start
        self.end = end
        self.approximate = approximate
    }
}
