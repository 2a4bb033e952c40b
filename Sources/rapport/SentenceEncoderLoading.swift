import Foundation
import RapportCore
import RapportEncoder

/// The pretrained sentence encoder as the engine's `SentenceEmbedder`.
struct EncoderEmbedder: SentenceEmbedder, Sendable {
    let encoder: SentenceEncoder

    var dimensions: Int { SentenceEncoder.dimensions }
    var identity: String { encoder.identity }
    func embed(_ text: String) -> [Float] { encoder.encode(text) }
}

/// Finding and loading the sentence encoder (docs/ENCODER.md).
enum EncoderLoading {
    /// What happened: the encoder, or why there is none, in one line.
    enum Outcome: Sendable {
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

    /// The encoder in the installed files; with `unpackedFolder` (the model
    /// cache), its weights are read from their unpacked form there, or
    /// unpacked there for the next start (docs/ENCODER.md).
    static func load(environment: [String: String], unpackedFolder: String? = nil) -> Outcome {
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent().path
        guard let files = EncoderFiles.locate(environment: environment, executableDirectory: directory) else {
            return .notInstalled
        }
        // A cache: when its folder cannot be made, the weights are read from weights.npz every time.
        let folder = unpackedFolder.flatMap { folder in
            (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)).map { folder }
        }
        do {
            let encoder = try SentenceEncoder(tokenizerPath: files.tokenizer, weightsPath: files.weights, unpackedFolder: folder)
            return .loaded(EncoderEmbedder(encoder: encoder), files)
        } catch {
            return .unusable(error)
        }
    }
}

/// The sentence encoder loading on a thread of its own, so that it is read
/// while the bot's files are (each about 0.1 s in a release build): what
/// `ModelOptions.engine(for:)` waits for.
final class EncoderInBackground: @unchecked Sendable {
    // Written once on the loading thread before `finished` is signalled, read after waiting for it.
    private var outcome: EncoderLoading.Outcome?
    private let finished = DispatchSemaphore(value: 0)

    init(_ load: @escaping @Sendable () -> EncoderLoading.Outcome) {
        Thread.detachNewThread { [self] in
            outcome = load()
            finished.signal()
        }
    }

    /// The outcome, once the loading is done.
    var loaded: EncoderLoading.Outcome {
        finished.wait()
        defer { finished.signal() }
        return outcome ?? .notInstalled
    }
}
