import Foundation
import FuzzSupport
import RapportProtocol

/// libFuzzer's entry point: the input is what a host writes to `rapport serve`'s
/// stdin. It is cut into lines as the server cuts them, and each line is
/// decoded; the whole input is also decoded as one line, so the length limit
/// is reached when `-max_len` allows it.
///
/// Besides not crashing, two properties are checked: a decoded `message` keeps
/// to the protocol's limits, and every value rapport writes back (the id it
/// echoes, an error line) reads back as the same JSON value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtocolRequest(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = UnsafeRawPointer(data) else { return 0 }
    let input = Data(bytes: start, count: count)
    var splitter = LineSplitter(limit: 4_096)
    for item in splitter.feed(input) + splitter.finish() {
        if case .line(let line) = item { decode(line) }
    }
    decode(input)
    return 0
}

private func decode(_ line: Data) {
    let echoed: JSONValue
    do {
        let request = try ProtocolRequest.decode(line)
        if case .message(_, _, _, let text) = request {
            check(!text.allSatisfy(\.isWhitespace) && text.count <= ProtocolVersion.maxTextCharacters, "a message's text escaped the limits")
        }
        echoed = request.id ?? .null
    } catch {
        echoed = error.line
    }
    let reread = try? JSONValue.parse(Data(echoed.serialized.utf8))
    check(reread != nil, "rapport wrote a line that is not JSON: \(echoed.serialized)")
    // The parser keeps an object's keys in the order written.
    check(reread == echoed, "\(echoed.serialized) reads back as \(reread?.serialized ?? "")")
}

@_cdecl("FuzzProtocolRequest_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzProtocolRequest)
}
