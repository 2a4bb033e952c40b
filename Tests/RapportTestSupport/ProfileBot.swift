import Foundation
import RapportCore

/// A small shop bot that profiles its customers, built in code for tests of
/// the engine and of the front ends: orders with a slot and a lookup, a
/// three-field catalogue, and the intents a customer controls their data with
/// (matched by patterns, so tests do not depend on the classifier).
public enum ProfileBot {
    public static func pattern(_ text: String) -> IntentPattern {
        guard let pattern = try? IntentPattern(parsing: text) else { fatalError("bad fixture pattern: \(text)") }
        return pattern
    }

    public static let orderNumber = EntityType(
        name: "order_number", recognizer: .pattern(source: #"\b[Hh][Pp]-?(\d{5})\b"#, template: "HP-$1", normalization: .none),
        example: "HP-12345")
    public static let email = EntityType(
        name: "email", recognizer: .pattern(source: #"\b[a-z0-9.]+@[a-z0-9.]+\.[a-z]{2,}\b"#, template: nil, normalization: .lower))

    public static let catalogue = ProfileCatalogue(
        fields: [
            ProfileField(name: "first_name", label: "your first name", synonyms: ["name"], kind: .contact, tier: 1,
                         questions: [template("What should I call you?")], purpose: [template("To greet you by name.")],
                         use: [template("Only to greet you.")], answer: .name, volunteered: [#"\bmy name is (\p{L}+)"#]),
            ProfileField(name: "email", label: "your email", kind: .contact, tier: 2,
                         questions: [template("What's your email?")], purpose: [template("For order updates.")],
                         answer: .entity("email"), volunteered: [#"\bmy email is (\S+)"#]),
            ProfileField(name: "city", label: "your town", kind: .geographic, tier: 2,
                         questions: [template("Which town are you in?")], purpose: [template("For delivery times.")],
                         answer: .text, volunteered: [#"\bI live in (\p{L}+)"#]),
        ],
        trust: TrustRules.default, // tiers at 8, 20, 40, 60
        asking: AskingRules(quietMessages: 3, messagesBetween: 3, perConversation: 2, partnershipOrders: 5),
        texts: .default,
        offers: [Offer(name: "club", when: CustomerCondition(levels: [.proactive, .partnership]), texts: [template("Join our club!")])]
    )

    public static let bot: Bot = {
        func control(_ name: String, _ action: ProfileAction, _ written: String, _ reply: String, needs: [String] = []) -> Intent {
            Intent(name: name, topic: "privacy", examples: [name.replacingOccurrences(of: "_", with: " ")],
                   responses: [template(reply)], patterns: [pattern(written)], needsContext: needs, resolves: false, action: action)
        }
        return Bot(
            name: "Pip",
            variables: ["shop_name": "Harbour & Pine"],
            welcome: [template("Welcome back, {first_name}!", condition: CustomerCondition(known: ["first_name"])), template("Hello!")],
            fallback: [template("Sorry, say that another way?")],
            farewell: [template("Goodbye from {shop_name}.")],
            intents: [
                Intent(name: "greet", topic: "smalltalk", examples: ["hi", "hello", "good morning"],
                       responses: [template("Hello!"), template("Hi there!"), template("Hey!")], resolves: false),
                Intent(name: "goodbye", topic: "smalltalk", examples: ["bye", "goodbye", "see you later"],
                       responses: [template("Bye!")], endsConversation: true),
                Intent(name: "order_status", topic: "orders",
                       examples: ["where is my order", "track my order", "has my parcel shipped", "where is HP10001", "track order HP10002"],
                       responses: [template("Order {order_number} is {orders.status}.")],
                       slots: [SlotSpec(name: "order_number", entity: "order_number",
                                        prompts: [template("Which order?")], invalid: [template("They look like {example}.")])],
                       lookup: Lookup(table: "orders", slot: "order_number", notFound: [template("No order {order_number}.")]),
                       evidence: .purchase),
                Intent(name: "human_agent", topic: "help", examples: ["talk to a human", "real person please"],
                       responses: [template("A person will help you.")], handsOff: true),
                Intent(name: "delivery_costs", topic: "delivery",
                       examples: ["how much is delivery", "is shipping free", "delivery charges"],
                       responses: [template("Delivery is £3.95.")]),
                control("profile_show", .showProfile, "/^what do you know about me/", "I know: {facts}."),
                control("profile_forget", .forgetField, "/^forget my/", "Forgotten {field}."),
                control("profile_erase", .eraseCustomer, "/^delete all my data/", "Delete everything?"),
                control("profile_stop", .stopProfiling, "/^stop asking/", "No more questions."),
                control("profile_why", .explainPurpose, "/^why/", "Just to help.", needs: [ProfileCatalogue.questionContext]),
                Intent(name: "profile_use", topic: "privacy", examples: ["how did you get my details"],
                       responses: [template("{use} Say forget {field}.", condition: CustomerCondition(given: ["use"])),
                                   template("I keep only what you tell me.")],
                       patterns: [pattern("/^how did you get my/")], resolves: false, action: .explainUse),
                Intent(name: "recommended", examples: ["I recommended you"], responses: [template("Thanks!")],
                       patterns: [pattern("/^i recommended you/")], resolves: false, evidence: .recommendation),
                // "Got it" just after an answer closes it: the moment for a profile question.
                Intent(name: "acknowledge", topic: "smalltalk", examples: ["got it", "great"], responses: [template("Okay.")],
                       patterns: [pattern("/^(got it|great)[!. ]*$/")], resolves: false, isPleasantry: true),
                Intent(name: "thanks", topic: "smalltalk", examples: ["thanks"], responses: [template("You're welcome. Anything else?")],
                       patterns: [pattern("/^thanks?( you)?[!. ]*$/")], resolves: false, asksFeedback: true, isPleasantry: true),
                control("give_feedback", .giveFeedback, "/^i want to leave feedback/", "unused"),
            ],
            entities: [orderNumber, email],
            tables: ["orders": DataTable(name: "orders", columns: ["order_number", "status"], rows: [
                ["HP-10442", "on its way"], ["HP-10610", "delayed"],
            ])],
            matching: MatchingSettings(confidenceThreshold: 0.4),
            profile: catalogue,
            lexicon: bundledLexicon
        )
    }()
}
