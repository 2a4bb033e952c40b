/// How the console dresses its output: ANSI colour for a person at a
/// terminal, plain text for pipes, files and anyone who set `NO_COLOR`.
public struct ConsoleStyle: Hashable, Sendable {
    public var colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    /// Colour only when standard output is a terminal and `NO_COLOR` is unset
    /// or empty (https://no-color.org).
    public static func detect(outputIsTerminal: Bool, environment: [String: String]) -> ConsoleStyle {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return ConsoleStyle(colour: outputIsTerminal && !noColour)
    }

    public func botName(_ text: String) -> String { paint(text, "1;36") }
    public func customerPrompt(_ text: String) -> String { paint(text, "1;32") }
    public func debug(_ text: String) -> String { paint(text, "2") }
    public func notice(_ text: String) -> String { paint(text, "33") }

    /// The prompt for readline, whose escape codes must sit between \u{1} and
    /// \u{2} so readline does not count them in the prompt's width.
    public func readlinePrompt(_ text: String) -> String {
        colour ? "\u{1}\u{1B}[1;32m\u{2}\(text)\u{1}\u{1B}[0m\u{2}" : text
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Makes text safe to print on a terminal: control characters (an escape
/// sequence typed or piped in, a stray bell) are shown in caret notation
/// instead of being obeyed.
public enum TerminalText {
    public static func sanitized(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: out.unicodeScalars.append(scalar)
            case 0x00..<0x20: out += "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
            case 0x7F: out += "^?"
            case 0x80..<0xA0: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
