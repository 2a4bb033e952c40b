import Foundation
import RapportCore
import RapportIntents

/// The bundled bot's lexicon, read from intents/signals.yaml: bots built in
/// code for tests read yes, no, cancel and moods with the same words as the
/// bundled bot, and the words live in one place only. A broken file is a
/// broken test run, so it stops it.
public let bundledLexicon: Lexicon = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("intents").appendingPathComponent("signals.yaml").path
    do {
        return try LexiconLoader.load(file: path)
    } catch {
        fatalError("the bundled lexicon does not load:\n\(error)")
    }
}()

/// The signals of the bundled bot's lexicon.
public let bundledSignals = CustomerSignals(lexicon: bundledLexicon)
