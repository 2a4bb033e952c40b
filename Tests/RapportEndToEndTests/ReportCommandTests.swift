import Foundation
import Testing

@Suite("rapport report and feedback export")
struct ReportCommandTests {
    /// A database with two conversations over the protocol: one rated 5 with a
    /// comment that needs quoting, one handed to a person and rated 1.
    func seeded(_ sandbox: Sandbox) throws -> String {
        let path = sandbox.root + "/report.sqlite"
        let lines = [
            #"{"session":"s1","customer":"c-1","text":"where is my order HP-10442"}"#,
            #"{"session":"s1","text":"blorp zingle"}"#,
            #"{"type":"feedback","session":"s1","score":5,"comment":"quick, and \"friendly\"; call 07700 900123"}"#,
            #"{"session":"s2","customer":"c-2","text":"talk to a human"}"#,
            #"{"type":"feedback","session":"s2","score":1}"#,
        ]
        let result = try runRapport(["serve", "--intents", RapportBinary.bundledIntents, "--db", path],
                                    stdin: lines.joined(separator: "\n") + "\n", environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    @Test func theReportAsJSONHasTheFigures() throws {
        let sandbox = Sandbox()
        let path = try seeded(sandbox)
        let result = try runRapport(["report", "--db", path, "--format", "json"], environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["conversations"] as? Int == 2)
        #expect(object["feedback"] as? Int == 2)
        #expect(object["csat"] as? Double == 0.5)
        #expect(object["containment"] as? Double == 0.5)
        #expect(object["handoffs"] as? [String: Int] == ["customer_request": 1])
        #expect(object["fallback_rate"] as? Double == 0.333)
        #expect((object["unmatched"] as? [[String: Any]])?.first?["text"] as? String == "blorp zingle")
    }

    @Test func theReportAsTextReadsAsATable() throws {
        let sandbox = Sandbox()
        let path = try seeded(sandbox)
        let result = try runRapport(["report", "--db", path], environment: sandbox.environment)
        #expect(result.stdout.contains("CSAT (4 and 5)     50%  (average 3.0 of 5)"), "\(result.stdout)")
        #expect(result.stdout.contains("Handoffs           1  (customer_request 1)"))
        #expect(result.stdout.contains("     1  blorp zingle"))
        let later = try runRapport(["report", "--db", path, "--since", "2100-01-01"], environment: sandbox.environment)
        #expect(later.stdout.contains("Conversations      0"), "an empty period is a report, not an error")
    }

    @Test func exportsQuoteWhatNeedsQuotingAndKeepMasks() throws {
        let sandbox = Sandbox()
        let path = try seeded(sandbox)
        let csv = try runRapport(["feedback", "export", "--db", path], environment: sandbox.environment)
        let rows = csv.stdout.components(separatedBy: "\r\n")
        #expect(rows[0] == "at,customer,session,intent,score,expectation,recommend,comment")
        #expect(rows[1].hasSuffix(#",c-1,s1,order_status,5,,,"quick, and ""friendly""; call [phone number]""#), "\(rows[1])")
        #expect(rows[2].hasSuffix(",c-2,s2,human_agent,1,,,"))
        let jsonl = try runRapport(["feedback", "export", "--db", path, "--format", "jsonl"], environment: sandbox.environment)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.stdout.split(separator: "\n")[0].utf8)) as? [String: Any])
        #expect(first["score"] as? Int == 5 && first["comment"] as? String == #"quick, and "friendly"; call [phone number]"#)
    }

    @Test("bad options are one line and status 1", arguments: [
        (["report", "--since", "yesterday"], "rapport: --since yesterday: not a day; write it like 2026-11-23"),
        (["report", "--since", "2026-11-23", "--until", "2026-11-01"], "rapport: --until 2026-11-01 is not after --since 2026-11-23: the period is empty"),
    ])
    func badOptions(arguments: [String], message: String) throws {
        let sandbox = Sandbox()
        let result = try runRapport(arguments + ["--db", sandbox.root + "/none.sqlite"], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stderr == message + "\n")
    }

    @Test func aMissingDatabaseIsNotCreated() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/none.sqlite"
        let result = try runRapport(["report", "--db", path], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no database here yet"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
