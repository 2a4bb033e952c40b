/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
///
/// The engine never reaches for the system's randomness: every choice between
/// response variants draws from one of these, carried in the conversation
/// state, so replaying the same events with the same seed gives the same replies.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable, Codable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
