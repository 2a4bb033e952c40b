/// What one attempt to read a customer's line gave.
public enum LineInput: Hashable, Sendable {
    case line(String)
    /// Ctrl-C: the line being typed was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Reads the customer's lines. The console does not care whether they come
/// from GNU readline on a terminal, a pipe, or a test's script.
public protocol LineReader {
    /// True when lines are typed by a person at a terminal, who sees them as they type.
    var isInteractive: Bool { get }
    mutating func readLine(prompt: String) -> LineInput
}

/// Reads plain lines from standard input with no terminal handling at all, so
/// piped input gives a clean transcript without escape codes.
public struct PlainLineReader: LineReader {
    public var isInteractive: Bool { false }

    public init() {}

    public mutating func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        // Tolerate files written on Windows.
        return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }
}
