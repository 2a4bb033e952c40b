import Foundation
import FuzzSupport
import RapportTranscripts

/// libFuzzer's entry point: the input is a `.convo.txt` file. Bytes that are
/// not UTF-8 are replaced, as a lossy read would; `rapport test` refuses such
/// files before parsing, so only the parser's handling of text is at stake.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscriptParser(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = UnsafeRawPointer(data) else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let transcript = try TranscriptParser.parse(text, file: "fuzz.convo.txt")
        check(transcript.settings.customerSetup.visits >= 0, "a transcript parsed with negative visits")
    } catch {
        check(!error.problems.isEmpty, "a transcript was refused with no problem listed")
        for problem in error.problems {
            check(problem.line >= 0, "a problem at line \(problem.line)")
            _ = problem.description
        }
    }
    return 0
}

@_cdecl("FuzzTranscriptParser_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzTranscriptParser)
}
