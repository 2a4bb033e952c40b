import Foundation
import Testing
import RapportTestSupport
@testable import RapportCore

/// A fact is kept only when the message states it about the customer, and
/// only a value that passes its field's own check: the `ProfileReader` with
/// the bundled lexicon, and the conversation around it.
@Suite("Only facts the customer states")
struct ProfileFactsTests {
    typealias F = ProfileFixtures

    /// The test bot's fields, plus a phone; its vocabulary is its intents'
    /// examples and a few request words, as a bundled bot's would be.
    static let fields = F.catalogue.fields + [
        ProfileField(name: "phone", label: "your phone number", kind: .contact, tier: 3, questions: [], purpose: [],
                     answer: .entity("phone")),
        ProfileField(name: "age", label: "your age", kind: .demographic, tier: 3, questions: [], purpose: [], answer: .number(16...110)),
    ]
    static let reader: ProfileReader = {
        var catalogue = F.catalogue
        catalogue.fields = fields
        let phone = EntityType(name: "phone", recognizer: .pattern(source: #"\b0\d{3,4} ?\d{3} ?\d{3,4}\b"#, template: nil, normalization: .none))
        let requests = [Intent(name: "returns", examples: ["I'm returning a jumper", "wheres my parcel", "I'm looking for boots"],
                               responses: [template("Returns.")])]
        return ProfileReader(catalogue: catalogue, entities: EntityExtractor(types: F.bot.entities + [phone]), lexicon: bundledLexicon,
                             vocabulary: ProfileReader.vocabulary(of: F.bot.intents + requests))
    }()
    static func field(_ name: String) -> ProfileField { fields.first { $0.name == name }! }

    // MARK: names

    @Test("a word after I'm that is no name gives no first name", arguments: [
        "I'm Scottish, do you deliver to Edinburgh?", "I'm Hungry", "I'm Returning a jumper", "I'm Looking for boots",
        "I'm Happy with it", "I'm Welsh", "I'm Vegan, is the candle wax ok?", "I'm Wheres",
    ])
    func noNameVolunteered(text: String) {
        let reader = ProfileReader(catalogue: ProfileCatalogue(
            fields: [ProfileField(name: "first_name", label: "your first name", kind: .contact, tier: 1, questions: [], purpose: [],
                                  answer: .name, volunteered: [#"(?-i:\bI(?:['’]?m| am) (\p{Lu}\p{Ll}+))"#])],
            trust: .default, asking: .default, texts: .default, offers: []),
            entities: EntityExtractor(types: []), lexicon: bundledLexicon,
            vocabulary: ProfileReader.vocabulary(of: [Intent(name: "returns", examples: ["I'm returning a jumper", "I'm looking for boots"],
                                                             responses: [template("Returns.")])]))
        #expect(reader.volunteeredFacts(in: text, at: Fixtures.noon).isEmpty)
    }

    @Test("an answer to \"what should I call you?\" that is no name", arguments: [
        "wheres order 10501", "lol why", "Chris2", "what", "Scottish", "I'm not happy", "why do you ask?", "returning",
        "can I just track my order", "is it important",
    ])
    func noNameAnswered(text: String) {
        #expect(Self.reader.answer(text, for: Self.field("first_name"), at: Fixtures.noon) == nil)
    }

    @Test("names, also those that are words of the bot's", arguments: [
        ("it's Chris", "Chris"), ("Morag", "Morag"), ("haha ok, its Chris", "Chris"), ("ok fine, Chris", "Chris"),
        ("Will", "Will"), ("it's Mark", "Mark"), ("call me Jo", "Jo"), ("sure, Priya", "Priya"),
    ])
    func namesAnswered(text: String, name: String) {
        #expect(Self.reader.answer(text, for: Self.field("first_name"), at: Fixtures.noon) == name)
    }

    @Test func theIntentsExamplesAreTheVocabularyButNotTheirProperNouns() {
        let vocabulary = ProfileReader.vocabulary(of: [
            Intent(name: "shops", examples: ["Is there a shop in Edinburgh", "wheres the York shop", "a café near Édimbourg’s castle"],
                   responses: [template("Shops.")]),
            Intent(name: "hello", examples: ["I'm Sam"], responses: [template("Hi.")], action: .introduce),
        ])
        #expect(vocabulary.isSuperset(of: ["is", "there", "shop", "wheres", "where"]))
        #expect(!vocabulary.contains("edinburgh") && !vocabulary.contains("york"), "written with a capital inside a sentence")
        #expect(vocabulary.isSuperset(of: ["cafe", "near", "castle"]) && !vocabulary.contains("edimbourg"),
                "an example with letters beyond ASCII is read by characters, with the same rules")
        #expect(!vocabulary.contains("sam"), "introductions hold sample names")
    }

    // MARK: free answers

    @Test("a question or a sentence is no town", arguments: [
        "what do I get", "Leeds?", "where do you deliver", "I don't know", "it is near me", "do you have a shop there",
        "how much is delivery to Leeds", "somewhere in the north of England I think",
    ])
    func noTown(text: String) {
        #expect(Self.reader.answer(text, for: Self.field("city"), at: Fixtures.noon) == nil)
    }

    @Test("towns", arguments: [
        ("Leeds", "Leeds"), ("stoke on trent", "Stoke On Trent"), ("Newcastle upon Tyne", "Newcastle Upon Tyne"),
        ("I live in Leeds", "Leeds"), ("ok, Bath", "Bath"),
    ])
    func towns(text: String, town: String) {
        #expect(Self.reader.answer(text, for: Self.field("city"), at: Fixtures.noon) == town)
    }

    @Test func aRequestIsNoFreeAnswer() {
        #expect(Self.reader.answer("Leeds", for: Self.field("city"), at: Fixtures.noon, reading: .request) == nil)
        #expect(Self.reader.answer("Leeds", for: Self.field("city"), at: Fixtures.noon, reading: .smallTalk) == nil)
        #expect(Self.reader.answer("Leeds", for: Self.field("city"), at: Fixtures.noon, reading: .introduction) == "Leeds")
    }

    // MARK: contact details

    @Test("an address given unasked is kept only when the message says it is theirs", arguments: [
        ("send it to accounts@acme.example", nil), ("email accounts@acme.example", nil),
        ("my boss's email is boss@acme.example", nil), ("accounts@acme.example is the accounts address", nil),
        ("it's sam@example.com", nil), ("can you send it to me and to accounts@acme.example", nil),
        ("you can reach me at sam@example.com", "sam@example.com"), ("my work email address is sam@example.com", "sam@example.com"),
        ("I'm on sam@example.com", "sam@example.com"), ("send it to me at sam@example.com", "sam@example.com"),
        ("hi, I'm Sam. my email: sam@example.com", "sam@example.com"),
    ] as [(String, String?)])
    func ownEmail(text: String, kept: String?) {
        let facts = Self.reader.introducedFacts(in: text, fields: Self.fields, at: Fixtures.noon)
        #expect(facts.first { $0.field.name == "email" }?.value == kept)
    }

    @Test("a request holds the answer to the e-mail question only as theirs, or alone", arguments: [
        ("can you email the invoice to accounts@acme.example", nil), ("please send the invoice to accounts@acme.example", nil),
        ("send my order updates to my email sam@example.com", "sam@example.com"), ("sam@example.com", "sam@example.com"),
    ] as [(String, String?)])
    func emailInARequest(text: String, kept: String?) {
        #expect(Self.reader.answer(text, for: Self.field("email"), at: Fixtures.noon, reading: .request) == kept)
    }

    @Test func theAnswerToTheQuestionIsTheirsUnlessItIsARequest() {
        #expect(Self.reader.answer("send them to sam@example.com", for: Self.field("email"), at: Fixtures.noon) == "sam@example.com")
    }

    // MARK: bare answers, one message late

    @Test("a bare answer is the value and fillers only", arguments: [
        ("first_name", "its Chris", "Chris"), ("first_name", "haha ok, its Chris", "Chris"), ("first_name", "Chris", "Chris"),
        ("first_name", "ok fine, Chris", "Chris"), ("first_name", "Chris and where is my order", nil),
        ("first_name", "lol why", nil), ("city", "Leeds", "Leeds"), ("city", "ok, it's Leeds", "Leeds"),
        ("city", "Leeds, and do you deliver there", nil), ("email", "it's sam@example.com", "sam@example.com"),
        ("email", "sam@example.com for the invoice please", nil), ("phone", "ok it's 0161 496 0000", "0161 496 0000"),
        ("age", "34", "34"), ("age", "34 and what about returns", nil),
    ] as [(String, String, String?)])
    func bareAnswers(field: String, text: String, value: String?) {
        #expect(Self.reader.bareAnswer(text, for: Self.field(field), at: Fixtures.noon) == value)
    }

    @Test func aRequestIsNoBareAnswerButSmallTalkMayHoldAName() {
        #expect(Self.reader.bareAnswer("its Chris", for: Self.field("first_name"), at: Fixtures.noon, reading: .request) == nil)
        #expect(Self.reader.bareAnswer("ok, its Chris", for: Self.field("first_name"), at: Fixtures.noon, reading: .smallTalk) == "Chris")
        #expect(Self.reader.bareAnswer("ok, Leeds", for: Self.field("city"), at: Fixtures.noon, reading: .smallTalk) == nil)
    }

    // MARK: each field's own check

    @Test("a value that fails its field's check is not read", arguments: [
        ("first_name", "Sam 2"), ("first_name", "Sam Smith Jones"), ("city", "the one with the big cathedral in it"),
        ("city", "fine"), ("age", "12"), ("age", "34 or 35"), ("email", "sam at example dot com"),
    ])
    func failsItsCheck(field: String, text: String) {
        #expect(Self.reader.answer(text, for: Self.field(field), at: Fixtures.noon) == nil)
    }

    // MARK: in a conversation

    /// A returning customer, just asked for their first name.
    static func askedForName() -> Conversation {
        var conversation = F.conversation(F.customer(visits: 2, trust: 10))
        _ = conversation.say("where is my order HP-10442")
        _ = conversation.say("got it")
        #expect(conversation.state.askingField == "first_name")
        return conversation
    }

    @Test func anAnswerOneMessageLateIsKept() {
        var conversation = Self.askedForName()
        #expect(conversation.say("lol what").replies == ["Sorry, say that another way?"])
        let late = conversation.say("haha ok, its Chris")
        #expect(late.replies == ["Thanks, I'll remember that your first name is Chris."])
        #expect(conversation.state.profile.facts["first_name"]?.value == "Chris")
        #expect(late.profileChanges.contains(.trust(.answeredQuestion, delta: 3)), "an answer, if late")
    }

    @Test("an answer two messages late, or a late request, is not kept", arguments: [
        ["lol what", "hmm", "Chris"], ["lol what", "Chris, where is my order HP-10442"], ["lol what", "how much is delivery"],
    ])
    func tooLate(messages: [String]) {
        var conversation = Self.askedForName()
        for message in messages { _ = conversation.say(message) }
        #expect(conversation.state.profile.facts["first_name"] == nil)
    }

    @Test func aDeclinedFieldIsNoLateAnswer() {
        var conversation = Self.askedForName()
        _ = conversation.say("I'd rather not")
        _ = conversation.say("Chris")
        #expect(conversation.state.profile.facts["first_name"] == nil)
    }

    @Test func aContactDetailInARequestIsNoAnswerToTheQuestion() {
        var profile = F.customer(visits: 2, trust: 30)
        profile.facts["first_name"] = ProfileFact(value: "Sam", source: .stated, at: Fixtures.noon, consent: true)
        var conversation = F.conversation(profile)
        _ = conversation.say("where is my order HP-10442")
        #expect(conversation.say("got it").replies.last == "What's your email?")
        _ = conversation.say("where is my order HP-10610, and email it to accounts@acme.example")
        #expect(conversation.state.profile.facts["email"] == nil)
    }
}
