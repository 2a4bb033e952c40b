import CPseudoTerminal
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `rapport` binary that `swift build` put beside the test bundle.
enum RapportBinary {
    static let path: String = {
        if let path = ProcessInfo.processInfo.environment["RAPPORT_BINARY"] { return path }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/rapport")
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rapport").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/rapport").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    /// How many intents the bundled bot declares (every `- name:` at the top of a topic file's list).
    static func bundledIntentCount() throws -> Int {
        let skipped: Set<String> = ["bot.yaml", "entities.yaml", "profile.yaml"]
        return try FileManager.default.contentsOfDirectory(atPath: bundledIntents)
            .filter { $0.hasSuffix(".yaml") && !skipped.contains($0) }
            .map { try String(contentsOfFile: bundledIntents + "/" + $0, encoding: .utf8) }
            .reduce(0) { count, text in count + text.components(separatedBy: "\n").filter { $0.hasPrefix("  - name: ") }.count }
    }

    /// The repository's bundled intents folder.
    static let bundledIntents = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("intents").path
}

/// How long a test waits for something the binary will do: a bound on a
/// hang, generous enough for a machine busy with other work, never a speed
/// check. Waits end at once when the process exits.
enum Patience {
    static let seconds: Double = 120
}

/// One model cache for every end-to-end test, warmed once by `rapport
/// train` before the first test starts the binary: each start then loads the
/// model instead of training it. Kept between runs (a stale model is replaced).
enum SharedModelCache {
    static let directory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-e2e-models").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RapportBinary.path)
        // Words alone, as `Sandbox` asks for: the tests that say nothing was trained rely on it.
        process.arguments = ["train", "--intents", RapportBinary.bundledIntents, "--model-cache", directory, "--matcher", "words"]
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return directory
    }()
}

/// A private home for one test: the database and history land here, never in the real home.
final class Sandbox {
    let root: String

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-e2e-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = root
        environment["XDG_DATA_HOME"] = root + "/data"
        environment["XDG_STATE_HOME"] = root + "/state"
        environment["XDG_CACHE_HOME"] = root + "/cache"
        environment["RAPPORT_MODEL_CACHE"] = SharedModelCache.directory
        // Words alone, as asked for: the front ends' tests need not load the sentence encoder
        // at every start. EncoderCommandTests removes it to run the default.
        environment["RAPPORT_MATCHER"] = "words"
        environment.removeValue(forKey: "NO_COLOR")
        return environment
    }
}

extension Sandbox {
    /// A bot of three intents, written into the sandbox: trained in a blink,
    /// so the tests that make rapport train, or start it many times on new
    /// caches, do not train the bundled bot.
    func smallBot() throws -> String {
        let folder = root + "/small-bot"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: Pip\nwelcome:\n  - Hello.\nfallback:\n  - Sorry?\nfarewell:\n  - Bye.\n"
            .write(toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
        try """
            intents:
              - name: greet
                examples: [hi, hello, good morning, hey there]
                responses: [Hello!]
              - name: delivery_costs
                examples: [how much is delivery, is shipping free, delivery charges, what does postage cost]
                responses: [Delivery is £3.95.]
              - name: order_status
                examples: [where is my order, track my parcel, has my order shipped]
                responses: [It's on its way.]

            """.write(toFile: folder + "/shop.yaml", atomically: true, encoding: .utf8)
        return folder
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `rapport` with pipes for its standard streams.
func runRapport(_ arguments: [String], stdin: String = "", environment: [String: String], directory: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RapportBinary.path)
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    // Read stderr on another thread so neither pipe can fill up and stall the process.
    nonisolated(unsafe) var errorData = Data()
    let reader = Thread { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorData, as: UTF8.self)
    )
}

/// `rapport` running on a pseudo-terminal as its controlling terminal, driven
/// by keystrokes as a person at a keyboard would: Ctrl-C really sends SIGINT.
final class PseudoTerminal {
    private let master: Int32
    let pid: pid_t
    /// Everything the program has written to the terminal so far.
    private(set) var screen = ""

    init(arguments: [String], environment: [String: String]) throws {
        let argv = ([RapportBinary.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        master = rapport_test_spawn_on_terminal(argv, envp, 200, 50, &pid)
        guard master >= 0 else {
            throw TerminalError("cannot start rapport on a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        self.pid = pid
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    /// Types keys: text, "\r" for Enter, "\u{1B}[A" for Up, "\t" for Tab, "\u{03}" for Ctrl-C.
    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until `text` appears on the screen after `offset`, and returns the
    /// screen offset just past it. Gives up after `seconds` (a bound on a hang,
    /// not a speed check).
    @discardableResult
    func waitFor(_ text: String, after offset: String.Index? = nil, seconds: Double = Patience.seconds) throws -> String.Index {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let start = offset ?? screen.startIndex
            if let range = screen.range(of: text, range: start..<screen.endIndex) { return range.upperBound }
            if hasExited {
                // What it wrote just before exiting may still be unread: read it all, then look once more.
                drain()
                if let range = screen.range(of: text, range: start..<screen.endIndex) { return range.upperBound }
            }
            guard Date() < deadline, !hasExited else {
                throw TerminalError("waited \(hasExited ? "until rapport exited" : "\(seconds)s") for \(text.debugDescription); the screen shows:\n\(screen)")
            }
            pump(milliseconds: 100)
        }
    }

    /// Reads everything left to read, until nothing more comes for a moment.
    private func drain() {
        var before = screen.utf8.count
        repeat {
            before = screen.utf8.count
            pump(milliseconds: 50)
        } while screen.utf8.count > before
    }

    /// Reads whatever the program wrote within the time given.
    func pump(milliseconds: Int32) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if count > 0 { screen += String(decoding: buffer[0..<count], as: UTF8.self) }
    }

    /// Waits for the program to exit and returns its exit status, or nil if it was killed by a signal.
    func waitForExit(seconds: Double = Patience.seconds) throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            pump(milliseconds: 50)
            if let exitStatus { return exitStatus }
        }
        throw TerminalError("rapport did not exit; the screen shows:\n\(screen)")
    }

    /// The process's wait status, once it has ended (reaped once, kept).
    private var waitStatus: Int32?

    private var exitStatus: Int32?? {
        if waitStatus == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { waitStatus = status }
        }
        guard let status = waitStatus else { return nil }
        let signalled = (status & 0x7F) != 0
        return .some(signalled ? nil : (status >> 8) & 0xFF)
    }

    private var hasExited: Bool { exitStatus != nil }

    var isRunning: Bool { !hasExited }

    /// Whether the terminal echoes typed keys itself, as it does in its normal
    /// (cooked) mode and not while readline has it raw.
    var localEcho: Bool {
        var settings = termios()
        guard tcgetattr(master, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ECHO) != 0
    }
}

struct TerminalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
