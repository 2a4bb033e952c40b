import Foundation
import RapportPostgres
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rapport serve` on PostgreSQL, two processes on one database as two hosts
/// would be. Needs a server: `RAPPORT_TEST_DATABASE_URL` (`.ci/run` starts
/// one); skipped without it, except on CI, where it fails.
@Suite("rapport serve on PostgreSQL, two processes", .enabled(if: PostgresServer.available))
struct PostgresServeTests {
    @Test func aSessionMovesBetweenProcessesAndAcknowledgedFeedbackSurvivesKill9() async throws {
        let database = try await PostgresServer.freshDatabase()
        let sandbox = Sandbox()
        let first = try ServeProcess(["--matcher", "words", "--seed", "1"], sandbox: sandbox, db: database)
        let second = try ServeProcess(["--matcher", "words", "--seed", "1"], sandbox: sandbox, db: database)
        #expect(try first.receive()["type"] as? String == "ready")
        #expect(try second.receive()["type"] as? String == "ready")

        first.send(#"{"session":"s1","customer":"c-1","text":"where is my order"}"#)
        let asked = try first.receive()
        #expect("\(asked["replies"] ?? "")".contains("order number"), "\(asked)")
        // The customer's next message reaches the other process: it picks the session up from the database.
        second.send(#"{"session":"s1","customer":"c-1","text":"HP-10442"}"#)
        let answered = try second.receive()
        #expect("\(answered["events"] ?? "")".contains("session_resumed"), "\(answered)")
        #expect("\(answered["replies"] ?? "")".contains("HP-10442"), "the question asked by the first process is answered: \(answered)")
        second.send(#"{"type":"feedback","session":"s1","score":4,"comment":"quick"}"#)
        #expect(try second.receive()["type"] as? String == "feedback_recorded")
        // Killed at once after acknowledging: nothing acknowledged is lost.
        kill(second.process.processIdentifier, SIGKILL)
        second.process.waitUntilExit()

        first.send(#"{"type":"profile","customer":"c-1"}"#)
        let profile = try first.receive()
        #expect(profile["sessions"] as? Int == 1)
        #expect(profile["known"] as? Bool == true)
        try first.closeInput()
        #expect(try first.waitForExit() == 0)

        let report = try runRapport(["report", "--db", database, "--format", "json"], environment: sandbox.environment)
        #expect(report.status == 0, "\(report.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect(figures["customer_messages"] as? Int == 2, "\(figures)")
        #expect(figures["feedback"] as? Int == 1, "\(figures)")
    }
}

/// A PostgreSQL address that leads nowhere: no server needed.
@Suite("rapport with a wrong PostgreSQL address")
struct PostgresAddressTests {
    @Test func aWrongAddressIsOneLineWithoutThePassword() throws {
        let result = try runRapport(["report", "--db", "postgres://rapport:hunter2@127.0.0.1:1/nothing"], environment: Sandbox().environment)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot reach the server"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
    }
}

/// The PostgreSQL server the tests may use.
enum PostgresServer {
    static var address: String? { ProcessInfo.processInfo.environment["RAPPORT_TEST_DATABASE_URL"] }

    /// On CI the server must be there (the test then fails without it); elsewhere it is optional.
    static var available: Bool { address != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    /// A new, empty database on the server; its address.
    static func freshDatabase() async throws -> String {
        guard let address else { throw TerminalError("RAPPORT_TEST_DATABASE_URL is not set: CI must run these tests (.ci/run starts a server)") }
        let server = try DatabaseURL(address)
        let name = "rapport_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await server.execute("CREATE DATABASE \(name)")
        return server.with(database: name).text
    }
}
