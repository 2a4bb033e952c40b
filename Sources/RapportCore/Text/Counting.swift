/// Counters whose value can come from outside (a transcript's front matter,
/// a stored profile or dialogue state) grow by saturating: a count already
/// at the largest `Int` stays there instead of trapping.
extension Int {
    /// One more, or `Int.max` when already there.
    public func incremented() -> Int {
        self == .max ? .max : self + 1
    }

    /// `self - other`, held within `Int.min...Int.max`.
    public func subtracting(saturating other: Int) -> Int {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }

    /// `self + other`, held within `Int.min...Int.max`.
    public func adding(saturating other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

/// A count with its noun: "1 field", "3 fields" (nouns whose plural adds an s).
public func counted(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
}
