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

    @Test("statements that open with their subject are no questions", arguments: [
        "It was cancelled on the 12th of November. That's over 3 weeks.", "it is a present for my mum", "i can't find it anywhere",
        "you said it would come on Tuesday", "its been a week already", "ok I'll wait a bit longer",
        "the boots came. the socks didn't", "has been three weeks now",
    ])
    func statements(text: String) throws {
        let reader = try #require(Self.reader)
        #expect(!reader.isQuestion(text))
    }

    @Test("questions are questions, after fillers and a joining word", arguments: [
        "ok and when will it arrive", "and when will it come", "was it cancelled", "is it late", "so where are the boots",
        "haha ok can I return it", "does it come in blue?", "has it shipped", "so the jumper one. has it gone out yet",
        "HP-10588, boots and socks. when will they come",
    ])
    func questions(text: String) throws {
        let reader = try #require(Self.reader)
        #expect(reader.isQuestion(text))
    }

    @Test("a message of words the bot never uses holds no known word") func unknownWords() async throws {
        let reader = try #require(Self.reader)
        #expect(!reader.holdsKnownWords("blorp zingle"))
        #expect(reader.holdsKnownWords("jumper and mug"))
    }
}
