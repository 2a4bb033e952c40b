import Foundation
import Testing
import RapportTestSupport
import RapportCore
import RapportStore
@testable import RapportProtocol


let bot = Bot(
    name: "Pip",
    welcome: [template("Welcome!")],
    fallback: [template("Sorry?")],
    farewell: [template("Farewell!")],
    intents: [
        Intent(name: "greet", examples: ["hi", "hello"], responses: [template("Hello!"), template("Hi!"), template("Hey!")], resolves: false),
        Intent(name: "goodbye", examples: ["bye"], responses: [template("Bye!")], endsConversation: true),
        Intent(name: "order_status", topic: "orders", examples: ["where is my order"], responses: [template("On its way.")]),
        Intent(name: "human_agent", examples: ["talk to a human"], responses: [template("A person will help.")], handsOff: true),
        Intent(name: "help", examples: ["help", "what can you do"], responses: [template("I can track orders.")],
               quickReplies: [QuickReply(title: "Track my order", message: "where is my order"), QuickReply(title: "Talk to a person")]),
    ],
    lexicon: bundledLexicon
)

let noon = Date(timeIntervalSince1970: 1_800_000_000)

func server(_ store: any ConversationStore = MemoryConversationStore(), seed: UInt64 = 1) async -> ProtocolServer {
    ProtocolServer(engine: Engine(bot: bot), store: store, seed: seed, clock: { noon })
}

extension ProtocolServer {
    mutating func serve(_ line: String) async -> String {
        await serve(Data(line.utf8)).serialized
    }
}

@Suite("Protocol requests")
struct ProtocolRequestTests {
    @Test("bad lines get a stable code", arguments: [
        ("not json", "invalid_json"),
        ("[1,2]", "not_an_object"),
        ("\"text\"", "not_an_object"),
        ("{\"text\":\"hi\"}", "missing_field"),
        ("{\"session\":\"s1\"}", "missing_field"),
        ("{\"session\":7,\"text\":\"hi\"}", "wrong_type"),
        ("{\"session\":\"s1\",\"text\":[\"hi\"]}", "wrong_type"),
        ("{\"session\":\"s1\",\"text\":\"hi\",\"customer\":5}", "wrong_type"),
        ("{\"session\":\"s1\",\"text\":\"hi\",\"id\":{\"a\":1}}", "wrong_type"),
        ("{\"session\":\"\",\"text\":\"hi\"}", "wrong_type"),
        ("{\"type\":\"dance\"}", "unknown_type"),
        ("{\"type\":5}", "wrong_type"),
        ("{\"session\":\"s1\",\"text\":\"   \"}", "empty_text"),
        ("{\"type\":\"end\"}", "missing_field"),
    ])
    func rejects(line: String, code: String) {
        #expect(throws: ProtocolError.self) { try ProtocolRequest.decode(Data(line.utf8)) }
        do {
            _ = try ProtocolRequest.decode(Data(line.utf8))
        } catch {
            #expect(error.code.rawValue == code)
        }
    }

    @Test func invalidUTF8AndOversizeLinesAreNamed() async {
        #expect(throws: ProtocolError(.invalidUTF8, "the line is not valid UTF-8")) {
            try ProtocolRequest.decode(Data([0x7B, 0xFF, 0xFE, 0x7D]))
        }
        let long = Data(repeating: 0x20, count: ProtocolVersion.maxLineBytes + 1)
        #expect(throws: ProtocolError.self) { try ProtocolRequest.decode(long) }
        let text = String(repeating: "a", count: ProtocolVersion.maxTextCharacters + 1)
        do {
            _ = try ProtocolRequest.decode(Data("{\"session\":\"s\",\"text\":\"\(text)\",\"id\":3}".utf8))
            Issue.record("expected text_too_long")
        } catch {
            #expect(error.code == .textTooLong)
            #expect(error.id == .number(3), "the id is echoed even when the request is refused")
        }
    }

    @Test("ids are echoed exactly, or refused", arguments: [
        (#"{"type":"ping","id":9007199254740991}"#, #"{"type":"pong","id":9007199254740991}"#),
        (#"{"type":"ping","id":-42}"#, #"{"type":"pong","id":-42}"#),
        (#"{"type":"ping","id":"x-1"}"#, #"{"type":"pong","id":"x-1"}"#),
        (#"{"type":"ping"}"#, #"{"type":"pong","id":null}"#),
    ])
    func idsEchoed(line: String, answer: String) async {
        var server = await server()
        #expect(await server.serve(line) == answer)
    }

    @Test("ids that a JSON number cannot carry exactly are refused", arguments: [
        #"{"type":"ping","id":9007199254740993}"#, #"{"type":"ping","id":12345678901234567890}"#, #"{"type":"ping","id":1.5}"#,
    ])
    func idsRefused(line: String) async {
        var server = await server()
        #expect(await server.serve(line).hasPrefix(#"{"type":"error","id":null,"code":"wrong_type","message":"'id' must be a string, or a whole number"#))
    }

    @Test func typeDefaultsToMessageAndIdIsKept() async throws {
        let request = try ProtocolRequest.decode(Data(#"{"id":"7","session":"s1","customer":"c-42","text":"where is my order"}"#.utf8))
        #expect(request == .message(id: .string("7"), session: "s1", customer: "c-42", text: "where is my order"))
    }
}

@Suite("The protocol server")
struct ProtocolServerTests {
    @Test func answersAMessageWithExactlyTheDocumentedShape() async {
        var server = await server()
        let line = await server.serve(#"{"type":"message","id":"7","session":"s1","customer":"c-42","text":"where is my order"}"#)
        #expect(line == #"{"type":"reply","id":"7","session":"s1","replies":[{"text":"On its way."}],"intent":{"name":"order_status","confidence":1},"entities":[],"events":[{"type":"session_started","customer":"c-42"}]}"#)
    }

    @Test func theReadyLineNamesVersionAndCapabilities() async {
        await #expect(server().ready.serialized == #"{"type":"ready","protocol":1,"bot":"Pip","capabilities":["message","start","timeout","end","feedback","profile","forget","ping"],"max_line_bytes":65536,"max_text_characters":2000,"matcher":"words"}"#)
    }

    @Test func feedbackIsStoredWithTheRatedIntentAndMaskedComment() async throws {
        let store = MemoryConversationStore()
        var server = await server(store)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"where is my order"}"#)
        _ = await server.serve(#"{"session":"a","text":"quantum flux"}"#)
        let ack = await server.serve(#"{"type":"feedback","id":"f1","session":"a","score":2,"comment":"call me on 0161 555 0142 or sam@example.com"}"#)
        #expect(ack == #"{"type":"feedback_recorded","id":"f1","session":"a","score":2,"intent":"order_status","replies":[{"text":"I'm sorry we let you down, and thank you for telling us. Would you like me to pass you to a person who can put it right?","buttons":[{"title":"Yes, a person","message":"yes"},{"title":"No, keep trying","message":"no"}]}]}"#)
        // The offer is the conversation's: "yes" hands over.
        #expect(await server.serve(#"{"session":"a","text":"yes"}"#).contains(#""reason":"dissatisfied""#))
        let stored = try await store.feedback(inSession: "a")
        #expect(stored == [FeedbackRecord(customerID: "c-1", sessionID: "a", intent: "order_status", score: 2,
                                          comment: "call me on [phone number] or [email]", at: noon)])
    }

    @Test func feedbackAfterTheSessionEndedIsAccepted() async throws {
        let store = MemoryConversationStore()
        var server = await server(store)
        _ = await server.serve(#"{"session":"a","text":"where is my order"}"#)
        _ = await server.serve(#"{"type":"end","session":"a"}"#)
        #expect(await server.serve(#"{"type":"feedback","session":"a","score":5}"#).hasPrefix(#"{"type":"feedback_recorded""#))
        #expect(try await store.feedback(inSession: "a").first?.intent == "order_status")
        let low = await server.serve(#"{"type":"feedback","session":"a","score":1}"#)
        #expect(low.contains("I'm sorry we let you down, and thank you for telling us.\"}]"), "no person offered after the end: \(low)")
        #expect(await server.serve(#"{"session":"a","text":"hi"}"#).contains(#""code":"session_ended""#), "feedback does not reopen it")
    }

    @Test("feedback that cannot be taken", arguments: [
        (#"{"type":"feedback","session":"a","score":0}"#, "invalid_value"),
        (#"{"type":"feedback","session":"a","score":4.5}"#, "invalid_value"),
        (#"{"type":"feedback","session":"a","score":"5"}"#, "wrong_type"),
        (#"{"type":"feedback","session":"a"}"#, "missing_field"),
        (#"{"type":"feedback","session":"zz","score":3}"#, "unknown_session"),
    ])
    func refusedFeedback(line: String, code: String) async {
        var server = await server()
        _ = await server.serve(#"{"session":"a","text":"hi"}"#)
        #expect(await server.serve(line).contains("\"code\":\"\(code)\""))
    }

    @Test func feedbackThatCannotBeSavedIsNotAcknowledged() async {
        var server = ProtocolServer(engine: Engine(bot: bot), store: FailingStore(failBegin: false), seed: 1, clock: { noon })
        _ = await server.serve(#"{"session":"a","text":"hi"}"#)
        #expect(await server.serve(#"{"type":"feedback","id":3,"session":"a","score":4}"#).hasPrefix(#"{"type":"error","id":3,"code":"store_failed""#))
    }

    @Test func profileAndForget() async throws {
        let store = MemoryConversationStore()
        var server = await server(store)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"hi"}"#)
        _ = await server.serve(#"{"session":"b","customer":"c-1","text":"where is my order"}"#)
        _ = await server.serve(#"{"session":"c","customer":"c-2","text":"hi"}"#)
        _ = await server.serve(#"{"type":"feedback","session":"b","score":4}"#)
        #expect(await server.serve(#"{"type":"profile","id":1,"customer":"c-1"}"#)
            == #"{"type":"profile","id":1,"customer":"c-1","known":true,"sessions":2,"first_seen":"2027-01-15T08:00:00Z","last_seen":"2027-01-15T08:00:00Z","trust":18,"stage":"prospect","level":"reactive","profiling":true,"facts":[],"declined":[]}"#)
        #expect(await server.serve(#"{"type":"forget","id":2,"customer":"c-1"}"#)
            == #"{"type":"forgotten","id":2,"customer":"c-1","sessions":2,"turns":2,"feedback":1,"facts":0}"#)
        #expect(await server.serve(#"{"type":"profile","customer":"c-1"}"#).contains(#""known":false,"sessions":0"#))
        // The erased customer's live conversation is gone too: the session id starts afresh.
        #expect(await server.serve(#"{"session":"a","customer":"c-1","text":"hi"}"#).contains(#"{"type":"session_started","customer":"c-1"}"#))
        #expect(try await store.turns(inSession: "c").count == 1, "another customer is untouched")
        #expect(await server.serve(#"{"type":"forget"}"#).contains(#""code":"missing_field""#))
    }

    @Test func aFallbackHasNoIntent() async {
        var server = await server()
        #expect(await server.serve(#"{"session":"s1","text":"quantum flux"}"#).contains(#""replies":[{"text":"Sorry?"}],"intent":null"#))
    }

    @Test func interleavedSessionsKeepTheirOwnStateAndCustomers() async throws {
        let store = MemoryConversationStore()
        var server = await server(store)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"hi"}"#)
        _ = await server.serve(#"{"session":"b","customer":"c-2","text":"where is my order"}"#)
        _ = await server.serve(#"{"session":"a","text":"where is my order"}"#)
        _ = await server.serve(#"{"session":"b","text":"bye"}"#)
        #expect(try await store.turns(inSession: "a").map(\.customerText) == ["hi", "where is my order"])
        #expect(try await store.turns(inSession: "b").map(\.customerText) == ["where is my order", "bye"])
        #expect(try await store.sessions(ofCustomer: "c-1").map(\.id) == ["a"])
        #expect(try await store.session(id: "b")?.endedAt == noon)
        #expect(try await store.session(id: "a")?.endedAt == nil)
    }

    @Test func aSessionCannotChangeCustomer() async throws {
        let store = MemoryConversationStore()
        var server = await server(store)
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"hi"}"#)
        let line = await server.serve(#"{"id":2,"session":"a","customer":"c-2","text":"where is my order"}"#)
        #expect(line.hasPrefix(#"{"type":"error","id":2,"code":"customer_mismatch""#))
        #expect(try await store.turns(inSession: "a").count == 1, "the refused message is not recorded")
    }

    @Test func aSessionWithoutCustomerIsAnonymous() async throws {
        let store = MemoryConversationStore()
        var server = await server(store)
        #expect(await server.serve(#"{"session":"a","text":"hi"}"#).contains(#"{"type":"session_started","customer":"anonymous:a"}"#))
    }

    @Test func endingAndEndedSessions() async {
        var server = await server()
        _ = await server.serve(#"{"session":"a","text":"hi"}"#)
        #expect(await server.serve(#"{"type":"end","id":1,"session":"a"}"#)
            == #"{"type":"ended","id":1,"session":"a","replies":[{"text":"Farewell!"}],"events":[{"type":"session_ended","reason":"end"}]}"#)
        #expect(await server.serve(#"{"id":2,"session":"a","text":"hi"}"#).contains(#""code":"session_ended""#))
        #expect(await server.serve(#"{"type":"end","id":3,"session":"a"}"#).contains(#""code":"session_ended""#))
        #expect(await server.serve(#"{"type":"end","id":4,"session":"never"}"#).contains(#""code":"unknown_session""#))
    }

    @Test func askingForAPersonEmitsAHandoffEventWithTheSummary() async {
        var server = await server()
        _ = await server.serve(#"{"session":"a","customer":"c-1","text":"where is my order"}"#)
        let line = await server.serve(#"{"session":"a","text":"talk to a human"}"#)
        #expect(line.hasSuffix(#""events":[{"type":"handoff","reason":"customer_request","summary":{"customer":"c-1","first_message":"where is my order","last_intent":"order_status","topic":"orders","misses":0,"slots":{},"profile":{},"stage":"prospect","transcript":[{"from":"customer","text":"where is my order"},{"from":"bot","text":"On its way."},{"from":"customer","text":"talk to a human"},{"from":"bot","text":"A person will help."}]}}]}"#), "\(line)")
    }

    @Test func quickRepliesRideOnTheReplyAsButtons() async {
        var server = await server()
        #expect(await server.serve(#"{"session":"a","text":"help"}"#).contains(#""replies":[{"text":"I can track orders.","buttons":[{"title":"Track my order","message":"where is my order"},{"title":"Talk to a person","message":"Talk to a person"}]}]"#))
        #expect(await server.serve(#"{"session":"a","text":"where is my order"}"#).contains("buttons") == false)
    }

    @Test func aGoodbyeEndsTheSession() async {
        var server = await server()
        #expect(await server.serve(#"{"session":"a","text":"bye"}"#).hasSuffix(#""events":[{"type":"session_started","customer":"anonymous:a"},{"type":"session_ended","reason":"goodbye"}]}"#))
    }

    @Test func aSessionIsPickedUpAfterARestartWithoutOverwritingTurns() async throws {
        let store = MemoryConversationStore()
        do {
            var first = await server(store)
            _ = await first.serve(#"{"session":"a","customer":"c-1","text":"hi"}"#)
            _ = await first.serve(#"{"session":"a","text":"where is my order"}"#)
        }
        var second = await server(store)
        let line = await second.serve(#"{"session":"a","text":"hello"}"#)
        #expect(line.contains(#"{"type":"session_resumed","customer":"c-1"}"#))
        #expect(try await store.turns(inSession: "a").map(\.sequence) == [1, 2, 3])
        #expect(await second.serve(#"{"session":"a","customer":"c-9","text":"hi"}"#).contains("customer_mismatch"))
    }

    @Test func setAsideSessionsComeBackFromTheStore() async throws {
        let store = MemoryConversationStore()
        var server = ProtocolServer(engine: Engine(bot: bot), store: store, seed: 1, maxLiveSessions: 2, clock: { noon })
        var resumed = 0
        for session in ["a", "b", "c", "a", "b", "c"] {
            let line = await server.serve("{\"session\":\"\(session)\",\"text\":\"hi\"}")
            #expect(line.hasPrefix(#"{"type":"reply""#))
            if line.contains(#""type":"session_resumed""#) { resumed += 1 }
        }
        #expect(resumed == 3, "each session's second message picks it up from the store")
        for session in ["a", "b", "c"] {
            #expect(try await store.turns(inSession: session).map(\.sequence) == [1, 2])
        }
    }

    @Test func aPickedUpSessionKeepsItsStateForAHandoff() async throws {
        let store = MemoryConversationStore()
        do {
            var first = await server(store)
            _ = await first.serve(#"{"session":"a","customer":"c-1","text":"where is my order"}"#)
            _ = await first.serve(#"{"session":"a","text":"quantum flux"}"#)
        }
        var second = await server(store) // a restart: nothing in memory
        let line = await second.serve(#"{"session":"a","text":"talk to a human"}"#)
        #expect(line.contains(#""first_message":"where is my order","last_intent":"order_status","topic":"orders","misses":1"#), "\(line)")
        #expect(line.contains(#"{"from":"customer","text":"quantum flux"},{"from":"bot","text":"Sorry?"}"#))
    }

    @Test func repliesDependOnSeedAndSessionNotOnInterleavingOrSettingAside() async {
        func replies(_ order: [String], seed: UInt64, live: Int = 10_000) async -> [String: [String]] {
            var server = ProtocolServer(engine: Engine(bot: bot), store: MemoryConversationStore(), seed: seed, maxLiveSessions: live, clock: { noon })
            var result: [String: [String]] = [:]
            for session in order {
                let line = await server.serve(Data("{\"session\":\"\(session)\",\"text\":\"hi\"}".utf8))
                guard case .array(let replies)? = line["replies"] else { continue }
                result[session, default: []].append(contentsOf: replies.map(\.serialized))
            }
            return result
        }
        let one = await replies(["a", "b", "a", "b", "a", "b"], seed: 5)
        let other = await replies(["b", "b", "b", "a", "a", "a"], seed: 5)
        #expect(one == other)
        // With room for one live session, every switch sets the other aside and
        // picks it up from the store: the replies must not change.
        await #expect(replies(["a", "b", "a", "b", "a", "b"], seed: 5, live: 1) == one)
    }

    @Test func aSessionThatCannotBeSavedIsRefused() async {
        var server = ProtocolServer(engine: Engine(bot: bot), store: FailingStore(failBegin: true), seed: 1, clock: { noon })
        let line = await server.serve(#"{"session":"a","text":"hi"}"#)
        #expect(line.contains(#""code":"store_failed""#), "a session that cannot be saved is refused: \(line)")
    }

    @Test func aTurnThatCannotBeSavedIsStillAnsweredAndLogged() async {
        var server = ProtocolServer(engine: Engine(bot: bot), store: FailingStore(failBegin: false), seed: 1, clock: { noon })
        let line = await server.serve(#"{"session":"a","text":"where is my order"}"#)
        #expect(line.contains(#""replies":[{"text":"On its way."}]"#))
        // One commit a turn, so one warning a turn, naming the first write that failed.
        #expect(server.takeDiagnostics() == [
            "rapport serve: warning: database error while trying to save the dialogue state: disk full", // the start
            "rapport serve: warning: database error while trying to record a turn: disk full",
        ])
        #expect(server.takeDiagnostics().isEmpty, "diagnostics are handed over once")
    }
}


@Suite("Cutting input into lines")
struct LineSplitterTests {
    func lines(_ chunks: [String], limit: Int = 10) -> [LineSplitter.Item] {
        var splitter = LineSplitter(limit: limit)
        return chunks.flatMap { splitter.feed(Data($0.utf8)) } + splitter.finish()
    }

    @Test func joinsChunksAndSplitsOnNewlines() async {
        #expect(lines(["ab", "c\nde\r\n", "f"]) == [.line(Data("abc".utf8)), .line(Data("de".utf8)), .line(Data("f".utf8))])
    }

    @Test func anOverlongLineIsReportedOnceAndReadingResumes() async {
        #expect(lines(["0123456789", "abc", "def\nok\n"]) == [.tooLong(bytes: 16), .line(Data("ok".utf8))])
        #expect(lines(["0123456789X\n"]) == [.tooLong(bytes: 11), ])
        #expect(lines(["0123456789\n"]) == [.line(Data("0123456789".utf8))])
    }

    @Test func anOverlongLastLineWithoutNewlineIsReported() async {
        #expect(lines(["0123456789ABC"]) == [.tooLong(bytes: 13)])
    }
}

@Suite("JSON output")
struct JSONValueTests {
    @Test func escapesWhatWouldBreakALine() async {
        let value = JSONValue.object([("text", .string("a\nb\"c\\d\u{1B}\u{2028}é"))])
        #expect(value.serialized == #"{"text":"a\nb\"c\\d\u001b\u2028é"}"#)
    }

    @Test func numbersPrintAsIntegersWhenWhole() async {
        #expect(JSONValue.array([.number(3), .number(0.25), .number(-2)]).serialized == "[3,0.25,-2]")
    }
}
