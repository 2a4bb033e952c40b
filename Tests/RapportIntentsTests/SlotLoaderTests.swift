import Foundation
import Testing
@testable import RapportIntents
import RapportCore

@Suite("Loading slots, lookups and data tables")
struct SlotLoaderTests {
    let entities = "entities:\n  - name: order_number\n    pattern: 'HP-\\d{5}'\n    example: HP-12345\n"
    let orders = DataTable(name: "orders", columns: ["order_number", "status"], rows: [["HP-10442", "on its way"]])

    func topic(_ slotsAndLookup: String, responses: String = "Order {order_number} is {orders.status}.") -> String {
        """
        intents:
          - name: order_status
            examples:
              - where is my order
        \(slotsAndLookup)
            responses:
              - "\(responses)"

        """
    }

    let valid = """
            slots:
              - name: order_number
                entity: order_number
                prompts:
                  - "Which order? {order_number|}"
                invalid:
                  - "They look like {example}."
            lookup:
              table: orders
              slot: order_number
              not_found:
                - "No order {order_number}."
        """

    func files(_ topicText: String, entities: String? = nil) -> [(String, String)] {
        [("bot.yaml", validSettings), ("orders.yaml", topicText), ("entities.yaml", entities ?? self.entities)]
    }

    func load(_ topicText: String) throws(BotLoadFailure) -> Bot {
        try RapportIntentsTests.load(files(topicText), tables: [orders])
    }

    func problems(_ topicText: String) -> [String] {
        RapportIntentsTests.problems(files(topicText), tables: [orders])
    }

    @Test func slotsAndLookupAreRead() throws {
        let intent = try #require(try load(topic(valid)).intents.first)
        #expect(intent.slots.map(\.name) == ["order_number"])
        #expect(intent.slots.first?.entity == "order_number")
        #expect(intent.slots.first?.required == true)
        #expect(intent.slots.first?.invalid.map(\.source) == ["They look like {example}."])
        #expect(intent.lookup?.table == "orders")
        #expect(intent.lookup?.slot == "order_number")
        #expect(intent.slots.first?.unsure.isEmpty == true)
    }

    @Test func notWithNamesDeclaredEntities() throws {
        let ruledOut = topic(valid).replacingOccurrences(of: "    examples:", with: "    not_with: [order_number]\n    examples:")
        #expect(try load(ruledOut).intents.first?.notWith == ["order_number"])
        #expect(problems(ruledOut.replacingOccurrences(of: "not_with: [order_number]", with: "not_with: [order_numbr]"))
            .contains { $0.contains("'order_numbr' in 'not_with'") && $0.contains("did you mean 'order_number'") })
    }

    @Test func aSlotSaysWhereToFindItsValue() throws {
        let unsure = valid.replacingOccurrences(of: "    lookup:", with: "        unsure:\n          - \"It's on your confirmation email.\"\n    lookup:")
        let intent = try #require(try load(topic(unsure)).intents.first)
        #expect(intent.slots.first?.unsure.map(\.source) == ["It's on your confirmation email."])
        #expect(problems(topic(unsure.replacingOccurrences(of: "It's on your confirmation email.", with: "It's {nowhere}.")))
            .contains { $0.contains("nowhere") })
    }

    @Test func aSlotSaysWhatAPersonCanDoWithoutItsValue() throws {
        let without = valid.replacingOccurrences(of: "    lookup:", with: "        without:\n          - \"A person can find it by your email.\"\n    lookup:")
        let intent = try #require(try load(topic(without)).intents.first)
        #expect(intent.slots.first?.without.map(\.source) == ["A person can find it by your email."])
        #expect(try load(topic(valid)).intents.first?.slots.first?.without.isEmpty == true)
        #expect(problems(topic(without.replacingOccurrences(of: "by your email.", with: "by {nowhere}.")))
            .contains { $0.contains("nowhere") })
    }

    @Test func aSlotSaysWhyItsValueIsWanted() throws {
        let why = valid.replacingOccurrences(of: "    lookup:", with: "        why:\n          - \"It's how I find your order.\"\n    lookup:")
        let intent = try #require(try load(topic(why)).intents.first)
        #expect(intent.slots.first?.why.map(\.source) == ["It's how I find your order."])
        #expect(try load(topic(valid)).intents.first?.slots.first?.why.isEmpty == true)
        #expect(problems(topic(why.replacingOccurrences(of: "find your order.", with: "find {nowhere}.")))
            .contains { $0.contains("nowhere") })
    }

    @Test func aLookupAddsUpAColumnOfAmounts() throws {
        let priced = DataTable(name: "orders", columns: ["order_number", "status", "paid"], rows: [["HP-10442", "on its way", "£38"]])
        let total = valid + "\n      total_of: paid\n      total:\n        - \"That's {total} together.\""
        let lookup = try #require(try RapportIntentsTests.load(files(topic(total)), tables: [priced]).intents.first?.lookup)
        #expect(lookup.total?.column == "paid")
        #expect(lookup.total?.say.map(\.source) == ["That's {total} together."])
        #expect(try load(topic(valid)).intents.first?.lookup?.total == nil, "no total unless asked for")
        // A column of words is no amount; a column not there, or one key without the other, is named.
        let words = RapportIntentsTests.problems(files(topic(total.replacingOccurrences(of: "total_of: paid", with: "total_of: status"))), tables: [priced])
        #expect(words.contains { $0.contains("'on its way', which is no amount") }, "\(words)")
        let missing = RapportIntentsTests.problems(files(topic(total.replacingOccurrences(of: "total_of: paid", with: "total_of: payd"))), tables: [priced])
        #expect(missing.contains { $0.contains("no column 'payd'") && $0.contains("did you mean 'paid'") }, "\(missing)")
        let alone = RapportIntentsTests.problems(files(topic(valid + "\n      total_of: paid")), tables: [priced])
        #expect(alone.contains { $0.contains("needs both 'total_of:'") }, "\(alone)")
    }

    @Test func someoneElseIsReadAndMayNotUseTheRecord() throws {
        #expect(try load(topic(valid)).intents.first?.lookup?.someoneElse.isEmpty == true, "any record is read out unless it says")
        let marked = valid + "\n      someone_else:\n        - \"I can only talk about your own order {order_number|}.\""
        #expect(try load(topic(marked)).intents.first?.lookup?.someoneElse.map(\.source) == ["I can only talk about your own order {order_number|}."])
        // Its text is said instead of the record, so it may not read the record out.
        let reading = problems(topic(valid + "\n      someone_else:\n        - \"It is {orders.status}.\""))
        #expect(reading.first?.contains("orders.status") == true, "\(reading)")
    }

    @Test func privateRecordsGuardEveryLookupOfTheirTable() throws {
        let privateOrders = validSettings + "\nprivate_records:\n  orders: [\"Only the person who placed an order can ask about it.\"]\n"
        func loaded(_ topicText: String, settings: String) throws(BotLoadFailure) -> Bot {
            try RapportIntentsTests.load([("bot.yaml", settings), ("orders.yaml", topicText), ("entities.yaml", entities)], tables: [orders])
        }
        // A lookup of the table with no text of its own says the table's.
        let guarded = try loaded(topic(valid), settings: privateOrders)
        let intent = try #require(guarded.intents.first)
        #expect(guarded.someoneElse(of: intent)?.texts.map(\.source) == ["Only the person who placed an order can ask about it."])
        #expect(guarded.someoneElse(of: intent)?.source == .privateRecord(table: "orders"))
        #expect(try load(topic(valid)).someoneElse(of: intent) == nil, "any record is read out unless bot.yaml says")
        // Its own text comes first.
        let own = try loaded(topic(valid + "\n      someone_else:\n        - \"Not yours.\""), settings: privateOrders)
        let owning = try #require(own.intents.first)
        #expect(own.someoneElse(of: owning)?.texts.map(\.source) == ["Not yours."])
        #expect(own.someoneElse(of: owning)?.source == .someoneElse(intent: "order_status"))
        // A table that is not there is named, with the nearest that is.
        let typo = privateOrders.replacingOccurrences(of: "  orders:", with: "  order:")
        let found = RapportIntentsTests.problems([("bot.yaml", typo), ("orders.yaml", topic(valid)), ("entities.yaml", entities)], tables: [orders])
        #expect(found.contains { $0.hasPrefix("intents/bot.yaml:") && $0.contains("names no table 'order'") && $0.contains("did you mean 'orders'") },
                "\(found)")
    }

    @Test func fromLastAnswerIsReadAndMustBeTrueOrFalse() throws {
        #expect(try load(topic(valid)).intents.first?.slots.first?.fromLastAnswer == false, "off unless asked for")
        let marked = valid.replacingOccurrences(of: "entity: order_number\n", with: "entity: order_number\n        from_last_answer: true\n")
        #expect(marked != valid, "the fixture changed")
        #expect(try load(topic(marked)).intents.first?.slots.first?.fromLastAnswer == true)
        let wrong = problems(topic(marked.replacingOccurrences(of: "from_last_answer: true", with: "from_last_answer: sometimes")))
        #expect(wrong.first == "intents/orders.yaml:8:27: error: 'from_last_answer' must be true or false", "\(wrong)")
    }

    @Test func fromFocusIsReadAndMustBeTrueOrFalse() throws {
        #expect(try load(topic(valid)).intents.first?.slots.first?.fromFocus == true, "on unless turned off")
        let marked = valid.replacingOccurrences(of: "entity: order_number\n", with: "entity: order_number\n        from_focus: false\n")
        #expect(marked != valid, "the fixture changed")
        #expect(try load(topic(marked)).intents.first?.slots.first?.fromFocus == false)
        let wrong = problems(topic(marked.replacingOccurrences(of: "from_focus: false", with: "from_focus: rarely")))
        #expect(wrong.first == "intents/orders.yaml:8:21: error: 'from_focus' must be true or false", "\(wrong)")
    }

    @Test func aResponseMayUseOnlyItsSlotsAndItsTablesColumns() {
        let found = problems(topic(valid, responses: "Order {order_number} is {orders.colour}."))
        #expect(found.count == 1)
        #expect(found.first?.contains("unknown placeholder {orders.colour}") == true)
        let withoutLookup = problems(topic("""
                slots:
                  - name: order_number
                    entity: order_number
                    prompts: ["Which order?"]
            """))
        #expect(withoutLookup.first?.contains("unknown placeholder {orders.status}") == true)
    }

    @Test func aSlotNeedsAnEntityThatExists() {
        let found = problems(topic(valid.replacingOccurrences(of: "entity: order_number", with: "entity: order_numbr")))
        #expect(found == ["intents/orders.yaml:7:17: error: slot 'order_number' of intent 'order_status' is filled by entity 'order_numbr', which entities.yaml does not declare; did you mean 'order_number'?"])
    }

    @Test func sayingTheExampleNeedsAnEntityThatHasOne() {
        let noExample = "entities:\n  - name: order_number\n    pattern: 'HP-\\d{5}'\n"
        #expect(RapportIntentsTests.problems(files(topic(valid), entities: noExample), tables: [orders]) == [
            "intents/orders.yaml:7:17: error: slot 'order_number' of intent 'order_status' says {example} when an answer is wrong, but entity 'order_number' has no 'example:'; add one in entities.yaml (or write {example|...})",
        ])
    }

    @Test func aRequiredSlotNeedsPrompts() {
        let found = problems(topic("""
                slots:
                  - name: order_number
                    entity: order_number
            """, responses: "Order {order_number}."))
        #expect(found == ["intents/orders.yaml:6:15: error: slot 'order_number' of intent 'order_status' is required but has no 'prompts:'; write how the bot asks for it"])
    }

    @Test func aLookupNeedsATableAndOneOfTheIntentsSlots() {
        let noTable = problems(topic(valid.replacingOccurrences(of: "table: orders", with: "table: order")))
        #expect(noTable.first?.contains("there is no table 'order'") == true)
        #expect(noTable.first?.contains("did you mean 'orders'?") == true)
        let noSlot = problems(topic(valid.replacingOccurrences(of: "      slot: order_number", with: "      slot: order_id")))
        #expect(noSlot.contains { $0.contains("intent 'order_status' has no slot 'order_id' to look up") })
    }

    @Test func aLookupWithoutNotFoundMustFindEveryValueOfAListEntity() throws {
        let colours = "entities:\n  - name: colour\n    values:\n      - navy: [dark blue]\n      - rust\n"
        let table = DataTable(name: "stock", columns: ["colour", "level"], rows: [["Navy", "plenty"], ["rust", "low"]])
        let text = """
            intents:
              - name: stock
                examples:
                  - is it in stock
                slots:
                  - name: colour
                    entity: colour
                    prompts: ["Which colour?"]
                lookup:
                  table: stock
                  slot: colour
                responses:
                  - "{colour}: {stock.level}."

            """
        let bot = try RapportIntentsTests.load([("bot.yaml", validSettings), ("stock.yaml", text), ("entities.yaml", colours)], tables: [table])
        #expect(bot.intents.first?.lookup?.notFound == [], "every colour has a row, so nothing needs saying for a missing one")
        let short = DataTable(name: "stock", columns: ["colour", "level"], rows: [["navy", "plenty"]])
        #expect(RapportIntentsTests.problems([("bot.yaml", validSettings), ("stock.yaml", text), ("entities.yaml", colours)], tables: [short]) == [
            "intents/stock.yaml:10:14: error: the lookup of intent 'stock' has no 'not_found:', but stock.csv has no row for 'rust' of entity 'colour'; add the rows, or write 'not_found:'",
        ])
        let anyValue = problems(topic(valid.replacingOccurrences(of: "\n      not_found:\n        - \"No order {order_number}.\"", with: "")))
        #expect(anyValue == [
            "intents/orders.yaml:13:14: error: the lookup of intent 'order_status' has no 'not_found:', but entity 'order_number' can give any value; write what the bot says when orders.csv has no row for it",
        ])
    }

    @Test func tablesAreReadFromCSVWithTheirProblemsLocated() throws {
        let table = try DataTableLoader.parse("order_number,status\nHP-1,\"on its way, nearly\"\n\nHP-2,\"said \"\"hi\"\"\"\n", name: "orders", file: "data/orders.csv").get()
        #expect(table.columns == ["order_number", "status"])
        #expect(table.row(for: "HP-1")?["orders.status"] == "on its way, nearly")
        #expect(table.row(for: "hp-2")?["orders.status"] == "said \"hi\"")
        let broken = DataTableLoader.parse("order_number,status\nHP-1,a\nHP-1,b\nHP-3\n,x\n", name: "orders", file: "data/orders.csv")
        guard case .failure(let failure) = broken else { Issue.record("expected problems"); return }
        #expect(failure.problems.map(\.description) == [
            "data/orders.csv:3: error: the key 'HP-1' is already the key of line 2",
            "data/orders.csv:4: error: this row has 1 field; the header has 2 columns",
            "data/orders.csv:5: error: this row has no key (its first field is empty)",
        ])
    }

    @Test func aColumnsLateFormNeedsTheColumnAndADueDay() throws {
        let table = try DataTableLoader.parse("order_number,due,detail,detail_late\nHP-1,2026-11-24,due on Tuesday,was due on Tuesday\nHP-2,2026-11-24,due soon,\n", name: "orders", file: "data/orders.csv").get()
        let late = DataTable.lateForms(of: try #require(table.row(for: "HP-1")))
        #expect(late["orders.detail"] == "was due on Tuesday")
        // An empty late form leaves the column as it is.
        #expect(DataTable.lateForms(of: try #require(table.row(for: "HP-2")))["orders.detail"] == "due soon")
        let broken = DataTableLoader.parse("order_number,status,detail_late,status_late\nHP-1,a,b,c\n", name: "orders", file: "data/orders.csv")
        guard case .failure(let failure) = broken else { Issue.record("expected problems"); return }
        #expect(failure.problems.map(\.description) == [
            "data/orders.csv:1: error: 'detail_late' is the late form of a column 'detail', which the header does not have",
            "data/orders.csv:1: error: 'status_late' is said only for a record past its due day, but the header has no 'due' column",
        ])
    }

    @Test func theBundledOrdersTableLoadsAndAnswers() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents").path
        let bot = try BotLoader.load(directory: folder)
        #expect(bot.tables["orders"]?.row(for: "HP-10442")?["orders.status"] == "on its way")
        #expect(bot.intent(named: "order_status")?.lookup?.table == "orders")
    }
}

@Suite("Loading contexts")
struct ContextLoaderTests {
    func load(_ topic: String) throws(BotLoadFailure) -> Bot {
        try RapportIntentsTests.load([("bot.yaml", validSettings), ("delivery.yaml", topic)])
    }

    func problems(_ topic: String) -> [String] {
        RapportIntentsTests.problems([("bot.yaml", validSettings), ("delivery.yaml", topic)])
    }

    let topic = """
        intents:
          - name: delivery_costs
            sets_context: delivery
            context_turns: 2
            examples: [how much is delivery]
            responses: [Delivery is £3.95.]
          - name: delivery_abroad
            needs_context: delivery
            examples: [and abroad?]
            responses: [Abroad is £9.95.]

        """

    @Test func contextsAreRead() throws {
        let bot = try load(topic)
        #expect(bot.intents[0].setsContext == "delivery")
        #expect(bot.intents[0].contextTurns == 2)
        #expect(bot.intents[1].needsContext == ["delivery"])
    }

    @Test func aContextNoIntentOpensIsAnError() {
        #expect(problems(topic.replacingOccurrences(of: "needs_context: delivery", with: "needs_context: delivry")) == [
            "intents/delivery.yaml:7:11: error: intent 'delivery_abroad' needs context 'delivry', which no intent opens with 'sets_context'; it could never be answered; did you mean 'delivery'?",
        ])
    }

    @Test func contextTurnsNeedsAContextAndAWholeNumber() {
        let found = problems(topic.replacingOccurrences(of: "    sets_context: delivery\n", with: "").replacingOccurrences(of: "context_turns: 2", with: "context_turns: 2.5"))
        #expect(found.contains("intents/delivery.yaml:3:20: error: 'context_turns' says how long the context of 'sets_context' lasts; add 'sets_context:'"))
    }
}
