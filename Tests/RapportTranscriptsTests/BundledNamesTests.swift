import Foundation
import Testing
import RapportCore
import RapportIntents

/// The bundled bot's first names: no word of its own (its intents' examples,
/// its lexicon) is a name, and common first names stay names, including
/// those that are words too (`names.also_words` in intents/signals.yaml).
@Suite("The bundled bot and first names")
struct BundledNamesTests {
    static let reader: ProfileReader? = BundledTranscriptsTests.bot.map {
        ProfileReader(bot: $0, entities: EntityExtractor(types: $0.entities))
    }

    @Test("common first names are names", arguments: [
        "Sam", "Jo", "Chris", "Will", "Mark", "Grace", "Rose", "May", "June", "Jack", "Bill", "Priya", "Mohammed", "Olivia",
        "Noah", "Amelia", "Oliver", "Harry", "George", "Charlie", "Emily", "Sophie", "Ella", "Lily", "Freya", "Isla", "Leo",
        "Alfie", "Archie", "Ava", "Mia", "Evie", "Ruby", "Daisy", "Poppy", "Thomas", "James", "William", "Henry", "Oscar",
        "Arthur", "Theo", "Jacob", "Lucas", "Max", "Ethan", "Hannah", "Anna", "Ben", "Dan", "Tom", "Kate", "Liz", "Aisha",
        "Fatima", "Morag", "Callum", "Ewan", "Ross", "Fiona", "Niamh", "Sean", "Mary", "John", "David", "Michael", "Paul",
        "Peter", "Sarah", "Claire", "Emma", "Laura", "Rachel", "Amy", "Jess", "Ellie", "Dev", "Jan", "Robin", "Holly", "Penny",
        "Frank", "Faith", "Hope", "Joy", "Amber", "Dawn", "Summer", "Ray", "Nick", "Rob", "Drew", "Dean", "Pat", "Sue", "Ivy",
    ])
    func commonNames(name: String) throws {
        let reader = try #require(Self.reader)
        #expect(reader.isName(name))
    }

    @Test("words of requests, moods and nationalities are no names", arguments: [
        "Scottish", "Wheres", "Returning", "Looking", "Tracking", "Cancelling", "Delivery", "Order", "Refund", "Hungry",
        "Happy", "Annoyed", "Useless", "Irish", "Welsh", "What", "Sorry", "Still", "Waiting",
    ])
    func noNames(word: String) throws {
        let reader = try #require(Self.reader)
        #expect(!reader.isName(word))
    }
}
