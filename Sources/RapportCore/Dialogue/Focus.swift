/// What the conversation is about: the things it has named that the bot can
/// look up (an order, a product, a shop, a member), each with its salience.
///
/// A thing comes into focus when the customer names it or an answer looks
/// it up; it stays while the conversation keeps coming back to it, and fades
/// when the customer moves on: after `lasting` messages that neither name nor
/// use it, or at once when another thing of its kind is named. Any intent
/// with a slot of that kind takes it unasked ("can I still change the
/// address?" after "where is HP-10443"), unless the message points elsewhere
/// ("my other order", or another thing named).
public struct Focus: Hashable, Sendable, Codable {
    public struct Item: Hashable, Sendable, Codable {
        /// The entity type: `order_number`, `product`, `store`...
        public var entity: String
        public var value: String
        /// Customer messages it lasts for without being named or used.
        public var salience: Int
        /// For a request answered (`subjects`), the key of the row its
        /// answer looked up ("HP-10443"), if it looked one up.
        public var record: String?
        /// For a request answered, the customer message it was answered for
        /// (the conversation's count of messages then): the messages since
        /// are the ones about it. Nil in a focus saved before it was kept.
        public var turn: Int?

        public init(entity: String, value: String, salience: Int, record: String? = nil, turn: Int? = nil) {
            self.entity = entity
            self.value = value
            self.salience = salience
            self.record = record
            self.turn = turn
        }
    }

    /// Most recently named or used first; at most one value per entity type.
    public private(set) var items: [Item] = []
    /// The requests last answered, most recent first (at most
    /// `subjectsKept`), while the conversation stays on them (the intent's
    /// name as `value`): "is it free?" just after click and collect asks
    /// about click and collect; "can I do it in store?" after returns, then
    /// a question about postage, still asks about returns.
    public private(set) var subjects: [Item] = []
    /// The request the conversation is on: the last one answered.
    public var subject: Item? { subjects.first }
    public static let subjectsKept = 3
    /// Things another of their kind put out of focus, most recent first (at
    /// most `displacedKept`), fading as the rest do: after "HP-10442 and
    /// HP-10501?", "the mug" is in the first, though the second is in focus.
    public private(set) var displaced: [Item] = []
    public static let displacedKept = 3
    /// Messages a thing stays in focus without being named or used.
    public static let lasting = 4

    public init() {}

    private enum CodingKeys: String, CodingKey { case items, subjects, displaced }

    /// A focus saved before requests (or displaced things) were kept has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decode([Item].self, forKey: .items)
        subjects = try container.decodeIfPresent([Item].self, forKey: .subjects) ?? []
        displaced = try container.decodeIfPresent([Item].self, forKey: .displaced) ?? []
    }

    /// The value of this kind in focus, if any.
    public func value(for entity: String) -> String? {
        items.first { $0.entity == entity }?.value
    }

    /// The values of this kind the conversation has named and not yet left:
    /// the one in focus first, then those it displaced, most recent first.
    public func values(for entity: String) -> [String] {
        (items + displaced).filter { $0.entity == entity }.map(\.value)
    }

    /// Named or used now: at the front, with full salience; another value of
    /// the same kind leaves focus (the customer moved on to this one), and
    /// is kept among the `displaced`.
    public mutating func bring(_ entity: String, _ value: String) {
        if let index = items.firstIndex(where: { $0.entity == entity }) {
            let left = items.remove(at: index)
            if left.value != value { displaced.insert(left, at: 0) }
        }
        displaced.removeAll { $0.entity == entity && $0.value == value }
        displaced = Array(displaced.prefix(Self.displacedKept))
        items.insert(Item(entity: entity, value: value, salience: Self.lasting), at: 0)
    }

    /// A request answered now: the subject, with full salience.
    public mutating func answered(_ intent: String, record: String? = nil, turn: Int? = nil) {
        subjects.removeAll { $0.value == intent }
        subjects.insert(Item(entity: "intent", value: intent, salience: Self.lasting, record: record, turn: turn), at: 0)
        subjects = Array(subjects.prefix(Self.subjectsKept))
    }

    /// The thing turned out not to exist (a lookup found no row): out of focus.
    public mutating func drop(_ entity: String, _ value: String) {
        items.removeAll { $0.entity == entity && $0.value == value }
        displaced.removeAll { $0.entity == entity && $0.value == value }
    }

    /// One customer message later: everything fades a step; what has faded
    /// out leaves. A thing in focus that `lasting` keeps (the customer's own
    /// membership number) fades to the least salience and stays.
    public mutating func fade(keeping lasting: (Item) -> Bool = { _ in false }) {
        func faded(_ item: Item) -> Item? {
            var faded = item
            faded.salience -= 1
            if lasting(item) { faded.salience = max(1, faded.salience) }
            return faded.salience > 0 ? faded : nil
        }
        items = items.compactMap(faded)
        subjects = subjects.compactMap(faded)
        displaced = displaced.compactMap(faded)
    }

    /// "order_number=HP-10443 (4), store=York (2)", then any displaced
    /// ("; before: order_number=HP-10442 (3)"), for the debug view.
    public var description: String {
        func listed(_ items: [Item]) -> String { items.map { "\($0.entity)=\($0.value) (\($0.salience))" }.joined(separator: ", ") }
        let all = items + subjects
        let shown = all.isEmpty ? "nothing" : listed(all)
        return displaced.isEmpty ? shown : shown + "; before: " + listed(displaced)
    }
}
