/// Levenshtein distance, for "did you mean" suggestions on misspelt keys,
/// placeholders and assertions.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The candidate closest to a misspelt word, if it is close enough to be a
    /// typo (at most 2 edits, or a third of the candidate's length).
    public static func nearest(_ word: String, in candidates: [String], ignoringCase: Bool = true) -> String? {
        let probe = ignoringCase ? word.lowercased() : word
        let scored = candidates.map { ($0, between(probe, ignoringCase ? $0.lowercased() : $0)) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        return best.1 <= max(2, best.0.count / 3) ? best.0 : nil
    }
}
