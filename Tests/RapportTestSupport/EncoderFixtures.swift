import Foundation
import Testing
import RapportCore
import RapportEncoder

/// Where the tests find the pretrained encoder's files (`sp.model`,
/// `weights.npz`), which are not in the repository: `.ci/setup` fetches them.
public enum EncoderFixtures {
    /// The package's root folder, worked out from where this file sits in it.
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // RapportTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .path

    /// The folder holding the model (sp.model and weights.npz):
    /// `$RAPPORT_ENCODER` if it holds them, else `<package root>/.encoder`
    /// if that does, else nil. (EncoderCommandTests looks the same way.)
    public static func modelDirectory() -> String? {
        let files = FileManager.default
        func holdsModel(_ folder: String) -> Bool {
            files.fileExists(atPath: folder + "/sp.model") && files.fileExists(atPath: folder + "/weights.npz")
        }
        if let variable = ProcessInfo.processInfo.environment["RAPPORT_ENCODER"], !variable.isEmpty, holdsModel(variable) {
            return variable
        }
        let local = packageRoot + "/.encoder"
        return holdsModel(local) ? local : nil
    }

    /// Whether this is a CI run (`$CI` set), where a missing model is a failure, not a skip.
    public static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false
    }

    /// Whether tests that need the model should run: when it is there, and on
    /// CI even when it is not, so that they fail there instead of being skipped.
    /// For `.enabled(if:)`; locally, a missing model then shows as a skip.
    public static var modelTestsEnabled: Bool { modelDirectory() != nil || isCI }

    /// The model folder, or a recorded failure saying to run .ci/setup, and a throw.
    public static func requireModelDirectory(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        try #require(
            modelDirectory(),
            "the encoder model (sp.model) is not installed: run .ci/setup, or set RAPPORT_ENCODER to its folder",
            sourceLocation: sourceLocation
        )
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only when the encoder model is installed, except on CI,
    /// where it always runs so that a missing model fails (see
    /// `EncoderFixtures.requireModelDirectory`) rather than passing unnoticed.
    public static var requiresEncoderModel: Self {
        .enabled(if: EncoderFixtures.modelTestsEnabled, "the encoder model is not installed: run .ci/setup")
    }
}

/// The sentence encoder as the classifier's embedder, as `rapport` wires it
/// (its `EncoderEmbedder`, in the executable, which tests cannot import).
public struct EncoderTestEmbedder: SentenceEmbedder {
    public let encoder: SentenceEncoder
    public var dimensions: Int { SentenceEncoder.dimensions }
    public var identity: String { encoder.identity }
    public func embed(_ text: String) -> [Float] { encoder.encode(text) }

    /// The installed model's encoder, or a recorded failure and a throw.
    public static func installed(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> EncoderTestEmbedder {
        let directory = try EncoderFixtures.requireModelDirectory(sourceLocation: sourceLocation)
        return EncoderTestEmbedder(encoder: try SentenceEncoder(tokenizerPath: directory + "/sp.model", weightsPath: directory + "/weights.npz"))
    }
}
