import Foundation
import FuzzSupport
import RapportCore
import RapportIntents

/// libFuzzer's entry point: the input is a customer's message. The extractor
/// is built once from the bundled bot's entities (`intents/`, or the folder
/// in `RAPPORT_INTENTS`) and run at a fixed moment, so a finding replays.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntityExtractor(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = UnsafeRawPointer(data) else { return 0 }
    let message = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let scalars = Array(message.unicodeScalars)
    // As read anywhere, and as an answer to the bot asking for an order number
    // (its `when_asked` pattern and lookalike digits move no offset).
    for asking in [nil, "order_number"] {
        for match in BundledEntities.extractor.extract(from: message, at: BundledEntities.now, asking: asking) {
            check(0 <= match.start && match.start < match.end && match.end <= scalars.count,
                  "entity '\(match.entity)' spans \(match.start)..<\(match.end) of a \(scalars.count)-scalar message")
            var said = String.UnicodeScalarView()
            said.append(contentsOf: scalars[match.start..<match.end])
            check(String(said) == match.text, "entity '\(match.entity)' says its text is '\(match.text)', but its span holds '\(String(said))'")
        }
    }
    _ = EntityExtractor.foldedWords(of: message)
    return 0
}

enum BundledEntities {
    /// A Monday at noon (2026-03-02T12:00:00Z), for relative dates.
    static let now = Date(timeIntervalSince1970: 1_772_452_800)

    static let extractor: EntityExtractor = {
        let folder = ProcessInfo.processInfo.environment["RAPPORT_INTENTS"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../../intents").standardized.path
        do {
            let bot = try BotLoader.load(directory: folder)
            check(!bot.entities.isEmpty, "the bot in \(folder) declares no entities")
            return EntityExtractor(types: bot.entities)
        } catch {
            fatalError("cannot load the bot in \(folder) (set RAPPORT_INTENTS to the intents folder):\n\(error)")
        }
    }()
}

@_cdecl("FuzzEntityExtractor_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzEntityExtractor)
}
