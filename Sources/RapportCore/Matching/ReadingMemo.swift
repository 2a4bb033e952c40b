import Synchronization

/// The latest readings of a pure function of a text (what entities it
/// holds, how the engine understands it), so a text read again is not read
/// anew. A turn reads its message several times (its clauses, around a
/// correction), and many texts come back turn after turn: the bot's own
/// answers, read for what they bring into focus, and short replies ("yes",
/// "thanks"). The key must hold everything the reading depends on, so a
/// remembered reading is the one that would be made.
///
/// Shared by copies of its owner and safe across threads; when full, the
/// oldest reading goes first. A long text is read anew each time rather than
/// kept, so the memo stays small whatever customers send.
final class ReadingMemo<Key: MemoKey, Value: Sendable>: Sendable {
    let capacity: Int
    /// The longest text kept, in UTF-8 bytes.
    static var longest: Int { 2_048 }
    private struct Entries: ~Copyable {
        var readings: [Key: Value] = [:]
        /// The keys in the order they came, as a ring: `next` is the oldest once it is full.
        var order: [Key] = []
        var next = 0
    }
    private let entries = Mutex(Entries())

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    subscript(key: Key) -> Value? {
        entries.withLock { $0.readings[key] }
    }

    /// The reading for `key`, remembered, or made by `read` and remembered.
    /// (Two threads may both make a reading not yet remembered: the same one.)
    func reading(_ key: Key, _ read: () -> Value) -> Value {
        guard key.textBytes <= Self.longest else { return read() }
        if let known = self[key] { return known }
        let value = read()
        remember(value, for: key)
        return value
    }

    func remember(_ value: Value, for key: Key) {
        entries.withLock { entries in
            guard entries.readings.updateValue(value, forKey: key) == nil else { return }
            if entries.order.count < capacity {
                entries.order.append(key)
            } else {
                entries.readings[entries.order[entries.next]] = nil
                entries.order[entries.next] = key
                entries.next = (entries.next + 1) % capacity
            }
        }
    }
}

/// A memo's key: a text, and whatever else the reading depends on.
protocol MemoKey: Hashable, Sendable {
    /// The length of the key's text, in UTF-8 bytes.
    var textBytes: Int { get }
}

/// A text as a memo's key: equal only to the very same Unicode scalars.
/// Swift's strings are equal when canonically equivalent ("é" and "e" with
/// a combining accent), but a reading reports offsets in scalars, which differ.
struct ExactText: MemoKey {
    let text: String

    init(_ text: String) { self.text = text }

    var textBytes: Int { text.utf8.count }

    static func == (a: ExactText, b: ExactText) -> Bool {
        a.text.utf8.elementsEqual(b.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
