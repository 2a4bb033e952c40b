import Foundation
import RapportTestSupport
@testable import RapportCore

/// A small bot built in code, so core tests need no files.
enum Fixtures {
    static let bot = Bot(
        name: "Pip",
        variables: ["shop_name": "Harbour & Pine"],
        welcome: [template("Hello from {shop_name}."), template("Hi, I'm {bot_name}.")],
        fallback: [template("Sorry, say that another way?")],
        farewell: [template("Goodbye from {shop_name}.")],
        intents: [
            Intent(name: "greet", topic: "smalltalk", examples: ["hi", "hello", "good morning"],
                   responses: [template("Hello!"), template("Hi there!"), template("Hey!")], resolves: false, isPleasantry: true),
            Intent(name: "goodbye", topic: "smalltalk", examples: ["bye", "goodbye", "see you later"],
                   responses: [template("Bye!")], endsConversation: true),
            Intent(name: "order_status", topic: "orders",
                   examples: ["where is my order", "track my order", "has my parcel shipped"],
                   responses: [template("Track it at {shop_name}'s site.")]),
            Intent(name: "human_agent", topic: "help", examples: ["talk to a human", "real person please"],
                   responses: [template("A person will help you.")], handsOff: true),
            Intent(name: "delivery_costs", topic: "delivery",
                   examples: ["how much is delivery", "is shipping free", "delivery charges"],
                   responses: [template("Delivery is £3.95.")]),
        ],
        matching: MatchingSettings(confidenceThreshold: 0.4),
        lexicon: bundledLexicon
    )

    static let engine = Engine(bot: bot)
    static let noon = Date(timeIntervalSince1970: 1_800_000_000)
}

extension Conversation {
    /// A conversation that has greeted the customer, ready for messages.
    static func started(_ engine: Engine = Fixtures.engine, seed: UInt64, sessionID: String = "s") -> Conversation {
        var conversation = Conversation(engine: engine, sessionID: sessionID, seed: seed)
        _ = conversation.handle(.started(at: Fixtures.noon))
        return conversation
    }

    /// The customer says `text`, at noon.
    @discardableResult
    mutating func say(_ text: String) -> TurnOutcome {
        handle(.customerSaid(text, at: Fixtures.noon))
    }
}
