/// Feature hash → column: an open-addressing table with linear probing.
///
/// The model looks up every feature of every message here, a few hundred per
/// prediction, so it is built for that one job: keys are already well-mixed
/// 64-bit hashes, so finding a slot is a multiply and a shift, not a run of
/// `Hasher`. Immutable once built.
struct FeatureColumns: Sendable {
    private let keys: [UInt64]
    /// The column for the key in the same slot, or -1 for an empty slot.
    private let columns: [Int32]
    private let shift: UInt64
    let count: Int

    /// Columns numbered in the order of `features`, which must hold no repeats.
    init(_ features: [UInt64]) {
        // At most half full, so probes stay short.
        var bits: UInt64 = 4
        while (1 << bits) < features.count * 2 { bits += 1 }
        let capacity = 1 << Int(bits)
        var keys = [UInt64](repeating: 0, count: capacity)
        var columns = [Int32](repeating: -1, count: capacity)
        let shift = 64 - bits
        let mask = capacity - 1
        for (column, feature) in features.enumerated() {
            var slot = Self.slot(feature, shift: shift)
            while columns[slot] >= 0 {
                precondition(keys[slot] != feature, "a feature was numbered twice")
                slot = (slot + 1) & mask
            }
            keys[slot] = feature
            columns[slot] = Int32(column)
        }
        self.keys = keys
        self.columns = columns
        self.shift = shift
        count = features.count
    }

    subscript(feature: UInt64) -> Int32? {
        let mask = keys.count - 1
        var slot = Self.slot(feature, shift: shift)
        while true {
            let column = columns[slot]
            if column < 0 { return nil }
            if keys[slot] == feature { return column }
            slot = (slot + 1) & mask
        }
    }

    /// Bytes held, for the model's size.
    var bytes: Int { keys.count * 8 + columns.count * 4 }

    /// Fibonacci hashing: the top bits of the key times 2^64/φ.
    private static func slot(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
