import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rapport serve --db NEW` killed with SIGKILL while it creates the database:
/// whatever moment the kill lands, the next `rapport serve` on that path starts
/// and answers (the file is never left half-made and refused).
@Suite("Creating a database, killed part-way")
struct DatabaseCreationTests {
    /// Starts `rapport serve` on `path`, waits until something appears in the
    /// database's folder (creation has begun), waits `delay` more, then SIGKILLs it.
    func killWhileCreating(path: String, delay microseconds: UInt32, bot: String, sandbox: Sandbox) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RapportBinary.path)
        process.arguments = ["serve", "--intents", bot, "--db", path]
        process.environment = sandbox.environment
        let input = Pipe()
        process.standardInput = input // kept open: serve waits for requests
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(Patience.seconds)
        while (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty ?? true, process.isRunning, Date() < deadline {
            usleep(100)
        }
        usleep(microseconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
    }

    @Test func aFreshServeStartsAndAnswersWhereverTheKillLanded() throws {
        let sandbox = Sandbox()
        let bot = try sandbox.smallBot()
        let trials = Int(ProcessInfo.processInfo.environment["RAPPORT_KILL_TRIALS"] ?? "") ?? 30
        var failures: [String] = []
        var killedWhileBuilding = 0, killedAfterInstalling = 0
        for trial in 0..<trials {
            let folder = sandbox.root + "/trial-\(trial)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/rapport.sqlite"
            // 0 to 80 ms after the first file appears: before, during and after
            // creation, which takes 15-40 ms (more trials, through
            // RAPPORT_KILL_TRIALS, land between these).
            let delay = UInt32((trial * 2_700 + trial / 30 * 900) % 81_000)
            try killWhileCreating(path: path, delay: delay, bot: bot, sandbox: sandbox)
            let left = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            if left.contains("rapport.sqlite") { killedAfterInstalling += 1 } else if !left.isEmpty { killedWhileBuilding += 1 }
            let result = try runRapport(
                ["serve", "--intents", bot, "--db", path],
                stdin: #"{"id":"1","session":"s1","customer":"c-1","text":"how much is delivery"}"# + "\n",
                environment: sandbox.environment)
            let lines = result.stdout.split(separator: "\n")
            let ready = lines.first?.contains(#""type":"ready""#) == true
            let answered = lines.dropFirst().first?.contains("Delivery is £3.95.") == true
            if result.status != 0 || !ready || !answered {
                failures.append("trial \(trial) (killed \(delay) µs in, left \(left)): status \(result.status), \(result.stderr)\(result.stdout)")
            }
            // The killed creator's temporary files are removed by the next start.
            let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".rapport-tmp-") }
            if !leftovers.isEmpty { failures.append("trial \(trial): temporary files left after a fresh start: \(leftovers)") }
        }
        print("\(trials) kills: \(killedWhileBuilding) left only temporary files, \(killedAfterInstalling) left the database, \(failures.count) failed")
        #expect(failures.isEmpty, "\(failures.count) of \(trials) kills left a database rapport would not open:\n\(failures.joined(separator: "\n"))")
    }

    @Test func twoServesCreatingOneDatabaseAtOnceBothAnswer() throws {
        let sandbox = Sandbox()
        let bot = try sandbox.smallBot()
        let environment = sandbox.environment
        var failures: [String] = []
        for round in 0..<8 {
            let path = sandbox.root + "/round-\(round)/rapport.sqlite"
            nonisolated(unsafe) var results: [ProcessResult?] = [nil, nil]
            let threads = (0..<2).map { index in
                Thread {
                    results[index] = try? runRapport(
                        ["serve", "--intents", bot, "--db", path],
                        stdin: #"{"id":"1","session":"s\#(index)","customer":"c-1","text":"how much is delivery"}"# + "\n",
                        environment: environment)
                }
            }
            threads.forEach { $0.start() }
            while threads.contains(where: { !$0.isFinished }) { usleep(1_000) }
            for result in results where result?.status != 0 || result?.stdout.contains("Delivery is £3.95.") != true {
                failures.append("round \(round): \(result.map { "status \($0.status): \($0.stderr)" } ?? "did not run")")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
