/// What the engine's classifier reads, as the front ends report it: the
/// hybrid of words and a sentence encoder's vectors, or words alone and why.
public struct MatcherDescription: Hashable, Sendable {
    /// "hybrid" or "words": stable, for the protocol's `ready` line.
    public var kind: String
    /// The encoder's identity, or why there is none (may be empty).
    public var note: String

    public static func hybrid(encoder identity: String) -> Self {
        Self(kind: "hybrid", note: identity)
    }

    public static func words(note: String) -> Self {
        Self(kind: "words", note: note)
    }

    public var usesEncoder: Bool { kind == "hybrid" }

    /// One line for people: "words and the sentence encoder (...)" or "words alone (why)".
    public var summary: String {
        if usesEncoder { return "words and the sentence encoder (\(note))" }
        return note.isEmpty ? "words alone" : "words alone (\(note))"
    }
}
