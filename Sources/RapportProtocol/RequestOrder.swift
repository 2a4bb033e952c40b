import RapportCore

/// Which requests of a stream may be worked on side by side, and which must
/// wait for which: two requests that touch the same session or the same
/// customer run in the order they came, so every conversation, profile and
/// erasure sees exactly what it would if the stream were served one line at a
/// time. Pure bookkeeping: `StdioServer` runs the requests and writes their
/// answers in order.
///
/// A request whose customer cannot be known before it runs (a message to a
/// session this stream has not named a customer for, which may belong to
/// anyone in the database) waits for everything before it, and everything
/// after waits for it.
public struct RequestOrder<Handle> {
    /// What a request touches.
    public enum Footprint: Hashable, Sendable {
        /// Nothing that another request can see (a ping, a line that is not a request).
        case nothing
        /// These sessions and customers.
        case only(Set<Key>)
        /// Anything: it runs alone.
        case everything
    }

    public enum Key: Hashable, Sendable {
        case session(String)
        case customer(String)
    }

    /// The latest request admitted for each key since the last one that ran alone, with its place in the stream.
    private var latest: [Key: (place: Int, handle: Handle)] = [:]
    /// The latest request that runs alone, and the requests admitted after it.
    private var lastAlone: (place: Int, handle: Handle)?
    private var sinceAlone: [(place: Int, handle: Handle)] = []
    /// Each session's customer, as requests and answers have told.
    private var owners: [String: String] = [:]
    private var admitted = 0

    /// At most this many sessions' customers are remembered; past it, the
    /// oldest knowledge is dropped (those sessions' next requests run alone once).
    public let rememberedOwners: Int

    public init(rememberedOwners: Int = 100_000) {
        self.rememberedOwners = rememberedOwners
    }

    /// What `request` touches, given what earlier requests and answers told.
    public func footprint(of request: ProtocolRequest) -> Footprint {
        switch request {
        case .ping:
            return .nothing
        case .message(_, let session, let customer, _):
            return sessionFootprint(session, named: customer)
        case .start(_, let session, let customer):
            // A session started without a customer is the customer's own (an anonymous id made from the session's).
            return sessionFootprint(session, named: customer ?? CustomerProfile.anonymousPrefix + session)
        case .timeout(_, let session), .end(_, let session), .feedback(_, let session, _, _):
            return sessionFootprint(session, named: nil)
        case .profile(_, let customer):
            return .only([.customer(customer)])
        case .forget:
            // It removes the customer's sessions, some of which this stream may never have named
            // (a later line could start one of their ids afresh): it runs alone.
            return .everything
        }
    }

    /// The session, and its customer as the request names it and as earlier
    /// answers told (both: a request naming another customer than the
    /// session's is refused, and must be refused in its place in the stream).
    private func sessionFootprint(_ session: String, named: String?) -> Footprint {
        let customers = [named, owners[session]].compactMap { $0 }
        guard !customers.isEmpty else { return .everything }
        return .only(Set([.session(session)] + customers.map { .customer($0) }))
    }

    /// Takes the next request of the stream, run as `handle`; returns the
    /// handles of the earlier requests it must wait for, oldest first.
    public mutating func admit(_ footprint: Footprint, as handle: Handle) -> [Handle] {
        let place = admitted
        admitted += 1
        switch footprint {
        case .nothing:
            return []
        case .everything:
            let waits = (lastAlone.map { [$0] } ?? []) + sinceAlone
            lastAlone = (place, handle)
            sinceAlone = []
            latest = [:]
            return waits.map(\.handle)
        case .only(let keys):
            // Each key's latest request, and the latest that ran alone (those keys' requests before it
            // are behind it).
            var waits = keys.compactMap { latest[$0] } + (lastAlone.map { [$0] } ?? [])
            waits.sort { $0.place < $1.place }
            for key in keys { latest[key] = (place, handle) }
            sinceAlone.append((place, handle))
            var seen = Set<Int>()
            return waits.filter { seen.insert($0.place).inserted }.map(\.handle)
        }
    }

    /// A request's answer named the session's customer (or the request did).
    public mutating func learn(session: String, customer: String) {
        if owners.count >= rememberedOwners, owners[session] == nil { owners.removeAll(keepingCapacity: true) }
        owners[session] = customer
    }

    /// Forgets requests answered before `place` (the count of answers
    /// written): nothing admitted later needs to wait for them.
    public mutating func answered(before place: Int) {
        latest = latest.filter { $0.value.place >= place }
        sinceAlone.removeAll { $0.place < place }
        if let alone = lastAlone, alone.place < place { lastAlone = nil }
    }

    /// How many requests are remembered, for deciding when to call `answered(before:)`.
    public var remembered: Int { latest.count + sinceAlone.count }
}
