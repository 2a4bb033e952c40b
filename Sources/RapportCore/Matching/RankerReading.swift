import Foundation

/// How the ranker reads a message: the text of value entities (pattern, date
/// and amount entities) stands as a word for the entity's type, so
/// "where is HP-10442" reads "where is entityordernumber". The classifier
/// learns from the presence of an order number (when examples show one), not
/// from its digits, and characters it never saw cannot lower its confidence.
/// List entities (products, countries) are ordinary words and stay.
///
/// The engine trains and ranks on reading forms; `rapport eval --intents`
/// uses the same reading so that it measures the bot as it runs.
public struct RankerReading: Sendable {
    /// When examples are read: dates in them only need finding, not their value.
    public static let examplesDate = Date(timeIntervalSince1970: 0)

    public let entities: EntityExtractor
    /// The entity types `entities` finds: part of what names a training set.
    public let types: [EntityType]
    /// Entities whose text is a value (order numbers, dates, sums), not words about the intent.
    public let valueEntities: Set<String>

    /// Messages read as they are: no entity stands for its type.
    public static let asWritten = RankerReading(entities: EntityExtractor(types: []), types: [])

    public init(entities: EntityExtractor, types: [EntityType]) {
        self.entities = entities
        self.types = types
        self.valueEntities = Set(types.filter {
            if case .list = $0.recognizer { return false }
            return true
        }.map(\.name))
    }

    /// The reading of `bot`'s messages, with its own entities.
    public init(bot: Bot) {
        self.init(entities: EntityExtractor(types: bot.entities), types: bot.entities)
    }

    /// The text the ranker reads for `message`, sent at `now`.
    public func readingForm(of message: String, at now: Date = Self.examplesDate) -> String {
        readingForm(of: message, found: entities.extract(from: message, at: now))
    }

    /// The text the ranker reads for `message`, in which `found` are the entities found.
    public func readingForm(of message: String, found: [EntityMatch]) -> String {
        Self.masking(found.filter { valueEntities.contains($0.entity) }, in: message)
    }

    /// The intents with their examples in their reading forms: what the ranker is trained on.
    public func readingForms(of intents: [Intent]) -> [Intent] {
        intents.map { intent in
            var intent = intent
            intent.examples = intent.examples.map { readingForm(of: $0) }
            return intent
        }
    }

    /// The word an entity's value is read as: "order_number" reads "entityordernumber".
    static func word(for entity: String) -> String {
        "entity" + entity.filter { $0.isLetter || $0.isNumber }
    }

    /// The message with these entities' text replaced by the words for their types.
    static func masking(_ matches: [EntityMatch], in message: String) -> String {
        guard !matches.isEmpty else { return message }
        var scalars = Array(message.unicodeScalars)
        for match in matches.sorted(by: { $0.start > $1.start }) where match.end <= scalars.count {
            scalars.replaceSubrange(match.start..<match.end, with: Array((" " + word(for: match.entity) + " ").unicodeScalars))
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }
}
