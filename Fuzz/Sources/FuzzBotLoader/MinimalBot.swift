/// A small bot that loads cleanly and uses each kind of file the loader reads:
/// settings, entities (pattern, list, built-in), a profile, a topic with a
/// slot and a lookup, and a data table. The fuzzer mutates it one file at a time.
enum MinimalBot {
    static let files: [String: [UInt8]] = texts.mapValues { Array($0.utf8) }

    static let texts: [String: String] = [
        "bot.yaml": """
            name: Pip
            variables:
              shop_name: Harbour & Pine
            welcome:
              - Hello from {shop_name}.
            fallback:
              - Sorry?
            farewell:
              - Bye.
            matching:
              confidence_threshold: 0.4

            """,
        "entities.yaml": """
            entities:
              - name: order_number
                pattern: '\\b[Hh][Pp][- ]?(\\d{5})\\b'
                value: 'HP-$1'
                example: HP-12345
              - name: colour
                values:
                  - navy: [dark blue]
                  - rust
              - name: date
                builtin: date
                example: 3 March

            """,
        "profile.yaml": """
            fields:
              - name: first_name
                label: your first name
                kind: contact
                tier: 1
                answer: name
                questions:
                  - What should I call you?
                purpose:
                  - To greet you by name.
            trust:
              tiers: [5, 10, 30, 50]
            asking:
              per_conversation: 1

            """,
        "orders.yaml": """
            intents:
              - name: order_status
                examples:
                  - where is my order
                  - has my parcel shipped
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
                responses:
                  - "Order {order_number} is {orders.status}."
                  - text: "Hello {first_name}, order {order_number} is {orders.status}."
                    when: {known: first_name}
              - name: greet
                examples:
                  - hi
                  - hello
                buttons:
                  - Where is my order?
                responses:
                  - Hello {first_name|there}!

            """,
        "data/orders.csv": #"""
            order_number,status,"note"
            HP-10442,on its way,
            HP-10443,"delivered, signed for","said ""thanks"""

            """#,
    ]
}
