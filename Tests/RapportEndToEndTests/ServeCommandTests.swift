import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rapport serve` as a host would run it: a child process on pipes.
final class ServeProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer = Data()
    /// Held so the sandbox outlives the server: removing its folder while the
    /// server still runs would let the server write a database into a stray folder.
    private let sandbox: Sandbox

    init(_ arguments: [String] = [], sandbox: Sandbox, db: String? = nil) throws {
        self.sandbox = sandbox
        process.executableURL = URL(fileURLWithPath: RapportBinary.path)
        process.arguments = ["serve", "--intents", RapportBinary.bundledIntents, "--db", db ?? sandbox.root + "/serve.sqlite"] + arguments
        process.environment = sandbox.environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    func send(_ bytes: Data) {
        input.fileHandleForWriting.write(bytes)
    }

    func send(_ line: String) {
        send(Data((line + "\n").utf8))
    }

    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    /// Closes our end of the server's stdout, as a host that exits would.
    func closeOutputReader() {
        try? output.fileHandleForReading.close()
    }

    /// The next line the server printed, parsed; waits at most `seconds` (a hang bound, not a speed check).
    func receive(seconds: Double = Patience.seconds) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw TerminalError("not a JSON object: \(String(decoding: line, as: UTF8.self))")
                }
                return object
            }
            guard Date() < deadline else { throw TerminalError("no line from rapport serve within \(seconds)s") }
            var descriptor = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 100) > 0 {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { throw TerminalError("rapport serve closed its output") }
                buffer.append(chunk)
            }
        }
    }

    /// Everything left on stdout after the process ends.
    func remainingOutput() -> String {
        String(decoding: buffer + output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func standardError() -> String {
        String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func waitForExit(seconds: Double = Patience.seconds) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else { throw TerminalError("rapport serve did not exit") }
            usleep(10_000)
        }
        return process.terminationStatus
    }
}

@Suite("rapport serve, run as a process")
struct ServeCommandTests {
    @Test func startsWithAReadyLine() throws {
        let server = try ServeProcess(sandbox: Sandbox())
        let ready = try server.receive()
        #expect(ready["type"] as? String == "ready")
        #expect(ready["protocol"] as? Int == 1)
        #expect(ready["bot"] as? String == "Pip")
        try server.closeInput()
        #expect(try server.waitForExit() == 0)
    }

    @Test func interleavedSessionsEachGetTheirOwnAnswers() throws {
        let server = try ServeProcess(["--seed", "3"], sandbox: Sandbox())
        _ = try server.receive()
        server.send(#"{"id":"1","session":"s1","customer":"c-1","text":"where is my order"}"#)
        server.send(#"{"id":"2","session":"s2","customer":"c-2","text":"how much is delivery"}"#)
        server.send(#"{"id":"3","session":"s1","text":"bye"}"#)
        server.send(#"{"id":"4","session":"s2","text":"do you ship abroad"}"#)
        let answers = try (0..<4).map { _ in try server.receive() }
        #expect(answers.map { $0["id"] as? String } == ["1", "2", "3", "4"])
        #expect(answers.map { $0["session"] as? String } == ["s1", "s2", "s1", "s2"])
        let intents = answers.map { ($0["intent"] as? [String: Any])?["name"] as? String }
        #expect(intents == ["order_status", "delivery_costs", "goodbye", "international_shipping"])
        let events = answers[2]["events"] as? [[String: Any]]
        #expect(events?.first?["type"] as? String == "session_ended")
        try server.closeInput()
        #expect(try server.waitForExit() == 0)
    }

    @Test func everyKindOfBadInputGetsOneErrorLineAndServingGoesOn() throws {
        let server = try ServeProcess(sandbox: Sandbox())
        _ = try server.receive()
        let bad: [(Data, String)] = [
            (Data("{not json\n".utf8), "invalid_json"),
            (Data("[\"an\",\"array\"]\n".utf8), "not_an_object"),
            (Data("{\"id\":5,\"text\":\"hi\"}\n".utf8), "missing_field"),
            (Data("{\"id\":6,\"session\":42,\"text\":\"hi\"}\n".utf8), "wrong_type"),
            (Data("{\"id\":7,\"type\":\"teleport\"}\n".utf8), "unknown_type"),
            (Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A]), "invalid_utf8"),
            (Data(String(repeating: "x", count: 70_000).utf8) + Data([0x0A]), "line_too_long"),
            (Data("{\"id\":8,\"session\":\"s\",\"text\":\"\(String(repeating: "a", count: 2_001))\"}\n".utf8), "text_too_long"),
            (Data("{\"id\":9,\"session\":\"s\",\"text\":\"  \"}\n".utf8), "empty_text"),
        ]
        for (line, code) in bad {
            server.send(line)
            let answer = try server.receive()
            #expect(answer["type"] as? String == "error")
            #expect(answer["code"] as? String == code)
            #expect((answer["message"] as? String)?.isEmpty == false)
        }
        server.send(#"{"id":"after","session":"s9","text":"hello"}"#)
        let answer = try server.receive()
        #expect(answer["type"] as? String == "reply")
        #expect(answer["id"] as? String == "after")
        try server.closeInput()
        #expect(try server.waitForExit() == 0)
        #expect(server.remainingOutput() == "", "exactly one line per request")
    }

    @Test func aLastLineWithoutNewlineIsServedAtEndOfInput() throws {
        let server = try ServeProcess(sandbox: Sandbox())
        _ = try server.receive()
        server.send(Data(#"{"type":"ping","id":"last"}"#.utf8))
        try server.closeInput()
        let pong = try server.receive()
        #expect(pong["type"] as? String == "pong")
        #expect(pong["id"] as? String == "last")
        #expect(try server.waitForExit() == 0)
    }

    @Test func aHostThatStopsReadingEndsTheServerCleanly() throws {
        let sandbox = Sandbox()
        let server = try ServeProcess(sandbox: sandbox)
        _ = try server.receive()
        server.closeOutputReader() // the host is gone
        server.send(#"{"type":"ping","id":1}"#)
        server.send(#"{"type":"ping","id":2}"#)
        try? server.closeInput()
        #expect(try server.waitForExit() == 0)
        #expect(server.process.terminationReason == .exit, "no crash on a closed pipe")
    }

    @Test func sigtermAnswersEveryLineAlreadyReadThenExits() throws {
        let server = try ServeProcess(sandbox: Sandbox())
        _ = try server.receive()
        // Twenty requests in one write of under 4 KiB: the pipe delivers it
        // whole, so the server reads all of them before answering the first.
        let lines = (1...20).map { "{\"session\":\"s\($0)\",\"id\":\($0),\"text\":\"where is my order\"}\n" }.joined()
        server.send(Data(lines.utf8))
        #expect(try server.receive()["id"] as? Int == 1)
        server.process.terminate() // SIGTERM while the other nineteen are in hand
        let rest = try (2...20).map { _ in try server.receive()["id"] as? Int }
        #expect(rest == Array(2...20))
        #expect(try server.waitForExit() == 0)
        #expect(server.remainingOutput() == "")
    }

    @Test func sigtermEndsCleanly() throws {
        let server = try ServeProcess(sandbox: Sandbox())
        _ = try server.receive()
        server.send(#"{"id":1,"session":"s1","text":"hi"}"#)
        #expect(try server.receive()["type"] as? String == "reply")
        server.process.terminate() // SIGTERM
        #expect(try server.waitForExit() == 0)
        #expect(server.process.terminationReason == .exit)
        #expect(server.standardError() == "")
    }

    /// Requests sent all at once are worked on side by side; each must get
    /// the answer it gets when the host waits for every answer before sending
    /// the next line: same words, same order, same events, whichever sessions,
    /// customers, erasures and feedback interleave.
    @Test func requestsSentAllAtOnceGetTheAnswersTheyGetOneAtATime() throws {
        var lines: [String] = []
        let sessions = (1...8).map { number in
            (session: "s\(number)", customer: "c-\(number % 6)") // c-1 and c-2 have two sessions each
        }
        let talk = [
            "hi, my name is Robin", "where is my order HP-10442", "can I still change the address?",
            "how much is the wool jumper", "I live in Leeds", "what are your opening hours there", "thanks, bye",
        ]
        for (turn, text) in talk.enumerated() {
            for (index, session) in sessions.enumerated() where (index + turn) % 3 != 0 {
                // The customer on the first line of a session only, as many hosts send it.
                let customer = turn == 0 || (index + turn) % 3 == 1 ? #","customer":"\#(session.customer)""# : ""
                lines.append(#"{"id":"\#(lines.count)","session":"\#(session.session)"\#(customer),"text":"\#(text)"}"#)
            }
            if turn == 3 { lines.append(#"{"type":"forget","id":"\#(lines.count)","customer":"c-3"}"#) }
            if turn == 4 { lines.append(#"{"type":"feedback","id":"\#(lines.count)","session":"s2","score":2}"#) }
            if turn == 5 { lines.append(#"{"type":"profile","id":"\#(lines.count)","customer":"c-1"}"#) }
        }
        lines.append(#"{"id":"\#(lines.count)","session":"s3","customer":"c-3","text":"hello again"}"#)

        // Answers vary in nothing but the moments a profile names (when a customer was seen, a fact told).
        func withoutMoments(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return NSDictionary(dictionary: object.filter { !["first_seen", "last_seen", "at"].contains($0.key) }
                    .mapValues(withoutMoments))
            }
            if let array = value as? [Any] { return NSArray(array: array.map(withoutMoments)) }
            return value
        }
        func comparable(_ answer: [String: Any]) -> NSDictionary { withoutMoments(answer) as! NSDictionary }
        let oneAtATime = try ServeProcess(["--seed", "7"], sandbox: Sandbox())
        _ = try oneAtATime.receive()
        let expected = try lines.map { line in
            oneAtATime.send(line)
            return comparable(try oneAtATime.receive())
        }
        let allAtOnce = try ServeProcess(["--seed", "7"], sandbox: Sandbox())
        _ = try allAtOnce.receive()
        allAtOnce.send(Data(lines.map { $0 + "\n" }.joined().utf8))
        let answers = try lines.map { _ in comparable(try allAtOnce.receive()) }
        #expect(expected.count == lines.count)
        #expect(expected.allSatisfy { $0["type"] as? String != "error" || $0["code"] as? String == "session_ended" })
        for (index, (answer, wanted)) in zip(answers, expected).enumerated() {
            #expect(answer == wanted, "line \(index): \(lines[index])")
        }
        try oneAtATime.closeInput()
        try allAtOnce.closeInput()
        #expect(try oneAtATime.waitForExit() == 0)
        #expect(try allAtOnce.waitForExit() == 0)
    }

    @Test func conversationsAreStoredAndSurviveARestart() throws {
        let sandbox = Sandbox()
        do {
            let first = try ServeProcess(sandbox: sandbox)
            _ = try first.receive()
            first.send(#"{"session":"s1","customer":"c-1","text":"hi"}"#)
            _ = try first.receive()
            try first.closeInput()
            _ = try first.waitForExit()
        }
        let second = try ServeProcess(sandbox: sandbox)
        _ = try second.receive()
        second.send(#"{"session":"s1","customer":"c-2","text":"where is my order"}"#)
        #expect(try second.receive()["code"] as? String == "customer_mismatch")
        second.send(#"{"session":"s1","text":"where is my order"}"#)
        let answer = try second.receive()
        let events = answer["events"] as? [[String: Any]]
        #expect(events?.first?["type"] as? String == "session_resumed")
        try second.closeInput()
        #expect(try second.waitForExit() == 0)
    }

    @Test func aCustomerComingBackGoesOnFromTheirLastConversation() throws {
        let sandbox = Sandbox()
        func said(_ answer: [String: Any]) -> String {
            ((answer["replies"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }.joined(separator: " ")
        }
        do {
            // The first conversation is about an order, and a person takes it; the server stops.
            let first = try ServeProcess(["--seed", "3"], sandbox: sandbox)
            _ = try first.receive()
            first.send(#"{"session":"a","customer":"c-back","text":"HP-10501 says delivered but I never got my candles"}"#)
            #expect(said(try first.receive()).contains("HP-10501"))
            first.send(#"{"session":"a","text":"I want to speak to a human"}"#)
            _ = try first.receive()
            first.send(#"{"type":"end","session":"a"}"#)
            _ = try first.receive()
            try first.closeInput()
            _ = try first.waitForExit()
        }
        let server = try ServeProcess(["--seed", "3"], sandbox: sandbox)
        _ = try server.receive()
        // Back in a new session: the order is the one talked about, and the team has it.
        server.send(#"{"session":"b","customer":"c-back","text":"me again, about the candles that never arrived"}"#)
        let answer = try server.receive()
        let back = said(answer)
        #expect(back.contains("HP-10501") && !back.contains("What's your order number"), "\(back)")
        // Handed to the team as well, naming the session it goes on with.
        let handoff = (answer["events"] as? [[String: Any]])?.first { $0["type"] as? String == "handoff" }
        #expect((handoff?["summary"] as? [String: Any])?["continues"] as? String == "a", "\(answer)")
        server.send(#"{"session":"b","text":"has anyone looked into it yet?"}"#)
        let chased = said(try server.receive())
        #expect(chased.contains("team") && !chased.contains("order number"), "\(chased)")
        // Another customer saying the same is asked which order.
        server.send(#"{"session":"c","customer":"c-new","text":"me again, about the candles that never arrived"}"#)
        #expect(said(try server.receive()).contains("What's your order number"))
        // A customer back about things an earlier order holds, read as the order, not the things' prices.
        server.send(#"{"session":"d1","customer":"c-amy","text":"where's my order HP-10442??"}"#)
        _ = try server.receive()
        server.send(#"{"type":"end","session":"d1"}"#)
        _ = try server.receive()
        server.send(#"{"session":"d2","customer":"c-amy","text":"hi its me again about the jumper and mug"}"#)
        let amy = said(try server.receive())
        #expect(amy.contains("Order HP-10442") && !amy.contains("£65"), "\(amy)")
        try server.closeInput()
        #expect(try server.waitForExit() == 0)
    }

    @Test func acknowledgedFeedbackSurvivesKillNine() throws {
        let sandbox = Sandbox()
        let server = try ServeProcess(sandbox: sandbox)
        _ = try server.receive()
        server.send(#"{"session":"s1","customer":"c-1","text":"where is my order"}"#)
        _ = try server.receive()
        server.send(#"{"type":"feedback","id":"f","session":"s1","score":5,"comment":"DURABLE-8812"}"#)
        let ack = try server.receive()
        #expect(ack["type"] as? String == "feedback_recorded")
        kill(server.process.processIdentifier, SIGKILL) // no chance to flush or close anything
        _ = try server.waitForExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        // A new process opens the database and finds the feedback.
        let path = sandbox.root + "/serve.sqlite"
        let result = try runRapport(["serve", "--intents", RapportBinary.bundledIntents, "--db", path],
                                    stdin: #"{"type":"profile","customer":"c-1"}"# + "\n", environment: sandbox.environment)
        #expect(result.stdout.contains(#""known":true,"sessions":1"#))
        let database = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(database.contains("DURABLE-8812") || wal.contains("DURABLE-8812"))
    }

    /// Scores of many sessions at once are committed together (group
    /// commit): each is acknowledged only once its transaction is written, so
    /// a kill -9 in the middle of the burst loses none that was acknowledged.
    @Test func everyScoreAcknowledgedInABurstSurvivesKillNine() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/serve.sqlite"
        let server = try ServeProcess(["--seed", "5"], sandbox: sandbox, db: path)
        _ = try server.receive()
        let sessions = 0..<40
        var lines = sessions.map { #"{"id":"m\#($0)","session":"s\#($0)","customer":"c-\#($0)","text":"where is my order HP-10442"}"# }
        // Then every session's score, side by side: they reach the store together.
        lines += sessions.map { #"{"type":"feedback","id":"f\#($0)","session":"s\#($0)","score":\#(1 + $0 % 5),"comment":"KEPT-\#($0)-MARK"}"# }
        server.send(Data(lines.map { $0 + "\n" }.joined().utf8))
        var acknowledged: [String] = []
        for _ in 0..<(sessions.count + sessions.count / 2) {
            let answer = try server.receive()
            if answer["type"] as? String == "feedback_recorded", let id = answer["id"] as? String {
                acknowledged.append("KEPT-\(id.dropFirst())-MARK")
            }
        }
        kill(server.process.processIdentifier, SIGKILL) // in the middle of the scores, or just after
        _ = try server.waitForExit()
        #expect(acknowledged.count == sessions.count / 2)
        let export = try runRapport(["feedback", "export", "--db", path, "--format", "jsonl"], environment: sandbox.environment)
        #expect(export.status == 0, "\(export.stderr)")
        for comment in acknowledged {
            #expect(export.stdout.contains(comment), "\(comment) was acknowledged, and is not in the database")
        }
    }

    @Test func whatACustomerSaysAboutThemselvesIsKeptAcrossRunsAndOnlyForThem() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/serve.sqlite"
        let first = try runRapport(["serve", "--intents", RapportBinary.bundledIntents, "--db", path], stdin: [
            #"{"session":"s1","customer":"c-sam","text":"hi, my name is Sam and I live in Manchester"}"#,
            #"{"session":"s2","customer":"c-jo","text":"hello"}"#,
        ].joined(separator: "\n") + "\n", environment: sandbox.environment)
        #expect(first.stdout.contains("Thanks, I'll remember that your first name is Sam and your town is Manchester."), "\(first.stdout)")
        // Another run of rapport on the same database: the facts were stored, for Sam alone.
        let second = try runRapport(["serve", "--intents", RapportBinary.bundledIntents, "--db", path], stdin: [
            #"{"type":"profile","customer":"c-sam"}"#,
            #"{"session":"s3","customer":"c-sam","text":"where is your shop"}"#,
            #"{"session":"s4","customer":"c-jo","text":"what do you know about me"}"#,
        ].joined(separator: "\n") + "\n", environment: sandbox.environment)
        let lines = second.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count >= 4, "a ready line and three replies: \(second.stdout) \(second.stderr)")
        #expect(lines[1].contains(#""facts":[{"field":"city","kind":"geographic","value":"Manchester","source":"stated","consent":true"#), "\(lines[1])")
        #expect(lines[1].contains(#""stage":"suspect""#))
        #expect(lines[2].contains("You're in Manchester too"), "personalised by what Sam said: \(lines[2])")
        #expect(lines[3].contains("I don't know anything about you yet"), "Jo never sees Sam's facts: \(lines[3])")
    }

    @Test func deleteAllMyDataOverTheProtocolErasesTheCustomer() throws {
        let sandbox = Sandbox()
        let server = try ServeProcess(sandbox: sandbox)
        _ = try server.receive()
        server.send(#"{"session":"s1","customer":"c-gone","text":"my name is ERASE-ME-5521"}"#)
        _ = try server.receive()
        server.send(#"{"session":"s1","text":"delete all my data"}"#)
        let confirm = try server.receive()
        #expect(((confirm["replies"] as? [[String: Any]])?.first?["text"] as? String)?.contains("can't be undone. Shall I delete it all?") == true)
        server.send(#"{"session":"s1","text":"yes"}"#)
        let erased = try server.receive()
        let events = (erased["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
        #expect(events == ["customer_erased", "session_ended"])
        server.send(#"{"type":"profile","customer":"c-gone"}"#)
        #expect(try server.receive()["known"] as? Bool == false)
        server.send(#"{"session":"s1","customer":"c-gone","text":"hi"}"#)
        let again = try server.receive()
        #expect((again["events"] as? [[String: Any]])?.first?["type"] as? String == "session_started", "the session id starts afresh")
        try server.closeInput()
        _ = try server.waitForExit()
        let path = sandbox.root + "/serve.sqlite"
        for file in [path, path + "-wal"] {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(data.range(of: Data("ERASE-ME-5521".utf8)) == nil, "no copy left in \(file)")
        }
    }

    @Test func forgetLeavesNoTraceInTheDatabaseFiles() throws {
        let sandbox = Sandbox()
        let server = try ServeProcess(sandbox: sandbox)
        _ = try server.receive()
        server.send(#"{"session":"s1","customer":"c-gone","text":"my name is WOMBAT-5521 and where is my order"}"#)
        _ = try server.receive()
        server.send(#"{"type":"forget","id":1,"customer":"c-gone"}"#)
        let answer = try server.receive()
        #expect(answer["type"] as? String == "forgotten")
        #expect(answer["turns"] as? Int == 1)
        let path = sandbox.root + "/serve.sqlite"
        for file in [path, path + "-wal"] {
            let data = FileManager.default.contents(atPath: file) ?? Data()
            #expect(data.range(of: Data("WOMBAT-5521".utf8)) == nil, "\(file) still holds the erased words")
        }
        try server.closeInput()
        #expect(try server.waitForExit() == 0)
    }

    @Test func aBadDatabaseIsOneErrorLineBeforeAnyProtocolLine() throws {
        let sandbox = Sandbox()
        let path = sandbox.root + "/not.sqlite"
        _ = FileManager.default.createFile(atPath: path, contents: Data(String(repeating: "text ", count: 100).utf8))
        let result = try runRapport(["serve", "--intents", RapportBinary.bundledIntents, "--db", path], environment: sandbox.environment)
        #expect(result.status == 1)
        #expect(result.stdout == "", "nothing on stdout but protocol lines")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
