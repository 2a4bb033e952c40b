import RapportCore

/// One thing wrong with the bot's files, with where it is and what to do about it.
public struct LoadProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, and the line and column when the problem is inside it.
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public init(at location: SourceLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message: message)
    }

    /// `file:line:column: error: message`, the form editors and terminals link to.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): error: \(message)"
    }
}

/// Why a bot could not be loaded: every problem found, in file order. When this
/// is thrown nothing was loaded, not even the files that were fine.
public struct BotLoadFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [LoadProblem]

    public init(_ problems: [LoadProblem]) {
        self.problems = problems.sorted {
            ($0.file, $0.line ?? 0, $0.column ?? 0) < ($1.file, $1.line ?? 0, $1.column ?? 0)
        }
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
