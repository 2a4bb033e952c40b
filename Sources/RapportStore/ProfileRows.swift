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
        // Sorted, so the statements run in the same order every time.
        removedFacts = stored.facts.keys.filter { profile.facts[$0] == nil }.sorted()
        writtenFacts = profile.facts.filter { stored.facts[$0.key] != $0.value }
            .sorted { $0.key < $1.key }.map { (field: $0.key, fact: $0.value) }
        removedDeclines = stored.declined.keys.filter { profile.declined[$0] == nil }.sorted()
        writtenDeclines = profile.declined.filter { stored.declined[$0.key] != $0.value }
            .sorted { $0.key < $1.key }.map { (field: $0.key, at: $0.value) }
        newPurchases = profile.purchases.subtracting(stored.purchases).sorted()
    }

    /// Whether nothing is to be written.
    public var isEmpty: Bool {
        !customerRow && removedFacts.isEmpty && writtenFacts.isEmpty && removedDeclines.isEmpty
            && writtenDeclines.isEmpty && newPurchases.isEmpty
    }
}
