import Foundation
import Testing
import RapportTranscripts

/// Inputs found by Fuzz/FuzzTranscriptParser (see docs/FUZZING.md), kept so
/// what they showed stays fixed.
@Suite("Transcript inputs found by fuzzing")
struct TranscriptFuzzRegressionTests {
    /// A transcript saved with Windows line ends (\r\n) was one long line to
    /// the parser, since Swift reads "\r\n" as one character, not as "\n":
    /// it was refused as having "no #me block".
    @Test(arguments: ["delivery.convo.txt", "bad-input.convo.txt"])
    func aTranscriptWithWindowsLineEndsReadsAsWithUnixOnes(name: String) throws {
        let file = Bundled.root.appendingPathComponent("transcripts/" + name).path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains("\r"), "the bundled transcript already has \\r")
        let unix = try TranscriptParser.parse(text, file: name)
        let windows = try TranscriptParser.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), file: name)
        #expect(windows == unix)
    }

}
