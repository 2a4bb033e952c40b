/// Turns a message into a dense vector in which messages that mean the same
/// thing are near each other: a pretrained sentence encoder, whose vectors
/// the classifier joins to its sparse features (`LinearIntentClassifier`).
///
/// The core only needs this much; the encoder itself (its files, its
/// forward pass) lives at the edge, in RapportEncoder.
public protocol SentenceEmbedder: Sendable {
    /// The length of every vector.
    var dimensions: Int { get }
    /// Names the model exactly (its files' digest), so a classifier trained
    /// with one encoder is never used with another.
    var identity: String { get }
    /// The vector of `text`, `dimensions` long, of unit length.
    func embed(_ text: String) -> [Float]
}
