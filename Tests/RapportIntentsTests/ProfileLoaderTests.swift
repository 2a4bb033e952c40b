import Foundation
import Testing
@testable import RapportIntents
import RapportCore

@Suite("Loading profile.yaml and personalised replies")
struct ProfileLoaderTests {
    static let entities = """
        entities:
          - name: email
            pattern: '\\b\\S+@\\S+\\b'
            normalize: lower

        """

    static let profile = """
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
            volunteered:
              - '\\bmy name is (\\w+)'
          - name: email
            kind: contact
            tier: 2
            answer: {entity: email}
            questions:
              - Your email?
            purpose:
              - For order updates.
        trust:
          tiers: [5, 10, 30, 50]
        asking:
          per_conversation: 1
        texts:
          declined:
            - Fine, {field} stays yours.
        offers:
          - name: club
            when: {level: [proactive, partnership], first_name: sam}
            after: [greet]
            texts:
              - Join the club, {first_name}!

        """

    static let topic = """
        intents:
          - name: greet
            examples:
              - hi
            responses:
              - text: Hello again, {first_name}!
                when: {known: first_name, stage: [client, advocate]}
              - Hello {first_name|there}!
          - name: show
            action: show_profile
            resolves: false
            examples:
              - what do you know about me
            responses:
              - "I know: {facts}"

        """

    func files(profile: String = Self.profile, topic: String = Self.topic, settings: String = validSettings) -> [(String, String)] {
        [("bot.yaml", settings), ("entities.yaml", Self.entities), ("profile.yaml", profile), ("shop.yaml", topic)]
    }

    /// `fixture` with `original` replaced by `broken`, checking the fixture still holds `original`.
    func breaking(_ fixture: String, _ original: String, _ broken: String) -> String {
        #expect(fixture.contains(original), "the fixture changed")
        return fixture.replacingOccurrences(of: original, with: broken)
    }

    @Test func aValidProfileLoads() throws {
        let bot = try load(files())
        let catalogue = bot.profile
        #expect(catalogue.fields.map(\.name) == ["first_name", "email"])
        #expect(catalogue.fields[1].label == "your email", "a label by default")
        #expect(catalogue.fields[1].answer == .entity("email"))
        #expect(catalogue.trust.tierThresholds == [5, 10, 30, 50])
        #expect(catalogue.trust.weight(.resolvedRequest) == TrustRules.default.weight(.resolvedRequest))
        #expect(catalogue.asking.perConversation == 1)
        #expect(catalogue.asking.inFirstConversation, "asking in a first conversation unless the file says otherwise")
        #expect(catalogue.asking.messagesBetween == AskingRules.default.messagesBetween)
        #expect(catalogue.texts.declined.map(\.source) == ["Fine, {field} stays yours."])
        #expect(catalogue.offers.first?.when == CustomerCondition(levels: [.proactive, .partnership], values: ["first_name": ["sam"]]))
        let greet = try #require(bot.intent(named: "greet"))
        #expect(greet.responses.first?.condition == CustomerCondition(stages: [.client, .advocate], known: ["first_name"]))
        #expect(greet.responses.last?.condition == nil)
        #expect(bot.intent(named: "show")?.action == .showProfile)
        #expect(bot.intent(named: "show")?.resolves == false)
    }

    @Test("mistakes are reported where they are", arguments: [
        ("    kind: contact\n    tier: 1\n    answer: name", "    kind: contactt\n    tier: 1\n    answer: name",
         "intents/profile.yaml:4:11: error: the kind of profile field 'first_name' must be one of contact, geographic, demographic, behavioural, benefit, psychographic"),
        ("    kind: contact\n    tier: 1\n", "    kind: contact\n    tier: 7\n",
         "intents/profile.yaml:5:11: error: the tier of profile field 'first_name' must be a number from 1.0 to 4.0"),
        ("    answer: {entity: email}", "    answer: {entity: emial}",
         "intents/profile.yaml:13:11: error: profile field 'email' reads its answer as entity 'emial', which entities.yaml does not declare; did you mean 'email'?"),
        ("    answer: name", "    answer: shoe size",
         "intents/profile.yaml:6:13: error: the answer of profile field 'first_name' must be name, text, {entity: NAME} or {number: [MIN, MAX]} with MIN ≤ MAX, both from -1000000 to 1000000"),
        ("      - '\\bmy name is (\\w+)'", "      - '\\bmy name is \\w+'",
         "intents/profile.yaml:12:9: error: this pattern of profile field 'first_name' has no capture group; put the value in ( ), like 'my name is (\\w+)'"),
        ("  tiers: [5, 10, 30, 50]", "  tiers: [30, 10]",
         "intents/profile.yaml:22:10: error: 'tiers' lists the trust each of the four tiers needs, lowest first, like [8, 20, 40, 60]"),
        ("    when: {level: [proactive, partnership], first_name: sam}", "    when: {level: [friendly]}",
         "intents/profile.yaml:30:19: error: 'level' in 'when' takes basic, reactive, accountable, proactive, partnership"),
        ("    after: [greet]", "    after: [gret]",
         "intents/profile.yaml:29:11: error: offer 'club' comes after intent 'gret', which is not declared; did you mean 'greet'?"),
        ("    purpose:\n      - For order updates.\n", "",
         "intents/profile.yaml:13:11: error: profile field 'email' has questions but no 'purpose:'; say why you want it, for customers who ask"),
        ("  per_conversation: 1\n", "  per_conversation: 1\n  first_conversation: later\n",
         "intents/profile.yaml:25:23: error: 'first_conversation' must be true or false"),
    ])
    func profileMistakes(original: String, broken: String, message: String) {
        let profile = breaking(Self.profile, original, broken)
        #expect(problems(files(profile: profile)) == [message])
    }

    @Test func whatAFieldIsUsedForLoadsAndAnExplainUseIntentMayWaitOnIt() throws {
        let profile = breaking(Self.profile, "      - For order updates.\n", "      - For order updates.\n    use:\n      - Only for order updates.\n")
        let topic = Self.topic + """
              - name: use
                action: explain_use
                resolves: false
                examples:
                  - why do you need my email
                responses:
                  - text: "{use} Say forget {field}."
                    when: {given: [use, field]}
                  - I keep only what you tell me.

            """
        let bot = try load(files(profile: profile, topic: topic))
        #expect(bot.profile.fields[1].use.map(\.source) == ["Only for order updates."])
        #expect(bot.profile.fields[0].use.isEmpty, "optional")
        #expect(bot.intent(named: "use")?.responses.first?.condition?.given == ["use", "field"])
        let unknown = breaking(profile, "      - Only for order updates.", "      - Only for {orders}.")
        #expect(problems(files(profile: unknown))
            == ["intents/profile.yaml:22:18: error: unknown placeholder {orders}; the placeholders available are {bot_name}, {email}, {facts}, {field}, {fields}, {first_name}, {kept}, {label}, {shop_name}, {value} (declare more under 'variables:' in bot.yaml)"])
    }

    @Test func aConditionNamingAnUnknownFieldIsReportedAtItsReply() {
        let topic = Self.topic.replacingOccurrences(of: "when: {known: first_name, stage: [client, advocate]}", with: "when: {known: first_nme}")
        #expect(problems(files(topic: topic)) == [
            "intents/shop.yaml:6:15: error: 'when' names 'first_nme', which is neither stage, level, known nor a field in profile.yaml; did you mean 'first_name'?",
        ])
    }

    static let hoursTopic = """
        intents:
          - name: hours
            examples:
              - when are you open
            slots:
              - name: town
                entity: email
                required: false
            responses:
              - We open at nine.
              - text: Our {town} shop opens at ten.
                when: {given: town}
          - name: greet
            examples:
              - hi
            responses:
              - Hello!

        """

    @Test func aReplyCanBeForWhenASlotIsGiven() throws {
        let bot = try load(files(topic: Self.hoursTopic))
        let hours = try #require(bot.intent(named: "hours"))
        #expect(hours.responses.last?.condition == CustomerCondition(given: ["town"]))
        #expect(hours.responses.first?.condition == nil)
    }

    @Test("'given' names one of the intent's own slots", arguments: [
        ("when: {given: town}", "when: {given: tonw}",
         "intents/shop.yaml:11:15: error: 'given' in 'when' names 'tonw', which is not one of intent 'hours''s slots (town); did you mean 'town'?"),
        ("    slots:\n      - name: town\n        entity: email\n        required: false\n", "",
         "intents/shop.yaml:7:15: error: 'given' in 'when' names 'town', but intent 'hours' has no slots"),
    ])
    func givenNamesASlot(original: String, broken: String, message: String) {
        let topic = breaking(Self.hoursTopic, original, broken)
            .replacingOccurrences(of: "Our {town} shop", with: broken.isEmpty ? "Our shop" : "Our {town} shop")
        #expect(problems(files(topic: topic)) == [message])
    }

    @Test func aDetailsGivenNamesASlotToo() {
        let detail = Self.hoursTopic.replacingOccurrences(
            of: "        when: {given: town}\n",
            with: "        when: {given: town}\n    details:\n      sunday:\n        - Closed on Sundays.\n"
                + "        - text: Our {town} shop is closed on Sundays.\n          when: {given: tonw}\n")
        #expect(detail != Self.hoursTopic, "the fixture changed")
        #expect(problems(files(topic: detail) + [("signals.yaml", "details:\n  sunday: [sunday]\n")]) == [
            "intents/shop.yaml:16:17: error: 'given' in 'when' names 'tonw', which is not one of intent 'hours''s slots (town); did you mean 'town'?",
        ], "a typo in a detail's 'given' would otherwise leave its variant never said")
    }

    @Test func givenIsOnlyForAnIntentsReplies() {
        let settings = validSettings.replacingOccurrences(of: "welcome:\n", with: "welcome:\n  - text: Hi again.\n    when: {given: town}\n")
        #expect(settings != validSettings, "the fixture changed")
        let offer = Self.profile.replacingOccurrences(of: "when: {level: [proactive, partnership], first_name: sam}", with: "when: {given: town}")
        #expect(problems(files(settings: settings)).contains {
            $0.hasSuffix("error: 'given' in 'when' names an intent's slots, so it only works in an intent's replies")
        })
        let prompt = Self.hoursTopic.replacingOccurrences(
            of: "        required: false\n",
            with: "        prompts:\n          - text: Which town again?\n            when: {given: town}\n          - Which town?\n")
        #expect(prompt != Self.hoursTopic, "the fixture changed")
        #expect(problems(files(topic: prompt)) == [
            "intents/shop.yaml:9:19: error: 'given' in 'when' names an intent's slots, so it only works in an intent's replies",
        ], "a slot's prompt is not a reply to the intent")
        #expect(problems(files(profile: offer)) == [
            "intents/profile.yaml:29:11: error: offer 'club' has 'given' in its 'when', but an offer has no slots: 'given' only works in an intent's replies",
        ])
    }

    @Test func everyReplyForSomeCustomersOnlyLeavesTheOthersWithout() {
        let topic = Self.topic.replacingOccurrences(of: "      - Hello {first_name|there}!\n", with: "")
        #expect(problems(files(topic: topic)) == [
            "intents/shop.yaml:6:7: error: every reply in the responses of intent 'greet' has a 'when:'; add one for everyone else, without 'when:'",
        ])
    }

    @Test func aReplyStartingWithABraceIsExplained() {
        let topic = Self.topic.replacingOccurrences(of: "      - Hello {first_name|there}!\n", with: "      - {first_name}\n")
        let found = problems(files(topic: topic))
        #expect(found.count == 1)
        #expect(found.first?.contains("put the reply in double quotes") == true, "\(found)")
    }

    @Test func aReplyMayOfferAPerson() throws {
        let topic = Self.topic.replacingOccurrences(of: "      - Hello {first_name|there}!\n",
                                                    with: "      - text: Hello! Shall I pass you to a person?\n        offers: person\n")
        #expect(topic != Self.topic, "the fixture changed")
        let replies = try #require(try load(files(topic: topic)).intent(named: "greet")?.responses)
        #expect(replies.map(\.offersPerson) == [false, true])
        let wrong = topic.replacingOccurrences(of: "offers: person", with: "offers: refund")
        #expect(problems(files(topic: wrong)) == [
            "intents/shop.yaml:9:17: error: 'offers' in a reply must be 'person' (the reply ends by offering a person, and a yes hands over)",
        ])
    }

    @Test func aFieldCannotShadowAVariable() {
        let settings = validSettings.replacingOccurrences(of: "  shop_name: Harbour & Pine\n", with: "  shop_name: Harbour & Pine\n  email: help@example.com\n")
        #expect(problems(files(settings: settings)) == [
            "intents/profile.yaml:13:11: error: profile field 'email' has the name of a variable in bot.yaml (bot.yaml:4); {email} could not say both, so rename one (like shop_email)",
        ])
    }

    @Test func unknownActionsAndEvidenceAreNamed() {
        let topic = Self.topic.replacingOccurrences(of: "action: show_profile", with: "action: show_everything\n    evidence: purchase")
        #expect(problems(files(topic: topic)) == [
            "intents/shop.yaml:10:13: error: 'action' must be one of show_profile, forget_field, erase_customer, stop_profiling, resume_profiling, explain_purpose, explain_use, introduce, give_feedback",
            "intents/shop.yaml:11:15: error: 'evidence: purchase' counts orders the intent's lookup finds; add a 'lookup:'",
        ])
    }

    @Test func profileFieldsArePlaceholdersOnlyWhenDeclared() {
        let withoutProfile = [("bot.yaml", validSettings), ("shop.yaml", Self.topic.replacingOccurrences(of: "      - text: Hello again, {first_name}!\n        when: {known: first_name, stage: [client, advocate]}\n", with: ""))]
        let found = problems(withoutProfile)
        #expect(found.first?.contains("unknown placeholder {first_name}") == true, "\(found)")
    }
}
