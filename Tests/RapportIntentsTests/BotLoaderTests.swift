import Foundation
import Testing
@testable import RapportIntents
import RapportCore

/// A minimal valid bot.yaml, so each test changes just one thing.
let validSettings = """
    name: Pip
    variables:
      shop_name: Harbour & Pine
    welcome:
      - Hello from {shop_name}.
    fallback:
      - Sorry?
    farewell:
      - Bye.

    """

let validTopic = """
    intents:
      - name: greet
        examples:
          - hi
          - hello
        responses:
          - Hello!

    """

func load(_ files: [(String, String)], tables: [DataTable] = []) throws(BotLoadFailure) -> Bot {
    try BotLoader.parse(files: files.map { (path: "intents/" + $0.0, text: $0.1) }, tables: tables)
}

/// Loads, expecting failure, and returns the problems as the user sees them.
func problems(_ files: [(String, String)], tables: [DataTable] = []) -> [String] {
    do {
        _ = try load(files, tables: tables)
        Issue.record("expected the bot to fail to load")
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

@Suite("Loading intents")
struct BotLoaderTests {
    @Test func loadsAValidBot() throws {
        let bot = try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic)])
        #expect(bot.name == "Pip")
        #expect(bot.variables == ["shop_name": "Harbour & Pine"])
        #expect(bot.intents.map(\.name) == ["greet"])
        #expect(bot.intents[0].topic == "smalltalk")
        #expect(bot.intents[0].examples == ["hi", "hello"])
        #expect(bot.intents[0].location == SourceLocation(file: "intents/smalltalk.yaml", line: 2, column: 11))
    }

    @Test func aMinimumConfidenceIsANumberFromZeroToOne() throws {
        let topic = validTopic.replacingOccurrences(of: "    examples:\n", with: "    min_confidence: 0.8\n    examples:\n")
        #expect(topic != validTopic, "the fixture changed")
        #expect(try load([("bot.yaml", validSettings), ("smalltalk.yaml", topic)]).intents[0].minimumConfidence == 0.8)
        #expect(try load([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic)]).intents[0].minimumConfidence == nil)
        let wrong = problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic.replacingOccurrences(of: "0.8", with: "80"))])
        #expect(wrong.count == 1 && wrong[0].contains("'min_confidence'"), "\(wrong)")
    }

    @Test func theBundledBotLoads() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents").path
        let bot = try BotLoader.load(directory: folder)
        #expect(bot.intents.count >= 15)
        #expect(bot.intents.contains { $0.name == "human_agent" })
        #expect(bot.intents.allSatisfy { (!$0.examples.isEmpty || !$0.patterns.isEmpty) && !$0.responses.isEmpty })
    }

    @Test func invalidYAMLNamesTheLineAndColumn() {
        let broken = """
            intents:
              - name: greet
                examples: [hi, hello
                responses:
                  - Hello!
            """
        let found = problems([("bot.yaml", validSettings), ("smalltalk.yaml", broken)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("intents/smalltalk.yaml:4:") == true)
        #expect(found.first?.contains("error: invalid YAML:") == true)
    }

    @Test func aColonInPlainTextIsInvalidYAMLAtItsColumn() {
        let found = problems([("bot.yaml", validSettings), ("shop.yaml", "description: The shop: hours\n" + validTopic)])
        #expect(found == ["intents/shop.yaml:1:22: error: invalid YAML: mapping values are not allowed in this context"])
    }

    @Test func unknownKeySuggestsTheNearestOne() {
        let misspelt = validTopic.replacingOccurrences(of: "    examples:", with: "    exampels:")
        let found = problems([("bot.yaml", validSettings), ("smalltalk.yaml", misspelt)])
        #expect(found.contains("intents/smalltalk.yaml:3:5: error: unknown key 'exampels' in intent 'greet'; did you mean 'examples'?"))
    }

    @Test func unknownKeyFarFromAnyListsTheAllowedKeys() {
        let found = problems([("bot.yaml", validSettings + "colour: blue\n"), ("smalltalk.yaml", validTopic)])
        #expect(found == ["intents/bot.yaml:10:1: error: unknown key 'colour' in bot.yaml; the keys allowed here are 'name', 'variables', 'welcome', 'fallback', 'farewell', 'clarify', 'suggest', 'offer_handoff', 'offer_handoff_frustrated', 'handoff_accepted', 'handoff_declined', 'too_long', 'other_language', 'in_english', 'repeated', 'said_before', 'answer_yes', 'answer_no', 'declined_request', 'cannot_act', 'next_step', 'not_done', 'noted', 'nothing_more', 'cannot_answer', 'not_in_record', 'arrived_not_in_record', 'handed_over', 'handed_over_noted', 'handed_over_question', 'handed_over_asked', 'handed_over_next', 'with_the_team', 'solved', 'someone_elses_details', 'slot_cancelled', 'slot_resume', 'slot_invalid', 'slot_asked_again', 'pick_up', 'pick_up_declined', 'still_there', 'timed_out', 'feedback', 'matching', 'private_records', 'support_hours', 'due_dates', 'calendar', 'time_limits', 'extended_limits', 'delivery_estimates'"])
    }

    @Test func duplicateIntentNamesAcrossFilesPointAtBoth() {
        let found = problems([
            ("bot.yaml", validSettings), ("a.yaml", validTopic),
            ("b.yaml", validTopic.replacingOccurrences(of: "- hi\n", with: "- hey\n").replacingOccurrences(of: "- hello\n", with: "- hiya\n")),
        ])
        #expect(found == ["intents/b.yaml:2:11: error: intent 'greet' is already declared at intents/a.yaml:2:11; rename one of them"])
    }

    @Test func anIntentWithoutExamplesIsRejected() {
        let noExamples = """
            intents:
              - name: greet
                responses:
                  - Hello!
            """
        let emptyExamples = """
            intents:
              - name: greet
                examples: []
                responses:
                  - Hello!
            """
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", noExamples)])
            == ["intents/smalltalk.yaml:2:11: error: intent 'greet' has no examples; add 'examples:' with at least one thing a customer would say, or 'patterns:'"])
        // With patterns, none is needed: the intent is read by its patterns alone.
        let patternsOnly = noExamples.replacingOccurrences(of: "    responses:", with: "    patterns: [\"hello*\"]\n    responses:")
        #expect(patternsOnly != noExamples, "the fixture changed")
        #expect((try? load([("bot.yaml", validSettings), ("smalltalk.yaml", patternsOnly)]))?.intents.first?.examples == [])
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", emptyExamples)])
            == ["intents/smalltalk.yaml:3:15: error: intent 'greet' has no examples; list at least one thing a customer would say"])
    }

    @Test func withTheTeamRewordsAnswersOnceAPersonHasTheConversation() throws {
        let settings = validSettings + "\nwith_the_team:\n  \"ask me for a person and we'll\": \"our team will\"\n  \"or ask me for a person\": \"or tell our team here\"\n"
        let ladder = try load([("bot.yaml", settings), ("smalltalk.yaml", validTopic)]).ladder
        #expect(ladder.withTheTeam.map(\.words) == ["ask me for a person and we'll", "or ask me for a person"], "longest first")
        #expect(ladder.forTheTeam("As it's late, ask me for a person and we'll chase it.") == "As it's late, our team will chase it.")
        #expect(ladder.forTheTeam("Ask me for a person and we'll refund it.") == "Our team will refund it.", "a capital kept")
        #expect(ladder.forTheTeam("Email us, or ask me for a person.") == "Email us, or tell our team here.")
        #expect(ladder.forTheTeam("Nothing to change here.") == "Nothing to change here.")
        let twice = settings + "  \"Ask me for a person and we'll\": \"they will\"\n"
        #expect(problems([("bot.yaml", twice), ("smalltalk.yaml", validTopic)]).contains { $0.contains("is already in 'with_the_team'") })
    }

    @Test func anUnknownPlaceholderIsReportedAtItsOwnColumn() {
        let topic = validTopic.replacingOccurrences(of: "- Hello!", with: "- Hello from {shop_nam}!")
        let quoted = validTopic.replacingOccurrences(of: "- Hello!", with: "- \"Hi, {customer}!\"")
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
            == ["intents/smalltalk.yaml:7:20: error: unknown placeholder {shop_nam}; did you mean {shop_name}?"])
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", quoted)])
            == ["intents/smalltalk.yaml:7:14: error: unknown placeholder {customer}; the placeholders available are {bot_name}, {shop_name} (declare more under 'variables:' in bot.yaml)"])
    }

    @Test func aMalformedTemplateIsReportedAtItsBrace() {
        let topic = validTopic.replacingOccurrences(of: "- Hello!", with: "- Hello {shop_name")
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
            == ["intents/smalltalk.yaml:7:15: error: in this reply, a '{' that is never closed (write '{{' for a literal brace)"])
    }

    @Test func aVariableMayUseAnotherThatUsesNone() throws {
        let settings = validSettings.replacingOccurrences(of: "  shop_name: Harbour & Pine\n",
            with: "  shop_name: Harbour & Pine\n  postage: email {shop_name} the receipt\n")
        let bot = try load([("bot.yaml", settings), ("smalltalk.yaml", validTopic)])
        #expect(bot.variables["postage"] == "email Harbour & Pine the receipt")
    }

    @Test func anyOtherBraceInAVariableIsKeptAsWritten() throws {
        let settings = validSettings.replacingOccurrences(of: "  shop_name: Harbour & Pine\n",
            with: "  shop_name: Harbour & Pine\n  code: use {XMAS} or {{SAVE10}} :-}\n  a: at {shop_name}\n  b: then {a}\n")
        let bot = try load([("bot.yaml", settings), ("smalltalk.yaml", validTopic)])
        #expect(bot.variables["code"] == "use {XMAS} or {{SAVE10}} :-}")
        #expect(bot.variables["a"] == "at Harbour & Pine")
        #expect(bot.variables["b"] == "then {a}")
    }

    @Test func aDuplicatedKeyIsReported() {
        let topic = """
            intents:
              - name: greet
                examples: [hi]
                examples: [hello]
                responses: [Hello!]
            """
        let found = problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("intents/smalltalk.yaml:3:5: error:") == true)
        #expect(found.first?.contains("'examples' appears more than once") == true)
    }

    @Test func wrongTypesSayWhatWasExpected() {
        let topic = """
            intents:
              - name: greet
                examples: hi
                responses:
                  - Hello!
                ends_conversation: maybe
            """
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)]) == [
            "intents/smalltalk.yaml:3:15: error: the examples of intent 'greet' must be a list (lines starting with '- '), but it is the text 'hi'",
            "intents/smalltalk.yaml:6:24: error: 'ends_conversation' must be true or false",
        ])
    }

    @Test func patternsAreReadAndABadOneIsLocated() throws {
        let topic = validTopic.replacingOccurrences(of: "    responses:", with: """
                patterns:
                  - '/^(hi|hello)\\b/'
                  - good morning*
                responses:
            """)
        let intent = try load([("bot.yaml", validSettings), ("smalltalk.yaml", topic)]).intents[0]
        #expect(intent.patterns.map(\.kind) == [.regex(#"^(hi|hello)\b"#), .wildcard("good morning*")])
        let bad = validTopic.replacingOccurrences(of: "    responses:", with: "    patterns:\n      - /(oops/\n    responses:")
        let found = problems([("bot.yaml", validSettings), ("smalltalk.yaml", bad)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("intents/smalltalk.yaml:7:9: error: in this pattern of intent 'greet': '/(oops/' is not a valid regular expression") == true)
    }

    @Test func buttonsAreReadInBothForms() throws {
        let topic = validTopic.replacingOccurrences(of: "    responses:", with: """
                buttons:
                  - Opening hours
                  - title: Track my order
                    message: where is my order
                responses:
            """)
        let intent = try load([("bot.yaml", validSettings), ("help.yaml", topic)]).intents[0]
        #expect(intent.quickReplies == [QuickReply(title: "Opening hours"), QuickReply(title: "Track my order", message: "where is my order")])
    }

    @Test func aButtonWithoutTitleIsRejected() {
        let topic = validTopic.replacingOccurrences(of: "    responses:", with: """
                buttons:
                  - message: where is my order
                responses:
            """)
        #expect(problems([("bot.yaml", validSettings), ("help.yaml", topic)]) == ["intents/help.yaml:7:9: error: this button has no 'title:'; write what the button says"])
    }

    @Test func everyButtonOfTheBundledBotLeadsToAnIntent() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("intents").path
        let engine = Engine(bot: try BotLoader.load(directory: folder))
        let buttons = engine.bot.intents.flatMap(\.quickReplies)
        #expect(!buttons.isEmpty)
        for button in buttons {
            #expect(engine.understand(button.message, at: Date(timeIntervalSince1970: 0)).matched != nil, "the button '\(button.title)' sends '\(button.message)', which the bot does not understand")
        }
    }

    @Test func handoffIsReadAndChecked() throws {
        let topic = validTopic.replacingOccurrences(of: "    responses:", with: "    handoff: true\n    responses:")
        #expect(try load([("bot.yaml", validSettings), ("help.yaml", topic)]).intents[0].handsOff)
        let wrong = validTopic.replacingOccurrences(of: "    responses:", with: "    handoff: sometimes\n    responses:")
        #expect(problems([("bot.yaml", validSettings), ("help.yaml", wrong)]) == ["intents/help.yaml:6:14: error: 'handoff' must be true or false"])
    }

    @Test func theSameExampleInTwoIntentsIsRejected() {
        let topic = validTopic + """
              - name: wave
                examples: [Hello!]
                responses: [Hi.]
            """
        let found = problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
        #expect(found == ["intents/smalltalk.yaml:9:16: error: the example 'Hello!' of intent 'wave' is also an example of 'greet' (intents/smalltalk.yaml:5:9); an example can teach only one intent"])
    }

    @Test func anExampleWithNoWordsIsRejected() {
        let topic = validTopic.replacingOccurrences(of: "- hello\n", with: "- \"?!\"\n")
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
            == ["intents/smalltalk.yaml:5:9: error: the example '?!' of intent 'greet' has no words to learn from; write what a customer would type"])
    }

    @Test func botYmlIsTheSettingsFileToo() throws {
        let bot = try load([("bot.yml", validSettings), ("smalltalk.yaml", validTopic)])
        #expect(bot.name == "Pip")
    }

    @Test func twoFilesForOneTopicAreRejected() {
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", validTopic), ("smalltalk.yml", validTopic)])
            == ["intents/smalltalk.yml: error: holds the same topic as intents/smalltalk.yaml; keep one file per topic (merge them, or rename one)"])
    }

    @Test func invalidIntentNamesAreRejected() {
        let topic = validTopic.replacingOccurrences(of: "name: greet", with: "name: Greet Customer")
        #expect(problems([("bot.yaml", validSettings), ("smalltalk.yaml", topic)])
            == ["intents/smalltalk.yaml:2:11: error: 'Greet Customer' is not a valid intent name; use lower-case letters, digits and '_', like order_status"])
    }

    @Test func aMissingSettingsFileIsReported() {
        #expect(problems([("smalltalk.yaml", validTopic)])
            == ["intents/bot.yaml: error: missing: every bot needs a bot.yaml with its name, welcome, fallback and farewell texts"])
    }

    @Test("the confidence threshold is checked", arguments: [
        ("0", "intents/bot.yaml:11:25: error: confidence_threshold must be above 0, or the bot never says it did not understand"),
        ("1.5", "intents/bot.yaml:11:25: error: confidence_threshold must be a number from 0.0 to 1.0"),
        ("high", "intents/bot.yaml:11:25: error: confidence_threshold must be a number from 0.0 to 1.0"),
    ])
    func threshold(value: String, message: String) {
        let settings = validSettings + "matching:\n  confidence_threshold: \(value)\n"
        #expect(problems([("bot.yaml", settings), ("smalltalk.yaml", validTopic)]) == [message])
    }

    @Test func aMissingRequiredSettingIsReported() {
        let settings = validSettings.replacingOccurrences(of: "fallback:\n  - Sorry?\n", with: "")
        #expect(problems([("bot.yaml", settings), ("smalltalk.yaml", validTopic)])
            == ["intents/bot.yaml:1:1: error: bot.yaml is missing 'fallback:'"])
    }

    @Test func anErrorInOneFileLoadsNothingAndReportsEveryFile() {
        let badA = validTopic.replacingOccurrences(of: "examples:", with: "exemples:")
        let badB = validTopic.replacingOccurrences(of: "greet", with: "wave").replacingOccurrences(of: "- Hello!", with: "- {nope}")
        let found = problems([("bot.yaml", validSettings), ("a.yaml", badA), ("b.yaml", badB), ("c.yaml", validTopic.replacingOccurrences(of: "greet", with: "other").replacingOccurrences(of: "hi\n", with: "yo\n").replacingOccurrences(of: "hello\n", with: "sup\n"))])
        #expect(found.count == 3) // a.yaml: unknown key and then no examples; b.yaml: the placeholder
        #expect(found.filter { $0.hasPrefix("intents/a.yaml") }.count == 2)
        #expect(found.filter { $0.hasPrefix("intents/b.yaml") }.count == 1)
    }
}

@Suite("Loading intents from disk")
struct BotLoaderDiskTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("rapport-intents-\(UUID().uuidString)").path

    @Test func aMissingFolderIsOneClearProblem() {
        #expect(throws: BotLoadFailure([LoadProblem(file: folder, message: "intents folder not found; pass --intents DIR with the folder holding bot.yaml")])) {
            try BotLoader.load(directory: folder)
        }
    }

    @Test func aFileInsteadOfAFolderIsOneClearProblem() throws {
        _ = FileManager.default.createFile(atPath: folder, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: BotLoadFailure([LoadProblem(file: folder, message: "is a file, not a folder; --intents takes the folder holding bot.yaml")])) {
            try BotLoader.load(directory: folder)
        }
    }

    @Test func readsYamlFilesAndIgnoresOthers() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try validSettings.write(toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
        try validTopic.write(toFile: folder + "/smalltalk.yml", atomically: true, encoding: .utf8)
        try "# notes".write(toFile: folder + "/README.md", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: folder + "/._smalltalk.yaml", contents: Data([0xFF, 0xFE]))
        try FileManager.default.createDirectory(atPath: folder + "/archive.yaml", withIntermediateDirectories: true)
        let bot = try BotLoader.load(directory: folder)
        #expect(bot.intents.map(\.name) == ["greet"])
    }

    @Test func nonUTF8FilesAreNamed() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try validSettings.write(toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: folder + "/latin1.yaml", contents: Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xE9, 0xFF]))
        #expect(throws: BotLoadFailure([LoadProblem(file: folder + "/latin1.yaml", message: "is not UTF-8 text; save it as UTF-8")])) {
            try BotLoader.load(directory: folder)
        }
    }
}
