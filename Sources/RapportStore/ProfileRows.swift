import Foundation
import RapportCore

/// What a database store writes when a profile changes from `stored` (as read
/// in the turn's transaction) to `profile`: the rows that differ, and no
/// others. Most turns change only the customer's own row (trust, last seen),
/// so rewriting every fact each turn would be most of the store's work.
/// The SQLite and PostgreSQL stores both write from it.
public struct ProfileRows: Sendable {
    /// Whether the customer's own row (everything but facts, declines and purchases) changed.
    public var customerRow: Bool
    public var removedFacts: [String]
    /// New and changed facts, by field name.
    public var writtenFacts: [(field: String, fact: ProfileFact)]
    public var removedDeclines: [String]
    public var writtenDeclines: [(field: String, at: Date)]
    public var newPurchases: [String]

    public init(_ profile: CustomerProfile, over stored: CustomerProfile) {
        var row = profile, storedRow = stored
        (row.facts, row.declined, row.purchases) = ([:], [:], [])
        (storedRow.facts, storedRow.declined, storedRow.purchases) = ([:], [:], [])
        customerRow = row != storedRow
        (removedFacts, writtenFacts) = Self.changes(from: stored.facts, to: profile.facts)
        (removedDeclines, writtenDeclines) = Self.changes(from: stored.declined, to: profile.declined)
        newPurchases = profile.purchases.subtracting(stored.purchases).sorted()
    }

    /// The fields `now` no longer has, and those it has new or changed; sorted
    /// by field, so the statements run in the same order every time.
    private static func changes<Value: Equatable>(
        from before: [String: Value], to now: [String: Value]
    ) -> (removed: [String], written: [(String, Value)]) {
        (before.keys.filter { now[$0] == nil }.sorted(),
         now.filter { before[$0.key] != $0.value }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
