import Foundation
import Testing
import RapportCore
import RapportStore
@testable import RapportProtocol

/// What fuzzing the protocol found, kept: lines a hostile client or a
/// careless proxy sends get an error with a stable code, and no customer's
/// data is reached through another's id.
@Suite("Hostile protocol lines")
struct HostileRequestTests {
    func code(_ line: String) -> String? {
        do {
            _ = try ProtocolRequest.decode(Data(line.utf8))
            return nil
        } catch {
            return error.code.rawValue
        }
    }

    @Test("refused with their code", arguments: [
        // A key written twice: a proxy keeping the first would read another request.
        (#"{"session":"s","session":"t","text":"hi"}"#, "invalid_json"),
        (#"{"session":"s","text":"hi","meta":{"a":1,"a":2}}"#, "invalid_json"),
        // Numbers a Double cannot hold.
        (#"{"session":"s","text":"hi","n":1e400}"#, "invalid_json"),
        (#"{"session":"s","text":"hi","n":-1e309}"#, "invalid_json"),
        // Not JSON, though some readers take it.
        (#"{"session":"s","text":"hi",}"#, "invalid_json"),
        (#"{"session":"s","text":"\ud800"}"#, "invalid_json"),
        (#"{"session":"s","text":"\udc00\ud800"}"#, "invalid_json"),
        ("{\"session\":\"s\",\"text\":\"a\u{1}b\"}", "invalid_json"),
        (#"{"session":"s","text":"hi"} {}"#, "invalid_json"),
        (#"{"session":"s","text":01}"#, "invalid_json"),
        (#"{"session":"s","text":NaN}"#, "invalid_json"),
        (#"{'session':'s'}"#, "invalid_json"),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "invalid_json"),
        (String(repeating: "[", count: 64) + "{}" + String(repeating: "]", count: 64), "invalid_json"), // 65 deep; 64 is read
        // Control characters in the ids things are filed under.
        (#"{"type":"profile","customer":"victim\u0000x"}"#, "invalid_value"),
        (#"{"type":"forget","customer":"victim\u0000"}"#, "invalid_value"),
        (#"{"session":"s\u0000","customer":"c","text":"hi"}"#, "invalid_value"),
        (#"{"session":"s","customer":"c\nforged log line","text":"hi"}"#, "invalid_value"),
        (#"{"session":"s\u001b[2J","text":"hi"}"#, "invalid_value"),
        (#"{"session":"s\u007f","text":"hi"}"#, "invalid_value"),
        (#"{"session":"s\u0085","text":"hi"}"#, "invalid_value"),
        (#"{"type":"start","session":"s","customer":"\t"}"#, "invalid_value"),
        (#"{"type":"end","session":"\u0000"}"#, "invalid_value"),
        ("{\"type\":\"profile\",\"customer\":\"\(String(repeating: "c", count: 201))\"}", "wrong_type"),
        // Written another way, the same id to Swift and another to SQLite (found in review).
        (#"{"session":"cafe\u0301","text":"hi"}"#, "invalid_value"),
        (#"{"type":"forget","customer":"\u212Aate"}"#, "invalid_value"),
        (#"{"type":"profile","customer":"A\u030A"}"#, "invalid_value"),
    ])
    func refused(line: String, expected: String) {
        #expect(code(line) == expected, "\(line)")
    }

    @Test("accepted as JSON allows", arguments: [
        #"{"session":"s","text":"caf\u00e9 \ud83d\ude00 \"quoted\" \\ \/ \b\f\n\r\t"}"#,
        #" { "session" : "s" , "text" : "hi" , "n" : [ -0.5e+3 , 0 , true , false , null , { } , [ ] ] } "#,
        #"{"session":"Zoë's chat ☕","customer":"ünïcode-客户","text":"hi"}"#,
        #"{"session":"caf\u00e9","customer":"\u00c5sa","text":"hi"}"#,
        "{\"session\":\"\(String(repeating: "s", count: 200))\",\"text\":\"hi\"}",
        String(repeating: "[", count: 63) + "{}" + String(repeating: "]", count: 63),
    ])
    func accepted(line: String) {
        if line.hasPrefix("[") {
            #expect(code(line) == "not_an_object")
        } else {
            #expect(code(line) == nil, "\(line)")
        }
    }

    @Test func escapesAreReadBackExactly() async throws {
        let value = try JSONValue.parse(Data(#"{"text":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t \u0000"}"#.utf8))
        #expect(value["text"] == .string("café 😀 \"q\" \\ / \u{8}\u{C}\n\r\t \u{0}"))
    }

    @Test func theErrorSaysWhereTheLineWentWrong() async {
        do {
            _ = try JSONValue.parse(Data(#"{"a":1,"a":2}"#.utf8))
            Issue.record("a repeated key was accepted")
        } catch {
            #expect(error.description == "the key 'a' appears twice in one object at byte 7")
        }
    }

    /// The privacy bug the issue reported: "victim\u0000x" read and erased
    /// "victim". Over the real store, from a new server each time.
    @Test func anIdWithANulReachesNoOtherCustomer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-nul-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteConversationStore(path: folder + "/r.sqlite")
        var first = ProtocolServer(engine: Engine(bot: bot), store: store, seed: 1, clock: { noon })
        _ = await first.serve(#"{"session":"s-v","customer":"victim","text":"where is my order"}"#)
        var second = ProtocolServer(engine: Engine(bot: bot), store: store, seed: 1, clock: { noon })
        #expect(await second.serve(#"{"type":"profile","customer":"victim\u0000x"}"#).contains(#""code":"invalid_value""#))
        #expect(await second.serve(#"{"type":"forget","customer":"victim\u0000x"}"#).contains(#""code":"invalid_value""#))
        #expect(await second.serve(#"{"session":"s-v\u0000x","customer":"victim","text":"hi"}"#).contains(#""code":"invalid_value""#))
        #expect(try await store.profile(of: "victim") != nil)
        #expect(try await store.turns(inSession: "s-v").count == 1)
    }

    /// Text may hold any character: it is stored and read back whole.
    @Test func aMessageWithANulIsAnsweredAndStoredWhole() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-nul-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteConversationStore(path: folder + "/r.sqlite")
        var server = ProtocolServer(engine: Engine(bot: bot), store: store, seed: 1, clock: { noon })
        #expect(await server.serve(#"{"session":"s","customer":"c","text":"where is my order\u0000 and more"}"#).contains(#""type":"reply""#))
        #expect(try await store.turns(inSession: "s").first?.customerText == "where is my order\u{0} and more")
    }
}
