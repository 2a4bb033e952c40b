import Foundation
import FuzzSupport
import RapportIntents

/// libFuzzer's entry point: the input is a bundle of bot files laid over a
/// small valid bot (`MinimalBot.files`), written to a fresh folder and loaded
/// with `BotLoader.load(directory:)`, as `rapport chat --intents DIR` would.
///
/// A bundle is a list of files, each after a header line `=== NAME` (a topic
/// like `orders.yaml`, `bot.yaml`, `entities.yaml`, `profile.yaml`, or a table
/// like `data/orders.csv`); a file in the bundle replaces the bot's file of
/// that name, or adds one. Text before the first header replaces `orders.yaml`,
/// so a bare YAML file is a bundle too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBotLoader(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = UnsafeRawPointer(data) else { return 0 }
    var files = MinimalBot.files
    for (name, bytes) in Bundle.files(in: UnsafeRawBufferPointer(start: start, count: count)) {
        files[name] = bytes
    }
    let folder = BotFolder.shared
    folder.replaceContents(with: files)
    do {
        let bot = try BotLoader.load(directory: folder.path)
        check(!bot.intents.isEmpty, "a bot loaded with no intents")
        if verbose { print("loaded: \(bot.intents.map(\.name))") }
    } catch {
        check(!error.problems.isEmpty, "a bot was refused with no problem listed")
        for problem in error.problems { _ = problem.description }
        if verbose { print("refused:\n\(error)") }
    }
    return 0
}

/// `FUZZ_VERBOSE=1` prints what became of each input, to see why one is refused.
let verbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] != nil

/// Splits a fuzz input into named files.
enum Bundle {
    static let header = Array("=== ".utf8)

    static func files(in input: UnsafeRawBufferPointer) -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = []
        // Text before any header is orders.yaml, when there is some.
        var name: String? = "orders.yaml"
        var declared = false
        var body: [UInt8] = []
        func flush() {
            if let name, declared || !body.isEmpty { files.append((name, body)) }
            body = []
        }
        var lineStart = 0
        while lineStart < input.count {
            let lineEnd = input[lineStart...].firstIndex(of: 0x0A).map { $0 + 1 } ?? input.count
            let line = input[lineStart..<lineEnd]
            if line.starts(with: header) {
                flush()
                let title = line.dropFirst(header.count).prefix { $0 != 0x0A && $0 != 0x0D }
                name = safeName(String(decoding: title, as: UTF8.self))
                declared = true
            } else {
                body += line
            }
            lineStart = lineEnd
        }
        flush()
        return files
    }

    /// A file in the bot's folder or in its `data/` folder, with no other
    /// slashes (`NAME.yaml`, `data/NAME.csv`, and files the loader should
    /// pass over, like `notes.txt` or `.hidden.yaml`). Others are dropped,
    /// and so is `data` itself, which is the tables' folder.
    static func safeName(_ name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        var rest = Substring(name)
        if rest.hasPrefix("data/") { rest = rest.dropFirst(5) } else if rest == "data" { return nil }
        guard !rest.isEmpty, rest.count <= 40, rest != ".", rest != "..", rest.allSatisfy(allowed.contains) else { return nil }
        return name
    }
}

/// One temporary folder, emptied and refilled for each input.
final class BotFolder: @unchecked Sendable { // libFuzzer calls the target from one thread
    static let shared = BotFolder()

    let path: String
    private var written: Set<String> = []

    private init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("rapport-fuzz-bot-\(getpid())")
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path + "/data", withIntermediateDirectories: true)
        } catch {
            fatalError("cannot make the bot folder \(path): \(error)")
        }
        atexit { try? FileManager.default.removeItem(atPath: BotFolder.shared.path) }
    }

    func replaceContents(with files: [String: [UInt8]]) {
        for name in written.subtracting(files.keys) {
            unlink(path + "/" + name)
        }
        for (name, bytes) in files {
            let url = URL(fileURLWithPath: path + "/" + name)
            do {
                try Data(bytes).write(to: url)
            } catch {
                fatalError("cannot write \(url.path): \(error)")
            }
        }
        written = Set(files.keys)
    }
}

@_cdecl("FuzzBotLoader_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzBotLoader)
}
