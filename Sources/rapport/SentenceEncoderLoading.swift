import Foundation
import RapportCore
import RapportEncoder

/// The pretrained sentence encoder as the engine's `SentenceEmbedder`.
struct EncoderEmbedder: SentenceEmbedder {
    let encoder: SentenceEncoder

    var dimensions: Int { SentenceEncoder.dimensions }
    var identity: String { encoder.identity }
    func embed(_ text: String) -> [Float] { encoder.encode(text) }
}

/// Finding and loading the sentence encoder (docs/ENCODER.md).
enum EncoderLoading {
    /// What happened: the encoder, or why there is none, in one line.
    enum Outcome {
        case loaded(EncoderEmbedder, EncoderFiles)
        /// No folder holds the model files: rapport runs on the sparse matcher.
        case notInstalled
        /// The files are there but cannot be used.
        case unusable(EncoderLoadError)

        var embedder: EncoderEmbedder? {
            if case .loaded(let embedder, _) = self { return embedder }
            return nil
        }

        /// Why there is no encoder, short, for `/debug` and the protocol's `ready` line.
        var reason: String {
            switch self {
            case .loaded: "loaded"
            case .notInstalled: "no sentence encoder installed: run .ci/setup, or set RAPPORT_ENCODER"
            case .unusable(let error): "the sentence encoder cannot be used: \(error)"
            }
        }

        /// Said once when there is no encoder: what rapport does instead, and how to get one.
        var warning: String? {
            switch self {
            case .loaded: nil
            case .notInstalled:
                "no sentence encoder installed (run .ci/setup, or set RAPPORT_ENCODER to a folder holding sp.model and weights.npz): matching on words alone"
            case .unusable(let error):
                "the sentence encoder cannot be used (\(error)): matching on words alone"
            }
        }
    }

    static func load(environment: [String: String]) -> Outcome {
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent().path
        guard let files = EncoderFiles.locate(environment: environment, executableDirectory: directory) else {
            return .notInstalled
        }
        do {
            let encoder = try SentenceEncoder(tokenizerPath: files.tokenizer, weightsPath: files.weights)
            return .loaded(EncoderEmbedder(encoder: encoder), files)
        } catch {
            return .unusable(error)
        }
    }
}
