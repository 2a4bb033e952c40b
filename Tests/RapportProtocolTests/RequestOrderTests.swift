import RapportCore
import Testing
@testable import RapportProtocol

/// Which requests of a stream wait for which, when `rapport serve` works on several at once.
@Suite("Request order")
struct RequestOrderTests {
    /// Admits each request in turn (its handle is its place in the stream) and returns what each waits for.
    private func waits(_ requests: [ProtocolRequest], order: inout RequestOrder<Int>) -> [[Int]] {
        var found: [[Int]] = []
        for (place, request) in requests.enumerated() {
            found.append(order.admit(order.footprint(of: request), as: place))
        }
        return found
    }

    private func message(_ session: String, _ customer: String?, _ text: String = "where is my order") -> ProtocolRequest {
        .message(id: nil, session: session, customer: customer, text: text)
    }

    @Test func differentSessionsOfDifferentCustomersWaitForNothing() {
        var order = RequestOrder<Int>()
        let found = waits([message("s1", "c1"), message("s2", "c2"), message("s3", "c3")], order: &order)
        #expect(found == [[], [], []])
    }

    @Test func aSessionsRequestsRunInTheOrderTheyCame() {
        var order = RequestOrder<Int>()
        let found = waits([message("s1", "c1"), message("s2", "c2"), message("s1", "c1", "bye")], order: &order)
        #expect(found == [[], [], [0]])
    }

    @Test func twoSessionsOfOneCustomerRunInOrder() {
        // Each may change the profile the other reads: the second tab waits for the first.
        var order = RequestOrder<Int>()
        let found = waits([message("tab-1", "c1"), message("tab-2", "c1"), message("other", "c2")], order: &order)
        #expect(found == [[], [0], []])
    }

    @Test func aSessionWhoseCustomerIsUnknownRunsAlone() {
        // "s9" may be anyone's session in the database: it waits for all before it, and all after wait for it.
        var order = RequestOrder<Int>()
        let found = waits([message("s1", "c1"), message("s2", "c2"), message("s9", nil), message("s3", "c3"), message("s4", "c4")],
                          order: &order)
        #expect(found == [[], [], [0, 1], [2], [2]])
    }

    @Test func aCustomerTheAnswersNamedLetsTheSessionRunBesideOthers() {
        var order = RequestOrder<Int>()
        #expect(order.footprint(of: message("s9", nil)) == .everything)
        order.learn(session: "s9", customer: "c9")
        #expect(order.footprint(of: message("s9", nil)) == .only([.session("s9"), .customer("c9")]))
        #expect(order.footprint(of: .feedback(id: nil, session: "s9", score: 4, comment: nil))
            == .only([.session("s9"), .customer("c9")]))
    }

    @Test func aSessionStartedWithoutACustomerIsItsOwnCustomer() {
        let footprint = RequestOrder<Int>().footprint(of: .start(id: nil, session: "web-1", customer: nil))
        #expect(footprint == .only([.session("web-1"), .customer(CustomerProfile.anonymousPrefix + "web-1")]))
    }

    @Test func forgettingACustomerRunsAlone() {
        // It may remove sessions this stream never named, whose ids a later line could start afresh.
        var order = RequestOrder<Int>()
        let found = waits([
            message("s1", "c1"), message("s2", "c2"), .forget(id: nil, customer: "c1"), message("s3", "c3"),
            .profile(id: nil, customer: "c2"),
        ], order: &order)
        #expect(found == [[], [], [0, 1], [2], [2]])
    }

    @Test func aRequestNamingAnotherCustomerThanTheSessionsWaitsForBoth() {
        // "s1" is c1's: a line naming c2 for it is refused, or, once c1 is erased, starts s1 afresh
        // for c2; either way it must see what c1's earlier requests left.
        var order = RequestOrder<Int>()
        order.learn(session: "s1", customer: "c1")
        #expect(order.footprint(of: message("s1", "c2")) == .only([.session("s1"), .customer("c1"), .customer("c2")]))
        #expect(order.footprint(of: .start(id: nil, session: "s1", customer: nil))
            == .only([.session("s1"), .customer("c1"), .customer(CustomerProfile.anonymousPrefix + "s1")]))
        let found = waits([message("s2", "c1", "delete all my data"), message("s1", "c2")], order: &order)
        #expect(found == [[], [0]])
    }

    @Test func pingsAndBadLinesWaitForNothingAndNothingWaitsForThem() {
        var order = RequestOrder<Int>()
        let found = waits([message("s1", "c1"), .ping(id: nil), message("s9", nil), .ping(id: nil)], order: &order)
        #expect(found == [[], [], [0], []])
    }

    @Test func requestsAnsweredAreForgotten() {
        var order = RequestOrder<Int>()
        _ = waits([message("s1", "c1"), message("s9", nil), message("s2", "c2")], order: &order)
        #expect(order.remembered > 0)
        order.answered(before: 3)
        #expect(order.remembered == 0)
        // The stream goes on from place 3: nothing earlier is waited for.
        #expect(order.admit(order.footprint(of: message("s1", "c1")), as: 3) == [])
    }

    @Test func sessionsCustomersAreRememberedUpToTheLimitThenStartAgain() {
        var order = RequestOrder<Int>(rememberedOwners: 2)
        order.learn(session: "a", customer: "ca")
        order.learn(session: "b", customer: "cb")
        order.learn(session: "c", customer: "cc")
        #expect(order.footprint(of: message("c", nil)) != .everything)
        #expect(order.footprint(of: message("a", nil)) == .everything, "forgotten: runs alone, which is always safe")
    }
}
