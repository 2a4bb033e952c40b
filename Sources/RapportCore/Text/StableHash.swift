/// FNV-1a over bytes: a hash that is the same on every run and machine,
/// unlike Swift's `Hasher`, which is seeded per process. For feature hashing
/// and for deriving seeds from ids.
public enum StableHash {
    public static func fnv1a<Bytes: Sequence>(_ bytes: Bytes, seed: UInt64 = 0) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
