/// Why a model file could not be used, as one line a user can act on:
/// the file, then what is wrong with it.
public struct EncoderLoadError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file that is wrong (a path, or the name of a part of it).
    public var file: String
    /// What is wrong with it, starting in lower case.
    public var problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
