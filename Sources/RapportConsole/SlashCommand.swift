import Foundation

/// What support staff and customers can type at the console besides messages.
public enum SlashCommand: String, CaseIterable, Sendable {
    case help, debug, profile, feedback, record, restart, quit

    /// The one line `/help` shows for the command.
    public var summary: String {
        switch self {
        case .help: return "show this help"
        case .debug: return "show or hide what the bot understood (intent, confidence, state changes)"
        case .feedback: return "tell us how we did: the bot asks for a score, then a few optional questions"
        case .profile: return "show what the bot knows about you: facts, trust, loyalty stage, relationship level"
        case .record: return "save this conversation as a transcript: /record [FILE] (again to see where)"
        case .restart: return "start the conversation over"
        case .quit: return "end the conversation"
        }
    }

    /// Everything Tab completes, with the leading slash.
    public static var completions: [String] { allCases.map { "/" + $0.rawValue } }

    /// What a line means: a known command, an unknown one, or an ordinary message.
    public enum Parsed: Hashable, Sendable {
        /// A command and whatever followed it on the line, trimmed.
        case command(SlashCommand, argument: String)
        case unknown(String)
        case message
    }

    public static func parse(_ line: String) -> Parsed {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/"), trimmed.count > 1 else { return .message }
        let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
        let argument = trimmed.dropFirst(word.count + 1).trimmingCharacters(in: .whitespaces)
        if let command = SlashCommand(rawValue: word.lowercased()) { return .command(command, argument: argument) }
        if word.lowercased() == "exit" || word.lowercased() == "bye" { return .command(.quit, argument: argument) }
        return .unknown("/" + word.lowercased())
    }
}
