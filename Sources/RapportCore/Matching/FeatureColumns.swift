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
        guard let table = Self(checking: features) else { preconditionFailure("a feature was numbered twice") }
        self = table
    }

    /// Columns numbered in the order of `features`, or nil when a feature
    /// repeats: for features read from a file, which are checked, not trusted.
    init?(checking features: [UInt64]) {
        let bits = Self.tableBits(for: features.count)
        let capacity = 1 << bits
        var keys = [UInt64](repeating: 0, count: capacity)
        var columns = [Int32](repeating: -1, count: capacity)
        let shift = UInt64(64 - bits)
        let mask = capacity - 1
        for (column, feature) in features.enumerated() {
            var slot = Self.slot(feature, shift: shift)
            while columns[slot] >= 0 {
                if keys[slot] == feature { return nil }
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

    /// The features in column order: what `init(_:)` was given.
    var featuresInColumnOrder: [UInt64] {
        var features = [UInt64](repeating: 0, count: count)
        for (key, column) in zip(keys, columns) where column >= 0 { features[Int(column)] = key }
        return features
    }

    /// Bytes held, for the model's size.
    var bytes: Int { keys.count * 8 + columns.count * 4 }

    /// Log2 of a table's size for `count` keys: at most half full, so probes
    /// stay short, and never under 16 slots.
    static func tableBits(for count: Int) -> Int {
        var bits = 4
        while 1 << bits < count * 2 { bits += 1 }
        return bits
    }

    /// Fibonacci hashing: the top bits of the key times 2^64/φ, for a table
    /// of 2^(64 − shift) slots.
    static func slot(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
